"""Faces in images and rendered pages (FACE, source "vision").

OpenCV's frontal-face Haar cascade, whose model file ships inside the
opencv-python-headless wheel: nothing to download, runs in milliseconds per
page. It is tuned to miss text textures rather than faces: a face must be at
least 4% of the page's shorter side and found by several neighbouring windows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import List

import numpy as np
from PIL import Image

from scanner.extract import Box


@dataclass
class Face:
    box: Box
    score: float


# Each search scale is this much larger than the last: on documents 1.15 finds the same faces
# as 1.1 (sample_docs, and one false face fewer on the real receipts) in three quarters of the
# time. The ID check keeps 1.1: its coarser cards' chips can pass for a face at 1.15.
SCALE_STEP = 1.15


@lru_cache(maxsize=1)
def _cascade():
    import cv2

    path = Path(cv2.data.haarcascades) / "haarcascade_frontalface_default.xml"
    cascade = cv2.CascadeClassifier(str(path))
    if cascade.empty():
        raise RuntimeError(f"OpenCV's face model is missing ({path})")
    return cascade


def detect_faces(image: Image.Image, min_fraction: float = 0.04, max_side: int = 1200,
                 min_neighbors: int = 6, scale_step: float = SCALE_STEP) -> List[Face]:
    """Faces at least ``min_fraction`` of the shorter side, searched on a copy at most ``max_side`` long."""
    import cv2

    grey = np.asarray(image.convert("L"))
    scale = 1.0
    longest = max(grey.shape)
    if longest > max_side:  # faces on an A4 scan are large enough at 1200 pixels (34 px at least)
        scale = max_side / longest
        grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    smallest = max(24, int(min(grey.shape) * min_fraction))
    boxes, _levels, weights = _cascade().detectMultiScale3(
        grey, scaleFactor=scale_step, minNeighbors=min_neighbors, minSize=(smallest, smallest), outputRejectLevels=True)
    faces = []
    for (x, y, w, h), weight in zip(boxes, np.ravel(weights) if len(boxes) else []):
        score = float(min(1.0, max(0.5, 0.5 + float(weight) / 10)))
        box = tuple(int(round(v / scale)) for v in (x, y, x + w, y + h))
        faces.append(Face(box, round(score, 3)))
    return faces
