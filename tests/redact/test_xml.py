"""Redaction of XML e-invoices: each detected value replaced in its element, attribute or comment, the
document otherwise intact (declaration, encoding, namespaces, every element in order), embedded files
redacted by their own writer or emptied."""

from __future__ import annotations

import base64
import re

import pytest
from lxml import etree

from scanner.analyze.engine import Detection
from scanner.errors import ScanError
from scanner.extract import Limits
from scanner.extract.xml import extract_xml
from scanner.redact.document import redact_bytes
from scanner.redact.xml import redact_xml
from tests.conftest import REALDATA, real
from tests.extract.test_xml import CII, COPY, IBAN, SUPPLIER, ubl

INVOICES = REALDATA / "invoices"
KEY = b"test-key"
NS = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
      "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"}


def marks(text: str, values) -> list:
    """Detections at every occurrence of each (entity, value), as the analyzer would give them."""
    found = [Detection(entity, m.start(), m.end(), 0.9, "test", "fr")
             for entity, value in values for m in re.finditer(re.escape(value), text)]
    return sorted(found, key=lambda d: d.start)


def redacted(data: bytes, values, operator: str = "replace", member=lambda name, blob: b"redacted copy") -> bytes:
    extracted = extract_xml(data, "invoice.xml", Limits())
    return redact_xml(data, extracted, [marks(extracted.pages[0].text, values)], operator, KEY, member)


def tags(data: bytes) -> list:
    return [node.tag for node in etree.fromstring(data).iter()]


def one(root, path: str) -> str:
    return root.find(path, NS).text or ""


VALUES = [("PERSON", "Marie Dubois"), ("PERSON", "Dubois"), ("EMAIL_ADDRESS", "sophie.lambert@example.be"),
          ("IBAN_CODE", IBAN), ("ADDRESS", "Rue de la Loi 16, 1000 Bruxelles"), ("BE_ENTERPRISE_NUMBER", SUPPLIER)]


# --- The writer on its own ----------------------------------------------------------------------

@pytest.mark.parametrize("document", ["Invoice", "CreditNote"])
def test_values_are_replaced_in_place_and_the_structure_is_kept(document):
    data = ubl(document)
    out = redacted(data, VALUES)
    assert tags(out) == tags(data)
    assert out.startswith(f'<?xml version="1.0" encoding="UTF-8"?>\n<{document} '.encode())
    assert b"<cac:AccountingSupplierParty>" in out and b'xmlns:cbc="' in out  # prefixes as written
    root = etree.fromstring(out)
    party = "cac:AccountingSupplierParty/cac:Party"
    # Only the detected part of a value is replaced.
    assert one(root, "cbc:Note") == "Suite à votre appel, <PERSON>"
    assert one(root, f"{party}/cac:Contact/cbc:ElectronicMail") == "<EMAIL_ADDRESS>"
    assert one(root, f"{party}/cbc:EndpointID") == "<BE_ENTERPRISE_NUMBER>"
    # ... but a value the schema types, partly detected as that type, is replaced whole ("BE" + the number).
    assert one(root, f"{party}/cac:PartyTaxScheme/cbc:CompanyID") == "<BE_ENTERPRISE_NUMBER>"
    assert one(root, "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID") == "<IBAN_CODE>"
    # An address spread over elements: each element keeps a value of its own.
    for element in ("StreetName", "BuildingNumber", "PostalZone", "CityName"):
        assert one(root, f"{party}/cac:PostalAddress/cbc:{element}") == "<ADDRESS>"
    assert one(root, f"{party}/cac:PostalAddress/cac:Country/cbc:IdentificationCode") == "BE"
    person = "cac:AccountingCustomerParty/cac:Party/cac:Person"
    assert (one(root, f"{person}/cbc:FirstName"), one(root, f"{person}/cbc:FamilyName")) == ("<PERSON>", "<PERSON>")
    # Attributes and comments too; code-list attributes are left alone.
    attachment = root.find("cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject", NS)
    assert attachment.get("filename") == "facture <PERSON>.txt" and attachment.get("mimeCode") == "text/plain"
    assert [c.text for c in root.iter(etree.Comment)] == [" exported for <PERSON> "]
    for value in ("Dubois", "sophie.lambert", IBAN, SUPPLIER, "Rue de la Loi"):
        assert value.encode() not in out


