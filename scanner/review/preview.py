"""What the review pages read from the scanned files themselves: a document's bytes, redacted page
previews, its text with the findings masked, and one raw value for a reveal.

The store holds no raw value (only masked text, keyed fingerprints, offsets and
boxes), so everything that needs the document goes back to the file on disk:

- :func:`load_source` reads the file (following ``member`` into e-mails,
  archives and PDF attachments) and checks that its bytes are still those that
  were scanned (the document's SHA-256): offsets and boxes of a changed file
  point at other text, so a changed file is refused (:class:`Changed`), never
  shown with misplaced masks.
- :func:`page_png` draws one page (PDF pages with pdfium, image frames with
  Pillow), paints every finding box opaque black *on the server*, then draws
  each box's outline and finding id; the browser never receives the pixels
  under a box. A page holding a finding without a box is withheld altogether.
- :func:`text_parts` gives a document without geometry as text, each finding
  (and every other occurrence of a detected value) replaced by its masked text.
- :func:`reveal_value` reads one finding's value again (OCR for a scanned page)
  and checks it against the stored fingerprint before it is shown once.

pdfium is not thread-safe: every pdfium call of this process goes through
:data:`PDFIUM`. Rendered previews are kept in a small in-memory LRU
(:class:`Previews`), keyed by document, page and file time, and the pages of a
document are drawn in the background as soon as its page is opened.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import struct
import threading
import zlib
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Callable, Dict, Hashable, List, Optional, Sequence, Tuple

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from scanner.errors import ScanError
from scanner.extract import Extracted, Limits, Member, Page
from scanner.extract.dispatch import extract, kind_of
from scanner.privacy import fingerprint, mask

PDFIUM = threading.RLock()          # pdfium must never be called from two threads at once
PREVIEW_WIDTH = 1000                # pixels; at most MAX_WIDTH
MAX_WIDTH = 1400
MAX_PREVIEW_PIXELS = 6_000_000      # a very tall page is drawn narrower
PAD = 3                             # pixels around a box at the scan's resolution (as scanner.redact.pixels)
TEXT_LIMIT = 300_000                # characters of one text part shown on a page
PAGED = ("pdf", "image")            # kinds whose pages are shown as images
OUTLINE = (220, 38, 38)
LABEL_BG = (255, 214, 0)
WITHHELD_BG = (214, 218, 226)


class Unavailable(Exception):
    """The document cannot be shown: gone, changed since it was scanned, unreadable. ``str()`` says why."""


class Changed(Unavailable):
    pass


@dataclass
class Source:
    """One document's bytes, checked against what was scanned."""

    data: bytes
    name: str          # the document's own name: the member's, else the file's
    kind: str          # scanner.extract.dispatch.kind_of: pdf, image, text, eml, docx, zip, ...
    mtime_ns: int
    size: int

    @property
    def paged(self) -> bool:
        return self.kind in PAGED


@dataclass
class Box:
    finding_id: int
    bbox: Optional[Sequence[int]]         # x0, y0, x1, y1 in pixels of an image of page_size
    page_size: Optional[Sequence[int]]


# ---------------------------------------------------------------------------------------------- sources
class _Sources:
    """A small LRU of checked document bytes: the ten page images of a document read the file once."""

    def __init__(self, max_bytes: int = 128 * 1024 * 1024):
        self.max_bytes = max_bytes
        self._items: "OrderedDict[Hashable, Source]" = OrderedDict()
        self._lock = threading.Lock()
        self._bytes = 0

    def get(self, key: Hashable) -> Optional[Source]:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key: Hashable, source: Source) -> None:
        if len(source.data) > self.max_bytes // 2:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = source
            self._bytes += len(source.data)
            while self._bytes > self.max_bytes and self._items:
                _key, old = self._items.popitem(last=False)
                self._bytes -= len(old.data)


SOURCES = _Sources()


