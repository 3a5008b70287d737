"""Lesson 09 (beyond the seed): a bag of hashed byte n-grams against the talk's deep model, measured for a phone.

The model is `bytegrams` in `emoji_lab.models.registry` (its hash in `emoji_lab.models.bytegrams`), then a
student of the same shape taught by it and the classical yardstick (`emoji_lab.training.distill`). Nothing heavy is
imported at import time, and every sentence is built from what was measured on the learner's data,
whichever way it went: the lesson's point (the best phone model is not the deepest one) is shown
when it holds and the measured opposite when it does not.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

from emoji_lab.common.errors import EmojiLabError
from emoji_lab.common.formatting import pct, points, size, wrap
from emoji_lab.models.registry import TALK_MODEL
from emoji_lab.teaching.checking import missing, wrong_kind
from emoji_lab.teaching.compare import compare

GRAM_MODEL = "bytegrams"
DEEP_MODEL = TALK_MODEL  # the talk's model, the deepest
TABLE_FILE = "phone_table.json"
YARDSTICK = "char n-gram linear"  # the classical yardstick's row name
LATENCY_RUNS = 200


# -- 09.3: a text's n-grams ------------------------------------------------------------------------------------------
def shown(gram: bytes) -> str:
    """An n-gram as text; bytes that are part of a longer UTF-8 character as \\xNN."""
    return gram.decode("utf-8", errors="backslashreplace").replace(" ", "␣")


def grams_table(text: str, examples: int = 4) -> Any:
    """One row per n: how many n-grams the text has, and the first few with their buckets."""
    from rich import box
    from rich.table import Table

    from emoji_lab.models.bytegrams import BUCKETS, ORDERS, grams

    found = grams(text)
    table = Table(title=f"{text!r}: {len(text.encode('utf-8'))} bytes, and a space at each end", title_justify="left",
                  box=box.SIMPLE_HEAD, padding=(0, 1), caption_justify="left",
                  caption=f"bucket: the n-gram's row of the model's {BUCKETS:,}-row table (␣ is a space)")
    table.add_column("n", justify="right")
    table.add_column("n-grams", justify="right")
    table.add_column("the first different ones -> bucket", overflow="fold")
    for n in ORDERS:
        mine = [g for g in found if g[0] == n]
        distinct = list({g[1]: g for g in mine}.values())  # first occurrence of each, in text order
        first = "  ".join(f"{shown(b)}->{bucket}" for _, b, bucket in distinct[:examples])
        table.add_row(str(n), str(len(mine)), first)
    return table


def grams_story(text: str) -> str:
    from emoji_lab.models.bytegrams import BUCKETS, grams

    found = grams(text)
    distinct = {g[1] for g in found}
    buckets = {g[2] for g in found}
    return wrap(f"With a space at each end, the text has {len(found)} n-grams ({len(distinct)} different); they "
                f"fall into {len(buckets)} of the {BUCKETS:,} buckets. The model's answer is the mean of those "
                f"{len(buckets)} buckets' vectors, each once: the order of the n-grams is lost beyond 5 bytes, "
                "as in a bag of words.")


# -- 09.5b and 09.5c: where the parameters are ------------------------------------------------------------------------
def check_gram_params(ns: Mapping[str, Any]) -> Optional[str]:
    """Step 09.5b: `gram_params` is the model's parameter count, worked out from its sizes."""
    from emoji_lab.models.bytegrams import BUCKETS
    from emoji_lab.models.registry import GRAM_DIM

    absent = missing(ns, "gram_params", "`gram_params = BUCKETS * GRAM_DIM + ...`.")
    if absent:
        return absent
    got, n = ns["gram_params"], len(ns["ds"].labels)
    if isinstance(got, bool) or not isinstance(got, int):
        return wrong_kind("gram_params", got, "it is a count, a whole number.")
    table, dense = BUCKETS * GRAM_DIM, GRAM_DIM * n + n
    if got == table + dense:
        return None
    if got == table:
        return "That is the table alone; add the output layer: GRAM_DIM weights per emoji, plus one bias each."
    if got == table + GRAM_DIM * n:
        return "Almost: the output layer also has one bias per emoji."
    return (f"{got:,} is not it. The table has BUCKETS x GRAM_DIM numbers; the output layer has GRAM_DIM "
            f"x {n} weights and {n} biases.")


