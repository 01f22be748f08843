#!/usr/bin/env python3
"""Render non-text sample documents from the texts of sample_docs/text/, with pixel boxes.

    python sample_docs/render.py               # from the repository root
    python sample_docs/render.py --ocr-check   # also compare two clean renders with Tesseract

Writes sample_docs/scans/, photos/, pdf/, email/, office/, faces/ and
sample_docs/documents_truth.jsonl, then re-opens every file and checks the ground
truth against it. The seed is fixed: a run rewrites every file byte for byte.

Each page is laid out here (word wrap, aligned columns, page breaks), so every
character's position is known: a value's box is measured with Pillow's
ImageDraw.textbbox on the exact substring at its exact position, then carried
through every later step (rotation, rescaling, perspective warp) as a matrix;
the final box is the rectangle enclosing the four transformed corners.

Needs Pillow, numpy, opencv-python-headless, fpdf2, python-docx, pypdfium2,
python-stdnum, scikit-image (for its public-domain astronaut portrait) and the
DejaVu fonts (Debian package fonts-dejavu-core). --ocr-check needs `tesseract`.
"""

from __future__ import annotations

import sys

sys.dont_write_bytecode = True   # leave no __pycache__ in sample_docs/

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import difflib  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import zipfile  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from email import policy  # noqa: E402
from email.headerregistry import Address as MailAddress  # noqa: E402
from email.message import EmailMessage  # noqa: E402
from email.parser import BytesParser  # noqa: E402
from pathlib import Path  # noqa: E402

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fakes import Faker, fmt_iban, fmt_nn  # noqa: E402
from stdnum.be import iban as be_iban  # noqa: E402
from textbuild import Piece, Tag, fill  # noqa: E402

SEED = 20250607                      # this script's own seed (generate.py has another)
TRUTH = HERE / "documents_truth.jsonl"
OUT_DIRS = ("scans", "photos", "pdf", "email", "office", "faces")
PDF_DPI = 200                        # every PDF box is in pixels of a 200 DPI rendering
A4_MM = (210.0, 297.0)
FIXED_TIME = dt.datetime(2025, 5, 12, 9, 30, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {("serif", "regular"): "DejaVuSerif.ttf", ("serif", "bold"): "DejaVuSerif-Bold.ttf",
              ("sans", "regular"): "DejaVuSans.ttf", ("sans", "bold"): "DejaVuSans-Bold.ttf",
              ("mono", "regular"): "DejaVuSansMono.ttf"}

# The astronaut portrait (NASA photo of Eileen Collins, public domain, shipped with
# scikit-image as skimage.data.astronaut()): 512 x 512 RGB. The face box, hairline to
# chin and cheek to cheek, was drawn by hand; OpenCV's frontal-face Haar cascade finds
# (177, 66, 272, 161) inside it.
ASTRONAUT_FACE = (172, 58, 280, 186)


def font_path(family: str, weight: str) -> Path:
    key = ("mono", "regular") if weight == "mono" else (family, weight)
    path = FONT_DIR / FONT_FILES[key]
    if not path.exists():
        raise SystemExit(f"missing font {path}: apt-get install fonts-dejavu-core")
    return path


# --- source documents -----------------------------------------------------------------------

@dataclass
class Doc:
    """A text to lay out plus its annotations (entities and decoys) as offsets into it."""
    name: str                 # e.g. "fr_invoice_01"
    lang: str
    text: str
    recs: list[dict]          # {"kind": "entity"|"decoy", "label", "value", "start", "end", "language"}


def _decode(data: bytes, encoding: str) -> str:
    if encoding.startswith("utf-16"):
        assert data[:2] == b"\xff\xfe"
        return data.decode("utf-16")
    return data.decode(encoding)


def load_text_docs() -> dict[str, Doc]:
    manifest = json.loads((HERE / "manifest.json").read_text(encoding="utf-8"))
    recs: dict[str, list[dict]] = defaultdict(list)
    with open(HERE / "ground_truth.jsonl", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            kind = "entity" if "entity_type" in r else "decoy"
            recs[r["file"]].append({"kind": kind, "label": r.get("entity_type") or r["decoy"],
                                    "value": r["value"], "start": r["start"], "end": r["end"],
                                    "language": r["language"]})
    docs = {}
    for m in manifest:
        if not m["file"].endswith(".txt"):
            continue
        text = _decode((HERE / m["file"]).read_bytes(), m["encoding"])
        stem = Path(m["file"]).stem
        lang = "fr" if stem.startswith("bil_") else stem[:2]
        for r in recs[m["file"]]:
            assert text[r["start"]:r["end"]] == r["value"], (m["file"], r)
        docs[stem] = Doc(stem, lang, text, recs[m["file"]])
    return docs


_BIC_SHAPED = re.compile(r"(?<![\w@.])[A-Z]{8}(?:[A-Z]{3})?(?![\w@.])")


def doc_from_piece(name: str, lang: str, piece: Piece) -> Doc:
    """A text composed here (e-mail bodies, forms): its Tags become the annotations.
    Capital 8/11-letter words outside them are BIC_WORD decoys, as in generate.py."""
    text = piece.text
    recs = [{"kind": "decoy" if s.decoy else "entity", "label": s.label, "value": text[s.start:s.end],
             "start": s.start, "end": s.end, "language": s.lang or lang} for s in piece.spans]
    for m in _BIC_SHAPED.finditer(text):
        if not any(r["start"] < m.end() and m.start() < r["end"] for r in recs):
            recs.append({"kind": "decoy", "label": "BIC_WORD", "value": m.group(), "start": m.start(),
                         "end": m.end(), "language": lang})
    return Doc(name, lang, text, sorted(recs, key=lambda r: (r["start"], r["end"])))


# --- layout -------------------------------------------------------------------------------------

@dataclass
class Run:
    """Text drawn in one call: `text` starts at offset `start` of the document."""
    page: int
    x: float
    y: float              # baseline
    text: str
    start: int
    weight: str           # "regular", "bold" or "mono"
    rule: float = 0.0     # > 0: a horizontal rule of that width instead of text


@dataclass
class Layout:
    runs: list[Run]
    pages: int
    em: float             # font size in layout units
    family: str


MRZ_LINE = re.compile(r"[A-Z0-9<]{30}")
RULE_LINE = re.compile(r"\s*([-=_])\1{9,}\s*")
SEGMENT = re.compile(r"\S+(?: \S+)*")      # text between runs of two or more spaces


def line_weight(line: str, first: bool, bold_first: bool) -> str:
    s = line.strip()
    if MRZ_LINE.fullmatch(s):
        return "mono"
    if first and bold_first:
        return "bold"
    letters = [c for c in s if c.isalpha()]
    if (len(letters) >= 6 and len(s) <= 70 and "  " not in s and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
            and len(letters) >= 0.6 * len(s.replace(" ", ""))):
        return "bold"   # headings in capitals
    return "regular"


def lay_out(doc: Doc, measure, em: float, page_w: float, page_h: float, margins: tuple, *,
            family: str, breaks: tuple = (), keepout: tuple | None = None, leading: float = 1.3,
            bold_first: bool = False) -> Layout:
    """Place `doc.text` on pages. Units are arbitrary (pixels or points): `em` is the font
    size and `measure(weight, text)` the advance width, both in those units.

    Lines without runs of two spaces are word-wrapped (annotated values are never split
    by the wrap); lines with such runs keep their columns (tables, aligned amounts).
    `breaks`: source line numbers that start a new page. `keepout`: a rectangle on page 1
    (x0, y0, x1, y1) text must avoid (a photo)."""
    left, top, right, bottom = margins
    ascent, descent, line_h = 0.93 * em, 0.24 * em, leading * em
    spans = [(r["start"], r["end"]) for r in doc.recs]
    lines, pos = [], 0
    for line in doc.text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    aligned_cols = [len(l.rstrip()) for _, l in lines if len(SEGMENT.findall(l)) > 1]
    cw = measure("regular", "0")
    if aligned_cols:
        cw = min(cw, (page_w - left - right) / max(aligned_cols))
    runs: list[Run] = []
    state = {"page": 1, "y": None}

    def next_line() -> tuple[int, float]:
        if state["y"] is None:
            state["y"] = top + ascent
        else:
            state["y"] += line_h
        if state["y"] + descent > page_h - bottom:
            state["page"] += 1
            state["y"] = top + ascent
        return state["page"], state["y"]

    def bounds(page: int, y: float) -> tuple[float, float]:
        lo, hi = left, page_w - right
        if keepout and page == 1 and y - ascent < keepout[3] and y + descent > keepout[1]:
            if keepout[0] > page_w / 2:
                hi = min(hi, keepout[0] - 0.6 * em)
            else:
                lo = max(lo, keepout[2] + 0.8 * em)
        return lo, hi

    def is_prose(line: str) -> bool:
        segs = SEGMENT.findall(line)
        return len(segs) == 1 and not line.startswith(" ") and not RULE_LINE.fullmatch(line)

    def joins(no: int) -> bool:
        """Does source line `no` run on into the next one (a hard break inside a sentence)?"""
        if no + 1 >= len(lines) or no + 1 in breaks:
            return False
        (off, line), nxt = lines[no], lines[no + 1][1]
        if not (is_prose(line) and is_prose(nxt) and len(line) >= 55) or line.rstrip().endswith(":"):
            return False
        if any(s <= off + len(line) < e for s, e in spans):
            return False
        if nxt[0].islower() or nxt[0] in "(€0123456789+«":
            return True
        too_wide = left + measure(weight_of(no), line) > page_w - right
        return too_wide and line.rstrip()[-1] not in ".!?" and not re.match(r"[\w .'-]{1,30}:", nxt)

    def weight_of(no: int) -> str:
        return line_weight(lines[no][1], no == 0, bold_first)

    no = 0
    while no < len(lines):
        off, line = lines[no]
        if no in breaks:
            state["page"] += 1
            state["y"] = None
        if not line.strip():
            if state["y"] is not None:
                state["y"] += line_h
            no += 1
            continue
        weight = weight_of(no)
        segs = list(SEGMENT.finditer(line))
        m = RULE_LINE.fullmatch(line)
        if m:
            page, y = next_line()
            lo, hi = bounds(page, y)
            runs.append(Run(page, lo + m.start(1) * cw, y, "", off + m.start(1), weight,
                            rule=min(len(line.strip()) * cw, hi - lo - m.start(1) * cw)))
            no += 1
            continue
        if len(segs) > 1:   # aligned columns
            page, y = next_line()
            lo, hi = bounds(page, y)
            prev_end = lo
            for s in segs:
                x = max(lo + s.start() * cw, prev_end + (measure(weight, " ") if s.start() else 0))
                w = measure(weight, s.group())
                if x + w > hi + 0.5 * em:
                    raise ValueError(f"{doc.name}: aligned line too wide: {line!r}")
                runs.append(Run(page, x, y, s.group(), off + s.start(), weight))
                prev_end = x + w
            no += 1
            continue
        # prose: a paragraph of run-on lines, greedy word wrap; a line break inside the
        # paragraph is shown as a space (same length, so offsets hold). Tokens inside one
        # annotation are glued together: the wrap never splits a value.
        last = no
        while joins(last):
            last += 1
        end = lines[last][0] + len(lines[last][1])
        tokens = [[off + t.start(), off + t.end()] for t in re.finditer(r"\S+", doc.text[off:end])]
        for s, e in spans:
            inside = [t for t in tokens if t[0] < e and s < t[1]]
            if len(inside) > 1:
                merged = [min(t[0] for t in inside), max(t[1] for t in inside)]
                tokens = [t for t in tokens if t not in inside] + [merged]
        tokens.sort()
        indent = segs[0].start() * cw

        def visual(a: int, b: int) -> str:
            return doc.text[a:b].replace("\n", " ")

        i = 0
        while i < len(tokens):
            page, y = next_line()
            lo, hi = bounds(page, y)
            x = lo + indent
            j = i
            while j + 1 < len(tokens) and x + measure(weight, visual(tokens[i][0], tokens[j + 1][1])) <= hi:
                j += 1
            text = visual(tokens[i][0], tokens[j][1])
            if x + measure(weight, text) > hi + 0.5 * em:
                raise ValueError(f"{doc.name}: unbreakable text too wide: {text!r}")
            runs.append(Run(page, x, y, text, tokens[i][0], weight))
            i = j + 1
        no = last + 1
    return Layout(runs, state["page"], em, family)


def fragments(layout: Layout, start: int, end: int) -> list[tuple[Run, int, int]]:
    """The pieces of doc text [start, end) per run, as (run, a, b) with run.text[a:b]."""
    out = []
    for r in layout.runs:
        if r.rule:
            continue
        a, b = max(start, r.start) - r.start, min(end, r.start + len(r.text)) - r.start
        if a < b:
            sub = r.text[a:b]
            a, b = a + len(sub) - len(sub.lstrip()), a + len(sub.rstrip())
            if a < b:
                out.append((r, a, b))
    return out


def group_lines(frags: list[tuple[Run, int, int]], box_of) -> list[tuple[int, list[float]]]:
    """One raw box per visual line (page, baseline): the union of its fragments' boxes."""
    lines: dict[tuple[int, float], list[float]] = {}
    for r, a, b in frags:
        box = box_of(r, a, b)
        key = (r.page, round(r.y, 3))
        if key in lines:
            old = lines[key]
            lines[key] = [min(old[0], box[0]), min(old[1], box[1]), max(old[2], box[2]), max(old[3], box[3])]
        else:
            lines[key] = list(box)
    return [(k[0], v) for k, v in sorted(lines.items())]


def fit(doc: Doc, make_measure, sizes, pages: int, **kw) -> Layout:
    """The largest font size (from `sizes`, in points) that gives `pages` pages."""
    for pt in sizes:
        measure, em, geometry = make_measure(pt)
        layout = lay_out(doc, measure, em, *geometry, **kw)
        if layout.pages == pages:
            return layout
    raise ValueError(f"{doc.name}: does not fit on {pages} page(s)")


# --- anchors (harmless words redaction must keep) -----------------------------------------------

ANCHOR_WORDS = set("""
Facture FACTURE facture Montant montant Total Objet Concerne Date Client Description Échéance paiement
compte communication Madame Monsieur Rappel rappel dossier Référence virement délai intérêt salutations
données demande courrier réclamé copie Veuillez agréer expression distinguées remercie réponse protection
traitement règlement Bonjour Cordialement Merci identité carte contentieux créances gratuit calendrier
indemnité forfaitaire conformité garantie pièces travaux logement Installations destinataires finalités
Factuur FACTUUR factuur Bedrag bedrag Totaal Betreft Datum Klant Omschrijving Vervaldag betaling rekening
mededeling herinnering Geachte groeten gegevens verzoek bedraagt openstaande afbetalingsvoorstel vriendelijke
kosteloos betaald vervallen identificatie persoonsgegevens wissing schriftelijk bevestigen maand Levering
Hoofdsom verschuldigd hoogachting invordering procedure adreswijziging opdracht
Rechnung Betrag Gesamt Betreff Kunde Beschreibung Zahlung Konto Mitteilung Erinnerung Grüßen Forderung
geehrte Daten Antrag freundlichen Unterlagen Rechnungsbetrag Zahlungserinnerung Mandantin Interessen
Wahrnehmung Leistungen Klage Friedensgericht Ankündigung Durchsicht kostenlos Rückfragen Eingang Erstattung
Forderungsaufstellung Hauptforderung Verzugszinsen Aufbewahrungsfrist gesetzlichen personenbezogenen
Gesamtbetrag Bezeichnung Menge Einzelpreis Honorarnote Krankenkasse Inverzugsetzung Aktenzeichen
Invoice INVOICE invoice Amount amount Subject Customer payment account reference reminder Dear faithfully
sincerely regards request data letter Principal personal erasure records rights reply month interest
compensation outstanding notice proceedings Quantity Packing Storage surcharge charge settlement
""".split())
_COMPANY = re.compile(r"(?:[A-ZÀ-Ýa-zà-ÿ'’&.-]+ ){1,5}(?:SRL|BV|GmbH|AG|SA|VoG|NV)\b")


def anchor_candidates(doc: Doc) -> list[tuple[int, int, str]]:
    busy = [(r["start"], r["end"]) for r in doc.recs]
    busy += [(m.start(), m.end()) for m in _COMPANY.finditer(doc.text)]
    out = []
    for m in re.finditer(r"(?<![\w@./-])[^\W\d_]+(?![\w@/-])", doc.text):
        if m.group() in ANCHOR_WORDS and not any(s < m.end() and m.start() < e for s, e in busy):
            out.append((m.start(), m.end(), m.group()))
    return out


def near_entity(doc: Doc, start: int, end: int) -> bool:
    """Is the word separated from an entity by at most three spaces or punctuation marks
    ("Monsieur Masson", "IBAN : BE...")? Then a padded redaction box may clip it."""
    for r in doc.recs:
        if r["kind"] != "entity":
            continue
        gap = doc.text[end:r["start"]] if r["start"] >= end else doc.text[r["end"]:start]
        if len(gap) <= 3 and re.fullmatch(r"[ .,:;()–-]*", gap):
            return True
    return False


def pick_anchors(doc: Doc, layout: Layout, per_page: int = 10) -> list[tuple[int, int, str]]:
    by_page: dict[int, list] = defaultdict(list)
    for s, e, w in anchor_candidates(doc):
        frags = fragments(layout, s, e)
        if len(frags) == 1:
            by_page[frags[0][0].page].append((s, e, w))
    chosen = []
    for page, cands in sorted(by_page.items()):
        if len(cands) <= per_page:
            chosen += cands
        else:
            chosen += [cands[round(i * (len(cands) - 1) / (per_page - 1))] for i in range(per_page)]
    return chosen


# --- geometry: the matrix from layout pixels to the final image ------------------------------------

@dataclass
class Geo:
    """Maps layout pixel-edge coordinates to the final image's (3x3 matrix) + final size."""
    H: np.ndarray
    size: tuple[int, int]

    @staticmethod
    def identity(size) -> "Geo":
        return Geo(np.eye(3), tuple(size))

    def then(self, M: np.ndarray, size) -> "Geo":
        return Geo(M @ self.H, tuple(size))

    def box(self, raw) -> list[int]:
        x0, y0, x1, y1 = raw
        pts = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]], dtype=float) @ self.H.T
        pts = pts[:, :2] / pts[:, 2:3]
        w, h = self.size
        return [max(0, math.floor(pts[:, 0].min() + 1e-6)), max(0, math.floor(pts[:, 1].min() + 1e-6)),
                min(w, math.ceil(pts[:, 0].max() - 1e-6)), min(h, math.ceil(pts[:, 1].max() - 1e-6))]


