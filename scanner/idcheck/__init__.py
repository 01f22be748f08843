"""Identity-document copies (privacy policy, section 8): is the photo and the national number covered?

Use::

    checker = IdChecker()
    checker.check_bytes(open("upload.jpg", "rb").read(), "upload.jpg").to_dict()
    # {'file': 'upload.jpg', 'compliant': False, 'document_type': 'BE_EID', 'side': 'front', ...}

Stages: ``load`` (the upload's pages as pictures), ``locate`` (cards, straightened),
``read`` (OCR, MRZ), ``check`` (one verdict per point), ``fix`` (a masked copy).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from PIL import Image, ImageDraw

from scanner.errors import ScanError, UnsupportedFormat
from scanner.extract import Limits
from scanner.idcheck.check import FACE_STEP, Card, CardReader, Check, Inspector, mrz_pitch, settings
from scanner.idcheck.locate import CARD_SIZE, find_cards

log = logging.getLogger(__name__)
MAX_PAGES = 4  # an ID copy is one or two sides, perhaps on two pages
PDF_DPI = 300  # a card on an A4 page is about 1000 pixels wide at this resolution
FIX_ROUNDS = 3  # cover, check again, cover what the check still asks for


class NotAnIdentityDocument(ScanError):
    code = "not_an_identity_document"


class FixFailed(ScanError):
    code = "fix_failed"


REASONS = {
    ("photo_masked", "visible"): "The ID photo is visible: cover it completely with an opaque (not see-through) box.",
    ("photo_masked", "not_covered"): "The ID photo is not completely covered: cover the whole photo with an opaque "
                                     "box (a see-through box, a line or a blur is not enough).",
    ("photo_masked", "not_found"): "We could not confirm that the photo on this document is covered: cover the "
                                   "photo completely with an opaque box.",
    ("ghost_masked", "visible"): "The small second photo on the back of the card (top right) is visible: cover it "
                                 "too.",
    ("ghost_masked", "not_covered"): "The small second photo on the back of the card (top right) is not completely "
                                     "covered: cover it with an opaque box.",
    ("national_number_masked", "readable"): "The national register number is readable on the card: cover it with "
                                            "an opaque box.",
    ("national_number_masked", "not_covered"): "The national register number on the back of the card is not "
                                               "clearly covered: cover it completely with an opaque box.",
    ("mrz_masked", "readable"): "The national register number can still be read in the three lines of characters "
                                "at the bottom of the back (the machine-readable zone): cover it there too.",
    ("mrz_masked", "not_covered"): "The national register number in the machine-readable zone (the lines of "
                                   "characters at the bottom of the back) is not clearly covered: cover the end of "
                                   "the second line completely.",
    ("mrz_masked", "unreadable"): "The bottom of the back of the card (machine-readable zone) could not be read: "
                                  "send a sharper copy in which the national register number there is covered.",
}
REASONS[("card_readable", "unreadable")] = ("A card in the picture could not be read: send a sharper, straight "
                                            "copy of each side.")
NO_CARD = ("No identity card was recognised in this file: send a scan or photo of the card itself, straight, "
           "in focus and not cut off.")


@dataclass
class Verdict:
    file: str
    compliant: bool = False
    document_type: Optional[str] = None
    side: Optional[str] = None  # front | back | both
    checks: List[Check] = field(default_factory=list)
    reasons: List[str] = field(default_factory=list)
    error: Optional[str] = None
    message: Optional[str] = None
    cards: List[Card] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict:
        out = {"file": self.file, "compliant": self.compliant, "document_type": self.document_type,
               "side": self.side, "checks": [c.to_dict() for c in self.checks], "reasons": self.reasons}
        if self.error:
            out.update(error=self.error, message=self.message)
        return out


def load_pages(data: bytes, name: str, limits: Limits) -> Tuple[List[Image.Image], str]:
    """The upload's pages as RGB pictures, and its format (PNG, JPEG, ..., PDF). The bytes decide, not the name."""
    from scanner.extract.dispatch import kind_of

    kind = kind_of(data, name)
    if kind == "image":
        from scanner.extract.image import frames, open_image

        image = open_image(data, limits)
        fmt = image.format or "PNG"
        pages = []
        for frame in frames(image, limits):
            pages.append(frame.convert("RGB"))
            if len(pages) > MAX_PAGES:
                break
    elif kind == "pdf":
        import pypdfium2 as pdfium

        from scanner.extract.errors import CorruptPdf
        from scanner.extract.pdf import open_pdf, scale_for

        pdf = open_pdf(data, limits)
        try:
            pages = [pdf[i].render(scale=scale_for(pdf[i], PDF_DPI, limits)).to_pil().convert("RGB")
                     for i in range(min(len(pdf), MAX_PAGES + 1))]
        except pdfium.PdfiumError as exc:  # a page that cannot be loaded (found by tools/fuzz.py)
            raise CorruptPdf(f"a page of the PDF cannot be read ({exc})") from exc
        finally:
            pdf.close()
        fmt = "PDF"
    else:
        raise UnsupportedFormat("an identity-document copy must be a picture (JPEG, PNG, TIFF, WebP, GIF, BMP) "
                                "or a PDF")
    if len(pages) > MAX_PAGES:
        raise NotAnIdentityDocument(f"the file has more than {MAX_PAGES} pages: an identity-document copy has one "
                                    "or two")
    if not pages:
        raise NotAnIdentityDocument("the file holds no picture")
    return pages, fmt


