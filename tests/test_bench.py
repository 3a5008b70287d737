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
