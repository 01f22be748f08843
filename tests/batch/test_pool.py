"""The local process pool: bounded, and a worker that dies costs one error record, not the run."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from scanner.batch.pool import ProcessPool
from scanner.batch.work import Job
from scanner.store import FileScan


def light_init(*_args) -> None:
    """No models: these tests are about the pool, not the scanner."""


def fake_scan(job: Job) -> FileScan:
    if job.path.endswith("killer"):
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(0.05)  # long enough for the second worker to be started and given work
    record = {"kind": "document", "file": job.display, "member": None, "pid": os.getpid()}
    return FileScan(path=job.path, root="/", size=job.size, mtime_ns=0, sha256=None, records=[record])


def jobs(names):
    return [Job(path=f"/share/{name}", display=name, root="/share", size=1, mtime_ns=0) for name in names]


def test_every_job_gives_one_result_across_workers():
    pool = ProcessPool(2, None, b"k", task=fake_scan, init=light_init)
    try:
        results = list(pool.map(jobs(f"f{i}" for i in range(40))))
    finally:
        pool.close()
    assert sorted(r.path for r in results) == sorted(f"/share/f{i}" for i in range(40))
    assert len({r.records[0]["pid"] for r in results}) == 2


def test_a_file_that_kills_its_worker_gets_an_error_and_the_others_their_results():
    names = [f"f{i}" for i in range(12)]
    names.insert(5, "killer")
    pool = ProcessPool(2, None, b"k", task=fake_scan, init=light_init)
    try:
        results = {r.path: r.records[0] for r in pool.map(jobs(names))}
    finally:
        pool.close()
    assert len(results) == 13
    assert results["/share/killer"]["error"] == "worker_crashed"
    assert all(results[f"/share/{name}"]["kind"] == "document" for name in names if name != "killer")


@pytest.mark.slow
def test_a_file_over_the_memory_limit_gets_an_error_and_the_next_file_its_findings():
    """A scanned page (rendered at 300 DPI, OCR'd) does not fit in 700 MB of address space; a letter does."""
    from scanner.pipeline import Options
    from tests.conftest import SAMPLES

    heavy, light = SAMPLES / "pdf" / "scan_nl_reminder_01.pdf", SAMPLES / "text" / "bil_letter_01.txt"
    work = [Job(path=str(p), display=p.name, root=str(p.parent), size=p.stat().st_size, mtime_ns=0)
            for p in (heavy, light)]
    pool = ProcessPool(1, Options(), b"k", id_check=False, max_memory=700 * 1024 * 1024)
    try:
        results = {Path(r.path).name: r.records for r in pool.map(work)}
    finally:
        pool.close()
    assert [r["kind"] for r in results[heavy.name]] == ["error"]
    assert results[heavy.name][0]["error"] in ("out_of_memory", "internal_error", "worker_crashed")
    assert any(r["kind"] == "finding" for r in results[light.name])
