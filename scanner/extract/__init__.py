"""Extraction stage: bytes in, pages of text (with geometry where there is any) out.

Knows nothing of recognizers. Every extractor is a function
``extract_<family>(data: bytes, name: str, limits: Limits) -> Extracted``; a
container (e-mail, archive, PDF with attachments) lists its embedded files in
``Extracted.members`` and the pipeline scans each one as a document of its own,
reported with ``member``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, List, Optional, Tuple

Box = Tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels of the page image


@dataclass
class Word:
    """A word of a page's text and where it stands on the page image."""

    start: int
    end: int
    box: Box


@dataclass
class Field:
    """A value of a structured document (an XML element or attribute, a spreadsheet cell, a JSON value):
    where it sits in the page text, where it sits in the document, and what the document's schema says
    it is (an e-invoice's ``PayeeFinancialAccount/ID`` is an IBAN), when it says so."""

    start: int
    end: int
    location: str  # "/Invoice/cac:AccountingSupplierParty/cac:Party/cbc:EndpointID", "Debtors!C5", "$[3].iban"
    entity: Optional[str] = None  # an entity type, NOT_PERSONAL, or None (the schema does not say)


# Field.entity of a value the schema says is an organisation's identifier under a non-Belgian scheme of
# ISO 6523 (a GLN, a SIRET, a DUNS number): nothing found inside it is reported (a 14-digit SIRET passes
# the Luhn check of a payment card), and it is not reported itself.
NOT_PERSONAL = "NOT_PERSONAL"


@dataclass
class Page:
    text: str
    number: Optional[int] = 1
    source: str = "text"  # text | pdf-text | ocr
    size: Optional[Tuple[int, int]] = None  # page image size in pixels, when there is geometry
    words: List[Word] = field(default_factory=list)
    # Draws the page image the geometry refers to (for faces and redaction). A callable, not
    # the image: a 500-page PDF must not hold 500 rendered pages in memory.
    render: Optional[Callable[[], Any]] = None
    label: Optional[str] = None  # what part of the document this is: "body", "metadata", "header", ...
    # Structured documents: the values in ``text`` (sorted by start), each with its location.
    fields: List[Field] = field(default_factory=list)


@dataclass
class Member:
    """A file inside a container: an attachment, an archive entry."""

    name: str
    data: bytes


@dataclass
class Extracted:
    """A document as the analyzer sees it; ``kind`` says which writer can redact it."""

    # A list, or for large structured exports (JSON lines, spreadsheets) an iterable that yields the
    # pages as they are read: the pipeline analyses them a batch at a time, in bounded memory.
    pages: Iterable[Page]
    kind: str
    encoding: Optional[str] = None
    extra: dict = field(default_factory=dict)
    members: List[Member] = field(default_factory=list)


@dataclass(frozen=True)
class Limits:
    """What a hostile file may cost before it becomes an error record."""

    max_bytes: int = 200 * 1024 * 1024  # one file or member
    max_pages: int = 500
    max_pixels: int = 80_000_000  # one image or rendered page (about 9,000 x 9,000)
    max_members: int = 1000  # entries of an archive or attachments of an e-mail
    max_total_member_bytes: int = 1024 * 1024 * 1024  # everything unpacked from one container
    max_ratio: int = 200  # uncompressed / compressed size of an archive entry
    max_depth: int = 5  # containers inside containers
    ocr_dpi: int = 300  # rendering resolution for PDF pages that need OCR
    ocr_timeout_s: int = 120  # one page