def test_embedded_files_are_redacted_by_their_writer_or_emptied():
    seen = []

    def member(name, blob):
        seen.append((name, blob))
        return b"redacted copy"

    out = redacted(ubl(), VALUES, member=member)
    assert seen == [("facture Dubois.txt", COPY)]
    element = etree.fromstring(out).find(".//cbc:EmbeddedDocumentBinaryObject", NS)
    assert base64.b64decode(element.text.strip()) == b"redacted copy"
    # A file that could not be redacted is never passed on.
    out = redacted(ubl(), VALUES, member=lambda name, blob: None)
    element = etree.fromstring(out).find(".//cbc:EmbeddedDocumentBinaryObject", NS)
    assert not (element.text or "").strip() and base64.b64encode(COPY)[:24] not in out
    # Neither is one that was never scanned (not base64): it is emptied.
    broken = ubl().replace(base64.b64encode(COPY), b"***not base64***")
    out = redacted(broken, VALUES, member=lambda name, blob: pytest.fail("nothing to redact"))
    assert b"not base64" not in out


@pytest.mark.parametrize("operator, expected",
                         [("mask", "*" * 25), ("redact", ""), ("hash", re.compile(r"^[0-9a-f]{16}$"))])
def test_operators(operator, expected):
    out = redacted(ubl(), [("EMAIL_ADDRESS", "sophie.lambert@example.be")], operator)
    value = one(etree.fromstring(out), "cac:AccountingSupplierParty/cac:Party/cac:Contact/cbc:ElectronicMail")
    assert expected.match(value) if isinstance(expected, re.Pattern) else value == expected
    assert tags(out) == tags(ubl())


def test_encoding_and_declaration_are_kept():
    data = ubl(encoding="ISO-8859-1")
    out = redacted(data, [("PERSON", "Marie Dubois")])
    assert out.startswith(b'<?xml version="1.0" encoding="ISO-8859-1"?>\n')
    assert "Suite à votre appel, <PERSON>".encode("latin-1").replace(b"<PERSON>", b"&lt;PERSON&gt;") in out
    # A byte order mark and a declaration with single quotes stay as they were.
    data = b"\xef\xbb\xbf<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\r\n<r><a>Jan Peeters</a></r>"
    out = redacted(data, [("PERSON", "Jan Peeters")])
    assert out == b"\xef\xbb\xbf<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n<r><a>&lt;PERSON&gt;</a></r>"
    # No declaration in, none out.
    assert redacted(b"<r><a>Jan Peeters</a></r>", [("PERSON", "Jan Peeters")]) == b"<r><a>&lt;PERSON&gt;</a></r>"


def test_generic_xml_mixed_content_and_comments():
    data = b'<r><!--for Jan-Peeters--><p>Call <b>Jan Peeters</b> at 02 555 12 34 today</p></r>'
    out = redacted(data, [("PERSON", "Jan"), ("PERSON", "Peeters"), ("PHONE_NUMBER", "02 555 12 34")], "redact")
    root = etree.fromstring(out)  # well-formed: the comment holds no "--"
    assert b"Jan" not in out and b"Peeters" not in out and b"555" not in out
    assert root.find("p").text == "Call " and root.find("p/b").tail == " at  today"
    assert tags(out) == tags(data)


def test_a_typed_value_partly_detected_as_its_type_is_redacted_whole():
    out = redacted(ubl(), [("ADDRESS", "bus 3"), ("PERSON", "Kerkstraat")])
    address = etree.fromstring(out).find("cac:AccountingCustomerParty/cac:Party/cac:PostalAddress", NS)
    assert [element.text for element in address.iter("{*}StreetName", "{*}Line", "{*}CityName", "{*}PostalZone")] \
        == ["<ADDRESS>"] * 4


