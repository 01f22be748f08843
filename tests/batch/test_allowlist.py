"""False positives dismissed in the review UI (the allow-list) are dropped by later scans."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from scanner.review.pages import decide
from scanner.store import documents, files
from tests.batch.conftest import stored


def test_dismissed_values_are_dropped_by_the_next_scan(share, store, batch):
    records, counts = batch([share], store)
    found = [r for r in records if r["kind"] == "finding"]
    # The value found most often (in several files, preferably): dismissed once, gone everywhere.
    value, times = Counter((r["entity_type"], r["fingerprint"]) for r in found).most_common(1)[0]
    first = next(r for r in found if (r["entity_type"], r["fingerprint"]) == value)
    decide(store, "ana", [{"path": first["file"], "member": first.get("member"), "entity_type": value[0],
                           "fingerprint": value[1]}], "false_positive", None)
    assert store.allowlisted() == {value}

    records, counts = batch([share], store, rules="r2")          # new rules: every file is scanned again
    again = [r for r in records if r["kind"] == "finding"]
    assert value not in {(r["entity_type"], r["fingerprint"]) for r in again}
    assert len(again) == len(found) - times and counts.findings == len(again)
    assert all(row[6] != value[1] or row[3] != value[0] for row in stored(store))
    # each document's count is what is left of it, in the output and in the store
    per_document = Counter((r["file"], r.get("member")) for r in again)
    for record in (r for r in records if r["kind"] == "document"):
        assert record["findings"] == per_document[(record["file"], record.get("member"))]
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(files.c.path, documents.c.member, documents.c.findings)
                            .join(files, files.c.id == documents.c.file_id)).all()
    assert {(path, member): n for path, member, n in rows} == {
        (r["file"], r.get("member")): r["findings"] for r in records if r["kind"] == "document"}


def test_a_value_confirmed_later_is_found_again(share, store, batch):
    records, _ = batch([share], store)
    first = next(r for r in records if r["kind"] == "finding")
    row = {"path": first["file"], "member": first.get("member"), "entity_type": first["entity_type"],
           "fingerprint": first["fingerprint"]}
    decide(store, "ana", [row], "false_positive", None)
    decide(store, "ana", [row], "confirmed", "it is a real IBAN after all")   # the latest decision wins
    assert store.allowlisted() == set()
    records, _ = batch([share], store, rules="r2")
    assert (first["entity_type"], first["fingerprint"]) in {
        (r["entity_type"], r["fingerprint"]) for r in records if r["kind"] == "finding"}


def test_a_scan_without_a_store_keeps_every_finding(share, batch):
    records, counts = batch([share], None)
    assert counts.findings == sum(1 for r in records if r["kind"] == "finding") > 0