def params_story(model: Any) -> str:
    """How much of the model is its table, measured on the built model."""
    table = int(model.get_layer("gram_vectors").count_params())
    total = int(model.count_params())
    return wrap(f"{total:,} parameters, {table:,} of them ({100 * table / total:.2f}%) in the table. The hashing "
                "layer has none: it is arithmetic. As float32 that is "
                f"{4 * total / 1e6:.1f} MB; as int8, about a quarter.")


# -- 09.7 and 09.8: training, and what stopping on val loss would have kept -----------------------------------------
def restore_gram_run(ns: dict) -> None:
    """Step 09.7: `train` and `run9`, the saved bytegrams run on this data."""
    from emoji_lab.training.runs import matching_run
    from emoji_lab.training.train import train

    ns["train"] = train
    ns["run9"] = matching_run(GRAM_MODEL, ns["ds"])


def stopping_story(record: Mapping[str, Any]) -> str:
    """The epoch val loss and val macro-F1 would each have chosen, against the last one, which the run keeps."""
    epochs = record["epochs"]
    if not epochs:
        return wrap("No epoch finished, so there is nothing to compare.")
    by_loss = min(range(len(epochs)), key=lambda i: epochs[i]["val_loss"])
    by_f1 = min(range(len(epochs)), key=lambda i: -epochs[i]["val_macro_f1"])
    loss_f1, best_f1, last_f1 = (epochs[i]["val_macro_f1"] for i in (by_loss, by_f1, -1))
    line = (f"Val loss was lowest after epoch {by_loss + 1} (macro-F1 {pct(loss_f1)} then); macro-F1 was "
            f"highest after epoch {by_f1 + 1} ({pct(best_f1)}); the run keeps its last, epoch {len(epochs)} "
            f"({pct(last_f1)}).")
    if by_f1 == len(epochs) - 1 or compare(best_f1, last_f1) == 0:
        line += " Choosing on validation would have gained nothing here."
    else:
        line += (f" Choosing the epoch on validation would have scored {100 * (best_f1 - last_f1):.1f} points more "
                 "on validation: on the very texts that made the choice. Step 09.12b shows what such points are "
                 "worth on texts no choice saw.")
    return wrap(line)


def restore_deep(ns: dict) -> None:
    """Step 09.8: `trained` and `deep`, the talk's model on this data."""
    from emoji_lab.training.background import trained
    from emoji_lab.training.runs import matching_run

    ns["trained"] = trained
    ns["deep"] = matching_run(DEEP_MODEL, ns["ds"])


# -- 09.8c: the student -------------------------------------------------------------------------------------------
def restore_student(ns: dict) -> None:
    """Step 09.8c: `distill`, `teachers_story` and `student`, the saved student of exactly this run9."""
    from emoji_lab.training.distill import STUDENT, distill
    from emoji_lab.training.runs import YARDSTICK_FILE, matching_run, model_sha

    student = matching_run(STUDENT, ns["ds"])
    if student.record.get("teachers", {}).get("gram_sha256") != model_sha(ns["run9"]):
        raise EmojiLabError("the saved student was taught by another bytegrams run")
    if not student.record["config"].get("start_from"):
        raise EmojiLabError("the saved student started from fresh weights, an earlier version of this step")
    if not (student.dir / YARDSTICK_FILE).is_file():
        raise EmojiLabError("the saved student keeps no yardstick, an earlier version of this step")
    ns["distill"], ns["teachers_story"], ns["student"] = distill, teachers_story, student


