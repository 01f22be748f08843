"""``make bench`` (batch part): a synthetic 10,000-file share scanned with ``piiscan scan --db``.

    python -m tools.bench_batch --out docs/bench-batch.md
    python -m tools.bench_batch --files 500                       # a quick look
    python -m tools.bench_batch --first-scan-files 3000           # first scans on the first 3,000 files only
    python -m tools.bench_batch --postgres local                  # also on a throw-away PostgreSQL cluster
    python -m tools.bench_batch --postgres postgresql://u@host/db # ... or on a server (a new database is made)

The share is generated at bench time (``tools.make_share``, seeded) in a temporary folder, or
taken from ``--share``. Every figure comes from the real command line in a subprocess:

a. first scan with ``--workers 1`` into a fresh SQLite store;
b. first scan with ``--workers 2`` into another fresh SQLite store;
c. rescan of the unchanged share with the store of (b) (nothing to read again);
d. with ``--postgres``: (b) and (c) again, the store on PostgreSQL.

Measured per run: wall time of the whole process (start-up and model loading included), the
run itself from the store (``files.scanned_at``: first stored file to last, i.e. excluding
start-up), files and pages per second, the CPU time of each process, and peak resident memory
(``VmHWM`` of the coordinator and of every worker process, sampled every 0.2 s with psutil).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import psutil

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_EVERY_S = 0.2
KEY = "bench-batch-fingerprint-key"   # a fixed key: the runs do not touch the user's key file


# ------------------------------------------------------------------------------------------------ memory sampling
def _status(pid: int) -> Dict[str, int]:
    """VmHWM (peak RSS so far) and VmRSS of a process, in kB; empty if it is gone."""
    out = {}
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(("VmHWM:", "VmRSS:")):
                    out[line.split(":")[0]] = int(line.split()[1])
    except OSError:
        pass
    return out


def _role(proc: psutil.Process, coordinator: int) -> Optional[str]:
    try:
        name = proc.name()
        cmdline = " ".join(proc.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return None
    if "tesseract" in name:
        return "tesseract"
    if "resource_tracker" in cmdline:
        return "helper"
    if proc.pid == coordinator:
        return "coordinator"
    if "python" in name or "multiprocessing" in cmdline:
        return "worker"
    return "other"


class Sampler(threading.Thread):
    """Every 0.2 s: the process tree's peak RSS (VmHWM, monotonic, so a peak between samples is not missed)
    and CPU times, per process."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.stop = threading.Event()
        self.peak_kb: Dict[int, int] = {}
        self.cpu_s: Dict[int, float] = {}
        self.role: Dict[int, str] = {}
        self._procs: Dict[int, psutil.Process] = {}

    def run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        self._procs[self.pid] = root
        while not self.stop.is_set():
            self.sample(root)
            self.stop.wait(SAMPLE_EVERY_S)

    def sample(self, root: psutil.Process) -> None:
        try:
            children = root.children(recursive=True)
        except psutil.NoSuchProcess:
            return
        for proc in [root, *children]:
            pid = proc.pid
            if pid not in self.role:
                role = _role(proc, self.pid)
                if role is None:
                    continue
                self.role[pid] = role
                self._procs[pid] = proc
            status = _status(pid)
            if "VmHWM" in status:
                self.peak_kb[pid] = max(self.peak_kb.get(pid, 0), status["VmHWM"])
            try:
                times = self._procs[pid].cpu_times()
                self.cpu_s[pid] = times.user + times.system
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                pass

    def summary(self) -> dict:
        by_role = defaultdict(list)
        for pid, role in self.role.items():
            by_role[role].append(pid)

        def peak(role):
            values = [self.peak_kb.get(pid, 0) for pid in by_role.get(role, [])]
            return max(values) / 1024 if values and max(values) else None

        def cpu(role):
            return sum(self.cpu_s.get(pid, 0.0) for pid in by_role.get(role, []))

        return {"coordinator_peak_mb": peak("coordinator"), "worker_peak_mb": peak("worker"),
                "worker_peaks_mb": sorted(self.peak_kb.get(p, 0) / 1024 for p in by_role.get("worker", [])),
                "tesseract_peak_mb": peak("tesseract"), "tesseract_processes": len(by_role.get("tesseract", [])),
                "coordinator_cpu_s": cpu("coordinator"), "worker_cpu_s": cpu("worker"),
                "tesseract_cpu_s": cpu("tesseract"), "workers_seen": len(by_role.get("worker", []))}


# ------------------------------------------------------------------------------------------------ one run
def scan_command(share: Path, db: str, workers: int) -> List[str]:
    return ["scan", str(share), "--db", db, "--workers", str(workers), "--format", "jsonl", "--out", "/dev/null",
            "--no-progress"]


def busy_cpu_s() -> float:
    """CPU seconds the whole machine has spent busy (all processes, all CPUs) since boot."""
    t = psutil.cpu_times()
    return t.user + t.nice + t.system + getattr(t, "irq", 0.0) + getattr(t, "softirq", 0.0)


