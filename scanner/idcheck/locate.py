"""Find identity cards in a picture and straighten each one.

An upload can be the card alone (a flatbed scan cropped to the card), a page
with one or both sides photocopied on it, or a phone photo of the card on a
table, in perspective and any way up. Candidates come from two cheap passes on
a reduced copy: what differs from the background (the colour along the
picture's border) and closed edge outlines. A candidate is kept when it is a
convex four-sided shape with the proportions of an ID-1 card (85.60 x 53.98 mm)
or, for passports, of a TD3 data page. Each is warped to a fixed size; the
homography back to the upload is kept, so boxes found on the straight card
can be reported (and covered) on the upload itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Tuple

import cv2
import numpy as np
from PIL import Image

CARD_SIZE = (1200, 757)  # straightened card, pixels (ID-1 proportions, about 356 DPI)
WORK_SIDE = 1000  # candidates are searched on a copy this long
MIN_AREA = 0.04  # of the picture
ASPECT = (1.30, 1.90)  # long side / short side of a card or passport page
WHOLE_ASPECT = (1.45, 1.72)  # a picture cropped to the card (not an A4 page: 1.41, nor a 4:3 photo: 1.33)
Quad = np.ndarray  # 4 x 2 float32, clockwise from top-left


@dataclass
class CardView:
    image: Image.Image  # the card straightened to CARD_SIZE (or turned by 180° once orientation is known)
    to_upload: np.ndarray  # 3x3 homography: straight-card pixels -> upload pixels
    quad: Quad  # corners on the upload
    whole: bool = False  # the upload is the card itself

    def box_on_upload(self, box) -> List[int]:
        """A rectangle on the straight card, as the enclosing rectangle on the upload."""
        return [int(v) for v in _enclosing(self.polygon_on_upload(box))]

    def polygon_on_upload(self, box) -> np.ndarray:
        x0, y0, x1, y1 = box
        corners = np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]).reshape(-1, 1, 2)
        return cv2.perspectiveTransform(corners, self.to_upload).reshape(-1, 2)

    def turned(self) -> "CardView":
        """The same card read the other way up (180°)."""
        w, h = CARD_SIZE
        flip = np.float64([[-1, 0, w], [0, -1, h], [0, 0, 1]])
        return CardView(self.image.rotate(180), self.to_upload @ flip, self.quad, self.whole)


def _enclosing(points: np.ndarray) -> Tuple[float, float, float, float]:
    return (points[:, 0].min(), points[:, 1].min(), points[:, 0].max(), points[:, 1].max())


def _order(points: np.ndarray) -> Quad:
    """Corners clockwise from top-left, the long side first (a card lying on its side is turned)."""
    points = points.reshape(4, 2).astype(np.float32)
    centre = points.mean(axis=0)
    angles = np.arctan2(points[:, 1] - centre[1], points[:, 0] - centre[0])
    points = points[np.argsort(angles)]  # clockwise in image coordinates, starting near the left
    start = int(np.argmin(points.sum(axis=1)))  # top-left: smallest x + y
    points = np.roll(points, -start, axis=0)
    top, left = np.linalg.norm(points[1] - points[0]), np.linalg.norm(points[3] - points[0])
    if left > top:  # portrait: start from the next corner so that the first side is a long one
        points = np.roll(points, -1, axis=0)
    return points


def _aspect(quad: Quad) -> float:
    sides = [np.linalg.norm(quad[(i + 1) % 4] - quad[i]) for i in range(4)]
    long_side, short_side = (sides[0] + sides[2]) / 2, (sides[1] + sides[3]) / 2
    return long_side / max(short_side, 1e-6)


ID1 = 85.60 / 53.98
CUT_ASPECT = 1.04 * ID1  # longer than this, an outline may have lost a band of the card
EDGE_SUPPORT = 0.6  # share of a grown side that must run along an edge
OUTLINE_SUPPORT = 0.7  # mean share of an outline's sides along strong edges: it is the card's own outline


def _quads(mask: np.ndarray, min_area: float, edges: np.ndarray) -> List[Quad]:
    found = []
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    for contour in contours:
        area = cv2.contourArea(contour)
        if area < min_area:
            continue
        hull = cv2.convexHull(contour)
        rect = cv2.minAreaRect(hull)
        box = cv2.boxPoints(rect).astype(np.float32)
        approx = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
        # A card seen straight (scan, photocopy) is a rotated rectangle, rounded corners and
        # all: the enclosing rectangle fits it exactly. In perspective it is a general
        # four-sided shape.
        if len(approx) == 4 and cv2.contourArea(approx) / max(cv2.contourArea(box), 1) < 0.95:
            quad = _refine(_order(approx.reshape(4, 2).astype(np.float32)), contour.reshape(-1, 2))
        else:
            quad = box
        quad_area = cv2.contourArea(quad)
        if quad_area <= 0 or area / quad_area < 0.85:
            continue  # not a filled four-sided shape
        quad = _order(quad)
        aspect = _aspect(quad)
        if ASPECT[0] <= aspect <= ASPECT[1]:
            found.append(_regrow(quad, edges) if aspect > CUT_ASPECT else quad)
        elif 1.9 < aspect < 3.5 and quad is not approx:
            found.append(_complete(quad, mask))
    return found


def _refine(quad: Quad, points: np.ndarray) -> Quad:
    """Corners where straight lines fitted to the middle of each side meet (rounded corners
    pull a polygon's vertices inwards; the sides themselves are straight)."""
    lines = []
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        side = b - a
        length = np.linalg.norm(side)
        if length < 1:
            return quad
        unit = side / length
        rel = points - a
        along = rel @ unit
        across = np.abs(rel[:, 0] * unit[1] - rel[:, 1] * unit[0])
        near = points[(along > 0.15 * length) & (along < 0.85 * length) & (across < 0.04 * length)]
        if len(near) < 10:
            return quad
        vx, vy, x0, y0 = cv2.fitLine(near.astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        lines.append((np.float32([x0, y0]), np.float32([vx, vy])))
    corners = []
    for i in range(4):
        (p1, d1), (p2, d2) = lines[i - 1], lines[i]
        matrix = np.float32([d1, -d2]).T
        if abs(np.linalg.det(matrix)) < 1e-6:
            return quad
        t = np.linalg.solve(matrix, p2 - p1)
        corners.append(p1 + d1 * t[0])
    return np.float32(corners)


def _regrow(quad: Quad, edges: np.ndarray) -> Quad:
    """A card a few per cent too long: a dark band along a long side (the coloured header of a
    front, the top strip of a back) lost against a dark table. Grow it back on the side where
    the card's own edge shows: the outermost straight edge line parallel to that side, no
    farther than ID-1 proportions (and half again, for perspective) allow."""
    tl, tr, br, bl = quad
    limit = 1.5 * (_aspect(quad) / ID1 - 1)
    best, grown = 0.0, quad
    for a, b, c, d, make in ((tl, tr, bl, br, lambda p, q: np.float32([p, q, br, bl])),
                             (bl, br, tl, tr, lambda p, q: np.float32([tl, tr, q, p]))):
        # a-b is the side to move, away from c-d (the opposite side)
        reach = 0.0
        for share in np.arange(0.01, limit, 0.005):
            if _edge_support(edges, a + (a - c) * share, b + (b - d) * share) >= EDGE_SUPPORT:
                reach = share
        if reach > best:
            best, grown = reach, make(a + (a - c) * reach, b + (b - d) * reach)
    return grown


def _better(new: Quad, old: Quad, outlines: np.ndarray) -> bool:
    """Of two outlines of the same card (two passes), is the new one better? The one that runs
    along strong edges on its four sides, when the other clearly does not (the other then cuts
    through the card where glare or shade changes its colour); else the one closer to ID-1
    proportions (a dark header band lost against a dark table makes a card look too long).
    On a scanner's white lid neither runs along strong edges, and proportions decide; so they
    do between outlines a few pixels apart (either is the card's)."""
    apart = min(np.abs(np.roll(new, k, axis=0) - old).max() for k in range(4)) > 0.02 * np.linalg.norm(old[2] - old[0])
    new_support, old_support = _outline_support(outlines, new), _outline_support(outlines, old)
    if apart and max(new_support, old_support) >= OUTLINE_SUPPORT and abs(new_support - old_support) >= 0.2:
        return new_support > old_support
    return abs(_aspect(new) - ID1) < abs(_aspect(old) - ID1) - 0.02


def _outline_support(outlines: np.ndarray, quad: Quad) -> float:
    """Mean share of each side of the quad that runs along an edge."""
    return float(np.mean([_edge_support(outlines, quad[i], quad[(i + 1) % 4]) for i in range(4)]))


def _edge_support(edges: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    """Share of points along the middle of the segment a-b that lie on an edge (0 if it leaves the picture)."""
    points = np.rint(a + np.outer(np.linspace(0.1, 0.9, 41), b - a)).astype(int)
    height, width = edges.shape
    if points.min() < 0 or points[:, 0].max() >= width or points[:, 1].max() >= height:
        return 0.0
    return float(np.count_nonzero(edges[points[:, 1], points[:, 0]])) / len(points)


def _complete(quad: Quad, mask: np.ndarray) -> Quad:
    """A card whose white band (the MRZ's) matched the background was seen cut along a long side:
    grow it to ID-1 proportions, towards the side where more of it shows (the MRZ's ink)."""
    tl, tr, br, bl = quad
    length = np.linalg.norm(tr - tl)
    height = np.linalg.norm(bl - tl)
    grow = length / ID1 - height
    down = (bl - tl) / max(height, 1e-6)
    below = _ink(mask, bl, br, down, grow)
    above = _ink(mask, tl, tr, -down, grow)
    if below >= above:
        return np.float32([tl, tr, br + down * grow, bl + down * grow])
    return np.float32([tl - down * grow, tr - down * grow, br, bl])


def _ink(mask: np.ndarray, a: np.ndarray, b: np.ndarray, direction: np.ndarray, depth: float) -> float:
    """Share of foreground in the band of the given depth beyond the edge a-b."""
    band = np.float32([a, b, b + direction * depth, a + direction * depth]).astype(np.int32)
    region = np.zeros_like(mask)
    cv2.fillConvexPoly(region, band, 255)
    inside = region > 0
    return float((mask[inside] > 0).mean()) if inside.any() else 0.0


def _background_mask(work: np.ndarray) -> np.ndarray:
    """Pixels that differ from the colour along the picture's border (the scanner lid, the table).

    A card is pale and so is a scanner lid: the threshold sits just above the border's own
    noise, not at a global split. The card's outline (edge, shadow) closes the shape even
    where a white band inside it matches the background.
    """
    lab = cv2.cvtColor(cv2.GaussianBlur(work, (5, 5), 0), cv2.COLOR_RGB2LAB).astype(np.float32)
    border = np.concatenate([lab[:4].reshape(-1, 3), lab[-4:].reshape(-1, 3),
                             lab[:, :4].reshape(-1, 3), lab[:, -4:].reshape(-1, 3)])
    centre = np.median(border, axis=0)
    noise = np.percentile(np.linalg.norm(border - centre, axis=1), 99)
    distance = np.linalg.norm(lab - centre, axis=2)
    mask = (distance > max(5.0, 2.5 * noise)).astype(np.uint8) * 255
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9)))
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (7, 7)))