def teachers_story(record: Mapping[str, Any]) -> str:
    """The student's record told: each teacher, the pair, and what the student kept of the pair's lead."""
    taught = record["teachers"]
    g, y, pair = taught["gram_val"]["macro_f1"], taught["yardstick"]["val"]["macro_f1"], taught["pair_val"]["macro_f1"]
    s = record["val"]["macro_f1"]
    lines = [f"Validation macro-F1: the bytegrams teacher {pct(g)}, the yardstick {pct(y)} "
             f"({taught['yardstick']['params']:,} parameters), the two together {pct(pair)}; the student {pct(s)}."]
    epochs = record.get("epochs") or []
    if record.get("config", {}).get("start_from") and epochs:
        lines.append(f"The student started from its bytegrams teacher's weights: {pct(epochs[0]['val_macro_f1'])} "
                     f"after its first epoch, {pct(s)} after its last ({len(epochs)}).")
    if compare(pair, max(g, y)) > 0:
        lines.append(f"Together the teachers beat the better of them by {100 * (pair - max(g, y)):.1f} points: "
                     "they are wrong on different texts.")
    else:
        lines.append("Here the pair is no better than the better teacher alone.")
    if compare(s, g) > 0:
        lines.append(f"The student beats its bytegrams teacher by {100 * (s - g):.1f} points with the same "
                     "table, the same file and the same speed: only what it learned from changed."
                     + (" It even beats the pair." if compare(s, pair) > 0 else ""))
    elif compare(s, g) == 0:
        lines.append("The student scores what its bytegrams teacher scores: here the teachers added nothing.")
    else:
        lines.append(f"The student scores {100 * (g - s):.1f} points below its bytegrams teacher.")
    seconds = taught["seconds"]
    lines.append(f"Time: the bytegrams teacher {seconds['bytegrams']:.0f} s, the yardstick "
                 f"{seconds['yardstick']:.0f} s, their predictions {seconds['predict']:.0f} s, the student "
                 f"{record['seconds']:.0f} s.")
    return "\n".join(wrap(line) for line in lines)


# -- 09.9: the phone table -------------------------------------------------------------------------------------------
def run_row(run: Any, ds: Any, runs: int) -> dict:
    """A run's validation scores, and its dynamic-range int8 file's size, latency and agreement with Keras."""
    from emoji_lab.deploy.export import to_tflite
    from emoji_lab.deploy.quantize import variant_row

    content = to_tflite(run, variant="int8")
    int8 = variant_row("int8", content, run, ds, run.probabilities(ds.val.texts), runs)
    record = run.record
    trained = (f"{len(record['epochs'])} epochs on {record['data']['sizes']['trained_on']:,} texts, "
               f"{record['seconds']:.0f} s")
    if "teachers" in record:
        trained += f" after its teachers' {sum(record['teachers']['seconds'].values()):.0f} s"
    return {"name": run.name, "model": record.get("model", run.name), "params": int(record["params"]),
            "trained": trained,
            "val": {k: record["val"][k] for k in ("top1", "top5", "macro_f1")},
            "int8_bytes": int8["bytes"], "int8_ms": int8["latency_median_ms"], "int8_p95_ms": int8["latency_p95_ms"],
            "int8_macro_f1": int8["macro_f1"], "int8_agree_top5": int8["agree_top5"]}


def yardstick_row(student: Any) -> dict:
    """The classical char n-gram model, as the student's record measured it: strong, but a bigger table,
    and its hashing is Python's."""
    yard = student.record["teachers"]["yardstick"]
    return {"name": YARDSTICK, "model": "classical", "params": yard["params"], "val": yard["val"],
            "float32_bytes": 4 * yard["params"]}


def keywords_row(ds: Any) -> dict:
    """Lesson 2's keyword baseline, learned again from the training texts (a second or two)."""
    from emoji_lab.models.baselines import KeywordModel
    from emoji_lab.teaching.compare import keyword_row
    from emoji_lab.training.metrics import evaluate

    model = KeywordModel.fit_on(ds)
    row = keyword_row(model, evaluate(ds.val.y, model.scores(ds.val.texts), ds.labels))
    return {"name": row["name"], "model": row["model"], "params": row["params"], "val": row["val"]}


