"""Read-only questions to the findings store: what it holds, where the risk sits, whose data is where.

Everything here reads the store's *current* state (a file rescanned or resumed
counts once: :meth:`Store.save_file` replaces what was stored about it) with
SQLAlchemy Core expressions, so the same code runs on SQLite and PostgreSQL.
Nothing here writes, and nothing returns a raw value: the store holds none,
only masked text and keyed fingerprints (:mod:`scanner.privacy`).

Data-subject look-ups (:func:`dsar`) go through fingerprints: the value the
analyst types is fingerprinted with the store's key and compared with the
stored fingerprints, never stored, printed or logged.

>>> store = Store.open("sqlite://")
>>> with reader(store) as conn:
...     totals(conn)["documents"], by_type(conn), dsar(conn, {"IBAN_CODE": {"hmac-sha256:00"}})
(0, {}, [])
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import os
import re
import sqlite3
import urllib.parse
from itertools import permutations
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Set, Tuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scanner.errors import RunFailed, UsageError
from scanner.privacy import fingerprint, normalise
from scanner.store import Store, normalise_url, safe_url
from scanner.store.schema import documents, errors, files, findings, id_checks, scan_runs

__all__ = ["HIGH_RISK", "CLASS_GROUPS", "SELECTORS", "open_existing", "reader", "totals", "by_type", "folders",
           "by_folder", "by_top_folder", "top_documents", "unmasked_id_copies", "error_list", "runs",
           "document_rows", "name_variants", "selector_fingerprints", "dsar", "parse_age", "cutoff",
           "class_extensions", "retention", "iso"]

# Identifiers whose leak does the most harm (identity theft, fraud, account take-over): the report ranks
# folders and documents by how many of these they hold.
HIGH_RISK = frozenset({"BE_NATIONAL_NUMBER", "BE_ID_CARD_NUMBER", "IBAN_CODE", "CREDIT_CARD", "PASSWORD",
                       "MRZ", "FACE"})

# `--class` takes extensions (pdf, docx) or these group names.
CLASS_GROUPS: Dict[str, Tuple[str, ...]] = {
    "pdf": ("pdf",),
    "office": ("doc", "docx", "docm", "xls", "xlsx", "xlsm", "ppt", "pptx", "odt", "ods", "odp", "rtf"),
    "word": ("doc", "docx", "docm", "odt", "rtf"),
    "spreadsheet": ("xls", "xlsx", "xlsm", "ods", "csv"),
    "mail": ("eml", "msg"),
    "image": ("jpg", "jpeg", "png", "tif", "tiff", "bmp", "gif", "webp", "heic"),
    "text": ("txt", "csv", "json", "md", "html", "htm", "xml", "log"),
    "archive": ("zip", "7z", "tar", "gz", "tgz"),
}

# DSAR selectors: option name -> the entity type its value is fingerprinted as.
SELECTORS: Dict[str, str] = {
    "national_number": "BE_NATIONAL_NUMBER",
    "iban": "IBAN_CODE",
    "email": "EMAIL_ADDRESS",
    "phone": "PHONE_NUMBER",
    "name": "PERSON",
}

# Courtesy titles a detected name may start with ("M. François MASSON"), already folded as
# scanner.privacy folds a PERSON value (case, accents and punctuation gone).
TITLES = ("m", "mr", "mme", "mlle", "mrs", "ms", "miss", "mx", "monsieur", "madame", "mademoiselle", "me",
          "maitre", "dr", "prof", "dhr", "de heer", "heer", "mevr", "mevrouw", "mw", "meneer", "mej", "juffrouw",
          "herr", "frau", "hr", "fr", "sir", "madam")
_TITLE_WORDS = frozenset(TITLES)
# Above this many words, only rotations and the reversal of the name are tried (not every order).
_MAX_PERMUTED_WORDS = 5
_CHUNK = 500  # values per IN (...): far below SQLite's and PostgreSQL's limits on bound parameters
_STORE_TABLES = frozenset({"scan_runs", "files", "documents", "findings", "errors", "id_checks"})


# ---------------------------------------------------------------------------------------------- opening
def open_existing(url: str) -> Store:
    """Open an existing findings store for reading; never creates or migrates one.

    A database that does not exist, is not a database, or holds no piiscan tables
    raises :class:`RunFailed` (exit code 3) with a message that names it (without its password).

    >>> open_existing("/nonexistent/findings.db")
    Traceback (most recent call last):
    ...
    scanner.errors.RunFailed: no findings store at /nonexistent/findings.db (the file does not exist); \