def centers_to_edges(M2x3: np.ndarray) -> np.ndarray:
    """OpenCV maps pixel centres (pixel i has centre i); boxes use edges (centre i + 0.5)."""
    M = np.vstack([M2x3, [0, 0, 1]]) if M2x3.shape[0] == 2 else M2x3
    T = np.array([[1, 0, 0.5], [0, 1, 0.5], [0, 0, 1]])
    return T @ M @ np.linalg.inv(T)


# --- rendering to pixels ------------------------------------------------------------------------------

class PixelFonts:
    def __init__(self, family: str, em_px: float):
        self.family, self.em = family, em_px
        self.fonts = {w: ImageFont.truetype(str(font_path(family, w)), size=em_px,
                                            layout_engine=ImageFont.Layout.BASIC)
                      for w in ("regular", "bold", "mono")}
        self._draw = ImageDraw.Draw(Image.new("L", (1, 1)))

    def measure(self, weight: str, text: str) -> float:
        return self.fonts[weight].getlength(text)

    def box(self, r: Run, a: int, b: int) -> tuple:
        f = self.fonts[r.weight]
        return self._draw.textbbox((r.x + f.getlength(r.text[:a]), r.y), r.text[a:b], font=f, anchor="ls")


def px(mm: float, dpi: int) -> float:
    return mm / 25.4 * dpi


def a4_px(dpi: int) -> tuple[int, int]:
    return round(px(A4_MM[0], dpi)), round(px(A4_MM[1], dpi))


@dataclass
class PageSpec:
    dpi: int = 200
    family: str = "serif"
    sizes: tuple = (10.5, 10, 9.5, 9, 8.5)
    pages: int = 1
    breaks: tuple = ()
    margins_mm: tuple = (25, 20, 20, 18)      # left, top, right, bottom
    bold_first: bool = False
    keepout_mm: tuple | None = None           # (x0, y0, x1, y1) on page 1


def pixel_layout(doc: Doc, spec: PageSpec) -> tuple[Layout, PixelFonts]:
    w, h = a4_px(spec.dpi)
    margins = tuple(px(m, spec.dpi) for m in spec.margins_mm)
    keepout = tuple(px(m, spec.dpi) for m in spec.keepout_mm) if spec.keepout_mm else None
    made = {}

    def make(pt):
        fonts = PixelFonts(spec.family, pt * spec.dpi / 72)
        made[pt] = fonts
        return fonts.measure, fonts.em, (w, h, margins)

    layout = fit(doc, make, spec.sizes, spec.pages, family=spec.family, breaks=spec.breaks,
                 keepout=keepout, bold_first=spec.bold_first)
    fonts = next(f for f in made.values() if f.em == layout.em)
    return layout, fonts


