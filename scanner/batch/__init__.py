"""Batch scans of file shares: walk, decide what needs scanning, scan in parallel, store.

The data flow of one run::

    walk (folder by folder)  ->  incremental decision  ->  executor  ->  store (a transaction per group of files)
                                  unchanged / moved / new / changed   (in process, process pool, Dask)

Incremental: a file whose size and modification time are those stored, with
the same rules version, is not read again; when only the time changed, its
content hash decides. A new path whose content is that of a stored file that
no longer exists is a move: its findings (and analysts' decisions) follow it
without a rescan. Stored files that are gone from disk are forgotten once the
walk is complete. A different rules version (code, models, options, key)
rescans everything.

Resumable: results are stored a group of files at a time (up to SAVE_GROUP
files or SAVE_EVERY_S seconds of results), each group in one transaction, so
a run killed at any moment (``kill -9``, power loss) leaves whole files only;
the next run skips those (they are unchanged) and scans the rest, including
the files of the group that was not committed. Ctrl-C stores the results
already received before stopping.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Deque, Dict, Iterator, List, Optional, Sequence, Set, Tuple

from scanner.batch.walk import Walker
from scanner.batch.work import VANISHED, Job
from scanner.spool import Spool
from scanner.store import TRANSIENT_ERRORS, FileScan, Known, Store

log = logging.getLogger(__name__)
SAVE_GROUP = 32      # files per store transaction: fewer commits, a small coordinator (measured: 1.6 -> 0.5 ms/file)
SAVE_EVERY_S = 1.0   # ... and never results older than this waiting for the store


@dataclass
class Counts:
    files_seen: int = 0
    files_scanned: int = 0
    files_unchanged: int = 0
    files_moved: int = 0
    files_deleted: int = 0
    documents: int = 0
    pages: int = 0
    findings: int = 0
    errors: int = 0
    by_type: Dict[str, int] = field(default_factory=dict)


class NoProgress:
    def walked(self, counts: Counts) -> None: ...
    def walk_done(self, counts: Counts) -> None: ...
    def scanned(self, counts: Counts) -> None: ...
    def close(self) -> None: ...


class BatchScan:
    """One run over ``roots``; iterate :meth:`records` to drive it."""

    def __init__(self, roots: List[str], executor, rules: str, store: Optional[Store] = None,
                 walker: Optional[Walker] = None, workers: int = 1, progress=None):
        self.roots = roots
        self.executor = executor
        self.rules = rules
        self.store = store
        self.walker = walker or Walker()
        self.workers = workers
        self.progress = progress or NoProgress()
        self.counts = Counts()
        self.run_id: Optional[int] = None
        self._aside: Deque[dict] = deque()   # walk errors, given out between results
        self._gone: Dict[int, Known] = {}
        self._moved: Set[int] = set()
        self._visited: Set[str] = set()
        self._walk_complete = False
        self._allowed: Set[Tuple[str, str]] = set()   # (entity type, fingerprint) dismissed in the review UI
        self._unsaved: List[FileScan] = []   # results not in the store yet: saved SAVE_GROUP at a time
        self._unsaved_since = 0.0
        self._stored_before = False          # a first scan into an empty store has no moved files to look for

    # ------------------------------------------------------------------ the run
    def records(self) -> Iterator[dict]:
        if self.store:
            self._allowed = self.store.allowlisted()
            self._stored_before = self.store.has_files()
            self.run_id = self.store.begin_run([os.path.abspath(r) for r in self.roots], self.rules, self.workers)
        status = "failed"
        try:
            for scan in self.executor.map(self._jobs()):
                yield from self._drain()
                yield from self._result(scan)
            yield from self._drain()
            self._save()
            if self._walk_complete and self.store:
                self._forget_gone()
            status = "completed"
        except (KeyboardInterrupt, GeneratorExit):
            status = "interrupted"
            raise
        finally:
            self.progress.close()
            if status == "interrupted":
                self._save_on_the_way_out()
            if self.store and self.run_id is not None:
                counts = {k: v for k, v in vars(self.counts).items() if k != "by_type"}
                try:
                    self.store.finish_run(self.run_id, status, counts)
                    if status == "completed":
                        self.store.prune_walk_errors(self.run_id)
                except Exception as exc:  # noqa: BLE001 - the run's own error is the one to report
                    log.error("could not record the end of the run in the store (%s)", type(exc).__name__)

    def _save(self) -> None:
        """The results waiting for the store, in one transaction."""
        if self._unsaved:
            self.store.save_files(self.run_id, self._unsaved, self.rules)
            self._unsaved = []

    def _save_on_the_way_out(self) -> None:
        """Interrupted: the complete results already received are kept (the next run skips them)."""
        try:
            self._save()
        except Exception as exc:  # noqa: BLE001 - not stored means scanned again next run: nothing is lost
            log.warning("could not store the last results before stopping (%s); the next run scans those "
                        "files again", type(exc).__name__)

    def _drain(self) -> Iterator[dict]:
        while self._aside:
            yield self._aside.popleft()

    def _result(self, scan: FileScan) -> Iterator[dict]:
        vanished = len(scan.records) == 1 and scan.records[0].get("error") == VANISHED
        if vanished:
            self._forget_vanished(scan.path)
            return
        if self._allowed:
            filtered = _without_allowed(scan.records, self._allowed)
            _discard(scan.records)
            scan.records = filtered
        # A file with many records (spilled to disk by the worker) is stored on its own, at once,
        # and its records are let go once given out: they are never all in memory.
        large = isinstance(scan.records, Spool) and scan.records.spilled
        if self.store and large:
            self._save()
            self.store.save_files(self.run_id, [scan], self.rules)
        elif self.store:
            if not self._unsaved:
                self._unsaved_since = time.monotonic()
            self._unsaved.append(scan)
            if len(self._unsaved) >= SAVE_GROUP or time.monotonic() - self._unsaved_since > SAVE_EVERY_S:
                self._save()
        counts = self.counts
        counts.files_scanned += 1
        try:
            for record in scan.records:
                kind = record["kind"]
                if kind == "finding":
                    counts.findings += 1
                    counts.by_type[record["entity_type"]] = counts.by_type.get(record["entity_type"], 0) + 1
                elif kind == "document":
                    counts.documents += 1
                    if not record.get("member"):
                        counts.pages += record["pages"]
                elif kind == "error":
                    counts.errors += 1
            self.progress.scanned(counts)
            yield from scan.records
        finally:
            if large or not self.store:
                _discard(scan.records)

    # ------------------------------------------------------------------ deciding what to scan
    def _jobs(self) -> Iterator[Job]:
        for root in self.roots:
            for folder in self.walker.folders(root):
                self._visited.add(folder.path)
                if folder.errors:
                    self.counts.errors += len(folder.errors)
                    self._aside.extend(folder.errors)
                    if self.store:
                        self.store.record_errors(self.run_id, folder.errors)
                known = self.store.known_in_folder(folder.path) if self.store else {}
                present = set()
                for job in folder.jobs:
                    present.add(job.path)
                    self.counts.files_seen += 1
                    if not self._needs_scan(job, known.get(job.path)):
                        continue
                    yield job
                self._note_gone(known, present)
                self.progress.walked(self.counts)
        self._walk_complete = True
        self.progress.walk_done(self.counts)

    def _needs_scan(self, job: Job, known: Optional[Known]) -> bool:
        if self.store is None:
            return True
        if known is None:
            return not (self._stored_before and self._moved_here(job))
        if known.rules_version != self.rules or (known.state == "error" and known.error_code in TRANSIENT_ERRORS):
            return True
        if known.size != job.size:
            return True
        if known.mtime_ns != job.mtime_ns:
            if not known.sha256 or _sha256(job.path) != known.sha256:
                return True
            self.store.touch_file(known.id, job.mtime_ns)
        self.counts.files_unchanged += 1
        return False

    def _moved_here(self, job: Job) -> bool:
        """A new path holding the content of a stored file that is gone: move its results."""
        candidates = [row for row in self.store.same_size(job.size)
                      if row.rules_version == self.rules and row.sha256 and not os.path.lexists(row.path)]
        if not candidates:
            return False
        digest = _sha256(job.path)
        moved = next((row for row in candidates if row.sha256 == digest), None)
        if moved is None:
            return False
        self.store.move_file(moved.id, job.path, os.path.abspath(job.root), os.path.dirname(job.path), job.mtime_ns)
        self._moved.add(moved.id)
        self.counts.files_moved += 1
        return True

    def _note_gone(self, known: Dict[str, Known], present: Set[str]) -> None:
        for path, row in known.items():
            if path not in present and not os.path.lexists(path):
                self._gone[row.id] = row

    def _forget_gone(self) -> None:
        """Once the walk is complete: stored files under the roots that no longer exist."""
        for root in self.roots:
            for folder in self.store.folders_within(os.path.abspath(root)):
                if folder not in self._visited:
                    self._note_gone(self.store.known_in_folder(folder), set())
        gone = [file_id for file_id in self._gone if file_id not in self._moved]
        if gone:
            self.counts.files_deleted += self.store.forget_files(gone)

    def _forget_vanished(self, path: str) -> None:
        if self.store:
            row = self.store.known_in_folder(os.path.dirname(path)).get(path)
            if row:
                self.counts.files_deleted += self.store.forget_files([row.id])


def _without_allowed(records: Sequence[dict], allowed: Set[Tuple[str, str]]) -> Spool:
    """The records without findings of values analysts dismissed as false positives (the allow-list);
    each document record's ``findings`` count is lowered by what was dropped from it (a document's
    findings come before its record, so one pass does it)."""
    dropped: Dict[Optional[str], int] = {}
    kept = Spool(folder=getattr(records, "folder", None))
    for record in records:
        member = record.get("member")
        if record["kind"] == "finding" and (record["entity_type"], record["fingerprint"]) in allowed:
            dropped[member] = dropped.get(member, 0) + 1
            continue
        if record["kind"] == "document" and dropped.get(member):
            record = {**record, "findings": max(record["findings"] - dropped.pop(member), 0)}
        kept.append(record)
    return kept


def _discard(records: Sequence[dict]) -> None:
    if isinstance(records, Spool):
        records.discard()


def _sha256(path: str) -> Optional[str]:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()