create one with `piiscan scan --db URL`
    """
    full = normalise_url(url)
    shown = safe_url(full)
    if full.startswith("sqlite"):
        try:
            database = sa.engine.make_url(full).database
        except sa.exc.ArgumentError as exc:
            raise RunFailed(f"cannot use the database URL {shown}: {exc}") from exc
        if not database or database == ":memory:":
            raise RunFailed("an in-memory database holds no findings: give the store's file (sqlite:///path)")
        path = Path(database)
        if not path.is_file():
            raise RunFailed(f"no findings store at {path} (the file does not exist); "
                            "create one with `piiscan scan --db URL`")
        _check_sqlite_file(path)
    store = Store.open(url, migrate=False)
    try:
        names = set(sa.inspect(store.engine).get_table_names())
    except sa.exc.DBAPIError as exc:
        store.close()
        raise RunFailed(f"cannot read the findings store {shown}: {exc.orig}") from exc
    missing = _STORE_TABLES - names
    if missing:
        store.close()
        raise RunFailed(f"{shown} is not a piiscan findings store (no {', '.join(sorted(missing))} table); "
                        "create one with `piiscan scan --db URL`")
    return store


def _check_sqlite_file(path: Path) -> None:
    """Look at a SQLite file read-only first: a file that is no store is never touched (no WAL switch)."""
    uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc) or "malformed" in str(exc):
            raise RunFailed(f"{path} is not a piiscan findings store (not a SQLite database)") from exc
        return  # e.g. a read-only folder beside a WAL database: let the store's own connection decide
    missing = _STORE_TABLES - names
    if missing:
        raise RunFailed(f"{path} is not a piiscan findings store (no {', '.join(sorted(missing))} table); "
                        "create one with `piiscan scan --db URL`")


@contextlib.contextmanager
def reader(store: Store) -> Iterator[Connection]:
    """A connection for a set of queries; on PostgreSQL one read-only snapshot (REPEATABLE READ)."""
    with store.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            yield conn


# ---------------------------------------------------------------------------------------------- helpers
def iso(value) -> Optional[str]:
    """A stored time as ISO 8601 in UTC (SQLite gives naive datetimes, which are UTC here)."""
    if value is None:
        return None
    if isinstance(value, (int, float)):  # mtime_ns
        value = dt.datetime.fromtimestamp(value / 1e9, dt.timezone.utc)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _count(conn: Connection, table: sa.Table, *where) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(table).where(*where)).scalar_one()


def _high_risk_sum():
    return sa.func.sum(sa.case((findings.c.entity_type.in_(sorted(HIGH_RISK)), 1), else_=0))


def _chunks(values: Sequence, size: int = _CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _sorted_types(counts: Mapping[str, int]) -> Dict[str, int]:
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _details(conn: Connection, doc_ids: Sequence[int]) -> Dict[int, dict]:
    """File, member, pages and file time of these documents."""
    out: Dict[int, dict] = {}
    for chunk in _chunks(list(doc_ids)):
        rows = conn.execute(
            sa.select(documents.c.id, files.c.path, documents.c.member, documents.c.pages, documents.c.language,
                      documents.c.ocr, documents.c.findings, files.c.mtime_ns, files.c.folder)
            .select_from(documents.join(files, documents.c.file_id == files.c.id))
            .where(documents.c.id.in_(chunk)))
        for row in rows:
            out[row.id] = row._asdict()
    return out


def _types_of(conn: Connection, doc_ids: Sequence[int], where=()) -> Dict[int, Dict[str, int]]:
    """Findings per entity type of each of these documents (optionally only those matching ``where``)."""
    out: Dict[int, Dict[str, int]] = {}
    for chunk in _chunks(list(doc_ids)):
        rows = conn.execute(
            sa.select(findings.c.document_id, findings.c.entity_type, sa.func.count().label("n"))
            .where(findings.c.document_id.in_(chunk), *where)
            .group_by(findings.c.document_id, findings.c.entity_type))
        for doc_id, entity_type, n in rows:
            out.setdefault(doc_id, {})[entity_type] = n
    return {doc_id: _sorted_types(types) for doc_id, types in out.items()}


# ---------------------------------------------------------------------------------------------- the report
def totals(conn: Connection) -> Dict[str, int]:
    """Counts over the current state: the ``documents``, ``findings``, ``errors`` of interface.md, and more."""
    return {
        "files": _count(conn, files),
        "documents": _count(conn, documents),
        "findings": _count(conn, findings),
        "errors": len(_current_errors(conn)),
        "high_risk": _count(conn, findings, findings.c.entity_type.in_(sorted(HIGH_RISK))),
        "files_with_findings": conn.execute(sa.select(sa.func.count(sa.distinct(findings.c.file_id)))).scalar_one(),
        "documents_with_findings":
            conn.execute(sa.select(sa.func.count(sa.distinct(findings.c.document_id)))).scalar_one(),
        "files_failed": _count(conn, files, files.c.state == "error"),
        "unmasked_id_copies": _count(conn, id_checks, id_checks.c.compliant == sa.false()),
    }


def by_type(conn: Connection) -> Dict[str, int]:
    """Entity type -> number of findings, most frequent first."""
    rows = conn.execute(sa.select(findings.c.entity_type, sa.func.count()).group_by(findings.c.entity_type))
    return _sorted_types(dict(rows.all()))


def folders(conn: Connection) -> List[dict]:
    """One entry per (root, folder) holding files: files, documents, findings, high-risk findings, by type."""
    table: Dict[Tuple[str, str], dict] = {}

    def entry(root: str, folder: str) -> dict:
        return table.setdefault((root, folder), {"root": root, "folder": folder, "files": 0, "documents": 0,
                                                 "findings": 0, "high_risk": 0, "by_type": {}})

    for root, folder, n in conn.execute(
            sa.select(files.c.root, files.c.folder, sa.func.count()).group_by(files.c.root, files.c.folder)):
        entry(root, folder)["files"] = n
    for root, folder, n in conn.execute(
            sa.select(files.c.root, files.c.folder, sa.func.count(documents.c.id))
            .select_from(documents.join(files, documents.c.file_id == files.c.id))
            .group_by(files.c.root, files.c.folder)):
        entry(root, folder)["documents"] = n
    for root, folder, entity_type, n in conn.execute(
            sa.select(files.c.root, files.c.folder, findings.c.entity_type, sa.func.count())
            .select_from(findings.join(files, findings.c.file_id == files.c.id))
            .group_by(files.c.root, files.c.folder, findings.c.entity_type)):
        item = entry(root, folder)
        item["by_type"][entity_type] = n
        item["findings"] += n
        item["high_risk"] += n if entity_type in HIGH_RISK else 0
    for item in table.values():
        item["by_type"] = _sorted_types(item["by_type"])
    return list(table.values())


def _ranked(items: Iterable[dict]) -> List[dict]:
    return sorted(items, key=lambda i: (-i["high_risk"], -i["findings"], -i["documents"], i["folder"]))


def _merge(target: dict, item: dict) -> None:
    for key in ("files", "documents", "findings", "high_risk"):
        target[key] += item[key]
    for entity_type, n in item["by_type"].items():
        target["by_type"][entity_type] = target["by_type"].get(entity_type, 0) + n


def by_folder(rows: Iterable[dict]) -> List[dict]:
    """Per folder (the folder a file is in), most high-risk findings first."""
    merged: Dict[str, dict] = {}
    for item in rows:
        target = merged.setdefault(item["folder"], {"folder": item["folder"], "files": 0, "documents": 0,
                                                    "findings": 0, "high_risk": 0, "by_type": {}})
        _merge(target, item)
    for item in merged.values():
        item["by_type"] = _sorted_types(item["by_type"])
    return _ranked(merged.values())


def top_folder(root: str, folder: str) -> str:
    """The first folder level under the scanned root ("where the risk sits"); the root itself for its own files.

    >>> top_folder("/share", "/share/2024/invoices"), top_folder("/share", "/share"), top_folder("/a", "/b/c")
    ('/share/2024', '/share', '/b/c')
    """
    relative = os.path.relpath(folder, root) if root else ".."
    if relative == ".":
        return root
    if relative == ".." or relative.startswith(".." + os.sep) or os.path.isabs(relative):
        return folder
    return os.path.join(root, relative.split(os.sep, 1)[0])


def by_top_folder(rows: Iterable[dict]) -> List[dict]:
    """Per top-level folder under each scanned root, everything below it summed."""
    merged: Dict[str, dict] = {}
    for item in rows:
        top = top_folder(item["root"], item["folder"])
        target = merged.setdefault(top, {"root": item["root"], "folder": top, "files": 0, "documents": 0,
                                         "findings": 0, "high_risk": 0, "by_type": {}})
        _merge(target, item)
    for item in merged.values():
        item["by_type"] = _sorted_types(item["by_type"])
    return _ranked(merged.values())


def top_documents(conn: Connection, limit: int = 20) -> List[dict]:
    """The documents holding the most high-risk identifiers (HIGH_RISK), with their findings per type."""
    n = sa.func.count().label("n")
    ranked = conn.execute(
        sa.select(findings.c.document_id, n).where(findings.c.entity_type.in_(sorted(HIGH_RISK)))
        .group_by(findings.c.document_id).order_by(n.desc(), findings.c.document_id).limit(limit)).all()
    ids = [row.document_id for row in ranked]
    details, types = _details(conn, ids), _types_of(conn, ids)
    return [{"file": details[row.document_id]["path"], "member": details[row.document_id]["member"],
             "high_risk": row.n, "findings": sum(types.get(row.document_id, {}).values()),
             "pages": details[row.document_id]["pages"], "by_type": types.get(row.document_id, {})}
            for row in ranked if row.document_id in details]  # a scan may replace a document meanwhile


def unmasked_id_copies(conn: Connection) -> List[dict]:
    """Identity-document copies whose photo or national number is not covered (ID check not compliant)."""
    rows = conn.execute(
        sa.select(files.c.path, documents.c.member, id_checks.c.document_type, id_checks.c.side,
                  id_checks.c.reasons)
        .select_from(id_checks.join(documents, id_checks.c.document_id == documents.c.id)
                     .join(files, id_checks.c.file_id == files.c.id))
        .where(id_checks.c.compliant == sa.false())
        .order_by(files.c.path, documents.c.member, id_checks.c.id))
    return [{"file": r.path, "member": r.member, "document_type": r.document_type, "side": r.side,
             "reasons": list(r.reasons or [])} for r in rows]


def _covers(root: str, path: str) -> bool:
    root, path = os.path.normpath(root), os.path.normpath(path)
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _current_errors(conn: Connection) -> List[dict]:
    """Errors of the current state: those of stored files (replaced at each rescan), plus walk errors
    (missing roots, unreadable folders) of the latest run over each root; the same one counted once."""
    out = [{"file": r.path, "member": r.member, "code": r.code, "message": r.message} for r in conn.execute(
        sa.select(errors.c.path, errors.c.member, errors.c.code, errors.c.message)
        .where(errors.c.file_id.is_not(None)).order_by(errors.c.path, errors.c.member, errors.c.id))]
    walk_errors = conn.execute(
        sa.select(errors.c.run_id, errors.c.path, errors.c.member, errors.c.code, errors.c.message)
        .where(errors.c.file_id.is_(None)).order_by(errors.c.id.desc())).all()
    if walk_errors:
        run_roots = {run_id: [r for r in (roots or []) if isinstance(r, str)]
                     for run_id, roots in conn.execute(sa.select(scan_runs.c.id, scan_runs.c.roots))}

        def superseded(run_id: Optional[int]) -> bool:
            """Every root of that run was walked again by a later run."""
            if run_id is None or not run_roots.get(run_id):
                return False
            later = [root for other, roots in run_roots.items() if other > run_id for root in roots]
            return all(any(_covers(new, old) for new in later) for old in run_roots[run_id])

        seen = set()
        for r in walk_errors:
            key = (r.path, r.member, r.code)
            if key in seen or superseded(r.run_id):
                continue
            seen.add(key)
            out.append({"file": r.path, "member": r.member, "code": r.code, "message": r.message})
    return out


def error_list(conn: Connection) -> List[dict]:
    """Files and members that could not be scanned: ``{"file", "member", "code", "message"}`` each."""
    return _current_errors(conn)


def runs(conn: Connection, limit: int = 10) -> List[dict]:
    """The latest scan runs, newest first."""
    rows = conn.execute(sa.select(scan_runs).order_by(scan_runs.c.id.desc()).limit(limit))
    out = []
    for row in rows:
        item = row._asdict()
        item["started_at"], item["finished_at"] = iso(item["started_at"]), iso(item["finished_at"])
        item["roots"] = list(item["roots"] or [])
        out.append(item)
    return out


def document_rows(conn: Connection) -> Iterator[dict]:
    """Every document with its findings per type (for the CSV report), by path and member."""
    types: Dict[int, Dict[str, int]] = {}
    for doc_id, entity_type, n in conn.execute(
            sa.select(findings.c.document_id, findings.c.entity_type, sa.func.count())
            .group_by(findings.c.document_id, findings.c.entity_type)):
        types.setdefault(doc_id, {})[entity_type] = n
    unmasked = set(conn.execute(sa.select(id_checks.c.document_id)
                                .where(id_checks.c.compliant == sa.false())).scalars())
    checked = set(conn.execute(sa.select(id_checks.c.document_id)).scalars())
    rows = conn.execute(
        sa.select(documents.c.id, files.c.path, documents.c.member, files.c.folder, files.c.mtime_ns,
                  documents.c.pages, documents.c.language, documents.c.ocr)
        .select_from(documents.join(files, documents.c.file_id == files.c.id))
        .order_by(files.c.path, documents.c.member.is_not(None), documents.c.member, documents.c.id))
    for row in rows:
        counts = types.get(row.id, {})
        yield {"file": row.path, "member": row.member, "folder": row.folder, "modified": iso(row.mtime_ns),
               "pages": row.pages, "language": row.language, "ocr": bool(row.ocr),
               "findings": sum(counts.values()), "high_risk": sum(n for t, n in counts.items() if t in HIGH_RISK),
               "id_copy": ("unmasked" if row.id in unmasked else "masked") if row.id in checked else None,
               "by_type": counts}


# ---------------------------------------------------------------------------------------------- DSAR
def _person(text: str) -> str:
    return normalise("PERSON", text)


def name_variants(name: str) -> Set[str]:
    """The folded forms under which a person's name may have been fingerprinted.

    A PERSON value is fingerprinted folded (scanner.privacy: case, accents and punctuation gone), so
    only the word order, a courtesy title before the name and particles written together or apart
    are left to vary: every order of the words (rotations and reversal only for long names), with
    and without a title, "d hondt" also as "dhondt".

    >>> sorted(name_variants("Masson, François"))[:4]
    ['de heer francois masson', 'de heer masson francois', 'dhr francois masson', 'dhr masson francois']
    >>> {"francois masson", "m francois masson", "masson francois"} <= name_variants("MASSON François")
    True
    >>> "lies dhondt" in name_variants("Lies D'Hondt") and "d hondt lies" in name_variants("Lies D'Hondt")
    True
    """
    words = [w for w in (_person(part) for part in re.split(r"[\s,;/]+", name)) if w]
    while len(words) > 1 and words[0] in _TITLE_WORDS:  # "Mme Lies D'Hondt": the title is added back below
        words = words[1:]
    if not words:
        return set()
    if len(words) <= _MAX_PERMUTED_WORDS:
        orders = set(permutations(words))
    else:
        rotations = [tuple(words[i:] + words[:i]) for i in range(len(words))]
        orders = set(rotations) | {tuple(reversed(r)) for r in rotations}
    bases: Set[str] = set()
    for order in orders:
        forms = [""]
        for word in order:
            spellings = {word, word.replace(" ", "")}
            forms = [f"{form} {spelling}".strip() for form in forms for spelling in sorted(spellings)]
        bases.update(forms)
    return bases | {f"{title} {base}" for base in bases for title in TITLES}


def _valid(selector: str, value: str) -> bool:
    """A quick sanity check, so a typo does not pass for "we hold nothing about this person"."""
    from stdnum import iban
    from stdnum.be import bis, nn

    text = value.strip()
    if selector == "national_number":
        return nn.is_valid(text) or bis.is_valid(text)
    if selector == "iban":
        return iban.is_valid(text)
    if selector == "email":
        return bool(re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text))
    if selector == "phone":
        return len(re.sub(r"\D", "", text)) >= 8
    return bool(_person(text))


def selector_fingerprints(selectors: Mapping[str, Iterable[str]], key: bytes) -> Dict[str, Set[str]]:
    """Entity type -> fingerprints to look for, from ``{"national_number": [...], "name": [...], ...}``.

    Raises :class:`UsageError` for an implausible value; the message never repeats the value.

    >>> fps = selector_fingerprints({"iban": ["be71 0961 2345 6769"]}, b"k")
    >>> fps == selector_fingerprints({"iban": ["BE71 0961 2345 6769"]}, b"k")
    True
    >>> selector_fingerprints({"national_number": ["85.07.30-033.29"]}, b"k")
    Traceback (most recent call last):
    ...
    scanner.errors.UsageError: --national-number: the 1st value is not a valid Belgian national register \