def phone_rows(gram_run: Any, student: Any, deep_run: Any, ds: Any, runs: int = LATENCY_RUNS,
               progress: Any = print) -> list[dict]:
    """bytegrams, its student, the deep model, the yardstick and the keywords, measured; saved beside the
    bytegrams run."""
    from emoji_lab.deploy.quantize import save_table

    rows = []
    for run in (gram_run, student, deep_run):
        progress(f"converting {run.name} to int8 and timing it ...")
        rows.append(run_row(run, ds, runs))
    rows.append(yardstick_row(student))
    rows.append(keywords_row(ds))
    save_table(gram_run, rows, TABLE_FILE, models=[student, deep_run])
    return rows


def restore_phone_rows(ns: dict) -> None:
    """Step 09.9: the table saved with these very models, instead of converting and timing again."""
    from emoji_lab.deploy.quantize import load_table

    rows = load_table(ns["run9"], TABLE_FILE, models=[ns["student"], ns["deep"]])
    if rows is None:
        raise EmojiLabError("no phone table saved for these models")
    ns["rows9"], ns["best9"] = rows, ns["run9"]
    for name in ("phone_rows", "phone_view", "phone_story"):
        ns[name] = globals()[name]


def phone_view(rows: Sequence[Mapping[str, Any]]) -> Any:
    """The table as rich draws it, inside 80 columns."""
    from rich import box
    from rich.table import Table

    table = Table(title="For a phone (validation texts; int8 file at batch 1 on this machine)", title_justify="left",
                  box=box.SIMPLE_HEAD, padding=(0, 1), caption_justify="left",
                  caption=f"file: the dynamic-range int8 .tflite; ms: its median over {LATENCY_RUNS} runs. The "
                          "yardstick has no app file (its hashing runs in Python): f32 is its weights as float32.")
    for header in ("model", "params", "top-1", "macro-F1", "file", "ms"):
        table.add_column(header, justify="left" if header == "model" else "right", no_wrap=True)
    for r in rows:
        file_size = (size(r["int8_bytes"], 2, mb_from=0) if r.get("int8_bytes") else
                     f"{size(r['float32_bytes'], 2, mb_from=0)} f32" if r.get("float32_bytes") else "-")
        table.add_row(r["name"], f"{r['params']:,}", pct(r["val"]["top1"]), pct(r["val"]["macro_f1"]), file_size,
                      f"{r['int8_ms']:.2f}" if r.get("int8_ms") is not None else "-")
    return table


def phone_story(rows: Sequence[Mapping[str, Any]]) -> str:
    """The phone's bag of n-grams (the teacher: its recipe chose nothing on validation) against the student, the
    deep model and the yardstick, in ratios and points measured in this run."""
    gram, student, deep, yard, keywords = rows
    g, d, st = gram["val"]["macro_f1"], deep["val"]["macro_f1"], student["val"]["macro_f1"]
    faster = gram["int8_ms"] < deep["int8_ms"]
    speed = (f"the n-gram bag is {deep['int8_ms'] / gram['int8_ms']:.1f}x faster" if faster else
             f"the deep model is {gram['int8_ms'] / deep['int8_ms']:.1f}x faster")
    ahead = compare(st, g)
    lines = [f"best9 is {gram['name']}, the one to export: its recipe chose nothing on validation. "
             f"{student['name']} scores {pct(st)} there against {pct(g)} "
             + ("(higher)" if ahead > 0 else "(the same)" if ahead == 0 else "(lower)")
             + ", but its teachers' mix was set on TweetEval's validation tweets when the course was built, so "
               "validation cannot judge it fairly; step 09.12b scores both on texts no choice saw.",
             f"{gram['name']}: macro-F1 {pct(g)}, an int8 file of {size(gram['int8_bytes'], 2, mb_from=0)}, "
             f"{gram['int8_ms']:.2f} ms per text. {deep['name']}: {pct(d)}, {size(deep['int8_bytes'], 2, mb_from=0)}, "
             f"{deep['int8_ms']:.2f} ms: {speed}. Trained: {gram['trained']}, against {deep['trained']}."]
    better = compare(g, d)
    if better > 0:
        lines.append(f"On your data the best phone model is not the deepest one: the bag of n-grams scores "
                     f"{100 * (g - d):.1f} points higher" + (", and it is faster." if faster else "."))
    elif better == 0:
        lines.append("On your data the two score the same" + (": the bag of n-grams gets there faster." if faster
                                                              else "."))
    else:
        lines.append(f"On your data the deep model scores {100 * (d - g):.1f} points higher: speed against "
                     "quality, measured. More epochs or more texts can move either one.")
    y = yard["val"]["macro_f1"]
    lines.append(f"The classical yardstick scores {pct(y)} with {yard['params']:,} parameters "
                 f"({size(yard['float32_bytes'], 2, mb_from=0)} as float32), and an app would have to repeat its "
                 "Python hashing; "
                 f"{gram['name']} is {'above' if compare(g, y) > 0 else 'not above'} it, hashing in its own graph.")
    k = keywords["val"]["macro_f1"]
    lines.append(f"Lesson 2's keywords score {pct(k)}: {gram['name']} is "
                 + (f"{100 * (g - k):.1f} points above them." if compare(g, k) > 0 else "not above them."))
    lines.append(f"The int8 file keeps the Keras model's top-5 for {pct(gram['int8_agree_top5'])} of texts, "
                 f"macro-F1 {pct(gram['int8_macro_f1'])} against {pct(g)}.")
    return "\n".join(wrap(line) for line in lines)


