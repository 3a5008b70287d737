"""The training benchmark runs end to end (tiny data, one model, one epoch), so it cannot rot."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_train_models_bench_writes_its_table_and_json(tmp_path):
    lines = [f"so funny {i} 😂" for i in range(60)] + [f"love you {i} ❤️" for i in range(60)]
    data = tmp_path / "tiny.txt"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "train_models.py"), "--data", str(data),
         "--models", "naive-embed-blstm", "--epochs", "1", "--out", str(out)],
        capture_output=True, text=True, timeout=600, env={**os.environ, "NO_COLOR": "1", "COLUMNS": "120"})
    assert result.returncode == 0, result.stderr
    assert "keyword baseline (lesson 2)" in result.stdout and "naive-embed-blstm" in result.stdout
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["complete"] is True and report["machine"]["cpus"] >= 1
    keyword, model = report["rows"]
    assert keyword["model"].startswith("keyword") and model["model"] == "naive-embed-blstm"
    assert model["epochs_run"] == 1 and model["trained_on"] == report["train"]
    assert 0 <= model["val_macro_f1"] <= 1 and model["params"] > 0
    assert keyword["text"] == model["text"] == "cleaned"  # raw text has no residue: one version
    assert model["phone_val_macro_f1"] == model["val_macro_f1"]


def test_tweeteval_layout_is_benchmarked_both_ways(tmp_path):
    from test_sources import write_tweeteval

    hearts = [f"love you so much {i}\ufe0f" for i in range(40)]  # synthetic, with the residue
    jokes = [f"so funny haha {i}" for i in range(40)]
    folder = write_tweeteval(tmp_path / "te", hearts + jokes, ["0"] * 40 + ["1"] * 40,
                             val_texts=("love you", "haha\ufe0f"), val_labels=("0", "1"))
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "train_models.py"), "--data", f"tweeteval:{folder}",
         "--models", "naive-noembd", "--epochs", "1", "--out", str(out)],
        capture_output=True, text=True, timeout=600, env={**os.environ, "NO_COLOR": "1", "COLUMNS": "160"})
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [(r["text"], r["model"].split()[0]) for r in report["rows"]] == [
        ("cleaned", "keyword"), ("cleaned", "naive-noembd"), ("published", "keyword"), ("published", "naive-noembd")]
    assert set(report["text"]) >= {"cleaned", "published"} and report["complete"] is True
    assert "published" in result.stdout and "phone" in result.stdout
