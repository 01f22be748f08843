"""Reports over the findings store: JSON for scripts, CSV for spreadsheets, one self-contained HTML page.

:func:`build_report` gathers everything a report shows in one read of the store
(:mod:`scanner.store.queries`); the writers only lay it out. No report holds a
raw value: the store has none (masked text and keyed fingerprints only), and
reports do not even show the masked text, only counts, types, paths and
plain-language reasons.

>>> from scanner.store import Store
>>> data = build_report(Store.open("sqlite://"))
>>> {k: data[k] for k in ("documents", "findings", "errors", "by_type")}
{'documents': 0, 'findings': 0, 'errors': 0, 'by_type': {}}
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from scanner import __version__
from scanner.store import Store, safe_url
from scanner.store import queries as q

__all__ = ["build_report", "REPORT_VERSION"]

REPORT_VERSION = 1


def build_report(store: Store, top: int = 20, runs: int = 10, url: Optional[str] = None) -> dict:
    """The report as one JSON-ready dict: the interface.md counts first, then the details."""
    with q.reader(store) as conn:
        totals = q.totals(conn)
        folder_rows = q.folders(conn)
        data = {
            "documents": totals["documents"],
            "findings": totals["findings"],
            "errors": totals["errors"],
            "files": totals["files"],
            "by_type": q.by_type(conn),
            "totals": totals,
            "high_risk_types": sorted(q.HIGH_RISK),
            "by_top_folder": q.by_top_folder(folder_rows),
            "by_folder": q.by_folder(folder_rows),
            "top_documents": q.top_documents(conn, top),
            "unmasked_id_copies": q.unmasked_id_copies(conn),
            "error_list": q.error_list(conn),
            "runs": q.runs(conn, runs),
        }
    data["report"] = {"version": REPORT_VERSION, "piiscan": __version__,
                      "generated_at": q.iso(dt.datetime.now(dt.timezone.utc)),
                      "store": safe_url(str(store.engine.url)) if url is None else url,
                      "schema_version": _schema_version(store)}
    return data


def _schema_version(store: Store) -> Optional[str]:
    try:
        return store.schema_version()
    except Exception:  # noqa: BLE001 - informative only (a store made without Alembic has no version table)
        return None
