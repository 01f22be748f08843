"""Faults around the scanner: a full disk while a redacted copy or the findings store is written, and the
PostgreSQL store going away in the middle of a scan. Each must end with one plain error line (never a
traceback), leave nothing half-written, and lose nothing: a rerun completes the store.

A full disk is simulated with a file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored: a write past it fails with
EFBIG), which works as root and in CI without mounting anything. A limit set for the whole process is hit
first by the language model, which py3langid decompresses to a 68 MB temporary file at first use; so most
tests set the limit from inside the process, through an audit hook loaded by sitecustomize.py, at the moment
the fault is meant to happen (the first file opened in the output folder, or the N-th file read from the
share). The code under test runs unchanged; only the kernel refuses the writes.

A killed worker or coordinator is covered elsewhere: tests/batch/test_pool.py (a worker killed by a file)
and tests/batch/test_resume.py (kill -9 of the coordinator, then a rerun that gives the uninterrupted store).
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import subprocess
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from scanner.store import Store, scan_runs
from tests.batch.conftest import spread, stored, stored_files, uninterrupted
from tests.conftest import PG_USER, PIISCAN, ROOT, SAMPLES, _as_postgres_user, _free_port, _postgres_bindir

KEY = "test-key"  # the fingerprint key of the CLI runs, and of the session's scanner (the reference run)
SHARE_FILES = sorted((SAMPLES / "text").glob("*.txt"))[:12]
OPEN_DELAY_S = 0.3  # every file of the share takes this long to open: results reach the store in several groups

# Loaded in the subprocess through sitecustomize.py. FAULT_UNDER: a folder; when the FAULT_AFTER-th file
# under it is opened (for reading or writing), the process's file-size limit drops to FAULT_LIMIT bytes.
# FAULT_DELAY: seconds each open under the folder takes (a slow share).
FAULT_HOOK = textwrap.dedent('''
    import os, resource, signal, sys, time
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    _under = os.environ["FAULT_UNDER"].rstrip("/") + "/"
    _after = int(os.environ.get("FAULT_AFTER", "1"))
    _limit = int(os.environ.get("FAULT_LIMIT", "0"))
    _delay = float(os.environ.get("FAULT_DELAY", "0"))
    _seen = [0]
    def _hook(event, args):
        if event != "open" or isinstance(args[0], int):
            return
        if not os.fsdecode(args[0]).startswith(_under):
            return
        if _delay:
            time.sleep(_delay)
        _seen[0] += 1
        if _seen[0] == _after:
            resource.setrlimit(resource.RLIMIT_FSIZE, (_limit, _limit))
    sys.addaudithook(_hook)
''')


@pytest.fixture()
def fault_env(tmp_path, env):
    """fault_env(under, after=1, limit=0, delay=0) -> the environment of a CLI subprocess with the hook."""
    site = tmp_path / "fault-site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(FAULT_HOOK)

    def make(under: Path, after: int = 1, limit: int = 0, delay: float = 0.0) -> dict:
        return {**env, "PYTHONPATH": f"{site}:{ROOT}", "PIISCAN_FINGERPRINT_KEY": KEY, "FAULT_UNDER": str(under),
                "FAULT_AFTER": str(after), "FAULT_LIMIT": str(limit), "FAULT_DELAY": str(delay)}

    return make


def run(args: list, env: dict, timeout: float = 180, **kwargs) -> subprocess.CompletedProcess:
    """The CLI, standard output and error to pipes (a file would itself be refused by the size limit)."""
    return subprocess.run(PIISCAN + args, env=env, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, **kwargs)


def assert_plain_failure(result: subprocess.CompletedProcess, *words: str) -> str:
    """Exit 3, no traceback, every line of standard error a ``piiscan:`` message; the last one is returned."""
    assert result.returncode == 3, (result.returncode, result.stderr[-3000:])
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    lines = result.stderr.strip().splitlines()
    assert lines and all(line.startswith("piiscan: ") for line in lines), result.stderr[-3000:]
    for word in words:
        assert word in lines[-1], lines[-1]
    return lines[-1]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------------------------------- redaction
@pytest.mark.parametrize("sample", ["text/en_letter_01.txt", "pdf/en_letter_01.pdf"])
def test_disk_full_while_the_redacted_copy_is_written(tmp_path, fault_env, sample):
    """The disk fills up as the verified copy is written: exit 3 with one line, no output, no .part file."""
    source = tmp_path / "in" / Path(sample).name
    source.parent.mkdir()
    shutil.copy(SAMPLES / sample, source)
    before = digest(source)
    out = tmp_path / "out"
    out.mkdir()
    result = run(["redact", str(source), "-o", str(out / source.name)], fault_env(out, after=1, limit=0))
    line = assert_plain_failure(result, "cannot write", str(out / source.name), "File too large")
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stdout == ""
    assert list(out.iterdir()) == [], "a redacted copy or its temporary file was left behind"
    assert digest(source) == before and list(source.parent.iterdir()) == [source]
    assert "no file was written" in line


def _no_space(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_no_space_for_temporary_files_while_redacting(tmp_path, env):
    """The whole run under a 64 KiB file-size limit: the first temporary file (the language model) fails."""
    source = tmp_path / "in" / "letter.txt"
    source.parent.mkdir()
    shutil.copy(SAMPLES / "text" / "en_letter_01.txt", source)
    before = digest(source)
    out = tmp_path / "out"
    out.mkdir()
    result = run(["redact", str(source), "-o", str(out / "letter.txt")], {**env, "PIISCAN_FINGERPRINT_KEY": KEY},
                 preexec_fn=_no_space(64 * 1024))
    assert_plain_failure(result, "cannot redact", "File too large", "no file was written")
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert list(out.iterdir()) == [] and digest(source) == before


# ---------------------------------------------------------------------------------------------- the store
@pytest.fixture(scope="module")
def share(tmp_path_factory) -> Path:
    return spread(SHARE_FILES, tmp_path_factory.mktemp("faults") / "share", folders=2)


@pytest.fixture(scope="module")
def reference(share, tmp_path_factory, scanner):
    rows, documents = uninterrupted(share, tmp_path_factory.mktemp("reference"), scanner)
    assert len(rows) > 50 and documents == len(SHARE_FILES)
    return rows, documents


def scan_args(share: Path, url: str) -> list:
    return ["scan", str(share), "--db", url, "--no-progress", "--format", "jsonl", "--out", os.devnull]


def assert_complete(url: str, reference, stored_before: int) -> None:
    """The store holds the uninterrupted run's findings, and the rerun skipped what was stored before."""
    store = Store.open(url)
    try:
        assert (stored(store), store.counts()["documents"]) == reference
        with store.engine.connect() as conn:
            last = conn.execute(sa.select(scan_runs.c.status, scan_runs.c.files_scanned, scan_runs.c.files_unchanged)
                                .order_by(scan_runs.c.id.desc())).first()
        assert tuple(last) == ("completed", len(SHARE_FILES) - stored_before, stored_before)
    finally:
        store.close()


