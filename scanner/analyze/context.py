"""Context words: the label before a value ("IBAN :", "Rijksregisternummer") that raises confidence.

Presidio's own enhancer compares spaCy lemmas, which needs the lemmatizer (we
run spaCy with NER only) and misses multi-word labels and OCR text. Ours looks
at the characters just before a match, accent- and case-folded, so
"N° de registre national :" and "RIJKSREGISTERNR." both count.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable, List, Optional

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts

# How far before a match a label may stand: a table cell label, or the line above.
WINDOW_BEFORE = 60
WINDOW_AFTER = 0
CONTEXT_KEY = "context_word"


def fold(text: str) -> str:
    """Lower-case, accents removed; same length as the input for ASCII-compatible text."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@lru_cache(maxsize=256)
def _context_regex(words: tuple[str, ...]) -> re.Pattern:
    # Long words also match inflected forms (Personalausweises, rijksregisternummers);
    # short ones (nn, tel, bic) must stand alone.
    ordered = sorted({fold(w) for w in words}, key=len, reverse=True)  # longest alternative first
    parts = [re.escape(w).replace(r"\ ", r"[\s.\-_]*") + ("" if len(w) >= 6 else r"(?![a-z])") for w in ordered]
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(parts) + r")")


def label_window(text: str, start: int, before: int = WINDOW_BEFORE) -> str:
    """The text a label for text[start:] may stand in: the same line, or the line above
    when the value begins its line (a label over a value, as in forms and tables)."""
    window = text[max(0, start - before) : start]
    head, newline, line = window.rpartition("\n")
    if not newline or line.strip():
        return line
    return head.rpartition("\n")[2] + "\n"


def find_context(
    text: str, start: int, end: int, words: Iterable[str], before: int = WINDOW_BEFORE,
    after: int = WINDOW_AFTER, adjacent: bool = False,
) -> Optional[str]:
    """The context word found near text[start:end], or None.

    ``adjacent``: only punctuation and spaces may stand between the word and the value
    ("BIC : GKCCBEBB", not "BIC GKCCBEBB - BRUSSELS").
    """
    words = tuple(words)
    if not words:
        return None
    window = fold(label_window(text, start, before))
    if after:
        window += " " + fold(text[end : end + after].partition("\n")[0])
    regex = _context_regex(words)
    if adjacent:
        stripped = window.rstrip(" \t\n:.=-–/()#°")
        ending = [m for m in regex.finditer(stripped) if m.end() == len(stripped)]
        return ending[0].group(0) if ending else None
    match = None
    for match in regex.finditer(window):
        pass  # the nearest one is the last
    return match.group(0) if match else None


class WindowContextEnhancer(ContextAwareEnhancer):
    """Raise a result's score when one of its recognizer's context words stands just before it."""

    def __init__(self, boost: float = 0.35, min_score_with_context: float = 0.6):
        super().__init__(
            context_similarity_factor=boost,
            min_score_with_context_similarity=min_score_with_context,
            context_prefix_count=0,
            context_suffix_count=0,
        )

    def enhance_using_context(
        self,
        text: str,
        raw_results: List[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: List[EntityRecognizer],
        context: Optional[List[str]] = None,
    ) -> List[RecognizerResult]:
        by_id = {r.id: r for r in recognizers}
        for result in raw_results:
            meta = result.recognition_metadata or {}
            if meta.get(CONTEXT_KEY) is not None or meta.get("context_checked"):
                continue  # the recognizer weighed its own context already
            recognizer = by_id.get(meta.get(RecognizerResult.RECOGNIZER_IDENTIFIER_KEY))
            words = list(getattr(recognizer, "context", None) or []) + list(context or [])
            word = find_context(text, result.start, result.end, words)
            if word:
                result.score = min(1.0, max(result.score + self.context_similarity_factor,
                                            self.min_score_with_context_similarity))
                meta[CONTEXT_KEY] = word
                result.recognition_metadata = meta
        return raw_results
