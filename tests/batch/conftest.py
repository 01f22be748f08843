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


def uninterrupted(root: Path, folder: Path, scanner) -> tuple:
    """(stored rows, document count) of one uninterrupted run on a fresh store in ``folder``: what a run
    that was killed, or whose store failed, must come to once resumed (same key as the CLI runs)."""
    from scanner.batch import BatchScan
    from scanner.batch.pool import InProcess
    from scanner.batch.work import Worker
    from scanner.store import Store

    store = Store.open(str(folder / "ref.db"))
    try:
        list(BatchScan([str(root)], InProcess(Worker(scanner, id_check=False)), "ref", store).records())
        return stored(store), store.counts()["documents"]
    finally:
        store.close()


def stored_files(url: str) -> int:
    """Files in the store at ``url`` (0 before its tables exist), read with a connection of its own."""
    import sqlalchemy as sa

    from scanner.store import Store, files

    engine = sa.create_engine(Store.open(url, migrate=False).engine.url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(files)).scalar_one()
    except sa.exc.OperationalError:
        return 0  # the tables are not there yet
    finally:
        engine.dispose()


def spread(sources, root: Path, folders: int) -> Path:
    """``sources`` copied into ``root``, dealt over ``folders`` sub-folders d0, d1, ... (returns ``root``)."""
    for index, source in enumerate(sources):
        folder = root / f"d{index % folders}"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, folder / source.name)
    return root
