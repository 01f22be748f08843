"""Bounded fuzzing runs: every target of tools/fuzz.py for a fixed number of mutated inputs.

Each target runs in its own process (``python -m tools.fuzz --target X --runs N --seed 1``), with
the same seed every time, so a run is repeatable. Seeds: the small files of sample_docs/ and the
documents the tool makes itself (not ../shared/realdata/, whose bombs make a short run slow; the
Outlook target has no other seed and uses it when it is there). A crash or a hang fails the test
with the end of libFuzzer's log (the traceback); the input is in the test's temporary folder.

Longer runs (minutes per target, all seeds): ``make fuzz``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REALDATA, ROOT

# Mutated inputs per target: 200-300 where a run costs milliseconds; fewer where each input is a
# rendered PDF page, an Outlook file or the ID-copy check (OCR): the whole file in about a minute.
RUNS = {"text": 300, "pdf": 120, "image": 300, "eml": 200, "msg": 80, "office": 200, "archive": 300, "xml": 300,
        "json": 300, "idcheck": 10}


@pytest.mark.slow
@pytest.mark.parametrize("target", list(RUNS))
def test_target_survives_mutated_inputs(target: str, tmp_path: Path):
    command = [sys.executable, "-m", "tools.fuzz", "--target", target, "--runs", str(RUNS[target]), "--seed", "1",
               "--seed-kb", "64", "--quiet", "--artifacts", str(tmp_path)]
    if target == "msg":
        if not REALDATA.is_dir():
            pytest.skip(f"{REALDATA} is not here: the Outlook target's seeds are its .msg files")
    else:
        command.append("--no-realdata")
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    log = (tmp_path / "fuzz.log").read_text(errors="replace") if (tmp_path / "fuzz.log").exists() else ""
    assert run.returncode == 0, f"{run.stdout}\n{run.stderr[-2000:]}\n--- end of the log ---\n{log[-4000:]}"
    assert f"{RUNS[target]} mutated inputs" in run.stdout, run.stdout