# -- 09.10c: ranked for the keyboard ----------------------------------------------------------------------------------
def restore_keyboard(ns: dict) -> None:
    """Step 09.10c: `keyboard9` measured again (a second or two: validation predictions), and its helpers."""
    from emoji_lab.training.keyboard import choose, sweep_story, sweep_view

    ns["choose"], ns["sweep_story"], ns["sweep_view"] = choose, sweep_story, sweep_view
    ns["keyboard9"] = choose(ns["best9"], ns["ds"])


# -- 09.10: into the app ---------------------------------------------------------------------------------------------
def restore_export(ns: dict) -> None:
    """Step 09.11: `exported9` rebuilt from the files on disk, never by exporting again over the app."""
    from emoji_lab.deploy.app import exported_from_disk, find_ios_starter
    from emoji_lab.deploy.export import export_run

    ns["export_run"], ns["find_ios_starter"] = export_run, find_ios_starter
    ns["ios"] = find_ios_starter()
    ns["exported9"] = exported_from_disk(ns["best9"], ns["ios"])


def check_exported(ns: Mapping[str, Any]) -> Optional[str]:
    """Step 09.11: `exported9` is best9's export, its files on disk and in the app."""
    from emoji_lab.deploy.app import export_problem

    problem = export_problem(ns.get("exported9"), ns["best9"], ns.get("ios"), "exported9", "best9")
    if problem:
        return problem
    choice = ns.get("keyboard9")  # step 09.10c's choice; skipped, the file ranks as trained
    want, got = getattr(choice, "tau", 0), (ns["exported9"].get("adjustment") or {}).get("tau", 0)
    if got != want:
        return (f"The file ranks with tau {got:g}, but keyboard9 chose tau {want:g}: pass `adjust=keyboard9` to "
                "export_run.")
    return None


