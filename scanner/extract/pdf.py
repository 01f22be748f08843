"""PDF: the text layer with character boxes (pypdfium2), OCR where there is no text, and the extras.

- A page with a text layer gives its text and word boxes (pixels at 200 DPI).
- A page without text is rendered and OCR'd; a page whose text layer leaves
  part of it to pictures (a scanned logo block with an address) gets those
  pictures OCR'd as well, as a second page record with source "ocr".
- Metadata (title, author, subject, keywords), form-field values, annotation
  texts and embedded files (document attachments and those hung on page
  annotations) are read with pypdf; embedded files become members.

Rendering is capped by ``Limits.max_pixels`` (an "enormous page" is drawn
smaller, never at full size), and the page count by ``Limits.max_pages``.
Before pdfium reads a PDF, its compressed streams are checked
(:func:`check_streams`): a content, font or object stream that inflates past
``MAX_STREAM_BYTES``, or an image whose declared size is over the pixel limit,
makes the PDF a ``pdf_bomb`` error instead of gigabytes of memory.
"""

from __future__ import annotations

import io
import logging
import math
import re
import zlib
from typing import List, Optional, Tuple

import pypdfium2 as pdfium

from scanner.extract import Extracted, Limits, Member, Page, Word
from scanner.extract import ocr
from scanner.extract.errors import CorruptPdf, EncryptedDocument, PdfBomb, TooManyPages

log = logging.getLogger(__name__)
GEOMETRY_DPI = 200
MIN_LETTERS = 20  # fewer letters than this in the text layer: the page is a picture
FULL_PAGE_PICTURE = 0.8  # pictures covering more of the page: an OCR'd scan, trust its text layer
PICTURE_TO_READ = 0.02  # a picture next to text covering at least this share of the page is OCR'd
_WORD = re.compile(r"\S+")




MAX_STREAM_BYTES = 64 * 1024 * 1024  # one inflated stream other than an image (real ones: a few MB at most)
# An image is drawn scaled to the page (within max_pixels) but decoded whole first: a 9,000 x 9,000
# scan (ocrmypdf's "enormous page") is fine, a 100,000 x 100,000 one is not.
IMAGE_PIXELS_FACTOR = 4
_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)(?![A-Za-z])")
_IMAGE = re.compile(rb"/Subtype\s*/Image(?![A-Za-z])")
_DIMENSION = re.compile(rb"/(Width|Height)\s+(\d+)(?!\s+\d+\s+R)")


def check_streams(data: bytes, limits: Limits) -> None:
    """Raise PdfBomb when a Flate stream would expand beyond what a document needs.

    Images are judged by their declared width x height (what pdfium decodes them to) against
    ``IMAGE_PIXELS_FACTOR x limits.max_pixels``; other streams (page contents, fonts, object streams) are inflated in
    1 MiB steps, without keeping the output, and stopped at ``MAX_STREAM_BYTES``.
    """
    for match in _STREAM.finditer(data):
        head = data[max(0, match.start() - 2048):match.start()]
        head = head[head.rfind(b" obj") + 1:] if b" obj" in head else head
        if not _FLATE.search(head):
            continue
        if _IMAGE.search(head):
            size = dict((key, int(value)) for key, value in _DIMENSION.findall(head))
            if size.get(b"Width", 0) * size.get(b"Height", 0) > IMAGE_PIXELS_FACTOR * limits.max_pixels:
                raise PdfBomb(f"an image in the PDF is {size[b'Width']} x {size[b'Height']} pixels, over "
                              f"{IMAGE_PIXELS_FACTOR * limits.max_pixels:,}; the PDF was not read")
            continue
        if _inflated_size(data, match.end(), MAX_STREAM_BYTES) > MAX_STREAM_BYTES:
            raise PdfBomb(f"a compressed stream in the PDF expands to more than "
                          f"{MAX_STREAM_BYTES // (1024 * 1024)} MiB (a decompression bomb); the PDF was not read")


