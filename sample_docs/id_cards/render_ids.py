#!/usr/bin/env python3
"""Synthetic Belgian identity-card copies (masked, partly masked, unmasked) with ground truth.

    python sample_docs/id_cards/render_ids.py            # from the repository root
    python sample_docs/id_cards/render_ids.py --sanity   # Tesseract on the MRZ, Haar cascade on the faces

Writes the images and PDFs of sample_docs/id_cards/ and sample_docs/id_cards/truth.jsonl,
then re-opens every file and checks the ground truth against it. The seed is fixed: a run
rewrites every file byte for byte.

Each card side is drawn at 300 dpi (ID-1, 85.60 x 53.98 mm = 1011 x 638 px); every item
that a copy must hide (photo, ghost image, printed national number, the national number
inside the MRZ) has a box measured on that drawing (Pillow textbbox for text), carried
through the masking and the presentation (scanner bed, A4 photocopy, phone photo) as a
3x3 matrix (render.Geo); the final box is the rectangle enclosing the transformed corners.

Reuses sample_docs/render.py (Geo, centers_to_edges, smooth_field, tint, rotate90_cw,
save_image, fonts, astronaut portrait) and sample_docs/fakes.py (names, national
numbers, MRZ). The portrait is skimage.data.astronaut() (NASA, public domain).
"""

from __future__ import annotations

import sys

sys.dont_write_bytecode = True   # leave no __pycache__ in sample_docs/

import datetime as dt  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import shutil  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFilter, ImageFont  # noqa: E402

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent
sys.path.insert(0, str(SAMPLE))

import pools  # noqa: E402
from fakes import Faker, fmt_eid, fmt_nn, mod97_check, mrz_name, mrz_td1  # noqa: E402
from render import (ASTRONAUT_FACE, FONT_DIR, Geo, a4_px, astronaut, centers_to_edges,  # noqa: E402
                    font_path, rotate90_cw, save_image, smooth_field, tint)
from stdnum.be import eid as std_eid  # noqa: E402
from stdnum.be import nn as std_nn  # noqa: E402
from validation import mrz_check_digit  # noqa: E402

SEED = 20250611
TRUTH = HERE / "truth.jsonl"
DPI = 300
CARD_W, CARD_H = round(85.60 / 25.4 * DPI), round(53.98 / 25.4 * DPI)     # 1011 x 638
RADIUS = round(3.18 / 25.4 * DPI)
PDF_TIME = time.struct_time((2025, 6, 11, 9, 30, 0, 2, 162, 0))

MODELS = ("eid2020", "eid2010", "eid2004", "kids")
DOC_TYPE = {"eid2020": "BE_EID", "eid2010": "BE_EID", "eid2004": "BE_EID", "kids": "BE_KIDS_ID"}
HAS_GHOST = {"eid2020": True, "kids": True, "eid2010": False, "eid2004": False}
FULLY_MASKED = ("masked_black", "masked_white", "masked_colour", "masked_hand")


def font(name: str, size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / name), size=size, layout_engine=ImageFont.Layout.BASIC)


F_LABEL = font("DejaVuSansCondensed.ttf", 15)
F_LABEL_B = font("DejaVuSansCondensed-Bold.ttf", 15)
F_VALUE = font("DejaVuSans-Bold.ttf", 25)
F_NN = font("DejaVuSans-Bold.ttf", 29)
F_HEAD = font("DejaVuSans-Bold.ttf", 27)
F_HEAD2 = font("DejaVuSansCondensed-Bold.ttf", 17)
F_MRZ = ImageFont.truetype(str(font_path("sans", "mono")), size=46, layout_engine=ImageFont.Layout.BASIC)
MRZ_ADV = F_MRZ.getlength("0")
MRZ_PITCH = 46                       # 3.9 mm line pitch


# --- the cards' data -------------------------------------------------------------------------------------

@dataclass
class Card:
    model: str
    person: object                   # fakes.Person
    card_no: str                     # 12 digits
    issued: dt.date
    expiry: dt.date
    birthplace: str
    municipality: str
    mrz: list                        # three lines
    mrz_nn: tuple                    # (line index, start, end) of the national number in the MRZ
    face: dict                       # portrait variation

    @property
    def nn_printed(self) -> str:
        return fmt_nn(self.person.nn, "card")


def towns(lang: str) -> list[str]:
    if lang == "nl":
        return sorted({t[2] for t in pools.FLANDERS})
    if lang == "de":
        return sorted({t[2] for t in pools.OSTBELGIEN})
    return sorted({t[2] for t in pools.WALLONIA} | {t[3] for t in pools.BRUSSELS})


def card_number(faker: Faker, prefixes) -> str:
    while True:
        first10 = faker.pick(prefixes) + faker.digits(7)
        n = first10 + mod97_check(first10)
        if n not in faker._used:
            faker._used.add(n)
            assert std_eid.is_valid(n), n
            return n


def mrz_2004(person, card: str, expiry: dt.date) -> str:
    """Older layout: a 9-digit document number with its check digit in 15, the national
    number at the start of optional data 1 (line 1, positions 16-26), line 2 optional data empty."""
    l1 = ("IDBEL" + card[:9] + mrz_check_digit(card[:9]) + person.nn).ljust(30, "<")
    birth = person.birth.strftime("%y%m%d")
    exp = expiry.strftime("%y%m%d")
    l2 = birth + mrz_check_digit(birth) + person.sex + exp + mrz_check_digit(exp) + "BEL" + "<" * 11
    composite = l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
    l2 += mrz_check_digit(composite)
    l3 = (mrz_name(person.family) + "<<" + mrz_name(person.given)).ljust(30, "<")[:30]
    return "\n".join((l1, l2, l3))


def make_card(model: str, faker: Faker, rng) -> Card:
    lang = faker.pick(("nl", "nl", "fr", "fr", "de"))
    if model == "kids":
        born, issue_years, years, prefixes = (2017, 2022), (2023, 2025), 3, ("601", "602", "603")
    elif model == "eid2020":
        born, issue_years, years, prefixes = (1950, 2004), (2020, 2024), 10, ("592", "593", "594", "595")
    elif model == "eid2010":
        born, issue_years, years, prefixes = (1945, 1995), (2010, 2019), 10, ("591", "592")
    else:
        born, issue_years, years, prefixes = (1940, 1988), (2004, 2009), 5, ("590",)
    person = faker.person(lang, born=born)
    while True:
        issued = faker.date_between(*issue_years)
        if issued > person.birth and (model != "kids" or issued.year - person.birth.year < 12):
            break
    expiry = issued.replace(year=issued.year + years) if not (issued.month == 2 and issued.day == 29) \
        else dt.date(issued.year + years, 2, 28)
    card_no = card_number(faker, prefixes)
    if model == "eid2004":
        mrz, where = mrz_2004(person, card_no, expiry), (0, 15, 26)
    else:
        mrz, where = mrz_td1(person, card_no, expiry), (1, 18, 29)
    face = {"scale": float(rng.uniform(0.92, 1.1)), "dx": float(rng.uniform(-8, 8)), "dy": float(rng.uniform(-6, 6)),
            "mirror": bool(rng.random() < 0.4), "grey": bool(rng.random() < 0.7),
            "gain": float(rng.uniform(0.88, 1.12)), "tint": tuple(float(v) for v in rng.uniform(0.94, 1.04, 3))}
    t = towns(lang)
    return Card(model, person, card_no, issued, expiry, faker.pick(t), faker.pick(t), mrz.split("\n"), where, face)


