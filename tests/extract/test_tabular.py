"""Spreadsheets and JSON exports read as data: labels before values, cell/key locations, typed columns,
streamed pages. Values are made in the test with python-stdnum (checksum-valid, not real people)."""

from __future__ import annotations

import datetime
import io
import json
import time
import tracemalloc
import zipfile
from xml.sax.saxutils import escape

import openpyxl
import pytest
from stdnum import iban
from stdnum.be import nn

from scanner.errors import ScanError
from scanner.extract import Limits
from scanner.extract.dispatch import extract, kind_of
from scanner.extract.tabular import (extract_json, extract_ods, extract_xlsx, field_names, header_row,
                                     json_tokens)


# ------------------------------------------------------------------------------------------- test values
def national_number(born: str, serial: str) -> str:
    """A valid Belgian national number for a birth date (yymmdd, 19xx) and a serial."""
    body = born + serial
    number = body + f"{97 - int(body) % 97:02d}"
    assert nn.is_valid(number)
    return number


def belgian_iban(account: str) -> str:
    """A valid Belgian IBAN, printed in groups of four, for a 10-digit account number."""
    bban = account + f"{(int(account) % 97) or 97:02d}"
    number = "BE" + iban.calc_check_digits("BE00" + bban) + bban
    assert iban.is_valid(number)
    return iban.format(number)


NN_JAN, NN_ANNE, NN_PIETER = national_number("850730", "033"), national_number("920114", "262"), \
    national_number("770402", "151")
IBAN_JAN, IBAN_ANNE, IBAN_PIETER = belgian_iban("0961234567"), belgian_iban("3630234581"), belgian_iban("0014567890")
BAD_NN = NN_ANNE[:-2] + f"{(int(NN_ANNE[-2:]) + 1) % 100:02d}"  # checksum off by one
BAD_IBAN = IBAN_ANNE[:-1] + str((int(IBAN_ANNE[-1]) + 1) % 10)
HEADERS = ["Naam", "Rijksregisternummer", "IBAN", "E-mail", "Telefoon", "Adres"]
DEBTORS = [
    ["Jan Peeters", NN_JAN, IBAN_JAN, "jan.peeters@telenet.be", "0471 23 45 67", "Kerkstraat 12, 9000 Gent"],
    ["Anne Dupont", int(NN_ANNE), IBAN_ANNE, "anne.dupont@skynet.be", "+32 2 512 34 56", "Rue Haute 5, 1000 Bruxelles"],
]


def debtor_workbook(bad_row: bool = False) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Debiteuren"
    sheet.append(HEADERS)
    for row in DEBTORS:
        sheet.append(row)
    if bad_row:  # typed columns whose values fail their checksum
        sheet.append(["Pieter Claes", BAD_NN, BAD_IBAN, "pieter.claes@proximus.be", "0496 11 22 33",
                      "Markt 1, 3000 Leuven"])
    raw = book.create_sheet("Export")  # no header row
    raw.append(["Pieter Claes", NN_PIETER, IBAN_PIETER, datetime.datetime(1977, 4, 2)])
    raw.append(["Sofie Maes", 12.5, "Gent", datetime.datetime(2024, 3, 1)])
    book.properties.creator = "Marie Claes"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/"')


def ods_cell(value) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, (int, float)):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'