def steal_cpu_s() -> float:
    """CPU seconds the hypervisor gave to other guests while this machine wanted to run (since boot)."""
    return getattr(psutil.cpu_times(), "steal", 0.0)


def _rusage_s(who) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def wait_quiet(max_wait_s: float, threshold: float = 0.15) -> dict:
    """Wait (up to ``max_wait_s``) until other processes use less than ``threshold`` CPUs over 3 s."""
    started = time.perf_counter()
    while True:
        before = busy_cpu_s()
        time.sleep(3)
        load = (busy_cpu_s() - before) / 3
        waited = time.perf_counter() - started
        if load < threshold or waited >= max_wait_s:
            return {"waited_s": waited, "load_before": load, "quiet": load < threshold}
        print(f"[bench-batch] the machine is busy ({load:.2f} CPUs used by other processes): waiting",
              file=sys.stderr, flush=True)


def _env(code: Path) -> dict:
    return {**os.environ, "PIISCAN_FINGERPRINT_KEY": KEY, "PYTHONPATH": str(code)}


def run_scan(share: Path, db: str, workers: int, label: str, code: Path = ROOT, quiet_s: float = 0,
             server_cpu=None) -> dict:
    """``piiscan scan`` (the scanner in ``code``) in a subprocess, sampled; then what the store says about the run.
    ``server_cpu()``: the CPU seconds so far of a local database server (not counted as other processes' load)."""
    env = _env(code)
    command = [sys.executable, "-m", "scanner", *scan_command(share, db, workers)]
    quiet = wait_quiet(quiet_s) if quiet_s else {}
    print(f"[bench-batch] {label}: piiscan {' '.join(scan_command(share, safe(db), workers))}", file=sys.stderr,
          flush=True)
    busy0, tree0, self0 = busy_cpu_s(), _rusage_s(resource.RUSAGE_CHILDREN), _rusage_s(resource.RUSAGE_SELF)
    steal0 = steal_cpu_s()
    server0 = server_cpu() if server_cpu else 0.0
    started_wall = time.time()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = Sampler(process.pid)
    sampler.start()
    _, stderr = process.communicate()
    wall = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    tree_cpu = _rusage_s(resource.RUSAGE_CHILDREN) - tree0   # the scan and every process it started and reaped
    self_cpu = _rusage_s(resource.RUSAGE_SELF) - self0       # this bench (sampling)
    server = (server_cpu() - server0) if server_cpu else None
    others = max(0.0, busy_cpu_s() - busy0 - tree_cpu - self_cpu - (server or 0.0))
    if process.returncode != 0:
        raise SystemExit(f"{label} failed ({process.returncode}):\n{stderr.decode(errors='replace')[-3000:]}")
    result = {"label": label, "workers": workers, "wall_s": wall, "db": safe(db), "db_url": db,
              "command": "piiscan " + " ".join(scan_command(share, store_label(db), workers)),
              "tree_cpu_s": tree_cpu, "others_cpus": others / wall, "server_cpu_s": server,
              "steal_cpus": (steal_cpu_s() - steal0) / wall, **quiet,
              **sampler.summary(), **from_store(db, started_wall)}
    print(f"[bench-batch] {label}: {wall:.1f} s, {result['files_seen']} files seen, "
          f"{result['files_scanned']} scanned, {result['files_unchanged']} unchanged; CPU {tree_cpu:.0f} s; "
          f"other processes used {others / wall:.2f} CPUs meanwhile", file=sys.stderr, flush=True)
    return result


def safe(url: str) -> str:
    from scanner.store import safe_url

    return safe_url(url) if "://" in url else url


def _utc(value) -> float:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.timestamp()


def from_store(db: str, process_started: float) -> dict:
    """The last run's counts (scan_runs), its files' store times and its top-level documents' pages."""
    import sqlalchemy as sa

    from scanner.store import Store, documents, files, scan_runs

    store = Store.open(db, migrate=False)
    try:
        with store.engine.connect() as conn:
            run = conn.execute(sa.select(scan_runs).order_by(scan_runs.c.id.desc()).limit(1)).mappings().one()
            times = conn.execute(sa.select(sa.func.min(files.c.scanned_at), sa.func.max(files.c.scanned_at),
                                           sa.func.count()).where(files.c.run_id == run["id"])).one()
            top = (sa.select(documents.c.pages, documents.c.ocr, documents.c.duration_ms, files.c.path)
                   .select_from(documents.join(files, files.c.id == documents.c.file_id))
                   .where(files.c.run_id == run["id"], documents.c.member.is_(None)))
            docs = conn.execute(top).all()
    finally:
        store.close()
    by_format: Dict[str, List[float]] = defaultdict(lambda: [0, 0, 0, 0.0])   # files, pages, ocr pages, seconds
    for pages, ocr, duration_ms, path in docs:
        row = by_format[Path(path).suffix.lower() or "(none)"]
        row[0] += 1
        row[1] += pages
        row[2] += pages if ocr else 0
        row[3] += duration_ms / 1000
    first, last, stored = times
    out = {key: run[key] for key in ("files_seen", "files_scanned", "files_unchanged", "files_moved",
                                     "files_deleted", "documents", "findings", "errors", "status")}
    out.update(
        rules_version=run["rules_version"],
        run_s=_utc(run["finished_at"]) - _utc(run["started_at"]),
        startup_s=_utc(run["started_at"]) - process_started,   # process start to the run's row (models loaded)
        files_stored=stored,
        pages=sum(d[0] for d in docs),
        paged_documents=sum(1 for d in docs if d[0]),
        pageless_documents=sum(1 for d in docs if not d[0]),
        ocr_pages=sum(d[0] for d in docs if d[1]),
        document_s=sum(d[2] for d in docs) / 1000,
        by_format={k: v for k, v in sorted(by_format.items())},
    )
    if stored and first is not None:
        out["first_stored_s"] = _utc(first) - process_started
        out["stored_span_s"] = _utc(last) - _utc(first)
    return out