# --- drawing a card side ------------------------------------------------------------------------------------

STYLE = {   # base, guilloche colours, header band, accent (labels)
    "eid2020": ((238, 243, 241), ((120, 180, 215), (235, 160, 190), (170, 205, 120)), (34, 86, 138), (40, 70, 110)),
    "kids": ((248, 241, 228), ((240, 180, 120), (150, 190, 225), (210, 220, 150)), (222, 110, 38), (150, 70, 20)),
    "eid2010": ((244, 236, 240), ((220, 170, 200), (160, 205, 220), (215, 200, 160)), (140, 52, 100), (110, 40, 80)),
    "eid2004": ((242, 240, 222), ((175, 205, 160), (215, 200, 150), (170, 190, 210)), (62, 108, 72), (50, 85, 55)),
}


GRADIENT = {"eid2020": (222, 236, 244), "kids": (250, 228, 206), "eid2010": (238, 220, 234),
            "eid2004": (232, 238, 212)}


def guilloche(model: str, rng) -> np.ndarray:
    base, cols, _, _ = STYLE[model]
    yy, xx = np.mgrid[0:CARD_H, 0:CARD_W].astype(np.float32)
    t = np.clip((xx / CARD_W * 0.7 + yy / CARD_H * 0.3) + 0.15 * smooth_field(rng, (CARD_H, CARD_W), (3, 4)), 0, 1)
    img = (1 - t[..., None]) * np.array(base, np.float32) + t[..., None] * np.array(GRADIENT[model], np.float32)

    def lines(phase, period, width=1.0):
        d = (phase - np.round(phase)) * period
        return np.exp(-(d ** 2) / (2 * width ** 2))

    p = rng.uniform(0, 2 * math.pi, 4)
    fam = [lines((yy + 22 * np.sin(2 * math.pi * xx / 240 + p[0]) + 9 * np.sin(2 * math.pi * xx / 97)) / 24, 24),
           lines((yy - 30 * np.sin(2 * math.pi * xx / 330 + p[1])) / 30 + xx / 400, 30)]
    cx, cy = CARD_W * rng.uniform(0.55, 0.75), CARD_H * rng.uniform(0.45, 0.6)
    r = np.hypot(xx - cx, yy - cy)
    th = np.arctan2(yy - cy, xx - cx)
    fam.append(lines((r + 14 * np.sin(9 * th + p[2])) / 14, 14) * np.clip(1.2 - r / 330, 0, 1))
    def lum(c):
        return 0.299 * c[..., 0] + 0.587 * c[..., 1] + 0.114 * c[..., 2]
    for L, col, a in zip(fam, cols, (0.4, 0.35, 0.5)):
        # coloured lines of nearly the background's brightness: the look of a guilloche,
        # and cheap for JPEG (colour is subsampled)
        c = np.array(col, np.float32)[None, None, :] + 0.9 * (lum(img) - lum(np.array(col, np.float32)))[..., None]
        img = img * (1 - a * L[..., None]) + c * (a * L[..., None])
    img = cv2.GaussianBlur(img, (0, 0), 0.6)
    return img


def card_alpha() -> np.ndarray:
    s = 4
    m = Image.new("L", (CARD_W * s, CARD_H * s), 0)
    ImageDraw.Draw(m).rounded_rectangle((0, 0, CARD_W * s - 1, CARD_H * s - 1), RADIUS * s, fill=255)
    return np.asarray(m.resize((CARD_W, CARD_H), Image.Resampling.LANCZOS)).astype(np.float32) / 255.0


ALPHA = card_alpha()


def portrait(card: Card, w: int, h: int, ghost: bool = False) -> np.ndarray:
    f = card.face
    src = astronaut()
    fx0, fy0, fx1, fy1 = ASTRONAUT_FACE
    cw = 160 * f["scale"]
    ch = cw * h / w
    cx = (fx0 + fx1) / 2 + f["dx"]
    top = max(0.0, fy0 - 0.2 * ch + f["dy"])
    x0 = int(round(max(0, cx - cw / 2)))
    crop = src[int(top):int(round(top + ch)), x0:int(round(x0 + cw))]
    if f["mirror"]:
        crop = crop[:, ::-1]
    img = cv2.resize(np.ascontiguousarray(crop), (w, h), interpolation=cv2.INTER_AREA).astype(np.float32)
    if ghost:
        g = cv2.cvtColor(img.astype(np.uint8), cv2.COLOR_RGB2GRAY).astype(np.float32)
        g = 255 - 0.5 * (255 - g)                      # lighter
        yy, xx = np.mgrid[0:h, 0:w]
        screen = np.where((xx % 3 == 1) & (yy % 3 == 1), 1.0, 0.72)   # laser-perforation dot screen
        g = 255 - (255 - g) * screen
        return np.repeat(np.clip(g, 0, 255)[..., None], 3, axis=2)
    if f["grey"]:
        g = cv2.cvtColor(img.astype(np.uint8), cv2.COLOR_RGB2GRAY).astype(np.float32)
        img = g[..., None] * np.array(f["tint"], np.float32)
    img = 128 + (img - 128) * f["gain"] + 10 * (f["gain"] - 1) * 10
    return np.clip(img, 0, 255)


def paste(canvas: np.ndarray, img: np.ndarray, x: int, y: int) -> list:
    h, w = img.shape[:2]
    canvas[y:y + h, x:x + w] = img
    return [x, y, x + w, y + h]


def chip(d: ImageDraw.ImageDraw, x: int, y: int, w: int = 136, h: int = 112) -> None:
    d.rounded_rectangle((x, y, x + w, y + h), 16, fill=(214, 178, 96), outline=(150, 118, 52), width=2)
    d.rounded_rectangle((x + 6, y + 6, x + w - 6, y + h - 6), 12, fill=(228, 196, 118))
    mx, my = x + w / 2, y + h / 2
    c = (150, 118, 52)
    d.line((x, y + h / 3, x + w * 0.36, y + h / 3), fill=c, width=2)
    d.line((x, y + 2 * h / 3, x + w * 0.36, y + 2 * h / 3), fill=c, width=2)
    d.line((x + w * 0.64, y + h / 3, x + w, y + h / 3), fill=c, width=2)
    d.line((x + w * 0.64, y + 2 * h / 3, x + w, y + 2 * h / 3), fill=c, width=2)
    d.line((mx, y, mx, y + h * 0.25), fill=c, width=2)
    d.line((mx, y + h * 0.75, mx, y + h), fill=c, width=2)
    d.rounded_rectangle((x + w * 0.36, y + h * 0.25, x + w * 0.64, y + h * 0.75), 8, outline=c, width=2)