def draw_page(layout: Layout, fonts: PixelFonts, page: int, size, ink: int = 20) -> Image.Image:
    img = Image.new("L", size, 255)
    d = ImageDraw.Draw(img)
    for r in layout.runs:
        if r.page != page:
            continue
        if r.rule:
            y = r.y - 0.3 * fonts.em
            d.line([(r.x, y), (r.x + r.rule, y)], fill=ink, width=max(1, round(fonts.em / 14)))
        else:
            d.text((r.x, r.y), r.text, font=fonts.fonts[r.weight], fill=ink, anchor="ls")
    return img


# --- scan and photo effects ---------------------------------------------------------------------------

def scan_effects(img: np.ndarray, geo: Geo, rng, *, angle: float, blur: float, noise: float,
                 paper: int = 247, shift=(0.0, 0.0)) -> tuple[np.ndarray, Geo]:
    """A flatbed scan: paper tone, small rotation (same canvas), blur, sensor noise."""
    h, w = img.shape
    img = (img.astype(np.float32) * (paper / 255.0))
    M = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), angle, 1.0)
    M[:, 2] += shift
    img = cv2.warpAffine(img, M, (w, h), flags=cv2.INTER_LINEAR, borderValue=float(paper))
    geo = geo.then(centers_to_edges(M), (w, h))
    if blur:
        img = cv2.GaussianBlur(img, (0, 0), blur)
    img = img + rng.normal(0.0, noise, img.shape).astype(np.float32)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8), geo


def tint(gray: np.ndarray, paper=(250, 246, 236), ink=(28, 30, 42)) -> np.ndarray:
    """Gray page (255 = paper, 0 = ink) to RGB with a paper and an ink colour."""
    t = gray.astype(np.float32)[..., None] / 255.0
    return np.clip(np.rint(np.array(ink) + (np.array(paper) - np.array(ink)) * t), 0, 255).astype(np.uint8)


def resize(img: np.ndarray, geo: Geo, size) -> tuple[np.ndarray, Geo]:
    w0, h0 = geo.size
    out = cv2.resize(img, size, interpolation=cv2.INTER_AREA)
    S = np.diag([size[0] / w0, size[1] / h0, 1.0])
    return out, geo.then(S, size)


def rotate90_cw(img: np.ndarray, geo: Geo) -> tuple[np.ndarray, Geo]:
    """A page scanned sideways: the image turned a quarter clockwise."""
    w, h = geo.size
    M = np.array([[0.0, -1.0, h], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])   # (x, y) -> (h - y, x)
    return np.ascontiguousarray(np.rot90(img, k=-1)), geo.then(M, (h, w))


def smooth_field(rng, shape, cells=(6, 8), amp=1.0) -> np.ndarray:
    small = rng.normal(0, amp, cells).astype(np.float32)
    return cv2.resize(small, (shape[1], shape[0]), interpolation=cv2.INTER_CUBIC)


def phone_photo(page_rgb: np.ndarray, geo: Geo, rng, *, canvas=(1500, 2000), quad, table=(118, 92, 66),
                light_angle=0.6) -> tuple[np.ndarray, Geo]:
    """A printed page photographed on a table: perspective, shadow, uneven light, blur, noise."""
    W, H = canvas
    h, w = page_rgb.shape[:2]
    src = np.float32([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]])
    dst = np.float32(quad)
    P = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(page_rgb, P, (W, H), flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0))
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), P, (W, H), flags=cv2.INTER_LINEAR)
    m = mask.astype(np.float32)[..., None] / 255.0
    # the table: a colour, wood-like streaks, blotches
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    grain = 10 * np.sin(xx / 9.0 + 3 * smooth_field(rng, (H, W), (4, 30))) + 14 * smooth_field(rng, (H, W))
    bg = np.clip(np.array(table, np.float32)[None, None, :] + grain[..., None], 0, 255)
    shadow = cv2.GaussianBlur(np.roll(np.roll(mask, 18, axis=0), 12, axis=1).astype(np.float32), (0, 0), 22) / 255
    bg = bg * (1 - 0.45 * shadow[..., None])
    out = bg * (1 - m) + warped.astype(np.float32) * m
    # uneven light: a linear gradient plus vignetting
    u = (xx / W) * math.cos(light_angle) + (yy / H) * math.sin(light_angle)
    r2 = ((xx - W / 2) / W) ** 2 + ((yy - H / 2) / H) ** 2
    light = 1.08 - 0.38 * u - 0.35 * r2
    out = out * light[..., None]
    out = cv2.GaussianBlur(out, (0, 0), 0.9)
    out = out + rng.normal(0, 3.5, out.shape).astype(np.float32)
    geo = geo.then(centers_to_edges(P), (W, H))
    return np.clip(np.rint(out), 0, 255).astype(np.uint8), geo


# --- ground-truth entries -------------------------------------------------------------------------------

def entry(file: str, *, member=None, page=1, language=None, kind: str, label, value, bbox=None,
          page_size=None, **extra) -> dict:
    key = {"entity": "entity_type", "decoy": "decoy", "anchor": "anchor"}[kind]
    e = {"file": file, "member": member, "page": page, "language": language, key: label}
    if kind != "anchor":
        e["value"] = value
    e["bbox"] = bbox
    e["page_size"] = page_size
    e.update({k: v for k, v in extra.items() if v is not None})
    return e


def page_entries(doc: Doc, layout: Layout, box_of, geos: dict[int, Geo], file: str, *,
                 member=None, source=None, anchors=True) -> list[dict]:
    """Entities, decoys and anchors of a laid-out document, with boxes in final pixels.
    A value printed on several lines gets one entry per line ("part" k of "parts" n)."""
    out = []
    for r in doc.recs:
        lines = group_lines(fragments(layout, r["start"], r["end"]), box_of)
        if not lines:
            raise ValueError(f"{doc.name}: {r['value']!r} is not on the page")
        for k, (page, raw) in enumerate(lines, 1):
            g = geos[page]
            multi = len(lines) > 1
            out.append(entry(file, member=member, page=page, language=r["language"], kind=r["kind"],
                             label=r["label"], value=r["value"], bbox=g.box(raw), page_size=list(g.size),
                             part=k if multi else None, parts=len(lines) if multi else None,
                             source=source))
    if anchors:
        for s, e, word in pick_anchors(doc, layout):
            (page, raw), = group_lines(fragments(layout, s, e), box_of)
            g = geos[page]
            out.append(entry(file, member=member, page=page, language=doc.lang, kind="anchor", label=word,
                             value=None, bbox=g.box(raw), page_size=list(g.size), source=source,
                             near_entity=near_entity(doc, s, e)))
    return out


def scaled_entries(entries: list[dict], size, **changes) -> list[dict]:
    """The same entries for a copy of the image resized to `size` (boxes rounded outwards)."""
    out = []
    for e in entries:
        e = dict(e, **changes)
        if e["bbox"] is not None:
            w, h = e["page_size"]
            nw, nh = size
            x0, y0, x1, y1 = e["bbox"]
            e["bbox"] = [math.floor(x0 * nw / w), math.floor(y0 * nh / h),
                         min(nw, math.ceil(x1 * nw / w)), min(nh, math.ceil(y1 * nh / h))]
            e["page_size"] = [nw, nh]
        out.append(e)
    return out


# --- writers ------------------------------------------------------------------------------------------------

def save_image(img: np.ndarray, path: Path, fmt: str, dpi: int, quality: int = 80) -> None:
    im = Image.fromarray(img)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "jpg":
        im.save(path, "JPEG", quality=quality, dpi=(dpi, dpi))
    elif fmt == "png":
        im.save(path, "PNG", dpi=(dpi, dpi))
    elif fmt == "webp":
        im.save(path, "WEBP", quality=quality, method=4)
    else:
        raise ValueError(fmt)


# --- scans ---------------------------------------------------------------------------------------------------

@dataclass
class Scan:
    source: str
    out: str                  # path under sample_docs/
    fmt: str                  # png, jpg, webp, tiff
    angle: float | tuple = 0.0
    quality: int = 80
    noise: float = 6.0
    blur: float = 0.7
    color: bool = False
    sideways: bool = False
    low_dpi: int | None = None
    spec: PageSpec = field(default_factory=PageSpec)


SCANS = [
    Scan("fr_invoice_01", "scans/fr_invoice_01.png", "png", angle=0.8, noise=3.0, blur=0.6,
         spec=PageSpec(family="sans", sizes=(10, 9.5, 9), bold_first=True)),
    Scan("nl_reminder_01", "scans/nl_reminder_01.jpg", "jpg", angle=-1.3, quality=72,
         spec=PageSpec(family="serif", sizes=(10.5, 10, 9.5))),
    Scan("de_letter_01", "scans/de_letter_01.jpg", "jpg", angle=2.4, quality=68, noise=7.0,
         spec=PageSpec(family="serif", sizes=(11, 10.5, 10))),
    Scan("en_data_request_01", "scans/en_data_request_01.jpg", "jpg", angle=-0.6, quality=82,
         spec=PageSpec(family="serif", sizes=(11, 10.5, 10))),
    Scan("fr_data_request_01", "scans/fr_data_request_01_sideways.jpg", "jpg", angle=0.5, quality=75,
         sideways=True, spec=PageSpec(family="serif", sizes=(10.5, 10, 9.5))),
    Scan("nl_invoice_01", "scans/nl_invoice_01.png", "png", angle=-0.9, noise=3.0, blur=0.6,
         spec=PageSpec(family="sans", sizes=(10, 9.5, 9), bold_first=True)),
    Scan("de_formal_notice_01", "scans/de_formal_notice_01.tiff", "tiff", angle=(0.6, -1.1), noise=10.0,
         blur=0.8, spec=PageSpec(dpi=300, family="serif", sizes=(10.5,), pages=2, breaks=(24,))),
    Scan("en_invoice_01", "scans/en_invoice_01.webp", "webp", angle=1.7, quality=80,
         spec=PageSpec(family="sans", sizes=(10, 9.5, 9), bold_first=True)),
    Scan("fr_reminder_01", "scans/fr_reminder_01_lowres.jpg", "jpg", angle=-1.0, quality=85, noise=4.0,
         blur=0.9, low_dpi=100, spec=PageSpec(dpi=300, family="serif", sizes=(10.5, 10, 9.5))),
    Scan("bil_letter_01", "scans/bil_letter_01.jpg", "jpg", angle=2.9, quality=64, color=True,
         spec=PageSpec(family="serif", sizes=(10.5, 10, 9.5))),
    Scan("fr_email_id_copy_01", "scans/fr_email_id_copy_01.jpg", "jpg", angle=-2.2, quality=78,
         spec=PageSpec(family="sans", sizes=(10, 9.5, 9))),
]


