"""The findings store's tables (SQLAlchemy Core). Migrations in ``migrations/`` create and change them.

What is stored, and what never is: a finding keeps its type, place, score,
masked text and keyed fingerprint; the raw value is never written here
(``--reveal`` only changes what is printed).

- ``scan_runs``: one row per ``piiscan scan --db`` run, with its counts.
- ``files``: one row per file found under a scanned root (absolute path), with
  the size, mtime and content hash that make rescans incremental, and the
  rules version it was scanned with.
- ``documents``: what a file held: itself, and each container member
  (e-mail attachment, archive entry), with its page count and language.
- ``findings``: one row per detection, pointing at its document and file.
- ``errors``: files (or members) that could not be scanned, and walk errors
  (``file_id`` empty) recorded by a run.
- ``id_checks``: the ID-copy check verdict of documents that look like
  identity-card copies.
- ``decisions``: analysts' decisions on findings (review UI).
"""

from __future__ import annotations

from sqlalchemy import (JSON, BigInteger, Boolean, Column, DateTime, Float, ForeignKey, Index, Integer, MetaData,
                        String, Table, Text)

metadata = MetaData()

scan_runs = Table(
    "scan_runs", metadata,
    Column("id", Integer, primary_key=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    # running | completed | interrupted | failed
    Column("status", String(16), nullable=False),
    Column("roots", JSON, nullable=False),
    Column("rules_version", String(64), nullable=False),
    Column("host", String(255)),
    Column("workers", Integer),
    Column("files_seen", Integer, nullable=False, default=0),
    Column("files_scanned", Integer, nullable=False, default=0),
    Column("files_unchanged", Integer, nullable=False, default=0),
    Column("files_moved", Integer, nullable=False, default=0),
    Column("files_deleted", Integer, nullable=False, default=0),
    Column("documents", Integer, nullable=False, default=0),
    Column("findings", Integer, nullable=False, default=0),
    Column("errors", Integer, nullable=False, default=0),
)

files = Table(
    "files", metadata,
    Column("id", Integer, primary_key=True),
    Column("path", Text, nullable=False, unique=True),
    Column("root", Text, nullable=False),
    Column("folder", Text, nullable=False, index=True),
    Column("size", BigInteger, nullable=False),
    Column("mtime_ns", BigInteger, nullable=False),
    Column("sha256", String(64), index=True),
    Column("rules_version", String(64), nullable=False),
    # ok | error (the file itself could not be scanned)
    Column("state", String(16), nullable=False),
    Column("error_code", String(64)),
    Column("scanned_at", DateTime(timezone=True), nullable=False),
    Column("run_id", Integer, ForeignKey("scan_runs.id", ondelete="SET NULL")),
    Index("ix_files_size", "size"),
)

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("file_id", Integer, ForeignKey("files.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("member", Text),
    Column("pages", Integer, nullable=False),
    Column("language", String(8)),
    Column("languages", JSON),
    Column("ocr", Boolean, nullable=False, default=False),
    Column("findings", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("duration_ms", Integer, nullable=False),
)

findings = Table(
    "findings", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("file_id", Integer, ForeignKey("files.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("page", Integer),
    Column("part", String(32)),
    Column("entity_type", String(32), nullable=False, index=True),
    Column("score", Float, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("bbox", JSON),
    Column("page_size", JSON),
    Column("source", String(16), nullable=False),
    Column("recognizer", String(64), nullable=False),
    Column("language", String(8)),
    Column("location", Text),  # structured documents: element, cell or key (0003)
    Column("text_masked", Text, nullable=False),
    Column("fingerprint", String(96), nullable=False, index=True),
)

errors = Table(
    "errors", metadata,
    Column("id", Integer, primary_key=True),
    Column("file_id", Integer, ForeignKey("files.id", ondelete="CASCADE"), index=True),
    Column("run_id", Integer, ForeignKey("scan_runs.id", ondelete="CASCADE"), index=True),
    Column("path", Text, nullable=False),
    Column("member", Text),
    Column("code", String(64), nullable=False),
    Column("message", Text, nullable=False),
)

id_checks = Table(
    "id_checks", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("file_id", Integer, ForeignKey("files.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("compliant", Boolean, nullable=False),
    Column("document_type", String(32)),
    Column("side", String(16)),
    Column("checks", JSON, nullable=False),
    Column("reasons", JSON, nullable=False),
)

decisions = Table(
    "decisions", metadata,
    Column("id", Integer, primary_key=True),
    # Decisions outlive rescans: they name the finding by file, fingerprint and type, not by row id.
    Column("path", Text, nullable=False, index=True),
    Column("member", Text),
    Column("entity_type", String(32), nullable=False),
    Column("fingerprint", String(96), nullable=False, index=True),
    # confirmed | false_positive | needs_redaction
    Column("decision", String(32), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("reason", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# --- the review UI (migration 0002) ------------------------------------------------------------
users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(128), nullable=False, unique=True),
    # analyst | admin | auditor
    Column("role", String(16), nullable=False),
    Column("password_hash", Text, nullable=False),   # argon2id
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
)

sessions = Table(
    "sessions", metadata,
    Column("id", Integer, primary_key=True),
    # SHA-256 of the cookie's token: a copy of the database does not give live sessions.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("actor", String(128), nullable=False, index=True),
    # login | login_failed | logout | view_document | view_page | reveal | decide | approve_redaction | dsar | ...
    Column("action", String(32), nullable=False),
    Column("target", Text),            # a document path, a finding id: never a value
    Column("reason", Text),            # typed by the user (reveal)
    Column("client", String(64)),      # the client's address
)

allowlist = Table(
    "allowlist", metadata,
    Column("id", Integer, primary_key=True),
    Column("entity_type", String(32), nullable=False),
    Column("fingerprint", String(96), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ux_allowlist_value", "entity_type", "fingerprint", unique=True),
)
