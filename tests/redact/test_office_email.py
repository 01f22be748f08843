"""Redaction writers for Word and e-mail: values gone from every place they were, the rest kept."""

from __future__ import annotations

import email
import io
import re
import zipfile
from email import policy
from email.message import EmailMessage
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from scanner.analyze.engine import Detection
from scanner.errors import ScanError
from scanner.extract import Limits
from scanner.extract.email import extract_eml
from scanner.extract.office import extract_docx
from scanner.redact.email import redact_eml
from scanner.redact.office import redact_docx

REALDATA = Path(__file__).resolve().parents[2].parent / "shared" / "realdata"
LETTERS = REALDATA / "letters_emails"
BAD = REALDATA / "bad_inputs"
KEY = b"test-key"


def real(path: Path) -> bytes:
    if not path.exists():
        pytest.skip(f"{path} is not here (the shared folder is laid beside the repository)")
    return path.read_bytes()


def marks(text: str, values) -> list:
    """Detections at every occurrence of each (entity, value), as the analyzer would give them."""
    found = [Detection(entity, m.start(), m.end(), 0.9, "test", "fr")
             for entity, value in values for m in re.finditer(re.escape(value), text)]
    return sorted(found, key=lambda d: d.start)


def detections_for(extracted, values) -> list:
    return [marks(page.text, values) for page in extracted.pages]


def all_text(extracted) -> str:
    return "\n".join(page.text for page in extracted.pages)


# --- Word -----------------------------------------------------------------------------------------