def render_scan(sc: Scan, docs: dict[str, Doc], rng) -> tuple[list[dict], dict]:
    doc = docs[sc.source]
    layout, fonts = pixel_layout(doc, sc.spec)
    size = a4_px(sc.spec.dpi)
    angles = sc.angle if isinstance(sc.angle, tuple) else (sc.angle,)
    frames, geos, dpi = [], {}, sc.spec.dpi
    for page in range(1, layout.pages + 1):
        img = np.asarray(draw_page(layout, fonts, page, size))
        geo = Geo.identity(size)
        shift = tuple(rng.uniform(-12, 12, 2))
        img, geo = scan_effects(img, geo, rng, angle=angles[page - 1], blur=sc.blur, noise=sc.noise,
                                shift=shift)
        if sc.low_dpi:
            img, geo = resize(img, geo, a4_px(sc.low_dpi))
            img = np.clip(img.astype(np.float32) + rng.normal(0, 2.0, img.shape), 0, 255).astype(np.uint8)
            dpi = sc.low_dpi
        if sc.sideways:
            img, geo = rotate90_cw(img, geo)
        if sc.color:
            img = tint(img)
        frames.append(img)
        geos[page] = geo
    path = HERE / sc.out
    if sc.fmt == "tiff":
        ims = [Image.fromarray(np.where(f < 150, 0, 255).astype(np.uint8)).convert("1") for f in frames]
        ims[0].save(path, "TIFF", save_all=True, append_images=ims[1:], compression="group4", dpi=(dpi, dpi))
    else:
        save_image(frames[0], path, sc.fmt, dpi, sc.quality)
    entries = page_entries(doc, layout, fonts.box, geos, sc.out)
    return entries, {"layout": layout, "fonts": fonts, "frames": frames, "dpi": dpi}


def clean_render(source: str, docs, spec: PageSpec) -> tuple[Image.Image, list[dict]]:
    """An undegraded page and its entries (for the OCR check)."""
    doc = docs[source]
    layout, fonts = pixel_layout(doc, spec)
    size = a4_px(spec.dpi)
    img = draw_page(layout, fonts, 1, size)
    return img, page_entries(doc, layout, fonts.box, {1: Geo.identity(size)}, "clean")


# --- photos ---------------------------------------------------------------------------------------------------

PHOTOS = [
    ("de_invoice_02", "photos/de_invoice_02_photo.jpg", "sans",
     [(205, 150), (1310, 118), (1420, 1870), (85, 1905)], (118, 92, 66), 0.7),
    ("en_reminder_01", "photos/en_reminder_01_photo.jpg", "serif",
     [(120, 210), (1360, 160), (1330, 1880), (170, 1830)], (150, 150, 158), 2.2),
]


def render_photo(source, out, family, quad, table, light, docs, rng) -> list[dict]:
    doc = docs[source]
    spec = PageSpec(dpi=150, family=family, sizes=(10.5, 10, 9.5, 9), bold_first=family == "sans")
    layout, fonts = pixel_layout(doc, spec)
    size = a4_px(spec.dpi)
    page = tint(np.asarray(draw_page(layout, fonts, 1, size)), paper=(246, 245, 240), ink=(22, 22, 30))
    jitter = rng.uniform(-20, 20, (4, 2))
    quad = [(x + dx, y + dy) for (x, y), (dx, dy) in zip(quad, jitter)]
    img, geo = phone_photo(page, Geo.identity(size), rng, quad=quad, table=table, light_angle=light)
    save_image(img, HERE / out, "jpg", 72, quality=80)
    return page_entries(doc, layout, fonts.box, {1: geo}, out)


# --- faces ---------------------------------------------------------------------------------------------------

def astronaut() -> np.ndarray:
    from skimage import data
    return data.astronaut()


def face_entry(file, box_src, scale_xy, offset, geo: Geo) -> dict:
    sx, sy = scale_xy
    ox, oy = offset
    x0, y0, x1, y1 = box_src
    raw = (ox + x0 * sx, oy + y0 * sy, ox + x1 * sx, oy + y1 * sy)
    return entry(file, page=1, kind="entity", label="FACE", value=None, bbox=geo.box(raw),
                 page_size=list(geo.size))


def customer_sheet_doc(docs) -> Doc:
    """A debtor record sheet: values from text/fr_letter_01.txt (Sophie Delvaux's account)."""
    iban = "BE81 0967 6442 8224"
    bic = be_iban.to_bic(iban.replace(" ", ""))
    p = fill(
        "Invoice Managers SRL – service contentieux\n"
        "Fiche débiteur\n"
        "\n"
        "Nom : {name}\n"
        "Adresse : {addr}\n"
        "Téléphone : {phone}\n"
        "Compte : {iban}\n"
        "BIC : {bic}\n"
        "Dossier : {file_no}\n"
        "Créancier : Optique du Marché SRL\n"
        "Solde : {amount}\n"
        "Mise à jour : {date}\n"
        "\n"
        "\n"
        "\n"
        "\n"
        "\n"
        "\n"
        "Photo remise par la débitrice au guichet le {date} pour son identification.\n"
        "Conjoint : {spouse}, même adresse.\n"
        "Remarque : la débitrice conteste le montant réclamé (paiement du 22/01/2024).\n",
        name=Tag("PERSON", "Sophie Delvaux"), addr=Tag("ADDRESS", "Avenue Louise 5, 1050 Ixelles"),
        phone=Tag("PHONE_NUMBER", "02 842 48 47"), iban=Tag("IBAN_CODE", iban), bic=Tag("BIC_CODE", bic),
        file_no=Tag("FILE_NUMBER", "2024/IM/53755"), amount=Tag("AMOUNT", "819,09 EUR"),
        date=Tag("DATE", "02/04/2024"), spouse=Tag("PERSON", "Thierry Dubois"))
    return doc_from_piece("fr_customer_sheet_01", "fr", p)


def render_faces(docs, rng) -> list[dict]:
    out = []
    face = astronaut()
    # (1) a customer record with a large photo on the left of the text
    file = "faces/fr_customer_photo_01.jpg"
    doc = customer_sheet_doc(docs)
    dpi = 200
    photo_mm = (25, 34, 25 + 70, 34 + 70)            # x0, y0, x1, y1 on the page
    spec = PageSpec(dpi=dpi, family="sans", sizes=(11,), bold_first=True, keepout_mm=photo_mm)
    layout, fonts = pixel_layout(doc, spec)
    size = a4_px(dpi)
    page = np.asarray(draw_page(layout, fonts, 1, size).convert("RGB")).copy()
    x0, y0, x1, y1 = (round(px(v, dpi)) for v in photo_mm)
    page[y0:y1, x0:x1] = cv2.resize(face, (x1 - x0, y1 - y0), interpolation=cv2.INTER_AREA)
    geo = Geo.identity(size)
    img = page.astype(np.float32) * (248 / 255.0) + rng.normal(0, 3.0, page.shape)
    img = np.clip(np.rint(img), 0, 255).astype(np.uint8)
    save_image(img, HERE / file, "jpg", dpi, quality=85)
    out += page_entries(doc, layout, fonts.box, {1: geo}, file)
    out.append(face_entry(file, ASTRONAUT_FACE, ((x1 - x0) / 512, (y1 - y0) / 512), (x0, y0), geo))
    # (2) a data-subject request with a small ID-style portrait in the top right corner
    file = "faces/nl_data_request_01_portrait.jpg"
    doc = docs["nl_data_request_01"]
    port_mm = (A4_MM[0] - 20 - 35, 20, A4_MM[0] - 20, 20 + 45)
    spec = PageSpec(dpi=dpi, family="serif", sizes=(10.5, 10, 9.5), keepout_mm=port_mm)
    layout, fonts = pixel_layout(doc, spec)
    page = np.asarray(draw_page(layout, fonts, 1, size)).copy()
    crop = (125, 0, 325, 256)                        # head and shoulders, 200 x 256
    x0, y0, x1, y1 = (round(px(v, dpi)) for v in port_mm)
    small = cv2.cvtColor(face[crop[1]:crop[3], crop[0]:crop[2]], cv2.COLOR_RGB2GRAY)
    page[y0:y1, x0:x1] = cv2.resize(small, (x1 - x0, y1 - y0), interpolation=cv2.INTER_AREA)
    cv2.rectangle(page, (x0 - 1, y0 - 1), (x1, y1), 90, 1)
    img, geo = scan_effects(page, Geo.identity(size), rng, angle=0.7, blur=0.6, noise=5.0)
    save_image(img, HERE / file, "jpg", dpi, quality=80)
    out += page_entries(doc, layout, fonts.box, {1: geo}, file)
    fx0, fy0, fx1, fy1 = ASTRONAUT_FACE
    out.append(face_entry(file, (fx0 - crop[0], fy0 - crop[1], fx1 - crop[0], fy1 - crop[1]),
                          ((x1 - x0) / (crop[2] - crop[0]), (y1 - y0) / (crop[3] - crop[1])), (x0, y0), geo))
    return out


# --- PDFs --------------------------------------------------------------------------------------------------------

def new_pdf():
    from fpdf import FPDF
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    for fam in ("serif", "sans", "mono"):
        name = {"serif": "DejaVuSerif", "sans": "DejaVuSans", "mono": "DejaVuSansMono"}[fam]
        pdf.add_font(name, "", str(font_path(fam, "regular")))
        if fam != "mono":
            pdf.add_font(name, "B", str(font_path(fam, "bold")))
    pdf.set_creation_date(FIXED_TIME)
    pdf.set_creator("piiscan sample_docs/render.py")
    pdf.set_producer("fpdf2")
    return pdf


