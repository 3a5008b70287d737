"""Running and inspecting a `.tflite` file in Python, as the iPhone will: LiteRT's CompiledModel on the CPU, batch 1.

`LiteModel` feeds one text at a time through `ai_edge_litert`'s CompiledModel, the API the app calls in Swift
(`ios_starter/Shared/LiteRTEmojiModel.swift`) with the same options, so what it computes and measures is what the
app does per keystroke. `graph_report` reads the flatbuffer itself: which ops the file needs (builtin, or Flex/custom
ones that an iOS app would have to link tens of megabytes for) and the minimum runtime version it declares.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import json
import os
import sys
import time
import weakref
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np

from emoji_lab.common.errors import DataError, EmojiLabError
from emoji_lab.data.emojis import find_emoji
from emoji_lab.data.encoders import PREPROCESS_FILE, ByteEncoder

LABELS_FILE = "labels.txt"
GOLDEN_FILE = "golden.json"
# The LiteRT release the iPhone app pins (LiteRT-Swift, exactly this version, in the Xcode project) and the
# ai-edge-litert that checks every export here: one runtime from lesson 8 to the phone (pyproject.toml pins the same).
APP_LITERT = "2.3.0"
ACCELERATORS = ("cpu",)  # what the app compiles its model for (LiteRTEmojiModel.accelerators); golden.json says so
LATENCY_RUNS = 200
LATENCY_WARMUP = 20


def read_labels(path: Path) -> list[str]:
    """labels.txt: one emoji per line, in the model's output order."""
    try:
        lines = Path(path).read_text(encoding="utf-8").split("\n")
    except FileNotFoundError:
        raise DataError(f"{path}: no such file (an export writes it next to the .tflite file)") from None
    except UnicodeDecodeError:
        raise DataError(f"{path}: not UTF-8 text (an export writes one emoji per line)") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror})") from None
    labels = lines[:-1] if lines and lines[-1] == "" else lines
    if not labels or any(not label for label in labels):
        raise DataError(f"{path}: expected one emoji per line, with no blank lines")
    return labels


def recorded_vocabulary(folder: Path, content: bytes) -> Optional[int]:
    """How many ids the export in `folder` was made for (golden.json's preprocess), if golden.json describes this
    very .tflite file; else None."""
    try:
        golden = json.loads((folder / GOLDEN_FILE).read_text(encoding="utf-8"))
        if golden["model"]["sha256"] == hashlib.sha256(content).hexdigest():
            return ByteEncoder.from_dict(golden["preprocess"]).vocab_size
    except (OSError, ValueError, LookupError, TypeError, DataError):  # no golden.json, or not one of this file
        pass
    return None


def check_contract(report: dict, encoder: ByteEncoder, labels: Sequence[str],
                   sources: Sequence[str] = (PREPROCESS_FILE, LABELS_FILE), vocabulary: Optional[int] = None) -> None:
    """The text contract and the classes against the .tflite itself, before LiteRT runs it (where a wrong id fails
    as a GATHER error, or passes as a wrong answer): the ids fit the model's input (its shape, and the ids its
    embedding takes, else `vocabulary`, those recorded at export), and the labels are one emoji each, one per
    output. Else one line naming the file (`sources`: the preprocess and the labels) and the field."""
    preprocess, labels_file = sources
    found = [(t["dtype"], t["shape"]) for t in report["inputs"]]
    if found != [("int32", [1, encoder.max_len])]:
        shown = ", ".join(f"{dtype} {shape}" for dtype, shape in found)
        raise DataError(f"{preprocess}: max_len {encoder.max_len}, but the model's input is {shown}, not int32 "
                        f"[1, {encoder.max_len}]")
    size, takes = report["input_vocabulary"], "the model's embedding takes"
    if size is None:
        size, takes = vocabulary, "the model was made for"
    if size is not None and encoder.vocab_size > size:
        raise DataError(f"{preprocess}: offset {encoder.offset} gives byte ids up to {encoder.vocab_size - 1}, but "
                        f"{takes} {size} ids (0 to {size - 1})")
    if size is not None and encoder.pad_id >= size:
        raise DataError(f"{preprocess}: pad_id {encoder.pad_id}, but {takes} {size} ids (0 to {size - 1})")
    for n, label in enumerate(labels, start=1):
        if find_emoji(label) != [label]:
            raise DataError(f"{labels_file}: label {n} ({label!r}) is not one emoji")
    outputs = report["outputs"]
    if len(outputs) != 1 or outputs[0]["shape"][-1] != len(labels):
        shown = " + ".join(str(t["shape"][-1]) for t in outputs)
        raise DataError(f"{labels_file}: the model has {shown} outputs but there are {len(labels)} labels")