# ------------------------------------------------------------------------------------------------ a rescan's phases
# Run in a fresh interpreter: `piiscan scan` (cli.main) with timing wrappers around the functions of a rescan.
# The wrappers are this tool's only; the scanner is not changed. Prints one JSON object.
_PHASES = r"""
import builtins, collections, json, sys, time
t0 = time.perf_counter()
T = collections.defaultdict(float); N = collections.Counter()
def wrap(owner, name, label):
    function = getattr(owner, name)
    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            T[label] += time.perf_counter() - started
            N[label] += 1
    setattr(owner, name, timed)
def imported(label, names):
    started = time.perf_counter()
    for name in names:
        __import__(name)
    T[label] = time.perf_counter() - started
# The analyzer (Presidio, spaCy) is imported by the scan itself, if at all: an outermost import that brings it
# in is timed, and Analyzer.load is wrapped once it is there.
ENGINE = "scanner.analyze.engine"
_import, _depth = builtins.__import__, [0]
def timed_import(name, globals=None, locals=None, fromlist=(), level=0):
    if _depth[0] or ENGINE in sys.modules:
        return _import(name, globals, locals, fromlist, level)
    _depth[0] += 1
    started = time.perf_counter()
    try:
        return _import(name, globals, locals, fromlist, level)
    finally:
        _depth[0] -= 1
        if ENGINE in sys.modules:
            T["import the analyzer (Presidio, spaCy)"] += time.perf_counter() - started
            wrap(sys.modules[ENGINE].Analyzer, "load", "Analyzer.load (spaCy model, recognizers)")
imported("import scanner.cli", ["scanner.cli"])
imported("import the batch scanner, the store, Alembic", ["scanner.batch", "scanner.batch.pool",
         "scanner.batch.walk", "scanner.batch.rules", "scanner.store", "alembic.command", "alembic.config"])
import scanner.batch as batch, scanner.batch.rules as rules, scanner.batch.walk as walk, scanner.cli as cli
import scanner.store as store
builtins.__import__ = timed_import
wrap(rules, "rules_version", "rules_version (hash of code, models, versions; `tesseract --version`)")
wrap(store.Store, "open", "Store.open (connect, Alembic upgrade check)")
wrap(store.Store, "known_in_folder", "Store.known_in_folder (one query per folder)")
wrap(walk.Walker, "_add", "Walker._add (per file: wanted, stat, isfile, realpath, Job)")
wrap(batch.BatchScan, "_needs_scan", "BatchScan._needs_scan (size and mtime compared)")
wrap(batch.BatchScan, "_forget_gone", "BatchScan._forget_gone (stored files gone from disk)")
for name in ("begin_run", "finish_run", "prune_walk_errors"):
    wrap(store.Store, name, "Store." + name)
started = time.perf_counter()
code = cli.main(sys.argv[1:])
T["cli.main (parse, walk, decide, store)"] = time.perf_counter() - started
print(json.dumps({"phases": {k: [v, N[k]] for k, v in T.items()}, "total_s": time.perf_counter() - t0,
                  "code": code, "loaded": {m: m in sys.modules for m in ("spacy", "presidio_analyzer", ENGINE)}}))
"""


def rescan_phases(share: Path, db: str, code: Path = ROOT, quiet_s: float = 0) -> dict:
    """A rescan (``--workers 1``) in a fresh interpreter with timing wrappers: where its seconds go."""
    if quiet_s:
        wait_quiet(quiet_s)
    env = _env(code)
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", _PHASES, *scan_command(share, db, 1)], cwd=code, env=env,
                         capture_output=True, text=True, timeout=3600)
    wall = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit(f"the rescan with timing wrappers failed:\n{run.stderr[-3000:]}")
    out = json.loads(run.stdout.strip().splitlines()[-1])
    out["wall_s"] = wall
    return out