class PdfFonts:
    """Layout in points with fpdf2's own widths; boxes in pixels at PDF_DPI."""

    def __init__(self, pdf, family: str, size_pt: float):
        self.pdf, self.family, self.em = pdf, family, size_pt
        s = PDF_DPI / 72
        self.scale = s
        self.pil = {w: ImageFont.truetype(str(font_path(family, w)), size=size_pt * s,
                                          layout_engine=ImageFont.Layout.BASIC)
                    for w in ("regular", "bold", "mono")}

    def use(self, weight: str) -> None:
        if weight == "mono":
            self.pdf.set_font("DejaVuSansMono", "", self.em)
        else:
            self.pdf.set_font({"serif": "DejaVuSerif", "sans": "DejaVuSans"}[self.family],
                              "B" if weight == "bold" else "", self.em)

    def measure(self, weight: str, text: str) -> float:
        self.use(weight)
        return self.pdf.get_string_width(text)

    def box(self, r: Run, a: int, b: int) -> tuple:
        s = self.scale
        sub = r.text[a:b]
        X = (r.x + self.measure(r.weight, r.text[:a])) * s
        font = self.pil[r.weight]
        bb = font.getbbox(sub, anchor="ls")
        # Pillow's advances are hinted at this pixel size; the PDF uses the unhinted widths:
        # stretch the ink box horizontally to the PDF's width of the same text.
        k = self.measure(r.weight, sub) * s / font.getlength(sub)
        return (X + bb[0] * k, r.y * s + bb[1], X + bb[2] * k, r.y * s + bb[3])


PDF_PAGE_PX = a4_px(PDF_DPI)


def pdf_layout(pdf, doc: Doc, family: str, sizes, pages=1, breaks=(), bold_first=False,
               margins_mm=(25, 20, 20, 20)) -> tuple[Layout, PdfFonts]:
    w, h = pdf.w, pdf.h
    margins = tuple(m * 72 / 25.4 for m in margins_mm)
    made = {}

    def make(pt):
        fonts = PdfFonts(pdf, family, pt)
        made[pt] = fonts
        return fonts.measure, pt, (w, h, margins)

    layout = fit(doc, make, sizes, pages, family=family, breaks=breaks, bold_first=bold_first)
    return layout, made[layout.em]


def draw_pdf(pdf, layout: Layout, fonts: PdfFonts, footer=None) -> None:
    for page in range(1, layout.pages + 1):
        pdf.add_page()
        for r in layout.runs:
            if r.page != page:
                continue
            if r.rule:
                pdf.set_line_width(0.5)
                y = r.y - 0.3 * fonts.em
                pdf.line(r.x, y, r.x + r.rule, y)
            else:
                fonts.use(r.weight)
                pdf.text(r.x, r.y, r.text)
        if footer:
            fonts.use("regular")
            pdf.set_font_size(8)
            text = footer(page, layout.pages)
            pdf.text(pdf.w - 20 * 72 / 25.4 - pdf.get_string_width(text), pdf.h - 12 * 72 / 25.4, text)


def pdf_meta_entries(file, lang, meta: dict, member=None) -> list[dict]:
    out = []
    for key, (value, tags) in meta.items():
        for label, v in tags:
            kind = "decoy" if label in ("INVOICE_NUMBER", "FILE_NUMBER", "DATE", "AMOUNT") else "entity"
            out.append(entry(file, member=member, page=None, language=lang, kind=kind, label=label, value=v,
                             source="pdf-metadata", field=key))
    return out


def set_meta(pdf, meta: dict) -> None:
    pdf.set_title(meta["Title"][0])
    pdf.set_author(meta["Author"][0])
    pdf.set_subject(meta["Subject"][0])
    pdf.set_keywords(meta["Keywords"][0])


BORN_DIGITAL = [
    # source, output, family, sizes, pages, breaks, metadata {field: (text, [(label, value)])}
    ("fr_invoice_02", "pdf/fr_invoice_02.pdf", "sans", (10, 9.5), 1, (), {
        "Title": ("Facture FAC-25-6992", [("INVOICE_NUMBER", "FAC-25-6992")]),
        "Author": ("Aurélie Ghislain", [("PERSON", "Aurélie Ghislain")]),
        "Subject": ("Traduction jurée – Agence Immobilière du Parc SRL", []),
        "Keywords": ("facture, traduction, TVA", [])}),
    ("en_letter_01", "pdf/en_letter_01.pdf", "serif", (10.5, 10), 1, (), {
        "Title": ("Collective debt settlement – file IM-2025-04744", [("FILE_NUMBER", "IM-2025-04744")]),
        "Author": ("Léa Le Clercq", [("PERSON", "Léa Le Clercq")]),
        "Subject": ("Notice of appointment as debt mediator", []),
        "Keywords": ("debt mediation, collective debt settlement, Labour Court", [])}),
    ("de_reminder_01", "pdf/de_reminder_01.pdf", "serif", (11, 10.5), 2, (23,), {
        "Title": ("Zahlungserinnerung IM/2024/4215", [("FILE_NUMBER", "IM/2024/4215")]),
        "Author": ("Heike Schmitz", [("PERSON", "Heike Schmitz")]),
        "Subject": ("Erste Zahlungserinnerung – Rechnung 24-9170", [("INVOICE_NUMBER", "24-9170")]),
        "Keywords": ("Erinnerung, Forderungsmanagement", [])}),
]


def render_born_digital(docs) -> tuple[list[dict], dict[str, bytes]]:
    out, blobs = [], {}
    for source, file, family, sizes, pages, breaks, meta in BORN_DIGITAL:
        doc = docs[source]
        pdf = new_pdf()
        set_meta(pdf, meta)
        layout, fonts = pdf_layout(pdf, doc, family, sizes, pages, breaks, bold_first=family == "sans")
        footer = (lambda p, n: f"Seite {p} von {n}") if pages > 1 else None
        draw_pdf(pdf, layout, fonts, footer)
        data = bytes(pdf.output())
        (HERE / file).write_bytes(data)
        blobs[file] = data
        geos = {p: Geo.identity(PDF_PAGE_PX) for p in range(1, layout.pages + 1)}
        out += page_entries(doc, layout, fonts.box, geos, file)
        out += pdf_meta_entries(file, doc.lang, meta)
    return out, blobs


# (c) a born-digital PDF with an attached .txt and a filled form field

def attachment_doc(rng_faker: Faker) -> tuple[Doc, str]:
    iban, bic, _ = rng_faker.be_iban()
    p = fill(
        "Case summary exported from the collection system\n"
        "Case: {file_no}\n"
        "Debtor: {name}\n"
        "National number: {nn}\n"
        "Debtor's own account (for refunds): {iban} ({bic})\n"
        "Outstanding: {amount}\n",
        file_no=Tag("FILE_NUMBER", "IM-2025-92504"), name=Tag("PERSON", "Thomas McAllister"),
        nn=Tag("BE_NATIONAL_NUMBER", "60.06.17-435.66"), iban=Tag("IBAN_CODE", fmt_iban(iban)),
        bic=Tag("BIC_CODE", bic), amount=Tag("AMOUNT", "€125.99"))
    return doc_from_piece("case_IM-2025-92504", "en", p), "case_IM-2025-92504.txt"


def pdf_string(s: str) -> bytes:
    """A PDF text string: UTF-16BE with BOM, as a hex string."""
    return b"<FEFF" + s.encode("utf-16-be").hex().upper().encode() + b">"


def add_text_field(data: bytes, *, page_no: int, rect_pt, name: str, label: str, value: str) -> bytes:
    """Append an incremental update with an AcroForm text field (a filled-in form, as a PDF
    viewer saves it). fpdf2 2.8 writes no form fields, so this is done by hand."""
    text = data.decode("latin-1")
    startxref = int(re.findall(r"startxref\s+(\d+)", text)[-1])
    trailer = text[text.rindex("trailer"):]
    size = int(re.search(r"/Size (\d+)", trailer).group(1))
    root = int(re.search(r"/Root (\d+) 0 R", trailer).group(1))
    info = re.search(r"/Info (\d+) 0 R", trailer)
    file_id = re.search(r"/ID\s*(\[[^\]]*\])", trailer)

    def obj_body(n: int) -> str:
        m = re.search(rf"(?<![0-9]){n} 0 obj\s*(<<.*?>>)\s*endobj", text, re.S)
        return m.group(1)

    pages_ref = int(re.search(r"/Pages (\d+) 0 R", obj_body(root)).group(1))
    kids = [int(k) for k in re.findall(r"(\d+) 0 R", re.search(r"/Kids\s*\[([^\]]*)\]", obj_body(pages_ref)).group(1))]
    page_obj = kids[page_no - 1]
    page_body = obj_body(page_obj)
    if "/Annots" in page_body:
        raise ValueError("page already has annotations")
    font_n, ap_n, field_n = size, size + 1, size + 2
    x0, y0, x1, y1 = rect_pt
    w, h = x1 - x0, y1 - y0
    shown = value.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = (b"/Tx BMC\nq 1 1 %.2f %.2f re W n\nBT /Helv 11 Tf 0 g 3 %.2f Td (" % (w - 2, h - 2, (h - 8) / 2)
              + shown + b") Tj ET\nQ\nEMC\n")
    new = {
        font_n: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        ap_n: (b"<< /Type /XObject /Subtype /Form /BBox [0 0 %.2f %.2f] /Resources << /Font << /Helv %d 0 R >> >>"
               b" /Length %d >>\nstream\n" % (w, h, font_n, len(stream)) + stream + b"endstream"),
        field_n: (b"<< /Type /Annot /Subtype /Widget /FT /Tx /F 4 /T " + pdf_string(name) + b" /TU "
                  + pdf_string(label) + b" /V " + pdf_string(value)
                  + b" /DA (/Helv 11 Tf 0 g) /Rect [%.2f %.2f %.2f %.2f] /P %d 0 R /MK << /BC [0.4 0.4 0.4] >>"
                  b" /AP << /N %d 0 R >> >>" % (x0, y0, x1, y1, page_obj, ap_n)),
        page_obj: page_body[:-2].rstrip().encode("latin-1") + b" /Annots [%d 0 R] >>" % field_n,
        root: obj_body(root)[:-2].rstrip().encode("latin-1")
        + b" /AcroForm << /Fields [%d 0 R] /DA (/Helv 0 Tf 0 g) /DR << /Font << /Helv %d 0 R >> >> >> >>"
        % (field_n, font_n),
    }
    buf = bytearray(data)
    if not buf.endswith(b"\n"):
        buf += b"\n"
    offsets = {}
    for n in sorted(new):
        offsets[n] = len(buf)
        buf += b"%d 0 obj\n" % n + new[n] + b"\nendobj\n"
    xref_at = len(buf)
    buf += b"xref\n"
    for n in sorted(new):
        buf += b"%d 1\n%010d 00000 n \n" % (n, offsets[n])
    buf += b"trailer\n<< /Size %d /Root %d 0 R" % (size + 3, root)
    if info:
        buf += b" /Info %s 0 R" % info.group(1).encode()
    if file_id:
        buf += b" /ID " + file_id.group(1).encode("latin-1")
    buf += b" /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (startxref, xref_at)
    return bytes(buf)


