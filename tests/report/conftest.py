"""A small share of real sample documents, scanned once by the real pipeline, and stores filled with it.

The tree (under a temporary ``share/``)::

    de_letter_01.txt                          a file straight in the root
    invoices/2016/fr_invoice_01.txt           modified in 2015: past any retention period
    invoices-old/fr_invoice_01.txt            a sibling whose name starts like invoices/
    requests/nl_data_request_01.txt
    mail/fr_invoice_01_reply.eml              an e-mail with a scanned invoice attached (OCR)
    mail/fr_email_id_copy_01.txt              an MRZ and a national number; recorded as an unmasked ID copy
    mail/<b>x</b> & co.txt                    a file name that must come out escaped
    cards/en_email_card_payment_01.txt        two card numbers
    broken/statement.pdf                      not a PDF: an error record

Fingerprints are real: the session ``scanner`` fixture's key (b"test-key"); CLI subprocesses get the
same key through PIISCAN_FINGERPRINT_KEY.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List

import pytest

from scanner.store import FileScan, Store
from tests.conftest import ROOT, SAMPLES, truth_items
from tests.conftest import leaked as leaked_values

KEY = "test-key"
RULES = "test-rules"
OLD = dt.datetime(2015, 3, 1, tzinfo=dt.timezone.utc)
LAYOUT = {
    "de_letter_01.txt": "text/de_letter_01.txt",
    "invoices/2016/fr_invoice_01.txt": "text/fr_invoice_01.txt",
    "invoices-old/fr_invoice_01.txt": "text/fr_invoice_01.txt",
    "requests/nl_data_request_01.txt": "text/nl_data_request_01.txt",
    "mail/fr_invoice_01_reply.eml": "email/fr_invoice_01_reply.eml",
    "mail/fr_email_id_copy_01.txt": "text/fr_email_id_copy_01.txt",
    "mail/<b>x</b> & co.txt": "text/fr_letter_01.txt",
    "cards/en_email_card_payment_01.txt": "text/en_email_card_payment_01.txt",
}
OLD_FILES = {"invoices/2016/fr_invoice_01.txt", "invoices-old/fr_invoice_01.txt"}
ID_COPY = "mail/fr_email_id_copy_01.txt"
BROKEN = "broken/statement.pdf"
VERDICT = {"compliant": False, "document_type": "BE_EID", "side": "back",
           "checks": [{"name": "national_number_masked", "passed": False}],
           "reasons": ["the national register number is readable in the MRZ"]}


@dataclass
class Share:
    root: Path
    scans: List[FileScan]

    def path(self, relative: str) -> str:
        return str(self.root / relative)

    def records(self, kind: str) -> List[dict]:
        return [r for scan in self.scans for r in scan.records if r["kind"] == kind]


@pytest.fixture(scope="session")
def share(tmp_path_factory, scanner) -> Share:
    root = tmp_path_factory.mktemp("report") / "share"
    scans = []
    for relative, sample in list(LAYOUT.items()) + [(BROKEN, None)]:
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if sample:
            shutil.copyfile(SAMPLES / sample, target)
        else:
            target.write_bytes(b"%PDF-1.7\nthis is not a PDF at all\n")
        if relative in OLD_FILES:
            os.utime(target, (OLD.timestamp(), OLD.timestamp()))
        stat = target.stat()
        records = [r.model_dump() for r in scanner.scan_path(target)]
        assert all(r.get("text") is None for r in records)  # no --reveal: no raw value anywhere
        scans.append(FileScan(path=str(target), root=str(root), size=stat.st_size, mtime_ns=stat.st_mtime_ns,
                              sha256=None, records=records,
                              id_checks={"": VERDICT} if relative == ID_COPY else {}))
    return Share(root, scans)


def fill(url: str, share: Share) -> Store:
    store = Store.open(url)
    run = store.begin_run([str(share.root)], RULES, 1)
    for scan in share.scans:
        store.save_file(run, scan, RULES)
    store.finish_run(run, "completed", {"files_seen": len(share.scans), "files_scanned": len(share.scans)})
    return store


@pytest.fixture()
def filled(db_url, share):
    """(url, store): a store on SQLite or PostgreSQL (tests/conftest.py ``db_url``) holding the share."""
    store = fill(db_url, share)
    yield db_url, store
    store.close()


def raw_values() -> List[str]:
    """The ground-truth values of the scanned samples: none may appear in any output."""
    values = sorted({item["value"] for item in truth_items(LAYOUT.values())})
    assert len(values) > 40
    return values


def leaked(text: str) -> List[str]:
    return leaked_values(text, raw_values())


def cli_env(tmp_path) -> Dict[str, str]:
    return {**os.environ, "PIISCAN_FINGERPRINT_KEY": KEY, "PIISCAN_KEY_FILE": str(tmp_path / "unused.key"),
            "PYTHONPATH": str(ROOT)}
