"""Office extraction: .docx pages and their XML mapping, .xlsx sheets and cells, .odt, hostile packages."""

from __future__ import annotations

import datetime
import io
import zipfile

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from lxml import etree

from scanner.errors import ScanError
from scanner.extract import Limits
from scanner.extract.office import extract_docx, extract_odt
from scanner.extract.tabular import extract_xlsx
from scanner.extract.wordml import layout

from tests.conftest import BAD, LETTERS, real, repack


def saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def word_letter() -> bytes:
    """Everything a collection letter may hide data in: runs, a table, header, footer, comment, properties."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Cabinet Claes - dossier Jan Peeters"
    document.sections[0].footer.paragraphs[0].text = "IBAN BE71 0961 2345 6769"
    paragraph = document.add_paragraph("Madame ")
    paragraph.add_run("Anne").bold = True
    paragraph.add_run(" Dupont, rue Haute 5, 1000 Bruxelles")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Naam:", "Jan Peeters"
    table.cell(1, 0).text, table.cell(1, 1).text = "Rijksregisternummer:", "85.07.30-033.61"
    document.add_paragraph("Fin du courrier.")
    document.add_comment(paragraph.runs, text="Appeler Mme Dupont au 0475 12 34 56", author="Marie Claes",
                         initials="MC")
    properties = document.core_properties
    properties.author, properties.last_modified_by = "Marie Claes", "Piet Janssens"
    properties.title, properties.keywords = "Rappel Anne Dupont", "dossier 2024-117"
    properties.comments = "Relance de Mme Dupont"
    return saved(document)


def pages_of(extracted) -> dict:
    return {page.label: page.text for page in extracted.pages}


def test_docx_pages_hold_every_story():
    pages = pages_of(extract_docx(word_letter(), "a.docx", Limits()))
    assert pages["body"].startswith("Madame Anne Dupont, rue Haute 5, 1000 Bruxelles\n")
    assert "Naam:\tJan Peeters\t\n" in pages["body"]  # a table row on one line
    assert pages["body"].index("Jan Peeters") < pages["body"].index("Fin du courrier")  # document order
    assert pages["headers"] == "Cabinet Claes - dossier Jan Peeters\n"
    assert pages["footers"] == "IBAN BE71 0961 2345 6769\n"
    assert pages["comments"] == "Marie Claes: Appeler Mme Dupont au 0475 12 34 56\n"
    assert pages["metadata"].splitlines() == ["author: Marie Claes", "last modified by: Piet Janssens",
                                              "title: Rappel Anne Dupont", "keywords: dossier 2024-117",
                                              "comments: Relance de Mme Dupont"]


def test_docx_spans_map_back_to_the_xml_nodes():
    archive = zipfile.ZipFile(io.BytesIO(word_letter()))
    pages, _ = layout(archive)
    for page in pages:
        covered = 0
        for start, end, source in page.spans:
            assert page.text[start:end] == source.get()
            covered += end - start
        assert covered > 0
    body = next(p for p in pages if p.label == "body")
    anne = next(source for start, end, source in body.spans if body.text[start:end] == "Anne")
    assert anne.element.tag == qn("w:t") and anne.element.getparent().find(qn("w:rPr")) is not None  # the bold run


def _with_xml(paragraph, xml: str) -> None:
    paragraph._p.append(etree.fromstring(
        f'<w:wrapper xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{xml}</w:wrapper>')[0])


def test_deleted_text_and_field_codes_are_text_too():
    document = docx.Document()
    paragraph = document.add_paragraph("Contact: ")
    _with_xml(paragraph, '<w:del w:id="1" w:author="Piet"><w:r><w:delText>Jan Peeters</w:delText></w:r></w:del>')
    _with_xml(paragraph, '<w:r><w:instrText> HYPERLINK "mailto:jan@example.be" </w:instrText></w:r>')
    body = pages_of(extract_docx(saved(document), "a.docx", Limits()))["body"]
    assert "Jan Peeters" in body and "mailto:jan@example.be" in body


def test_docx_embedded_files_are_members():
    data = word_letter()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("word/embeddings/Microsoft_Excel_Worksheet1.xlsx", b"PK fake workbook")
    extracted = extract_docx(buffer.getvalue(), "a.docx", Limits())
    assert [(m.name, m.data) for m in extracted.members] == [("Microsoft_Excel_Worksheet1.xlsx", b"PK fake workbook")]


def test_real_docx_embedded_objects_are_unwrapped():
    pdf = extract_docx(real(LETTERS / "tika_testWORD_embedded_pdf.docx"), "a.docx", Limits())
    assert sorted(m.name for m in pdf.members) == ["oleObject1.pdf", "oleObject2.pdf"]
    assert all(m.data.startswith(b"%PDF") for m in pdf.members)
    nested = extract_docx(real(LETTERS / "tika_test_recursive_embedded.docx"), "a.docx", Limits())
    assert [m.name for m in nested.members] == ["embed1.zip"] and nested.members[0].data.startswith(b"PK")


@pytest.mark.parametrize("name, expected", [
    ("tika_EmbeddedOutlook.docx", ["This is a test with embedded outlook message:", "author: Jeremy Anderson"]),
    ("tika_testOCR.docx", ["Here is an embedded image:", "author: Grant Ingersoll", "company: Lucid Imagination"]),
    ("tika_testWORD_embedded_pdf.docx", ["Bye for real.", "last modified by: Michael McCandless"]),
    ("tika_testWORD_multi_authors.docx", ["author: Allison, Timothy B.;author2;author3",
                                          "Checked by: metadata_checked_by"]),
    ("tika_test_recursive_embedded.docx", ["embed_0"]),
])
def test_real_docx(name, expected):
    extracted = extract_docx(real(LETTERS / name), name, Limits())
    text = "\n".join(page.text for page in extracted.pages)
    for value in expected:
        assert value in text
    assert extracted.kind == "docx"


@pytest.mark.parametrize("extract, name, code", [
    (extract_docx, "tika_testWORD_protected_passtika.docx", "encrypted_document"),
    (extract_docx, "tika_testWORD_truncated.docx", "corrupt_document"),
    (extract_odt, "tika_testODTEncrypted.odt", "encrypted_document"),
    (extract_odt, "tika_testODTnotaZipFile.odt", "corrupt_document"),
], ids=lambda value: value if isinstance(value, str) else "")
def test_hostile_real_office_files(extract, name, code):
    with pytest.raises(ScanError) as caught:
        extract(real(BAD / name), name, Limits())
    assert caught.value.code == code


def test_truncated_and_foreign_zips_are_corrupt_documents():
    data = word_letter()
    with pytest.raises(ScanError) as caught:
        extract_docx(data[: len(data) // 2], "a.docx", Limits())
    assert caught.value.code == "corrupt_document"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        target.writestr("readme.txt", "not Word")
    with pytest.raises(ScanError) as caught:
        extract_docx(buffer.getvalue(), "a.docx", Limits())
    assert caught.value.code == "corrupt_document"


def test_broken_xml_inside_a_docx_is_a_corrupt_document():
    broken = repack(word_letter(), lambda name, content: content[:200] if name == "word/document.xml" else content)
    with pytest.raises(ScanError) as caught:
        extract_docx(broken, "a.docx", Limits())
    assert caught.value.code == "corrupt_document"


def test_a_bomb_inside_a_docx_is_refused_before_parsing():
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(word_letter())) as source, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        target.writestr("word/media/huge.xml", b" " * (17 * 1024 * 1024))
    with pytest.raises(ScanError) as caught:
        extract_docx(buffer.getvalue(), "a.docx", Limits())
    assert caught.value.code == "archive_bomb"
    with pytest.raises(ScanError) as caught:
        extract_docx(word_letter(), "a.docx", Limits(max_bytes=1000))
    assert caught.value.code == "file_too_large"


# --- Excel --------------------------------------------------------------------------------------

def workbook() -> bytes:
    book = openpyxl.Workbook()
    clients = book.active
    clients.title = "Clients"
    clients.append(["Nom", "IBAN", "Montant", "Né le"])
    clients.append(["Anne Dupont", "BE71 0961 2345 6769", 45.0, datetime.datetime(1985, 7, 30)])
    clients.append([None, "BE68 5390 0754 7034", 12.5, None])
    clients["C5"] = "=SUM(C2:C3)"
    hidden = book.create_sheet("Archive")
    hidden.sheet_state = "hidden"
    hidden["B2"] = "Jan Peeters"
    book.properties.creator = "Marie Claes"
    book.properties.title = "Relevé 2024"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_sheets_rows_and_cells():
    extracted = extract_xlsx(workbook(), "b.xlsx", Limits())
    extracted.pages = list(extracted.pages)
    pages = pages_of(extracted)
    # Rows read as data (scanner/extract/tabular.py): the header row, then each value after its header.
    assert pages["sheet: Clients"].splitlines() == [
        "Nom;\tIBAN;\tMontant;\tNé le", "Nom: Anne Dupont;\tIBAN: BE71 0961 2345 6769;\tMontant: 45;\tNé le: 1985-07-30",
        "IBAN: BE68 5390 0754 7034;\tMontant: 12.5"]
    assert "SUM" not in pages["sheet: Clients"]  # values, not formulas (no cached value here: nothing)
    assert pages["sheet: Archive"] == "B: Jan Peeters\n"  # hidden sheets are scanned too; no header: column letters
    assert pages["metadata"] == "author: Marie Claes\ntitle: Relevé 2024\n"
    assert [p.number for p in extracted.pages] == [1, 2, None]
    page = extracted.pages[0]
    cells = {f.location: page.text[f.start:f.end] for f in page.fields}
    assert cells["Clients!A2"] == "Anne Dupont" and cells["Clients!B3"] == "BE68 5390 0754 7034"
    assert cells["Clients!D2"] == "1985-07-30"


def test_xlsx_limits_and_damage():
    extracted = extract_xlsx(workbook(), "b.xlsx", Limits(max_pages=1))
    assert len([p for p in extracted.pages if p.number]) == 1
    assert extracted.extra["errors"][0][1] == "container_limit"
    with pytest.raises(ScanError) as caught:
        extract_xlsx(workbook()[:3000], "b.xlsx", Limits())
    assert caught.value.code == "corrupt_document"
    with pytest.raises(ScanError) as caught:
        extract_xlsx(word_letter(), "b.xlsx", Limits())  # a Word file named .xlsx
    assert caught.value.code == "corrupt_document"


# --- OpenDocument -------------------------------------------------------------------------------

ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0">
<office:body><office:text>
<text:h>Rappel</text:h>
<text:p>Monsieur<text:s/><text:span>Jan</text:span><text:s text:c="2"/>Peeters<text:tab/>rue Haute 5</text:p>
<table:table><table:table-row><table:table-cell><text:p>IBAN</text:p></table:table-cell>
<table:table-cell><text:p>BE71 0961 2345 6769</text:p></table:table-cell></table:table-row></table:table>
</office:text></office:body></office:document-content>"""
ODT_STYLES = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
    xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">
