"""Lessons 4-6 (LSTM, BiLSTM, char-CNN): saved runs, restore functions, layer views and the exercises' checks.

Nothing here imports NumPy, TensorFlow or Keras at import time (the console must start fast): the
lesson steps that call into it declare `needs = ["tensorflow"]`, and each function imports what it
uses. Every sentence is built from measured numbers and says what was measured, whichever way it
went: a claim that does not hold on the learner's data or budget is reported, not asserted (the
sentences that compare runs are in `emoji_lab.run_compare`).
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

from .errors import EmojiLabError
from .formatting import a_or_an, say, wrap

LSTM_UNITS = 128  # the talk's LSTM width, and emoji_lab.models'
ONE_HOT = 257  # byte ids 0..256: one row of the identity table per id
EMBED_DIM = 64  # the learned byte embedding's width in emoji_lab.models
SEED_TEXTS = ("I wanna go home and go to sleep", "happy new year! God Bless")  # the talk's run(...) demo


# -- runs on the learner's data ------------------------------------------------------------------------------------
def matching_run(model_name: str, ds: Any, data: str) -> Any:
    """The saved run called `model_name`, if it was trained on exactly this data; else an EmojiLabError."""
    from .runs import fingerprint, load_run

    run = load_run(model_name, data)
    if run.record.get("data", {}).get("fingerprint") != fingerprint(ds):
        raise EmojiLabError(f"the saved run {model_name!r} was trained on other data than {ds.source}")
    return run


def load_or_train(model_name: str, ds: Any, data: str, quick: bool) -> Any:
    """An earlier lesson's run: reloaded when saved for this data, else trained now with the lesson budget."""
    try:
        run = matching_run(model_name, ds, data)
    except EmojiLabError:
        say(f"No saved run of {model_name} on this data: training it now.")
        from .train import train

        return train(model_name, ds, quick=quick)
    say(f"Loaded your run {model_name} (trained {run.record.get('created', '?')}): no need to train it again.")
    return run


def _restore_runs(ns: dict, runs: Mapping[str, str], imports: Mapping[str, tuple[str, str]]) -> None:
    """Put back what a training step made: its runs (reloaded, same data only) and the names it imported."""
    import importlib

    for name, (module, attribute) in imports.items():
        ns[name] = getattr(importlib.import_module(module), attribute)
    for name, model_name in runs.items():
        ns[name] = matching_run(model_name, ns["ds"], ns["DATA"])


def restore_lstm(ns: dict) -> None:
    """Step 04.7: `train` and `run4`."""
    _restore_runs(ns, {"run4": "naive-noembd"}, {"train": ("emoji_lab.train", "train")})


def restore_lesson4_run(ns: dict) -> None:
    """Step 05.3: `load_or_train` and `run4`."""
    _restore_runs(ns, {"run4": "naive-noembd"}, {"load_or_train": ("emoji_lab.neural_lesson", "load_or_train")})


def restore_bilstm(ns: dict) -> None:
    """Step 05.6: `train` and `run_bi`."""
    _restore_runs(ns, {"run_bi": "naive-noembd-blstm"}, {"train": ("emoji_lab.train", "train")})


def restore_stacked(ns: dict) -> None:
    """Step 05.7: `run_deep`."""
    _restore_runs(ns, {"run_deep": "naive-noembd-2lstm"}, {"train": ("emoji_lab.train", "train")})


def restore_char_cnn(ns: dict) -> None:
    """Step 06.9: `train` and `run6`."""
    _restore_runs(ns, {"run6": "chcnn-blstm"}, {"train": ("emoji_lab.train", "train")})


# -- views ---------------------------------------------------------------------------------------------------------
def encoding_view(encoder: Any, text: str, show: int = 12) -> str:
    """A text as the model reads it: its first byte ids, how many are text and how many padding."""
    ids = encoder.encode(text)
    used = min(len(text.encode("utf-8")), encoder.max_len)
    first = " ".join(str(i) for i in ids[:show])
    shown = text if len(text) <= 60 else text[:57] + "..."
    return (f"{shown!r}\n-> {len(ids)} ids: {first} ...\n   {used} of them are the text's bytes (+1), "
            f"{len(ids) - used} are padding (0)")


def one_hot_view(encoder: Any, text: str, show: int = 4) -> list[dict]:
    """The first bytes of a text as one-hot rows: where the single 1 of each row sits."""
    data = text.encode("utf-8")[:show]
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


def _shape(layer: Any) -> str:
    try:
        shape = layer.output.shape
    except (AttributeError, ValueError):
        return "?"
    return "(" + ", ".join("batch" if d is None else str(d) for d in shape) + ")"


def layer_rows(model: Any) -> list[dict]:
    """Each layer of a Keras model: name, kind, output shape, parameters and whether they learn."""
    rows = []
    for layer in model.layers:
        params = int(layer.count_params())
        learns = "" if not params else ("yes" if layer.trainable else "frozen")
        rows.append({"layer": layer.name, "kind": type(layer).__name__, "output": _shape(layer),
                     "params": params, "learns": learns})
    return rows