def test_disk_full_while_the_sqlite_store_is_written(tmp_path, share, reference, fault_env, env):
    """The disk fills up after 9 of 12 files were read: the run stops with one plain error, the store is
    intact (integrity check), and a rerun without the limit completes it with nothing lost."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    Store.open(url).close()  # the schema exists before the limit can be hit
    failed = run(scan_args(share, url), fault_env(share, after=9, limit=0, delay=OPEN_DELAY_S))
    assert_plain_failure(failed, "the findings store", "run the same command again")
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("PRAGMA integrity_check")).scalar_one() == "ok"
    finally:
        engine.dispose()
    stored_before = stored_files(url)
    assert stored_before < len(SHARE_FILES)

    rerun = run(scan_args(share, url), {**env, "PIISCAN_FINGERPRINT_KEY": KEY})
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert_complete(url, reference, stored_before)


class Cluster:
    """A PostgreSQL cluster of this module's own, which the tests stop and start (the session's one is
    shared by the other store tests)."""

    def __init__(self) -> None:
        self.bindir, self.prefix = _postgres_bindir(), _as_postgres_user()
        self.base = Path(tempfile.mkdtemp(prefix="piiscan-pg-faults-"))
        self.data, self.log = self.base / "data", self.base / "server.log"
        self.port = _free_port()
        self.running = False
        if self.prefix:
            shutil.chown(self.base, "postgres", "postgres")
        done = self._run("initdb", "-D", str(self.data), "-U", PG_USER, "--auth=trust", "-E", "UTF8",
                         "--no-locale", "--no-sync", capture_output=True, text=True)
        if done.returncode:
            pytest.fail(f"initdb failed ({done.returncode}): {done.stderr or done.stdout}", pytrace=False)

    def _run(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(self.prefix + [str(self.bindir / args[0]), *args[1:]], cwd=self.base, check=False,
                              stdin=subprocess.DEVNULL, timeout=90, **kwargs)

    def start(self) -> None:
        options = (f"-h 127.0.0.1 -p {self.port} -k '{self.base}' -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off")
        with open(self.base / "pg_ctl.out", "w") as out:  # a file, never a pipe: the server keeps it open
            done = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60",
                             "start", stdout=out, stderr=subprocess.STDOUT)
        self.running = True  # even a failed start may leave a postmaster behind
        if done.returncode:
            pytest.fail(f"the PostgreSQL server did not start:\n{self.log.read_text(errors='replace')[-3000:]}",
                        pytrace=False)
        self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        import psycopg

        end = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(host="127.0.0.1", port=self.port, user=PG_USER, dbname="postgres",
                                     connect_timeout=5):
                    return
            except psycopg.OperationalError:
                if time.monotonic() > end:
                    raise
                time.sleep(0.2)

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop",
                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.running = False

    def remove(self) -> None:
        if self.running:
            self.stop("immediate")
        shutil.rmtree(self.base, ignore_errors=True)

    def new_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=PG_USER, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://{PG_USER}@127.0.0.1:{self.port}/{name}"


@pytest.fixture(scope="module")
def cluster():
    server = Cluster()
    try:
        server.start()
        yield server
    finally:
        server.remove()


def scan_until_stored(share: Path, url: str, env: dict, at_least: int) -> subprocess.Popen:
    """A scan of the slow share, returned once ``at_least`` files are in the store."""
    process = subprocess.Popen(PIISCAN + scan_args(share, url), env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while stored_files(url) < at_least:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            out, err = process.communicate()
            pytest.fail(f"the scan ended ({process.returncode}) or stalled before {at_least} files were stored:\n"
                        f"{err[-3000:]}")
        time.sleep(0.05)
    return process


def test_postgresql_stopped_mid_scan(share, reference, cluster, fault_env, env):
    """The database server goes down while a scan is running and stays down until the scan has ended: the
    scan fails with one plain error at its next write (no hang); once the server is back, a rerun completes
    the store, which then equals an uninterrupted run's."""
    url = cluster.new_database("stopped")
    Store.open(url).close()
    slow = fault_env(share, after=10 ** 6, delay=OPEN_DELAY_S)  # a slow share, no size limit
    process = scan_until_stored(share, url, slow, at_least=2)
    try:
        cluster.stop("fast")
        stopped = time.monotonic()
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if not cluster.running:
            cluster.start()
    assert time.monotonic() - stopped < 60
    assert_plain_failure(subprocess.CompletedProcess(process.args, process.returncode, out, err),
                         "the findings store", "run the same command again")
    stored_before = stored_files(url)
    assert 2 <= stored_before < len(SHARE_FILES)

    rerun = run(scan_args(share, url), {**env, "PIISCAN_FINGERPRINT_KEY": KEY})
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert_complete(url, reference, stored_before)


def test_postgresql_restarted_mid_scan(share, reference, cluster, fault_env, env):
    """The server restarts (pg_ctl restart) during a scan: the scan either carries on (pre-ping reconnects)
    or fails with one plain error; either way, after a rerun the store equals an uninterrupted run's."""
    url = cluster.new_database("restarted")
    Store.open(url).close()
    process = scan_until_stored(share, url, fault_env(share, after=10 ** 6, delay=OPEN_DELAY_S), at_least=2)
    try:
        cluster.stop("fast")
        cluster.start()
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode in (0, 3), err[-3000:]
    if process.returncode == 3:
        assert_plain_failure(subprocess.CompletedProcess(process.args, 3, out, err), "the findings store")
        rerun = run(scan_args(share, url), {**env, "PIISCAN_FINGERPRINT_KEY": KEY})
        assert rerun.returncode == 0, rerun.stderr[-3000:]
    store = Store.open(url)
    try:
        assert (stored(store), store.counts()["documents"]) == reference
    finally:
        store.close()
