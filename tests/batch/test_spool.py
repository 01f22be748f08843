"""Large results: records past a few thousand wait on disk (scanner/spool.py) and reach the store in pieces,
with the same rows as small results and no file left behind."""

from __future__ import annotations

import os
import pickle
import zipfile

import sqlalchemy as sa

from scanner import spool as spool_module
from scanner.batch.pool import ProcessPool
from scanner.batch.work import Job
from scanner.spool import Spool
from scanner.store import FileScan, documents, errors, files
from tests.batch.conftest import stored


def test_a_spool_gives_back_its_records_in_order_and_leaves_no_file(tmp_path):
    named = Spool(limit=3, folder=str(tmp_path))
    named.extend({"n": i} for i in range(10))
    assert named.spilled and len(named) == 10
    assert [r["n"] for r in named] == list(range(10)) == [r["n"] for r in named]   # read twice
    assert named[0] == {"n": 0} and named[-1] == {"n": 9}
    assert len(os.listdir(tmp_path)) == 1
    named.discard()
    assert os.listdir(tmp_path) == [] and list(named) == []

    unnamed = Spool(limit=3)
    unnamed.extend(range(7))
    assert unnamed.spilled and list(unnamed) == list(range(7))
    small = Spool(limit=3)
    small.extend(range(2))
    assert not small.spilled and list(small) == [0, 1]


def test_a_named_spool_crosses_processes_by_name_and_an_unnamed_one_inline(tmp_path):
    named = Spool(limit=10, folder=str(tmp_path))
    named.extend(range(1000))
    wire = pickle.dumps(named)
    assert len(wire) < 500 < len(pickle.dumps(list(range(1000))))   # the records stayed in the file
    received = pickle.loads(wire)
    assert list(received) == list(range(1000)) and len(received) == 1000
    received.discard()
    assert os.listdir(tmp_path) == []

    unnamed = Spool(limit=4)
    unnamed.extend(range(10))
    assert list(pickle.loads(pickle.dumps(unnamed))) == list(range(10))


def _rows(store) -> dict:
    with store.engine.connect() as conn:
        docs = conn.execute(sa.select(files.c.path, documents.c.member, documents.c.pages, documents.c.findings,
                                      documents.c.sha256, documents.c.language)
                            .join(files, files.c.id == documents.c.file_id)).all()
        errs = conn.execute(sa.select(errors.c.path, errors.c.member, errors.c.code)).all()
    return {"findings": stored(store), "documents": sorted(map(tuple, docs), key=repr),
            "errors": sorted(map(tuple, errs), key=repr)}


def test_spilled_results_give_the_same_store_and_output_as_small_ones(share, store, batch, monkeypatch, tmp_path):
    # A zip: its members are documents of their own, after the archive's document in the stream.
    with zipfile.ZipFile(share / "b" / "letters.zip", "w") as archive:
        for source in sorted((share / "a").iterdir())[:2]:
            archive.write(source, f"in/{source.name}")
        archive.writestr("broken.pdf", b"%PDF-1.7 not really")
    small_records, small_counts = batch([share], store, rules="r1")
    small = _rows(store)
    assert small_counts.findings > 40 and small["errors"]

    # Three records per spool in memory and four rows per INSERT: every document with more than four
    # findings has its row written before its record arrives (scanner/store: _Rows._early_document).
    monkeypatch.setattr(spool_module, "LIMIT", 3)
    monkeypatch.setattr("scanner.store.CHUNK", 4)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)
    large_records, large_counts = batch([share], store, rules="r2")
    assert _rows(store) == small
    timeless = lambda records: [{k: v for k, v in r.items() if k != "duration_ms"} for r in records]  # noqa: E731
    assert timeless(large_records) == timeless(small_records) and vars(large_counts) == vars(small_counts)
    assert os.listdir(temporary) == []


def spilling_scan(job: Job) -> FileScan:
    """A worker's large result: spilled to a file in the pool's folder."""
    from scanner.batch import pool

    records = Spool(limit=5, folder=pool._SPOOL_DIR_FOR_TESTS)
    records.extend({"kind": "finding", "n": i} for i in range(23))
    return FileScan(path=job.path, root="/", size=1, mtime_ns=0, sha256=None, records=records)


def spool_dir_init(options, *_args) -> None:
    from scanner.batch import pool

    pool._SPOOL_DIR_FOR_TESTS = options.spool_dir


def test_pool_workers_hand_large_results_over_by_file_and_the_folder_goes_with_the_pool():
    from scanner.pipeline import Options

    pool = ProcessPool(2, Options(), b"k", task=spilling_scan, init=spool_dir_init)
    folder = pool.spool_dir
    try:
        results = list(pool.map([Job(path=f"/share/f{i}", display=f"f{i}", root="/share", size=1, mtime_ns=0)
                                 for i in range(4)]))
        assert all(r.records.spilled and [x["n"] for x in r.records] == list(range(23)) for r in results)
        assert len(os.listdir(folder)) == 4
        results[0].records.discard()
        assert len(os.listdir(folder)) == 3
    finally:
        pool.close()
    assert not os.path.exists(folder)
