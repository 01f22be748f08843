"""The findings store: SQLite by default (one file, WAL), PostgreSQL for teams.

``Store.open(url)`` creates the database or brings its schema up to date
(Alembic migrations in ``migrations/``), then the batch scanner writes one
file's results in one transaction (:meth:`Store.save_file`): a run killed at
any moment leaves every file either fully stored or not at all, so a rerun
continues where it stopped and never doubles a finding.

URLs: ``sqlite:///relative.db``, ``sqlite:////abs/path.db``, a plain file path
(taken as SQLite), or ``postgresql://user:pass@host/db`` (psycopg 3).

>>> store = Store.open("sqlite://")          # in memory
>>> store.counts()
{'documents': 0, 'findings': 0, 'errors': 0}
"""

from __future__ import annotations

import datetime as dt
import logging
import socket
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from scanner.errors import RunFailed
from scanner.process import interrupts_deferred
from scanner.store.schema import (allowlist, decisions, documents, errors, files, findings, id_checks, metadata,
                                  scan_runs)

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Errors worth another try on the next run even if the file did not change.
TRANSIENT_ERRORS = frozenset({"read_failed", "internal_error", "worker_crashed", "out_of_memory"})

__all__ = ["Store", "head_revision", "Known", "FileScan", "normalise_url", "metadata", "files", "documents", "findings",
           "errors", "id_checks", "decisions", "scan_runs", "TRANSIENT_ERRORS"]


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def normalise_url(url: str) -> str:
    """SQLAlchemy URL for what the user typed: a path means SQLite, postgresql:// means psycopg 3."""
    if "://" not in url:
        return "sqlite:///" + str(Path(url).expanduser().resolve())
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only for display
        return "<database>"


@dataclass
class Known:
    """What the store knows of a file, for the incremental decision."""

    id: int
    path: str
    size: int
    mtime_ns: int
    sha256: Optional[str]
    rules_version: str
    state: str
    error_code: Optional[str]


@dataclass
class FileScan:
    """One file's results, as the batch workers return them (plain data: it crosses processes)."""

    path: str              # absolute path: the file's identity in the store
    root: str
    size: int
    mtime_ns: int
    sha256: Optional[str]
    # finding / document / error records in the order the pipeline gave them: a list, or a Spool
    # (scanner/spool.py) when there are many
    records: Sequence[dict]
    id_checks: Dict[str, dict] = field(default_factory=dict)  # member ("" for the file) -> verdict