or BIS number
    """
    words = {"national_number": "a valid Belgian national register or BIS number", "iban": "a valid IBAN",
             "email": "an e-mail address", "phone": "a phone number", "name": "a name"}
    out: Dict[str, Set[str]] = {}
    for selector, values in selectors.items():
        if selector not in SELECTORS:
            raise UsageError(f"unknown selector {selector!r}; known: {', '.join(SELECTORS)}")
        entity_type = SELECTORS[selector]
        for index, value in enumerate(values, 1):
            if not isinstance(value, str) or not _valid(selector, value):
                nth = {1: "1st", 2: "2nd", 3: "3rd"}.get(index, f"{index}th")
                raise UsageError(f"--{selector.replace('_', '-')}: the {nth} value is not {words[selector]}")
            forms = name_variants(value) if selector == "name" else {value}
            out.setdefault(entity_type, set()).update(fingerprint(entity_type, form, key) for form in forms)
    return out


def dsar(conn: Connection, wanted: Mapping[str, Iterable[str]]) -> List[dict]:
    """Documents holding any of these fingerprints (entity type -> fingerprints), by path and member.

    Each: ``{"file", "member", "entity_types", "findings", "pages", "by_type", "document_by_type"}``:
    the types and number of the matching findings, the pages they are on, and every type of personal
    data found in that document (what an access request must list).
    """
    matched: Dict[int, Dict[str, int]] = {}
    pages: Dict[int, Set[int]] = {}
    for entity_type, fingerprints in wanted.items():
        for chunk in _chunks(sorted(set(fingerprints))):
            rows = conn.execute(
                sa.select(findings.c.document_id, findings.c.page, sa.func.count())
                .where(findings.c.entity_type == entity_type, findings.c.fingerprint.in_(chunk))
                .group_by(findings.c.document_id, findings.c.page))
            for doc_id, page, n in rows:
                types = matched.setdefault(doc_id, {})
                types[entity_type] = types.get(entity_type, 0) + n
                if page is not None:
                    pages.setdefault(doc_id, set()).add(page)
    ids = list(matched)
    details, everything = _details(conn, ids), _types_of(conn, ids)
    out = [{"file": details[i]["path"], "member": details[i]["member"], "entity_types": sorted(matched[i]),
            "findings": sum(matched[i].values()), "pages": sorted(pages.get(i, ())),
            "by_type": _sorted_types(matched[i]), "document_by_type": everything.get(i, {})} for i in ids if i in details]
    return sorted(out, key=lambda d: (d["file"], d["member"] is not None, d["member"] or ""))


# ---------------------------------------------------------------------------------------------- retention
_AGE = re.compile(r"(\d+)\s*([ymwd])")


def parse_age(text: str) -> Tuple[int, int]:
    """``7y``, ``18m``, ``90d``, ``2w``, ``1y6m`` -> (months, days).

    >>> parse_age("7y"), parse_age("18m"), parse_age("90d"), parse_age("1y6m2w")
    ((84, 0), (18, 0), (0, 90), (18, 14))
    >>> parse_age("7 years")
    Traceback (most recent call last):
    ...
    scanner.errors.UsageError: --older-than takes a duration such as 7y, 18m, 90d or 2w (y years, m months, \
w weeks, d days)
    """
    compact = text.strip().lower().replace(" ", "")
    parts = _AGE.findall(compact)
    if not compact or "".join(n + u for n, u in parts) != compact:
        raise UsageError("--older-than takes a duration such as 7y, 18m, 90d or 2w "
                         "(y years, m months, w weeks, d days)")
    months = days = 0
    for number, unit in parts:
        value = int(number)
        months += value * 12 if unit == "y" else value if unit == "m" else 0
        days += value * 7 if unit == "w" else value if unit == "d" else 0
    return months, days


def cutoff(age: str, now: Optional[dt.datetime] = None) -> dt.datetime:
    """The moment ``age`` before ``now``, in calendar months (29 February less a year is 28 February).

    >>> cutoff("7y", dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)).date()
    datetime.date(2019, 3, 1)
    >>> cutoff("1y", dt.datetime(2024, 2, 29, tzinfo=dt.timezone.utc)).date()
    datetime.date(2023, 2, 28)
    """
    months, days = parse_age(age)
    now = now or dt.datetime.now(dt.timezone.utc)
    index = now.year * 12 + now.month - 1 - months
    year, month = divmod(index, 12)
    if year < 1:
        raise UsageError("--older-than goes back before year 1")
    day = min(now.day, calendar.monthrange(year, month + 1)[1])
    return now.replace(year=year, month=month + 1, day=day) - dt.timedelta(days=days)


def class_extensions(classes: Iterable[str]) -> List[str]:
    """Extensions for ``--class`` items: extensions as given (dot optional), groups expanded.

    >>> class_extensions(["PDF", ".docx", "mail"])
    ['docx', 'eml', 'msg', 'pdf']
    """
    out: Set[str] = set()
    for item in classes:
        name = item.strip().lower().lstrip(".")
        if not name:
            continue
        out.update(CLASS_GROUPS.get(name, (name,)))
    return sorted(out)


def _under(prefix: str):
    """Files in ``prefix`` or any folder below it (not in a sibling that merely starts alike)."""
    path = os.path.normpath(os.path.abspath(os.path.expanduser(prefix)))
    if path == os.sep:
        return sa.true()
    prefix = path + os.sep
    # LIKE ignores case on SQLite: the exact prefix is compared as well (paths are case-sensitive).
    return sa.or_(files.c.folder == path,
                  sa.and_(files.c.folder.startswith(prefix, autoescape=True),
                          sa.func.substr(files.c.folder, 1, len(prefix)) == prefix))


def retention(conn: Connection, before: dt.datetime, folder: Optional[str] = None,
              classes: Sequence[str] = ()) -> List[dict]:
    """Documents holding personal data whose file was last modified before ``before``, oldest first.

    ``folder``: only files in that folder or below; ``classes``: only documents whose own name (the
    member's, for an attachment) or whose file ends in one of these extensions or groups (CLASS_GROUPS).
    """
    limit_ns = int(before.timestamp() * 1_000_000_000)
    where = [files.c.mtime_ns < limit_ns]
    if folder:
        where.append(_under(folder))
    extensions = class_extensions(classes)
    if extensions:
        where.append(sa.or_(*(sa.or_(sa.func.lower(files.c.path).endswith("." + ext, autoescape=True),
                                     sa.func.lower(documents.c.member).endswith("." + ext, autoescape=True))
                              for ext in extensions)))
    rows = conn.execute(
        sa.select(documents.c.id, files.c.path, documents.c.member, files.c.folder, files.c.mtime_ns,
                  findings.c.entity_type, sa.func.count().label("n"))
        .select_from(findings.join(documents, findings.c.document_id == documents.c.id)
                     .join(files, documents.c.file_id == files.c.id))
        .where(*where)
        .group_by(documents.c.id, files.c.path, documents.c.member, files.c.folder, files.c.mtime_ns,
                  findings.c.entity_type))
    now = dt.datetime.now(dt.timezone.utc)
    out: Dict[int, dict] = {}
    for row in rows:
        item = out.get(row.id)
        if item is None:
            modified = dt.datetime.fromtimestamp(row.mtime_ns / 1e9, dt.timezone.utc)
            item = out[row.id] = {"file": row.path, "member": row.member, "folder": row.folder,
                                  "modified": iso(modified), "age_days": (now - modified).days,
                                  "entity_types": [], "findings": 0, "high_risk": 0, "by_type": {},
                                  "_mtime": row.mtime_ns}
        item["by_type"][row.entity_type] = row.n
        item["findings"] += row.n
        item["high_risk"] += row.n if row.entity_type in HIGH_RISK else 0
    result = sorted(out.values(), key=lambda d: (d["_mtime"], d["file"], d["member"] is not None, d["member"] or ""))
    for item in result:
        del item["_mtime"]
        item["by_type"] = _sorted_types(item["by_type"])
        item["entity_types"] = sorted(item["by_type"])
    return result
