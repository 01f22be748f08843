"""`piiscan scan --db` end to end: stored, incremental, interrupted cleanly, clear errors."""

from __future__ import annotations

import json
import signal
import subprocess
import time

import psutil
import pytest
import sqlalchemy as sa

from scanner.store import Store
from tests.batch.conftest import stored_files
from tests.conftest import PIISCAN


def piiscan(args, env, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(PIISCAN + args, env=env, capture_output=True, text=True, timeout=600, **kwargs)


def summary(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])


def test_scan_into_a_store_then_rescan_and_report(share, tmp_path, env):
    db = str(tmp_path / "findings.db")
    first = piiscan(["scan", str(share), "--db", db, "--format", "jsonl"], env)
    assert first.returncode == 0, first.stderr
    assert first.stderr == ""  # no progress lines for a short run, no warnings
    done = summary(first.stdout)
    assert (done["files"], done["documents"], done["unchanged"]) == (8, 8, 0) and done["findings"] > 40

    again = piiscan(["scan", str(share), "--db", db, "--format", "jsonl"], env)
    assert again.stdout.count("\n") == 1  # only the summary: nothing was scanned
    assert {k: summary(again.stdout)[k] for k in ("files", "documents", "findings", "unchanged")} == {
        "files": 8, "documents": 0, "findings": 0, "unchanged": 8}

    report = piiscan(["report", "--db", db, "--format", "json"], env)
    assert report.returncode == 0, report.stderr
    totals = json.loads(report.stdout)
    assert (totals["documents"], totals["findings"], totals["by_type"]) == (8, done["findings"], done["by_type"])


@pytest.mark.parametrize("args,code,words", [
    (["--max-file-size", "12X"], 2, "cannot read the size"),
    (["--workers", "0"], 2, "--workers"),
    (["--db", "/nonexistent/folder/findings.db"], 3, "cannot open the findings store"),
    (["--db", "postgresql://nobody@127.0.0.1:9/none"], 3, "cannot open the findings store"),
])
def test_bad_batch_options_are_refused_in_plain_words(share, env, args, code, words):
    run = piiscan(["scan", str(share), *args], env)
    assert run.returncode == code and words in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.slow
def _ctrl_c_as_usual() -> None:
    """Ctrl-C delivered even when the tests run in the background (the shell makes background jobs
    ignore SIGINT, and a child inherits that)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_the_workers_and_marks_the_run_interrupted(share, tmp_path, env):
    letter = next((share / "a").iterdir()).read_text()
    for index in range(300):  # enough work that the run is still going when it is interrupted
        (share / "a" / f"copy{index}.txt").write_text(f"{letter}\n{index}\n")
    db = str(tmp_path / "findings.db")
    Store.open(db).close()
    process = subprocess.Popen(PIISCAN + ["scan", str(share), "--db", db, "--workers", "2", "--format", "jsonl",
                                          "--out", str(tmp_path / "out.jsonl")],
                               env=env, stderr=subprocess.PIPE, text=True, preexec_fn=_ctrl_c_as_usual)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None and stored_files(db) < 3:
        time.sleep(0.05)  # until the workers are scanning
    workers = [p for p in psutil.Process(process.pid).children(recursive=True)
               if "resource_tracker" not in " ".join(p.cmdline())]
    assert len(workers) == 2
    assert process.poll() is None
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 3 and "interrupted" in err
    assert time.monotonic() - started < 20
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive
    store = Store.open(db)
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT status FROM scan_runs")).scalars().all() == ["interrupted"]
    store.close()