class LiteModel:
    """A .tflite emoji model with its classes and byte encoder, run one text at a time like the app.

    LiteRT's CompiledModel, compiled for the CPU with no other option, as the app's Swift code compiles it: the
    runtime runs it with its XNNPACK kernels, and golden.json's numbers come from the same call.
    """

    def __init__(self, model: Path | bytes, labels: Sequence[str], encoder: ByteEncoder | None = None, *,
                 sources: Sequence[str] = (PREPROCESS_FILE, LABELS_FILE), vocabulary: Optional[int] = None):
        """`sources` and `vocabulary`: see `check_contract`, which runs first."""
        from ai_edge_litert.compiled_model import CompiledModel
        from ai_edge_litert.hardware_accelerator import HardwareAccelerator
        from ai_edge_litert.options import Options

        from emoji_lab.common.backend import quiet_stderr

        self.labels = list(labels)
        self.encoder = encoder or ByteEncoder()
        in_memory = isinstance(model, (bytes, bytearray))
        content = bytes(model) if in_memory else Path(model).read_bytes()
        check_contract(graph_report(content, "" if in_memory else str(model)), self.encoder, self.labels, sources,
                       vocabulary)
        _quiet_at_exit()  # from the first try on: a model LiteRT refuses has made its environment already
        options = Options(hardware_accelerators=HardwareAccelerator.CPU)
        try:
            with quiet_stderr():  # LiteRT announces its accelerators and plugin search on fd 2
                if in_memory:
                    self.compiled = CompiledModel.from_buffer(content, options=options)
                else:
                    self.compiled = CompiledModel.from_file(str(model), options=options)
        except (ValueError, RuntimeError) as error:
            raise EmojiLabError(f"LiteRT cannot load this model: {str(error).strip().splitlines()[-1]}") from None
        with quiet_stderr():  # the first run logs too: the runtime makes a process-wide environment then
            self.inputs, self.outputs = self.compiled.create_input_buffers(0), self.compiled.create_output_buffers(0)
            self.ids_probabilities(np.zeros((1, self.encoder.max_len), dtype=np.int32))
        weakref.finalize(self, _release, self.compiled, self.inputs + self.outputs)

    @classmethod
    def from_file(cls, path: Path) -> "LiteModel":
        """A .tflite file with the labels.txt and preprocess.json that an export puts beside it, checked against it
        (and against the ids golden.json says it was exported for, when the model's own embedding does not say)."""
        path = Path(path).expanduser()
        if not path.is_file():
            raise DataError(f"{path}: no such file")
        labels, preprocess = path.parent / LABELS_FILE, path.parent / PREPROCESS_FILE
        return cls(path, read_labels(labels), ByteEncoder.load(preprocess), sources=(str(preprocess), str(labels)),
                   vocabulary=recorded_vocabulary(path.parent, path.read_bytes()))

    @staticmethod
    def runtime() -> dict:
        """How the model runs, for golden.json: the app's tests check that it asks for the same."""
        from importlib.metadata import version

        return {"litert": version("ai-edge-litert"), "api": "CompiledModel", "accelerators": list(ACCELERATORS)}

    def ids_probabilities(self, ids: np.ndarray) -> np.ndarray:
        """[n, classes] for [n, max_len] byte ids, one run per row (the input is batch 1)."""
        out = np.empty((len(ids), len(self.labels)), dtype=np.float32)
        for row, x in enumerate(np.asarray(ids, dtype=np.int32)):
            self.inputs[0].write(x)
            self.compiled.run_by_index(0, self.inputs, self.outputs)
            out[row] = self.outputs[0].read(len(self.labels), np.float32)
        return out

    def probabilities(self, texts: Sequence[str] | str) -> np.ndarray:
        """[n, classes] probabilities, one row per text (a single string counts as one text)."""
        texts = [texts] if isinstance(texts, str) else list(texts)
        return self.ids_probabilities(self.encoder.encode_batch(texts))

    def top(self, text: str, k: int = 5) -> list[tuple[str, float]]:
        """The k most likely emoji with their probabilities, best first (ties: the earlier class first)."""
        probs = self.probabilities(text)[0]
        order = np.argsort(-probs, kind="stable")[:k]
        return [(self.labels[i], float(probs[i])) for i in order]

    def latency(self, text: str, runs: int = LATENCY_RUNS, warmup: int = LATENCY_WARMUP) -> dict:
        """Milliseconds per prediction at batch 1 (encoding included): median and 95th percentile."""
        return timed(lambda: self.probabilities(text), runs, warmup)


