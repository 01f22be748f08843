"""The findings store on SQLite and PostgreSQL (``db_url`` runs each test on both)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import random
import signal
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

import scanner.store as store_module
from scanner.store import FileScan, Store, head_revision, decisions, documents, errors, files, findings, id_checks, metadata, scan_runs
from tests.conftest import SAMPLES, truth_items

ROOT_DIR = "/data/share"
RULES = "rules-1"


# ---------------------------------------------------------------------------------------------- helpers
def finding(n: int, member=None, entity="EMAIL_ADDRESS") -> dict:
    return dict(kind="finding", file="x", member=member, page=1, part=None, entity_type=entity, score=0.9,
                start=10 * n, end=10 * n + 5, bbox=[1, 2, 3, 4], page_size=[100, 200], source="text",
                recognizer="EmailRecognizer", language="en", text_masked="j***@*****.be",
                fingerprint=f"hmac-sha256:{n:064x}", text=None)


def document(n_findings: int, member=None, pages=1) -> dict:
    return dict(kind="document", file="x", member=member, pages=pages, language="en", languages=["en", "fr"],
                ocr=member is not None, findings=n_findings, sha256="a" * 64, duration_ms=12)


def error(code="read_failed", member=None, file="x") -> dict:
    return dict(kind="error", file=file, member=member, error=code, message=f"{code} happened")


def scan(path: str, records: list, size=100, sha="b" * 64, mtime_ns=1_000, id_checks_=None) -> FileScan:
    return FileScan(path=path, root=ROOT_DIR, size=size, mtime_ns=mtime_ns, sha256=sha, records=records,
                    id_checks=id_checks_ or {})


def mail_with_attachment() -> list:
    """An e-mail (2 findings) with an attachment (1 finding) and an unreadable second attachment."""
    return [finding(1), finding(2), document(2),
            finding(3, member="scan.jpg"), document(1, member="scan.jpg"),
            error("unsupported_format", member="other.bin")]


def rows(store: Store, table: sa.Table, *where) -> list:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(table).where(*where).order_by(table.c.id)).mappings().all()


def file_id(store: Store, path: str) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(files.c.id).where(files.c.path == path)).scalar_one()


@pytest.fixture()
def store(db_url):
    store = Store.open(db_url)
    yield store
    store.close()


@pytest.fixture()
def run_id(store):
    return store.begin_run([ROOT_DIR], RULES, workers=2)


# ---------------------------------------------------------------------------------------------- opening
def test_schema_is_created(store, db_url):
    assert store.schema_version() == head_revision() == "0003"
    tables = set(sa.inspect(store.engine).get_table_names())
    assert set(metadata.tables) | {"alembic_version"} <= tables
    assert store.counts() == {"documents": 0, "findings": 0, "errors": 0}
    assert store.engine.dialect.name == ("sqlite" if "sqlite" in db_url or "://" not in db_url else "postgresql")


def test_an_older_store_is_migrated_with_its_data(db_url, monkeypatch):
    old = Store.open(db_url, migrate=False)
    old.upgrade("0001")  # the schema of the first release: no review tables, no finding locations
    assert "users" not in sa.inspect(old.engine).get_table_names()
    monkeypatch.setattr(store_module, "_FINDING_COLUMNS", tuple(c for c in store_module._FINDING_COLUMNS
                                                                 if c != "location"))  # that release's writer
    old.save_file(old.begin_run([ROOT_DIR], RULES, workers=1), scan(f"{ROOT_DIR}/a.txt", [finding(1), document(1)]),
                  RULES)
    old.close()
    monkeypatch.undo()
    store = Store.open(db_url)
    try:
        assert store.schema_version() == head_revision()
        assert "location" in {c["name"] for c in sa.inspect(store.engine).get_columns("findings")}
        assert {"users", "sessions", "audit_log", "allowlist"} <= set(sa.inspect(store.engine).get_table_names())
        assert store.counts() == {"documents": 1, "findings": 1, "errors": 0}
    finally:
        store.close()


def test_opening_twice_is_idempotent(db_url):
    first = Store.open(db_url)
    run = first.begin_run([ROOT_DIR], RULES, workers=1)
    first.save_file(run, scan(f"{ROOT_DIR}/a.txt", [finding(1), document(1)]), RULES)
    first.close()
    second = Store.open(db_url)
    try:
        assert second.schema_version() == head_revision()
        assert second.counts() == {"documents": 1, "findings": 1, "errors": 0}
        with second.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
    finally:
        second.close()


def test_runs_begin_and_finish(store):
    run = store.begin_run(["/a", "/b"], RULES, workers=4)
    store.finish_run(run, "completed", {"files_seen": 7, "findings": 3, "not_a_column": 1})
    (row,) = rows(store, scan_runs)
    assert row["status"] == "completed" and row["roots"] == ["/a", "/b"] and row["workers"] == 4
    assert row["files_seen"] == 7 and row["findings"] == 3 and row["finished_at"] is not None


# ---------------------------------------------------------------------------------------------- results
def test_save_file_stores_documents_findings_members_and_errors(store, run_id):
    path = f"{ROOT_DIR}/mail/invoice.eml"
    store.save_file(run_id, scan(path, mail_with_attachment()), RULES)
    assert store.counts() == {"documents": 2, "findings": 3, "errors": 1}
    (stored,) = rows(store, files)
    assert (stored["path"], stored["folder"], stored["state"], stored["error_code"]) == \
           (path, f"{ROOT_DIR}/mail", "ok", None)
    assert stored["rules_version"] == RULES and stored["run_id"] == run_id
    docs = {d["member"]: d for d in rows(store, documents)}
    assert set(docs) == {None, "scan.jpg"}
    assert docs[None]["languages"] == ["en", "fr"] and docs["scan.jpg"]["ocr"] is True
    by_doc = {}
    for f in rows(store, findings):
        by_doc.setdefault(f["document_id"], []).append(f)
        assert f["file_id"] == stored["id"] and f["bbox"] == [1, 2, 3, 4]
    assert len(by_doc[docs[None]["id"]]) == 2 and len(by_doc[docs["scan.jpg"]["id"]]) == 1
    (err,) = rows(store, errors)
    assert (err["file_id"], err["member"], err["code"], err["path"]) == (stored["id"], "other.bin",
                                                                          "unsupported_format", path)


def test_saving_a_file_again_replaces_its_results(store, run_id):
    path = f"{ROOT_DIR}/mail/invoice.eml"
    store.save_file(run_id, scan(path, mail_with_attachment()), RULES)
    first_id = file_id(store, path)
    store.save_file(run_id, scan(path, mail_with_attachment()), RULES)
    assert store.counts() == {"documents": 2, "findings": 3, "errors": 1}
    store.save_file(run_id, scan(path, [finding(9), document(1)], mtime_ns=2_000), "rules-2")
    assert store.counts() == {"documents": 1, "findings": 1, "errors": 0}
    (stored,) = rows(store, files)
    assert stored["id"] == first_id and stored["mtime_ns"] == 2_000 and stored["rules_version"] == "rules-2"


def test_whole_file_error(store, run_id):
    path = f"{ROOT_DIR}/broken.pdf"
    store.save_file(run_id, scan(path, [error("encrypted")]), RULES)
    (stored,) = rows(store, files)
    assert (stored["state"], stored["error_code"]) == ("error", "encrypted")
    (err,) = rows(store, errors)
    assert (err["file_id"], err["member"], err["code"], err["run_id"]) == (stored["id"], None, "encrypted", run_id)
    assert store.known_in_folder(ROOT_DIR)[path].state == "error"
    # Scanned fine the next time: the error goes.
    store.save_file(run_id, scan(path, [document(0)]), RULES)
    assert store.counts() == {"documents": 1, "findings": 0, "errors": 0}
    assert rows(store, files)[0]["state"] == "ok"


def test_known_in_folder_and_folders_within(store, run_id):
    for path in ("a/one.txt", "a/two.txt", "a/b/three.txt", "a_b/four.txt", "A/five.txt", "ab%/six.txt"):
        store.save_file(run_id, scan(f"{ROOT_DIR}/{path}", [document(0)], size=len(path)), RULES)
    other = scan("/elsewhere/x.txt", [document(0)])
    other.root = "/elsewhere"
    store.save_file(run_id, other, RULES)
    known = store.known_in_folder(f"{ROOT_DIR}/a")
    assert set(known) == {f"{ROOT_DIR}/a/one.txt", f"{ROOT_DIR}/a/two.txt"}
    one = known[f"{ROOT_DIR}/a/one.txt"]
    assert (one.size, one.mtime_ns, one.sha256, one.rules_version, one.state, one.error_code) == \
           (len("a/one.txt"), 1_000, "b" * 64, RULES, "ok", None)
    assert store.known_in_folder("/nowhere") == {}
    assert sorted(store.folders_within(ROOT_DIR)) == sorted(
        f"{ROOT_DIR}/{f}" for f in ("a", "a/b", "a_b", "A", "ab%"))
    # A folder and what is under it, not its namesakes: LIKE wildcards are escaped, case counts (as on Linux).
    assert sorted(store.folders_within(f"{ROOT_DIR}/a")) == [f"{ROOT_DIR}/a", f"{ROOT_DIR}/a/b"]
    assert sorted(store.folders_within(f"{ROOT_DIR}/a/")) == [f"{ROOT_DIR}/a", f"{ROOT_DIR}/a/b"]
    assert store.folders_within(f"{ROOT_DIR}/a_b") == [f"{ROOT_DIR}/a_b"]
    assert store.folders_within(f"{ROOT_DIR}/ab%") == [f"{ROOT_DIR}/ab%"]
    assert store.folders_within(f"{ROOT_DIR}/A") == [f"{ROOT_DIR}/A"]
    assert store.folders_within("/elsewhere") == ["/elsewhere"]
    assert sorted(store.folders_within("/")) == sorted(store.folders_within(ROOT_DIR) + ["/elsewhere"])


def test_moved_file_keeps_its_results_and_decisions(store, run_id):
    old, new = f"{ROOT_DIR}/old/invoice.eml", f"{ROOT_DIR}/new/invoice.eml"
    store.save_file(run_id, scan(old, mail_with_attachment(), size=555, sha="c" * 64), RULES)
    store.save_file(run_id, scan(f"{ROOT_DIR}/old/copy.eml", [document(0)], size=555, sha="c" * 64), RULES)
    store.save_file(run_id, scan(f"{ROOT_DIR}/other.txt", [document(0)], size=556, sha="c" * 64), RULES)
    with store.engine.begin() as conn:
        conn.execute(decisions.insert().values(
            path=old, member=None, entity_type="EMAIL_ADDRESS", fingerprint="hmac-sha256:1",
            decision="confirmed", actor="alice", reason=None, created_at=dt.datetime.now(dt.timezone.utc)))
    candidates = store.same_size(555)
    assert sorted(c.path for c in candidates) == [f"{ROOT_DIR}/old/copy.eml", old]
    assert store.same_size(1) == []
    moved = next(c for c in candidates if c.path == old)
    store.move_file(moved.id, new, ROOT_DIR, f"{ROOT_DIR}/new", 5_000)
    assert set(store.known_in_folder(f"{ROOT_DIR}/old")) == {f"{ROOT_DIR}/old/copy.eml"}
    known = store.known_in_folder(f"{ROOT_DIR}/new")
    assert set(known) == {new} and known[new].id == moved.id and known[new].mtime_ns == 5_000
    assert (known[new].size, known[new].sha256) == (555, "c" * 64)
    assert store.counts() == {"documents": 4, "findings": 3, "errors": 1}
    assert [e["path"] for e in rows(store, errors)] == [new]
    assert [d["path"] for d in rows(store, decisions)] == [new]
    assert {f["file_id"] for f in rows(store, findings)} == {moved.id}


def test_touch_file(store, run_id):
    path = f"{ROOT_DIR}/a.txt"
    store.save_file(run_id, scan(path, [finding(1), document(1)]), RULES)
    known = store.known_in_folder(ROOT_DIR)[path]
    store.touch_file(known.id, 99_999)
    after = store.known_in_folder(ROOT_DIR)[path]
    assert after.mtime_ns == 99_999 and dataclasses.replace(after, mtime_ns=known.mtime_ns) == known
    assert store.counts() == {"documents": 1, "findings": 1, "errors": 0}


def test_forget_files_removes_everything_of_those_files(store, run_id):
    verdict = {"compliant": False, "document_type": "be_eid", "side": "front", "checks": [], "reasons": ["x"]}
    gone, kept = f"{ROOT_DIR}/gone.eml", f"{ROOT_DIR}/kept.eml"
    store.save_file(run_id, scan(gone, mail_with_attachment(), id_checks_={"scan.jpg": verdict}), RULES)
    store.save_file(run_id, scan(kept, mail_with_attachment(), id_checks_={"scan.jpg": verdict}), RULES)
    store.record_errors(run_id, [error("folder_unreadable", file=f"{ROOT_DIR}/locked")])
    assert store.forget_files([file_id(store, gone)]) == 1
    assert store.counts() == {"documents": 2, "findings": 3, "errors": 2}
    kept_id = file_id(store, kept)
    assert [f["path"] for f in rows(store, files)] == [kept]
    for table in (documents, findings, id_checks):
        assert {r["file_id"] for r in rows(store, table)} == {kept_id}
    assert {r["file_id"] for r in rows(store, errors)} == {kept_id, None}
    assert store.forget_files([]) == 0


def test_id_checks_are_stored_for_the_documents_with_a_verdict(store, run_id):
    top = {"compliant": True, "document_type": "be_eid", "side": "back",
           "checks": [{"name": "mrz_masked", "passed": True}], "reasons": []}
    member = {"compliant": False, "checks": [], "reasons": ["the national number is readable"]}
    path = f"{ROOT_DIR}/ids.eml"
    records = mail_with_attachment() + [document(0, member="no_verdict.pdf")]
    store.save_file(run_id, scan(path, records, id_checks_={"": top, "scan.jpg": member, "absent.png": top}), RULES)
    docs = {d["id"]: d["member"] for d in rows(store, documents)}
    checks = {docs[c["document_id"]]: c for c in rows(store, id_checks)}
    assert set(checks) == {None, "scan.jpg"}
    assert checks[None]["compliant"] is True and checks[None]["checks"] == top["checks"]
    assert (checks[None]["document_type"], checks[None]["side"]) == ("be_eid", "back")
    assert checks["scan.jpg"]["compliant"] is False and checks["scan.jpg"]["document_type"] is None
    assert checks["scan.jpg"]["reasons"] == member["reasons"]
    # Replaced with the file's results.
    store.save_file(run_id, scan(path, records), RULES)
    assert rows(store, id_checks) == []


def test_record_errors_without_a_file(store, run_id):
    store.record_errors(run_id, [])
    store.record_errors(run_id, [error("root_missing", file="/gone"), error("folder_unreadable", file="/locked")])
    stored = rows(store, errors)
    assert [(e["file_id"], e["run_id"], e["path"], e["code"]) for e in stored] == \
           [(None, run_id, "/gone", "root_missing"), (None, run_id, "/locked", "folder_unreadable")]
    assert store.counts()["errors"] == 2 and rows(store, files) == []


def test_prune_walk_errors_keeps_this_runs_and_file_errors(store, run_id):
    store.record_errors(run_id, [error("root_missing", file="/gone")])
    store.save_file(run_id, scan(f"{ROOT_DIR}/broken.pdf", [error("encrypted")]), RULES)
    later = store.begin_run([ROOT_DIR], RULES, workers=1)
    store.record_errors(later, [error("folder_unreadable", file="/locked")])
    store.prune_walk_errors(later)
    assert sorted((e["code"], e["run_id"]) for e in rows(store, errors)) == \
           [("encrypted", run_id), ("folder_unreadable", later)]


def _null_entity(records):
    records[3]["entity_type"] = None  # NOT NULL: the database refuses the second document's findings
    return sa.exc.IntegrityError


def _no_pages(records):
    del records[4]["pages"]  # fails in Python, after the first document was written
    return KeyError


@pytest.mark.parametrize("break_it", [_null_entity, _no_pages], ids=["database-error", "python-error"])
def test_a_failed_save_leaves_the_previous_results(store, run_id, break_it):
    path = f"{ROOT_DIR}/invoice.eml"
    store.save_file(run_id, scan(path, mail_with_attachment()), RULES)
    before = {table.name: rows(store, table) for table in (files, documents, findings, errors)}
    broken = mail_with_attachment() + [finding(7), document(1, member="late.txt")]
    expected = break_it(broken)
    with pytest.raises(expected):
        store.save_file(run_id, scan(path, broken, mtime_ns=2_000, sha="e" * 64), "rules-2")
    assert {table.name: rows(store, table) for table in (files, documents, findings, errors)} == before
    # A new file whose save fails leaves nothing at all.
    with pytest.raises(expected):
        store.save_file(run_id, scan(f"{ROOT_DIR}/new.eml", broken), RULES)
    assert [f["path"] for f in rows(store, files)] == [path]


def test_ctrl_c_during_saves_never_leaves_the_store_locked(tmp_path):
    """Ctrl-C lands at a random moment of a stream of saves; the run's last update goes through at once.

    (An interrupt inside a transaction used to leave SQLite's write lock held: the run's end waited
    60 s and failed with "database is locked".)"""
    store = Store.open(str(tmp_path / "findings.db"))
    rng = random.Random(1)
    previous = signal.signal(signal.SIGALRM, lambda *_: os.kill(os.getpid(), signal.SIGINT))
    # Python's own Ctrl-C handler, even when the tests were started in the background (where the shell
    # makes them ignore SIGINT).
    interrupt = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        for trial in range(150):
            run = store.begin_run([ROOT_DIR], RULES, 1)
            with pytest.raises(KeyboardInterrupt):
                signal.setitimer(signal.ITIMER_REAL, rng.uniform(0.0005, 0.03))
                for index in range(10_000):
                    store.save_file(run, scan(f"{ROOT_DIR}/{trial}/{index}.eml", mail_with_attachment()), RULES)
            signal.setitimer(signal.ITIMER_REAL, 0)
            started = time.monotonic()
            store.finish_run(run, "interrupted", {})
            assert time.monotonic() - started < 5
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        signal.signal(signal.SIGINT, interrupt)
        store.close()


# ---------------------------------------------------------------------------------------------- privacy
REAL_FILES = ["text/en_email_01.txt", "text/fr_email_id_copy_01.txt", "text/nl_email_support_01.txt",
              "text/de_email_01.txt", "text/en_email_card_payment_01.txt", "email/fr_invoice_01_reply.eml"]


def _truth_values() -> dict:
    """Ground-truth PII values (entities, not decoys) per sample file, as tools/evaluate.py reads them."""
    values: dict = {}
    for item in truth_items(REAL_FILES):
        values.setdefault(item["file"], set()).add(item["value"])
    return values


@pytest.fixture(scope="module")
def real_scans(scanner):
    """The sample files scanned by the real pipeline, with --reveal: the records even carry the raw values."""
    from scanner.pipeline import Scanner

    revealing = Scanner(scanner.analyzer, scanner.key, dataclasses.replace(scanner.options, reveal=True))
    scans = []
    for name in REAL_FILES:
        path = SAMPLES / name
        data = path.read_bytes()
        records = [r.model_dump() for r in revealing.scan_path(path)]
        scans.append(FileScan(path=str(path), root=str(SAMPLES), size=len(data), mtime_ns=path.stat().st_mtime_ns,
                              sha256=hashlib.sha256(data).hexdigest(), records=records))
    return scans


def test_raw_values_never_reach_the_database(db_url, real_scans):
    truth = _truth_values()
    assert set(truth) == set(REAL_FILES)
    secrets = set()
    for value in set().union(*truth.values()):
        for candidate in [value, " ".join(value.split()), *value.splitlines()]:
            if len(candidate.strip()) >= 6:
                secrets.add(candidate.strip())
    assert len(secrets) > 30
    revealed = {r.get("text") for s in real_scans for r in s.records if r["kind"] == "finding"}
    assert len(secrets & revealed) > 10, "the scan should have found (and revealed) many ground-truth values"
    assert any(r.get("member") for s in real_scans for r in s.records), "the e-mail's attachment is a member"

    store = Store.open(db_url)
    try:
        run = store.begin_run([str(SAMPLES)], RULES, workers=1)
        for file_scan in real_scans:
            store.save_file(run, file_scan, RULES)
        store.finish_run(run, "completed", {"files_scanned": len(real_scans)})
        counts = store.counts()
        assert counts["documents"] >= len(real_scans) + 1 and counts["findings"] > 40
        with store.engine.connect() as conn:
            dump = "\n".join(repr(row) + json.dumps(list(row), default=str, ensure_ascii=False)
                             for table in [*metadata.sorted_tables, sa.table("alembic_version")]
                             for row in conn.execute(sa.select(sa.text("*")).select_from(table)))
        assert len(dump) > 5_000
        leaked = sorted(s for s in secrets if s in dump)
        assert leaked == [], f"raw values in the database: {leaked}"
        if store.engine.dialect.name == "sqlite":
            db_file = Path(store.engine.url.database)
            _assert_no_secret_in_files(db_file, secrets)
    finally:
        store.close()
    if "://" not in db_url:  # after closing too (the WAL is checkpointed into the file)
        _assert_no_secret_in_files(Path(db_url), secrets)


def _assert_no_secret_in_files(db_file: Path, secrets: set) -> None:
    raw = b"".join(p.read_bytes() for p in db_file.parent.glob(db_file.name + "*"))
    assert raw
    forms = {s: {s.encode(), json.dumps(s)[1:-1].encode(), s.encode("utf-16-le")} for s in secrets}
    leaked = sorted(s for s, encoded in forms.items() if any(e in raw for e in encoded))
    assert leaked == [], f"raw values in the database files: {leaked}"