def test_a_value_declared_in_the_doctype_is_refused():
    data = b'<!DOCTYPE r [<!ENTITY who "Jan Peeters">]><r><a>Dear &who;</a><b>Jan Peeters</b></r>'
    with pytest.raises(ScanError) as caught:
        redacted(data, [("PERSON", "Jan Peeters")])
    assert caught.value.code == "redaction_refused"
    # Without a detection there, the DOCTYPE and the reference are kept as they were.
    out = redacted(data, [("PERSON", "Dear")])
    assert b'<!ENTITY who "Jan Peeters">' in out and b"&who;" in out


def test_a_different_document_is_refused():
    extracted = extract_xml(ubl(), "a.xml", Limits())
    with pytest.raises(ScanError) as caught:
        redact_xml(ubl("CreditNote"), extracted, [[]], "replace", KEY, lambda name, blob: blob)
    assert caught.value.code == "redaction_refused"


# --- Through the scanner (real spaCy/Presidio) --------------------------------------------------

def _fingerprints(scanner, data: bytes, name: str) -> dict:
    """{fingerprint: (member, entity)} of the findings of a scan, members included."""
    return {r.fingerprint: (r.member, r.entity_type) for r in scanner.scan_data(data, name) if r.kind == "finding"}


def test_redacting_a_ublbe_invoice_with_its_embedded_pdf(scanner):
    data = real(INVOICES / "ublbe_15000001_with_embedded_pdf.xml")
    before = _fingerprints(scanner, data, "ublbe.xml")
    assert any(member == "15000001.pdf" for member, _ in before.values())  # the PDF names a person
    out, summary = redact_bytes(scanner, data, "ublbe.xml", "replace")
    assert summary["by_type"]["BE_ENTERPRISE_NUMBER"] == 6 and summary["by_type"]["IBAN_CODE"] == 1
    assert tags(out) == tags(data)
    assert out.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<Invoice ')
    pdf = etree.fromstring(out).find(".//cbc:EmbeddedDocumentBinaryObject", NS)
    assert base64.b64decode(pdf.text).startswith(b"%PDF") and pdf.get("filename") == "15000001.pdf"
    after = _fingerprints(scanner, out, "ublbe.xml")
    assert not set(before) & set(after), sorted(after.values())
    for value in (b"0000000196", b"BE54000000000097", b"john.doole@mysuppliercompany.be", b"De Grote Meir"):
        assert value not in out


@pytest.mark.parametrize("name", ["ublbe_15000019.xml", "peppol_bis3_base-example.xml"])
def test_redacting_real_ubl_files(scanner, name):
    data = real(INVOICES / name)
    before = _fingerprints(scanner, data, name)
    out, _ = redact_bytes(scanner, data, name, "replace")
    assert tags(out) == tags(data)
    assert not set(before) & set(_fingerprints(scanner, out, name))
    for value in (b"Lisa Johnson", b"lj@buyer.se", b"Hovedgatan", b"Stockholm", b"pete.smith", b"Sint Michel"):
        assert value not in out


@pytest.mark.parametrize("data", [ubl("CreditNote"), CII], ids=["ubl-credit-note", "cii"])
def test_redacting_synthetic_belgian_invoices(scanner, data):
    before = _fingerprints(scanner, data, "invoice.xml")
    assert len(before) >= 6  # distinct values
    out, summary = redact_bytes(scanner, data, "invoice.xml", "mask")
    assert tags(out) == tags(data) and summary["findings"] >= 8
    assert not set(before) & set(_fingerprints(scanner, out, "invoice.xml"))
    for value in (SUPPLIER, IBAN, "sophie.lambert@example.be", "Sophie Lambert", "Rue de la Loi"):
        assert value.encode() not in out
