"""Is a part of the card really covered?

A cover hides: an opaque box, a marker scribble filled in, a sticker. Seen in
pixels, a covered area is flat: after a light smoothing (which removes scanner
and JPEG noise) almost no point differs from its neighbours. Text, a face, a
guilloche pattern, a translucent box (the content shows through at half
contrast), a thin line struck through or a light blur all leave edges, so
their area is not flat. The share of flat points in the area where an item is
expected is the evidence; a high share is required before an item counts as
covered.

A marker scribble is opaque but not flat: its strokes overlap and leave faint
edges. So a dark area counts too when almost all of it keeps one dark tone
(nothing light, such as the card's background or a number's paper, shows
through); a card's own printing is never dark over a whole item's area.
"""

from __future__ import annotations

from typing import Sequence

import cv2
import numpy as np
from PIL import Image


def flat_map(image: Image.Image, sigma: float, window: int, max_std: float) -> np.ndarray:
    """True where the smoothed picture has (almost) no local contrast."""
    grey = np.asarray(image.convert("L"), dtype=np.float32)
    grey = cv2.GaussianBlur(grey, (0, 0), sigma)
    mean = cv2.blur(grey, (window, window))
    mean_sq = cv2.blur(grey * grey, (window, window))
    std = np.sqrt(np.maximum(mean_sq - mean * mean, 0))
    return std < max_std


DARK = 100  # median grey level under which a uniform area is a dark cover
TONE = 30  # grey levels around the median that still count as the same tone


class Surface:
    """A straight card ready for coverage questions: its grey levels and its flat points."""

    def __init__(self, image: Image.Image, sigma: float, window: int, max_std: float):
        self.grey = np.asarray(image.convert("L"), dtype=np.int16)
        self.flat = flat_map(image, sigma, window, max_std)

    def coverage(self, box: Sequence[float]) -> float:
        """The share of box (x0, y0, x1, y1) that is covered: flat, or of one dark tone."""
        height, width = self.flat.shape
        x0, y0 = max(0, int(box[0])), max(0, int(box[1]))
        x1, y1 = min(width, int(box[2])), min(height, int(box[3]))
        if x1 <= x0 or y1 <= y0:
            return 0.0
        share = float(self.flat[y0:y1, x0:x1].mean())
        grey = self.grey[y0:y1, x0:x1]
        median = float(np.median(grey))
        if median < DARK:
            share = max(share, float((np.abs(grey - median) <= TONE).mean()))
        return share