def load_source(path: str, member: Optional[str], sha256: Optional[str], limits: Limits = Limits()) -> Source:
    """The bytes of the file at ``path`` (or of ``member`` inside it), as they were scanned."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        raise Unavailable("the file is no longer there (moved or deleted since the scan)") from None
    except OSError as exc:
        raise Unavailable(f"the file cannot be read ({exc.strerror or type(exc).__name__})") from None
    key = (path, member or "", stat.st_mtime_ns, stat.st_size, sha256)
    cached = SOURCES.get(key)
    if cached is not None:
        return cached
    if stat.st_size > limits.max_bytes:
        raise Unavailable("the file is over the size limit")
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise Unavailable(f"the file cannot be read ({exc.strerror or type(exc).__name__})") from None
    name = path
    if member:
        data, name = _member_bytes(data, path, member, limits)
    if sha256 and hashlib.sha256(data).hexdigest() != sha256:
        raise Changed("the document changed since it was scanned; scan it again before reviewing it")
    source = Source(data, name, kind_of(data, PurePath(name).name), stat.st_mtime_ns, stat.st_size)
    SOURCES.put(key, source)
    return source


def _member_bytes(data: bytes, name: str, member: str, limits: Limits) -> Tuple[bytes, str]:
    """Follow ``member`` ("mail.eml/scan.zip/2024/a.pdf") down the containers, as the pipeline named it."""
    remaining = member
    depth = 0
    while remaining:
        depth += 1
        if depth > limits.max_depth + 1:
            raise Unavailable("the attachment is nested too deep")
        items = sorted(_members_of(data, name, limits), key=lambda m: -len(m.name))
        found = next((m for m in items if remaining == m.name or remaining.startswith(m.name + "/")), None)
        if found is None:
            raise Changed("the attachment is no longer in its container; scan the file again")
        data, name = found.data, found.name
        remaining = remaining[len(found.name) + 1:]
    return data, name


def _members_of(data: bytes, name: str, limits: Limits) -> List[Member]:
    try:
        if kind_of(data, PurePath(name).name) == "pdf":
            # Only the attachments: extracting the pages would OCR every scanned page.
            from scanner.extract.pdf import _extras

            return _extras(data, limits)[1]
        return extract(data, PurePath(name).name, limits).members
    except ScanError as exc:
        raise Unavailable(f"the container cannot be read again ({exc.message})") from None


# ---------------------------------------------------------------------------------------------- page images
def page_count(source: Source, limits: Limits = Limits()) -> int:
    if source.kind == "pdf":
        from scanner.extract.pdf import open_pdf

        with PDFIUM:
            pdf = open_pdf(source.data, limits)
            try:
                return len(pdf)
            finally:
                pdf.close()
    from scanner.extract.image import frames, open_image

    return sum(1 for _frame in frames(open_image(source.data, limits), limits))


def draw_page(source: Source, number: int, width: int = PREVIEW_WIDTH, limits: Limits = Limits()) -> Image.Image:
    """Page ``number`` (1-based) as an RGB image ``width`` pixels wide at most."""
    width = max(100, min(width, MAX_WIDTH))
    if source.kind == "pdf":
        from scanner.extract.pdf import open_pdf

        with PDFIUM:
            pdf = open_pdf(source.data)
            try:
                if not 1 <= number <= len(pdf):
                    raise Unavailable("there is no such page")
                page = pdf[number - 1]
                w_pt, h_pt = page.get_size()
                scale = min(width / max(w_pt, 1), math.sqrt(MAX_PREVIEW_PIXELS / max(w_pt * h_pt, 1)))
                # no_smoothimage: scanned pictures scaled without interpolation, 3-4x faster to draw;
                # a little rougher, still easy to read at preview size. Form fields and annotations
                # are not drawn: their text has no box to cover (it is listed, masked, beside the page).
                image = page.render(scale=scale, no_smoothimage=True, may_draw_forms=False,
                                     draw_annots=False).to_pil().convert("RGB")
            finally:
                pdf.close()
        return image
    if source.kind == "image":
        from scanner.extract.image import frame_at

        try:
            image = frame_at(source.data, number - 1, limits)
        except ScanError as exc:
            raise Unavailable(exc.message) from None
        image = image.convert("RGB")
        fit = min(width / image.width, math.sqrt(MAX_PREVIEW_PIXELS / (image.width * image.height)), 1.0)
        if fit < 1.0:
            image = image.resize((max(1, round(image.width * fit)), max(1, round(image.height * fit))),
                                 Image.BILINEAR, reducing_gap=2.0)
        return image
    raise Unavailable("this document has no page images")


def _scaled(box: Box, size: Tuple[int, int]) -> Tuple[int, int, int, int]:
    x0, y0, x1, y1 = box.bbox
    fx, fy = size[0] / max(box.page_size[0], 1), size[1] / max(box.page_size[1], 1)
    return (math.floor((x0 - PAD) * fx), math.floor((y0 - PAD) * fy),
            math.ceil((x1 + PAD) * fx), math.ceil((y1 + PAD) * fy))


GREY_LEVELS = 252                   # palette previews: 252 greys, then the outline and label colours
_PALETTE = bytes(v for i in range(GREY_LEVELS) for v in (i * 255 // (GREY_LEVELS - 1),) * 3) + \
    bytes(OUTLINE) + bytes(LABEL_BG)
_GREY_LUT = [v * (GREY_LEVELS - 1) // 255 for v in range(256)]
_INKS = {"RGB": {"fill": (0, 0, 0), "outline": OUTLINE, "label": LABEL_BG, "text": (0, 0, 0)},
         "P": {"fill": 0, "outline": GREY_LEVELS, "label": GREY_LEVELS + 1, "text": 0}}


def covered(image: Image.Image, boxes: Sequence[Box]) -> Image.Image:
    """Every box filled opaque black, outlined, with its finding id beside it (an RGB or palette image).

    Outlines are drawn first and the fills over them, so no line crosses a covered area; a label goes
    where it covers no box (above, below, left or right of its own).
    """
    ink = _INKS[image.mode]
    draw = ImageDraw.Draw(image)
    if image.mode == "P":
        draw.fontmode = "1"   # no anti-aliasing: a blend of palette indexes is another colour
    rects = [(box.finding_id, _scaled(box, image.size)) for box in boxes]
    for _fid, (x0, y0, x1, y1) in rects:
        draw.rectangle((x0 - 3, y0 - 3, x1 + 3, y1 + 3), outline=ink["outline"], width=2)
    for _fid, rect in rects:
        draw.rectangle(rect, fill=ink["fill"])
    font = ImageFont.load_default()

    def free(area) -> bool:
        ax0, ay0, ax1, ay1 = area
        if ax0 < 0 or ay0 < 0 or ax1 >= image.width or ay1 >= image.height:
            return False
        return all(ax1 < x0 or bx1 < ax0 or ay1 < y0 or by1 < ay0 for _f, (x0, y0, bx1, by1) in rects)

    for fid, (x0, y0, x1, y1) in rects:
        label = f"#{fid}"
        left, top, right, bottom = draw.textbbox((0, 0), label, font=font)
        tw, th = right - left + 6, bottom - top + 4
        spots = [(x0 - 3, y0 - 5 - th), (x0 - 3, y1 + 5), (x0 - 5 - tw, y0 - 3), (x1 + 5, y0 - 3)]
        areas = [(x, y, x + tw, y + th) for x, y in spots]
        area = next((a for a in areas if free(a)), None)
        if area is None:
            continue  # no room that covers nothing: the outline alone marks it
        draw.rectangle(area, fill=ink["label"])
        draw.text((area[0] + 3 - left, area[1] + 2 - top), label, fill=ink["text"], font=font)
    return image


def greyish(image: Image.Image) -> bool:
    """A page without colour (most scans): it is sent as a palette PNG, a third of the bytes to write."""
    sample = np.asarray(image.reduce(4) if min(image.size) >= 64 else image, dtype=np.int16)
    spread = sample.max(axis=2) - sample.min(axis=2)
    return float((spread > 24).mean()) < 0.002


def to_palette(image: Image.Image) -> Image.Image:
    indexed = image.convert("L").point(_GREY_LUT)
    indexed.putpalette(_PALETTE)
    return indexed


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def encode_png(image: Image.Image) -> bytes:
    """PNG without row filters, zlib level 1: about three times faster than Pillow's encoder on a page
    (its adaptive filtering is most of its time), for a file about the same size on scans."""
    if image.mode not in ("RGB", "P", "L"):
        image = image.convert("RGB")
    pixels = np.asarray(image, dtype=np.uint8)
    height, width = pixels.shape[:2]
    rows = np.zeros((height, 1 + pixels[0].size), dtype=np.uint8)   # each row: filter type 0, then its bytes
    rows[:, 1:] = pixels.reshape(height, -1)
    colour_type = {"RGB": 2, "P": 3, "L": 0}[image.mode]
    parts = [b"\x89PNG\r\n\x1a\n", _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0))]
    if image.mode == "P":
        palette = image.getpalette() or []
        parts.append(_chunk(b"PLTE", bytes(palette[:768])))
    parts.append(_chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)))
    parts.append(_chunk(b"IEND", b""))
    return b"".join(parts)


def withheld(size: Tuple[int, int], why: str) -> Image.Image:
    image = Image.new("RGB", size, WITHHELD_BG)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default()
    y = 40
    for line in ("Preview withheld.", why):
        draw.text((40, y), line, fill=(29, 36, 51), font=font)
        y += 24
    return image


def page_png(source: Source, number: int, boxes: Sequence[Box], width: int = PREVIEW_WIDTH) -> bytes:
    """The redacted preview of one page, as PNG bytes."""
    image = draw_page(source, number, width)
    if any(not box.bbox or not box.page_size for box in boxes):
        image = withheld(image.size, "A finding on this page has no position on the image, so it cannot be "
                                     "covered. Use reveal, or approve the redaction and read the copy.")
    else:
        image = covered(to_palette(image) if greyish(image) else image, boxes)
    return encode_png(image)


class Previews:
    """An LRU of rendered previews, with one render in flight per key (the others wait for it)."""

    def __init__(self, max_bytes: int = 96 * 1024 * 1024, workers: int = 2):
        self.max_bytes = max_bytes
        self._items: "OrderedDict[Hashable, bytes]" = OrderedDict()
        self._pending: Dict[Hashable, Future] = {}
        self._bytes = 0
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="piiscan-preview")

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._items

    def get(self, key: Hashable, make: Callable[[], bytes]) -> bytes:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            future = self._pending.get(key)
            owner = future is None
            if owner:
                future = self._pending[key] = Future()
        if not owner:
            return future.result()
        try:
            data = make()
        except BaseException as exc:
            future.set_exception(exc)
            with self._lock:
                self._pending.pop(key, None)
            raise
        with self._lock:
            self._pending.pop(key, None)
            if len(data) <= self.max_bytes // 4:
                self._items[key] = data
                self._bytes += len(data)
                while self._bytes > self.max_bytes and self._items:
                    _old, dropped = self._items.popitem(last=False)
                    self._bytes -= len(dropped)
        future.set_result(data)
        return data

    def warm(self, key: Hashable, make: Callable[[], bytes]) -> None:
        """Render in the background (the page images the browser is about to ask for)."""
        with self._lock:
            if key in self._items or key in self._pending:
                return
        self._pool.submit(self._quiet, key, make)

    def _quiet(self, key: Hashable, make: Callable[[], bytes]) -> None:
        try:
            self.get(key, make)
        except Exception:  # noqa: BLE001 - the page's own request reports the error
            pass

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


# ---------------------------------------------------------------------------------------------- text view
@dataclass
class Segment:
    text: str
    findings: List[int] = field(default_factory=list)   # finding ids masked here ([] for a repeat)
    masked: bool = False


@dataclass
class Part:
    label: str
    segments: List[Segment]
    truncated: bool = False


def _page_key(page_number: Optional[int], part: Optional[str]) -> Tuple[Optional[int], Optional[str]]:
    return page_number, part


def text_pages(source: Source, limits: Limits = Limits()) -> List[Page]:
    """The text pages of a document without page images (for a PDF: its metadata, forms, annotations)."""
    try:
        if source.kind == "pdf":
            from scanner.extract.pdf import _extras

            return _extras(source.data, limits)[0]
        if source.kind == "image":
            return []
        return extract(source.data, PurePath(source.name).name, limits).pages
    except ScanError as exc:
        raise Unavailable(f"the document cannot be read again ({exc.message})") from None


def text_parts(pages: Sequence[Page], findings: Sequence[dict]) -> List[Part]:
    """Each page's text with every finding, and every other occurrence of a found value, masked.

    ``findings``: dicts with ``id, page, part, start, end, entity_type, text_masked``.
    """
    from scanner.redact.spans import find_values

    by_page: Dict[tuple, List[dict]] = {}
    for item in findings:
        by_page.setdefault(_page_key(item["page"], item["part"]), []).append(item)
    parts: List[Part] = []
    numbered = len({p.number for p in pages if p.number is not None}) > 1
    texts = {_page_key(p.number, p.label): len(p.text) for p in pages}
    lost = [f for f in findings
            if f["start"] < f["end"] and not f["end"] <= texts.get(_page_key(f["page"], f["part"]), -1)]
    if lost:
        # A finding that cannot be placed would be shown in clear among the text around it: no text at all.
        raise Changed("the document's text reads differently now than when it was scanned, so its findings "
                      "cannot be masked in it; scan it again (the findings are listed)")
    for page in pages:
        text = page.text
        mine = by_page.get(_page_key(page.number, page.label), [])
        spans = [(f["start"], f["end"], f["id"], f["text_masked"]) for f in mine
                 if 0 <= f["start"] < f["end"] <= len(text)]
        values = {(f["entity_type"], text[f["start"]:f["end"]]) for f in mine
                  if 0 <= f["start"] < f["end"] <= len(text)}
        for det in find_values(text, values, whole_words=False):
            if all(det.end <= s or e <= det.start for s, e, _i, _m in spans):
                spans.append((det.start, det.end, 0, mask(det.entity_type, text[det.start:det.end])))
        values.clear()  # raw values: not kept beyond this point
        spans.sort()
        segments: List[Segment] = []
        position, shown, truncated = 0, 0, False
        index = 0
        while index < len(spans):
            start, end, fid, masked = spans[index]
            ids, masks = ([fid] if fid else []), [masked]
            index += 1
            while index < len(spans) and spans[index][0] < end:   # overlapping spans: one mask for all
                end = max(end, spans[index][1])
                if spans[index][2]:
                    ids.append(spans[index][2])
                if spans[index][3] not in masks:
                    masks.append(spans[index][3])
                index += 1
            if start > position:
                plain = text[position:start]
                if shown + len(plain) > TEXT_LIMIT:
                    truncated = True
                    break
                segments.append(Segment(plain))
                shown += len(plain)
            segments.append(Segment(" ".join(masks), ids, True))
            position = end
        if not truncated and position < len(text):
            rest = text[position:]
            if shown + len(rest) > TEXT_LIMIT:
                rest, truncated = rest[:max(TEXT_LIMIT - shown, 0)], True
                # never end inside a word that a later mask would have hidden: cut at the last space
                rest = rest[:rest.rfind(" ") + 1] if " " in rest else ""
            segments.append(Segment(rest))
        if not text.strip() and not mine:
            continue
        label = page.label or (f"page {page.number}" if numbered and page.number else "text")
        parts.append(Part(label, segments, truncated))
    return parts


# ---------------------------------------------------------------------------------------------- reveal
def _one_page(source: Source, number: Optional[int], part: Optional[str], limits: Limits) -> List[Page]:
    """The pages a finding may be on, read again as cheaply as possible (one page, not the whole file)."""
    if source.kind == "pdf":
        from scanner.extract.pdf import _extras, _page, open_pdf

        if number is None:
            return _extras(source.data, limits)[0]
        with PDFIUM:
            pdf = open_pdf(source.data)
            try:
                if not 1 <= number <= len(pdf):
                    return []
                return _page(source.data, pdf, number - 1, limits)
            finally:
                pdf.close()
    if source.kind == "image" and number is not None:
        from scanner.extract import ocr
        from scanner.extract.image import frame_at

        result = ocr.read(frame_at(source.data, number - 1, limits), limits.ocr_timeout_s)
        return [Page(result.text, number, "ocr", None, result.words)]
    return _all_pages(source, limits)


def _all_pages(source: Source, limits: Limits) -> List[Page]:
    with PDFIUM if source.kind == "pdf" else contextlib.nullcontext():
        extracted: Extracted = extract(source.data, PurePath(source.name).name, limits)
    return extracted.pages


def reveal_value(source: Source, finding: dict, key: bytes, limits: Limits = Limits()) -> str:
    """The raw value of one finding, read again from the document and checked against its fingerprint.

    Raises :class:`Unavailable` when it cannot be shown (a face, a value that reads differently now).
    """
    if finding["start"] >= finding["end"]:
        raise Unavailable("this finding has no text value (a face, a picture): look at the redaction instead")
    wanted = finding["fingerprint"]
    for attempt in (_one_page, lambda s, n, p, lim: _all_pages(s, lim)):
        try:
            pages = attempt(source, finding["page"], finding["part"], limits)
        except ScanError as exc:
            raise Unavailable(f"the document cannot be read again ({exc.message})") from None
        for page in pages:
            if (page.number, page.label) != (finding["page"], finding["part"]) or finding["end"] > len(page.text):
                continue
            value = page.text[finding["start"]:finding["end"]]
            if fingerprint(finding["entity_type"], value, key) == wanted:
                return value
        if source.kind not in PAGED:
            break  # the full extraction was the first attempt already
    raise Changed("the value reads differently now than when it was scanned (the file or the OCR changed, or "
                  "the fingerprint key is not the scan's); scan the file again")
