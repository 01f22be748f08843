"""Read a straightened card: its printed text (with boxes) and its machine-readable zone.

The whole card is read once with Tesseract. When lines that look like an MRZ
turn up, or the card is a back, the MRZ band is read a second time on its own
with only the MRZ alphabet allowed (``A-Z 0-9 <``), which reads it far more
exactly. The MRZ is then parsed after ICAO 9303 (TD1 for ID cards, TD3 for
passports) and its check digits are verified; each character's column gives
where the national register number sits, covered or not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Tuple

import pytesseract
from PIL import Image

from scanner.analyze.recognizers.mrz import check_digit
from scanner.extract.errors import OcrFailed, OcrTimeout
from scanner.extract.ocr import run_tesseract

Box = Tuple[float, float, float, float]
MRZ_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
_MRZ_LIKE = re.compile(r"^[A-Z0-9<«]{20,}$")


@dataclass
class Word:
    text: str
    box: Box
    confidence: float


@dataclass
class Line:
    words: List[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def box(self) -> Box:
        return (min(w.box[0] for w in self.words), min(w.box[1] for w in self.words),
                max(w.box[2] for w in self.words), max(w.box[3] for w in self.words))


@dataclass
class CardText:
    lines: List[Line]
    confidence: float  # mean confidence of words of 3+ characters

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def words(self) -> List[Word]:
        return [w for line in self.lines for w in line.words]

    @classmethod
    def of(cls, lines: List[Line]) -> "CardText":
        confidences = [w.confidence for line in lines for w in line.words if len(w.text) >= 3]
        return cls(lines, sum(confidences) / len(confidences) if confidences else 0.0)


# Tesseract reads a line again inverted (light text on dark) when it reads it badly: in an MRZ,
# every row a cover crosses. An MRZ is never printed light on dark, so its readings skip that
# (the whole card is read with it: a card's title can be light on a coloured band).
NO_INVERT = "-c tessedit_do_invert=0"


def ocr_lines(image: Image.Image, config: str, lang: str, timeout_s: int, offset=(0, 0)) -> CardText:
    try:
        data = run_tesseract(pytesseract.image_to_data, image, lang=lang, config=config,
                             output_type=pytesseract.Output.DICT, timeout=timeout_s)
    except RuntimeError as exc:
        raise OcrTimeout(f"reading the card took more than {timeout_s} s") from exc
    except pytesseract.TesseractError as exc:
        raise OcrFailed(f"Tesseract could not read the card ({exc.status})") from exc
    lines: dict = {}
    for i, token in enumerate(data["text"]):
        token = (token or "").strip()
        confidence = float(data["conf"][i])
        if not token or confidence < 0:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        x, y = data["left"][i] + offset[0], data["top"][i] + offset[1]
        box = (x, y, x + data["width"][i], y + data["height"][i])
        lines.setdefault(key, []).append(Word(token, box, confidence))
    return CardText.of(sorted((Line(words) for words in lines.values()), key=lambda line: (line.box[1], line.box[0])))


STACK_GAP = 40  # blank pixels between pictures read by one Tesseract run (MRZ rows' pieces)


def ocr_stacked(images: List[Image.Image], config: str, lang: str, timeout_s: int,
                origins: Optional[List[Tuple[float, float]]] = None, gap: int = STACK_GAP) -> List[CardText]:
    """Several pictures read by one Tesseract run: stacked top to bottom on a white strip, a
    blank gap between them. Each picture's text comes back on its own, its boxes placed at
    the picture's origin (on the card). Starting Tesseract costs about 0.15 s of CPU, most of
    it building its built-in tables of look-alike characters: as much as reading a card's MRZ."""
    origins = origins or [(0, 0)] * len(images)
    if len(images) < 2:  # one picture is read as it is (a margin around it changes the reading)
        return [ocr_lines(image, config, lang, timeout_s, origin) for image, origin in zip(images, origins)]
    width = max(image.width for image in images)
    strip = Image.new("L", (width, sum(image.height + gap for image in images) + gap), 255)
    tops, y = [], gap
    for image in images:
        strip.paste(image.convert("L"), (0, y))
        tops.append(y)
        y += image.height + gap
    read = ocr_lines(strip, config, lang, timeout_s)
    texts = []
    for image, top, (left, above) in zip(images, tops, origins):
        lines = []
        for line in read.lines:
            words = [Word(w.text, (w.box[0] + left, w.box[1] - top + above, w.box[2] + left, w.box[3] - top + above),
                          w.confidence)
                     for w in line.words if top <= (w.box[1] + w.box[3]) / 2 < top + image.height]
            if words:
                lines.append(Line(words))
        texts.append(CardText.of(lines))
    return texts


