"""The review UI's pages, in process (FastAPI TestClient), over a store filled by the real pipeline.

The share (scanned once per module with the session's ``scanner``, fingerprint key b"test-key"):

    letters/fr_invoice_01.txt          a text invoice: IBAN, names, addresses, phone, e-mail
    scans/scan_nl_reminder_01.pdf      a scanned letter (OCR): its preview has geometry
    mail/fr_invoice_01_reply.eml       an e-mail with a scanned invoice attached (a member document)

Three accounts (analyst, auditor, admin) sign in through the login form like a browser.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image

from scanner.privacy import fingerprint
from scanner.review import ReviewSettings, create_review_app
from scanner.review.accounts import add_user
from scanner.store import FileScan, Store
from scanner.store.schema import allowlist, audit_log, decisions, documents, files, findings
from tests.conftest import SAMPLES, leaked, truth_items

KEY = b"test-key"
RULES = "test-rules"
PASSWORD = "a long enough password"
LAYOUT = {"letters/fr_invoice_01.txt": "text/fr_invoice_01.txt",
          "scans/scan_nl_reminder_01.pdf": "pdf/scan_nl_reminder_01.pdf",
          "mail/fr_invoice_01_reply.eml": "email/fr_invoice_01_reply.eml"}
TEXT, SCAN, MAIL = "letters/fr_invoice_01.txt", "scans/scan_nl_reminder_01.pdf", "mail/fr_invoice_01_reply.eml"
USERS = {"ana": "analyst", "aud": "auditor", "adm": "admin"}


def truth(sample: str) -> List[dict]:
    return truth_items([sample])


leaks = leaked


@dataclass
class Site:
    root: Path
    db: str
    out: Path
    app: FastAPI
    review: FastAPI
    docs: Dict[str, int]            # relative path -> document id
    originals: Dict[str, bytes]

    def store(self) -> Store:
        return Store.open(self.db, migrate=False)

    def rows(self, query) -> list:
        store = self.store()
        try:
            with store.engine.connect() as conn:
                return conn.execute(query).all()
        finally:
            store.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory, scanner) -> Site:
    base = tmp_path_factory.mktemp("review-pages")
    root = base / "share"
    db = str(base / "store.db")
    store = Store.open(db)
    run = store.begin_run([str(root)], RULES, 1)
    originals = {}
    for relative, sample in LAYOUT.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SAMPLES / sample, target)
        originals[relative] = target.read_bytes()
        records = [r.model_dump() for r in scanner.scan_path(target)]
        assert all(r.get("text") is None for r in records)
        stat = target.stat()
        store.save_file(run, FileScan(path=str(target), root=str(root), size=stat.st_size,
                                      mtime_ns=stat.st_mtime_ns, sha256=None, records=records), RULES)
    store.finish_run(run, "completed", {"files_seen": len(LAYOUT), "files_scanned": len(LAYOUT)})
    for name, role in USERS.items():
        add_user(store, name, role, PASSWORD)
    with store.engine.connect() as conn:
        docs = {str(Path(path).relative_to(root)) + (f"/{member}" if member else ""): doc_id
                for doc_id, path, member in conn.execute(
                    sa.select(documents.c.id, files.c.path, documents.c.member)
                    .join(files, files.c.id == documents.c.file_id))}
    store.close()
    out = base / "out"
    review = create_review_app(ReviewSettings(db=db, output=out))
    review.state.fingerprint_key = KEY   # the scan's key (the service reads it from the key file)
    review.state.scanner = scanner       # approvals reuse the loaded analyzer
    app = FastAPI()
    app.mount("/review", review)
    return Site(root, db, out, app, review, docs, originals)


def sign_in(site: Site, name: str) -> TestClient:
    client = TestClient(site.app)
    form = client.get("/review/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    done = client.post("/review/login", data={"name": name, "password": PASSWORD, "csrf": token,
                                              "next": "/review/"}, follow_redirects=False)
    assert done.status_code == 303, done.text
    client.csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/review/").text).group(1)
    return client


@pytest.fixture(scope="module")
def analyst(site) -> TestClient:
    return sign_in(site, "ana")


@pytest.fixture(scope="module")
def auditor(site) -> TestClient:
    return sign_in(site, "aud")


@pytest.fixture(scope="module")
def admin(site) -> TestClient:
    return sign_in(site, "adm")


def finding_rows(site: Site, relative: str) -> list:
    return site.rows(sa.select(findings).where(findings.c.document_id == site.docs[relative])
                     .order_by(findings.c.id))


def audits(site: Site, action: str) -> list:
    return site.rows(sa.select(audit_log).where(audit_log.c.action == action).order_by(audit_log.c.id))


# ---------------------------------------------------------------------------------------------- pages
def test_attachment_of_an_email_is_read_from_its_container(site, analyst):
    attachment = next(name for name in site.docs if name.startswith(MAIL + "/"))
    member = attachment[len(MAIL) + 1:]
    page = analyst.get(f"/review/documents/{site.docs[attachment]}")
    assert page.status_code == 200 and member in page.text
    assert f'src="/review/documents/{site.docs[attachment]}/pages/1.png"' in page.text
    assert f"/review/documents/{site.docs[MAIL]}" in page.text            # the e-mail itself, linked
    image = analyst.get(f"/review/documents/{site.docs[attachment]}/pages/1.png")
    assert image.status_code == 200 and Image.open(io.BytesIO(image.content)).width <= 1400
    assert audits(site, "view_page")[-1].target == f"{site.root / MAIL} :: {member} page 1"
    mail = analyst.get(f"/review/documents/{site.docs[MAIL]}")
    assert mail.status_code == 200 and 'class="doctext"' in mail.text
    values = [item["value"] for item in truth(LAYOUT[MAIL])]
    assert leaks(mail.text + page.text, values) == []


def test_a_changed_file_is_not_shown_with_misplaced_masks(site):
    from scanner.review import preview

    with pytest.raises(preview.Changed):
        preview.load_source(str(site.root / TEXT), None, "0" * 64)


def test_login_is_required_everywhere(site):
    anonymous = TestClient(site.app)
    for path in ("/review/", "/review/documents", f"/review/documents/{site.docs[TEXT]}",
                 f"/review/documents/{site.docs[SCAN]}/pages/1.png", "/review/dsar", "/review/audit", "/review/users"):
        response = anonymous.get(path, follow_redirects=False)
        assert response.status_code == 303 and "/review/login" in response.headers["location"], path
    assert anonymous.post("/review/findings/1/decision", data={"decision": "confirmed"}).status_code == 401


def test_runs_page_has_totals_and_charts(site, analyst, auditor):
    for client in (analyst, auditor):
        page = client.get("/review/")
        assert page.status_code == 200
        assert page.text.count("<svg") >= 2          # findings per type and per folder
        assert "Findings per type" in page.text and "IBAN_CODE" in page.text
        assert str(site.root / "letters") in page.text
        assert "completed" in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert "<script>" not in page.text and " style=" not in page.text


def test_documents_list_and_filters(site, analyst, auditor):
    page = analyst.get("/review/documents")
    assert page.status_code == 200
    assert f"/review/documents/{site.docs[TEXT]}" in page.text and f"/review/documents/{site.docs[SCAN]}" in page.text
    only_letters = analyst.get("/review/documents", params={"folder": str(site.root / "letters")}).text
    assert f"/review/documents/{site.docs[TEXT]}\"" in only_letters
    assert f"/review/documents/{site.docs[SCAN]}\"" not in only_letters
    by_type = analyst.get("/review/documents", params={"type": "BIC_CODE"}).text
    types = {row.entity_type for row in site.rows(sa.select(findings.c.entity_type, findings.c.document_id))
             if row.entity_type == "BIC_CODE"}
    assert types  # both documents hold a BIC
    nothing = analyst.get("/review/documents", params={"type": "NO_SUCH_TYPE"}).text
    assert "No document matches" in nothing
    assert "/review/documents/" in by_type
    high = analyst.get("/review/documents", params={"risk": "high", "idcopies": "1"}).text
    assert f"/review/documents/{site.docs[TEXT]}\"" in high      # an IBAN is high-risk
    assert analyst.get("/review/documents", params={"status": "unreviewed", "page": "2"}).status_code == 200
    assert auditor.get("/review/documents").status_code == 403   # auditors see the audit log, not documents


def test_document_page_shows_masked_values_only(site, analyst):
    for relative, sample in LAYOUT.items():
        if relative == MAIL:
            continue
        page = analyst.get(f"/review/documents/{site.docs[relative]}")
        assert page.status_code == 200
        rows = finding_rows(site, relative)
        assert rows
        for row in rows:
            assert html.escape(row.text_masked, quote=False) in page.text or row.text_masked in html.unescape(page.text)
        values = [item["value"] for item in truth(sample)]
        assert values and leaks(page.text, values) == []
        assert "hmac-sha256" not in page.text      # fingerprints stay on the server too
    text_page = analyst.get(f"/review/documents/{site.docs[TEXT]}").text
    assert 'class="doctext"' in text_page and '<mark class="pii' in text_page
    scan_page = analyst.get(f"/review/documents/{site.docs[SCAN]}").text
    assert f'src="/review/documents/{site.docs[SCAN]}/pages/1.png"' in scan_page
    targets = [row.target for row in audits(site, "view_document")]
    assert str(site.root / TEXT) in targets and str(site.root / SCAN) in targets


def test_page_image_is_a_redacted_preview(site, analyst):
    response = analyst.get(f"/review/documents/{site.docs[SCAN]}/pages/1.png")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content)).convert("RGB")
    assert image.width <= 1400
    boxed = [row for row in finding_rows(site, SCAN) if row.page == 1 and row.bbox]
    assert boxed
    for row in boxed:
        (x0, y0, x1, y1), (w, h) = row.bbox, row.page_size
        fx, fy = image.width / w, image.height / h
        # the inner part of the box (outlines and labels of neighbours may touch its rim)
        inner = (int(x0 * fx) + 3, int(y0 * fy) + 3, int(x1 * fx) - 3, int(y1 * fy) - 3)
        if inner[2] - inner[0] < 3 or inner[3] - inner[1] < 3:
            continue
        colours = image.crop(inner).getcolors(maxcolors=1 << 16)
        assert colours is not None and len(colours) == 1 and colours[0][1] == (0, 0, 0), row.entity_type
    again = analyst.get(f"/review/documents/{site.docs[SCAN]}/pages/1.png")
    assert again.content == response.content                     # the cache answers the same bytes
    assert analyst.get(f"/review/documents/{site.docs[SCAN]}/pages/9.png").status_code == 404
    assert analyst.get(f"/review/documents/{site.docs[TEXT]}/pages/1.png").status_code == 404
    assert any(row.target == f"{site.root / SCAN} page 1" for row in audits(site, "view_page"))


def test_decisions_one_by_one_and_in_bulk(site, analyst):
    rows = finding_rows(site, TEXT)
    first = rows[0]
    refused = analyst.post(f"/review/findings/{first.id}/decision", data={"decision": "confirmed"})
    assert refused.status_code == 403                             # no CSRF token
    done = analyst.post(f"/review/findings/{first.id}/decision",
                        data={"decision": "false_positive", "csrf": analyst.csrf}, follow_redirects=False)
    assert done.status_code == 303
    stored = site.rows(sa.select(decisions).where(decisions.c.fingerprint == first.fingerprint))
    assert [(r.decision, r.actor, r.path, r.member) for r in stored] == [
        ("false_positive", "ana", str(site.root / TEXT), None)]
    assert site.rows(sa.select(allowlist.c.entity_type).where(allowlist.c.fingerprint == first.fingerprint)) == [
        (first.entity_type,)]
    # the keyboard's way: fetch with the token in a header, JSON back; the latest decision wins
    answer = analyst.post(f"/review/findings/{first.id}/decision", data={"decision": "confirmed"},
                          headers={"X-CSRF-Token": analyst.csrf, "Accept": "application/json"})
    assert answer.status_code == 200 and answer.json()["decision"] == "confirmed"
    assert first.id in answer.json()["findings"]
    assert site.rows(sa.select(allowlist).where(allowlist.c.fingerprint == first.fingerprint)) == []
    page = analyst.get(f"/review/documents/{site.docs[TEXT]}").text
    assert re.search(rf'id="f{first.id}"[^>]*data-decision="confirmed"', page)
    # bulk
    chosen = [str(r.id) for r in rows[1:3]]
    bulk = analyst.post(f"/review/documents/{site.docs[TEXT]}/decisions",
                        data={"decision": "needs_redaction", "finding": chosen, "csrf": analyst.csrf},
                        follow_redirects=False)
    assert bulk.status_code == 303
    listed = analyst.get("/review/documents", params={"status": "needs_redaction"}).text
    assert f"/review/documents/{site.docs[TEXT]}\"" in listed
    alien = finding_rows(site, SCAN)[0].id
    wrong = analyst.post(f"/review/documents/{site.docs[TEXT]}/decisions",
                         data={"decision": "confirmed", "finding": [str(alien)], "csrf": analyst.csrf})
    assert wrong.status_code == 400
    assert analyst.post(f"/review/findings/{first.id}/decision",
                        data={"decision": "delete", "csrf": analyst.csrf}).status_code == 400
    assert len(audits(site, "decide")) == 3


def test_reveal_needs_a_reason_and_is_audited(site, analyst, auditor):
    iban = next(r for r in finding_rows(site, TEXT) if r.entity_type == "IBAN_CODE")
    expected = next(t["value"] for t in truth(LAYOUT[TEXT]) if t["entity_type"] == "IBAN_CODE")
    for reason in ("", "  ", "why"):
        refused = analyst.post(f"/review/findings/{iban.id}/reveal", data={"reason": reason, "csrf": analyst.csrf})
        assert refused.status_code == 400 and expected not in refused.text
    assert auditor.post(f"/review/findings/{iban.id}/reveal",
                        data={"reason": "curious auditor", "csrf": auditor.csrf}).status_code == 403
    shown = analyst.post(f"/review/findings/{iban.id}/reveal",
                         data={"reason": "client asked which account", "csrf": analyst.csrf})
    assert shown.status_code == 200 and expected in shown.text
    assert shown.headers["cache-control"] == "no-store"
    row = audits(site, "reveal")[-1]
    assert (row.actor, row.reason) == ("ana", "client asked which account")
    assert row.target == f"{site.root / TEXT} finding {iban.id}"
    every = " ".join(f"{r.target} {r.reason}" for r in site.rows(sa.select(audit_log)))
    assert expected not in every and expected.replace(" ", "") not in every


def test_reveal_reads_a_scanned_page_again(site, analyst):
    row = next(r for r in finding_rows(site, SCAN) if r.entity_type == "IBAN_CODE")
    shown = analyst.post(f"/review/findings/{row.id}/reveal", data={"reason": "check the OCR", "csrf": analyst.csrf})
    assert shown.status_code == 200, shown.text
    value = re.search(r'id="revealed-value">([^<]*)<', shown.text).group(1)
    value = html.unescape(value)
    assert fingerprint(row.entity_type, value, KEY) == row.fingerprint      # what the scan read, OCR and all
    assert re.sub(r"\W", "", value).replace("O", "0") == "BE02363350344640"


def test_approve_writes_a_redacted_copy(site, analyst):
    response = analyst.post(f"/review/documents/{site.docs[TEXT]}/approve",
                            data={"operator": "replace", "csrf": analyst.csrf})
    assert response.status_code == 200, response.text
    target = site.out / TEXT
    assert target.is_file() and str(target) in response.text
    assert (site.root / TEXT).read_bytes() == site.originals[TEXT]     # the original is untouched
    redacted = target.read_text(encoding="utf-8")
    values = [t["value"] for t in truth(LAYOUT[TEXT]) if t["entity_type"] in ("IBAN_CODE", "EMAIL_ADDRESS")]
    assert values and not any(v in redacted for v in values)
    assert audits(site, "approve_redaction")[-1].target == f"{site.root / TEXT} -> {target}"
    assert analyst.post(f"/review/documents/{site.docs[TEXT]}/approve", data={"operator": "replace"}).status_code == 403


def test_approve_leaves_values_dismissed_as_false_positives(site, analyst):
    email = next(f for f in finding_rows(site, TEXT) if f.entity_type == "EMAIL_ADDRESS")
    value = next(t["value"] for t in truth(LAYOUT[TEXT]) if t["entity_type"] == "EMAIL_ADDRESS")
    decide = {"decision": "false_positive", "csrf": analyst.csrf}
    assert analyst.post(f"/review/findings/{email.id}/decision", data=decide).status_code in (200, 303)
    try:
        response = analyst.post(f"/review/documents/{site.docs[TEXT]}/approve",
                                data={"operator": "replace", "csrf": analyst.csrf})
        assert response.status_code == 200, response.text
        redacted = (site.out / TEXT).read_text(encoding="utf-8")
        iban = next(t["value"] for t in truth(LAYOUT[TEXT]) if t["entity_type"] == "IBAN_CODE")
        assert value in redacted and iban not in redacted
    finally:  # a confirmation takes the value off the allow-list again
        analyst.post(f"/review/findings/{email.id}/decision", data={**decide, "decision": "confirmed"})


def test_approve_defaults_to_a_folder_beside_the_sqlite_store(site, analyst, monkeypatch):
    from scanner.review import pages

    monkeypatch.setattr(site.review.state.review, "output", None)
    assert pages.target_for(Path("/out"), "/share/a/b.txt", "/share") == Path("/out/a/b.txt")
    # SQLite: beside the store file
    response = analyst.post(f"/review/documents/{site.docs[TEXT]}/approve",
                            data={"operator": "mask", "csrf": analyst.csrf})
    assert response.status_code == 200 and (Path(site.db).parent / "redacted" / TEXT).is_file()


def test_dsar_finds_the_document_without_echoing_the_value(site, analyst, auditor):
    iban = next(t["value"] for t in truth(LAYOUT[TEXT]) if t["entity_type"] == "IBAN_CODE")
    form = analyst.get("/review/dsar")
    assert form.status_code == 200 and 'name="iban"' in form.text
    found = analyst.post("/review/dsar", data={"iban": iban.lower(), "national_number": "", "csrf": analyst.csrf})
    assert found.status_code == 200
    assert f"/review/documents/{site.docs[TEXT]}\"" in found.text
    assert leaks(found.text, [iban]) == []
    row = audits(site, "dsar")[-1]
    assert row.target.startswith("selectors: iban;") and iban not in (row.target or "")
    bad = analyst.post("/review/dsar", data={"national_number": "12.34.56-789.00", "csrf": analyst.csrf})
    assert bad.status_code == 400 and "12.34.56" not in bad.text
    assert auditor.get("/review/dsar").status_code == 403


def test_audit_log_and_users_by_role(site, analyst, auditor, admin):
    assert analyst.get("/review/audit").status_code == 403
    page = auditor.get("/review/audit")
    assert page.status_code == 200 and "view_document" in page.text and "reveal" in page.text
    assert audits(site, "view_audit")[-1].actor == "aud"
    filtered = auditor.get("/review/audit", params={"action": "reveal"}).text
    assert "client asked which account" in filtered and "<td>view_page</td>" not in filtered
    assert admin.get("/review/audit").status_code == 200
    assert analyst.get("/review/users").status_code == 403 and auditor.get("/review/users").status_code == 403
    users_page = admin.get("/review/users").text
    assert all(name in users_page for name in USERS) and "argon2" not in users_page


def test_allowlist_text_never_holds_values(site):
    rows = site.rows(sa.select(allowlist))
    assert all(r.fingerprint.startswith("hmac-sha256:") for r in rows)
    digest = hashlib.sha256(site.originals[TEXT]).hexdigest()
    assert site.rows(sa.select(documents.c.sha256).where(documents.c.id == site.docs[TEXT])) == [(digest,)]