def _release(compiled: Any, buffers: list) -> None:
    """Free a LiteModel's runtime objects without their log lines reaching the learner's terminal."""
    from emoji_lab.common.backend import quiet_stderr

    with quiet_stderr():
        for buffer in buffers:
            buffer.destroy()
        compiled.close()
        compiled.environment.close()


@functools.cache
def _quiet_at_exit() -> None:
    """The runtime frees a process-wide environment after Python has finished, and logs it on fd 2: silence that
    (registered once, when the first model loads, so it runs after the course's own exit messages)."""

    def silence() -> None:
        sys.stderr.flush()
        os.dup2(os.open(os.devnull, os.O_WRONLY), 2)

    atexit.register(silence)


def timed(fn: Any, runs: int = LATENCY_RUNS, warmup: int = LATENCY_WARMUP) -> dict:
    """Milliseconds per call of `fn()` after a warm-up: median and 95th percentile."""
    for _ in range(warmup):
        fn()
    times = np.empty(runs)
    for i in range(runs):
        started = time.perf_counter()
        fn()
        times[i] = time.perf_counter() - started
    return {"median_ms": float(np.median(times) * 1000), "p95_ms": float(np.percentile(times, 95) * 1000),
            "runs": runs}


def agreement(reference: np.ndarray, other: np.ndarray, k: int = 5) -> dict:
    """Share of texts where two models give the same top-1, and the same set of top-k emoji."""
    if len(reference) == 0:
        return {"top1": 1.0, f"top{k}": 1.0}
    top1 = (reference.argmax(1) == other.argmax(1)).mean()
    ref_k = np.sort(np.argsort(-reference, axis=1, kind="stable")[:, :k], axis=1)
    other_k = np.sort(np.argsort(-other, axis=1, kind="stable")[:, :k], axis=1)
    return {"top1": float(top1), f"top{k}": float((ref_k == other_k).all(1).mean())}


# -- what is inside the file -----------------------------------------------------------------------------------------
def graph_report(content: bytes, name: str = "") -> dict:
    """Ops, minimum runtime version, input, output and input vocabulary of a .tflite flatbuffer (`name`: the file,
    for the one line saying it is none)."""
    from ai_edge_litert import schema_py_generated as schema

    try:
        return _report(schema, schema.ModelT.InitFromPackedBuf(bytearray(content), 0), len(content))
    except Exception:  # the flatbuffer library raises bare errors on garbage, and garbage can parse into nonsense
        raise DataError((f"{name}: " if name else "") + "not a .tflite file (the flatbuffer does not parse)") from None