def eu_flag(d: ImageDraw.ImageDraw, x: int, y: int) -> None:
    d.rectangle((x, y, x + 66, y + 46), fill=(0, 51, 153))
    for k in range(12):
        a = 2 * math.pi * k / 12
        sx, sy = x + 33 + 15 * math.cos(a), y + 21 + 15 * math.sin(a)
        d.ellipse((sx - 2.4, sy - 2.4, sx + 2.4, sy + 2.4), fill=(255, 204, 0))
    d.text((x + 33, y + 21), "BE", font=font("DejaVuSans-Bold.ttf", 13), fill=(255, 255, 255), anchor="mm")


def be_flag(d: ImageDraw.ImageDraw, x: int, y: int) -> None:
    for k, col in enumerate(((20, 20, 20), (250, 210, 30), (220, 40, 50))):
        d.rectangle((x + 20 * k, y, x + 20 * k + 20, y + 44), fill=col)


def signature(d: ImageDraw.ImageDraw, x: int, y: int, w: int, rng) -> None:
    k1, k2, ph = rng.uniform(4, 7), rng.uniform(1.5, 3), rng.uniform(0, 6)
    pts = []
    for i in range(220):
        t = i / 219
        env = 0.6 + 0.4 * math.sin(math.pi * t)
        pts.append((x + w * t + 16 * math.cos(2 * math.pi * k1 * t + ph),
                    y + env * (20 * math.sin(2 * math.pi * k1 * t) + 8 * math.sin(2 * math.pi * k2 * t + ph))))
    d.line(pts, fill=(30, 40, 110), width=3, joint="curve")
    d.line((x + w * 0.1, y + 30, x + w * 0.85, y + 24), fill=(30, 40, 110), width=2)


def field(d, x, y, label: str, value: str, accent, vfont=F_VALUE) -> list:
    d.text((x, y), label, font=F_LABEL, fill=accent, anchor="ls")
    vy = y + 30
    d.text((x, vy), value, font=vfont, fill=(18, 18, 24), anchor="ls")
    return list(d.textbbox((x, vy), value, font=vfont, anchor="ls"))


def header(d, model: str) -> None:
    _, _, band, _ = STYLE[model]
    d.rectangle((0, 0, CARD_W, 92), fill=band)
    if model in ("eid2020", "kids"):
        eu_flag(d, 22, 20)
        t1, t2 = "BELGIË  BELGIQUE  BELGIEN  BELGIUM", \
            "IDENTITEITSKAART  CARTE D'IDENTITÉ  PERSONALAUSWEIS  IDENTITY CARD"
    else:
        be_flag(d, 24, 22)
        t1, t2 = "BELGIË  BELGIQUE  BELGIEN", "IDENTITEITSKAART  CARTE D'IDENTITÉ  PERSONALAUSWEIS"
    d.text((108, 44), t1, font=F_HEAD, fill=(255, 255, 255), anchor="ls")
    d.text((108, 76), t2, font=F_HEAD2, fill=(240, 240, 240), anchor="ls")


def dmy(d: dt.date) -> str:
    return d.strftime("%d.%m.%Y")