class IdChecker:
    """Loads its settings once; check and fix any number of uploads."""

    def __init__(self, limits: Limits = Limits()) -> None:
        self.limits = limits
        settings()
        self.reader = CardReader()
        self.inspector = Inspector()

    # ------------------------------------------------------------------
    def check_bytes(self, data: bytes, name: str) -> Verdict:
        try:
            pages, _fmt = load_pages(data, name, self.limits)
        except ScanError as exc:
            return Verdict(name, error=exc.code, message=exc.message, reasons=[exc.message])
        return self.check_pages(pages, name)

    def check_pages(self, pages: List[Image.Image], name: str) -> Verdict:
        from scanner.analyze.vision import detect_faces

        verdict = Verdict(name)
        # The cards of every page are read first by one Tesseract run.
        located = [(number, view) for number, page in enumerate(pages, start=1) for view in find_cards(page)]
        read = self.reader.read_all([view for _, view in located], [number for number, _ in located])
        on_page: dict = {}
        for (number, view), card in zip(located, read):
            on_page.setdefault(number, []).append((view, card))
        for number, page in enumerate(pages, start=1):
            cards, unread = [], []
            for view, card in on_page.get(number, []):
                if card is not None:
                    self.inspector.inspect(card)
                    cards.append(card)
                else:
                    unread.append(view)
            verdict.cards += cards
            for card in cards:
                verdict.checks += card.checks
            # A face anywhere on the page that no card check already reported (a card scan
            # cropped to the card was searched already, at a finer scale).
            whole = len(cards) == 1 and cards[0].view.whole
            for face in ([] if whole else detect_faces(page, min_fraction=0.05, max_side=1000, scale_step=FACE_STEP)):
                if not any(c.name in ("photo_masked", "ghost_masked") and not c.passed and c.page == number
                           and _overlaps(c.bbox, face.box) for c in verdict.checks):
                    verdict.checks.append(Check("photo_masked", False, "visible", list(face.box), number))
            if cards:  # a card-shaped thing beside a card that could not be read: unsure
                for view in unread:
                    verdict.checks.append(Check("card_readable", False, "unreadable",
                                                view.box_on_upload((0, 0) + CARD_SIZE), number))
        known = [card for card in verdict.cards if card.document_type]
        if not known:
            verdict.error = NotAnIdentityDocument.code
            verdict.message = NO_CARD
            verdict.reasons.append(NO_CARD)
        else:
            types = [card.document_type for card in known]
            # Only a Kids-ID's front says so: a Kids-ID front with any back is a Kids-ID.
            verdict.document_type = "BE_KIDS_ID" if "BE_KIDS_ID" in types else max(set(types), key=types.count)
            sides = {card.side for card in known if card.side}
            verdict.side = "both" if len(sides) == 2 else (sides.pop() if sides else None)
        for check in verdict.checks:
            if not check.passed:
                reason = REASONS.get((check.name, check.evidence), REASONS[("photo_masked", "visible")])
                if reason not in verdict.reasons:
                    verdict.reasons.append(reason)
        verdict.compliant = bool(known) and bool(verdict.checks) and all(c.passed for c in verdict.checks)
        log.info("id check: %d page(s), %d card(s), compliant=%s", len(pages), len(verdict.cards), verdict.compliant)
        return verdict

    # ------------------------------------------------------------------
    def fix_bytes(self, data: bytes, name: str) -> Tuple[bytes, Verdict]:
        """A copy with every photo, the printed number and the MRZ number covered; it passes the check."""
        pages, fmt = load_pages(data, name, self.limits)
        verdict = self.check_pages(pages, name)
        if not any(card.document_type for card in verdict.cards):
            raise FixFailed(NO_CARD)
        if verdict.compliant:  # nothing to cover: the pixels alone, without the file's metadata
            return _save([Image.frombytes("RGB", p.size, p.tobytes()) for p in pages], fmt), verdict
        fixed = pages
        for round_ in range(FIX_ROUNDS):
            # First the places the check found; later only what the check of the copy still asks for
            # (a card read another way up on the copy must not move the places).
            fixed = [self._cover(page, number, verdict, places=round_ == 0)
                     for number, page in enumerate(fixed, start=1)]
            output = _save(fixed, fmt)
            again = self.check_bytes(output, name)  # the file as it will be handed over, encoded
            if again.compliant:
                return output, again
            # The check says where it still wants a cover (a card found a few pixels off on the
            # masked copy): cover that too, unless nothing it asks for can be covered.
            if not any(c.bbox and not c.passed and c.name != "card_readable" for c in again.checks):
                break
            verdict = again
        raise FixFailed("the masked copy still does not pass the check: " + " ".join(again.reasons))

    @staticmethod
    def _cover(page: Image.Image, number: int, verdict: Verdict, places: bool = True) -> Image.Image:
        out = Image.frombytes("RGB", page.size, page.tobytes())  # pixels only: no metadata carried over
        draw = ImageDraw.Draw(out)
        for card in verdict.cards:
            if card.page != number or not places:
                continue
            numbers = [item for item in card.regions if item.startswith("mrz_number")]
            pads = settings()["pad"]
            for item, box in card.regions.items():
                if item == "mrz" and numbers:
                    continue  # only the number's columns: the rest of the MRZ stays readable
                if item.startswith("mrz_number"):
                    # Half a character wider each side; as high as the row's own band (one row
                    # pitch), never into the rows above and below (clipped, IDBEL no longer reads).
                    pad_x, pad_y = 0.6 * (box[2] - box[0]) / 11, max(0.0, (mrz_pitch() - (box[3] - box[1])) / 2)
                else:
                    pad_x = pad_y = pads.get(item, pads["default"]) * CARD_SIZE[1]
                draw.polygon([tuple(p) for p in card.view.polygon_on_upload(_pad(box, pad_x, pad_y))],
                             fill=(0, 0, 0))
        covered = [card.view.box_on_upload(box) for card in verdict.cards if card.page == number
                   for item, box in card.regions.items() if item in ("photo", "ghost")]
        drawn = [card for card in verdict.cards if card.page == number] if places else []
        for check in verdict.checks:
            if check.page != number or check.passed or not check.bbox or check.name == "card_readable":
                continue
            box = check.bbox
            if any(_drawn(check, card) for card in drawn):
                continue  # covered above, by its place on the straight card (a rectangle around a
                # turned card's MRZ row would cover the rows above and below it too)
            if places and check.name in ("photo_masked", "ghost_masked") and check.evidence == "visible" \
                    and not any(_centre_in(box, place) for place in covered):
                box = _photo_around(box)  # a face outside the photo's place: the whole photo around it
            draw.rectangle(_pad(box, 6, 6), fill=(0, 0, 0))
        return out


