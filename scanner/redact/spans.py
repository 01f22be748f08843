"""Redacting one span of a page, and finding detected values again in text the analyzer did not see.

The container writers (e-mail, Word) rebuild their output piece by piece: a
header, a run of text, a cell. Each piece is a span of an extracted page, so
the page's detections are clipped to the span and handed to ``redact_text``:
the operators (replace, mask, redact, hash) behave exactly as for text files.

>>> from scanner.analyze.engine import Detection
>>> page = "From: Jan Peeters <jan@example.be>\\n"
>>> dets = [Detection("PERSON", 6, 17, 0.9, "r", "nl"), Detection("EMAIL_ADDRESS", 19, 33, 1.0, "r", "nl")]
>>> redact_span(page, dets, 6, 34, "replace", b"k")
'<PERSON> <<EMAIL_ADDRESS>>'
>>> [(d.start, d.end) for d in find_values("Beste Jan\\n Peeters,", [("PERSON", "Jan Peeters")])]
[(6, 18)]
"""

from __future__ import annotations

import re
from typing import Iterable, List, Set, Tuple

from scanner.analyze.engine import Detection
from scanner.redact.text import redact_text


def clip(detections: Iterable[Detection], start: int, end: int) -> List[Detection]:
    """The detections overlapping [start, end), cut to it and shifted so the span starts at 0."""
    clipped = []
    for det in detections:
        if det.end <= start or end <= det.start:
            continue
        clipped.append(Detection(det.entity_type, max(det.start, start) - start, min(det.end, end) - start,
                                 det.score, det.recognizer, det.language, det.why))
    return clipped


def redact_span(text: str, detections: Iterable[Detection], start: int, end: int, operator: str, key: bytes) -> str:
    """``text[start:end]`` with the detections inside it redacted."""
    return redact_text(text[start:end], clip(detections, start, end), operator, key)


def replacement(entity_type: str, value: str, operator: str, key: bytes) -> str:
    """What the operator writes in place of one value (``<PERSON>``, ``****``, a keyed hash, nothing)."""
    return redact_text(value, [Detection(entity_type, 0, len(value), 1.0, "", "")], operator, key)


def detected_values(text: str, detections: Iterable[Detection]) -> Set[Tuple[str, str]]:
    return {(d.entity_type, text[d.start:d.end]) for d in detections if text[d.start:d.end].strip()}


def find_values(text: str, values: Iterable[Tuple[str, str]], min_length: int = 3,
                whole_words: bool = True) -> List[Detection]:
    """Every occurrence of a detected value in another text, whatever the whitespace between its words.

    For the copies the analyzer never saw (the HTML twin of a plain body, a text
    box's fallback copy). Longer values first, and no overlaps, so "Jan Peeters"
    wins over "Jan". ``whole_words=False`` also takes the value inside longer words
    ("John" in "JohnDoe"): the stricter choice within the text the value was found in.
    """
    found: List[Detection] = []
    for entity, value in sorted(values, key=lambda v: -len(v[1])):
        words = value.split()
        if len(value.strip()) < min_length or not words:
            continue
        # Whole words only: "Anne" must not eat the start of "Annette".
        before = r"(?<!\w)" if whole_words and value.strip()[0].isalnum() else ""
        after = r"(?!\w)" if whole_words and value.strip()[-1].isalnum() else ""
        pattern = re.compile(before + r"\s+".join(re.escape(word) for word in words) + after)
        for match in pattern.finditer(text):
            s, e = match.span()
            if all(e <= d.start or d.end <= s for d in found):
                found.append(Detection(entity, s, e, 1.0, "repeat", "", "repeat"))
    return sorted(found, key=lambda d: d.start)


def merge(first: List[Detection], more: List[Detection]) -> List[Detection]:
    """``first`` plus those of ``more`` that overlap none of them, in text order."""
    kept = first + [d for d in more if all(d.end <= f.start or f.end <= d.start for f in first)]
    return sorted(kept, key=lambda d: d.start)
