"""Pictures in a Word letter (a scanned page or an ID card pasted in) are read and redacted."""

from __future__ import annotations

import io
import zipfile

import docx
from PIL import Image

from tests.conftest import rendered_png

IBAN = "BE71 0961 2345 6769"


def letter_with_picture() -> bytes:
    document = docx.Document()
    document.add_paragraph("Madame, vous trouverez ci-joint la copie demandée.")
    document.add_picture(io.BytesIO(rendered_png([f"IBAN: {IBAN}", "Merci pour votre paiement."])))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_picture_in_a_docx_is_scanned_as_a_member(scanner):
    records = list(scanner.scan_data(letter_with_picture(), "letter.docx"))
    found = [r for r in records if r.kind == "finding" and r.entity_type == "IBAN_CODE"]
    assert found and found[0].member == "image1.png" and found[0].source == "ocr" and found[0].bbox
    assert not [r for r in records if r.kind == "error"]


def test_a_picture_in_a_docx_is_redacted_and_the_document_kept(scanner, tmp_path):
    from scanner.redact.document import redact_file

    source, target = tmp_path / "letter.docx", tmp_path / "out.docx"
    source.write_bytes(letter_with_picture())
    summary = redact_file(scanner, source, target, "replace")
    assert summary["verified"]
    output = target.read_bytes()
    with zipfile.ZipFile(io.BytesIO(output)) as archive:
        picture = archive.read("word/media/image1.png")
    image = Image.open(io.BytesIO(picture))
    assert image.format == "PNG" and image.size == Image.open(io.BytesIO(rendered_png(["a", "b"]))).size
    again = list(scanner.scan_data(output, "out.docx"))
    assert not [r for r in again if r.kind == "finding" and r.entity_type == "IBAN_CODE"]
    assert "copie demandée" in docx.Document(io.BytesIO(output)).paragraphs[0].text