_PLACES = {"photo_masked": "photo", "ghost_masked": "ghost", "national_number_masked": "national_number",
           "mrz_masked": "mrz_number"}


def _drawn(check: Check, card: Card) -> bool:
    """The check is one of the card's and the card's place for its item was covered (for the MRZ,
    the number's columns). A face is covered by its own box as well: it may sit outside the place."""
    place = _PLACES.get(check.name)
    if place is None or not any(check is own for own in card.checks):
        return False
    if check.name in ("photo_masked", "ghost_masked") and check.evidence == "visible":
        return False
    return any(key.startswith(place) for key in card.regions)


def _pad(box, pad_x: float, pad_y: float):
    return (box[0] - pad_x, box[1] - pad_y, box[2] + pad_x, box[3] + pad_y)


def _centre_in(box, place) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return place[0] <= cx <= place[2] and place[1] <= cy <= place[3]


def _photo_around(face) -> Tuple[float, float, float, float]:
    """The ID photo around a detected face: about twice its width, 2.4 times its height."""
    x0, y0, x1, y1 = face
    w, h = x1 - x0, y1 - y0
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2 + 0.2 * h
    return (cx - w, cy - 1.2 * h, cx + w, cy + 1.2 * h)


def _overlaps(a, b) -> bool:
    if not a or not b:
        return False
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def _save(pages: List[Image.Image], fmt: str) -> bytes:
    """The masked pages in the upload's format (the image writers of the redaction stage)."""
    from scanner.redact.pixels import encode

    if fmt != "PDF":
        return encode(pages, fmt)
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=PDF_DPI, quality=95)
    return out.getvalue()
