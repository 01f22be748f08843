"""scanner.store.queries on SQLite and PostgreSQL, over stores filled with the real pipeline's records."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from scanner.errors import RunFailed, UsageError
from scanner.store import Store
from scanner.store import queries as q
from tests.report.conftest import BROKEN, ID_COPY, KEY, OLD, RULES, fill


def fps(**selectors):
    return q.selector_fingerprints({k: v if isinstance(v, list) else [v] for k, v in selectors.items()},
                                   KEY.encode())


def files_of(rows):
    return {(row["file"], row["member"]) for row in rows}


def test_totals_are_the_stores_and_the_records(filled, share):
    _url, store = filled
    with q.reader(store) as conn:
        totals, types = q.totals(conn), q.by_type(conn)
    stored = store.counts()
    assert {k: totals[k] for k in stored} == stored
    assert totals["documents"] == len(share.records("document")) > 8
    assert totals["findings"] == len(share.records("finding")) > 50
    assert totals["errors"] == len(share.records("error")) >= 1
    assert totals["files"] == len(share.scans)
    assert totals["unmasked_id_copies"] == 1
    assert types == dict(Counter(r["entity_type"] for r in share.records("finding")))
    assert list(types.values()) == sorted(types.values(), reverse=True)
    assert totals["high_risk"] == sum(n for t, n in types.items() if t in q.HIGH_RISK)


def test_rescanning_counts_once(filled, share):
    _url, store = filled
    with q.reader(store) as conn:
        before = (q.totals(conn), q.by_type(conn))
    run = store.begin_run([str(share.root)], RULES, 1)
    for scan in share.scans:
        store.save_file(run, scan, RULES)
    store.finish_run(run, "completed", {})
    with q.reader(store) as conn:
        assert (q.totals(conn), q.by_type(conn)) == before
        assert [r["id"] for r in q.runs(conn)] == [run, run - 1]
        assert q.runs(conn)[0]["status"] == "completed" and q.runs(conn)[0]["started_at"].endswith("Z")


def test_folders_and_where_the_risk_sits(filled, share):
    _url, store = filled
    with q.reader(store) as conn:
        totals, rows = q.totals(conn), q.folders(conn)
    per_folder, per_top = q.by_folder(rows), q.by_top_folder(rows)
    for items in (per_folder, per_top):
        assert sum(i["findings"] for i in items) == totals["findings"]
        assert sum(i["documents"] for i in items) == totals["documents"]
        assert sum(i["files"] for i in items) == totals["files"]
        assert [i["high_risk"] for i in items] == sorted((i["high_risk"] for i in items), reverse=True)
    tops = {i["folder"]: i for i in per_top}
    root = str(share.root)
    assert set(tops) == {root} | {share.path(name) for name in
                                  ("invoices", "invoices-old", "requests", "mail", "cards", "broken")}
    assert tops[share.path("invoices")]["documents"] == 1   # invoices/2016 counted under invoices
    assert tops[root]["files"] == 1                          # de_letter_01.txt, straight in the root
    assert tops[share.path("broken")]["findings"] == 0
    assert tops[share.path("cards")]["by_type"]["CREDIT_CARD"] == 2
    assert share.path("invoices/2016") in {i["folder"] for i in per_folder}
    assert per_top[0]["folder"] == share.path("mail")        # MRZ, national and card numbers, IBANs


def test_top_documents_rank_high_risk_identifiers(filled, share):
    _url, store = filled
    with q.reader(store) as conn:
        top = q.top_documents(conn, limit=3)
    assert len(top) == 3
    assert [d["high_risk"] for d in top] == sorted((d["high_risk"] for d in top), reverse=True)
    first = top[0]
    assert first["high_risk"] == sum(n for t, n in first["by_type"].items() if t in q.HIGH_RISK)
    assert first["findings"] == sum(first["by_type"].values())
    expected = Counter()
    for r in share.records("finding"):
        if r["entity_type"] in q.HIGH_RISK:
            expected[r["file"], r["member"]] += 1
    assert first["high_risk"] == max(expected.values())
    assert (first["file"], first["member"]) in {k for k, v in expected.items() if v == max(expected.values())}


def test_unmasked_id_copies_and_errors(filled, share):
    _url, store = filled
    with q.reader(store) as conn:
        copies, errors = q.unmasked_id_copies(conn), q.error_list(conn)
    assert copies == [{"file": share.path(ID_COPY), "member": None, "document_type": "BE_EID", "side": "back",
                       "reasons": ["the national register number is readable in the MRZ"]}]
    broken = [e for e in errors if e["file"] == share.path(BROKEN)]
    assert len(broken) == 1 and broken[0]["code"] and broken[0]["message"]
    assert set(broken[0]) == {"file", "member", "code", "message"}


def test_walk_errors_count_until_a_later_run_walks_the_root_again(filled, share):
    _url, store = filled
    root = str(share.root)
    with q.reader(store) as conn:
        before = q.totals(conn)["errors"]
    walk_error = {"kind": "error", "file": "share/locked", "member": None, "error": "read_failed",
                  "message": "cannot read the folder: Permission denied"}
    run = store.begin_run([root], RULES, 1)
    store.record_errors(run, [walk_error, walk_error])    # the same problem twice: counted once
    other = store.begin_run(["/elsewhere"], RULES, 1)     # a run over another root changes nothing
    with q.reader(store) as conn:
        assert q.totals(conn)["errors"] == before + 1
        assert {"file": "share/locked", "member": None, "code": "read_failed",
                "message": "cannot read the folder: Permission denied"} in q.error_list(conn)
    assert other > run
    store.begin_run([root + "/.."], RULES, 1)              # the root walked again (from above): the error is gone
    with q.reader(store) as conn:
        assert q.totals(conn)["errors"] == before


# ---------------------------------------------------------------------------------------------- DSAR
def test_dsar_by_national_number_in_any_spacing(filled, share):
    _url, store = filled
    with q.reader(store) as conn:
        for spelling in ("000510-518-22", "00.05.10-518.22", "00051051822", " 000510 518 22 "):
            rows = q.dsar(conn, fps(national_number=spelling))
            assert files_of(rows) == {(share.path("requests/nl_data_request_01.txt"), None)}, spelling
    row = rows[0]
    assert set(row) >= {"file", "member", "entity_types", "findings"}
    assert row["entity_types"] == ["BE_NATIONAL_NUMBER"] and row["findings"] == 1
    assert {"PERSON", "EMAIL_ADDRESS", "BE_ID_CARD_NUMBER"} <= set(row["document_by_type"])


def test_dsar_by_iban_email_and_phone(filled, share):
    _url, store = filled
    invoice_copies = {(share.path("invoices/2016/fr_invoice_01.txt"), None),
                      (share.path("invoices-old/fr_invoice_01.txt"), None),
                      (share.path("mail/fr_invoice_01_reply.eml"), "facture_2024-3740.png")}
    with q.reader(store) as conn:
        by_iban = q.dsar(conn, fps(iban="be85096864598306"))
        by_email = q.dsar(conn, fps(email="Lies.DHondt@Outlook.com"))
        by_phone = q.dsar(conn, fps(phone="+32 491 29 65 63"))
        both = q.dsar(conn, fps(iban="BE85 0968 6459 8306", email="lies.dhondt@outlook.com"))
    assert invoice_copies <= files_of(by_iban)      # the OCR'd attachment of the e-mail too
    assert all(r["entity_types"] == ["IBAN_CODE"] for r in by_iban)
    assert files_of(by_email) == files_of(by_phone) == {(share.path("requests/nl_data_request_01.txt"), None)}
    assert files_of(both) == files_of(by_iban) | files_of(by_email)
    assert [(r["file"], r["member"] or "") for r in both] == sorted((r["file"], r["member"] or "") for r in both)


def test_dsar_by_name_in_any_order_case_and_accents(filled, share):
    _url, store = filled
    invoice = (share.path("invoices/2016/fr_invoice_01.txt"), None)   # "M. François MASSON": a title before
    reply = (share.path("mail/fr_invoice_01_reply.eml"), None)        # "François Masson"
    with q.reader(store) as conn:
        for spelling in ("François Masson", "MASSON françois", "masson, FRANCOIS", "Mr François Masson"):
            found = files_of(q.dsar(conn, fps(name=spelling)))
            assert {invoice, reply} <= found, spelling
            assert all(r["entity_types"] == ["PERSON"] for r in q.dsar(conn, fps(name=spelling)))
        assert files_of(q.dsar(conn, fps(name="d'hondt LIES"))) == {
            (share.path("requests/nl_data_request_01.txt"), None)}
        assert files_of(q.dsar(conn, fps(name="schmitz gunter"))) == {(share.path("de_letter_01.txt"), None)}
        assert q.dsar(conn, fps(name="Masson")) == []          # a surname alone is not the person


def test_dsar_for_unknown_values_is_empty(filled):
    _url, store = filled
    with q.reader(store) as conn:
        assert q.dsar(conn, fps(national_number="85.07.30-033.28", iban="BE71 0961 2345 6769",
                                email="nobody@example.org", phone="+32 470 00 00 00",
                                name="Jeanne Inconnue")) == []


def test_dsar_fingerprints_depend_on_the_key(filled, share):
    _url, store = filled
    other = q.selector_fingerprints({"national_number": ["000510-518-22"]}, b"another-key")
    with q.reader(store) as conn:
        assert q.dsar(conn, other) == []


def test_implausible_selectors_are_refused_without_repeating_them():
    with pytest.raises(UsageError) as caught:
        fps(national_number="00051051823")          # check digits wrong
    assert "00051051823" not in str(caught.value)
    with pytest.raises(UsageError):
        fps(iban="BE85 0968 6459 8307")
    with pytest.raises(UsageError):
        fps(email="not an address")


def test_name_variants():
    variants = q.name_variants("Mme Lies D'Hondt")
    assert {"lies d hondt", "lies dhondt", "d hondt lies", "mme lies d hondt", "mevrouw d hondt lies"} <= variants
    assert q.name_variants("   ") == set()
    assert len(q.name_variants("a b c d e f g h")) < 2000   # long names: rotations, not every order


# ---------------------------------------------------------------------------------------------- retention
def test_retention_lists_old_documents_only(filled, share):
    _url, store = filled
    with q.reader(store) as conn:
        old = q.retention(conn, q.cutoff("7y"))
        everything = q.retention(conn, dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1))
    assert files_of(old) == {(share.path("invoices/2016/fr_invoice_01.txt"), None),
                             (share.path("invoices-old/fr_invoice_01.txt"), None)}
    item = old[0]
    assert item["modified"] == OLD.isoformat().replace("+00:00", "Z")
    assert item["age_days"] >= 7 * 365
    assert item["findings"] == sum(item["by_type"].values()) > 0
    assert item["entity_types"] == sorted(item["by_type"]) and "IBAN_CODE" in item["entity_types"]
    # every document with findings, none without (the broken PDF has no document)
    with_findings = {(r["file"], r["member"]) for r in share.records("finding")}
    assert files_of(everything) == with_findings
    assert [r["modified"] for r in everything] == sorted(r["modified"] for r in everything)


def test_retention_by_folder_and_class(filled, share):
    _url, store = filled
    recent = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)
    with q.reader(store) as conn:
        invoices = q.retention(conn, q.cutoff("7y"), folder=share.path("invoices"))
        slash = q.retention(conn, q.cutoff("7y"), folder=share.path("invoices") + "/")
        mail = q.retention(conn, recent, classes=["eml"])
        png = q.retention(conn, recent, classes=["image"])
        texts = q.retention(conn, recent, folder=share.path("mail"), classes=[".TXT"])
        nothing = q.retention(conn, q.cutoff("7y"), classes=["pdf", "docx"])
        other_case = q.retention(conn, q.cutoff("7y"), folder=share.path("INVOICES"))
        sibling = q.retention(conn, q.cutoff("7y"), folder=share.path("invoices-"))
    assert files_of(invoices) == files_of(slash) == {(share.path("invoices/2016/fr_invoice_01.txt"), None)}
    assert files_of(mail) == {(share.path("mail/fr_invoice_01_reply.eml"), None),
                              (share.path("mail/fr_invoice_01_reply.eml"), "facture_2024-3740.png")}
    assert files_of(png) == {(share.path("mail/fr_invoice_01_reply.eml"), "facture_2024-3740.png")}
    assert files_of(texts) == {(share.path(ID_COPY), None), (share.path("mail/<b>x</b> & co.txt"), None)}
    assert nothing == [] and other_case == [] and sibling == []


def test_durations():
    now = dt.datetime(2026, 5, 31, 12, tzinfo=dt.timezone.utc)
    assert q.cutoff("18m", now) == dt.datetime(2024, 11, 30, 12, tzinfo=dt.timezone.utc)
    assert q.cutoff("90d", now) == now - dt.timedelta(days=90)
    assert q.cutoff("2w", now) == now - dt.timedelta(days=14)
    for bad in ("", "7", "y", "7x", "-7y", "7y and more"):
        with pytest.raises(UsageError):
            q.parse_age(bad)


# ---------------------------------------------------------------------------------------------- opening
def test_open_existing_never_creates_a_store(tmp_path):
    missing = tmp_path / "missing.db"
    for url in (str(missing), f"sqlite:///{missing}"):
        with pytest.raises(RunFailed, match="does not exist"):
            q.open_existing(url)
    assert not missing.exists()
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database, not at all" * 100)
    with pytest.raises(RunFailed, match="not a piiscan findings store"):
        q.open_existing(str(garbage))
    assert garbage.read_bytes() == b"not a database, not at all" * 100
    with pytest.raises(RunFailed, match="in-memory"):
        q.open_existing("sqlite://")


def test_open_existing_refuses_a_database_that_is_no_store(db_url, share):
    empty = Store.open(db_url, migrate=False)   # connects; creates nothing but the SQLite file itself
    with empty.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE other (id INTEGER)")
    empty.close()
    with pytest.raises(RunFailed, match="not a piiscan findings store"):
        q.open_existing(db_url)
    store = fill(db_url, share)
    store.close()
    opened = q.open_existing(db_url)
    assert opened.counts()["documents"] > 0
    opened.close()
