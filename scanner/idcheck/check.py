"""The verdict on an identity-document copy: is everything covered that section 8 asks for?

For each card found in the upload (scanner/idcheck/locate.py), read on the
straightened card (read.py):

- **front**: the holder's photo. No face may be found on the card, and the
  place where the photo sits must be covered (cover.py). Where that is
  depends on the model: since 2020 the photo is on the left; 2004-2019 cards
  carry the chip on the front left and the photo on the right.
- **back**: the printed national register number (no valid number readable,
  its place covered), the number inside the MRZ (none readable, the columns
  where it sits covered; on older cards it opens optional data 1), and on
  cards issued since 2020 (chip on the back, expiry 2030 or later, Kids-ID)
  the small second "ghost" photo.

A point passes only when it was positively established; anything the scanner
could not see or read fails, with a reason in plain words. Faces found on the
upload outside any card also fail the photo check.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import List, Optional, Tuple

import cv2
import numpy as np
import yaml
from PIL import Image, ImageFilter

from scanner.analyze.recognizers.national_number import NationalNumberRecognizer
from scanner.analyze.vision import Face, detect_faces
from scanner.config import MODELS_DIR
from scanner.idcheck import cover
from scanner.idcheck.locate import CARD_SIZE, CardView
from scanner.idcheck.read import CardText, Mrz, find_mrz, ocr_stacked, parse_mrz, read_mrz

Box = Tuple[float, float, float, float]
MRZ_ROW_INSET = 0.25  # a row's place is estimated when it was not read: measure its middle
# Blank pixels between cards read by one Tesseract run: a third of a card's height. With less,
# Tesseract's layout analysis joins the cards' columns (measured: a masked Kids-ID front read
# beside its back at 40 pixels gave no word a card says; at 120 and more, more than alone).
CARD_GAP = 250


@lru_cache(maxsize=1)
def settings() -> dict:
    return yaml.safe_load((MODELS_DIR / "idcheck.yaml").read_text(encoding="utf-8"))


@dataclass
class Check:
    name: str  # photo_masked | ghost_masked | national_number_masked | mrz_masked
    passed: bool
    evidence: str  # what was seen: covered | visible | readable | not_found | unreadable
    bbox: Optional[List[int]] = None  # on the upload
    page: int = 1
    coverage: Optional[float] = None

    def to_dict(self) -> dict:
        out = {"name": self.name, "passed": self.passed, "evidence": self.evidence, "bbox": self.bbox}
        if self.page != 1:
            out["page"] = self.page
        if self.coverage is not None:
            out["coverage"] = round(self.coverage, 3)
        return out


@dataclass
class Card:
    """One card side as read: what it is and where its items are (boxes on the straight card)."""

    view: CardView
    text: CardText
    mrz: Optional[Mrz]
    side: Optional[str]  # front | back | None
    document_type: Optional[str]
    belgian: bool
    kids: bool
    page: int = 1
    checks: List[Check] = field(default_factory=list)
    regions: dict = field(default_factory=dict)  # item -> box on the straight card, for --fix
    new_model: bool = False  # of the 2020 model (decided once, by the Inspector)


def fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()


@lru_cache(maxsize=None)
def _keyword_patterns(group: str) -> List[re.Pattern]:
    return [re.compile(rf"(?<![A-Z]){re.escape(word[:-1])}" if word.endswith("*")
                       else rf"(?<![A-Z]){re.escape(word)}(?![A-Z])") for word in settings()["keywords"][group]]


def _keywords(text: str, group: str) -> int:
    """How many of the group's words appear as words (NATIONAL is not NATIONALITEIT)."""
    folded = fold(text)
    return sum(bool(pattern.search(folded)) for pattern in _keyword_patterns(group))


_DATE = re.compile(r"\b(\d{2})[./-](\d{2})[./-]((?:19|20)\d{2})\b")


def _child(text: str, mrz: Optional[Mrz]) -> bool:
    """A card that expires less than 15 years after its holder's birth: a Kids-ID (an eID is
    issued from 12 years of age and a Kids-ID is valid 3 years). Dates from the MRZ when its
    check digits pass, else the earliest and latest dates printed on the front."""
    if mrz is not None and mrz.kind == "TD1" and len(mrz.lines) > 1:
        checks = mrz.checks()
        line = mrz.lines[1]
        if checks.get("birth_date") and checks.get("expiry_date"):
            born, expires = int(line[0:2]), int(line[8:10])
            born += 2000 if born <= expires else 1900
            return 2000 + expires - born < 15
    years = sorted(int(match.group(3)) for match in _DATE.finditer(text))
    return len(years) >= 3 and years[-1] - years[0] < 15