class Store:
    def __init__(self, engine: Engine):
        self.engine = engine

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, url: str, migrate: bool = True) -> "Store":
        full = normalise_url(url)
        kwargs: dict = {}
        if full.startswith("sqlite"):
            kwargs["connect_args"] = {"timeout": 60}
            if full in ("sqlite://", "sqlite:///:memory:"):
                kwargs["poolclass"] = sa.pool.StaticPool
        else:
            kwargs["pool_pre_ping"] = True
        try:
            engine = sa.create_engine(full, **kwargs)
        except (sa.exc.ArgumentError, ImportError) as exc:
            raise RunFailed(f"cannot use the database URL {safe_url(full)}: {exc}") from exc
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine)
        try:
            if migrate:
                store.upgrade()
            else:
                with engine.connect():
                    pass
        except sa.exc.OperationalError as exc:
            raise RunFailed(f"cannot open the findings store {safe_url(full)}: {exc.orig}") from exc
        return store

    def upgrade(self, revision: str = "head") -> None:
        """Create the tables or migrate them to this version's schema (or to ``revision``)."""
        from alembic import command

        config = _alembic_config()
        with self.transaction() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction; Ctrl-C waits until it is committed or rolled back."""
        with interrupts_deferred(), self.engine.begin() as conn:
            yield conn

    def schema_version(self) -> Optional[str]:
        with self.engine.connect() as conn:
            return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ runs
    def begin_run(self, roots: List[str], rules_version: str, workers: int) -> int:
        with self.transaction() as conn:
            return conn.execute(scan_runs.insert().values(
                started_at=now(), status="running", roots=roots, rules_version=rules_version,
                host=socket.gethostname(), workers=workers, files_seen=0, files_scanned=0, files_unchanged=0,
                files_moved=0, files_deleted=0, documents=0, findings=0, errors=0)).inserted_primary_key[0]

    def finish_run(self, run_id: int, status: str, counts: Dict[str, int]) -> None:
        columns = {c.name for c in scan_runs.columns}
        values = {k: v for k, v in counts.items() if k in columns}
        with self.transaction() as conn:
            conn.execute(scan_runs.update().where(scan_runs.c.id == run_id)
                         .values(status=status, finished_at=now(), **values))

    # ------------------------------------------------------------------ incremental state
    def known_in_folder(self, folder: str) -> Dict[str, Known]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(*_KNOWN).where(files.c.folder == folder)).all()
        return {row.path: Known(*row) for row in rows}

    def folders_within(self, root: str) -> List[str]:
        """Folders of stored files at or under ``root`` (an absolute path)."""
        base = root.rstrip("/") or "/"
        prefix = base if base.endswith("/") else base + "/"
        pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        with self.engine.connect() as conn:
            query = sa.select(files.c.folder).where(
                sa.or_(files.c.folder == base, files.c.folder.like(pattern, escape="\\"))).distinct()
            # SQLite's LIKE ignores case: paths are compared exactly here, as on PostgreSQL.
            return [folder for folder in conn.execute(query).scalars() if folder == base or folder.startswith(prefix)]

    def has_files(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(files.c.id).limit(1)).first() is not None

    def same_size(self, size: int) -> List[Known]:
        """Stored files of this size: the candidates when a new path may be a moved file."""
        with self.engine.connect() as conn:
            return [Known(*row) for row in conn.execute(sa.select(*_KNOWN).where(files.c.size == size))]

    def move_file(self, file_id: int, path: str, root: str, folder: str, mtime_ns: int) -> None:
        """The same content under a new path: findings, documents and decisions follow it."""
        with self.transaction() as conn:
            old = conn.execute(sa.select(files.c.path).where(files.c.id == file_id)).scalar_one()
            conn.execute(files.update().where(files.c.id == file_id)
                         .values(path=path, root=root, folder=folder, mtime_ns=mtime_ns))
            conn.execute(errors.update().where(errors.c.file_id == file_id).values(path=path))
            conn.execute(decisions.update().where(decisions.c.path == old).values(path=path))

    def touch_file(self, file_id: int, mtime_ns: int) -> None:
        """Same content, new modification time (the hash confirmed it): remember the new time."""
        with self.transaction() as conn:
            conn.execute(files.update().where(files.c.id == file_id).values(mtime_ns=mtime_ns))

    def forget_files(self, file_ids: Iterable[int]) -> int:
        """Files that are gone: their documents, findings and errors go with them."""
        ids = list(file_ids)
        with self.transaction() as conn:
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                for table in (id_checks, findings, errors):
                    conn.execute(table.delete().where(table.c.file_id.in_(chunk)))
                conn.execute(documents.delete().where(documents.c.file_id.in_(chunk)))
                conn.execute(files.delete().where(files.c.id.in_(chunk)))
        return len(ids)

    # ------------------------------------------------------------------ results
    def save_file(self, run_id: int, scan: FileScan, rules_version: str) -> None:
        """Replace everything stored about ``scan.path`` with this scan's results, in one transaction."""
        self.save_files(run_id, [scan], rules_version)

    def save_files(self, run_id: int, scans: Sequence[FileScan], rules_version: str) -> None:
        """Several files' results in one transaction (the batch scanner groups them: fewer commits).

        All or nothing: a run killed in the middle stores every file of the group or none of them,
        and the files not stored are scanned again by the next run.
        """
        if not scans:
            return
        with self.transaction() as conn:
            paths = [scan.path for scan in scans]
            existing = dict(conn.execute(sa.select(files.c.path, files.c.id).where(files.c.path.in_(paths))).all())
            if existing:
                old = list(existing.values())
                for table in (id_checks, findings, errors, documents):
                    conn.execute(table.delete().where(table.c.file_id.in_(old)))
            new = [scan for scan in scans if scan.path not in existing]
            updated = set(existing)
            if new:
                ids = conn.execute(files.insert().returning(files.c.id, sort_by_parameter_order=True),
                                   [dict(path=scan.path, **_file_row(run_id, scan, rules_version)) for scan in new])
                existing.update(zip((scan.path for scan in new), ids.scalars().all()))
            records = _Rows(run_id, conn)
            for scan in scans:
                file_id = existing[scan.path]
                if scan.path in updated:
                    conn.execute(files.update().where(files.c.id == file_id)
                                 .values(**_file_row(run_id, scan, rules_version)))
                records.add(file_id, scan)
            records.flush()

    def record_errors(self, run_id: int, records: Iterable[dict]) -> None:
        """Errors that belong to no file (a missing root, an unreadable folder)."""
        rows = [dict(run_id=run_id, file_id=None, path=r["file"], member=r.get("member"), code=r["error"],
                     message=r["message"]) for r in records]
        if rows:
            with self.transaction() as conn:
                conn.execute(errors.insert(), rows)

    def prune_walk_errors(self, run_id: int) -> None:
        """After a completed run, walk errors of earlier runs are history: only this run's stay."""
        with self.transaction() as conn:
            conn.execute(errors.delete().where(errors.c.file_id.is_(None), errors.c.run_id != run_id))

    # ------------------------------------------------------------------ analysts' decisions
    def allowlisted(self) -> Set[Tuple[str, str]]:
        """(entity type, fingerprint) of the values analysts dismissed as false positives (review UI):
        later scans drop findings of these values."""
        with self.engine.connect() as conn:
            return {(t, f) for t, f in conn.execute(sa.select(allowlist.c.entity_type, allowlist.c.fingerprint))}

    # ------------------------------------------------------------------ totals
    def counts(self) -> Dict[str, int]:
        with self.engine.connect() as conn:
            return {name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                    for name, table in (("documents", documents), ("findings", findings), ("errors", errors))}


