"""PDFs and images: text layers with boxes, OCR with boxes, rotation, limits, the real files of others."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from scanner.extract import Limits
from scanner.extract.dispatch import extract
from scanner.pipeline import box_for
from tests.conftest import REALDATA
from tools.evaluate_documents import iou

LINES = ["Facture 2026-00451", "Madame Marie Dupont", "Rue de la Loi 16, 1000 Bruxelles",
         "IBAN BE71 0961 2345 6769", "Numero national 85.07.30-033.28"]


def page_image(rotate: int = 0) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """A small scanned page, and where the IBAN was drawn."""
    font = ImageFont.load_default(size=40)
    image = Image.new("L", (2000, 900), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(LINES):
        draw.text((120, 120 + i * 100), line, fill=0, font=font)
    left = 120 + draw.textlength("IBAN ", font=font)
    iban = draw.textbbox((left, 120 + 3 * 100), "BE71 0961 2345 6769", font=font)
    return image.rotate(rotate, expand=True), iban


def encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "TIFF", "WEBP", "BMP"])
def test_image_ocr_finds_values_with_boxes(scanner, fmt):
    image, drawn = page_image()
    records = list(scanner.scan_bytes(encode(image.convert("RGB"), fmt), f"scan.{fmt.lower()}"))
    iban = [r for r in records if getattr(r, "entity_type", None) == "IBAN_CODE"]
    assert iban and iban[0].source == "ocr" and iban[0].page == 1
    assert iou(iban[0].bbox, drawn) > 0.5, (iban[0].bbox, drawn)
    assert {r.entity_type for r in records if r.kind == "finding"} >= {"IBAN_CODE", "BE_NATIONAL_NUMBER", "ADDRESS"}


def test_sideways_scan_is_read_and_boxes_map_back(scanner):
    image, drawn = page_image(rotate=90)  # text running bottom to top
    records = list(scanner.scan_bytes(encode(image, "PNG"), "sideways.png"))
    iban = [r for r in records if getattr(r, "entity_type", None) == "IBAN_CODE"]
    assert iban, [getattr(r, "entity_type", None) for r in records]
    x0, y0, x1, y1 = drawn  # the drawn box turned 90° counter-clockwise with the page
    expected = (y0, image.height - x1, y1, image.height - x0)
    assert iou(iban[0].bbox, expected) > 0.5, (iban[0].bbox, expected)


def test_pdf_text_layer_boxes(scanner, tmp_path):
    pytest.importorskip("fpdf")
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    for line in LINES:
        pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_title("Dossier Marie Dupont")
    data = bytes(pdf.output())
    extracted = extract(data, "letter.pdf")
    body = extracted.pages[0]
    assert body.source == "pdf-text" and body.size == (1654, 2339)  # A4 at 200 DPI
    start = body.text.index("BE71")
    x0, y0, x1, y1 = box_for(body, start, start + 19)
    assert 0 < x0 < x1 < 1654 and 0 < y0 < y1 < 700
    assert any(p.label == "metadata" and "Marie Dupont" in p.text for p in extracted.pages)


def test_decompression_bomb_is_refused():
    image = Image.new("L", (12000, 12000), 255)
    with pytest.raises(Exception) as caught:
        extract(encode(image, "PNG"), "bomb.png", Limits(max_pixels=50_000_000))
    assert getattr(caught.value, "code", "") == "image_too_large"


@pytest.mark.parametrize("path", sorted((REALDATA / "invoices").glob("*.pdf")) if (REALDATA / "invoices").exists() else [],
                         ids=lambda p: p.name)
def test_real_pdf_invoices(scanner, path: Path):
    records = list(scanner.scan_bytes(path.read_bytes(), path.name))
    assert not [r for r in records if r.kind == "error"], records
    findings = [r for r in records if r.kind == "finding"]
    assert findings and all(r.bbox for r in findings if r.page is not None and r.member is None and r.source != "vision")


def test_picture_blocks_in_text_pdfs_are_read(scanner):
    path = REALDATA / "invoices" / "i2d_saeco_nl.pdf"
    if not path.exists():
        pytest.skip("realdata not here")
    records = list(scanner.scan_bytes(path.read_bytes(), path.name))
    from_pictures = {r.entity_type for r in records if r.kind == "finding" and r.source == "ocr"}
    assert {"IBAN_CODE", "EMAIL_ADDRESS", "PHONE_NUMBER"} <= from_pictures


def test_faces_on_real_specimens(scanner):
    folder = REALDATA / "id_documents"
    if not folder.exists():
        pytest.skip("realdata not here")
    with_faces = ["icao_utopia_td3_passport.jpg", "de_passport_specimen.jpg", "nl_passport_specimen.jpg",
                  "fr_cni_specimen_front_hires.jpg"]
    for name in with_faces:
        records = list(scanner.scan_bytes((folder / name).read_bytes(), name))
        faces = [r for r in records if getattr(r, "entity_type", None) == "FACE"]
        assert faces and faces[0].source == "vision" and faces[0].bbox, name