def _inflated_size(data: bytes, start: int, cap: int) -> int:
    """Bytes the zlib stream at ``start`` inflates to, counting up to just past ``cap``."""
    inflater = zlib.decompressobj()
    total, position = 0, start
    try:
        while position < len(data) and not inflater.eof and total <= cap:
            chunk = inflater.unconsumed_tail or data[position:position + 65536]
            if not inflater.unconsumed_tail:
                position += len(chunk)
            total += len(inflater.decompress(chunk, 1024 * 1024))
    except zlib.error:
        pass  # damaged: pdfium reports what it can read of it
    return total


def open_pdf(data: bytes, limits: Optional[Limits] = None) -> pdfium.PdfDocument:
    """The PDF opened with pdfium; with ``limits``, its streams are checked first (check_streams)."""
    if limits is not None:
        check_streams(data, limits)
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedDocument("the PDF is protected by a password; it cannot be read without it") from exc
        raise CorruptPdf(f"the PDF cannot be opened ({exc})") from exc


def scale_for(page: pdfium.PdfPage, dpi: int, limits: Limits) -> float:
    """Points -> pixels at ``dpi``, reduced so that the page image stays within the pixel limit."""
    width, height = page.get_size()
    scale = dpi / 72
    if width * height * scale * scale > limits.max_pixels:
        scale = math.sqrt(limits.max_pixels / max(width * height, 1))
    return scale


def render(data: bytes, index: int, scale: float):
    """The page drawn at ``scale`` as a PIL image (pages are redrawn on demand, never kept)."""
    pdf = open_pdf(data)
    try:
        return pdf[index].render(scale=scale).to_pil().convert("RGB")
    finally:
        pdf.close()


def extract_pdf(data: bytes, name: str, limits: Limits = Limits()) -> Extracted:
    pdf = open_pdf(data, limits)
    try:
        count = len(pdf)
        if count > limits.max_pages:
            raise TooManyPages(f"the PDF has {count} pages, over the {limits.max_pages}-page limit")
        pages: List[Page] = []
        for index in range(count):
            pages.extend(_page(data, pdf, index, limits))
    except pdfium.PdfiumError as exc:
        raise CorruptPdf(f"a page of the PDF cannot be read ({exc})") from exc
    finally:
        pdf.close()
    extras, members = _extras(data, limits)
    return Extracted(pages=pages + extras, kind="pdf", members=members)


def _page(data: bytes, pdf: pdfium.PdfDocument, index: int, limits: Limits) -> List[Page]:
    page = pdf[index]
    width, height = page.get_size()
    textpage = page.get_textpage()
    # pdfium ends lines with \r\n; one space for \r keeps offsets equal to character indices.
    text = textpage.get_text_range().replace("\r\n", " \n").replace("\r", "\n")
    pictures = _pictures(page)
    coverage = sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in pictures) / max(width * height, 1)
    number = index + 1
    if sum(ch.isalnum() for ch in text) < MIN_LETTERS:
        scale = scale_for(page, limits.ocr_dpi, limits)
        image = page.render(scale=scale).to_pil().convert("RGB")
        result = ocr.read(image, limits.ocr_timeout_s)
        return [Page(result.text, number, "ocr", image.size, result.words,
                     render=lambda: render(data, index, scale))]
    scale = scale_for(page, GEOMETRY_DPI, limits)
    size = (round(width * scale), round(height * scale))
    words = _words(textpage, text, height, scale)
    found = [Page(text, number, "pdf-text", size, words,
                  render=(lambda: render(data, index, scale)) if pictures else None)]
    readable = [p for p in pictures if (p[2] - p[0]) * (p[3] - p[1]) >= PICTURE_TO_READ * width * height]
    if readable and coverage < FULL_PAGE_PICTURE:
        found.append(_ocr_pictures(data, page, index, readable, height, limits))
    return found


def _pictures(page: pdfium.PdfPage) -> List[Tuple[float, float, float, float]]:
    """Image objects' rectangles in PDF points (origin bottom left), clipped to the page."""
    width, height = page.get_size()
    boxes = []
    for obj in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        left, bottom, right, top = max(left, 0), max(bottom, 0), min(right, width), min(top, height)
        if right > left and top > bottom:
            boxes.append((left, bottom, right, top))
    return boxes


