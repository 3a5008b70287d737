"""Lesson 04 (an LSTM that reads bytes): its views of bytes and one-hot rows, its checks and its restore.

The models are `emoji_lab.models.registry`'; their layer tables `emoji_lab.models.layers`. Nothing heavy is imported at
import time: the steps that use TensorFlow declare `needs = ["tensorflow"]`, and each function imports
what it uses.
"""

from __future__ import annotations

import shlex
from typing import Any, Mapping, Optional

from emoji_lab.common.formatting import wrap
from emoji_lab.models.layers import embed_dim, layer_rows, lstm_inputs, lstms
from emoji_lab.models.registry import LSTM_UNITS
from emoji_lab.teaching.checking import missing, wrong_kind
from emoji_lab.teaching.compare import budget_note, compare, quick_note, versus
from emoji_lab.training.runs import restore_runs

ONE_HOT = 257  # byte ids 0..256: one row of the identity table per id

EMBED_DIM = 64  # the learned byte embedding's width in emoji_lab.models.registry


def restore_lstm(ns: dict) -> None:
    """Step 04.7: `trained` and `run4`."""
    restore_runs(ns, {"run4": "naive-noembd"}, {"trained": ("emoji_lab.training.background", "trained")})


def encoding_view(encoder: Any, text: str, show: int = 12) -> str:
    """A text as the model reads it (cleaned, as its training texts were): its first byte ids, how many are text
    and how many padding."""
    ids, cleaned = encoder.encode(text), encoder.clean(text)
    used = min(len(cleaned.encode("utf-8")), encoder.max_len)
    first = " ".join(str(i) for i in ids[:show])
    shown = repr(text if len(text) <= 60 else text[:57] + "...")
    if cleaned != text:
        shown += f", cleaned to {cleaned if len(cleaned) <= 40 else cleaned[:37] + '...'!r}"
    return (f"{shown}\n-> {len(ids)} ids: {first} ...\n   {used} of them are the text's bytes (+1), "
            f"{len(ids) - used} are padding (0)")


def one_hot_view(encoder: Any, text: str, show: int = 4) -> list[dict]:
    """The first bytes of a text, as the model reads it, as one-hot rows: where the single 1 of each row sits."""
    data = encoder.clean(text).encode("utf-8")[:show]
    rows = []
    for position, byte in enumerate(data):
        shown = "space" if byte == 32 else (chr(byte) if 32 < byte < 127 else f"0x{byte:02x}")
        rows.append({"step": position + 1, "byte": shown, "id": byte + encoder.offset,
                     "one-hot row": f"{ONE_HOT} numbers, all 0 but a 1 at index {byte + encoder.offset}"})
    return rows


def one_hot_table(encoder: Any, text: str, show: int = 4) -> Any:
    """`one_hot_view` drawn as a table."""
    from rich.table import Table

    table = Table(title=f"The first bytes of {text!r}, one-hot", title_justify="left")
    rows = one_hot_view(encoder, text, show)
    for column in rows[0] if rows else ():
        table.add_column(column, justify="right" if column in ("step", "id") else "left")
    for row in rows:
        table.add_row(*(str(v) for v in row.values()))
    return table


def same_layers(mine: Any, course: Any, name: str = "my_model") -> str:
    """Whether the learner's model and the course's have the same layers, shapes and parameters, or what differs."""
    label = course.name.replace("_", "-")  # emoji_lab.models.registry names a Keras model after its run name
    a = [(r["kind"], r["output"], r["params"]) for r in layer_rows(mine)]
    b = [(r["kind"], r["output"], r["params"]) for r in layer_rows(course)]
    if a == b:
        kinds = ", ".join(kind for kind, _, _ in b)
        return wrap(f"{name} and the course's {label} have the same layers ({kinds}), the same output shapes "
                    f"and the same {course.count_params():,} parameters: training {label} trains your design.")
    differ = [f"{x[0]} {x[1]} vs {y[0]} {y[1]}" for x, y in zip(a, b) if x != y]
    if len(a) != len(b):
        differ.append(f"{len(a)} layers vs {len(b)}")
    return wrap(f"{name} differs from the course's {label}: " + "; ".join(differ) + ".")


