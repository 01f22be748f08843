"""Scale-out: a Dask scheduler and two workers on loopback give the findings of a local run."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from scanner.store import Store, id_checks
from tests.batch.conftest import stored
from tests.conftest import PIISCAN, SAMPLES

DASK = str(Path(sys.executable).parent / "dask")
SOURCES = (sorted((SAMPLES / "text").glob("*.txt"))[:6] + [SAMPLES / "pdf" / "scan_nl_reminder_01.pdf",
           SAMPLES / "pdf" / "en_letter_01.pdf", SAMPLES / "email" / "fr_invoice_01_reply.eml",
           SAMPLES / "id_cards" / "eid2010_unmasked_scan_front.jpg"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def cluster(tmp_path, env):
    """tcp://127.0.0.1:PORT of a scheduler with two single-threaded workers, separate processes."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path / "dask-logs"
    logs.mkdir()
    common = ["--no-dashboard"]
    processes = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), *common],
                                  stdout=subprocess.DEVNULL, stderr=open(logs / "scheduler.log", "w"), env=env)]
    for index in range(2):
        processes.append(subprocess.Popen(
            [DASK, "worker", address, "--nthreads", "1", "--nworkers", "1", "--host", "127.0.0.1",
             "--local-directory", str(tmp_path / f"w{index}"), *common],
            stdout=subprocess.DEVNULL, stderr=open(logs / f"worker{index}.log", "w"), env=env))
    try:
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.mark.slow
def test_dask_run_gives_the_findings_of_a_local_run(tmp_path, cluster, env):
    share = tmp_path / "share"
    share.mkdir()
    for source in SOURCES:
        shutil.copy(source, share / source.name)
    env = {**env, "PIISCAN_FINGERPRINT_KEY": "test-key"}
    results = {}
    for name, extra in (("local", []), ("dask", ["--cluster", cluster])):
        url = str(tmp_path / f"{name}.db")
        run = subprocess.run(PIISCAN + ["scan", str(share), "--db", url, "--format", "jsonl", "--no-progress",
                                        *extra], env=env, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr
        store = Store.open(url)
        with store.engine.connect() as conn:
            verdicts = sorted(conn.execute(sa.select(id_checks.c.compliant, id_checks.c.document_type)).all())
        results[name] = (stored(store), store.counts(), verdicts)
        store.close()
    local, dask = results["local"], results["dask"]
    assert len(local[0]) > 100 and local[2] == [(False, "BE_EID")]  # the unmasked ID copy was checked
    assert dask == local