def _report(schema: Any, model: Any, size: int) -> dict:
    names = {code: name for name, code in vars(schema.BuiltinOperator).items() if not name.startswith("_")}
    builtin, custom, kinds = set(), set(), []
    for op in model.operatorCodes:
        code = max(op.builtinCode, op.deprecatedBuiltinCode)  # the schema keeps two fields for old files
        kinds.append(names.get(code))
        if op.customCode is not None:
            custom.add(op.customCode.decode())
        else:
            builtin.add(names.get(code, str(code)))
    metadata = {}
    for entry in model.metadata or []:
        data = model.buffers[entry.buffer].data  # a NumPy array of uint8, or None when empty
        metadata[entry.name.decode()] = bytes(data) if data is not None else b""
    runtime = metadata.get("min_runtime_version", b"").rstrip(b"\0").decode() or None
    types = {code: name.lower() for name, code in vars(schema.TensorType).items() if not name.startswith("_")}
    graph = model.subgraphs[0]

    def tensor(i: int) -> dict:
        t = graph.tensors[i]
        return {"name": t.name.decode(), "shape": [int(n) for n in t.shape], "dtype": types[t.type]}

    signature = model.signatureDefs[0] if model.signatureDefs else None
    return {"bytes": size, "builtin_ops": sorted(builtin), "custom_ops": sorted(custom),
            "min_runtime_version": runtime, "subgraphs": len(model.subgraphs),
            "inputs": [tensor(i) for i in graph.inputs], "outputs": [tensor(i) for i in graph.outputs],
            "signature_inputs": [t.name.decode() for t in signature.inputs] if signature else [],
            "input_vocabulary": input_vocabulary(graph, [kinds[op.opcodeIndex] for op in graph.operators])}


SAME_IDS = {"CAST": 0, "RESHAPE": 0, "EXPAND_DIMS": 0, "SELECT": 2, "SELECT_V2": 2}  # op -> its input it passes on


def input_vocabulary(graph: Any, kinds: list[Optional[str]]) -> Optional[int]:
    """How many ids the model's input may hold: the rows of the table they are looked up in (an Embedding's GATHER,
    behind the select that Keras adds for negative ids), or None where the ids are transformed first (lesson 9's
    hashed byte grams). `kinds`: each operator's builtin name."""
    made_by = {int(out): (op, kind) for op, kind in zip(graph.operators, kinds) for out in op.outputs}
    inputs = {int(i) for i in graph.inputs}
    for op, kind in zip(graph.operators, kinds):
        if kind != "GATHER":
            continue
        ids = int(op.inputs[1])
        for _ in graph.operators:  # back along the chain, never longer than the graph (a damaged file could loop)
            producer, producer_kind = made_by.get(ids, (None, None))
            if producer_kind not in SAME_IDS:
                break
            ids = int(producer.inputs[SAME_IDS[producer_kind]])
        if ids in inputs:
            return int(graph.tensors[op.inputs[0]].shape[0])
    return None


def deployment_problems(report: dict, max_len: int) -> list[str]:
    """What would stop this file from running in the iOS app, which links LiteRT's builtin ops only."""
    problems = []
    if report["custom_ops"]:
        flex = [op for op in report["custom_ops"] if op.startswith("Flex")]
        problems.append(f"needs ops outside the builtin runtime: {', '.join(report['custom_ops'])}"
                        + (" (Select TF ops: tens of MB more in the app)" if flex else ""))
    inputs = report["inputs"]
    if len(inputs) != 1 or inputs[0]["shape"] != [1, max_len] or inputs[0]["dtype"] != "int32":
        problems.append(f"input is {json.dumps(inputs)}, not one int32 [1, {max_len}] tensor")
    return problems