def ods_file(sheets: dict, creator: str = "", extra_cells: str = "") -> bytes:
    """A minimal .ods: each sheet's rows, a huge repeated empty tail (as LibreOffice writes), properties."""
    body = ""
    for number, (name, rows) in enumerate(sheets.items()):
        body += f'<table:table table:name="{escape(name)}"><table:table-column table:number-columns-repeated="1024"/>'
        for row in rows:
            body += ("<table:table-row>" + "".join(ods_cell(v) for v in row) +
                     '<table:table-cell table:number-columns-repeated="1018"/></table:table-row>')
        body += extra_cells if number == 0 else ""
        body += ('<table:table-row table:number-rows-repeated="1048000">'
                 '<table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} office:version="1.3">'
               f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>")
    meta = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {ODS_NS} office:version="1.3"><office:meta>'
            + (f"<dc:creator>{escape(creator)}</dc:creator>" if creator else "") + "</office:meta></office:document-meta>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("meta.xml", meta, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


DEBTORS_JSON = {"export": "2024-06", "debtors": [
    {"id": "K-1001", "name": "Jan Peeters", "national_number": NN_JAN, "iban": IBAN_JAN,
     "contact": {"email": "jan.peeters@telenet.be", "phone": "0471 23 45 67"}, "balance": 125.5},
    {"id": "K-1002", "name": "Anne Dupont", "national_number": int(NN_ANNE), "iban": IBAN_ANNE,
     "contact": {"email": "anne.dupont@skynet.be", "phone": None}, "balance": 0},
]}


def findings(scanner, data: bytes, name: str) -> list:
    return [r for r in scanner.scan_bytes(data, name) if r.kind == "finding"]


def located(records) -> set:
    return {(r.entity_type, r.location) for r in records}


def all_pages(extracted) -> list:
    return list(extracted.pages)


# ------------------------------------------------------------------------------------------- layout and headers
def test_rows_read_as_labelled_values_with_cell_locations():
    extracted = extract_xlsx(debtor_workbook(), "d.xlsx", Limits())
    pages = all_pages(extracted)
    sheet = pages[0]
    assert sheet.number == 1 and sheet.label == "sheet: Debiteuren"
    lines = sheet.text.splitlines()
    assert lines[0] == ";\t".join(HEADERS)  # the header row is read once, as it is
    assert lines[1].startswith("Naam: Jan Peeters;\tRijksregisternummer: ")
    fields = {f.location: (sheet.text[f.start:f.end], f.entity) for f in sheet.fields}
    assert fields["Debiteuren!B2"] == (NN_JAN, "BE_NATIONAL_NUMBER")
    assert fields["Debiteuren!B3"] == (NN_ANNE, "BE_NATIONAL_NUMBER")  # stored as a number: read as its digits
    assert fields["Debiteuren!C2"] == (IBAN_JAN, "IBAN_CODE")
    assert fields["Debiteuren!D2"][1] == "EMAIL_ADDRESS" and fields["Debiteuren!E3"][1] == "PHONE_NUMBER"
    assert fields["Debiteuren!F2"][1] == "ADDRESS" and fields["Debiteuren!A2"] == ("Jan Peeters", None)
    assert fields["Debiteuren!A1"] == ("Naam", None)
    raw = pages[1]  # no header row: the column letters are the labels
    assert raw.number == 2 and raw.text.splitlines()[0] == f"A: Pieter Claes;\tB: {NN_PIETER};\tC: {IBAN_PIETER};\tD: 1977-04-02"
    assert all(f.entity is None for f in raw.fields)
    assert pages[-1].label == "metadata" and pages[-1].number is None and "Marie Claes" in pages[-1].text


def test_header_names_in_four_languages():
    names = field_names()
    expected = {
        "Rijksregisternummer": "BE_NATIONAL_NUMBER", "numéro de registre national": "BE_NATIONAL_NUMBER",
        "NISS": "BE_NATIONAL_NUMBER", "national_number": "BE_NATIONAL_NUMBER", "Nationalregisternummer":
            "BE_NATIONAL_NUMBER", "IBAN": "IBAN_CODE", "rekeningnummer": "IBAN_CODE", "Compte": "IBAN_CODE",
        "BIC": "BIC_CODE", "e-mail": "EMAIL_ADDRESS", "E-Mail-Adresse": "EMAIL_ADDRESS", "courriel": "EMAIL_ADDRESS",
        "adresse e-mail": "EMAIL_ADDRESS", "telefoon": "PHONE_NUMBER", "Téléphone": "PHONE_NUMBER",
        "GSM": "PHONE_NUMBER", "mobile": "PHONE_NUMBER", "Adres": "ADDRESS", "adresse": "ADDRESS",
        "Anschrift": "ADDRESS", "klantadres": "ADDRESS", "BTW": "BE_ENTERPRISE_NUMBER", "TVA": "BE_ENTERPRISE_NUMBER",
        "VAT number": "BE_ENTERPRISE_NUMBER", "ondernemingsnummer": "BE_ENTERPRISE_NUMBER",
        "numéro d'entreprise": "BE_ENTERPRISE_NUMBER", "debtor name": "PERSON", "naam klant": "PERSON",
        "nom du débiteur": "PERSON", "contact": "PERSON", "Kundenname": "PERSON", "firstName": "PERSON",
        "IP-adres": "IP_ADDRESS", "Geburtsdatum": "DATE_OF_BIRTH",
    }
    assert {header: names.entity(header) for header in expected} == expected
    # A bare name column may hold products or companies; a German social security number is not Belgian.
    for header in ("Naam", "nom", "Name", "product name", "username", "Sozialversicherungsnummer", "Hotel"):
        assert names.entity(header) is None, header
    assert names.typed("EMAIL_ADDRESS", "n/a") is None and names.typed("PHONE_NUMBER", "onbekend") is None


def test_header_row_detection():
    names = field_names()

    def rows(*lines):
        return [(n, [(c, text, isinstance(text, str)) for c, text in enumerate(line, 1)]) for n, line in
                enumerate(lines, 1)]

    assert header_row(rows(["Naam", "IBAN"], ["Jan Peeters", IBAN_JAN]), names) == 0  # a known header name
    assert header_row(rows(["Klant", "Bedrag"], ["Jan Peeters", 12.5]), names) == 0  # text over a number
    assert header_row(rows(["Jan Peeters", NN_JAN], ["Anne Dupont", NN_ANNE]), names) is None  # data first
    assert header_row(rows(["Klant", "Stad"], ["Jan Peeters", "Gent"]), names) is None  # text over text: unsure
    assert header_row(rows(["Debiteurenlijst juni"], ["Naam", "IBAN"], ["Jan Peeters", IBAN_JAN]), names) == 1
    assert header_row(rows(["Naam", "IBAN"]), names) is None  # a header stands over data


# ------------------------------------------------------------------------------------------- findings
def test_labelled_column_is_a_national_number_at_its_cell(scanner):
    found = located(findings(scanner, debtor_workbook(), "debiteuren.xlsx"))
    for entity, cell in (("BE_NATIONAL_NUMBER", "B2"), ("BE_NATIONAL_NUMBER", "B3"), ("IBAN_CODE", "C2"),
                         ("IBAN_CODE", "C3"), ("EMAIL_ADDRESS", "D2"), ("PHONE_NUMBER", "E2"),
                         ("PHONE_NUMBER", "E3"), ("ADDRESS", "F2"), ("PERSON", "A2"), ("PERSON", "A3")):
        assert (entity, f"Debiteuren!{cell}") in found, (entity, cell)
    # The sheet without a header: checksum-valid values are found bare.
    assert ("BE_NATIONAL_NUMBER", "Export!B1") in found and ("IBAN_CODE", "Export!C1") in found
    assert ("PERSON", None) in found  # the author, on the metadata page


def test_typed_cell_failing_its_checksum_is_not_that_type(scanner):
    found = located(findings(scanner, debtor_workbook(bad_row=True), "debiteuren.xlsx"))
    assert ("BE_NATIONAL_NUMBER", "Debiteuren!B4") not in found
    assert ("IBAN_CODE", "Debiteuren!C4") not in found
    assert ("EMAIL_ADDRESS", "Debiteuren!D4") in found  # the rest of the row is still read


def test_ods_sheets_repeats_and_properties(scanner):
    rows = [HEADERS, [str(v) for v in DEBTORS[0]], DEBTORS[1]]
    spaced = ('<table:table-row><table:table-cell office:value-type="string"><text:p>Sofie<text:s text:c="3"/>'
              '<text:span>Maes</text:span></text:p></table:table-cell>'
              '<table:table-cell table:number-columns-repeated="2"/>'
              '<table:table-cell office:value-type="string" table:number-columns-repeated="2">'
              '<text:p>herhaald</text:p></table:table-cell></table:table-row>')
    data = ods_file({"Debiteuren": rows, "Leeg": []}, creator="Marie Claes", extra_cells=spaced)
    assert kind_of(data, "d.ods") == "ods"
    started = time.perf_counter()
    pages = all_pages(extract(data, "d.ods", Limits()))
    assert time.perf_counter() - started < 5  # a million repeated empty rows are skipped, not expanded
    sheet = pages[0]
    fields = {f.location: (sheet.text[f.start:f.end], f.entity) for f in sheet.fields}
    assert fields["Debiteuren!B2"] == (NN_JAN, "BE_NATIONAL_NUMBER")
    assert fields["Debiteuren!B3"] == (NN_ANNE, "BE_NATIONAL_NUMBER")  # a float cell, shown as written
    assert fields["Debiteuren!A4"][0] == "Sofie Maes"  # spans inline, text:s as (collapsed) spaces
    assert fields["Debiteuren!D4"][0] == fields["Debiteuren!E4"][0] == "herhaald"  # a repeated cell, twice
    assert [p.label for p in pages] == ["sheet: Debiteuren", "metadata"] and "Marie Claes" in pages[-1].text
    found = located(findings(scanner, data, "d.ods"))
    assert ("BE_NATIONAL_NUMBER", "Debiteuren!B2") in found and ("IBAN_CODE", "Debiteuren!C3") in found


def test_json_nested_keys_are_located(scanner):
    data = json.dumps(DEBTORS_JSON, indent=2).encode()
    pages = all_pages(extract_json(data, "export.json", Limits()))
    assert pages[0].text.splitlines()[0].startswith("export: 2024-06;\tdebtors.id: K-1001;\tdebtors.name: Jan Peeters")
    found = located(findings(scanner, data, "export.json"))
    for entity, path in (("IBAN_CODE", "$.debtors[0].iban"), ("BE_NATIONAL_NUMBER", "$.debtors[0].national_number"),
                         ("BE_NATIONAL_NUMBER", "$.debtors[1].national_number"),
                         ("EMAIL_ADDRESS", "$.debtors[1].contact.email"), ("PHONE_NUMBER", "$.debtors[0].contact.phone"),
                         ("PERSON", "$.debtors[0].name")):
        assert (entity, path) in found, (entity, path)


def test_jsonl_located_by_line_and_broken_lines_reported(scanner):
    lines = [json.dumps({"naam": "Jan Peeters", "rijksregisternummer": NN_JAN, "iban": IBAN_JAN}),
             '{"naam": "Anne Dupont", "iban": ',  # cut short
             "",
             json.dumps({"naam": "Pieter Claes", "odd key": {"rekeningnummer": IBAN_PIETER}})]
    data = ("\n".join(lines) + "\n").encode()
    extracted = extract_json(data, "export.jsonl", Limits())
    assert extracted.extra["lines"] is True
    pages = all_pages(extracted)
    assert [f.location for f in pages[0].fields][:2] == ["line 1 $.naam", "line 1 $.rijksregisternummer"]
    assert [(entry, code) for entry, code, _ in extracted.extra["errors"]] == [("line 2", "corrupt_document")]
    assert IBAN_JAN not in extracted.extra["errors"][0][2] and "Anne" not in extracted.extra["errors"][0][2]
    records = list(scanner.scan_bytes(data, "export.jsonl"))
    found = located(r for r in records if r.kind == "finding")
    assert ("BE_NATIONAL_NUMBER", "line 1 $.rijksregisternummer") in found
    assert ("IBAN_CODE", "line 4 $['odd key'].rekeningnummer") in found
    errors = [r for r in records if r.kind == "error"]
    assert [(e.member, e.error) for e in errors] == [("line 2", "corrupt_document")]
    # A .json holding one object per line is read as JSON lines.
    assert extract_json(data.replace(b"\n\n", b"\n"), "export.json", Limits()).extra["lines"] is True


def test_nothing_parses_or_cut_short(scanner):
    with pytest.raises(ScanError) as caught:
        all_pages(extract_json(b"{oops\n[nope\n", "x.jsonl", Limits()))
    assert caught.value.code == "corrupt_document"
    cut = b'[{"iban": "' + IBAN_JAN.encode() + b'"}, {"iban": '
    pages = iter(extract_json(cut, "x.json", Limits()).pages)
    assert next(pages).fields[0].location == "$[0].iban"  # what was read before the cut comes first
    with pytest.raises(ScanError) as caught:
        next(pages)
    assert caught.value.code == "corrupt_document"
    records = list(scanner.scan_bytes(cut, "x.json"))
    assert records[-1].kind == "error" and records[-1].error == "corrupt_document"


def test_json_tokens_follow_the_extracted_locations():
    text = json.dumps({"a b": [1, {"c": "x\\ny", "d": [True, None, 2.5]}], "e": {}})
    tokens = [(kind, location) for kind, location, _, _ in json_tokens(text)]
    assert tokens == [("key", "$['a b']"), ("number", "$['a b'][0]"), ("key", "$['a b'][1].c"),
                      ("string", "$['a b'][1].c"), ("key", "$['a b'][1].d"), ("literal", "$['a b'][1].d[0]"),
                      ("literal", "$['a b'][1].d[1]"), ("number", "$['a b'][1].d[2]"), ("key", "$.e")]
    page = all_pages(extract_json(text.encode(), "t.json", Limits()))[0]
    assert [f.location for f in page.fields] == ["$['a b'][0]", "$['a b'][1].c", "$['a b'][1].d[2]"]


# ------------------------------------------------------------------------------------------- streaming
def big_jsonl(size: int) -> bytes:
    record = {"id": 0, "naam": "Jan Peeters", "rijksregisternummer": NN_JAN, "iban": IBAN_JAN,
              "adres": {"straat": "Kerkstraat 12", "stad": "Gent"}, "saldo": 12.5}
    line = json.dumps(record).encode() + b"\n"
    return line * (size // len(line) + 1)


def test_large_jsonl_is_read_lazily_in_bounded_memory():
    data = big_jsonl(20 * 1024 * 1024)
    pages = iter(extract_json(data, "big.jsonl", Limits()).pages)
    started = time.perf_counter()
    first = next(pages)  # the first page comes at once: the file is not read whole first
    assert time.perf_counter() - started < 1 and first.fields and first.fields[0].location == "line 1 $.id"
    # Reading on: memory stays at a page or two, not a copy of the file (tracemalloc counts Python's
    # allocations; the file's bytes were allocated before it started).
    tracemalloc.start()
    try:
        for _ in zip(range(150), pages):
            pass
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024, peak


def test_large_json_array_is_streamed():
    data = b"[" + big_jsonl(4 * 1024 * 1024).strip().replace(b"\n", b",\n") + b"]"
    tracemalloc.start()
    try:
        pages = iter(extract_json(data, "big.json", Limits()).pages)
        first = next(pages)
        for _ in zip(range(50), pages):
            pass
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert first.fields[0].location == "$[0].id" and peak < 4 * 1024 * 1024, peak


def test_hostile_spreadsheets_fail_cleanly():
    with pytest.raises(ScanError) as caught:
        extract_xlsx(debtor_workbook()[:2000], "d.xlsx", Limits())
    assert caught.value.code == "corrupt_document"
    with pytest.raises(ScanError) as caught:
        extract_ods(b"PK\x03\x04 not really", "d.ods", Limits())
    assert caught.value.code == "corrupt_document"
    broken = ods_file({"S": [["Naam"]]}).replace(b"content.xml", b"content.xmx")
    with pytest.raises(ScanError):
        all_pages(extract_ods(broken, "d.ods", Limits()))
    extracted = extract_xlsx(debtor_workbook(), "d.xlsx", Limits(max_pages=1))
    assert [p.number for p in all_pages(extracted) if p.number] == [1]
    assert extracted.extra["errors"][0][1] == "container_limit"
