"""Lesson 06 (the talk's char-CNN + BiLSTM): its restore, the check of `lstm_steps`, and its result in words.

Every sentence is built from measured numbers and says what was measured, whichever way it went.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

from emoji_lab.common.formatting import plural, wrap
from emoji_lab.teaching.checking import missing, not_whole
from emoji_lab.teaching.compare import best_row, budget_note, compare, quick_note, speed_ratio, versus
from emoji_lab.training.runs import restore_runs


def restore_char_cnn(ns: dict) -> None:
    """Step 06.9: `trained` and `run6`."""
    restore_runs(ns, {"run6": "chcnn-blstm"}, {"trained": ("emoji_lab.training.background", "trained")})


def words_story(stats: Any) -> str:
    """Lesson 3's measurements on this data (`emoji_lab.data.vocab`), wrapped for the console."""
    from emoji_lab.data.vocab import cost_sentence, kinds_sentence, oov_sentence

    return "\n".join(wrap(sentence(stats)) for sentence in (cost_sentence, oov_sentence, kinds_sentence))


def check_lstm_steps(ns: Mapping[str, Any]) -> Optional[str]:
    """Step 06.6: `lstm_steps` is how many steps the char-CNN's BiLSTM reads (after the convolutions and pooling)."""
    problem = (missing(ns, "lstm_steps", "set it to the number of steps the BiLSTM of `cnn` reads.")
               or not_whole(ns, "lstm_steps"))
    if problem:
        return problem
    value = ns["lstm_steps"]
    model = ns["cnn"]
    pools = [layer for layer in model.layers if type(layer).__name__ == "MaxPooling1D"]
    feature_pool = max(pools, key=lambda layer: layer.output.shape[-1])  # not a pooled mask, if there is one
    expected = int(feature_pool.output.shape[1])
    length = int(model.inputs[0].shape[1])
    convs = [layer for layer in model.layers if type(layer).__name__ == "Conv1D"]
    after_convs = length - sum(layer.kernel_size[0] - 1 for layer in convs)
    if value == expected:
        return None
    known = {length: f"{length} is the input length: the convolutions and the pooling shorten it",
             after_convs: f"{after_convs} is the length after the convolutions; the max-pooling halves it",
             length // 2: f"{length // 2} halves the input, but the 'valid' convolutions shortened it first",
             (length - 2) // 2: "only the first convolution shortened it; the second one does too (kernel 3)"}
    if int(value) in known:
        return f"`lstm_steps` is {int(value)}: {known[int(value)]}."
    return ("Not quite: a 'valid' convolution with kernel k makes the sequence k - 1 steps shorter, and the "
            "pooling of 2 halves it (rounding down).")


def cnn_sentence(cnn: Mapping[str, Any], naive: Sequence[Mapping[str, Any]]) -> str:
    """Lesson 6's result: is the char-CNN at least as good as every naive run on this data, measured?"""
    if not naive:
        return wrap("No naive run on this data to compare with yet (lessons 4 and 5 train them); lesson 7 "
                "compares every run.")
    best = best_row(naive)
    line = versus(f"The char-CNN ({cnn['name']})", cnn["val"], f"the best naive run ({best['name']})", best["val"])
    if compare(cnn["val"]["macro_f1"], best["val"]["macro_f1"]) >= 0:
        every = "the" if len(naive) == 1 else "all"
        line += f" On macro-F1 it is at least as good as {every} {plural(len(naive), 'naive run')} on your data."
    else:
        below = [r["name"] for r in naive if compare(cnn["val"]["macro_f1"], r["val"]["macro_f1"]) < 0]
        line += (f" On your data and budget it is below {', '.join(below)} on macro-F1: the talk's "
                 f"claim does not hold here. {budget_note(cnn)}")
    return wrap(" ".join(filter(None, (line, quick_note(cnn)))))


def speed_sentence(cnn: Mapping[str, Any], bi: Optional[Mapping[str, Any]], cnn_steps: int, byte_steps: int) -> str:
    """The char-CNN's parameters and time per epoch against the one-hot BiLSTM's, measured."""
    if not bi:
        return wrap(f"Its BiLSTM reads {cnn_steps} pooled steps instead of {byte_steps} bytes.")
    ratio = speed_ratio(cnn, bi)
    size = cnn["params"] / bi["params"] if bi.get("params") else None
    parts = [f"It has {cnn['params']:,} parameters" + (f" ({size:.1f}x the one-hot BiLSTM's)" if size else "")]
    if ratio:
        parts.append(f"took {ratio:.1f}x the BiLSTM's time per epoch")
    return wrap(", ".join(parts) + f"; its BiLSTM reads {cnn_steps} pooled steps instead of {byte_steps} bytes, "
                "and its convolutions add work of their own.")