def params_story(one_hot_model: Any, embed_model: Any) -> str:
    """What swapping the frozen one-hot table for a learned embedding changes, in parameters."""
    a, b = layer_rows(one_hot_model), layer_rows(embed_model)

    def lstm(rows: list[dict]) -> int:
        return sum(r["params"] for r in rows if r["kind"] == "LSTM")

    def learned(rows: list[dict]) -> int:
        return sum(r["params"] for r in rows if r["learns"] == "yes")

    return wrap(f"One-hot: {one_hot_model.count_params():,} parameters, {learned(a):,} learned (the "
            f"{ONE_HOT}x{ONE_HOT} table is frozen); its LSTM alone has {lstm(a):,}.\n"
            f"Embedding: {embed_model.count_params():,} parameters, {learned(b):,} learned; its LSTM has "
            f"{lstm(b):,}, because each step now brings {embed_dim(embed_model)} numbers instead of {ONE_HOT}.")


def _keras() -> Any:
    from emoji_lab.common.backend import import_tensorflow

    import_tensorflow()
    import keras

    return keras


def _model_problem(model: Any, name: str) -> Optional[str]:
    """Whether `model` is a Keras model reading byte ids through one LSTM (not a BiLSTM), or what it is instead."""
    keras = _keras()
    if isinstance(model, keras.layers.Layer) and not isinstance(model, keras.Model):
        return f"`{name}` is a layer, not a model: make the model with `{name} = keras.Model(ids, probs)`."
    if not isinstance(model, keras.Model):
        if type(model).__name__ == "KerasTensor":
            return (f"`{name}` is a layer's output (a symbolic tensor), not a model: wrap the input and the "
                    f"output together, `{name} = keras.Model(ids, probs)`.")
        return wrong_kind(name, model, "it should be a Keras model: `keras.Model(ids, probs)`.")
    if len(model.inputs) != 1 or tuple(model.inputs[0].shape) != (None, _max_len()):
        shapes = ", ".join(str(tuple(t.shape)) for t in model.inputs)
        return (f"`{name}` should read one input of shape (None, {_max_len()}), byte ids: it reads {shapes}. "
                "Start from `ids`.")
    if "int" not in str(model.inputs[0].dtype):
        return f"`{name}`'s input holds {model.inputs[0].dtype}, but byte ids are int32: `dtype=\"int32\"`."
    if any(type(layer).__name__ == "Bidirectional" for layer in model.layers):
        return "That is a BiLSTM: reading both directions is lesson 5. Here one `keras.layers.LSTM` reads forwards."
    return None


def _output_problem(model: Any, name: str, n_classes: int) -> Optional[str]:
    """Whether a model ends in one softmax probability per emoji."""
    if len(model.outputs) != 1 or tuple(model.outputs[0].shape) != (None, n_classes):
        shapes = ", ".join(str(tuple(t.shape)) for t in model.outputs)
        return (f"`{name}` should output one score per emoji, shape (None, {n_classes}); it outputs {shapes}. "
                "The last layer is `keras.layers.Dense(len(ds.labels), activation=\"softmax\")`.")
    last = model.layers[-1]
    activation = getattr(getattr(last, "activation", None), "__name__", "")
    if type(last).__name__ != "Dense" or activation != "softmax":
        return "The last layer should be a `Dense(len(ds.labels), activation=\"softmax\")`: it turns scores into probabilities."
    return None


def _max_len() -> int:
    from emoji_lab.data.encoders import MAX_LEN

    return MAX_LEN


def _lstm_problem(model: Any, name: str, reads: int, what: str) -> Optional[str]:
    found = lstms(model)
    if not found:
        return f"`{name}` has no LSTM layer yet: `x = keras.layers.LSTM({LSTM_UNITS})(x)` between the {what} and the Dense."
    if len(found) > 1:
        return f"`{name}` has {len(found)} LSTM layers: one is enough here (stacking them is lesson 5)."
    lstm = found[0]
    if lstm.return_sequences:
        return ("The LSTM returns one output per byte (`return_sequences=True`): take only the last one, "
                "the default `keras.layers.LSTM(128)`.")
    if lstm.dropout or lstm.recurrent_dropout:
        return ("Leave dropout out of the LSTM (`dropout=`, `recurrent_dropout=`): it adds operations the "
                "phone's runtime would need. Lesson 6 puts dropout outside the LSTM instead.")
    if lstm.units != LSTM_UNITS:
        return f"The LSTM has {lstm.units} units; the course's model (and the talk's) uses {LSTM_UNITS}."
    width = lstm_inputs(lstm)
    if width != reads:
        return f"The LSTM reads vectors of {width} numbers; it should read the {what}, {reads} numbers per byte."
    return None


def _expected_params(inputs: int, n_classes: int, table: int) -> int:
    lstm = 4 * (LSTM_UNITS * (inputs + LSTM_UNITS) + LSTM_UNITS)
    return table + lstm + (LSTM_UNITS + 1) * n_classes


