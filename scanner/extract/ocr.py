"""Tesseract OCR through pytesseract: words, their boxes, and a text the analyzer can read.

One Tesseract thread per process (``OMP_THREAD_LIMIT=1``): with its OpenMP
threads a page is about 4x slower on our 2-core machines, and batch runs use
one process per core anyway. A page is read once; a page read with low
confidence is checked for rotation (Tesseract's orientation detection) and,
when turned, read again upright. Boxes always refer to the image as given.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import tempfile  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from functools import lru_cache  # noqa: E402
from typing import List, Tuple  # noqa: E402

import pytesseract  # noqa: E402
import yaml  # noqa: E402
from PIL import Image  # noqa: E402

from scanner.config import MODELS_DIR  # noqa: E402
from scanner.extract.errors import OcrFailed, OcrTimeout  # noqa: E402
from scanner.extract import Box, Word  # noqa: E402




@dataclass
class OcrResult:
    text: str
    words: List[Word]
    confidence: float  # mean word confidence, 0-100
    rotated: int = 0  # degrees the page was turned before it was read


@lru_cache(maxsize=1)
def settings() -> dict:
    return yaml.safe_load((MODELS_DIR / "ocr.yaml").read_text(encoding="utf-8"))


def read(image: Image.Image, timeout_s: int = 120) -> OcrResult:
    """OCR an image; words' boxes in the image's own pixels."""
    cfg = settings()
    scale = 2 if image.width < cfg["min_width"] else 1
    work = image.resize((image.width * scale, image.height * scale), Image.LANCZOS) if scale > 1 else image
    result = _read(work, cfg, timeout_s)
    if result.confidence < cfg["rotation_check_below"]:
        angle = _orientation(work, timeout_s)
        if angle:
            turned = work.rotate(angle, expand=True)  # counter-clockwise by `angle`
            second = _read(turned, cfg, timeout_s)
            if second.confidence > result.confidence:
                size = (turned.width, turned.height)
                second.words = [Word(w.start, w.end, _unrotate(w.box, angle, size)) for w in second.words]
                second.rotated = angle
                result = second
    if scale > 1:
        result.words = [Word(w.start, w.end, tuple(v // scale for v in w.box)) for w in result.words]
    return result


def run_tesseract(call, image: Image.Image, **kwargs):
    """Run a pytesseract function on the image, handed over as an uncompressed PNM.

    pytesseract would write the page as PNG (about 0.7 s of compression for an A4
    scan); a PNM in a private temporary folder, removed on every path, costs milliseconds.
    """
    with tempfile.TemporaryDirectory(prefix="piiscan-ocr-") as folder:
        path = os.path.join(folder, "page.pnm")
        image.save(path, "PPM")
        return call(path, **kwargs)


def _read(image: Image.Image, cfg: dict, timeout_s: int) -> OcrResult:
    try:
        data = run_tesseract(pytesseract.image_to_data, image, lang=cfg["languages"], config=f"--psm {cfg['psm']}",
                          output_type=pytesseract.Output.DICT, timeout=timeout_s)
    except RuntimeError as exc:  # pytesseract raises RuntimeError on its timeout
        raise OcrTimeout(f"OCR of a page took more than {timeout_s} s") from exc
    except pytesseract.TesseractError as exc:
        raise OcrFailed(f"Tesseract could not read the page ({exc.status})") from exc
    return assemble(data)


def assemble(data: dict) -> OcrResult:
    """Text with one line per OCR line and a blank line between paragraphs; words keep their boxes."""
    parts: List[str] = []
    words: List[Word] = []
    confidences: List[float] = []
    length = 0
    previous: Tuple[int, int, int] | None = None
    for i, token in enumerate(data["text"]):
        token = (token or "").strip()
        if not token or float(data["conf"][i]) < 0:
            continue
        line = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        if previous is not None:
            separator = " " if line == previous else "\n" if line[:2] == previous[:2] else "\n\n"
            parts.append(separator)
            length += len(separator)
        previous = line
        left, top = data["left"][i], data["top"][i]
        box: Box = (left, top, left + data["width"][i], top + data["height"][i])
        words.append(Word(length, length + len(token), box))
        parts.append(token)
        length += len(token)
        if len(token) >= 3:
            confidences.append(float(data["conf"][i]))
    confidence = sum(confidences) / len(confidences) if confidences else 0.0
    return OcrResult("".join(parts), words, confidence)


def _orientation(image: Image.Image, timeout_s: int) -> int:
    """Degrees to turn the image counter-clockwise so that its text is upright (0 if unsure)."""
    if image.width > 1800:  # orientation needs no detail: half the pixels, a quarter of the time
        image = image.resize((image.width // 2, image.height // 2))
    try:
        osd = run_tesseract(pytesseract.image_to_osd, image, config="--psm 0",
                         output_type=pytesseract.Output.DICT, timeout=timeout_s)
    except (pytesseract.TesseractError, RuntimeError):
        return 0  # too little text to tell: keep the page as it is
    if float(osd.get("orientation_conf", 0)) < 2:
        return 0
    # OSD says how far to turn clockwise; PIL turns counter-clockwise.
    return (360 - int(osd.get("rotate", 0))) % 360


def _unrotate(box: Box, angle: int, turned_size: Tuple[int, int]) -> Box:
    """A box on the image turned ``angle`` degrees counter-clockwise, back on the original.

    Turning 90° CCW sends an original point (x, y) to (y, W - x), 270° to (H - y, x),
    180° to (W - x, H - y), where W, H are the original's width and height.
    """
    w, h = turned_size
    x0, y0, x1, y1 = box
    if angle == 90:  # original width is the turned height
        return (h - y1, x0, h - y0, x1)
    if angle == 180:
        return (w - x1, h - y1, w - x0, h - y0)
    if angle == 270:  # original height is the turned width
        return (y0, w - x1, y1, w - x0)
    return box
