"""Which language a text is in, per document and per paragraph.

py3langid (a maintained fork of langid.py, model shipped in the package,
offline) restricted to our four languages. A Brussels letter often has a
French and a Dutch paragraph: each paragraph long enough to judge gets its
own language, shorter ones take the document's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import List, Sequence

from py3langid.langid import MODEL_FILE, LanguageIdentifier

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# Characters of a paragraph the classifier reads (its time grows with them). 8,000 judge every
# paragraph of sample_docs/ and of a debtor export as 20,000 did; at 4,000 a quarter of an
# export's pages (English keys, Dutch values) tipped from Dutch to English or German.
SAMPLE_CHARS = 8000


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    language: str


@lru_cache(maxsize=4)
def _identifier(languages: tuple[str, ...]) -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(languages))
    return identifier


class LanguageDetector:
    def __init__(self, languages: Sequence[str], default: str, min_paragraph_chars: int = 60):
        self.languages = tuple(languages)
        self.default = default
        self.min_chars = min_paragraph_chars

    def detect(self, text: str) -> str:
        sample = text[:SAMPLE_CHARS]
        if sum(map(str.isalpha, sample)) < 12:
            return self.default
        language, _probability = _identifier(self.languages).classify(sample)
        return language

    def segments(self, text: str) -> List[Segment]:
        """Runs of paragraphs in one language, covering the whole text.

        Each paragraph long enough to judge is classified once; the document's
        language is the one most of those characters are in, and short
        paragraphs (a greeting, an address line) take it.
        """
        bounds, position = [], 0
        for brk in _PARAGRAPH_BREAK.finditer(text):
            bounds.append((position, brk.end()))
            position = brk.end()
        bounds.append((position, len(text)))
        judged: List[tuple[int, int, str | None]] = []
        weights: dict[str, int] = {}
        for start, end in bounds:
            chunk = text[start:end]
            letters = sum(map(str.isalpha, chunk))
            language = self.detect(chunk) if letters >= self.min_chars else None
            if language:
                weights[language] = weights.get(language, 0) + letters
            judged.append((start, end, language))
        if weights:
            document = max(weights, key=weights.get)
        else:
            document = self.detect(text)
        segments: List[Segment] = []
        for start, end, language in judged:
            language = language or document
            if segments and segments[-1].language == language:
                segments[-1] = Segment(segments[-1].start, end, language)
            else:
                segments.append(Segment(start, end, language))
        return segments or [Segment(0, len(text), document)]