# -- 09.12c: what the person typing sees -----------------------------------------------------------------------------
def keyboard_rows(best: Any, exported: Any, ds: Any) -> Optional[list[dict]]:
    """The three views from the exported file (and, when it is adjusted, the same file without the adjustment),
    on the test split; the published model's where its predictions are there. None without a test split."""
    from pathlib import Path

    from emoji_lab.deploy.app import MODEL_FILE
    from emoji_lab.deploy.export import to_tflite
    from emoji_lab.deploy.litert import LiteModel
    from emoji_lab.training.heldout import REFERENCE_MODEL, held_out, held_out_scores, reference_row

    part = held_out(ds)
    if part is None:
        return None
    tau = (exported.get("adjustment") or {}).get("tau", 0)
    shipped = LiteModel.from_file(Path(exported["out"]["folder"]) / MODEL_FILE)
    rows = [{"name": f"exported, tau {tau:g}", "tau": tau, **held_out_scores(shipped.probabilities, part, ds.labels)}]
    if tau:
        plain = LiteModel(to_tflite(best, variant=exported["quantize"]), best.labels, best.encoder)
        rows.append({"name": "the same, tau 0", "tau": 0, **held_out_scores(plain.probabilities, part, ds.labels)})
    reference = reference_row(part, ds.labels)
    if reference:
        rows.append({**reference, "name": REFERENCE_MODEL.split(" (")[0], "published": True})
    for row in rows:
        row["texts"], row["leaky"] = len(part.y), not part.leak_free.all()
    return rows


def keyboard_view(rows: Optional[Sequence[Mapping[str, Any]]]) -> Any:
    from emoji_lab.training.keyboard import views_table

    if not rows:
        return "(no test split in this data)"
    return views_table(rows, f"What the keyboard shows ({rows[0]['texts']:,} test texts)", rows[0]["leaky"])


def keyboard_story(rows: Optional[Sequence[Mapping[str, Any]]], source: str) -> str:
    """The exported file's three views, against its unadjusted self and the published model, in points."""
    if not rows:
        return wrap(f"{source} has no test split, so there is nothing held out to score: with TweetEval, download "
                    "its test files (`python -m emoji_lab data download tweeteval`) and run this step again.")
    shipped = rows[0]
    lines = [f"The file in the app (tau {shipped['tau']:g}): on every test text it puts the right emoji first for "
             f"{pct(shipped['test_top1'])} of them and among its five for {pct(shipped['test_top5'])}; from the "
             f"first half of the words, {pct(shipped['typed_top1'])} and {pct(shipped['typed_top5'])}. Its "
             f"macro-F1{' on the leak-free ones' if shipped['leaky'] else ''} is "
             f"{pct(shipped['test_leak_free_macro_f1'])}."]
    plain = next((r for r in rows if r.get("tau") == 0 and r is not shipped), None)
    if plain is not None:
        moved = {key: points(plain[key], shipped[key]) for key in
                 ("test_top1", "test_top5", "typed_top1", "test_leak_free_macro_f1")}
        lines.append(f"Against the same file without the adjustment: top-1 {moved['test_top1']}, top-5 "
                     f"{moved['test_top5']}, typed top-1 {moved['typed_top1']}, macro-F1 "
                     f"{moved['test_leak_free_macro_f1']} points. These texts made no choice: the validation "
                     "texts did.")
    published = next((r for r in rows if r.get("published")), None)
    if published is not None:
        lines.append(f"{published['name']} (125M parameters) puts the right emoji first for "
                     f"{pct(published['test_leak_free_top1'])} of the leak-free tweets, macro-F1 "
                     f"{pct(published['test_leak_free_macro_f1'])}; the file in the app: "
                     f"{pct(shipped['test_leak_free_top1'])} and {pct(shipped['test_leak_free_macro_f1'])}.")
    return "\n".join(wrap(line) for line in lines)


# -- 09.12b: held-out tweets, once -----------------------------------------------------------------------------------
def held_out_rows(best: Any, student: Any, ds: Any) -> Optional[list[dict]]:
    """The phone model, the student (when it is not the phone model) and the yardstick (the student's second
    teacher, as its run kept it) scored once on the
    test split, whole and leak-free, beside their validation scores; a published model's row where its
    predictions are there. None when the data has no test split."""
    from emoji_lab.training.distill import kept_yardstick
    from emoji_lab.training.heldout import REFERENCE_MODEL, held_out, held_out_scores, reference_row

    part = held_out(ds)
    if part is None:
        return None
    yard = kept_yardstick(student)
    runs = [best] + ([student] if student is not best else [])
    rows = [{"name": run.name, "val": run.record["val"]["macro_f1"],
             **held_out_scores(run.probabilities, part, ds.labels)} for run in runs]
    rows.append({"name": YARDSTICK, "val": student.record["teachers"]["yardstick"]["val"]["macro_f1"],
                 **held_out_scores(yard.scores, part, ds.labels)})
    reference = reference_row(part, ds.labels)
    if reference:
        rows.append({**reference, "name": REFERENCE_MODEL, "val": None})
    for row in rows:
        row["texts"], row["leak_free"] = len(part.y), int(part.leak_free.sum())
    return rows