# ------------------------------------------------------------------------------------------------ PostgreSQL
class Stores:
    """Fresh, empty stores: SQLite files in the work folder, or new databases on a PostgreSQL server."""

    def __init__(self, work: Path, server: Optional[str] = None):
        self.work, self.server, self.made = work, server, []

    def fresh(self, name: str) -> str:
        if self.server is None:
            path = self.work / f"{name}.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            return str(path)
        import psycopg

        database = f"piiscan_bench_{name.replace('-', '_')}_{uuid.uuid4().hex[:6]}"
        with psycopg.connect(**self._admin(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
        self.made.append(database)
        from sqlalchemy.engine import make_url

        return make_url(self.server).set(database=database, drivername="postgresql").render_as_string(
            hide_password=False)

    def _admin(self) -> dict:
        from sqlalchemy.engine import make_url

        url = make_url(self.server)
        return dict(host=url.host, port=url.port, user=url.username, password=url.password,
                    dbname=url.database or "postgres")

    def drop(self) -> None:
        if self.server and self.made:
            import psycopg

            with psycopg.connect(**self._admin(), autocommit=True) as conn:
                for database in self.made:
                    conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@contextlib.contextmanager
def postgres_server(url: str) -> Iterator[tuple]:
    """(server URL, its CPU seconds so far or None): ``url``, or a throw-away cluster for ``local``."""
    if url == "local":
        with throwaway_cluster() as local:
            yield local
    else:
        yield url, None


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[str]:
    """initdb + pg_ctl in a temporary folder on 127.0.0.1, default durability settings; stopped and removed after.
    As root, the server runs as the ``postgres`` system user (as in tests/conftest.py)."""
    import glob
    import socket

    bindirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(Path(d).parent.name.split(".")[0]))
    bindir = Path(shutil.which("initdb")).parent if shutil.which("initdb") else (Path(bindirs[-1]) if bindirs else None)
    if bindir is None:
        raise SystemExit("--postgres local: no PostgreSQL server here (initdb); `make install` installs it")
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    base = Path(tempfile.mkdtemp(prefix="bench-batch-pg-"))
    if prefix:
        shutil.chown(base, "postgres", "postgres")
    data, log = base / "data", base / "server.log"

    def run(*args, **kwargs):
        return subprocess.run(prefix + [str(bindir / args[0]), *args[1:]], cwd=base, stdin=subprocess.DEVNULL,
                              check=False, **kwargs)

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = False
    try:
        done = run("initdb", "-D", str(data), "-U", "piiscan", "--auth=trust", "-E", "UTF8", "--no-locale",
                   capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"initdb failed: {done.stderr or done.stdout}")
        with open(base / "pg_ctl.out", "w") as out:
            done = run("pg_ctl", "-D", str(data), "-l", str(log), "-o", f"-h 127.0.0.1 -p {port} -k '{base}'",
                       "-w", "-t", "60", "start", stdout=out, stderr=subprocess.STDOUT)
        started = True
        if done.returncode:
            raise SystemExit(f"the PostgreSQL server did not start: {log.read_text(errors='replace')[-2000:]}")
        postmaster = psutil.Process(int((data / "postmaster.pid").read_text().split()[0]))

        def server_cpu() -> float:
            """The server's CPU seconds so far: the postmaster, its live backends, and its reaped ones."""
            total = 0.0
            for proc in [postmaster, *postmaster.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    t = proc.cpu_times()
                    total += t.user + t.system + (t.children_user + t.children_system if proc is postmaster else 0)
            return total

        yield f"postgresql://piiscan@127.0.0.1:{port}/postgres", server_cpu
    finally:
        if started:
            run("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop", stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL)
        shutil.rmtree(base, ignore_errors=True)


# ------------------------------------------------------------------------------------------------ the bench
def build_share(target: Path, files: int, seed: int) -> dict:
    from tools.make_share import make_share

    started = time.perf_counter()
    kinds = make_share(target, files, seed)
    seconds = time.perf_counter() - started
    return {"path": str(target), "files": files, "kinds": kinds, "seconds": seconds, **share_size(target)}


def share_size(target: Path) -> dict:
    size = folders = count = 0
    for _dirpath, dirnames, filenames in os.walk(target):
        folders += len(dirnames)
        for name in filenames:
            size += os.path.getsize(os.path.join(_dirpath, name))
            count += 1
    return {"bytes": size, "folders": folders, "files_on_disk": count}


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
                 platform.processor() or platform.machine())
    memory = psutil.virtual_memory().total / 2 ** 30
    return (f"{model}, {os.cpu_count()} CPU(s) ({len(os.sched_getaffinity(0))} usable), {memory:.0f} GiB RAM, "
            f"Linux {platform.release()}, Python {platform.python_version()}")


DISTURBED = 0.15   # CPUs used by other processes during a run above which it may have been slowed down


def disturbed(result: dict) -> bool:
    """Other processes used more than DISTURBED CPUs, and more than the CPUs this run left idle (minus
    DISTURBED): they may have taken CPU time the run would have used. A one-worker run leaves a CPU idle."""
    used = result["tree_cpu_s"] / result["wall_s"]
    spare = len(os.sched_getaffinity(0)) - used
    return result["others_cpus"] > max(DISTURBED, spare - DISTURBED)


def least_disturbed(run, retries: int, label: str) -> dict:
    """``run(attempt)`` until other processes leave it alone (or ``retries`` more times): the least disturbed."""
    best = None
    for attempt in range(retries + 1):
        result = run(attempt)
        result["attempts"] = attempt + 1
        result["disturbed"] = disturbed(result)
        if best is None or result["others_cpus"] < best["others_cpus"]:
            best = result
        if not result["disturbed"]:
            break
        if attempt < retries:
            print(f"[bench-batch] {label}: other processes used {result['others_cpus']:.2f} CPUs meanwhile; "
                  "once more", file=sys.stderr, flush=True)
    return best


def code_version() -> str:
    try:
        return subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def snapshot_code(work: Path) -> Path:
    """A copy of ``scanner/`` and ``models/`` taken now, byte-compiled: every run uses the same code and rules
    version, however long the bench and whatever is edited in the working tree meanwhile (an edit to the
    detection code changes the rules version: the "rescan" would read every file again)."""
    code = work / "code"
    shutil.copytree(ROOT / "scanner", code / "scanner", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "models", code / "models")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(code / "scanner")], check=True,
                   stdout=subprocess.DEVNULL)
    return code