def render_form_pdf(docs, faker: Faker) -> tuple[list[dict], bytes]:
    file = "pdf/en_formal_notice_01_form.pdf"
    doc = docs["en_formal_notice_01"]
    pdf = new_pdf()
    meta = {"Title": ("Formal notice of default – IM-2025-92504", [("FILE_NUMBER", "IM-2025-92504")]),
            "Author": ("Oliver Whitfield", [("PERSON", "Oliver Whitfield")]),
            "Subject": ("Letter before action – Greenline Telecom SA", []),
            "Keywords": ("formal notice, default, letter before action", [])}
    set_meta(pdf, meta)
    layout, fonts = pdf_layout(pdf, doc, "serif", (10, 9.5), margins_mm=(25, 20, 20, 45))
    draw_pdf(pdf, layout, fonts)
    # the form: a label (page text) and a text field under the letter
    label_y = pdf.h - 30 * 72 / 25.4
    fonts.use("bold")
    pdf.text(25 * 72 / 25.4, label_y, "Debtor as identified by the court (for office use):")
    rect_top = label_y + 6
    rect = (25 * 72 / 25.4, pdf.h - (rect_top + 20), 25 * 72 / 25.4 + 260, pdf.h - rect_top)   # PDF y-up
    att_doc, att_name = attachment_doc(faker)
    pdf.embed_file(bytes=att_doc.text.encode("utf-8"), basename=att_name, modification_date=FIXED_TIME,
                   creation_date=FIXED_TIME, mime_type="text/plain", desc="Case summary")
    data = bytes(pdf.output())
    value = "Thomas McAllister"
    data = add_text_field(data, page_no=1, rect_pt=rect, name="debtor_name",
                          label="Debtor as identified by the court", value=value)
    (HERE / file).write_bytes(data)
    geos = {1: Geo.identity(PDF_PAGE_PX)}
    out = page_entries(doc, layout, fonts.box, geos, file)
    out += pdf_meta_entries(file, "en", meta)
    s = PDF_DPI / 72
    x0, y0, x1, y1 = rect
    out.append(entry(file, page=1, language="en", kind="entity", label="PERSON", value=value,
                     bbox=Geo.identity(PDF_PAGE_PX).box((x0 * s, (pdf.h - y1) * s, x1 * s, (pdf.h - y0) * s)),
                     page_size=list(PDF_PAGE_PX), source="pdf-form", field="debtor_name"))
    for r in att_doc.recs:
        out.append(entry(file, member=att_name, page=None, language=r["language"], kind=r["kind"],
                         label=r["label"], value=r["value"], source="pdf-attachment",
                         start=r["start"], end=r["end"]))
    return out, data


def render_scanned_pdfs(scan_results: dict, scan_entries: dict) -> list[dict]:
    out = []
    for scan_file, file in (("scans/nl_reminder_01.jpg", "pdf/scan_nl_reminder_01.pdf"),
                            ("scans/de_formal_notice_01.tiff", "pdf/scan_de_formal_notice_01.pdf")):
        res = scan_results[scan_file]
        pdf = new_pdf()
        pdf.set_title("Scan")
        for i, frame in enumerate(res["frames"], 1):
            pdf.add_page()
            if scan_file.endswith(".jpg"):
                pdf.image(str(HERE / scan_file), x=0, y=0, w=pdf.w, h=pdf.h)
            else:   # the bilevel TIFF frames, as 1-bit images
                im = Image.fromarray(np.where(frame < 150, 0, 255).astype(np.uint8)).convert("1")
                pdf.image(im, x=0, y=0, w=pdf.w, h=pdf.h)
        (HERE / file).write_bytes(bytes(pdf.output()))
        out += scaled_entries(scan_entries[scan_file], PDF_PAGE_PX, file=file)
    return out


# --- e-mails -------------------------------------------------------------------------------------------------

def eml_bytes(msg: EmailMessage) -> bytes:
    return msg.as_bytes(policy=policy.default)


def header_entries(file, lang, items) -> list[dict]:
    """items: (header name, kind, label, value)."""
    return [entry(file, page=1, language=lang, kind=kind, label=label, value=value, source="eml-header",
                  header=h) for h, kind, label, value in items]


def body_entries(file, doc: Doc, member=None, source=None) -> list[dict]:
    return [entry(file, member=member, page=1, language=r["language"], kind=r["kind"], label=r["label"],
                  value=r["value"], source=source, start=r["start"], end=r["end"]) for r in doc.recs]


def render_emails(pdf_blobs: dict, pdf_entries: list[dict], png_scan: tuple, faker: Faker) -> list[dict]:
    out = []
    # (1) plain text + the born-digital invoice as PDF attachment
    file = "email/fr_invoice_02_sent.eml"
    body = fill(
        "Bonjour Monsieur {last},\n\n"
        "Veuillez trouver ci-joint ma facture {inv} du {d1} pour la traduction jurée du contrat de bail,\n"
        "d'un montant de {amount}.\n\n"
        "Merci de verser ce montant au plus tard le {d2} sur mon compte {iban}, en mentionnant la\n"
        "communication {ogm}.\n\n"
        "Bien cordialement,\n\n"
        "{name}\n"
        "Traductrice jurée FR – NL – EN\n"
        "GSM {phone}\n",
        last=Tag("PERSON", "Le Clercq"), inv=Tag("INVOICE_NUMBER", "FAC-25-6992"), d1=Tag("DATE", "03/04/2025"),
        amount=Tag("AMOUNT", "579,59 €"), d2=Tag("DATE", "03/05/2025"), iban=Tag("IBAN_CODE", "BE81096141096524"),
        ogm=Tag("OGM", "***677/6349/31831***"), name=Tag("PERSON", "Aurélie Ghislain"),
        phone=Tag("PHONE_NUMBER", "0479 758 219"))
    doc = doc_from_piece("eml1", "fr", body)
    msg = EmailMessage()
    msg["From"] = MailAddress("Aurélie Ghislain", addr_spec="aurelie.ghislain@yahoo.fr")
    msg["To"] = MailAddress("Grégory Le Clercq", addr_spec="gregory.leclercq@agenceduparc.be")
    msg["Subject"] = "Facture FAC-25-6992 – traduction jurée"
    msg["Date"] = "Thu, 03 Apr 2025 16:12:40 +0200"
    msg["Message-ID"] = "<20250403161240.4711.sample@yahoo.fr>"
    msg.set_content(doc.text, cte="quoted-printable")
    pdf_name = "fr_invoice_02.pdf"
    msg.add_attachment(pdf_blobs["pdf/fr_invoice_02.pdf"], maintype="application", subtype="pdf",
                       filename=pdf_name)
    msg.set_boundary("=_piiscan_sample_mixed_1")
    (HERE / file).write_bytes(eml_bytes(msg))
    out += header_entries(file, "fr", [
        ("From", "entity", "PERSON", "Aurélie Ghislain"), ("From", "entity", "EMAIL_ADDRESS", "aurelie.ghislain@yahoo.fr"),
        ("To", "entity", "PERSON", "Grégory Le Clercq"), ("To", "entity", "EMAIL_ADDRESS", "gregory.leclercq@agenceduparc.be"),
        ("Subject", "decoy", "INVOICE_NUMBER", "FAC-25-6992"),
        ("Date", "decoy", "DATE", "Thu, 03 Apr 2025 16:12:40 +0200"),
        ("Message-ID", "decoy", "MESSAGE_ID", "20250403161240.4711.sample@yahoo.fr")])
    out += body_entries(file, doc)
    for e in pdf_entries:
        if e["file"] == "pdf/fr_invoice_02.pdf":
            out.append(dict(e, file=file, member=pdf_name))
    # (2) HTML body with the scanned invoice inline, RFC 2047 display names
    file = "email/fr_invoice_01_reply.eml"
    iban, _, _ = faker.be_iban()
    mobile = faker.phone_be("mobile").fmt("nat")
    cid = "scan-2024-3740@proximus.be"
    png_name = "facture_2024-3740.png"
    html = fill(
        "<html><head><meta charset=\"utf-8\"></head><body>\n"
        "<p>Bonjour,</p>\n"
        "<p>Comme convenu par téléphone, je vous renvoie votre facture n° {inv} du {d1}, scannée ci-dessous.\n"
        "Le montant de {amount} a été versé le {d2} depuis mon compte {iban}, avec la communication\n"
        "{ogm}.</p>\n"
        "<p><img src=\"cid:" + cid + "\" alt=\"facture scannée\" width=\"600\"></p>\n"
        "<p>Pouvez-vous me confirmer la bonne réception du paiement ? Vous pouvez me joindre au {phone}.</p>\n"
        "<p>Cordialement,<br>\n{name}<br>\n{addr}</p>\n"
        "</body></html>\n",
        inv=Tag("INVOICE_NUMBER", "2024/3740"), d1=Tag("DATE", "11/09/2024"), amount=Tag("AMOUNT", "1 438,42 €"),
        d2=Tag("DATE", "07/10/2024"), iban=Tag("IBAN_CODE", fmt_iban(iban)), ogm=Tag("OGM", "+++610/5227/54414+++"),
        phone=Tag("PHONE_NUMBER", mobile), name=Tag("PERSON", "François Masson"),
        addr=Tag("ADDRESS", "Chaussée de Louvain 193, 1030 Schaerbeek"))
    doc = doc_from_piece("eml2", "fr", html)
    msg = EmailMessage()
    msg["From"] = MailAddress("François Masson", addr_spec="francois.masson@proximus.be")
    msg["To"] = MailAddress("Électricité Moreau SRL", addr_spec="info@electricite-moreau.be")
    msg["Subject"] = "Re: Facture 2024/3740 – paiement effectué"
    msg["Date"] = "Mon, 14 Oct 2024 20:41:07 +0200"
    msg["Message-ID"] = "<CAF3x9Zq.20241014204107.sample@proximus.be>"
    msg["In-Reply-To"] = "<20240911.facture-2024-3740@electricite-moreau.be>"
    msg.set_content(doc.text, subtype="html", cte="quoted-printable")
    png_bytes, png_entries = png_scan
    msg.add_related(png_bytes, maintype="image", subtype="png", cid=f"<{cid}>", filename=png_name,
                    disposition="inline")
    msg.set_boundary("=_piiscan_sample_related_2")
    # The email package encodes only the accented word (as in the first e-mail); write this
    # display name as one encoded word instead, the way many mail clients do.
    raw = eml_bytes(msg)
    per_word = b"From: =?utf-8?q?Fran=C3=A7ois?= Masson <"
    assert raw.count(per_word) == 1
    raw = raw.replace(per_word, b"From: =?utf-8?q?Fran=C3=A7ois_Masson?= <")
    (HERE / file).write_bytes(raw)
    out += header_entries(file, "fr", [
        ("From", "entity", "PERSON", "François Masson"), ("From", "entity", "EMAIL_ADDRESS", "francois.masson@proximus.be"),
        ("To", "entity", "EMAIL_ADDRESS", "info@electricite-moreau.be"),
        ("Subject", "decoy", "INVOICE_NUMBER", "2024/3740"),
        ("Date", "decoy", "DATE", "Mon, 14 Oct 2024 20:41:07 +0200"),
        ("Message-ID", "decoy", "MESSAGE_ID", "CAF3x9Zq.20241014204107.sample@proximus.be"),
        ("In-Reply-To", "decoy", "MESSAGE_ID", "20240911.facture-2024-3740@electricite-moreau.be")])
    out.append(entry(file, member=png_name, page=1, language="fr", kind="decoy", label="MESSAGE_ID", value=cid,
                     source="eml-header", header="Content-ID"))
    out += body_entries(file, doc)
    at = doc.text.index("cid:" + cid) + 4       # the same id in the HTML markup (<img src="cid:...">)
    out.append(entry(file, page=1, language="fr", kind="decoy", label="MESSAGE_ID", value=cid,
                     start=at, end=at + len(cid)))
    out += [dict(e, file=file, member=png_name) for e in png_entries]
    return out