<office:master-styles><style:master-page style:name="Standard">
<style:header><text:p>Cabinet Claes</text:p></style:header>
<style:footer><text:p>Dossier Anne Dupont</text:p></style:footer>
</style:master-page></office:master-styles></office:document-styles>"""
ODT_META = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<office:meta><meta:initial-creator>Marie Claes</meta:initial-creator><dc:creator>Piet Janssens</dc:creator>
<meta:user-defined meta:name="Client">Jan Peeters</meta:user-defined></office:meta></office:document-meta>"""


def odt(**parts: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        target.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        for name, content in parts.items():
            target.writestr(name.replace("_", ".") if name != "manifest" else "META-INF/manifest.xml", content)
    return buffer.getvalue()


def test_odt_body_headers_and_properties():
    pages = pages_of(extract_odt(odt(content_xml=ODT_CONTENT, styles_xml=ODT_STYLES, meta_xml=ODT_META),
                                 "c.odt", Limits()))
    assert pages["body"] == "Rappel\nMonsieur Jan  Peeters\true Haute 5\nIBAN\tBE71 0961 2345 6769\t\n"
    assert pages["headers"] == "Cabinet Claes\nDossier Anne Dupont\n"
    assert pages["metadata"] == "author: Piet Janssens\nfirst author: Marie Claes\nClient: Jan Peeters\n"


def test_real_odt():
    extracted = extract_odt(real(LETTERS / "tika_testPhoneNumberExtractor.odt"), "p.odt", Limits())
    assert "(949) 666 - 6666" in extracted.pages[0].text and "9498888888" in extracted.pages[0].text


def test_odt_without_content_is_corrupt():
    with pytest.raises(ScanError) as caught:
        extract_odt(odt(meta_xml=ODT_META), "c.odt", Limits())
    assert caught.value.code == "corrupt_document"
