"""The review UI in a real browser: Playwright driving the system's Chromium against a live `piiscan serve`.

Never a downloaded browser: Chromium is the Debian package (`make install`), at /usr/bin/chromium, and
it is kept off the network (no background networking, component updates or sync). The screenshots of
the main pages (docs/screenshots/, 1280x800) are written by this test run only.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Dict, List

import pytest

from tests.conftest import ROOT
from tests.review.conftest import LiveServer, leaked, raw_values

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 800}
SHOTS = ROOT / "docs" / "screenshots"
INVOICE = "fr_invoice_01.txt"
REQUEST = "nl_data_request_01.txt"
SCANNED = "scan_nl_reminder_01.pdf"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make install` installs the Debian package chromium", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


class Visit:
    """A signed-in browser context; records console errors (a CSP violation is one) and failed requests."""

    def __init__(self, browser, server: LiveServer, role: str):
        self.server = server
        self.context = browser.new_context(viewport=VIEWPORT, base_url=server.url)
        self.context.set_default_timeout(20_000)
        self.page = self.context.new_page()
        self.errors: List[str] = []
        # Failed loads are taken from the responses (with their URL); the console's copy of them would
        # also count the browser's own favicon request, which no page asks for.
        self.page.on("console", lambda msg: msg.type == "error" and not msg.text.startswith(
            "Failed to load resource") and self.errors.append(msg.text))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("response", lambda r: r.status >= 400 and self.errors.append(f"{r.status} {r.url}"))
        account = server.store.accounts[role]
        self.page.goto("/review/login")
        self.page.fill("input[name=name]", account.name)
        self.page.fill("input[name=password]", account.password)
        with self.page.expect_navigation():
            self.page.click("section.login button[type=submit]")
        assert self.page.url == server.url + "/review/", self.page.url

    def close(self):
        self.context.close()
        assert self.errors == [], f"errors in the browser console: {self.errors}"

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"))


@pytest.fixture()
def visit(browser, review_server):
    opened: List[Visit] = []

    def open_as(role: str) -> Visit:
        opened.append(Visit(browser, review_server, role))
        return opened[-1]

    yield open_as
    for one in opened:
        one.close()


def query(server: LiveServer, sql: str, *args) -> list:
    with sqlite3.connect(server.db, timeout=10) as conn:
        return conn.execute(sql, args).fetchall()


def document_id(server: LiveServer, name: str) -> int:
    return query(server, "SELECT d.id FROM documents d JOIN files f ON f.id = d.file_id WHERE f.path LIKE ?",
                 "%/" + name)[0][0]


def latest_decisions(server: LiveServer, actor: str) -> Dict[str, str]:
    """fingerprint -> the latest decision of ``actor``."""
    rows = query(server, "SELECT fingerprint, decision FROM decisions WHERE actor = ? ORDER BY id", actor)
    return dict(rows)


def wait_for(check, timeout: float = 10):
    end = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > end:
            return value
        time.sleep(0.1)


def test_pages_and_screenshots(visit, review_server):
    analyst = visit("analyst")
    page = analyst.page
    assert page.locator("nav a", has_text="Documents").count() == 1
    analyst.shot("runs")
    page.click("nav a:has-text('Documents')")
    page.wait_for_url("**/review/documents")
    assert page.locator("tr.document").count() == 5
    assert page.locator("tr.document.idcopy").count() >= 1      # the unmasked ID copy is flagged
    analyst.shot("documents")
    page.click(f"tr.document a:has-text('{SCANNED}')")
    page.wait_for_url(f"**/review/documents/{document_id(review_server, SCANNED)}")
    image = page.locator("figure.page img").first
    image.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth > 100", arg=image.element_handle())
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.locator("tr.finding.current").count() == 1
    analyst.shot("document")
    page.click("nav a:has-text('Data-subject look-up')")
    person = next(v for v in raw_values() if v.startswith("François MASSON"))
    page.fill("form.dsar input[name=name]", person)
    with page.expect_navigation():
        page.click("form.dsar button[type=submit]")
    assert page.locator("table.dsar-results a", has_text=INVOICE).count() == 1
    assert leaked(page.content()) == []
    analyst.shot("dsar")


def test_triage_with_the_keyboard(visit, review_server):
    analyst = visit("analyst")
    page = analyst.page
    doc = document_id(review_server, INVOICE)
    page.goto(f"/review/documents/{doc}")
    rows = page.locator("tr.finding")
    ids = [int(rows.nth(i).get_attribute("data-id")) for i in range(3)]
    prints = {fid: query(review_server, "SELECT fingerprint FROM findings WHERE id = ?", fid)[0][0] for fid in ids}
    assert len(set(prints.values())) == 3
    expected = {}
    for index, (key, decision) in enumerate([("c", "confirmed"), ("f", "false_positive"), ("r", "needs_redaction")]):
        page.keyboard.press("j")
        assert rows.nth(index).get_attribute("class").split().count("current") == 1
        with page.expect_response(lambda r: r.request.method == "POST" and "/decision" in r.url) as answer:
            page.keyboard.press(key)
        assert answer.value.status == 200
        expected[prints[ids[index]]] = decision
    name = review_server.store.accounts["analyst"].name

    def stored() -> bool:
        got = latest_decisions(review_server, name)
        return all(got.get(fingerprint) == decision for fingerprint, decision in expected.items())

    assert wait_for(stored), f"decisions not stored: {latest_decisions(review_server, name)}"
    assert rows.nth(0).locator("td.decision").inner_text() == "confirmed"
    assert rows.nth(1).locator("td.decision").inner_text() == "false positive"
    # k goes back, x selects for a bulk decision; the page keeps its state after a reload
    page.keyboard.press("k")
    page.keyboard.press("x")
    assert rows.nth(1).locator("input[type=checkbox]").is_checked()
    page.reload()
    assert page.locator("tr.finding.d-needs_redaction").count() >= 1
    assert page.locator("#decided-count").inner_text() != "0"


def test_reveal_with_a_reason_is_in_the_audit_log(visit, review_server):
    analyst = visit("analyst")
    page = analyst.page
    doc = document_id(review_server, INVOICE)
    page.goto(f"/review/documents/{doc}")
    row = page.locator("tr.finding", has=page.locator("td.type", has_text="EMAIL_ADDRESS")).first
    row.locator("details.reveal summary").click()
    reason = "Browser test: customer asked which address we hold"
    row.locator("details.reveal input[name=reason]").fill(reason)
    with page.expect_navigation():
        row.locator("details.reveal button[type=submit]").click()
    value = page.locator("#revealed-value").inner_text()
    assert value in raw_values(), value
    auditor = visit("auditor")
    auditor.page.goto("/review/audit")
    entry = auditor.page.locator("tr.a-reveal", has_text=reason)
    assert entry.count() == 1
    assert INVOICE in entry.inner_text() and review_server.store.accounts["analyst"].name in entry.inner_text()
    assert value not in auditor.page.content()
    auditor.shot("audit")


def test_approve_a_redaction(visit, review_server):
    analyst = visit("analyst")
    page = analyst.page
    original = review_server.store.sample(REQUEST)        # a document no other test decided on
    before = original.read_bytes()
    page.goto(f"/review/documents/{document_id(review_server, REQUEST)}")
    with page.expect_navigation(timeout=60_000):
        page.click("form.approve button[type=submit]")
    written = Path(page.locator("#output-path").inner_text())
    assert written.is_file() and written.resolve() != original.resolve()
    assert review_server.output.resolve() in written.resolve().parents
    assert original.read_bytes() == before                      # the original is never changed
    redacted = written.read_text(encoding="utf-8")
    assert redacted.encode() != before
    assert leaked(before.decode()) and leaked(redacted) == []


def test_an_analyst_cannot_open_the_audit_log_or_the_users(visit):
    analyst = visit("analyst")
    page = analyst.page
    assert page.locator("nav a", has_text="Audit log").count() == 0
    assert page.locator("nav a", has_text="Users").count() == 0
    for path in ("/review/audit", "/review/users"):
        response = page.goto(path)
        assert response.status == 403, (path, response.status)
        assert "Audit log" not in page.locator("main").inner_text() or "role" in page.content()
    analyst.errors = [e for e in analyst.errors if not e.startswith("403 ")]   # the refused pages themselves