# --- Word files --------------------------------------------------------------------------------------------

def fixed_zip(data: bytes) -> bytes:
    """python-docx stamps zip entries with the current time: rewrite them with a fixed one."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            dst.writestr(zi, src.read(info.filename))
    return buf.getvalue()


def docx_paragraphs(doc: Doc) -> list[list[str]]:
    """Blocks between blank lines; a block of short lines keeps its line breaks."""
    blocks, cur = [], []
    for line in doc.text.split("\n"):
        if line.strip():
            cur.append(line)
        elif cur:
            blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    out = []
    for b in blocks:
        prose = any(len(l) >= 60 for l in b) and not any("  " in l.strip() for l in b)
        out.append([" ".join(l.strip() for l in b)] if prose else b)
    return out


OFFICE = [
    dict(source="nl_formal_notice_01", file="office/nl_formal_notice_01.docx", lang="nl",
         header=("Gerechtsdeurwaarder {p} · {addr}", dict(p=("PERSON", "Tom De Backer"),
                                                            addr=("ADDRESS", "Naamsestraat 28, 3000 Leuven"))),
         footer=("Tel. {tel} · {mail} · Ondernemingsnummer {vat}",
                 dict(tel=("PHONE_NUMBER", "(016) 32 87 03"), mail=("EMAIL_ADDRESS", "tom.debacker@gdw-debacker.be"),
                      vat=("BE_ENTERPRISE_NUMBER", "BE 0597.905.921"))),
         table_title="Gegevens schuldenaar",
         table=[("Naam", "PERSON", "Pieter VAN ACKER"), ("Rijksregisternummer", "BE_NATIONAL_NUMBER", "54.06.10-859.17"),
                ("Rekening schuldenaar", "IBAN_CODE", None), ("Dossier", "FILE_NUMBER", "IM-24-21957")],
         props=dict(author="Tom De Backer", last_modified_by="Tom De Backer",
                    title=("Ingebrekestelling {v}", "FILE_NUMBER", "IM-24-21957"),
                    subject=("Invordering factuur {v}", "INVOICE_NUMBER", "20247628"),
                    keywords="ingebrekestelling; invordering")),
    dict(source="de_letter_01", file="office/de_letter_01.docx", lang="de",
         header=("Invoice Managers SRL · {addr}", dict(addr=("ADDRESS", "Boulevard du Souverain 280, 1160 Auderghem"))),
         footer=("Tel. {tel} · {mail} · Unternehmensnummer {vat}",
                 dict(tel=("PHONE_NUMBER", "02 449 12 10"), mail=("EMAIL_ADDRESS", "info@invoicemanagers.be"),
                      vat=("BE_ENTERPRISE_NUMBER", "BE 0434.910.683"))),
         table_title="Angaben zum Schuldner",
         table=[("Kontoinhaber", "PERSON", "Günter Schmitz"), ("Nationalregisternummer", "BE_NATIONAL_NUMBER", None),
                ("IBAN", "IBAN_CODE", "DE51 3905 0000 3538 2216 21"), ("Aktenzeichen", "FILE_NUMBER", "IM/2024/0191")],
         props=dict(author="Heike Schmitz", last_modified_by="Heike Schmitz",
                    title=("Abschlussbestätigung {v}", "FILE_NUMBER", "IM/2024/0191"),
                    subject=("Erstattung Überzahlung", None, None), keywords="Erstattung; Abschluss")),
]


def render_office(docs, faker: Faker) -> list[dict]:
    import docx
    from docx.shared import Pt
    out = []
    for spec in OFFICE:
        doc = docs[spec["source"]]
        file, lang = spec["file"], spec["lang"]
        d = docx.Document()
        d.styles["Normal"].font.name = "Cambria"
        d.styles["Normal"].font.size = Pt(11)
        sec = d.sections[0]
        for where, (tmpl, vals) in (("docx-header", spec["header"]), ("docx-footer", spec["footer"])):
            piece = fill(tmpl, **{k: Tag(*v) for k, v in vals.items()})
            part = sec.header if where == "docx-header" else sec.footer
            part.paragraphs[0].text = piece.text
            for s in piece.spans:
                out.append(entry(file, page=1, language=lang, kind="decoy" if s.decoy else "entity",
                                 label=s.label, value=piece.text[s.start:s.end], source=where))
        for block in docx_paragraphs(doc):
            p = d.add_paragraph()
            for i, line in enumerate(block):
                run = p.add_run(line)
                if i < len(block) - 1:
                    run.add_break()
        out += body_entries(file, doc)
        for e in out[-len(doc.recs):]:
            del e["start"], e["end"]      # offsets are into the .txt, not the .docx
        d.add_paragraph(spec["table_title"]).runs[0].bold = True
        table = d.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label_text, label, value in spec["table"]:
            if value is None:       # a value the text lacks: invented here
                if label == "IBAN_CODE":
                    value = fmt_iban(faker.be_iban()[0])
                else:
                    value = fmt_nn(faker.national_number(dt.date(1961, 3, 17), "M"), "card")
            Tag(label, value)       # validates
            row = table.add_row().cells
            row[0].text, row[1].text = label_text, value
            out.append(entry(file, page=1, language=lang, kind="decoy" if label == "FILE_NUMBER" else "entity",
                             label=label, value=value, source="docx-table"))
        cp = d.core_properties
        props = spec["props"]
        cp.author, cp.last_modified_by, cp.keywords = props["author"], props["last_modified_by"], props["keywords"]
        cp.created = cp.modified = cp.last_printed = FIXED_TIME.replace(tzinfo=None)
        cp.revision = 3
        cp.comments = ""
        cp.language = {"nl": "nl-BE", "de": "de-BE"}[lang]
        for attr in ("title", "subject"):
            tmpl, label, v = props[attr]
            setattr(cp, attr, tmpl.format(v=v))
            if label:
                out.append(entry(file, page=1, language=lang, kind="decoy", label=label, value=v,
                                 source="docx-properties", field=attr))
        for attr in ("author", "last_modified_by"):
            out.append(entry(file, page=1, language=lang, kind="entity", label="PERSON", value=props[attr],
                             source="docx-properties", field=attr))
        buf = io.BytesIO()
        d.save(buf)
        (HERE / file).write_bytes(fixed_zip(buf.getvalue()))
    return out


# --- checks --------------------------------------------------------------------------------------------------

def norm(s: str) -> str:
    return re.sub(r"[^0-9a-z]", "", s.lower().translate(str.maketrans("àâäçéèêëîïôöùûüœ", "aaaceeeeiioouuuo")))


def check_images(entries: list[dict]) -> None:
    """Every box lies on its page and holds ink; page sizes match the files."""
    problems = []
    cache = {}
    for e in entries:
        if e["bbox"] is None or e["member"] is not None or not e["file"].startswith(("scans/", "photos/", "faces/")):
            continue
        key = (e["file"], e["page"])
        if key not in cache:
            im = Image.open(HERE / e["file"])
            im.seek(e["page"] - 1)
            cache[key] = np.asarray(im.convert("L"))
        a = cache[key]
        if list(a.shape[::-1]) != e["page_size"]:
            problems.append(f"{key}: page size {a.shape[::-1]} != {e['page_size']}")
        x0, y0, x1, y1 = e["bbox"]
        if not (0 <= x0 < x1 <= a.shape[1] and 0 <= y0 < y1 <= a.shape[0]):
            problems.append(f"{key}: bad box {e['bbox']}")
            continue
        crop = a[y0:y1, x0:x1]
        if e.get("entity_type") != "FACE" and crop.min() > np.median(a) - 60:
            problems.append(f"{key}: no ink in box of {e.get('value') or e.get('anchor')!r}")
    if problems:
        raise SystemExit("IMAGE CHECK FAILED\n" + "\n".join(problems[:30]))


def check_pdfs(entries: list[dict]) -> None:
    """The text layer inside each box of a born-digital PDF holds the value; page sizes at 200 DPI."""
    import pypdfium2 as pdfium
    problems = []
    docs = {}
    for e in entries:
        if not e["file"].startswith("pdf/") or e["member"] is not None:
            continue
        if e["file"] not in docs:
            docs[e["file"]] = pdfium.PdfDocument(str(HERE / e["file"]))
        pdf = docs[e["file"]]
        if e.get("source") == "pdf-metadata":
            meta = pdf.get_metadata_dict()
            if e["value"] not in meta.get(e["field"], ""):
                problems.append(f"{e['file']}: {e['value']!r} not in metadata {e['field']}")
            continue
        if e["bbox"] is None:
            continue
        page = pdf[e["page"] - 1]
        w, h = page.get_size()
        s = PDF_DPI / 72
        size = [round(w * s), round(h * s)]
        if size != e["page_size"]:
            problems.append(f"{e['file']}: page size {size} != {e['page_size']}")
        if "scan_" in e["file"] or e.get("source") == "pdf-form":
            continue
        x0, y0, x1, y1 = e["bbox"]
        text = page.get_textpage().get_text_bounded(left=x0 / s - 1, bottom=h - y1 / s - 1,
                                                   right=x1 / s + 1, top=h - y0 / s + 1)
        want = e.get("value") or e["anchor"]
        if e.get("parts"):
            want = want.split("\n")[e["part"] - 1] if want.count("\n") + 1 == e["parts"] else want
        if norm(want) not in norm(text) and not (e.get("parts") and norm(text) in norm(want)):
            problems.append(f"{e['file']} p{e['page']}: box {e['bbox']} holds {text!r}, not {want!r}")
    # the attachment and the form field
    pdf = pdfium.PdfDocument(str(HERE / "pdf/en_formal_notice_01_form.pdf"))
    att = pdf.get_attachment(0)
    data = bytes(att.get_data())
    for e in entries:
        if e.get("source") == "pdf-attachment":
            if data.decode("utf-8")[e["start"]:e["end"]] != e["value"]:
                problems.append(f"attachment: {e['value']!r} not at {e['start']}")
    pdf.init_forms()
    for e in entries:
        if e.get("source") == "pdf-form":
            if form_fields(pdf, e["page"]).get(e["field"]) != e["value"]:
                problems.append(f"form field {e['field']} does not hold {e['value']!r}")
    if problems:
        raise SystemExit("PDF CHECK FAILED\n" + "\n".join(problems[:30]))


def form_fields(pdf, page_no: int) -> dict[str, str]:
    """Name -> value of the form fields on a page, as pdfium reads them (forms initialised)."""
    import ctypes

    import pypdfium2.raw as pdfium_c
    page = pdf[page_no - 1]
    out = {}
    for i in range(pdfium_c.FPDFPage_GetAnnotCount(page)):
        annot = pdfium_c.FPDFPage_GetAnnot(page, i)
        got = []
        for fn in (pdfium_c.FPDFAnnot_GetFormFieldName, pdfium_c.FPDFAnnot_GetFormFieldValue):
            n = fn(pdf.formenv, annot, None, 0)
            buf = (ctypes.c_ushort * max(1, n // 2))()
            fn(pdf.formenv, annot, buf, n)
            got.append(bytes(buf)[:max(0, n - 2)].decode("utf-16-le"))
        pdfium_c.FPDFPage_CloseAnnot(annot)
        out[got[0]] = got[1]
    return out


def check_emails(entries: list[dict]) -> None:
    problems = []
    for name in ("email/fr_invoice_02_sent.eml", "email/fr_invoice_01_reply.eml"):
        msg = BytesParser(policy=policy.default).parsebytes((HERE / name).read_bytes())
        body = msg.get_body(("html", "plain")).get_content()
        members = {p.get_filename() for p in msg.walk() if p.get_filename()}
        for e in entries:
            if e["file"] != name:
                continue
            if e.get("source") == "eml-header":
                part = msg if e["member"] is None else next(p for p in msg.walk() if p.get_filename() == e["member"])
                if e["value"] not in str(part[e["header"]]):
                    problems.append(f"{name}: {e['value']!r} not in {e['header']}")
            elif e["member"] is None:
                if body[e["start"]:e["end"]] != e["value"]:
                    problems.append(f"{name}: body offsets of {e['value']!r}")
            elif e["member"] not in members:
                problems.append(f"{name}: no member {e['member']}")
    raw = (HERE / "email/fr_invoice_01_reply.eml").read_bytes()
    if b"From: =?utf-8?q?Fran=C3=A7ois_Masson?=" not in raw:
        problems.append("display name not RFC 2047 encoded")
    if problems:
        raise SystemExit("E-MAIL CHECK FAILED\n" + "\n".join(problems))


def check_office(entries: list[dict]) -> None:
    import docx
    problems = []
    for spec in OFFICE:
        d = docx.Document(str(HERE / spec["file"]))
        sec = d.sections[0]
        parts = {
            None: "\n".join(p.text for p in d.paragraphs),
            "docx-header": "\n".join(p.text for p in sec.header.paragraphs),
            "docx-footer": "\n".join(p.text for p in sec.footer.paragraphs),
            "docx-table": "\n".join(c.text for t in d.tables for row in t.rows for c in row.cells),
            "docx-properties": "\n".join(str(getattr(d.core_properties, a)) for a in
                                         ("author", "last_modified_by", "title", "subject")),
        }
        for e in entries:
            if e["file"] == spec["file"] and e["value"] not in parts[e.get("source")]:
                problems.append(f"{spec['file']}: {e['value']!r} not in {e.get('source') or 'body'}")
    if problems:
        raise SystemExit("DOCX CHECK FAILED\n" + "\n".join(problems))


def ocr_words(img: Image.Image, lang: str, dpi: int) -> list[tuple]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.png"
        img.save(path, dpi=(dpi, dpi))
        tsv = subprocess.run(["tesseract", str(path), "-", "-l", lang, "--psm", "4", "tsv"],
                             capture_output=True, text=True, check=True).stdout
    words = []
    for row in tsv.splitlines()[1:]:
        c = row.split("\t")
        if len(c) == 12 and c[11].strip():
            x, y, w, h = map(int, c[6:10])
            words.append((x, y, x + w, y + h, c[11]))
    return words


def ocr_agreement(name: str, img: Image.Image, entries: list[dict], lang: str, dpi: int) -> None:
    """Do the OCR words whose centres fall in each box spell the value (or anchor word)?"""
    words = ocr_words(img, lang, dpi)
    exact = close = total = 0
    misses = []
    for e in entries:
        if e["bbox"] is None or e.get("entity_type") == "FACE":
            continue
        x0, y0, x1, y1 = e["bbox"]
        inside = [w for w in words if x0 - 4 <= (w[0] + w[2]) / 2 <= x1 + 4 and y0 - 4 <= (w[1] + w[3]) / 2 <= y1 + 4]
        got = norm("".join(w[4] for w in inside))
        want = e.get("value") or e["anchor"]
        if e.get("parts"):
            want = want.split("\n")[e["part"] - 1]
        ratio = difflib.SequenceMatcher(None, got, norm(want)).ratio()
        total += 1
        exact += got == norm(want)
        close += ratio >= 0.8
        if ratio < 0.8:
            misses.append((want, got, round(ratio, 2)))
    print(f"OCR {name}: {len(words)} words; of {total} boxes (entities, decoys, anchors) "
          f"{exact} hold exactly the value's letters and digits, {close} agree at >= 80 %")
    for m in misses[:8]:
        print("   miss (value, OCR in box, ratio):", m)


def ocr_check(docs) -> None:
    """Tesseract on two clean renders (the check asked for), then on some degraded files."""
    for source, spec, lang in (("fr_invoice_01", SCANS[0].spec, "fra"), ("en_data_request_01", SCANS[3].spec, "eng")):
        img, entries = clean_render(source, docs, spec)
        ocr_agreement(f"clean render of {source}", img, entries, lang, spec.dpi)
    truth = [json.loads(line) for line in open(TRUTH, encoding="utf-8")]
    for file, lang, dpi in (("scans/nl_reminder_01.jpg", "nld", 200), ("scans/de_letter_01.jpg", "deu", 200),
                            ("scans/fr_reminder_01_lowres.jpg", "fra", 100),
                            ("photos/en_reminder_01_photo.jpg", "eng", 150)):
        ents = [e for e in truth if e["file"] == file and e["member"] is None]
        ocr_agreement(file, Image.open(HERE / file), ents, lang, dpi)


# --- the run -------------------------------------------------------------------------------------------------

def write_truth(entries: list[dict]) -> None:
    order = {d: i for i, d in enumerate(OUT_DIRS)}

    def key(e):
        top = e["file"].split("/")[0]
        return (order[top], e["file"], e["member"] or "", e["page"] or 0, "anchor" in e, "decoy" in e,
                e["bbox"][1] if e["bbox"] else -1, e["bbox"][0] if e["bbox"] else -1)

    with open(TRUTH, "w", encoding="utf-8", newline="\n") as f:
        for e in sorted(entries, key=key):
            f.write(json.dumps(e, ensure_ascii=False) + "\n")


def print_stats(entries: list[dict]) -> None:
    kinds = Counter()
    per_dir = defaultdict(Counter)
    for e in entries:
        k = e.get("entity_type") or ("decoy:" + e["decoy"] if "decoy" in e else "anchor")
        kinds[k] += 1
        per_dir[e["file"].split("/")[0]][
            "entities" if "entity_type" in e else "decoys" if "decoy" in e else "anchors"] += 1
    print(f"{len(entries)} ground-truth lines")
    for k, n in sorted(kinds.items()):
        print(f"  {k:<26}{n:>5}")
    for d in OUT_DIRS:
        files = sorted(p for p in (HERE / d).iterdir())
        size = sum(p.stat().st_size for p in files)
        print(f"  {d:<8} {len(files):>2} files {size / 1e6:6.2f} MB  {dict(per_dir[d])}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ocr-check", action="store_true", help="run tesseract on two clean renders")
    args = ap.parse_args()
    docs = load_text_docs()
    rng = np.random.default_rng(SEED)
    faker = Faker(SEED)
    for d in OUT_DIRS:
        (HERE / d).mkdir(exist_ok=True)
        for old in (HERE / d).iterdir():
            if old.is_file():
                old.unlink()
    entries: list[dict] = []
    scan_results, scan_entries = {}, {}
    for sc in SCANS:
        ents, res = render_scan(sc, docs, rng)
        scan_results[sc.out], scan_entries[sc.out] = res, ents
        entries += ents
    for source, out, family, quad, table, light in PHOTOS:
        entries += render_photo(source, out, family, quad, table, light, docs, rng)
    entries += render_faces(docs, rng)
    pdf_entries, blobs = render_born_digital(docs)
    form_entries, _ = render_form_pdf(docs, faker)
    pdf_entries += form_entries
    pdf_entries += render_scanned_pdfs(scan_results, scan_entries)
    entries += pdf_entries
    # a half-size PNG of the scanned invoice, sent inline in an e-mail
    frame = scan_results["scans/fr_invoice_01.png"]["frames"][0]
    half = cv2.resize(frame, (frame.shape[1] // 2, frame.shape[0] // 2), interpolation=cv2.INTER_AREA)
    png = io.BytesIO()
    Image.fromarray(half).save(png, "PNG", dpi=(100, 100))
    png_entries = scaled_entries(scan_entries["scans/fr_invoice_01.png"], (half.shape[1], half.shape[0]))
    assert png_entries[0]["page_size"] == [half.shape[1], half.shape[0]]
    entries += render_emails(blobs, pdf_entries, (png.getvalue(), png_entries), faker)
    entries += render_office(docs, faker)
    write_truth(entries)
    check_images(entries)
    check_pdfs(entries)
    check_emails(entries)
    check_office(entries)
    print_stats(entries)
    print("checks passed: boxes hold ink, PDF text layers match, e-mail and docx values found")
    if args.ocr_check:
        ocr_check(docs)


if __name__ == "__main__":
    main()
