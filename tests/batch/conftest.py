"""A small share of real sample documents, and a helper to run a batch scan in this process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLES

TEXTS = sorted((SAMPLES / "text").glob("*.txt"))[:8]


@pytest.fixture()
def share(tmp_path) -> Path:
    """share/a: five letters, share/b: three letters (text: fast to scan, full of identifiers)."""
    root = tmp_path / "share"
    for folder, sources in (("a", TEXTS[:5]), ("b", TEXTS[5:8])):
        (root / folder).mkdir(parents=True)
        for source in sources:
            shutil.copy(source, root / folder / source.name)
    return root


@pytest.fixture()
def store(db_url):
    """An empty findings store, on SQLite and on PostgreSQL."""
    from scanner.store import Store

    store = Store.open(db_url)
    yield store
    store.close()


@pytest.fixture()
def batch(scanner):
    """run(roots, store, rules="r1", **walker) -> (records, counts) with the session's scanner, in process."""
    from scanner.batch import BatchScan
    from scanner.batch.pool import InProcess
    from scanner.batch.walk import Walker
    from scanner.batch.work import Worker

    executor = InProcess(Worker(scanner, id_check=False))

    def run(roots, store, rules="r1", **walker):
        scan = BatchScan([str(r) for r in roots], executor, rules, store, Walker(**walker))
        records = list(scan.records())
        return records, scan.counts

    return run


def stored(store) -> list:
    """The store's findings as comparable rows (no row ids)."""
    import sqlalchemy as sa

    from scanner.store import documents, files, findings

    query = (sa.select(files.c.path, documents.c.member, findings.c.page, findings.c.entity_type,
                       findings.c.start, findings.c.end, findings.c.fingerprint, findings.c.text_masked)
             .join(documents, documents.c.id == findings.c.document_id).join(files, files.c.id == findings.c.file_id))
    with store.engine.connect() as conn:
        return sorted((tuple(row) for row in conn.execute(query)), key=repr)