def held_out_view(rows: Optional[Sequence[Mapping[str, Any]]]) -> Any:
    """Validation against test, macro-F1, inside 80 columns."""
    from rich import box
    from rich.table import Table

    if not rows:
        return "(no test split in this data)"
    table = Table(title=f"Macro-F1 ({rows[0]['texts']:,} test texts, {rows[0]['leak_free']:,} leak-free)",
                  title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1))
    for header in ("model", "validation", "test", "leak-free"):
        table.add_column(header, justify="left" if header == "model" else "right")
    cell = lambda value: pct(value) if value is not None else "-"  # noqa: E731
    for r in rows:
        table.add_row(r["name"], cell(r["val"]), cell(r["test_macro_f1"]), cell(r["test_leak_free_macro_f1"]))
    return table


def held_out_story(rows: Optional[Sequence[Mapping[str, Any]]], source: str) -> str:
    """What choosing on validation did, in the learner's numbers: each model's change from validation to test,
    and whether the order on validation held."""
    if not rows:
        return wrap(f"{source} has no test split, so there is nothing held out to score: with TweetEval, download "
                    "its test files (`python -m emoji_lab data download tweeteval`) and run this step again.")
    models = [r for r in rows if r["val"] is not None]  # the published model has no validation score here
    phone, yard = models[0], next(r for r in models if r["name"] == YARDSTICK)
    lines = []
    for r in models:
        lines.append(f"{r['name']}: {pct(r['val'])} on validation, {pct(r['test_macro_f1'])} on the test split "
                     f"({points(r['val'], r['test_macro_f1'])} points), "
                     + (f"{pct(r['test_leak_free_macro_f1'])} on its leak-free part." if r["leak_free"] < r["texts"]
                        else "all of it leak-free."))
    key, where = (("test_leak_free_macro_f1", "the leak-free test tweets") if 0 < phone["leak_free"] < phone["texts"]
                  else ("test_macro_f1", "the test split"))
    for other in models[1:]:
        before, after = compare(other["val"], phone["val"]), compare(other[key], phone[key])
        if before > 0 and after <= 0:
            lines.append(f"On validation {other['name']} was ahead of {phone['name']}; on {where}, which no choice "
                         "saw, it is not: part of that lead was luck on the texts that made choices.")
        elif before > 0:
            lines.append(f"{other['name']} was ahead on validation and stays ahead on {where}.")
        elif after > 0:
            lines.append(f"{other['name']} was not ahead on validation but is ahead on {where}.")
        else:
            lines.append(f"{phone['name']} is ahead of {other['name']} on validation and on {where}.")
    drop, yard_drop = phone["val"] - phone["test_macro_f1"], yard["val"] - yard["test_macro_f1"]
    if drop < 0.005:
        lines.append(f"Here {phone['name']} kept its validation score on the test split.")
    elif drop > yard_drop:
        lines.append(f"{phone['name']} lost {100 * drop:.1f} points from validation to test, more than the yardstick "
                     f"({100 * yard_drop:.1f}).")
    else:
        lines.append(f"{phone['name']} lost {100 * drop:.1f} points from validation to test, the yardstick "
                     f"{100 * yard_drop:.1f}.")
    lines.append("Choose on validation, then report test, once: that is how a benchmark stays honest.")
    if len(rows) > len(models):
        ref = rows[-1]
        lines.append(f"{ref['name']}, 125M parameters, scores {pct(ref['test_macro_f1'])} on the same test texts and "
                     f"{pct(ref['test_leak_free_macro_f1'])} on the leak-free part; it read the text as published.")
    return "\n".join(wrap(line) for line in lines)