def _bilingual(text: str) -> bool:
    """Dutch and French labels side by side (Geboorteplaats / Lieu de naissance): a Belgian card."""
    folded = fold(text)
    return any(all(word in folded for word in pair) for pair in settings()["keywords"]["belgian_pairs"])


def _region(name: str) -> Box:
    w, h = CARD_SIZE
    x0, y0, x1, y1 = settings()["regions"][name]
    return (x0 * w, y0 * h, x1 * w, y1 * h)


def inset(box: Box, vertical: Optional[float] = None) -> Box:
    """The box shrunk on every side: coverage is measured well inside an item's place."""
    share = settings()["inset"]
    dx, dy = (box[2] - box[0]) * share, (box[3] - box[1]) * (share if vertical is None else vertical)
    return (box[0] + dx, box[1] + dy, box[2] - dx, box[3] - dy)


def _inside(box: Box, region: Box) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return region[0] <= cx <= region[2] and region[1] <= cy <= region[3]


@lru_cache(maxsize=1)
def _nn_recognizer() -> NationalNumberRecognizer:
    return NationalNumberRecognizer()


def national_numbers(text: str) -> List[Tuple[int, int]]:
    """Spans of checksum-valid national register (or BIS) numbers in a text, OCR slips tolerated."""
    return [(r.start, r.end) for r in _nn_recognizer().analyze(text, [])]


@lru_cache(maxsize=1)
def _card_recognizer():
    from scanner.analyze.recognizers.id_card_number import IdCardNumberRecognizer

    return IdCardNumberRecognizer()


def _card_numbers(text: str) -> list:
    """Checksum-valid Belgian card numbers (NNN-NNNNNNN-NN), printed on the front."""
    return _card_recognizer().analyze(text, [])


def _mrz_number_at(mrz: Mrz) -> Optional[Tuple[int, int]]:
    """(line, column) of a valid national number anywhere in the MRZ (11 digits in a row)."""
    recognizer = _nn_recognizer()
    for index, line in enumerate(mrz.lines):
        for start in range(0, max(0, len(line) - 10)):
            run = line[start:start + 11]
            if run.isdigit() and recognizer.validate(run):
                return index, start
    return None


def _complete(mrz: Optional[Mrz]) -> bool:
    """Every row read in full and every check digit right: no need to read the zone again."""
    if mrz is None or any(len(line) < (30 if mrz.kind == "TD1" else 44) for line in mrz.lines):
        return False
    return all(mrz.checks().values())


_DIGIT_RUN = re.compile(r"\d{8,}")
_IDBEL = re.compile(r"IDBEL|[T1L|]DBEL[0-9O]{3}")  # a Belgian TD1 MRZ's opening (the I read as T, 1, L, |)


def _no_number_from(row: str, first: int) -> bool:
    """The row, read far enough, visibly holds no number from `first` on: fillers ('<') and no
    run of 8 digits (OCR drops or adds a character: the tail is judged, not exact columns)."""
    tail = row[max(0, first - 2):]
    return len(row) >= 20 and tail.count("<") >= 3 and not _DIGIT_RUN.search(tail)


def _layout_mrz() -> Mrz:
    """An unread TD1 MRZ where the Belgian layout puts it: 30 columns across its area, 3 rows."""
    x0, _, x1, _ = _region("mrz")
    return Mrz("TD1", ["", "", ""], [None, None, None], (x1 - x0) / 30, x0, _mrz_rows(pad=0.0))


def mrz_pitch() -> float:
    """Height of one TD1 MRZ row on the straight card, line spacing included."""
    _x0, y0, _x1, y1 = _region("mrz")
    return (y1 - y0) / 3


def _mrz_rows(pad: float = 0.2) -> List[Box]:
    """The three rows of a TD1 MRZ on the straight card (from the layout's MRZ area)."""
    x0, y0, x1, y1 = _region("mrz")
    step = mrz_pitch()
    pad = step * pad
    return [(x0 - 20, y0 + i * step - pad, x1 + 20, y0 + (i + 1) * step + pad) for i in range(3)]