def bench(args) -> dict:
    work = Path(tempfile.mkdtemp(prefix="bench-batch-", dir=args.workdir))
    result: dict = {"started": time.time(), "machine": machine(), "runs": {}}
    try:
        if args.share:
            full = args.share.resolve()
            result["share"] = {"path": str(full), "files": None, "kinds": {}, "seconds": None, **share_size(full)}
            result["share"]["files"] = result["share"]["files_on_disk"]
        else:
            full = work / "share"
            print(f"[bench-batch] generating {args.files} files in {full}", file=sys.stderr, flush=True)
            result["share"] = build_share(full, args.files, args.seed)
        first_files = args.first_scan_files or result["share"]["files"]
        if first_files < result["share"]["files"] and not args.share:
            first = work / f"share-{first_files}"
            result["first_share"] = build_share(first, first_files, args.seed)
        else:
            first, result["first_share"] = full, result["share"]
        result["code"] = code_version()
        code = snapshot_code(work)
        runs = result["runs"]
        q, retries = args.wait_quiet, args.retries
        sqlite = Stores(work)

        def first_scan(key, share_path, workers, label, stores, server_cpu=None):
            runs[key] = least_disturbed(
                lambda attempt: run_scan(share_path, stores.fresh(f"{key}-{attempt}"), workers, label, code, q,
                                         server_cpu), retries, label)
            return runs[key]["db_url"]

        def rescan(key, db, workers, label, server_cpu=None):
            runs[key] = least_disturbed(lambda attempt: run_scan(full, db, workers, label, code, q, server_cpu),
                                        retries, label)

        for pair in range(args.pairs):   # 1w, 2w, then 2w, 1w, ...: a drift in the machine's speed evens out
            suffix, tag = ("", "") if pair == 0 else (f"_p{pair + 1}", f" (pair {pair + 1})")
            order = [1, 2] if pair % 2 == 0 else [2, 1]
            for workers in order:
                db = first_scan(f"first_{workers}w{suffix}", first, workers,
                                f"first scan, {workers} worker{'s' if workers > 1 else ''}{tag}", sqlite)
                if workers == 2:
                    db2 = db
        if first != full:
            db2 = first_scan("first_2w_full", full, 2, "first scan of the full share, 2 workers", sqlite)
        rescan("rescan_2w", db2, 2, "rescan, 2 workers")
        rescan("rescan_1w", db2, 1, "rescan, 1 worker")
        result["rescan_phases"] = rescan_phases(full, db2, code, q)
        if args.postgres:
            with postgres_server(args.postgres) as (server, server_cpu):
                result["postgres"] = "throw-away local cluster" if args.postgres == "local" else safe(args.postgres)
                pg = Stores(work, server)
                try:
                    pg2 = first_scan("pg_first_2w", first, 2, "PostgreSQL: first scan, 2 workers", pg, server_cpu)
                    if first != full:
                        pg2 = first_scan("pg_first_2w_full", full, 2, "PostgreSQL: first scan of the full share", pg,
                                         server_cpu)
                    rescan("pg_rescan_2w", pg2, 2, "PostgreSQL: rescan, 2 workers", server_cpu)
                finally:
                    pg.drop()
    finally:
        if args.keep:
            print(f"[bench-batch] kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    result["total_s"] = time.time() - result["started"]
    return result


# ------------------------------------------------------------------------------------------------ the report
def _rate(count, seconds) -> float:
    return count / seconds if seconds else float("nan")


def _mb(value) -> str:
    return f"{value:.0f}" if value else "–"


def report(result: dict) -> str:
    runs = result["runs"]
    share, first_share = result["share"], result["first_share"]
    n_full, n_first = share["files"], first_share["files"]
    pairs = [(runs[f"first_1w{sfx}"], runs[f"first_2w{sfx}"])
             for sfx in [""] + [f"_p{n}" for n in range(2, 100)] if f"first_1w{sfx}" in runs]
    rescan = runs["rescan_2w"]
    ratios = [w1["wall_s"] / w2["wall_s"] for w1, w2 in pairs]
    steadies = [_rate(w2["files_stored"] - 1, w2.get("stored_span_s")) /
                _rate(w1["files_stored"] - 1, w1.get("stored_span_s")) for w1, w2 in pairs]
    speedup, steady = statistics.median(ratios), statistics.median(steadies)
    pairs_note = ("" if len(pairs) == 1 else f"; median of {len(pairs)} pairs of runs (1 then 2 workers, then 2 "
                  f"then 1, ...): " + ", ".join(f"{r:.2f} ×" for r in ratios))
    rescan_rate = _rate(rescan["files_seen"], rescan["wall_s"])
    rescan_ok = rescan["files_unchanged"] == rescan["files_seen"] and rescan["files_scanned"] == 0
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(share["kinds"].items(), key=lambda kv: -kv[1]))
    out = [
        "# Benchmarks: batch scans of a file share", "",
        f"Generated by `make bench` (`python -m tools.bench_batch`), "
        f"{time.strftime('%Y-%m-%d', time.localtime(result['started']))}; "
        f"the whole bench took {result['total_s'] / 60:.1f} min.", "",
        f"Machine: {result['machine']}. Store: SQLite on the local disk (WAL)"
        + (f"; PostgreSQL: {result['postgres']}" if result.get("postgres") else "") + ". "
        f"Scanner: `git describe` {result.get('code', 'unknown')}, copied (with `models/`) at the start of the "
        "bench and byte-compiled, so that every run uses the same code and rules version whatever is edited "
        "meanwhile.", "",
        "## The share", "",
        (f"{n_full:,} files" if share["kinds"] else f"`{share['path']}` ({n_full:,} files)")
        + f" in {share['folders']:,} folders (`YEAR/MM-month/client/`), {share['bytes'] / 2 ** 20:.0f} MiB, "
        "generated at bench time by `tools/make_share.py` (seed 7, not committed"
        + (f"; {share['seconds']:.0f} s to generate" if share.get("seconds") else "") + "). "
        "Letters, invoices, e-mails, exports and notes of a small Belgian firm, each file with its own invented "
        "people: names, addresses, national register numbers, IBANs, VAT numbers (checksum-valid), phones, "
        "e-mail addresses, dates of birth.", "",
    ]
    if kinds:
        out += [f"Files by kind: {kinds}. `scan.*` are scanned pages (OCR, about 1 % of the files); `broken` are "
                "truncated or garbage PDFs, Word files and PNGs.", ""]
    if n_first != n_full:
        out += [f"**The first scans (1 and 2 workers) use the first {n_first:,} files** of the same share "
                f"(same generator and seed: file *i* is the same in both); the rescan uses all {n_full:,}.", ""]
    out += [
        "## Commands", "",
        "Each run is the real command line in its own process (`python -m scanner` is `piiscan`), "
        "fingerprint key from `PIISCAN_FINGERPRINT_KEY`, Tesseract with one thread (the scanner's default):", "",
        "```",
        *[f"{r['command']}    # {r['label']}" for r in runs.values()],
        "```", "",
        "## Results", "",
        "| run | files | wall (s) | files/s (wall) | start-up (s) | files/s after start-up | pages | pages/s (wall) "
        "| page-equivalents/s (wall) | peak RSS coordinator (MiB) | peak RSS per worker (MiB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, r in runs.items():
        rescanned = key.endswith("rescan_2w") or key.endswith("rescan_1w")
        files = r["files_seen"]
        after = (_rate(r["files_stored"] - 1, r.get("stored_span_s")) if not rescanned and r["files_stored"] > 1
                 else _rate(files, r["run_s"]))
        startup = r.get("first_stored_s") if not rescanned else r["startup_s"]
        pages = "–" if rescanned else f"{r['pages']:,}"
        pps = "–" if rescanned else f"{_rate(r['pages'], r['wall_s']):.1f}"
        equiv = "–" if rescanned else f"{_rate(r['pages'] + r['pageless_documents'], r['wall_s']):.1f}"
        worker = r["worker_peak_mb"] if r["workers"] > 1 else r["coordinator_peak_mb"]
        coordinator = _mb(r["coordinator_peak_mb"]) if r["workers"] > 1 else "(same process)"
        out.append(f"| {r['label']} | {files:,} | {r['wall_s']:.1f} | **{_rate(files, r['wall_s']):.1f}** | "
                   f"{startup:.1f} | {after:.1f} | {pages} | {pps} | {equiv} | {coordinator} | "
                   f"{_mb(worker)} |")
    out += [
        "",
        "- *wall*: the whole `piiscan scan` process, from start to exit: imports, model loading (the coordinator's "
        "and each worker's), the walk, the scan and the store writes.",
        "- *start-up* (first scans): process start to the first file stored in the store (`files.scanned_at`), "
        "i.e. loading the models and scanning the first file(s); *files/s after start-up*: files stored between "
        "the first and the last store write, divided by that time. For the rescans (nothing is stored), start-up "
        "is process start to the run's row in `scan_runs` (imports, models, rules version, store opened) and the "
        "rate after start-up is files seen / the run's own time (`scan_runs.started_at` to `finished_at`: walk "
        "and incremental decisions).",
        "- *pages*: the sum of `documents.pages` of the top-level documents (`member IS NULL`) stored by the run: "
        "pages of PDFs, 1 per image, sheets of spreadsheets. Text, e-mail, Word, CSV/JSON/HTML files and archives "
        "have no pages (0) and are not in it; *page-equivalents* counts each such pageless top-level document as "
        "1 page (pages + pageless documents).",
        "- *peak RSS*: the highest `VmHWM` (peak resident set) of the process, read every 0.2 s from `/proc` "
        "(psutil walks the process tree). With 1 worker, `piiscan` scans in its own process: that process is the "
        "worker. With 2 workers, *per worker* is the larger of the two worker processes; shared pages (libraries, "
        "copy-on-write) are counted in each. Tesseract runs in its own short-lived processes, not counted "
        "(largest seen below).", "",
    ]
    out += ["## Targets", "",
            "| target | measured | met |", "|---|---:|:---:|",
            f"| rescan of the unchanged {n_full:,}-file share ≥ 2,000 files/s | {rescan_rate:,.0f} files/s "
            f"(whole process); {_rate(rescan['files_seen'], rescan['run_s']):,.0f} files/s in the run itself | "
            f"{'yes' if rescan_rate >= 2000 else 'no'} |",
            f"| first scan, 2 workers ≥ 1.8 × 1 worker | {speedup:.2f} × (wall, {n_first:,} files); "
            f"{steady:.2f} × after start-up" + pairs_note + f" | {'yes' if speedup >= 1.8 else 'no'} |", ""]
    busy = [r for r in runs.values() if r.get("disturbed", disturbed(r))]
    if busy:
        out += ["**The machine was not idle**: other processes used " + ", ".join(
            f"{r['others_cpus']:.2f} CPUs during “{r['label']}”" for r in busy)
            + " (of 2), more than the CPUs the run left idle: those runs may be slower than on an idle machine.", ""]
    if not rescan_ok:
        out += [f"**Warning:** the rescan read {rescan['files_scanned']} files again ({rescan['files_unchanged']} "
                f"unchanged of {rescan['files_seen']}): the rules version changed between the runs (code under "
                "`scanner/` edited during the bench?) or files changed.", ""]
    out += ["## Where the time goes", "",
            "CPU seconds per process kind (user + system, from psutil; Tesseract processes are children of the "
            "worker that started them):", "",
            "| run | coordinator | workers | Tesseract (rest of the tree) | total | CPUs used (total / wall) "
            "| local PostgreSQL server | CPUs used by other processes meanwhile | CPUs stolen by the hypervisor |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for key, r in runs.items():
        total = r["tree_cpu_s"]
        rest = max(0.0, total - r["coordinator_cpu_s"] - r["worker_cpu_s"])
        server = "–" if r.get("server_cpu_s") is None else f"{r['server_cpu_s']:.0f}"
        out.append(f"| {r['label']} | {r['coordinator_cpu_s']:.0f} | {r['worker_cpu_s']:.0f} | "
                   f"{rest:.0f} | {total:.0f} | {total / r['wall_s']:.2f} | {server} | {r['others_cpus']:.2f} | "
                   + (f"{r['steal_cpus']:.2f} |" if r.get("steal_cpus") is not None else "– |"))
    out += ["", "Total: the CPU time of the `piiscan` process and every process it started (`getrusage` of the "
            "reaped children); coordinator and workers: sampled per process with psutil; Tesseract: the rest. "
            "Other processes: the machine's busy CPU time (`/proc/stat`) minus this bench's, over the run."]
    base = runs["first_1w"]
    out += ["", "Scan time per format in the 1-worker first scan (`documents.duration_ms` of the top-level "
            "documents: extraction, OCR and detection of the file and its members; not the store writes):", "",
            "| extension | files | pages | OCR pages | seconds | share of the time | ms per file |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    total = sum(v[3] for v in base["by_format"].values()) or 1
    for ext, (count, pages, ocr_pages, seconds) in sorted(base["by_format"].items(), key=lambda kv: -kv[1][3]):
        out.append(f"| {ext} | {count:,} | {pages:,} | {ocr_pages:,} | {seconds:.1f} | {100 * seconds / total:.0f} % "
                   f"| {1000 * seconds / count:.0f} |")
    out += ["", f"Sum: {total:.0f} s of the {base['wall_s']:.0f} s wall time; the rest is start-up, the walk, "
            "the store writes and the output.", ""]
    phases = result.get("rescan_phases")
    if phases:
        files = rescan["files_seen"]
        out += ["", "### A rescan, phase by phase", "",
                f"The rescan again (`--workers 1`, the store of the 2-worker scan, {files:,} files), in a fresh "
                "interpreter that wraps the functions below with timers (`tools/bench_batch.py`, `_PHASES`; the "
                "scanner is not changed). Nested phases are inside `cli.main`; the modules a rescan needs are "
                "imported (and timed) before `cli.main` runs; an import of the analyzer, if the scan makes one, is "
                "timed where it happens.", "",
                "| phase | seconds | calls | µs per file |", "|---|---:|---:|---:|",
                f"| whole process (interpreter start to exit) | {phases['wall_s']:.2f} | 1 | "
                f"{1e6 * phases['wall_s'] / files:.0f} |"]
        for label, (seconds, calls) in sorted(phases["phases"].items(), key=lambda kv: -kv[1][0]):
            out.append(f"| {label} | {seconds:.2f} | {calls or ''} | {1e6 * seconds / files:.0f} |")
        timed = sum(v[0] for k, v in phases["phases"].items()
                    if k.startswith(("import scanner.cli", "import the batch", "cli.main")))
        loaded = phases.get("loaded", {})
        out += ["", f"Interpreter start-up and shut-down (not wrapped): {phases['wall_s'] - timed:.2f} s. "
                + ("The rescan did not import spaCy or Presidio (nothing to scan, so no models)."
                   if loaded and not loaded.get("spacy") and not loaded.get("presidio_analyzer")
                   else "spaCy and Presidio were imported." if loaded else ""), ""]
    largest = max((r["tesseract_peak_mb"] or 0) for r in runs.values())
    out += ["## Memory", "",
            "| run | coordinator (MiB) | workers (MiB, each) | largest Tesseract (MiB) |", "|---|---:|---:|---:|"]
    for r in runs.values():
        workers = ", ".join(f"{v:.0f}" for v in r["worker_peaks_mb"]) or "–"
        out.append(f"| {r['label']} | {_mb(r['coordinator_peak_mb'])} | {workers} | {_mb(r['tesseract_peak_mb'])} |")
    out += ["", f"Largest Tesseract process seen: {largest:.0f} MiB.", "",
            "## Counts", "", "| run | seen | scanned | unchanged | documents | findings | errors | runs made |",
            "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in runs.values():
        out.append(f"| {r['label']} | {r['files_seen']:,} | {r['files_scanned']:,} | {r['files_unchanged']:,} | "
                   f"{r['documents']:,} | {r['findings']:,} | {r['errors']:,} | {r.get('attempts', 1)} |")
    out += ["", f"*Runs made*: a run during which other processes used more than {DISTURBED} CPUs, and more than "
            f"the CPUs the run left idle less {DISTURBED}, is made again (`--retries`, after waiting for the CPUs to "
            "be idle); the least disturbed one is reported above.", ""]
    out.append("")
    return "\n".join(out)


def store_label(db: str) -> str:
    """How a store is shown in the report: the SQLite file's name, or the PostgreSQL URL without credentials."""
    if db.startswith("postgresql"):
        from sqlalchemy.engine import make_url

        url = make_url(db)
        return f"postgresql://{url.host}:{url.port}/{url.database}"
    return Path(db).name


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000, help="files in the generated share (10000)")
    parser.add_argument("--first-scan-files", type=int, default=0, metavar="N",
                        help="first scans (1 and 2 workers) on the first N files only (default: the whole share)")
    parser.add_argument("--share", type=Path, help="scan this folder instead of generating one")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pairs", type=int, default=1, metavar="N",
                        help="first scans with 1 and 2 workers N times, alternating (1, 2, 2, 1, ...); the speed-up "
                             "is the median of the pairs (1)")
    parser.add_argument("--postgres", metavar="URL",
                        help="also on PostgreSQL: a server URL (a new database is created and dropped) or 'local' "
                             "(a throw-away cluster, needs the postgresql package)")
    parser.add_argument("--workdir", type=Path, help="where the temporary share and stores go (default $TMPDIR)")
    parser.add_argument("--keep", action="store_true", help="keep the share and the stores")
    parser.add_argument("--retries", type=int, default=2, metavar="N",
                        help=f"run a measurement again (up to N times, 2) when other processes used more than "
                             f"{DISTURBED} CPUs during it; the least disturbed run is reported")
    parser.add_argument("--wait-quiet", type=float, default=600, metavar="SECONDS",
                        help="before each run, wait up to this long for other processes to leave the CPUs idle "
                             "(600; 0: do not wait); the load during each run is reported either way")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--out", type=Path, help="write the Markdown report here")
    parser.add_argument("--from-json", type=Path, metavar="JSON", help="only write the report of a --json file")
    args = parser.parse_args(argv)
    if args.from_json:
        result = json.loads(args.from_json.read_text(encoding="utf-8"))
    else:
        result = bench(args)
    if args.json:
        for run in result["runs"].values():
            run.pop("db_url", None)   # may hold a password
        args.json.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    text = report(result)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
