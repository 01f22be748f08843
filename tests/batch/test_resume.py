"""Killed at any moment (kill -9), a rerun continues: the store then equals an uninterrupted run's."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import psutil
import pytest
import sqlalchemy as sa

from scanner.store import Store
from tests.batch.conftest import spread, stored, stored_files, uninterrupted
from tests.conftest import PIISCAN, SAMPLES

SOURCES = (sorted((SAMPLES / "text").glob("*.txt"))[:14] + sorted((SAMPLES / "email").glob("*.eml"))
           + sorted((SAMPLES / "office").glob("*.docx")))
COPIES = 2
FILES = COPIES * len(SOURCES)


@pytest.fixture(scope="module")
def big_share(tmp_path_factory):
    root = tmp_path_factory.mktemp("resume") / "share"
    for copy in range(COPIES):  # enough files that results reach the store in several groups
        spread(SOURCES, root / f"c{copy}", folders=3)
    return root


@pytest.fixture(scope="module")
def reference(big_share, tmp_path_factory, scanner):
    rows, documents = uninterrupted(big_share, tmp_path_factory.mktemp("reference"), scanner)
    assert len(rows) > 100 and documents > FILES  # e-mail attachments are documents too
    return rows, documents


def scan(share, url, workers: int, env) -> subprocess.Popen:
    return subprocess.Popen(PIISCAN + ["scan", str(share), "--db", url, "--workers", str(workers), "--no-progress",
                                       "--format", "jsonl", "--out", os.devnull],
                            env=env, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
@pytest.mark.parametrize("db_url,after_files,workers", [("sqlite", 0, 1), ("sqlite", 3, 1), ("postgresql", 3, 2)],
                         ids=["sqlite-during-start", "sqlite-early", "postgresql-2-workers"], indirect=["db_url"])
def test_kill_9_then_resume_gives_the_uninterrupted_store(big_share, reference, db_url, env, after_files, workers):
    env = {**env, "PIISCAN_FINGERPRINT_KEY": "test-key"}
    Store.open(db_url).close()  # the schema exists before the run, so the test can watch it fill
    process = scan(big_share, db_url, workers, env)
    children = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if after_files == 0:
            time.sleep(1.0)  # while the models load
            break
        if stored_files(db_url) >= after_files:
            break
        time.sleep(0.02)
    assert process.poll() is None, "the scan ended before it could be killed"
    children = psutil.Process(process.pid).children(recursive=True)
    process.send_signal(signal.SIGKILL)
    process.wait()
    killed_at = stored_files(db_url)
    assert killed_at < FILES
    # Orphaned pool workers notice their parent is gone and exit.
    gone, alive = psutil.wait_procs(children, timeout=30)
    assert not alive

    resumed = scan(big_share, db_url, workers, env)
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    store = Store.open(db_url)
    try:
        assert (stored(store), store.counts()["documents"]) == reference
        with store.engine.connect() as conn:
            last = conn.execute(sa.text("SELECT files_scanned, files_unchanged FROM scan_runs ORDER BY id DESC")).first()
        assert tuple(last) == (FILES - killed_at, killed_at)  # the rerun continued, it did not start over
    finally:
        store.close()