def _words(textpage, text: str, height: float, scale: float) -> List[Word]:
    words = []
    for match in _WORD.finditer(text):
        x0 = y0 = math.inf
        x1 = y1 = -math.inf
        for i in range(match.start(), match.end()):
            left, bottom, right, top = textpage.get_charbox(i)
            if right <= left or top <= bottom:
                continue
            x0, x1 = min(x0, left), max(x1, right)
            y0, y1 = min(y0, bottom), max(y1, top)
        if x0 < math.inf:
            box = (int(x0 * scale), int((height - y1) * scale), math.ceil(x1 * scale), math.ceil((height - y0) * scale))
            words.append(Word(match.start(), match.end(), box))
    return words


def _ocr_pictures(data: bytes, page, index: int, pictures, height: float, limits: Limits) -> Page:
    """OCR the pictures of a page that also has text; boxes on the page image at 300 DPI."""
    scale = scale_for(page, limits.ocr_dpi, limits)
    image = page.render(scale=scale).to_pil().convert("RGB")
    texts, words, length = [], [], 0
    for left, bottom, right, top in pictures:
        crop_box = (int(left * scale), int((height - top) * scale), math.ceil(right * scale), math.ceil((height - bottom) * scale))
        if (crop_box[2] - crop_box[0]) < 50 or (crop_box[3] - crop_box[1]) < 20:
            continue  # a rule, a bullet: nothing to read
        result = ocr.read(image.crop(crop_box), limits.ocr_timeout_s)
        if not result.text:
            continue
        if texts:
            texts.append("\n\n")
            length += 2
        for w in result.words:
            x0, y0, x1, y1 = w.box
            words.append(Word(w.start + length, w.end + length,
                              (x0 + crop_box[0], y0 + crop_box[1], x1 + crop_box[0], y1 + crop_box[1])))
        texts.append(result.text)
        length += len(result.text)
    return Page("".join(texts), index + 1, "ocr", image.size, words, render=lambda: render(data, index, scale),
                label="pictures")


def _extras(data: bytes, limits: Limits) -> Tuple[List[Page], List[Member]]:
    """Metadata, form fields, annotation texts and embedded files, through pypdf.

    These are extras: a PDF whose text pdfium read but pypdf cannot parse still
    gives its pages, and the reason is logged (without any value).
    """
    from pypdf import PdfReader

    pages: List[Page] = []
    members: List[Member] = []
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        lines = [f"{key.lstrip('/')}: {value}" for key, value in (reader.metadata or {}).items()
                 if isinstance(value, str) and value.strip() and key in ("/Title", "/Author", "/Subject", "/Keywords")]
        if lines:
            pages.append(Page("\n".join(lines) + "\n", None, "pdf-text", label="metadata"))
        fields = [f"{field.get('/T', name)}: {field.get('/V')}" for name, field in (reader.get_fields() or {}).items()
                  if isinstance(field.get("/V"), str) and field.get("/V").strip()]
        if fields:
            pages.append(Page("\n".join(fields) + "\n", None, "pdf-text", label="form"))
        notes: List[str] = []
        for page in reader.pages[: limits.max_pages]:
            for annot in page.get("/Annots") or []:
                annot = annot.get_object()
                if annot.get("/Contents"):
                    notes.append(str(annot["/Contents"]))
                if annot.get("/Subtype") == "/FileAttachment" and "/FS" in annot:
                    spec = annot["/FS"].get_object()
                    stream = (spec.get("/EF") or {}).get("/F")
                    if stream is not None:
                        members.append(Member(str(spec.get("/UF") or spec.get("/F") or "attachment"),
                                              stream.get_object().get_data()))
        if notes:
            pages.append(Page("\n".join(notes) + "\n", None, "pdf-text", label="annotations"))
        for filename, contents in (reader.attachments or {}).items():
            for content in contents:
                members.append(Member(filename, content))
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on hostile files; extras are optional
        log.warning("PDF extras (metadata, forms, attachments) could not be read: %s", type(exc).__name__)
    return pages, members[: limits.max_members]
