"""What ``piiscan report``, ``piiscan dsar`` and ``piiscan retention`` do (their options are in scanner/cli.py).

Each opens an existing store read-only (:func:`scanner.store.queries.open_existing`:
a missing database or one that is not a piiscan store is a clear error, exit
code 3, and nothing is created), runs its queries and writes one output.
Looked-up values (``dsar``) are fingerprinted at once and never printed or logged.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Dict, Iterator, List, TextIO

from scanner.errors import RunFailed, UsageError
from scanner.report.writers import write_documents_csv, write_dsar_csv, write_json, write_retention_csv
from scanner.store import queries as q

# dsar: argparse destination -> selector of scanner.store.queries.SELECTORS
DSAR_OPTIONS = {"national_number": "--national-number", "iban": "--iban", "email": "--email", "phone": "--phone",
                "name": "--name"}


@contextlib.contextmanager
def output(path) -> Iterator[TextIO]:
    """Standard output, or FILE written whole or not at all (a temporary file renamed), owner-only (0600)."""
    if not path or path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"--out {path}: is a folder")
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as exc:
        raise RunFailed(f"cannot write {path}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _positive(value: int, option: str) -> int:
    if value < 1:
        raise UsageError(f"{option} takes a whole number of at least 1")
    return value


def report(args: argparse.Namespace) -> int:
    from scanner.report import build_report

    top = _positive(args.top, "--top")
    store = q.open_existing(args.db)
    try:
        fmt = args.format
        if fmt == "csv":
            with q.reader(store) as conn:
                types = q.by_type(conn)
                with output(args.out) as stream:
                    write_documents_csv(q.document_rows(conn), stream, types)
            return 0
        data = build_report(store, top=top)
    finally:
        store.close()
    if fmt == "html":
        from scanner.report.html import render_html

        page = render_html(data, top=top)
        with output(args.out) as stream:
            stream.write(page)
    else:
        with output(args.out) as stream:
            write_json(data, stream)
    return 0


def _dsar_selectors(args: argparse.Namespace) -> Dict[str, List[str]]:
    selectors: Dict[str, List[str]] = {}
    for dest in DSAR_OPTIONS:
        values = [v for v in (getattr(args, dest, None) or [])]
        if values:
            selectors[dest] = values
    if args.selectors:
        for dest, values in _read_selectors(args.selectors).items():
            selectors.setdefault(dest, []).extend(values)
    if not selectors:
        raise UsageError("give at least one of " + ", ".join(DSAR_OPTIONS.values()) + " (or --selectors FILE)")
    return selectors


def _read_selectors(path: str) -> Dict[str, List[str]]:
    """``--selectors FILE`` (``-``: standard input): a JSON object such as
    ``{"national_number": "...", "name": ["...", "..."]}``; keeps values out of the shell history."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--selectors: cannot read {path}: {exc.strerror}") from exc
    try:
        data = json.loads(text)
    except ValueError:
        raise UsageError("--selectors: the file is not a JSON object") from None  # the text may hold values
    if not isinstance(data, dict):
        raise UsageError("--selectors: the file is not a JSON object")
    out: Dict[str, List[str]] = {}
    for key, value in data.items():
        dest = str(key).replace("-", "_")
        if dest not in DSAR_OPTIONS:
            raise UsageError(f"--selectors: unknown key {str(key)[:40]!r}; known: {', '.join(DSAR_OPTIONS)}")
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) for v in values):
            raise UsageError(f"--selectors: {key} takes a string or a list of strings")
        out[dest] = values
    return out


def dsar(args: argparse.Namespace) -> int:
    from scanner.config import fingerprint_key

    selectors = _dsar_selectors(args)
    store = q.open_existing(args.db)
    try:
        wanted = q.selector_fingerprints(selectors, fingerprint_key())
        del selectors  # from here on only fingerprints
        with q.reader(store) as conn:
            rows = q.dsar(conn, wanted)
    finally:
        store.close()
    return _emit(rows, args, write_dsar_csv)


def retention(args: argparse.Namespace) -> int:
    before = q.cutoff(args.older_than)
    classes = [c for c in (args.doc_class or "").split(",") if c.strip()]
    store = q.open_existing(args.db)
    try:
        with q.reader(store) as conn:
            rows = q.retention(conn, before, folder=args.folder, classes=classes)
    finally:
        store.close()
    return _emit(rows, args, write_retention_csv)


def _emit(rows, args: argparse.Namespace, write_csv) -> int:
    """Rows as JSON (default) or CSV, to --out or standard output."""
    with output(args.out) as stream:
        (write_csv if args.format == "csv" else write_json)(rows, stream)
    return 0