def word_letter(embedded: bytes | None = None) -> bytes:
    """python-docx's template brings a thumbnail (docProps/thumbnail.jpeg) and a customXml item."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Dossier Jan Peeters"
    document.sections[0].footer.paragraphs[0].text = "IBAN BE71 0961 2345 6769"
    paragraph = document.add_paragraph("Madame ")
    paragraph.add_run("Anne").bold = True
    paragraph.add_run(" Dupont, rue Haute 5").italic = True
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Rijksregisternummer:", "85.07.30-033.61"
    document.add_paragraph("Écrire à jan@example.be")
    document.part.relate_to("mailto:jan@example.be", RT.HYPERLINK, is_external=True)
    document.add_comment(paragraph.runs, text="Rappeler Jan Peeters", author="Marie Claes", initials="MC")
    document.core_properties.author = "Marie Claes"
    document.core_properties.keywords = "rappel"
    document.core_properties.comments = ""
    buffer = io.BytesIO()
    document.save(buffer)
    if embedded is None:
        return buffer.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("word/embeddings/Microsoft_Excel_Worksheet1.xlsx", embedded)
    return out.getvalue()


PII = [("PERSON", "Anne Dupont"), ("PERSON", "Jan Peeters"), ("IBAN_CODE", "BE71 0961 2345 6769"),
       ("BE_NATIONAL_NUMBER", "85.07.30-033.61"), ("EMAIL_ADDRESS", "jan@example.be"), ("PERSON", "Marie Claes")]


def redacted_word(data: bytes, operator: str = "replace", **kw) -> tuple:
    extracted = extract_docx(data, "a.docx", Limits())
    output = redact_docx(data, extracted, detections_for(extracted, PII), operator, KEY, **kw)
    return output, extract_docx(output, "a.docx", Limits())


def test_docx_value_across_runs_keeps_the_other_formatting():
    output, _ = redacted_word(word_letter())
    runs = docx.Document(io.BytesIO(output)).paragraphs[0].runs[:3]  # the 4th holds the comment's mark
    assert [(run.text, run.bold, run.italic) for run in runs] == [
        ("Madame ", None, None), ("<PERSON>", True, None), (", rue Haute 5", None, True)]


def test_docx_every_story_and_property_is_redacted():
    _, again = redacted_word(word_letter())
    text = all_text(again)
    for _, value in PII:
        assert value not in text
    pages = {page.label: page.text for page in again.pages}
    assert pages["headers"] == "Dossier <PERSON>\n" and pages["footers"] == "IBAN <IBAN_CODE>\n"
    assert "Rijksregisternummer:\t<BE_NATIONAL_NUMBER>\t" in pages["body"]
    assert pages["comments"].endswith("Rappeler <PERSON>\n")
    assert "author:" not in pages["metadata"] and "keywords: rappel" in pages["metadata"]  # cleared, others kept


def test_docx_property_holding_a_value_found_elsewhere_is_cleared():
    document = docx.Document()
    document.add_paragraph("Madame Anne Dupont")
    document.core_properties.title = "Rappel Anne Dupont"
    document.core_properties.subject = "Rappel"
    buffer = io.BytesIO()
    document.save(buffer)
    extracted = extract_docx(buffer.getvalue(), "a.docx", Limits())
    found = [marks(page.text, [("PERSON", "Anne Dupont")]) if page.label == "body" else []
             for page in extracted.pages]
    again = extract_docx(redact_docx(buffer.getvalue(), extracted, found, "replace", KEY), "a.docx", Limits())
    metadata = {page.label: page.text for page in again.pages}["metadata"]
    assert "title:" not in metadata and "subject: Rappel" in metadata


def test_docx_copies_outside_the_pages_are_redacted_too():
    data = word_letter()
    assert "docProps/thumbnail.jpeg" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    output, _ = redacted_word(data)
    with zipfile.ZipFile(io.BytesIO(output)) as archive:
        everything = b"".join(archive.read(name) for name in archive.namelist())
        assert not any(name.startswith("docProps/thumbnail") for name in archive.namelist())
        assert b"thumbnail" not in archive.read("_rels/.rels")
    assert b"jan@example.be" not in everything  # the mailto: link in document.xml.rels
    assert b"Marie Claes" not in everything  # the comment's w:author attribute


def test_docx_embedded_files_are_emptied_unless_redacted():
    data = word_letter(embedded=b"workbook with Jan Peeters")
    output, _ = redacted_word(data)
    with zipfile.ZipFile(io.BytesIO(output)) as archive:
        assert archive.read("word/embeddings/Microsoft_Excel_Worksheet1.xlsx") == b""
    calls = []

    def redact_member(name, content):
        calls.append((name, content))
        return b"workbook with <PERSON>"

    output, _ = redacted_word(data, redact_member=redact_member)
    assert calls == [("Microsoft_Excel_Worksheet1.xlsx", b"workbook with Jan Peeters")]
    with zipfile.ZipFile(io.BytesIO(output)) as archive:
        assert archive.read("word/embeddings/Microsoft_Excel_Worksheet1.xlsx") == b"workbook with <PERSON>"


@pytest.mark.parametrize("operator, expected", [
    ("mask", "Madame " + "*" * len("Anne Dupont") + ", rue Haute 5"), ("redact", "Madame , rue Haute 5")])
def test_docx_operators(operator, expected):
    _, again = redacted_word(word_letter(), operator)
    assert again.pages[0].text.splitlines()[0] == expected


def test_docx_hash_operator_gives_the_same_token_for_the_same_value():
    _, again = redacted_word(word_letter(), "hash")
    pages = {page.label: page.text for page in again.pages}
    header_token = pages["headers"].split()[-1]
    assert re.fullmatch(r"[0-9a-f]{16}", header_token)
    assert header_token in pages["comments"]  # "Jan Peeters" in the comment: same keyed hash


def test_docx_redaction_refuses_another_documents_extraction():
    other = docx.Document()
    other.add_paragraph("something else")
    buffer = io.BytesIO()
    other.save(buffer)
    extracted = extract_docx(buffer.getvalue(), "b.docx", Limits())
    with pytest.raises(ScanError) as caught:
        redact_docx(word_letter(), extracted, [[] for _ in extracted.pages], "replace", KEY)
    assert caught.value.code == "redaction_refused"


@pytest.mark.parametrize("name", ["tika_testWORD_multi_authors.docx", "tika_testWORD_embedded_pdf.docx",
                                  "tika_EmbeddedOutlook.docx", "tika_testOCR.docx"])
def test_real_docx_redaction_with_the_analyzer(analyzer, name):
    from scanner.redact.document import propagate

    data = real(LETTERS / name)
    extracted = extract_docx(data, name, Limits())
    found = [propagate(page.text, dets)
             for page, dets in zip(extracted.pages, analyzer.analyze_many([p.text for p in extracted.pages]))]
    values = {page.text[d.start:d.end] for page, dets in zip(extracted.pages, found) for d in dets}
    output = redact_docx(data, extracted, found, "replace", KEY)
    again = extract_docx(output, name, Limits())
    assert not [value for value in values if value in all_text(again)]
    assert docx.Document(io.BytesIO(output)).paragraphs is not None  # still a Word document
    if name == "tika_testWORD_multi_authors.docx":
        assert values and "Allison" not in all_text(again)


# --- e-mail ---------------------------------------------------------------------------------------

def mail(html: bool = True) -> bytes:
    msg = EmailMessage()
    msg["From"] = "René Dupont <rene.dupont@example.be>"
    msg["To"] = "Invordering <invordering@example.be>"
    msg["Subject"] = "Dossier René Dupont"
    msg["Received"] = "from mx.example.be (10.1.2.3) for <rene.dupont@example.be>"
    msg["Message-ID"] = "<123@example.be>"
    msg.set_content("Bonjour,\nmon numéro national: 85.07.30-033.61\nRené Dupont\n")
    if html:
        msg.add_alternative("<html><body><p>Bonjour,</p><p>mon num&eacute;ro national: <b>85.07.30-033.61</b></p>"
                            "<p>Ren&eacute;\nDupont</p></body></html>", subtype="html")
    msg.add_attachment(b"CV of Rene Dupont", maintype="application", subtype="pdf", filename="CV René Dupont.pdf")
    msg.add_attachment(b"a picture", maintype="image", subtype="png", filename="photo.png")
    inner = EmailMessage()
    inner["From"] = "greffe@example.be"
    inner.set_content("Jugement René Dupont")
    msg.add_attachment(inner)
    return msg.as_bytes()


MAIL_PII = [("PERSON", "René Dupont"), ("EMAIL_ADDRESS", "rene.dupont@example.be"),
            ("BE_NATIONAL_NUMBER", "85.07.30-033.61")]


def redact_mail(data: bytes, redact_member=lambda name, content: content, operator="replace", values=MAIL_PII,
                limits=None):
    extracted = extract_eml(data, "m.eml", limits or Limits())
    output = redact_eml(data, extracted, detections_for(extracted, values), operator, KEY, redact_member)
    return output, email.message_from_bytes(output, policy=policy.default)


def test_eml_headers_redacted_and_transport_headers_dropped():
    output, msg = redact_mail(mail())
    text = extract_eml(output, "m.eml", Limits()).pages[0].text
    assert "From: <PERSON> <<EMAIL_ADDRESS>>" in text and "Subject: Dossier <PERSON>" in text
    assert "To: Invordering <invordering@example.be>" in text
    assert msg["Received"] is None and msg["Message-ID"] is None
    assert b"rene.dupont" not in output and b"10.1.2.3" not in output


def test_eml_non_ascii_header_survives_the_round_trip():
    output, _ = redact_mail(mail(), values=[("EMAIL_ADDRESS", "rene.dupont@example.be")])
    assert "From: René Dupont <<EMAIL_ADDRESS>>" in extract_eml(output, "m.eml", Limits()).pages[0].text


def test_eml_plain_and_html_bodies_are_both_redacted():
    _, msg = redact_mail(mail())
    plain = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "<BE_NATIONAL_NUMBER>" in plain and "85.07.30-033.61" not in plain
    assert "85.07.30-033.61" not in html and "&lt;BE_NATIONAL_NUMBER&gt;" not in html  # raw replacement, as for .html
    assert "Dupont" not in html  # "René\nDupont" across a line break in the HTML source


def test_eml_attachments_go_through_redact_member():
    calls = []

    def redact_member(name, content):
        calls.append(name)
        return None if name == "photo.png" else content.replace(b"Rene Dupont", b"<PERSON>")

    output, msg = redact_mail(mail(), redact_member)
    assert calls[:2] == ["CV René Dupont.pdf", "photo.png"] and calls[2].endswith(".eml")
    attachments = {part.get_filename(): part for part in msg.iter_attachments()}
    assert "CV <PERSON>.pdf" in attachments  # the name held a detected value
    assert attachments["CV <PERSON>.pdf"].get_content() == b"CV of <PERSON>"
    assert "photo.png" not in attachments
    assert "[piiscan: an attachment was removed from this redacted copy]" in msg.get_body(("plain",)).get_content()
    assert "an attachment was removed" in msg.get_body(("html",)).get_content()
    attached = [part for part in msg.iter_attachments() if part.get_content_type() == "message/rfc822"]
    assert len(attached) == 1
    assert extract_eml(output, "m.eml", Limits()).members[-1].name.endswith(".eml")


def test_eml_inline_pictures_stay_inline():
    msg = EmailMessage()
    msg["From"] = "a@example.be"
    msg.set_content("Bonjour")
    msg.add_alternative('<p>Bonjour <img src="cid:logo@x"></p>', subtype="html")
    msg.get_payload()[1].add_related(b"GIF89a logo", "image", "gif", cid="<logo@x>")
    seen = []
    output, parsed = redact_mail(msg.as_bytes(), lambda name, content: seen.append(name) or content)
    picture = next(part for part in parsed.walk() if part.get_content_type() == "image/gif")
    assert seen == ["part-3.gif"]  # a made-up name, for the pipeline to choose the extractor
    assert picture["Content-ID"] == "<logo@x>" and picture.get_filename() is None
    assert picture.get_content_disposition() != "attachment" and picture.get_content() == b"GIF89a logo"


def test_eml_attachments_not_scanned_are_dropped():
    _, msg = redact_mail(mail(), limits=Limits(max_members=1))
    assert [part.get_filename() for part in msg.iter_attachments()] == ["CV <PERSON>.pdf"]
    assert "2 attachments were removed" in msg.get_body(("plain",)).get_content()


def test_eml_html_only_body_is_redacted_in_its_source():
    msg = EmailMessage()
    msg["From"] = "a@example.be"
    msg.set_content("<p>Client: <b>Anne</b> Dupont, IBAN BE71&nbsp;0961 2345 6769</p>", subtype="html")
    data = msg.as_bytes()
    extracted = extract_eml(data, "m.eml", Limits())
    found = marks(extracted.pages[0].text, [("PERSON", "Anne Dupont"), ("IBAN_CODE", "BE71\xa00961 2345 6769")])
    assert len(found) == 2
    output = redact_eml(data, extracted, [found], "replace", KEY, lambda n, c: c)
    html = email.message_from_bytes(output, policy=policy.default).get_body(("html",)).get_content()
    assert "Anne" not in html and "Dupont" not in html and "6769" not in html and "<b>" in html


@pytest.mark.parametrize("name", ["mailparser_encoded_display_names.eml", "mailparser_fr_newsletter.eml",
                                  "mailparser_it_ibm_with_pdf.eml", "mailparser_it_meteo_pdf_jpg.eml",
                                  "tika_testRFC822_multipart_attachments.eml", "tika_testEmailWithPNGAtt.eml"])
def test_real_eml_redaction_with_the_analyzer(analyzer, name):
    _real_eml_round_trip(analyzer, real(LETTERS / name), name)


@pytest.mark.parametrize("name", ["mailparser_malformed_1.eml", "mailparser_malformed_2_dsn.eml",
                                  "mailparser_malformed_3.eml", "tika_testRFC822_encrypted_zip.eml"])
def test_hostile_real_eml_redaction(analyzer, name):
    _real_eml_round_trip(analyzer, real(BAD / name), name)


def _real_eml_round_trip(analyzer, data: bytes, name: str) -> None:
    from scanner.redact.document import propagate

    extracted = extract_eml(data, name, Limits())
    page = extracted.pages[0]
    found = propagate(page.text, analyzer.analyze(page.text))
    values = {page.text[d.start:d.end] for d in found}
    assert values, "every one of these messages names at least an e-mail address"
    kept = []

    def redact_member(member: str, content: bytes):
        kept.append(member)
        return content if member.endswith(".txt") else None

    output = redact_eml(data, extracted, [found], "replace", KEY, redact_member)
    again = extract_eml(output, name, Limits())
    assert not [value for value in values if value in again.pages[0].text]
    assert [m.name for m in again.members] == [m for m in kept if m.endswith(".txt")]
    assert b"Received:" not in output


def test_value_only_in_the_html_twin_is_redacted(scanner):
    """A plain body without the IBAN, an HTML rendering with it: the HTML part is analysed too."""
    from email.message import EmailMessage

    from scanner.redact.document import redact_bytes

    msg = EmailMessage()
    msg["From"] = "Invoice Managers <info@invoicemanagers.be>"
    msg["To"] = "client@example.be"
    msg["Subject"] = "Rappel"
    msg.set_content("Veuillez payer votre facture.\n")
    msg.add_alternative("<p>Veuillez payer sur le compte BE71 0961 2345 6769.</p>", subtype="html")
    output, summary = redact_bytes(scanner, msg.as_bytes(), "rappel.eml", "replace")
    assert b"0961" not in output and summary["by_type"].get("IBAN_CODE") == 1
