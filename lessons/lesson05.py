"""Lesson 05 (both directions, more depth): its restores, the check of `lstm_params`, and its result in words.

Every sentence is built from measured numbers and says what was measured, whichever way it went.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from emoji_lab.common.formatting import wrap
from emoji_lab.models.layers import lstm_inputs, lstms
from emoji_lab.teaching.checking import missing, not_whole
from emoji_lab.teaching.compare import best_row, gap_in_texts, speed_ratio, versus
from emoji_lab.training.runs import restore_runs


def restore_lesson4_run(ns: dict) -> None:
    """Step 05.3: `trained` and `run4`."""
    restore_runs(ns, {"run4": "naive-noembd"}, {"trained": ("emoji_lab.training.background", "trained")})


def restore_bilstm(ns: dict) -> None:
    """Step 05.6: `run_bi`."""
    restore_runs(ns, {"run_bi": "naive-noembd-blstm"}, {})


def restore_stacked(ns: dict) -> None:
    """Step 05.7: `run_deep`."""
    restore_runs(ns, {"run_deep": "naive-noembd-2lstm"}, {})


def check_lstm_params(ns: Mapping[str, Any]) -> Optional[str]:
    """Step 05.4: `lstm_params` is the parameter count of run4's LSTM layer, found by formula or by Keras."""
    problem = (missing(ns, "lstm_params", "set it to the number of weights in the LSTM layer of `run4.model`.")
               or not_whole(ns, "lstm_params"))
    if problem:
        return problem
    value = ns["lstm_params"]
    lstm = lstms(ns["run4"].model)[0]
    inputs, units = lstm_inputs(lstm), lstm.units
    expected = int(lstm.count_params())
    if value == expected:
        return None
    known = {
        4 * units * (inputs + units): "that leaves out the biases: each gate has one per unit too",
        units * (inputs + units) + units: "that is one gate; an LSTM has four (input, forget, output, candidate)",
        int(ns["run4"].model.count_params()): "that is the whole model; count only the LSTM layer",
        2 * expected: "that is a BiLSTM's count (two LSTMs); `run4` reads in one direction",
    }
    if int(value) in known:
        return f"`lstm_params` is {int(value):,}: {known[int(value)]}."
    return (f"`lstm_params` is {int(value):,}, not the LSTM's count. Per gate: {units} x ({inputs} inputs + "
            f"{units} outputs fed back) weights + {units} biases; four gates.")


def depth_sentence(lstm: Mapping[str, Any], bi: Mapping[str, Any], deep: Mapping[str, Any]) -> str:
    """Lesson 5's result: did both directions, or a second LSTM, beat lesson 4's LSTM here? With time per epoch."""
    lines = [versus("The BiLSTM", bi["val"], "the LSTM", lstm["val"]),
             versus("The stacked model (two LSTMs)", deep["val"], "the LSTM", lstm["val"])]
    times = []
    for label, row in (("the BiLSTM", bi), ("the two LSTMs", deep)):
        ratio = speed_ratio(row, lstm)
        if ratio:
            times.append(f"{label} {ratio:.1f}x")
    if times:
        lines.append("Time per epoch, compared with the LSTM's: " + ", ".join(times) + ".")
    best = best_row((lstm, bi, deep))
    lines.append(f"Best of the three on macro-F1: {best['name']}.")
    gap = gap_in_texts((lstm, bi, deep))
    if gap:
        lines.append(gap)
    return wrap("\n".join(lines))
