"""JSON and CSV writers for ``report``, ``dsar`` and ``retention``.

CSV is for spreadsheet users: one row per document, a column per entity type,
and no cell that a spreadsheet would run as a formula (a file named
``=HYPERLINK(...).pdf`` is written ``'=HYPERLINK(...).pdf``).

>>> cell("=cmd|' /C calc'!A0"), cell("/share/a.pdf"), cell(3)
("'=cmd|' /C calc'!A0", '/share/a.pdf', 3)
"""

from __future__ import annotations

import csv
import json
from typing import Iterable, List, Sequence, TextIO

# The columns of the per-document CSV come in this order (interface.md's table), then any other type found.
KNOWN_TYPES = ("BE_NATIONAL_NUMBER", "BE_ID_CARD_NUMBER", "BE_ENTERPRISE_NUMBER", "IBAN_CODE", "BIC_CODE",
               "CREDIT_CARD", "EMAIL_ADDRESS", "PHONE_NUMBER", "IP_ADDRESS", "PERSON", "ADDRESS",
               "DATE_OF_BIRTH", "PASSWORD", "MRZ", "FACE")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """A CSV cell a spreadsheet shows as text, never evaluates."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_json(data, stream: TextIO) -> None:
    """One JSON value on one line."""
    stream.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")


def _types(rows: Sequence[dict], extra: Iterable[str] = ()) -> List[str]:
    found = set(extra)
    for row in rows:
        found.update(row.get("by_type", {}))
    return list(KNOWN_TYPES) + sorted(found - set(KNOWN_TYPES))


def _write_rows(stream: TextIO, columns: List[str], type_columns: List[str], rows: Iterable[dict]) -> None:
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(columns + type_columns)
    for row in rows:
        values = []
        for column in columns:
            value = row.get(column)
            if isinstance(value, (list, tuple)):
                value = ";".join(str(v) for v in value)
            elif isinstance(value, bool):
                value = "yes" if value else "no"
            values.append(cell("" if value is None else value))
        counts = row.get("by_type", {})
        writer.writerow(values + [counts.get(t, 0) for t in type_columns])


def write_documents_csv(rows: Iterable[dict], stream: TextIO, types: Iterable[str] = ()) -> None:
    """``report --format csv``: one row per document, its findings per type (0 when none)."""
    rows = list(rows)
    _write_rows(stream, ["file", "member", "folder", "modified", "pages", "language", "ocr", "findings",
                         "high_risk", "id_copy"], _types(rows, types), rows)


def write_dsar_csv(rows: Sequence[dict], stream: TextIO) -> None:
    """``dsar --format csv``: one row per document holding the looked-up value."""
    _write_rows(stream, ["file", "member", "entity_types", "findings", "pages"], [], rows)


def write_retention_csv(rows: Sequence[dict], stream: TextIO) -> None:
    """``retention --format csv``: one row per document past the retention period."""
    _write_rows(stream, ["file", "member", "folder", "modified", "age_days", "findings", "high_risk",
                         "entity_types"], _types(rows), rows)
