"""What our identifier recognizers share: a regex finds candidates, a checksum decides.

A subclass gives its patterns (strong shapes are reported without a label,
weak ones only next to one of its context words), a ``validate`` that calls
python-stdnum, and optionally ``candidates`` (sub-spans to try, e.g. an IBAN
followed by another group of digits) and ``is_decoy``.

OCR text: inside a digit run, ``O``/``o`` are read as 0 and ``I``/``l``/``|``
as 1 before the checksum is tried; a confusion only counts when the checksum
then confirms it.
"""

from __future__ import annotations

import re
from typing import Iterator, List, Optional, Sequence, Tuple

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from scanner.analyze.context import CONTEXT_KEY, find_context

# A digit as OCR may print it.
D = r"[0-9OoIl|]"
# Separators: none, one, or doubled by OCR.
SEP = r"[ .\-/]{0,2}"
OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})
LANGUAGES = ("fr", "nl", "en", "de")


def digits_only(value: str) -> str:
    return re.sub(r"\D", "", value.translate(OCR_DIGITS))


class Shape:
    """One regex of a recognizer; ``strong`` shapes need no context word."""

    def __init__(self, name: str, regex: str, strong: bool, flags: int = 0):
        self.name = name
        self.regex = re.compile(regex, flags)
        self.strong = strong


class ChecksumRecognizer(EntityRecognizer):
    ENTITY = ""
    SHAPES: Sequence[Shape] = ()
    CONTEXT: Sequence[str] = ()
    SCORE = 0.85  # checksum passed, no label
    SCORE_WITH_CONTEXT = 1.0
    MIN_REAL_DIGITS = 0  # OCR confusions allowed: at least this many true digits

    def __init__(self, supported_language: str = "fr"):
        super().__init__(
            supported_entities=[self.ENTITY],
            supported_language=supported_language,
            context=list(self.CONTEXT),
            name=type(self).__name__,
        )

    def load(self) -> None:
        pass

    # --- hooks -------------------------------------------------------------
    def validate(self, value: str) -> bool:
        raise NotImplementedError

    def candidates(self, text: str, start: int, end: int) -> Iterator[Tuple[int, int]]:
        yield start, end

    def is_decoy(self, text: str, start: int, end: int) -> bool:
        """A structured payment reference (+++123/4567/89012+++) is never an identifier."""
        before = text[max(0, start - 4) : start]
        return "+++" in before or "***" in before

    # --- engine ------------------------------------------------------------
    def analyze(
        self, text: str, entities: List[str], nlp_artifacts: Optional[NlpArtifacts] = None
    ) -> List[RecognizerResult]:
        results: List[RecognizerResult] = []
        taken: List[Tuple[int, int]] = []
        for shape in self.SHAPES:
            for match in shape.regex.finditer(text):
                found = self._first_valid(text, match.start(), match.end())
                if not found:
                    continue
                start, end = found
                if any(s < end and start < e for s, e in taken) or self.is_decoy(text, start, end):
                    continue
                word = find_context(text, start, end, self.CONTEXT)
                if not shape.strong and not word:
                    continue
                taken.append((start, end))
                results.append(self._result(start, end, shape, word))
        return results

    def _first_valid(self, text: str, start: int, end: int) -> Optional[Tuple[int, int]]:
        for s, e in self.candidates(text, start, end):
            value = text[s:e]
            if self.MIN_REAL_DIGITS and sum(ch.isdigit() for ch in value) < self.MIN_REAL_DIGITS:
                continue
            if self.validate(value):
                return s, e
        return None

    def _result(self, start: int, end: int, shape: Shape, word: Optional[str]) -> RecognizerResult:
        score = self.SCORE_WITH_CONTEXT if word else self.SCORE
        why = f"{shape.name}: checksum valid" + (f", label '{word}'" if word else "")
        return make_result(self, start, end, score, why, pattern_name=shape.name)


def make_result(
    recognizer: EntityRecognizer, start: int, end: int, score: float, why: str,
    context_checked: bool = True, pattern_name: Optional[str] = None,
) -> RecognizerResult:
    """A result with the metadata our engine reads: who found it and why.

    ``context_checked``: the recognizer already weighed its context words, so
    the engine's context enhancer must not raise the score a second time.
    """
    metadata = {
        RecognizerResult.RECOGNIZER_NAME_KEY: recognizer.name,
        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
    }
    if context_checked:
        metadata.update({CONTEXT_KEY: why, "context_checked": True})
    explanation = AnalysisExplanation(
        recognizer=recognizer.name, original_score=score, pattern_name=pattern_name, textual_explanation=why
    )
    return RecognizerResult(recognizer.supported_entities[0], start, end, score,
                            analysis_explanation=explanation, recognition_metadata=metadata)