def draw_front(card: Card, rng) -> tuple[np.ndarray, dict]:
    m = card.model
    _, _, _, accent = STYLE[m]
    base = guilloche(m, rng)
    regions = {}
    ph_w, ph_h = round(22 / 25.4 * DPI), round(29 / 25.4 * DPI)     # 260 x 343
    new = m in ("eid2020", "kids")
    px_ = 36 if new else CARD_W - 36 - ph_w
    regions["photo"] = paste(base, portrait(card, ph_w, ph_h), px_, 118)
    img = Image.fromarray(np.clip(np.rint(base), 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(img)
    header(d, m)
    p = card.person
    sex = "M / M" if p.sex == "M" else "V / F"
    rows = [("Naam / Nom / Name / Name", p.family),
            ("Voornamen / Prénoms / Vornamen / Given names", p.given),
            None,
            ("Geboortedatum / Date de naissance / Geburtsdatum / Date of birth", dmy(p.birth)),
            ("Kaartnummer / N° de carte / Kartennummer / Card No", fmt_eid(card.card_no)),
            ("Geldig van - tot / Valable du - au / Gültig vom - bis", f"{dmy(card.issued)} - {dmy(card.expiry)}")]
    if new:
        x, x2 = 328, 640
    else:
        chip(d, 40, 228)
        x, x2 = 204, 470
        rows[0] = ("Naam / Nom / Name", p.family)
        rows[1] = ("Voornamen / Prénoms / Vornamen", p.given)
        rows[3] = ("Geboortedatum / Date de naissance", dmy(p.birth))
        rows[4] = ("Kaartnr. / N° de carte / Karten-Nr.", fmt_eid(card.card_no))
        rows[5] = ("Geldig van - tot / Valable du - au", f"{dmy(card.issued)} - {dmy(card.expiry)}")
    y = 128
    for row in rows:
        if row is None:
            field(d, x, y, "Geslacht / Sexe", sex, accent)
            field(d, x2, y, "Nationaliteit / Nationalité", "BEL", accent)
        else:
            box = field(d, x, y, row[0], row[1], accent)
            if row[1] == fmt_eid(card.card_no):
                regions["card_number"] = box
        y += 62
    if m == "kids":
        d.text((CARD_W - 34, 142), "KIDS-ID", font=font("DejaVuSans-Bold.ttf", 40), fill=(222, 110, 38), anchor="rs")
    d.text((x, y + 4), "Handtekening van de houder / Signature du titulaire", font=F_LABEL, fill=accent, anchor="ls")
    signature(d, x + 20, y + 52, 200, rng)
    return np.asarray(img).copy(), regions


def draw_back(card: Card, rng) -> tuple[np.ndarray, dict, list]:
    m = card.model
    _, _, band, accent = STYLE[m]
    base = guilloche(m, rng)
    regions = {}
    new = m in ("eid2020", "kids")
    # the MRZ zone: plain, lighter
    base[462:] = base[462:] * 0.15 + np.array((249, 249, 246), np.float32) * 0.85
    if new:
        gw, gh = round(12 / 25.4 * DPI), round(16 / 25.4 * DPI)      # 142 x 189
        regions["ghost"] = paste(base, portrait(card, gw, gh, ghost=True), CARD_W - 40 - gw, 62)
    img = Image.fromarray(np.clip(np.rint(base), 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, CARD_W, 14), fill=band)
    p = card.person
    if new:
        chip(d, 56, 120)
        x = 250
        rows = [("Geboorteplaats / Lieu de naissance / Geburtsort / Place of birth", card.birthplace, F_VALUE),
                ("Identificatienummer van het Rijksregister / N° national", card.nn_printed, F_NN),
                ("Afgegeven door de gemeente / Délivrée par la commune", card.municipality, F_VALUE)]
        y = 70
    else:
        x = 60
        rows = [("Geboorteplaats / Lieu de naissance", f"{card.birthplace} - {dmy(p.birth)}", F_VALUE),
                ("Rijksregisternr. / N° Registre national", card.nn_printed, F_NN),
                ("Afgegeven te / Délivrée à", card.municipality, F_VALUE),
                ("Geslacht / Sexe", "M / M" if p.sex == "M" else "V / F", F_VALUE)]
        y = 60
        d.ellipse((700, 70, 960, 330), outline=accent, width=2)
        d.text((830, 200), "BEL", font=font("DejaVuSerif-Bold.ttf", 48), fill=tuple(int(c * 0.25 + 190) for c in accent),
               anchor="mm")
    for label, value, f in rows:
        box = field(d, x, y, label, value, accent, f)
        if value == card.nn_printed:
            regions["national_number"] = box
        y += 96 if new else 92
    # the MRZ
    x0 = round((CARD_W - 30 * MRZ_ADV) / 2)
    base_y = [CARD_H - 22 - 2 * MRZ_PITCH, CARD_H - 22 - MRZ_PITCH, CARD_H - 22]
    line_boxes = []
    for line, by in zip(card.mrz, base_y):
        d.text((x0, by), line, font=F_MRZ, fill=(16, 16, 16), anchor="ls")
        line_boxes.append(list(d.textbbox((x0, by), line, font=F_MRZ, anchor="ls")))
    regions["mrz"] = [min(b[0] for b in line_boxes), line_boxes[0][1], max(b[2] for b in line_boxes), line_boxes[2][3]]
    li, s, e = card.mrz_nn
    regions["mrz_national_number"] = list(d.textbbox((x0 + s * MRZ_ADV, base_y[li]), card.mrz[li][s:e],
                                                     font=F_MRZ, anchor="ls"))

    def span_box(li: int, s: int, e: int) -> list:   # character cells s..e of MRZ line li
        return [x0 + s * MRZ_ADV, base_y[li] - 36, x0 + e * MRZ_ADV, base_y[li] + 4]
    return np.asarray(img).copy(), regions, span_box


# --- covers ----------------------------------------------------------------------------------------------------

def pad(box, p, limit=(CARD_W, CARD_H)) -> list:
    return [max(2, box[0] - p), max(2, box[1] - p), min(limit[0] - 2, box[2] + p), min(limit[1] - 2, box[3] + p)]


def hand_cover(d: ImageDraw.ImageDraw, box, rng, colour) -> None:
    """A marker scribble: an irregular polygon whose every vertex lies outside the box (so it
    contains the box), thick strokes over it and along its edge."""
    x0, y0, x1, y1 = box
    pts = []

    def out():
        return float(rng.uniform(3, 12))
    pts.append((x0 - out(), y0 - out()))
    for x in np.linspace(x0, x1, max(2, int((x1 - x0) / 35)))[1:-1]:
        pts.append((x + rng.uniform(-8, 8), y0 - out()))
    pts.append((x1 + out(), y0 - out()))
    for y in np.linspace(y0, y1, max(2, int((y1 - y0) / 35)))[1:-1]:
        pts.append((x1 + out(), y + rng.uniform(-8, 8)))
    pts.append((x1 + out(), y1 + out()))
    for x in np.linspace(x1, x0, max(2, int((x1 - x0) / 35)))[1:-1]:
        pts.append((x + rng.uniform(-8, 8), y1 + out()))
    pts.append((x0 - out(), y1 + out()))
    for y in np.linspace(y1, y0, max(2, int((y1 - y0) / 35)))[1:-1]:
        pts.append((x0 - out(), y + rng.uniform(-8, 8)))
    d.polygon(pts, fill=colour)
    d.line(pts + [pts[0]], fill=colour, width=7, joint="curve")
    shade = tuple(min(255, c + 18) for c in colour)
    n = max(2, int((y1 - y0) / 16))
    zig = []
    for k in range(n + 1):
        yy = y0 + (y1 - y0) * k / n
        zig.append((x0 + rng.uniform(-6, 10) if k % 2 == 0 else x1 + rng.uniform(-10, 6), yy))
    d.line(zig, fill=shade, width=int(rng.integers(10, 16)), joint="curve")
    # a stroke that overshoots, as a marker does
    d.line([(x0 - 14, y1 + rng.uniform(0, 6)), (x1 + 12, y0 + (y1 - y0) * rng.uniform(0.6, 1.0))],
           fill=colour, width=9)


def apply_cover(img: Image.Image, box, style: str, rng) -> None:
    d = ImageDraw.Draw(img)
    if style == "black":
        d.rectangle(pad(box, int(rng.integers(4, 14))), fill=(int(rng.integers(0, 22)),) * 3)
    elif style == "white":
        d.rectangle(pad(box, int(rng.integers(5, 14))), fill=(int(rng.integers(248, 256)),) * 3)
    elif style == "colour":
        cols = ((30, 60, 170), (200, 30, 40), (20, 130, 70), (240, 160, 20), (120, 40, 140), (90, 90, 90))
        d.rectangle(pad(box, int(rng.integers(4, 14))), fill=cols[int(rng.integers(len(cols)))])
    elif style.startswith("hand"):
        colour = {"hand": (22, 22, 28), "hand_blue": (20, 30, 95)}[style]
        hand_cover(d, pad(box, 4), rng, colour)
    elif style == "translucent":
        x0, y0, x1, y1 = (int(round(v)) for v in pad(box, 6))
        a = np.asarray(img).astype(np.float32)
        col = np.array((0, 0, 0) if rng.random() < 0.6 else (40, 60, 160), np.float32)
        a[y0:y1, x0:x1] = 0.5 * a[y0:y1, x0:x1] + 0.5 * col
        img.paste(Image.fromarray(np.rint(a).astype(np.uint8)))
    elif style == "thin_line":
        x0, y0, x1, y1 = box
        if (x1 - x0) < 2.5 * (y1 - y0):          # a photo: struck through diagonally
            d.line((x0, y1, x1, y0), fill=(10, 10, 10), width=3)
        else:
            ym = (y0 + y1) / 2
            d.line((x0 - 6, ym, x1 + 6, ym), fill=(10, 10, 10), width=3)
    elif style == "light_blur":
        b = tuple(int(round(v)) for v in pad(box, 6))
        img.paste(img.crop(b).filter(ImageFilter.GaussianBlur(2)), b[:2])
    else:
        raise ValueError(style)


def mrz_cover_box(regions, span_box, card: Card, rng, whole_line: bool) -> list:
    li, s, e = card.mrz_nn
    return span_box(li, 0, 30) if whole_line else list(regions["mrz_national_number"])


def masked_side(card: Card, side: str, variant: str, rng) -> tuple[np.ndarray, dict]:
    """Draw a side and apply the variant's covers (on the card itself, before the copy)."""
    if side == "front":
        arr, regions = draw_front(card, rng)
        span_box = None
    else:
        arr, regions, span_box = draw_back(card, rng)
    img = Image.fromarray(arr)
    real = {"masked_black": "black", "masked_white": "white", "masked_colour": "colour",
            "masked_hand": "hand" if rng.random() < 0.6 else "hand_blue"}
    fake = {"translucent": "translucent", "thin_line": "thin_line", "light_blur": "light_blur"}
    items = {"photo": "photo", "ghost": "ghost", "nn": "national_number", "mrz": "mrz_national_number"}
    if variant in real or variant in fake:
        cover = set(items)
    else:
        cover = {"unmasked": set(), "photo_only": {"photo", "ghost"},
                 "number_only": {"photo", "ghost", "nn"}, "mrz_readable": {"photo", "ghost", "nn"},
                 "ghost_visible": {"photo", "nn", "mrz"}}[variant]
    style = real.get(variant) or fake.get(variant) or ("black" if rng.random() < 0.7 else "colour")
    for item in ("photo", "ghost", "nn", "mrz"):
        key = items[item]
        if item not in cover or key not in regions:
            continue
        if item == "mrz" and style not in fake.values():
            box = mrz_cover_box(regions, span_box, card, rng, whole_line=bool(rng.random() < 0.5))
        else:
            box = regions[key]
        apply_cover(img, box, style, rng)
    if variant == "number_only" and side == "back":
        # a cover on the MRZ, but in the wrong place: the national number stays readable
        li, s, e = card.mrz_nn
        wrong = span_box(1, 18, 29) if li == 0 else [span_box(0, 5, 18), span_box(2, 0, 30), span_box(1, 0, 15)][
            int(rng.integers(3))]
        apply_cover(img, wrong, style, rng)
    return np.asarray(img).copy(), regions


# --- presentations ---------------------------------------------------------------------------------------------

def T(x, y) -> np.ndarray:
    return np.array([[1, 0, x], [0, 1, y], [0, 0, 1]], np.float64)


def edges_to_centers(E: np.ndarray) -> np.ndarray:
    Tm = T(0.5, 0.5)
    return np.linalg.inv(Tm) @ E @ Tm


def finish(img: np.ndarray, rng, blur: float, noise: float) -> np.ndarray:
    img = img.astype(np.float32)
    if blur:
        img = cv2.GaussianBlur(img, (0, 0), blur)
    img = img + rng.normal(0, noise, img.shape).astype(np.float32)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def place(canvas: np.ndarray, card_rgb: np.ndarray, E: np.ndarray, *, shadow: float = 0.0,
          shadow_off=(0, 0), shadow_blur=1.5, perspective=False) -> np.ndarray:
    """Composite a card onto canvas (float RGB) through the edge-coordinate matrix E."""
    H, W = canvas.shape[:2]
    M = edges_to_centers(E)
    if perspective:
        warp = lambda a, **k: cv2.warpPerspective(a, M, (W, H), flags=cv2.INTER_LINEAR, **k)   # noqa: E731
    else:
        warp = lambda a, **k: cv2.warpAffine(a, M[:2], (W, H), flags=cv2.INTER_LINEAR, **k)   # noqa: E731
    rgb = warp(card_rgb.astype(np.float32))
    a = warp(ALPHA)[..., None]
    if shadow:
        sh = np.roll(np.roll(a[..., 0], shadow_off[1], axis=0), shadow_off[0], axis=1)
        sh = cv2.GaussianBlur(sh, (0, 0), shadow_blur)[..., None]
        canvas = canvas * (1 - shadow * sh)
    return canvas * (1 - a) + rgb * a


def scan_presentation(card_rgb: np.ndarray, rng, noise: float = 0.7) -> tuple[np.ndarray, Geo]:
    """A flatbed scan of one side: white lid around the card, rotation <= 1 degree."""
    m = int(rng.integers(24, 56))
    w, h = CARD_W + 2 * m, CARD_H + 2 * m
    bed = float(rng.uniform(242, 252))
    canvas = np.full((h, w, 3), bed, np.float32)
    ang = math.radians(float(rng.uniform(-1, 1)))
    R = np.array([[math.cos(ang), -math.sin(ang), 0], [math.sin(ang), math.cos(ang), 0], [0, 0, 1]])
    E = T(w / 2, h / 2) @ R @ T(-CARD_W / 2, -CARD_H / 2)
    out = place(canvas, card_rgb, E, shadow=0.35, shadow_off=(1, 2), shadow_blur=1.5)
    return finish(out, rng, 0.5, noise), Geo(E, (w, h))


def page_presentation(sides: list[np.ndarray], dpi: int, rng) -> tuple[np.ndarray, list[Geo]]:
    """Both sides photocopied on one A4 page: front above back, offsets, rotation <= 3 degrees."""
    w, h = a4_px(dpi)
    paper = np.array((248, 246, 239), np.float32) + rng.uniform(-4, 3, 3).astype(np.float32)
    canvas = np.empty((h, w, 3), np.float32)
    canvas[:] = paper
    canvas += 2.5 * smooth_field(rng, (h, w), (5, 4))[..., None]
    s = dpi / DPI
    ch = CARD_H * s
    x_c = w * rng.uniform(0.38, 0.55)
    y_top = h * rng.uniform(0.10, 0.16) + ch / 2
    geos = []
    for k, card in enumerate(sides):
        ang = math.radians(float(rng.uniform(-3, 3)))
        cx = x_c + rng.uniform(-60, 60) * s
        cy = y_top + k * (ch + rng.uniform(90, 200) * s)
        R = np.array([[math.cos(ang), -math.sin(ang), 0], [math.sin(ang), math.cos(ang), 0], [0, 0, 1]])
        E = T(cx, cy) @ R @ np.diag([s, s, 1]) @ T(-CARD_W / 2, -CARD_H / 2)
        canvas = place(canvas, card, E, shadow=0.5, shadow_off=(0, 0), shadow_blur=2.0 * s)
        geos.append(Geo(E, (w, h)))
    # photocopy: a little less colour and contrast
    grey = canvas.mean(axis=2, keepdims=True)
    canvas = 0.75 * canvas + 0.25 * grey
    canvas = 12 + canvas * 0.95
    return finish(canvas, rng, 0.55 * s + 0.2, 1.2), geos


TABLES = [(118, 92, 66), (150, 150, 158), (70, 72, 82), (196, 190, 178), (92, 110, 96)]


def photo_presentation(card_rgb: np.ndarray, rng, quarter_turns: int = 0) -> tuple[np.ndarray, Geo]:
    """A phone photo of one side on a table: perspective, shadow, uneven light, a glare spot."""
    W, H = 1600, 1200
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    table = np.array(TABLES[int(rng.integers(len(TABLES)))], np.float32)
    grain = 9 * np.sin(xx / rng.uniform(6, 14) + 3 * smooth_field(rng, (H, W), (4, 30))) \
        + 14 * smooth_field(rng, (H, W))
    canvas = cv2.GaussianBlur(np.clip(table[None, None, :] + grain[..., None], 0, 255), (0, 0), 1.6)
    cw = rng.uniform(900, 1120)
    chh = cw * CARD_H / CARD_W
    cx, cy = W / 2 + rng.uniform(-90, 90), H / 2 + rng.uniform(-60, 60)
    ang = rng.uniform(-0.2, 0.2)
    corners = []
    for ux, uy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        px_, py_ = ux * cw / 2, uy * chh / 2
        corners.append((cx + px_ * math.cos(ang) - py_ * math.sin(ang) + rng.uniform(-40, 40),
                        cy + px_ * math.sin(ang) + py_ * math.cos(ang) + rng.uniform(-30, 30)))
    src = np.float32([[0, 0], [CARD_W, 0], [CARD_W, CARD_H], [0, CARD_H]])
    E = cv2.getPerspectiveTransform(src, np.float32(corners)).astype(np.float64)
    out = place(canvas, card_rgb, E, shadow=0.45, shadow_off=(14, 18), shadow_blur=16, perspective=True)
    la = rng.uniform(0, 2 * math.pi)
    u = (xx / W) * math.cos(la) + (yy / H) * math.sin(la)
    r2 = ((xx - W / 2) / W) ** 2 + ((yy - H / 2) / H) ** 2
    light = 1.1 - 0.3 * (u - u.min()) / (u.max() - u.min()) - 0.4 * r2
    out = out * light[..., None]
    gx, gy = corners[0][0] + (corners[2][0] - corners[0][0]) * rng.uniform(0.2, 0.8), \
        corners[0][1] + (corners[2][1] - corners[0][1]) * rng.uniform(0.2, 0.8)
    sig = rng.uniform(45, 90)
    glare = np.exp(-(((xx - gx) / (sig * 1.6)) ** 2 + ((yy - gy) / sig) ** 2) / 2)
    out = out + rng.uniform(90, 140) * glare[..., None]
    img = finish(out, rng, 0.8, 1.2)
    geo = Geo(E, (W, H))
    for _ in range(quarter_turns):
        img, geo = rotate90_cw(img, geo)
    return img, geo


# --- the plan -----------------------------------------------------------------------------------------------

@dataclass
class Job:
    model: str
    variant: str
    presentation: str          # scan | page | photo | pdf
    sides: tuple               # for scan/photo: one side per file; for page/pdf: both on one page
    fmt: str = "jpg"
    dpi: int = 200
    turns: int = 0


def plan() -> list[Job]:
    jobs = []
    for i, m in enumerate(MODELS):
        jobs.append(Job(m, "unmasked", "scan", ("front", "back"), "png" if m == "eid2020" else "jpg"))
        jobs.append(Job(m, "masked_black", "scan", ("front", "back")))
        jobs.append(Job(m, "masked_white", "scan", ("back",) if i % 2 else ("front",)))
        jobs.append(Job(m, "masked_colour", "scan", ("front",) if i % 2 else ("back",)))
        jobs.append(Job(m, "masked_hand", "scan", ("back",)))
        jobs.append(Job(m, "photo_only", "scan", ("back",)))
        jobs.append(Job(m, "number_only", "scan", ("back",)))
        jobs.append(Job(m, "mrz_readable", "scan", ("back",)))
        if HAS_GHOST[m]:
            jobs.append(Job(m, "ghost_visible", "scan", ("back",)))
        jobs.append(Job(m, "translucent", "scan", ("front",) if i % 2 == 0 else ("back",)))
        jobs.append(Job(m, "thin_line", "scan", ("back",) if i % 2 == 0 else ("front",)))
        jobs.append(Job(m, "light_blur", "scan", ("back",)))
        # pages: both sides on one A4 sheet
        jobs.append(Job(m, "unmasked", "page", ("front", "back"), dpi=300 if m == "eid2010" else 200))
        jobs.append(Job(m, FULLY_MASKED[(i + 1) % 4], "page", ("front", "back"), dpi=200))
        # phone photos
        jobs.append(Job(m, "unmasked", "photo", ("front",), turns=(0, 1, 0, 2)[i]))
        jobs.append(Job(m, FULLY_MASKED[(i + 2) % 4], "photo", ("back",), turns=(0, 0, 3, 0)[i]))
        jobs.append(Job(m, "unmasked", "photo", ("back",) if m in ("eid2020", "eid2004") else ("front",)))
    jobs += [Job("eid2020", "mrz_readable", "page", ("front", "back")),
             Job("kids", "ghost_visible", "page", ("front", "back")),
             Job("eid2004", "number_only", "page", ("front", "back")),
             Job("eid2010", "translucent", "page", ("front", "back")),
             Job("eid2020", "masked_hand", "pdf", ("front", "back")),
             Job("eid2004", "mrz_readable", "pdf", ("front", "back")),
             Job("eid2020", "photo_only", "photo", ("back",), turns=2),
             Job("kids", "light_blur", "photo", ("front",)),
             Job("eid2010", "mrz_readable", "photo", ("back",), turns=1),
             Job("eid2004", "thin_line", "photo", ("back",)),
             Job("kids", "number_only", "photo", ("back",))]
    return jobs


SIDE_CHECKS = {"front": ("photo_masked",), "back": ("ghost_masked", "national_number_masked", "mrz_masked")}
VARIANT_FAILS = {"unmasked": None, "translucent": None, "thin_line": None, "light_blur": None,
                 "photo_only": ("national_number_masked", "mrz_masked"), "number_only": ("mrz_masked",),
                 "mrz_readable": ("mrz_masked",), "ghost_visible": ("ghost_masked",)}


def failed_checks(model: str, variant: str, sides) -> list[str]:
    if variant in FULLY_MASKED:
        return []
    present = [c for s in sides for c in SIDE_CHECKS[s] if c != "ghost_masked" or HAS_GHOST[model]]
    want = VARIANT_FAILS[variant]
    return present if want is None else [c for c in present if c in want]


def card_entry(side: str, geo: Geo, regions: dict) -> dict:
    pts = np.array([[0, 0, 1], [CARD_W, 0, 1], [CARD_W, CARD_H, 1], [0, CARD_H, 1]], float) @ geo.H.T
    pts = pts[:, :2] / pts[:, 2:3]
    order = ("photo", "ghost", "national_number", "mrz", "mrz_national_number", "card_number")
    return {"side": side, "corners": [[round(float(x), 1), round(float(y), 1)] for x, y in pts],
            "regions": {k: geo.box(regions[k]) for k in order if k in regions}}


def truth_line(file: str, job: Job, card: Card, sides, cards: list[dict], size) -> dict:
    fails = failed_checks(job.model, job.variant, sides)
    p = card.person
    return {"file": f"id_cards/{file}", "model": job.model, "document_type": DOC_TYPE[job.model],
            "presentation": job.presentation, "sides": list(sides), "variant": job.variant,
            "expected_compliant": job.variant in FULLY_MASKED and not fails,
            "expected_failed_checks": fails,
            "values": {"national_number": card.nn_printed, "card_number": fmt_eid(card.card_no),
                       "mrz": card.mrz, "surname": p.family, "given_names": p.given,
                       "birth_date": p.birth.isoformat(), "sex": p.sex, "expiry": card.expiry.isoformat()},
            "image_size": list(size), "cards": cards}


def save_pdf(img: np.ndarray, path: Path, dpi: int) -> None:
    Image.fromarray(img).save(path, "PDF", resolution=float(dpi), quality=85, title=path.stem,
                              creationDate=PDF_TIME, modDate=PDF_TIME, producer="render_ids.py")


def run_job(job: Job, faker: Faker, rng) -> list[dict]:
    card = make_card(job.model, faker, rng)
    drawn = {s: masked_side(card, s, job.variant, rng) for s in job.sides}
    stem = f"{job.model}_{job.variant}_{job.presentation}"
    out = []
    if job.presentation in ("scan", "photo"):
        for s in job.sides:
            rgb, regions = drawn[s]
            if job.presentation == "scan":
                img, geo = scan_presentation(rgb, rng, 0.0 if job.fmt == "png" else 0.7)
                file = f"{stem}_{s}.{job.fmt}"
                save_image(img, HERE / file, job.fmt, DPI, quality=90)
            else:
                img, geo = photo_presentation(rgb, rng, job.turns)
                file = f"{stem}_{s}{'_rot' + str(90 * job.turns) if job.turns else ''}.jpg"
                save_image(img, HERE / file, "jpg", 72, quality=85)
            out.append(truth_line(file, job, card, [s], [card_entry(s, geo, regions)], geo.size))
    else:
        img, geos = page_presentation([drawn[s][0] for s in job.sides], job.dpi, rng)
        cards = [card_entry(s, g, drawn[s][1]) for s, g in zip(job.sides, geos)]
        if job.presentation == "pdf":
            file = f"{stem}.pdf"
            save_pdf(img, HERE / file, job.dpi)
        else:
            file = f"{stem}_{job.dpi}dpi.jpg"
            save_image(img, HERE / file, "jpg", job.dpi, quality=85)
        out.append(truth_line(file, job, card, job.sides, cards, geos[0].size))
    return out


# --- negatives ----------------------------------------------------------------------------------------------

def loyalty_card(faker: Faker, rng) -> np.ndarray:
    """A supermarket loyalty card with a name and a barcode: card-shaped, not an ID."""
    yy, xx = np.mgrid[0:CARD_H, 0:CARD_W].astype(np.float32)
    base = np.empty((CARD_H, CARD_W, 3), np.float32)
    t = (xx / CARD_W)[..., None]
    base[:] = (1 - t) * np.array((200, 30, 50), np.float32) + t * np.array((250, 140, 40), np.float32)
    base[380:] = (252, 250, 245)
    img = Image.fromarray(np.rint(base).astype(np.uint8))
    d = ImageDraw.Draw(img)
    d.text((50, 120), "MARCHÉ DU COIN", font=font("DejaVuSans-Bold.ttf", 64), fill=(255, 255, 255), anchor="ls")
    d.text((52, 170), "Carte fidélité  ·  Klantenkaart", font=font("DejaVuSans.ttf", 30), fill=(255, 240, 220),
           anchor="ls")
    d.ellipse((820, 60, 960, 200), outline=(255, 255, 255), width=8)
    d.text((890, 130), "%", font=font("DejaVuSans-Bold.ttf", 70), fill=(255, 255, 255), anchor="mm")
    p = faker.person("fr", born=(1960, 1995))
    d.text((50, 300), f"{p.given} {p.family}".upper(), font=font("DejaVuSans-Bold.ttf", 36), fill=(255, 255, 255),
           anchor="ls")
    d.text((50, 350), "Membre depuis 2019", font=font("DejaVuSans.ttf", 24), fill=(255, 240, 220), anchor="ls")
    digits = "2" + faker.digits(12)
    x = 90
    for ch in digits * 3:
        for k, bit in enumerate(format(int(ch) * 37 % 128, "07b")):
            if bit == "1":
                d.rectangle((x, 420, x + 2, 560), fill=(10, 10, 10))
            x += 3
        if x > CARD_W - 120:
            break
    d.text((CARD_W / 2, 600), " ".join((digits[0], digits[1:7], digits[7:])), font=font("DejaVuSansMono.ttf", 30),
           fill=(10, 10, 10), anchor="ms")
    return np.asarray(img).copy()


def negatives(faker: Faker, rng) -> list[dict]:
    def line(file, presentation, desc, size):
        return {"file": f"id_cards/{file}", "model": None, "document_type": None, "presentation": presentation,
                "sides": [], "variant": "not_an_id", "expected_compliant": False, "expected_failed_checks": [],
                "values": {}, "image_size": list(size), "cards": [], "description": desc}
    out = []
    src = SAMPLE / "scans" / "fr_reminder_01_lowres.jpg"
    shutil.copyfile(src, HERE / "neg_letter_page.jpg")
    out.append(line("neg_letter_page.jpg", "page", "a scanned payment reminder (copy of scans/fr_reminder_01_lowres.jpg)",
                    Image.open(src).size))
    src = SAMPLE / "faces" / "fr_customer_photo_01.jpg"
    shutil.copyfile(src, HERE / "neg_face_photo.jpg")
    out.append(line("neg_face_photo.jpg", "page", "a customer record sheet with a large portrait, no ID card "
                    "(copy of faces/fr_customer_photo_01.jpg)", Image.open(src).size))
    w, h = a4_px(200)
    blank = np.full((h, w), 255, np.uint8)
    img = finish(tint(blank, paper=(247, 245, 238)).astype(np.float32) + 2.5 * smooth_field(rng, (h, w))[..., None],
                 rng, 0.5, 1.2)
    save_image(img, HERE / "neg_blank_page.jpg", "jpg", 200, quality=85)
    out.append(line("neg_blank_page.jpg", "page", "a blank A4 page, scanned", (w, h)))
    img, geo = scan_presentation(loyalty_card(faker, rng), rng)
    save_image(img, HERE / "neg_loyalty_card_scan.jpg", "jpg", DPI, quality=90)
    out.append(line("neg_loyalty_card_scan.jpg", "scan", "a supermarket loyalty card with a name and a barcode",
                    geo.size))
    return out


# --- checks ----------------------------------------------------------------------------------------------------

def mrz_ok(lines: list[str], model: str) -> list[str]:
    l1, l2, l3 = lines
    bad = []
    if any(len(x) != 30 for x in lines) or not l1.startswith("IDBEL"):
        return ["shape"]
    if model == "eid2004":
        if mrz_check_digit(l1[5:14]) != l1[14]:
            bad.append("document number")
        nn_mrz = l1[15:26]
    else:
        if l1[14] != "<" or mrz_check_digit(l1[5:14] + l1[15:18]) != l1[18]:
            bad.append("document number")
        nn_mrz = l2[18:29]
    if mrz_check_digit(l2[0:6]) != l2[6] or mrz_check_digit(l2[8:14]) != l2[14]:
        bad.append("dates")
    if mrz_check_digit(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]) != l2[29]:
        bad.append("composite")
    if not std_nn.is_valid(nn_mrz):
        bad.append("national number")
    return bad


def check(truth: list[dict]) -> None:
    problems = []
    import pypdfium2 as pdfium
    for t in truth:
        path = HERE / t["file"].split("/", 1)[1]
        if path.suffix == ".pdf":
            page = pdfium.PdfDocument(str(path))[0]
            w, h = page.get_size()
            dpi = 200
            size = [round(w * dpi / 72), round(h * dpi / 72)]
            arr = np.asarray(page.render(scale=dpi / 72).to_pil().convert("L"))
        else:
            im = Image.open(path)
            size = list(im.size)
            arr = np.asarray(im.convert("L"))
        if size != t["image_size"]:
            problems.append(f"{t['file']}: size {size} != {t['image_size']}")
        v = t["values"]
        if t["model"]:
            nn_digits = v["national_number"].replace(".", "").replace("-", "")
            if not std_nn.is_valid(nn_digits):
                problems.append(f"{t['file']}: national number {v['national_number']}")
            if not std_eid.is_valid(v["card_number"].replace("-", "")):
                problems.append(f"{t['file']}: card number {v['card_number']}")
            bad = mrz_ok(v["mrz"], t["model"])
            if bad:
                problems.append(f"{t['file']}: MRZ {bad}")
            mrz_text = "".join(v["mrz"])
            if nn_digits not in mrz_text:
                problems.append(f"{t['file']}: MRZ lacks the national number")
            if not v["mrz"][0][5:14] == v["card_number"].replace("-", "")[:9]:
                problems.append(f"{t['file']}: MRZ document number")
        for c in t["cards"]:
            for name, (x0, y0, x1, y1) in c["regions"].items():
                if not (0 <= x0 < x1 <= size[0] and 0 <= y0 < y1 <= size[1]):
                    problems.append(f"{t['file']}: {name} box {[x0, y0, x1, y1]} outside {size}")
                elif t["variant"] == "unmasked" and name not in ("photo", "ghost") and t["presentation"] == "scan":
                    crop = arr[y0:y1, x0:x1]
                    if crop.min() > np.median(arr) - 60:
                        problems.append(f"{t['file']}: no ink in {name}")
            for x, y in c["corners"]:
                if not (-1 <= x <= size[0] + 1 and -1 <= y <= size[1] + 1):
                    problems.append(f"{t['file']}: corner {x, y} outside")
        if t["expected_compliant"] != (t["variant"] in FULLY_MASKED):
            problems.append(f"{t['file']}: compliance flag")
        if t["model"] and not t["expected_compliant"] and not t["expected_failed_checks"]:
            problems.append(f"{t['file']}: non-compliant without a failing check")
    if problems:
        raise SystemExit("CHECK FAILED\n" + "\n".join(problems))


def sanity() -> None:
    """Tesseract on the MRZ of the unmasked scanned backs; OpenCV's Haar face cascade on
    every unmasked photo and ghost image (it finds upright faces only)."""
    import difflib
    import subprocess
    import tempfile
    truth = [json.loads(line) for line in open(TRUTH, encoding="utf-8")]
    for t in truth:
        if t["variant"] == "unmasked" and t["presentation"] == "scan" and t["sides"] == ["back"]:
            x0, y0, x1, y1 = t["cards"][0]["regions"]["mrz"]
            crop = Image.open(HERE / t["file"].split("/", 1)[1]).crop((x0 - 15, y0 - 15, x1 + 15, y1 + 15))
            with tempfile.TemporaryDirectory() as tmp:
                crop.save(Path(tmp) / "mrz.png", dpi=(DPI, DPI))
                out = subprocess.run(["tesseract", str(Path(tmp) / "mrz.png"), "-", "-l", "eng", "--psm", "6"],
                                     capture_output=True, text=True, check=True).stdout
            got = [x.replace(" ", "") for x in out.splitlines() if x.strip()]
            for g, w in zip(got, t["values"]["mrz"]):
                r = difflib.SequenceMatcher(None, g, w).ratio()
                print(f"MRZ {t['file']}: {'exact' if g == w else f'{r:.2f}'}  {g}")
    casc = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    for t in truth:
        if t["variant"] != "unmasked" or t["presentation"] == "pdf":
            continue
        grey = np.asarray(Image.open(HERE / t["file"].split("/", 1)[1]).convert("L"))
        found = casc.detectMultiScale(grey, scaleFactor=1.1, minNeighbors=5)
        for c in t["cards"]:
            for key in ("photo", "ghost"):
                if key in c["regions"]:
                    b = c["regions"][key]
                    hit = any(b[0] <= x + w / 2 <= b[2] and b[1] <= y + h / 2 <= b[3] for x, y, w, h in found)
                    print(f"Haar {t['file']}: {key} {'found' if hit else 'NOT found'}")


def main() -> None:
    if "--sanity" in sys.argv[1:]:
        sanity()
        return
    for old in HERE.iterdir():
        if old.is_file() and old.suffix in (".jpg", ".png", ".pdf", ".jsonl"):
            old.unlink()
    rng = np.random.default_rng(SEED)
    faker = Faker(SEED)
    truth = []
    for job in plan():
        truth += run_job(job, faker, rng)
    truth += negatives(faker, rng)
    truth.sort(key=lambda t: t["file"])
    names = [t["file"] for t in truth]
    assert len(names) == len(set(names)), "duplicate file names"
    with open(TRUTH, "w", encoding="utf-8", newline="\n") as f:
        for t in truth:
            f.write(json.dumps(t, ensure_ascii=False) + "\n")
    check(truth)
    files = [p for p in HERE.iterdir() if p.suffix in (".jpg", ".png", ".pdf")]
    size = sum(p.stat().st_size for p in files) + TRUTH.stat().st_size
    print(f"{len(files)} files, {size / 1e6:.2f} MB with truth.jsonl; checks passed "
          "(national numbers, card numbers, MRZ check digits, boxes inside images, ink in unmasked scans)")


if __name__ == "__main__":
    main()