def layers_table(model: Any, title: Optional[str] = None) -> Any:
    """`model.summary()` in 80 columns: layers, output shapes, parameters, and the totals."""
    from rich.table import Table

    rows = layer_rows(model)
    table = Table(title=title or model.name.replace("_", "-"), title_justify="left")
    for header in ("layer", "kind", "output shape", "params", "learns"):
        table.add_column(header, justify="right" if header == "params" else "left", no_wrap=header != "layer")
    for row in rows:
        table.add_row(row["layer"], row["kind"], row["output"], f"{row['params']:,}", row["learns"])
    trainable = sum(r["params"] for r in rows if r["learns"] == "yes")
    table.caption = f"{model.count_params():,} parameters, {trainable:,} of them learned"
    table.caption_justify = "left"
    return table


def layers_tables(*models: Any) -> Any:
    """Several models' layer tables, one under the other."""
    from rich.console import Group

    return Group(*(layers_table(m) for m in models))


def same_layers(mine: Any, course: Any, name: str = "my_model") -> str:
    """Whether the learner's model and the course's have the same layers, shapes and parameters, or what differs."""
    label = course.name.replace("_", "-")  # emoji_lab.models names a Keras model after its run name
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


def lstm_inputs(lstm: Any) -> int:
    """How many numbers an LSTM layer reads per step (the rows of its input kernel)."""
    return int(lstm.cell.kernel.shape[0])


def embed_dim(model: Any) -> int:
    """The width of the vectors the first LSTM of a model reads."""
    for layer in model.layers:
        if type(layer).__name__ == "LSTM":
            return lstm_inputs(layer)
    raise EmojiLabError(f"{model.name} has no LSTM layer")


def words_story(stats: Any) -> str:
    """Lesson 3's measurements on this data (`vocab_cost`), wrapped for the console."""
    from .vocab_cost import cost_sentence, kinds_sentence, oov_sentence

    return "\n".join(wrap(sentence(stats)) for sentence in (cost_sentence, oov_sentence, kinds_sentence))


# -- checks --------------------------------------------------------------------------------------------------------
def _keras() -> Any:
    from .backend import import_tensorflow

    import_tensorflow()
    import keras

    return keras


def _lstms(model: Any) -> list[Any]:
    return [layer for layer in model.layers if type(layer).__name__ == "LSTM"]


def _model_problem(model: Any, name: str) -> Optional[str]:
    """Whether `model` is a Keras model reading byte ids through one LSTM (not a BiLSTM), or what it is instead."""
    keras = _keras()
    if isinstance(model, keras.layers.Layer) and not isinstance(model, keras.Model):
        return f"`{name}` is a layer, not a model: make the model with `{name} = keras.Model(ids, probs)`."
    if not isinstance(model, keras.Model):
        if type(model).__name__ == "KerasTensor":
            return (f"`{name}` is a layer's output (a symbolic tensor), not a model: wrap the input and the "
                    f"output together, `{name} = keras.Model(ids, probs)`.")
        return f"`{name}` is {a_or_an(type(model).__name__)}; it should be a Keras model: `keras.Model(ids, probs)`."
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
    from .encoders import MAX_LEN

    return MAX_LEN


def _lstm_problem(model: Any, name: str, reads: int, what: str) -> Optional[str]:
    lstms = _lstms(model)
    if not lstms:
        return f"`{name}` has no LSTM layer yet: `x = keras.layers.LSTM({LSTM_UNITS})(x)` between the {what} and the Dense."
    if len(lstms) > 1:
        return f"`{name}` has {len(lstms)} LSTM layers: one is enough here (stacking them is lesson 5)."
    lstm = lstms[0]
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
    if "my_model" not in ns:
        return "There is no `my_model` yet: add the LSTM and the Dense to `x`, then `my_model = keras.Model(ids, probs)`."
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
    if "emb_model" not in ns:
        return "There is no `emb_model` yet: the same model with `keras.layers.Embedding(257, 64, mask_zero=True)` first."
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


def check_lstm_params(ns: Mapping[str, Any]) -> Optional[str]:
    """Step 05.4: `lstm_params` is the parameter count of run4's LSTM layer, found by formula or by Keras."""
    if "lstm_params" not in ns:
        return "There is no `lstm_params` yet: set it to the number of weights in the LSTM layer of `run4.model`."
    value = ns["lstm_params"]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        return f"`lstm_params` is {value!r}; it should be a whole number."
    lstm = _lstms(ns["run4"].model)[0]
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


def check_lstm_steps(ns: Mapping[str, Any]) -> Optional[str]:
    """Step 06.6: `lstm_steps` is how many steps the char-CNN's BiLSTM reads (after the convolutions and pooling)."""
    if "lstm_steps" not in ns:
        return "There is no `lstm_steps` yet: set it to the number of steps the BiLSTM of `cnn` reads."
    value = ns["lstm_steps"]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        return f"`lstm_steps` is {value!r}; it should be a whole number."
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
