"""What runs inside the service's worker processes: models loaded once, one job at a time.

Each job runs under ``scanner.pipeline.deadline`` (SIGALRM in the worker's main
thread), in a private temporary folder that is removed afterwards, and any
child process left behind by an interrupted job (a Tesseract run) is killed:
a hostile upload can neither hold a worker past the time limit nor leave a
page image or its OCR text on disk.

Results are plain dicts (they cross the process boundary):
``{"status": "ok", ...}`` or ``{"status": "error", "error": code, "message": words}``.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import tempfile
import time
from typing import Any, Optional

from scanner.errors import ScanError
from scanner.process import start_worker

log = logging.getLogger("piiscan.service.worker")


class _State:
    analyzer = None
    key: bytes = b""
    limits = None
    checker = None  # scanner.idcheck.IdChecker, when that package is there
    idcheck_problem: Optional[str] = None
    scratch: Optional[str] = None  # the service's folder for this pool's temporary files


def init_worker(limits, log_level: int, scratch: Optional[str] = None) -> None:
    """Pool initializer: load the analyzer, the fingerprint key and the ID checker once."""
    start_worker(log_level)
    _State.scratch = scratch
    if scratch:
        tempfile.tempdir = os.environ["TMPDIR"] = scratch
    from scanner.analyze.engine import Analyzer
    from scanner.config import fingerprint_key

    _State.limits = limits
    _State.key = fingerprint_key()
    _State.analyzer = Analyzer.load()
    _warm_up()
    try:
        from scanner.idcheck import IdChecker
    except ImportError:
        _State.idcheck_problem = "the ID check is not installed in this version"
    else:
        try:
            _State.checker = IdChecker(limits=limits)
        except Exception as exc:  # noqa: BLE001 - the scan and redact endpoints still work
            _State.idcheck_problem = f"the ID check could not load its models ({type(exc).__name__})"
            log.error("%s", _State.idcheck_problem)


def _warm_up() -> None:
    """One tiny scan, so that what loads on first use (language models, tables) is not billed to
    the first request's time limit."""
    from scanner.pipeline import Options, Scanner

    text = b"Rijksregisternummer 85.07.30-033.28, IBAN BE71 0961 2345 6769, Jan Peeters, Bruxelles."
    list(Scanner(_State.analyzer, _State.key, Options(limits=_State.limits)).scan_bytes(text, "warm-up.txt"))


def ping() -> dict:
    """Answered once the initializer has run: who answers, and what this worker can do."""
    time.sleep(0.1)  # long enough that every worker of a fresh pool takes one of the warm-up pings
    return {"pid": os.getpid(), "idcheck": _State.checker is not None,
            "entities": sorted(_State.analyzer.entities + ["FACE"]) if _State.analyzer else []}


# --- jobs --------------------------------------------------------------------------------
def run_job(job: str, data: bytes, name: str, params: dict) -> dict:
    """Run one job under the time limit, in a private temporary folder; never raises for a bad file."""
    from scanner.pipeline import FileTimeout, deadline

    seconds = float(params["time_limit_s"])
    folder = tempfile.mkdtemp(prefix="piiscan-job-", dir=_State.scratch)
    previous_tempdir, previous_env = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = os.environ["TMPDIR"] = folder
    started = time.monotonic()
    try:
        try:
            with deadline(seconds):
                result = _JOBS[job](data, name, params)
        except FileTimeout:
            result = _timeout(seconds)
        except ScanError as exc:
            result = _error(exc.code, exc.message)
        except MemoryError:
            result = _error("out_of_memory", "the document needs more memory than the service may use")
        if time.monotonic() - started >= seconds:
            result = _timeout(seconds)  # whatever the job said, it went past its time (a caught alarm)
        return result
    except Exception as exc:  # noqa: BLE001 - a bug must give a plain error, not a traceback with data
        log.error("internal error in a %s job (%s)", job, type(exc).__name__)
        return _error("internal_error", f"the service failed on this file ({type(exc).__name__}); please report it")
    finally:
        tempfile.tempdir = previous_tempdir
        if previous_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = previous_env
        _kill_children()
        shutil.rmtree(folder, ignore_errors=True)


def _timeout(seconds: float) -> dict:
    return _error("timeout", f"the file took more than {seconds:g} s to process; it was not processed")


def _error(code: str, message: str, **extra: Any) -> dict:
    return {"status": "error", "error": code, "message": message, **extra}


def _kill_children() -> None:
    """Kill what an interrupted job left running (Tesseract), and reap it."""
    me = os.getpid()
    children = []
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat.rsplit(b")", 1)[-1].split()
        if len(fields) > 1 and int(fields[1]) == me:
            children.append(int(entry))
    for pid in children:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            continue
    for pid in children:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


def _scanner(params: dict):
    from scanner.pipeline import Options, Scanner

    options = Options(entities=params.get("entities"), min_score=params.get("min_score"),
                      language=params.get("language") or "auto", limits=_State.limits,
                      file_timeout_s=0)  # the job's own deadline is the one that counts
    return Scanner(_State.analyzer, _State.key, options)


def job_scan(data: bytes, name: str, params: dict) -> dict:
    from scanner.pipeline import FileTimeout

    records = []
    for record in _scanner(params).scan_bytes(data, name):
        item = record.model_dump(exclude={"text"})
        if item["kind"] == "error" and item["error"] == FileTimeout.code:
            raise FileTimeout(item["message"])
        records.append(item)
    return {"status": "ok", "records": records}


def job_redact(data: bytes, name: str, params: dict) -> dict:
    from scanner.redact.document import redact_bytes

    output, summary = redact_bytes(_scanner(params), data, name, params.get("operator") or "replace")
    encoding = None
    if name.endswith((".txt", ".html")):
        from scanner.extract.text import decode

        try:
            encoding = decode(output)[1]
        except ScanError:
            pass
    return {"status": "ok", "data": output, "summary": summary, "encoding": encoding}


def job_id_check(data: bytes, name: str, params: dict) -> dict:
    from scanner.extract.dispatch import kind_of
    from scanner.pipeline import FileTimeout

    if kind_of(data, name) == "image":
        from scanner.extract.image import open_image

        open_image(data, _State.limits)  # a decompression bomb is refused before anything decodes it
    checker = _State.checker
    if checker is None:
        return _error("idcheck_unavailable", _State.idcheck_problem or "the ID check is not available")
    if not params.get("fix"):
        return {"status": "ok", "verdict": checker.check_bytes(data, name).to_dict()}
    try:
        masked, verdict = checker.fix_bytes(data, name)
    except FileTimeout:
        raise
    except ScanError as exc:
        try:
            found = checker.check_bytes(data, name).to_dict()
        except FileTimeout:
            raise
        except ScanError:
            found = None
        return _error(exc.code, exc.message, verdict=found)
    return {"status": "ok", "data": masked, "verdict": verdict.to_dict()}


_JOBS = {"scan": job_scan, "redact": job_redact, "id-check": job_id_check}