@dataclass
class Mrz:
    kind: str  # TD1 | TD3
    lines: List[str]  # as read, cleaned (may be shorter than the norm where covered)
    boxes: List[Optional[Box]]  # per expected line, None when the line was not read
    char_width: float
    left: float
    layout_rows: Optional[List[Box]] = None  # where the rows sit by the card's layout, if known

    @property
    def code(self) -> str:
        return self.lines[0][:2] if self.lines and self.lines[0] else ""

    @property
    def state(self) -> str:
        return self.lines[0][2:5] if self.lines and len(self.lines[0]) >= 5 else ""

    def field_ok(self, line: int, start: int, end: int, digit_at: int) -> Optional[bool]:
        text = self.lines[line] if line < len(self.lines) else ""
        if len(text) <= digit_at:
            return None
        return check_digit(text[start:end]) == text[digit_at]

    def checks(self) -> dict:
        """Which check digits pass (None: the field was not readable)."""
        if self.kind == "TD1":
            composite = None
            if len(self.lines) >= 2 and len(self.lines[0]) == 30 and len(self.lines[1]) == 30:
                l1, l2 = self.lines[0], self.lines[1]
                composite = check_digit(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]) == l2[29]
            return {"document_number": self._long_number_ok(), "birth_date": self.field_ok(1, 0, 6, 6),
                    "expiry_date": self.field_ok(1, 8, 14, 14), "composite": composite}
        composite = None
        if len(self.lines) >= 2 and len(self.lines[1]) == 44:
            l2 = self.lines[1]
            composite = check_digit(l2[0:10] + l2[13:20] + l2[21:43]) == l2[43]
        return {"document_number": self.field_ok(1, 0, 9, 9), "birth_date": self.field_ok(1, 13, 19, 19),
                "expiry_date": self.field_ok(1, 21, 27, 27), "personal_number": self.field_ok(1, 28, 42, 42),
                "composite": composite}

    def _long_number_ok(self) -> Optional[bool]:
        """TD1 document number; a Belgian card's 12-digit number overflows: '<' at 15, its last
        three digits open optional data 1, then the check digit (computed with or without the
        '<' depending on the card's age: both accepted)."""
        line = self.lines[0] if self.lines else ""
        if len(line) < 15:
            return None
        if line[14] != "<":
            return check_digit(line[5:14]) == line[14]
        if len(line) < 19:
            return None
        return line[18] in (check_digit(line[5:14] + line[15:18]), check_digit(line[5:18]))

    def expiry_year(self) -> Optional[int]:
        line = self.lines[1] if len(self.lines) > 1 else ""
        field = line[8:14] if self.kind == "TD1" else line[21:27]
        if len(field) == 6 and field.isdigit() and self.checks().get("expiry_date"):
            return 2000 + int(field[:2])
        return None

    def row_box(self, line: int) -> Optional[Box]:
        """Where a row stands: as read; else its place in the card's layout, moved by how far the
        read rows sit from theirs; else between the read rows. A reading taller than the others
        (two rows read as one) is not trusted for where it stands."""
        heights = sorted(b[3] - b[1] for b in self.boxes if b is not None)
        usual = heights[len(heights) // 2] if heights else 0
        known = [(i, b) for i, b in enumerate(self.boxes) if b is not None and b[3] - b[1] <= 1.4 * usual]
        if any(i == line for i, _ in known):
            return self.boxes[line]
        if self.layout_rows and line < len(self.layout_rows):
            # The layout's row, moved by how far the read rows sit from theirs (the median).
            shifts = sorted((b[1] + b[3]) / 2 - (self.layout_rows[i][1] + self.layout_rows[i][3]) / 2
                            for i, b in known if i < len(self.layout_rows))
            shift = shifts[len(shifts) // 2] if shifts else 0.0
            row = self.layout_rows[line]
            return (row[0], row[1] + shift, row[2], row[3] + shift)
        if len(known) >= 2:
            (i0, b0), (i1, b1) = known[0], known[-1]
            step = ((b1[1] + b1[3]) / 2 - (b0[1] + b0[3]) / 2) / max(i1 - i0, 1)
            centre = (b0[1] + b0[3]) / 2 + step * (line - i0)
            half = (b0[3] - b0[1]) / 2
            return (0, centre - half, 0, centre + half)
        return None

    def column_box(self, line: int, first: int, last: int) -> Optional[Box]:
        """Where characters first..last (0-based) of a line stand, read or covered."""
        box = self.row_box(line)
        if box is None:
            return None
        return (self.left + first * self.char_width, box[1], self.left + (last + 1) * self.char_width, box[3])


def _clean(text: str) -> str:
    return text.replace(" ", "").replace("«", "<").upper()


def find_mrz(text: CardText) -> Optional[Tuple[int, int]]:
    """The vertical extent (y0, y1) of lines that look like an MRZ, if any."""
    mrz_lines = [line for line in text.lines if _MRZ_LIKE.match(_clean(line.text)) and "<" in _clean(line.text)]
    if not mrz_lines:
        return None
    return (int(min(line.box[1] for line in mrz_lines)), int(max(line.box[3] for line in mrz_lines)))


def read_mrz(image: Image.Image, band: Tuple[int, int], timeout_s: int,
             rows: Optional[List[Box]] = None, grid: Tuple[float, float] = (0, 0)) -> Optional[Mrz]:
    """Read the band (y0, y1) of the card again with the MRZ alphabet only, and parse it.

    When the block does not read as an MRZ (a cover across one line can upset Tesseract's
    line finding), and the rows' places are known from the card's layout, each row is read
    on its own as a single line. (The rows cannot be read with the block by one Tesseract run:
    measured on the 45 sample backs, the block then reads differently on most of them.)"""
    y0, y1 = band
    pad = max(8, (y1 - y0) // 6)
    top, bottom = max(0, y0 - pad), min(image.height, y1 + pad)
    crop = image.crop((0, top, image.width, bottom)).convert("L")
    whitelist = f"-c tessedit_char_whitelist={MRZ_ALPHABET} {NO_INVERT}"
    read = ocr_lines(crop, f"--psm 6 {whitelist}", "eng", timeout_s, (0, top))
    mrz = parse_mrz([line for line in read.lines])
    if rows and (mrz is None or (mrz.kind == "TD1" and any(len(line) < 28 for line in mrz.lines))):
        # Rows not read completely are read again one by one (a cover touching a row upsets
        # the block reading); the names' row (the last) holds no number and is left as read.
        wanted = [index for index in range(len(rows)) if mrz is None or
                  (len(mrz.lines[index]) < 28 and index != len(rows) - 1)]
        pieces = _row_pieces([rows[i] for i in wanted])
        readings = _best_rows(pieces, ocr_stacked([image.crop(box) for _, box in pieces], f"--psm 6 {whitelist}",
                                                  "eng", timeout_s, [box[:2] for _, box in pieces]), len(wanted))
        texts = list(mrz.lines) if mrz is not None else [""] * len(rows)
        boxes = list(mrz.boxes) if mrz is not None else [None] * len(rows)
        for index, (words, clean) in zip(wanted, readings):
            if len(clean) >= 5 and len(clean) > len(texts[index]):  # the longer reading is kept
                texts[index], boxes[index] = clean, Line(words).box
        if mrz is not None:
            mrz.lines, mrz.boxes = texts, boxes
        elif any(len(text) >= 20 for text in texts):
            # Columns from the layout: the MRZ's 30 characters fill its area on the card.
            left, right = grid
            mrz = Mrz("TD1", texts, boxes, (right - left) / 30, left)
    return mrz


def _row_pieces(rows: List[Box]) -> List[Tuple[int, Tuple[int, int, int, int]]]:
    """Each MRZ row as a whole and by its upper and lower parts (Tesseract reads characters with
    a clipped edge better than a line with a cover's edge in it): (row index, crop box). All
    the pieces are read by one Tesseract run: starting Tesseract costs more than reading a line."""
    pieces = []
    for index, (x0, y0, x1, y1) in enumerate(rows):
        height = y1 - y0
        for top, bottom in ((y0, y1), (y0, y1 - 0.3 * height), (y0 + 0.3 * height, y1)):
            pieces.append((index, (int(x0), int(top), int(x1), int(bottom))))
    return pieces


def _best_rows(pieces: List[Tuple[int, Tuple[int, int, int, int]]], readings: List[CardText],
               count: int) -> List[Tuple[List[Word], str]]:
    """Per row, the longest reading of its pieces (words, cleaned text)."""
    best: List[Tuple[List[Word], str]] = [([], "") for _ in range(count)]
    for (index, box), read in zip(pieces, readings):
        words = read.words
        if not words or Line(words).box[3] - Line(words).box[1] < 0.35 * (box[3] - box[1]):
            continue  # nothing, or specks along a cover's edge
        clean = _drop_lead(_clean(" ".join(w.text for w in words)))[:30]
        if len(clean) > len(best[index][1]):
            best[index] = (words, clean)
    return best


def parse_mrz(read_lines: List[Line]) -> Optional[Mrz]:
    """An MRZ from lines read on the card (rows placed by their height), if they make one."""
    lines = [(line, _drop_lead(_clean(line.text))) for line in read_lines]
    lines = [(line, clean) for line, clean in lines if len(clean) >= 5]
    if not lines:
        return None
    longest = max(len(clean) for _, clean in lines)
    kind = "TD3" if longest >= 40 else "TD1"
    width = 44 if kind == "TD3" else 30
    count = 2 if kind == "TD3" else 3
    full = [(line, clean) for line, clean in lines if abs(len(clean) - width) <= 1]
    if not full:
        return None
    # Character grid from a completely read line.
    reference, ref_clean = full[0]
    x0, _, x1, _ = reference.box
    char_width = (x1 - x0) / len(ref_clean)
    line_height = reference.box[3] - reference.box[1]
    lines = [(line, clean) for line, clean in lines if line.box[3] - line.box[1] >= 0.5 * line_height]
    # Place every read line on its row of the MRZ, counting rows from the reference line.
    rows: List[Optional[Tuple[Line, str]]] = [None] * count
    ref_row = _row_of(ref_clean, kind)
    pitch = _pitch(lines, line_height, count)
    for line, clean in lines:
        row = ref_row + round(((line.box[1] + line.box[3]) / 2 - (reference.box[1] + reference.box[3]) / 2) / pitch)
        if 0 <= row < count and rows[row] is None:
            rows[row] = (line, clean[:width])
    return Mrz(kind, [r[1] if r else "" for r in rows], [r[0].box if r else None for r in rows], char_width, x0)


def _pitch(lines: List[Tuple[Line, str]], line_height: float, count: int) -> float:
    """Distance between two MRZ rows: the smallest gap between read lines, halved when a row
    between was not read (never more rows between than the MRZ has: a passport's two rows
    stand apart by more than 1.25 line heights on a page squeezed to a card's proportions)."""
    centres = sorted((line.box[1] + line.box[3]) / 2 for line, _ in lines)
    gaps = [b - a for a, b in zip(centres, centres[1:]) if b - a > line_height * 0.8]
    if not gaps:
        return line_height * 1.25
    gap = min(gaps)
    return gap / max(1, min(count - 1, round(gap / (line_height * 1.25))))


_TD1_START = re.compile(r"[ACI][A-Z<][A-Z<]{3}")


def _drop_lead(clean: str) -> str:
    """A stray character read before line 1 (the card's edge, a speck): 'TIDBEL...' is 'IDBEL...'."""
    if len(clean) >= 31 and not _TD1_START.match(clean) and _TD1_START.match(clean[1:]):
        return clean[1:]
    # Line 2 opens with the birth date and its check digit: specks read before it are dropped.
    lead = re.match(r"[^0-9]{1,3}(?=\d{7}[MF<])", clean)
    if lead and len(clean) - lead.end() >= 20:
        return clean[lead.end():]
    return clean


def _row_of(clean: str, kind: str) -> int:
    """Which row a complete line is: the second opens with the birth date, the first has the
    issuing state and document number, the last holds the names (letters and '<' only)."""
    if kind == "TD1":
        if sum(ch.isdigit() for ch in clean[:6]) >= 4:
            return 1
        if sum(ch.isdigit() for ch in clean[5:14]) >= 6:
            return 0
        return 2
    return 0 if clean[:1] == "P" else 1