CHUNK = 5000  # rows per INSERT statement (memory stays bounded for a file with millions of findings)
_KNOWN = (files.c.id, files.c.path, files.c.size, files.c.mtime_ns, files.c.sha256, files.c.rules_version,
          files.c.state, files.c.error_code)
_FINDING_COLUMNS = ("page", "part", "entity_type", "score", "start", "end", "bbox", "page_size", "source",
                    "recognizer", "language", "location", "text_masked", "fingerprint")


def _file_row(run_id: int, scan: FileScan, rules_version: str) -> dict:
    whole_error, has_document = None, False
    for record in scan.records:   # one pass: a large result is read back from disk
        if record["kind"] == "document":
            has_document = True
            break
        if whole_error is None and record["kind"] == "error" and not record.get("member"):
            whole_error = record
    failed = whole_error is not None and not has_document
    return dict(root=scan.root, folder=str(Path(scan.path).parent), size=scan.size, mtime_ns=scan.mtime_ns,
                sha256=scan.sha256, rules_version=rules_version, scanned_at=now(), run_id=run_id,
                state="error" if failed else "ok", error_code=whole_error["error"] if failed else None)


class _Rows:
    """The documents, findings, ID-check verdicts and errors of a group of files, inserted with one
    statement per table (documents with RETURNING, so their findings know their ids), ``CHUNK`` rows at
    a time: a file with a million findings is written in pieces, in the same transaction.

    A document's findings come before it in the record stream. When more than ``CHUNK`` of them wait for
    their document, its row is inserted early (completed when its record arrives) so they can be written.
    """

    def __init__(self, run_id: int, conn: Connection):
        self.run_id, self.conn = run_id, conn
        self.documents: List[dict] = []
        self.findings: List[Tuple[int, dict]] = []   # (index of their document, row)
        self.verdicts: List[Tuple[int, dict]] = []
        self.errors: List[dict] = []
        self.early: Dict[Tuple[int, Optional[str]], int] = {}   # (file id, member) -> id of a row inserted early

    def add(self, file_id: int, scan: FileScan) -> None:
        pending: Dict[Optional[str], List[dict]] = {}
        for record in scan.records:
            kind = record["kind"]
            if kind == "finding":
                waiting = pending.setdefault(record.get("member"), [])
                waiting.append(_finding_row(file_id, record))
                if len(waiting) >= CHUNK:
                    document_id = self._early_document(file_id, record.get("member"))
                    self.conn.execute(findings.insert(), [dict(row, document_id=document_id) for row in waiting])
                    waiting.clear()
            elif kind == "error":
                self.errors.append(dict(file_id=file_id, run_id=self.run_id, path=scan.path,
                                        member=record.get("member"), code=record["error"], message=record["message"]))
            elif kind == "document":
                self._document(file_id, scan, record, pending.pop(record.get("member"), []))
            if len(self.findings) + len(self.documents) + len(self.errors) >= CHUNK:
                self.flush()

    def _document(self, file_id: int, scan: FileScan, record: dict, waiting: List[dict]) -> None:
        member = record.get("member")
        row = dict(file_id=file_id, member=member, pages=record["pages"], language=record.get("language"),
                   languages=record.get("languages") or [], ocr=bool(record.get("ocr")),
                   findings=record["findings"], sha256=record["sha256"], duration_ms=record["duration_ms"])
        verdict = scan.id_checks.get(member or "")
        verdict_row = verdict and dict(
            file_id=file_id, compliant=bool(verdict["compliant"]), document_type=verdict.get("document_type"),
            side=verdict.get("side"), checks=verdict.get("checks", []), reasons=verdict.get("reasons", []))
        early = self.early.pop((file_id, member), None)
        if early is None:
            index = len(self.documents)
            self.documents.append(row)
            self.findings += [(index, finding) for finding in waiting]
            if verdict_row:
                self.verdicts.append((index, verdict_row))
            return
        self.conn.execute(documents.update().where(documents.c.id == early).values(**row))
        if waiting:
            self.conn.execute(findings.insert(), [dict(finding, document_id=early) for finding in waiting])
        if verdict_row:
            self.conn.execute(id_checks.insert(), [dict(verdict_row, document_id=early)])

    def _early_document(self, file_id: int, member: Optional[str]) -> int:
        key = (file_id, member)
        if key not in self.early:
            self.early[key] = self.conn.execute(documents.insert().returning(documents.c.id), dict(
                file_id=file_id, member=member, pages=0, languages=[], ocr=False, findings=0, sha256="",
                duration_ms=0)).scalar_one()
        return self.early[key]

    def flush(self) -> None:
        conn = self.conn
        if self.documents:
            ids = conn.execute(documents.insert().returning(documents.c.id, sort_by_parameter_order=True),
                               self.documents).scalars().all()
            if self.findings:
                conn.execute(findings.insert(), [dict(row, document_id=ids[i]) for i, row in self.findings])
            if self.verdicts:
                conn.execute(id_checks.insert(), [dict(row, document_id=ids[i]) for i, row in self.verdicts])
        if self.errors:
            conn.execute(errors.insert(), self.errors)
        self.documents, self.findings, self.verdicts, self.errors = [], [], [], []


def _finding_row(file_id: int, record: dict) -> dict:
    return dict(file_id=file_id, **{c: record.get(c) for c in _FINDING_COLUMNS})


def _alembic_config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The schema version this code writes (the last migration)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")      # readers (report, review UI) do not block the scan
    cursor.execute("PRAGMA synchronous=NORMAL")    # safe in WAL: a crash loses at most the last commits, never corrupts
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
