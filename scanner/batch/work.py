"""The worker's side of a batch scan: one file in, its results out (a :class:`FileScan`).

Workers load the scanner (and the ID-copy checker) once and keep them: in a
local process pool (:mod:`scanner.batch.pool`) and on Dask workers
(:mod:`scanner.batch.cluster`) alike. Results are plain data, so they cross
process and machine boundaries.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from typing import Optional

from scanner.errors import ScanError
from scanner.pipeline import FileTimeout, Options, Scanner, deadline
from scanner.store import FileScan

log = logging.getLogger(__name__)
# A document with one of these findings may be an identity-card copy: the ID-copy check runs on it.
ID_HINTS = frozenset({"FACE", "MRZ", "BE_ID_CARD_NUMBER"})
ID_FORMATS = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp", ".gif", ".pdf")
ID_MAX_PAGES = 4
VANISHED = "vanished"  # the file was there when the share was walked, and gone when it was read


@dataclass(frozen=True)
class Job:
    path: str       # absolute path: the file's identity in the store
    display: str    # the path as found, for records
    root: str
    size: int
    mtime_ns: int


class Worker:
    def __init__(self, scanner: Scanner, id_check: bool = True):
        self.scanner = scanner
        self.id_check = id_check
        self._checker = None

    @classmethod
    def load(cls, options: Options, key: bytes, id_check: bool = True) -> "Worker":
        from scanner.analyze.engine import Analyzer

        return cls(Scanner(Analyzer.load(), key, options), id_check)

    @property
    def checker(self):
        if self._checker is None:
            from scanner.idcheck import IdChecker

            self._checker = IdChecker()
        return self._checker

    def scan(self, job: Job) -> FileScan:
        limits = self.scanner.options.limits
        try:
            with open(job.path, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if size > limits.max_bytes:
                    return _failed(job, "file_too_large", f"the file is {size // (1024 * 1024)} MiB, over the "
                                   f"{limits.max_bytes // (1024 * 1024)} MiB limit")
                data = handle.read()
        except FileNotFoundError:
            return _failed(job, VANISHED, "the file disappeared while the share was being scanned")
        except OSError as exc:
            return _failed(job, "read_failed", f"cannot read the file: {exc.strerror or exc}")
        records = self.scanner.scan_data(data, job.display, dump=True)
        scan = FileScan(path=job.path, root=job.root, size=len(data), mtime_ns=job.mtime_ns,
                        sha256=hashlib.sha256(data).hexdigest(), records=records)
        verdict = self._check_id(data, job, records)
        if verdict:
            scan.id_checks[""] = verdict
        return scan

    def _check_id(self, data: bytes, job: Job, records: list) -> Optional[dict]:
        """The ID-copy verdict when the file looks like an identity-card copy, else None."""
        if not self.id_check or not job.path.lower().endswith(ID_FORMATS):
            return None
        document = next((r for r in records if r["kind"] == "document" and not r.get("member")), None)
        if document is None or document["pages"] > ID_MAX_PAGES:
            return None
        if not any(r["kind"] == "finding" and not r.get("member") and r["entity_type"] in ID_HINTS for r in records):
            return None
        try:
            with deadline(self.scanner.options.file_timeout_s):
                verdict = self.checker.check_bytes(data, job.display).to_dict()
        except (FileTimeout, ScanError, MemoryError):
            return None
        return verdict if verdict.get("document_type") else None


def _failed(job: Job, code: str, message: str) -> FileScan:
    record = {"kind": "error", "file": job.display, "member": None, "error": code, "message": message}
    return FileScan(path=job.path, root=job.root, size=job.size, mtime_ns=job.mtime_ns, sha256=None,
                    records=[record])
