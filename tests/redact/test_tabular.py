"""Redaction of spreadsheets and JSON exports: values gone from cells and values, the structure kept,
and a fresh scan of the output finds none of what was redacted."""

from __future__ import annotations

import io
import json
import re
import zipfile

import openpyxl
import pytest
from lxml import etree
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Font

from scanner.analyze.engine import Detection
from scanner.errors import ScanError
from scanner.extract import Extracted, Limits
from scanner.extract.dispatch import extract
from scanner.extract.tabular import extract_json
from scanner.redact.document import redact_bytes
from scanner.redact.tabular import redact_tabular, source_detections
from tests.extract.test_tabular import (DEBTORS, DEBTORS_JSON, HEADERS, IBAN_ANNE, IBAN_JAN, IBAN_PIETER, NN_ANNE,
                                        NN_JAN, NN_PIETER, ods_file)

SECRETS = ["Jan Peeters", "Anne Dupont", NN_JAN, NN_ANNE, NN_PIETER, IBAN_JAN, IBAN_ANNE, IBAN_PIETER,
           "jan.peeters@telenet.be", "anne.dupont@skynet.be"]


def page_text(data: bytes, name: str) -> str:
    return "\n".join(page.text for page in extract(data, name, Limits()).pages)


def fingerprints(scanner, data: bytes, name: str) -> set:
    return {r.fingerprint for r in scanner.scan_bytes(data, name) if r.kind == "finding"}


def assert_redacted(scanner, data: bytes, output: bytes, name: str) -> None:
    """Nothing found before is found again, and no value is left in the text."""
    before = fingerprints(scanner, data, name)
    assert before and not before & fingerprints(scanner, output, name)
    text = page_text(output, name)
    assert [value for value in SECRETS if value in text] == []


# ------------------------------------------------------------------------------------------- Excel
def workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Debiteuren"
    sheet.append(HEADERS + ["Saldo", "Kopie"])
    for number, row in enumerate(DEBTORS, 2):
        sheet.append(row + [12.5 * number, f"=A{number}"])
    sheet["A1"].font = Font(bold=True)
    sheet["D2"].comment = Comment("Gebeld met Jan Peeters", "Marie")
    raw = book.create_sheet("Export")
    raw.append(["Pieter Claes", NN_PIETER, IBAN_PIETER])
    totals = book.create_sheet("Totaal")
    totals["A1"], totals["B1"] = "Totaal saldo", "=SUM(Debiteuren!G2:G3)"
    book.properties.creator = "Jan Peeters"
    book.properties.title = "Debiteuren juni"
    book.custom_doc_props.append(StringProperty(name="Dossierbeheerder", value="Anne Dupont"))
    buffer = io.BytesIO()
    book.save(buffer)
    return _with_cached_values(buffer.getvalue(), {"H2": "Jan Peeters", "H3": "Anne Dupont"})