def _canny(work: np.ndarray, low: int, high: int) -> np.ndarray:
    grey = cv2.GaussianBlur(cv2.cvtColor(work, cv2.COLOR_RGB2GRAY), (3, 3), 0)
    return cv2.Canny(grey, low, high)


def _dilated(edges: np.ndarray, size: int) -> np.ndarray:
    return cv2.dilate(edges, cv2.getStructuringElement(cv2.MORPH_RECT, (size, size)))


def _edge_mask(canny: np.ndarray) -> np.ndarray:
    """Inside closed outlines: a card's edge is a closed line even where its colour matches the page."""
    edges = _dilated(canny, 3)
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    filled = np.zeros_like(edges)
    cv2.drawContours(filled, contours, -1, 255, thickness=cv2.FILLED)
    return cv2.morphologyEx(filled, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9)))


def _iou(a: Quad, b: Quad) -> float:
    ax0, ay0, ax1, ay1 = _enclosing(a)
    bx0, by0, bx1, by1 = _enclosing(b)
    inter = max(0.0, min(ax1, bx1) - max(ax0, bx0)) * max(0.0, min(ay1, by1) - max(ay0, by0))
    union = (ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter
    return inter / union if union else 0.0


def _warp(rgb: np.ndarray, quad: Quad, whole: bool = False) -> CardView:
    w, h = CARD_SIZE
    target = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    to_card = cv2.getPerspectiveTransform(quad, target)
    card = cv2.warpPerspective(rgb, to_card, CARD_SIZE, flags=cv2.INTER_AREA if whole else cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)
    return CardView(Image.fromarray(card), np.linalg.inv(to_card), quad, whole)


def find_cards(image: Image.Image, limit: int = 4) -> List[CardView]:
    """Card-shaped things in the picture, largest first; the picture itself when it is card-shaped."""
    rgb = np.asarray(image.convert("RGB"))
    height, width = rgb.shape[:2]
    scale = min(1.0, WORK_SIDE / max(width, height))
    work = cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else rgb
    min_area = MIN_AREA * work.shape[0] * work.shape[1]
    candidates: List[Quad] = []
    background = _background_mask(work)
    # A white band inside the card (the MRZ's) can match a white background: closing the
    # mask over a wider gap joins it back to the rest of the card.
    joined = cv2.morphologyEx(background, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (41, 41)))
    faint, strong = _canny(work, 10, 30), _canny(work, 30, 90)
    edges = _dilated(faint, 5)  # where a lost band's outer edge is looked for (_regrow)
    outlines = _dilated(strong, 3)  # where a card's outline runs (_better)
    for mask in (background, joined, _edge_mask(faint), _edge_mask(strong)):
        for quad in _quads(mask, min_area, edges):
            same = [i for i, kept in enumerate(candidates) if _iou(quad, kept) >= 0.6]
            if not same:
                candidates.append(quad)
            elif all(_better(quad, candidates[i], outlines) for i in same):
                candidates = [kept for i, kept in enumerate(candidates) if i not in same] + [quad]
    candidates = [quad / scale for quad in candidates]
    candidates.sort(key=lambda q: -cv2.contourArea(q))
    # Parts of a card (its photo, a cover) are shapes too: keep only outermost shapes.
    # A shape holding two card-shaped shapes is two cards seen as one (both sides on a page).
    candidates = [q for q in candidates if sum(_inside(other, q) for other in candidates if other is not q) < 2]
    outer = [q for i, q in enumerate(candidates) if not any(_inside(q, other) for other in candidates[:i])]
    # A picture cropped to the card: its border is the card's border, unless the card
    # sits inside with a margin (then its own outline is the larger shape).
    whole_quad = _order(np.float32([[0, 0], [width, 0], [width, height], [0, height]]))
    if WHOLE_ASPECT[0] <= _aspect(whole_quad) <= WHOLE_ASPECT[1]:
        big = [q for q in outer if cv2.contourArea(q) > 0.6 * width * height]
        return [_warp(rgb, big[0])] if big else [_warp(rgb, whole_quad, whole=True)]
    return [_warp(rgb, quad) for quad in outer[:limit]]


def _inside(inner: Quad, outer: Quad) -> bool:
    ix0, iy0, ix1, iy1 = _enclosing(inner)
    ox0, oy0, ox1, oy1 = _enclosing(outer)
    inter = max(0.0, min(ix1, ox1) - max(ix0, ox0)) * max(0.0, min(iy1, oy1) - max(iy0, oy0))
    return inter >= 0.8 * (ix1 - ix0) * (iy1 - iy0)