def check_my_model(ns: Mapping[str, Any]) -> Optional[str]:
    """Step 04.5: `my_model` is one-hot bytes -> LSTM(128), last output -> Dense softmax, as `naive-noembd`."""
    absent = missing(ns, "my_model", "add the LSTM and the Dense to `x`, then `my_model = keras.Model(ids, probs)`.")
    if absent:
        return absent
    model, n_classes = ns["my_model"], len(ns["ds"].labels)
    problem = (_model_problem(model, "my_model")
               or _lstm_problem(model, "my_model", ONE_HOT, "one-hot vectors `x`")
               or _output_problem(model, "my_model", n_classes))
    if problem:
        return problem
    expected = _expected_params(ONE_HOT, n_classes, ONE_HOT * ONE_HOT)
    if model.count_params() != expected:
        return (f"`my_model` has {model.count_params():,} parameters; one-hot -> LSTM(128) -> Dense has "
                f"{expected:,}. Look for an extra layer with `my_model.summary()`.")
    return None


def check_emb_model(ns: Mapping[str, Any]) -> Optional[str]:
    """Step 04.11: `emb_model` is the same but with a learned, masked Embedding(257, 64) in place of the one-hot."""
    absent = missing(ns, "emb_model", "the same model with `keras.layers.Embedding(257, 64, mask_zero=True)` first.")
    if absent:
        return absent
    model, n_classes = ns["emb_model"], len(ns["ds"].labels)
    problem = _model_problem(model, "emb_model")
    if problem:
        return problem
    tables = [layer for layer in model.layers if type(layer).__name__ == "Embedding"]
    if not tables or not tables[0].trainable or tables[0].output_dim == ONE_HOT:
        return ("`emb_model` still reads the frozen one-hot table: make a new "
                "`keras.layers.Embedding(257, 64, mask_zero=True)` and apply it to `ids`.")
    table = tables[0]
    if table.input_dim != ONE_HOT:
        return f"The embedding has {table.input_dim} rows; byte ids go from 0 to 256, so it needs {ONE_HOT}."
    if not table.mask_zero:
        return ("Add `mask_zero=True` to the Embedding: without it the LSTM also reads the padding after the "
                "text, and its last output comes after the padding, not after the last byte.")
    problem = (_lstm_problem(model, "emb_model", table.output_dim, "embedding vectors")
               or _output_problem(model, "emb_model", n_classes))
    if problem:
        return problem
    if table.output_dim != EMBED_DIM:
        return f"The embedding makes {table.output_dim} numbers per byte; use {EMBED_DIM}, as the course's models do."
    expected = _expected_params(EMBED_DIM, n_classes, ONE_HOT * EMBED_DIM)
    if model.count_params() != expected:
        return (f"`emb_model` has {model.count_params():,} parameters; Embedding(257, 64) -> LSTM(128) -> Dense "
                f"has {expected:,}. Look for an extra layer with `emb_model.summary()`.")
    return None


def versus_keywords(name: str, scores: Mapping[str, float], keyword_scores: Mapping[str, float],
                    record: Optional[Mapping[str, Any]] = None) -> str:
    """Whether a neural model beat lesson 2's keywords, as measured, with its budget when it did not."""
    sentence = versus(name, scores, "the keyword baseline", keyword_scores)
    if compare(scores["macro_f1"], keyword_scores["macro_f1"]) > 0:
        return wrap(" ".join(filter(None, (sentence, quick_note(record) if record else ""))))
    sentence = "Measured on your validation texts: " + sentence[0].lower() + sentence[1:]
    if record is not None:
        sentence += " ".join(["", budget_note(record), *filter(None, [quick_note(record)]),
                              "Lesson 7 compares every run you train."])
        model, data = record.get("model"), record.get("data", {})
        if record.get("stopped_by") == "early stopping":
            sentence += (" More minutes are unlikely to help: it had stopped improving. The next lessons change the "
                         "model instead.")
        elif model and data.get("source"):
            from emoji_lab.data.source import flags
            from emoji_lab.models.budgets import CLI_EPOCHS
            words = flags(data["source"], data.get("options", {}))
            sentence += (" To train it with no clock, until its validation score stops improving (many minutes; "
                         "the new run replaces this one, and lesson 7 shows it):\n"
                         f"  python -m emoji_lab train {shlex.join(words)} --model {model} --epochs {CLI_EPOCHS}")
    return wrap(sentence)