def _with_cached_values(data: bytes, values: dict) -> bytes:
    """What Excel would have saved: the last computed value of a formula beside the formula."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                for cell, value in values.items():
                    text = re.sub(rf'<c r="{cell}"><f>([^<]*)</f><v></v></c>',
                                  rf'<c r="{cell}" t="str"><f>\1</f><v>{value}</v></c>', text)
                content = text.encode()
            target.writestr(info, content)
    return output.getvalue()


def test_xlsx_redacted_in_place_formulas_and_sheets_kept(scanner):
    data = workbook()
    assert "Kopie: Jan Peeters" in page_text(data, "d.xlsx")  # the cached value is what is read
    output, summary = redact_bytes(scanner, data, "d.xlsx", "replace")
    assert summary["by_type"]["BE_NATIONAL_NUMBER"] == 3
    book = openpyxl.load_workbook(io.BytesIO(output))
    assert book.sheetnames == ["Debiteuren", "Export", "Totaal"]
    sheet = book["Debiteuren"]
    assert [c.value for c in sheet[1]] == HEADERS + ["Saldo", "Kopie"] and sheet["A1"].font.bold
    assert sheet["B2"].value == "<BE_NATIONAL_NUMBER>" and sheet["B3"].value == "<BE_NATIONAL_NUMBER>"
    assert sheet["C2"].value == "<IBAN_CODE>" and sheet["G2"].value == 25  # an amount is not personal data
    assert sheet["H2"].value == "<PERSON>"  # a formula whose result was a name gives way to the redacted result
    assert "Jan Peeters" not in sheet["D2"].comment.text
    assert book["Totaal"]["B1"].value == "=SUM(Debiteuren!G2:G3)"  # other formulas stay formulas
    assert book["Export"]["B1"].value == "<BE_NATIONAL_NUMBER>"
    assert book.properties.creator != "Jan Peeters" and book.properties.title == "Debiteuren juni"
    assert [p.name for p in book.custom_doc_props.props] == []  # a custom property holding a name: removed
    assert_redacted(scanner, data, output, "d.xlsx")


def test_xlsx_operators(scanner):
    output, _ = redact_bytes(scanner, workbook(), "d.xlsx", "mask")
    sheet = openpyxl.load_workbook(io.BytesIO(output))["Debiteuren"]
    assert sheet["B2"].value == "*" * len(NN_JAN) and sheet["A2"].value == "*" * len("Jan Peeters")


# ------------------------------------------------------------------------------------------- OpenDocument
def test_ods_redacted_keeping_its_structure(scanner):
    rows = [HEADERS, [str(v) for v in DEBTORS[0]], DEBTORS[1]]
    data = ods_file({"Debiteuren": rows, "Notities": [["Opmerking"], ["Bellen naar Jan Peeters"]]},
                    creator="Anne Dupont")
    output, _ = redact_bytes(scanner, data, "d.ods", "replace")
    archive = zipfile.ZipFile(io.BytesIO(output))
    assert archive.namelist()[0] == "mimetype" and archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
    content = etree.fromstring(archive.read("content.xml"))
    table = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    office = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
    assert [t.get(f"{table}name") for t in content.iter(f"{table}table")] == ["Debiteuren", "Notities"]
    assert len(list(content.iter(f"{table}table-row"))) == 3 + 1 + 2 + 1  # rows (and the repeated tails) kept
    number_cell = list(next(content.iter(f"{table}table")).iter(f"{table}table-row"))[2][1]
    assert number_cell.get(f"{office}value-type") == "string" and number_cell.get(f"{office}value") is None
    text = page_text(output, "d.ods")
    assert "Bellen naar <PERSON>" in text and "Rijksregisternummer: <BE_NATIONAL_NUMBER>" in text
    assert b"Anne Dupont" not in archive.read("meta.xml")
    assert_redacted(scanner, data, output, "d.ods")


# ------------------------------------------------------------------------------------------- JSON
def keys_of(value) -> list:
    if isinstance(value, dict):
        return [(key, keys_of(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [keys_of(item) for item in value]
    return []


def test_json_keeps_keys_order_and_layout(scanner):
    data = json.dumps(DEBTORS_JSON, indent=2, ensure_ascii=False).encode()
    output, _ = redact_bytes(scanner, data, "export.json", "replace")
    redacted = json.loads(output)
    assert keys_of(redacted) == keys_of(DEBTORS_JSON)
    first, second = redacted["debtors"]
    assert first["iban"] == "<IBAN_CODE>" and first["contact"]["email"] == "<EMAIL_ADDRESS>"
    assert second["national_number"] == "<BE_NATIONAL_NUMBER>"  # a number becomes a string with the redaction
    assert first["id"] == "K-1001" and first["balance"] == 125.5 and second["contact"]["phone"] is None
    assert output.count(b"\n") == data.count(b"\n")  # written as it was, value by value
    assert_redacted(scanner, data, output, "export.json")


def test_jsonl_one_object_per_line_broken_line_kept(scanner):
    lines = [json.dumps({"naam": "Jan Peeters", "rijksregisternummer": NN_JAN, "iban": IBAN_JAN}),
             json.dumps({"naam": "Anne Dupont", "notitie": "zie ook Jan Peeters", "iban": IBAN_ANNE}),
             '{"naam": "Jan Peeters", ']
    data = ("\n".join(lines) + "\n").encode()
    output, _ = redact_bytes(scanner, data, "export.jsonl", "replace")
    out_lines = output.decode().split("\n")
    assert len(out_lines) == len(lines) + 1
    assert json.loads(out_lines[0]) == {"naam": "<PERSON>", "rijksregisternummer": "<BE_NATIONAL_NUMBER>",
                                        "iban": "<IBAN_CODE>"}
    assert json.loads(out_lines[1])["notitie"] == "zie ook <PERSON>"
    assert out_lines[2] == '{"naam": "<PERSON>", '  # not JSON: its values are replaced as text


def test_json_detection_offsets_map_back_to_the_file():
    data = b'[{"naam": "Jan Peeters", "nn": 85073003328, "note": "a\\nb"}]'
    extracted = extract_json(data, "a.json", Limits())
    extracted.pages = list(extracted.pages)
    text = extracted.pages[0].text
    detections = [[Detection("PERSON", text.index("Jan"), text.index("Jan") + 11, 0.9, "r", "nl"),
                   Detection("BE_NATIONAL_NUMBER", text.index("8507"), text.index("8507") + 11, 1.0, "r", "nl")]]
    mapped = source_detections(data, extracted, detections)
    assert [data.decode()[d.start:d.end] for d in mapped] == ["Jan Peeters", "85073003328"]


def test_large_files_are_refused():
    data = b"[" + b" " * (50 * 1024 * 1024) + b"]"
    with pytest.raises(ScanError) as caught:
        redact_tabular(data, Extracted(pages=[], kind="json"), [], "replace", b"k")
    assert caught.value.code == "redaction_refused" and "50 MiB" in caught.value.message


def test_an_export_over_the_redaction_limit_is_refused_before_it_is_analysed(scanner, monkeypatch):
    import scanner.redact.tabular as tabular

    monkeypatch.setattr(tabular, "MAX_BYTES", 100)
    monkeypatch.setattr(scanner, "analyse", lambda *args: pytest.fail("analysed before being refused"))
    with pytest.raises(ScanError) as refused:
        redact_bytes(scanner, json.dumps({"debtors": [{"iban": IBAN_JAN}] * 20}).encode(), "export.json", "replace")
    assert refused.value.code == "redaction_refused" and "split the export" in refused.value.message