def _full_rows(grey: np.ndarray, band: Box) -> List[float]:
    """For each of the three rows of the band, the share of its 30 columns (an MRZ row's
    characters) holding any print, dark on light (a black cover counts as print)."""
    x0, y0, x1, y1 = (int(v) for v in band)
    _, ink = cv2.threshold(grey[y0:y1, x0:x1], 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return [float(np.mean([cell.sum() >= 0.01 * cell.size for cell in np.array_split(row, 30, axis=1)]))
            for row in np.array_split(ink, 3, axis=0)]


def mrz_on_top(image: Image.Image) -> bool:
    """Three rows of print across the top of the card, where the MRZ of a back turned upside
    down sits, and not across its bottom: the card is read turned first. (A wrong guess costs
    one more reading, as not guessing would for a card upside down.)"""
    x0, y0, x1, y1 = _region("mrz")
    grey = np.asarray(image.convert("L"))
    top = _full_rows(grey, (x0, CARD_SIZE[1] - y1, x1, CARD_SIZE[1] - y0))
    return min(top) >= 0.9 and min(_full_rows(grey, (x0, y0, x1, y1))) < 0.6


def sharpen(image: Image.Image) -> Image.Image:
    """Grey and sharpened: a card cut from a 200 DPI page is enlarged, and soft text reads badly."""
    return image.convert("L").filter(ImageFilter.UnsharpMask(radius=2, percent=150, threshold=2))


class CardReader:
    """Reads one straightened card: OCR, orientation, MRZ, kind of document and side."""

    def __init__(self) -> None:
        self.cfg = settings()

    def read_all(self, views: List[CardView], pages: List[int]) -> List[Optional[Card]]:
        """Every card found in an upload (each on its page), read first by one Tesseract run for them all."""
        if not views:
            return []
        views = [view.turned() if mrz_on_top(view.image) else view for view in views]
        texts = self._ocr([view.image for view in views])
        return [self.read(view, page, text) for view, page, text in zip(views, pages, texts)]

    def read(self, view: CardView, page: int, text: CardText) -> Optional[Card]:
        """One card, from its first reading (read_all): read again other ways when that reading
        finds too little of what an identity card says."""
        ocr_cfg = self.cfg["ocr"]
        score = self._score(text)
        if score < 2:  # perhaps upside down
            original, turned = view, view.turned()
            other = self._ocr([turned.image])[0]
            if self._score(other) > score:
                view, text, score = turned, other, self._score(other)
            if score < 2:  # or a layout the automatic segmentation missed: sparse text, both ways up
                for other_view, other in zip((original, turned),
                                             self._ocr([original.image, turned.image], "--psm 11")):
                    if self._score(other) > score:
                        view, text, score = other_view, other, self._score(other)
        band = find_mrz(text)
        mrz = None
        if band is None and (_keywords(text.text, "back") or score < 1):  # a back read badly: try its MRZ
            x0, y0, x1, y1 = _region("mrz")
            band = (int(y0), int(y1))
        if band is not None:
            mrz = parse_mrz([line for line in text.lines if band[0] <= line.box[1] and line.box[3] <= band[1]])
            if not _complete(mrz):  # the first reading did not get it all: read the zone on its own
                x0, _, x1, _ = _region("mrz")
                mrz = read_mrz(sharpen(view.image), band, ocr_cfg["timeout_s"], _mrz_rows(), (x0, x1))
            if mrz is not None and mrz.kind == "TD1":
                mrz.layout_rows = _mrz_rows(pad=0.0)
                layout = _layout_mrz()
                if abs(mrz.char_width - layout.char_width) > 0.1 * layout.char_width:
                    # The reading's extent is off (specks joined to a line): use the layout's columns.
                    mrz.char_width, mrz.left = layout.char_width, layout.left
        if mrz is not None and score < 1 and sum(bool(v) for v in mrz.checks().values()) < 2:
            mrz = None  # characters where a card's MRZ would be, but not an MRZ
        if score < 1 and mrz is None and not _card_numbers(text.text):
            return None  # nothing of an identity document
        all_text = text.text
        card_number = bool(_card_numbers(all_text))
        # A Belgian card's MRZ opens with IDBEL, on the back only (read even where the rest of the
        # zone, its number covered, does not parse as an MRZ).
        idbel = bool(_IDBEL.search(fold(all_text).replace(" ", "")))
        belgian = bool(_keywords(all_text, "belgian")) or card_number or (mrz is not None and mrz.state == "BEL") \
            or idbel or _bilingual(all_text)
        kids = bool(_keywords(all_text, "kids")) or _child(all_text, mrz)
        front, back = _keywords(all_text, "front") + 2 * card_number, _keywords(all_text, "back") + 2 * idbel
        side = "back" if (mrz is not None and mrz.kind == "TD1") or back > front else "front" if front else None
        document_type = self._document_type(all_text, mrz, belgian, kids)
        return Card(view, text, mrz, side, document_type, belgian, kids, page)

    def _ocr(self, images: List[Image.Image], config: Optional[str] = None) -> List[CardText]:
        ocr_cfg = self.cfg["ocr"]
        return ocr_stacked([sharpen(image) for image in images], config or ocr_cfg["config"], ocr_cfg["languages"],
                           ocr_cfg["timeout_s"], gap=CARD_GAP)

    def _score(self, text: CardText) -> float:
        folded = fold(text.text)
        hits = sum(_keywords(folded, group) for group in ("belgian", "front", "back", "passport", "residence"))
        return hits + (2 if find_mrz(text) else 0) + (1 if text.confidence > 70 else 0)

    @staticmethod
    def _document_type(text: str, mrz: Optional[Mrz], belgian: bool, kids: bool) -> Optional[str]:
        if _keywords(text, "passport") or (mrz is not None and mrz.kind == "TD3"):
            return "PASSPORT"
        if belgian and _keywords(text, "residence"):
            return "BE_RESIDENCE_CARD"
        if belgian:
            return "BE_KIDS_ID" if kids else "BE_EID"
        if mrz is not None or _keywords(text, "front") or _keywords(text, "back"):
            return "ID_CARD"
        return None


class Inspector:
    """Decides each check on a read card."""

    def __init__(self) -> None:
        self.cfg = settings()
        self.required = self.cfg["required_coverage"]

    def inspect(self, card: Card) -> None:
        image = card.view.image
        c = self.cfg["cover"]
        flat = cover.Surface(image, c["sigma"], c["window"], c["max_std"])
        card.new_model = self._new_model(card)
        # On a Belgian back a face matters only in the ghost image's place: search there alone.
        back = card.belgian and card.side == "back"
        faces = [f.box for f in _card_faces(image, _grown(_region("ghost"), 0.5) if back else None)]
        if not card.belgian:
            self._foreign(card, flat, faces)
            return
        if card.side == "front" or card.side is None:
            card.checks.append(self._photo(card, flat, faces))
        if card.side == "back" or (card.side is None and card.belgian):  # unsure of the side: check both
            if self._has_ghost(card, faces):
                card.checks.append(self._ghost(card, flat, faces))
            card.checks.append(self._printed_number(card, flat))
            card.checks.append(self._mrz_number(card, flat))
        elif national_numbers(card.text.text):  # a number on a front or an unknown side
            card.checks.append(self._printed_number(card, flat))

    def _foreign(self, card: Card, flat: cover.Surface, faces: List[Box]) -> None:
        """Passports and other countries' cards: where their items sit is not known here, so
        nothing can be established as covered; what is seen is reported (never compliant)."""
        card.checks.append(self._photo(card, flat, faces))
        if national_numbers(card.text.text):
            card.checks.append(self._printed_number(card, flat))
        if card.mrz is not None and any(card.mrz.checks().values()):
            card.checks.append(self._check(card, "mrz_masked", False, "readable", _union(card.mrz.boxes)))

    # -- photos ---------------------------------------------------------------------
    def _photo(self, card: Card, flat: cover.Surface, faces: List[Box]) -> Check:
        if faces:  # the photo is where its face is
            right = (faces[0][0] + faces[0][2]) / 2 > CARD_SIZE[0] / 2
        else:  # 2004-2019 cards carry the chip on the front, the photo on the right
            right = _is_chip(card.view.image, _region("chip_front"))
        slot = _region("photo_right" if right else "photo_left")
        card.regions["photo"] = slot
        if faces:
            return self._check(card, "photo_masked", False, "visible", faces[0])
        if card.document_type in (None, "PASSPORT", "ID_CARD") and not card.belgian:
            # Where the photo sits is known for Belgian cards only: no face found is not enough.
            return self._check(card, "photo_masked", False, "not_found", None)
        share = flat.coverage(inset(slot))
        return self._check(card, "photo_masked", share >= self.required["photo"],
                           "covered" if share >= self.required["photo"] else "not_covered", slot, share)

    def _has_ghost(self, card: Card, faces: List[Box]) -> bool:
        """Cards of the 2020 model carry it; when the model is unknown, a face in its place tells."""
        if card.new_model:
            return True
        unknown = card.mrz is None or card.mrz.expiry_year() is None
        return unknown and any(_inside(face, _region("ghost")) for face in faces)

    def _ghost(self, card: Card, flat: cover.Surface, faces: List[Box]) -> Check:
        slot = _region("ghost")
        card.regions["ghost"] = slot
        inside = [face for face in faces if _inside(face, slot)]
        if inside:
            return self._check(card, "ghost_masked", False, "visible", inside[0])
        share = flat.coverage(inset(slot))
        ok = share >= self.required["ghost"]
        return self._check(card, "ghost_masked", ok, "covered" if ok else "not_covered", slot, share)

    # -- national register number ----------------------------------------------------------
    def _printed_number(self, card: Card, flat: cover.Surface) -> Check:
        mrz_top = card.view.image.height
        if card.mrz is not None:
            tops = [box[1] for box in card.mrz.boxes if box is not None]
            mrz_top = min(tops) if tops else mrz_top
        printed = [line for line in card.text.lines if line.box[3] <= mrz_top + 2]
        for line in printed:
            spans = national_numbers(line.text)
            if spans:
                box = _words_box(line, *spans[0])
                card.regions["national_number"] = box
                return self._check(card, "national_number_masked", False, "readable", box)
        slot = _region("national_number_2020" if card.new_model else "national_number_2004")
        card.regions["national_number"] = slot
        share = flat.coverage(inset(slot))
        ok = share >= self.required["national_number"]
        return self._check(card, "national_number_masked", ok, "covered" if ok else "not_covered", slot, share)

    @staticmethod
    def _new_model(card: Card) -> bool:
        """A card of the 2020 model (ghost image, number in MRZ line 2 only): a Kids-ID, the chip on
        the back, or an expiry in 2030 or later."""
        expiry = card.mrz.expiry_year() if card.mrz else None
        return card.kids or _is_chip(card.view.image, _region("chip_back")) or (expiry is not None and expiry >= 2030)

    def _mrz_number(self, card: Card, flat: cover.Surface) -> Check:
        mrz = card.mrz
        band = _region("mrz")
        card.regions["mrz"] = band
        if card.belgian:  # for --fix: the number's places by the layout too, whatever was read
            layout = _layout_mrz()
            card.regions["mrz_number_layout_2"] = layout.column_box(1, 18, 28)
            if not card.new_model:
                card.regions["mrz_number_layout_1"] = layout.column_box(0, 15, 25)
        if mrz is None or not any(mrz.lines):
            share = flat.coverage(inset(band))
            if share >= self.required["mrz_band"]:  # the whole zone is covered
                return self._check(card, "mrz_masked", True, "covered", band, share)
            if not card.belgian:
                return self._check(card, "mrz_masked", False, "unreadable", band, share)
            mrz = _layout_mrz()  # nothing read: judge the number's places from the Belgian layout alone
        found = _mrz_number_at(mrz)
        if found is not None:
            line, start = found
            box = mrz.column_box(line, start, start + 10)
            card.regions["mrz_number"] = box or band
            return self._check(card, "mrz_masked", False, "readable", box or _union(mrz.boxes))
        # Every place the number can sit must be covered or visibly hold no number: optional
        # data 2 (line 2, 19-29) on cards since 2010, the start of optional data 1 (line 1,
        # 16-26) on 2004 cards. Passports: the personal number (line 2, 29-42).
        if mrz.kind != "TD1":
            places = [(1, 28, 41)]
        elif card.new_model:
            places = [(1, 18, 28)]
        else:
            places = [(1, 18, 28), (0, 15, 25)]
        verdict: Optional[Check] = None
        shares = []
        for index, (line, first, last) in enumerate(places):
            box = mrz.column_box(line, first, last)
            if box is None:
                return self._check(card, "mrz_masked", False, "unreadable", band)
            share = flat.coverage(inset(box, MRZ_ROW_INSET))
            empty = _no_number_from(mrz.lines[line] if line < len(mrz.lines) else "", first)
            if empty:
                continue
            card.regions[f"mrz_number_{index}"] = box  # --fix covers it
            if share < self.required["mrz_number"] and verdict is None:
                verdict = self._check(card, "mrz_masked", False, "not_covered", box, share)
            shares.append(share)
        if verdict is not None:
            return verdict
        boxes = [box for key, box in card.regions.items() if key.startswith("mrz_number_") and "layout" not in key]
        return self._check(card, "mrz_masked", True, "covered", _union(boxes) if boxes else band,
                           min(shares) if shares else None)

    @staticmethod
    def _check(card: Card, name: str, passed: bool, evidence: str, box: Optional[Box],
               share: Optional[float] = None) -> Check:
        return Check(name, passed, evidence, card.view.box_on_upload(box) if box else None, card.page, share)


def _words_box(line, start: int, end: int) -> Box:
    """The box of the words of a line that hold text[start:end] (the line joins words with spaces)."""
    boxes, position = [], 0
    for word in line.words:
        if position < end and position + len(word.text) > start:
            boxes.append(word.box)
        position += len(word.text) + 1
    return _union(boxes) if boxes else line.box


def _union(boxes) -> Box:
    known = [b for b in boxes if b is not None]
    return (min(b[0] for b in known), min(b[1] for b in known), max(b[2] for b in known), max(b[3] for b in known))


CARD_FACE_SIDE = 700  # the straight card is searched for faces on a copy this long
CARD_FACE_MIN = 0.08  # of the card's height: the ghost image's face is about 10 %
# Search scales 1.1 apart (finer than on documents, scanner/analyze/vision.py): at 1.15 a card's
# chip passes for a face and the page-wide search loses small real faces (sample_docs/id_cards).
FACE_STEP = 1.1


def _card_faces(image: Image.Image, region: Optional[Box] = None) -> list:
    """Faces on the straight card, or in a region of it searched at the whole card's scale and for
    faces of the same least size; boxes on the card."""
    region = region or (0, 0) + image.size
    x0, y0, x1, y1 = (int(round(v)) for v in (max(0, region[0]), max(0, region[1]),
                                                min(image.width, region[2]), min(image.height, region[3])))
    crop = image.crop((x0, y0, x1, y1))
    scale = CARD_FACE_SIDE / max(image.size)
    faces = detect_faces(crop, min_fraction=CARD_FACE_MIN * min(image.size) / min(crop.size),
                         max_side=max(crop.size) * scale, min_neighbors=4, scale_step=FACE_STEP)
    return [Face((f.box[0] + x0, f.box[1] + y0, f.box[2] + x0, f.box[3] + y0), f.score) for f in faces]


def _grown(box: Box, share: float) -> Box:
    """The box grown by share of its width and height on every side."""
    dx, dy = (box[2] - box[0]) * share, (box[3] - box[1]) * share
    return (box[0] - dx, box[1] - dy, box[2] + dx, box[3] + dy)


def _is_chip(image: Image.Image, region: Box) -> bool:
    """A gold (or silver-grey metallic with gold) contact chip in the region: its colour in HSV."""
    x0, y0, x1, y1 = (int(v) for v in region)
    rgb = np.asarray(image.convert("RGB"))[y0:y1, x0:x1]
    if rgb.size == 0:
        return False
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    gold = (hsv[..., 0] >= 12) & (hsv[..., 0] <= 32) & (hsv[..., 1] >= 70) & (hsv[..., 2] >= 90)
    if gold.mean() < 0.08:
        return False
    mask = gold.astype(np.uint8) * 255
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    height, width = mask.shape
    for i in range(1, count):
        w, h = stats[i, cv2.CC_STAT_WIDTH], stats[i, cv2.CC_STAT_HEIGHT]
        # A chip is a compact pad (about 11 x 9 mm), not a strip (a coloured cover).
        if stats[i, cv2.CC_STAT_AREA] >= 0.06 * mask.size and h >= 0.35 * height and w >= 0.35 * width \
                and 0.7 <= w / max(h, 1) <= 1.8:
            return True
    return False
