"""Machine-readable zones of identity documents (MRZ), ICAO 9303.

TD1 (ID cards: 3 lines of 30), TD2 (2 x 36) and TD3 (passports: 2 x 44),
characters ``A-Z 0-9 <``. A block whose check digits pass is certain; one of
the right shape whose digits fail (OCR noise, or a masked number) still is an
MRZ and is reported with a lower score.

>>> check_digit("L898902C3")
'6'
"""

from __future__ import annotations

import re
from typing import List, Optional

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from scanner.analyze.recognizers.base import make_result
from scanner.analyze.recognizers.national_number import NationalNumberRecognizer

_WEIGHTS = (7, 3, 1)
_LINE_BREAK = r"[ \t]*\r?\n[ \t]*"
_BLOCKS = (
    ("TD1", re.compile(rf"(?<![A-Z0-9<])[A-Z0-9<]{{30}}{_LINE_BREAK}[A-Z0-9<]{{30}}{_LINE_BREAK}[A-Z0-9<]{{30}}(?![A-Z0-9<])")),
    ("TD3", re.compile(rf"(?<![A-Z0-9<])P[A-Z0-9<]{{43}}{_LINE_BREAK}[A-Z0-9<]{{44}}(?![A-Z0-9<])")),
    ("TD2", re.compile(rf"(?<![A-Z0-9<])[A-Z0-9<]{{36}}{_LINE_BREAK}[A-Z0-9<]{{36}}(?![A-Z0-9<])")),
)


def _value(ch: str) -> int:
    if ch.isdigit():
        return int(ch)
    if ch == "<":
        return 0
    return ord(ch) - ord("A") + 10


def check_digit(field: str) -> str:
    """ICAO 9303 check digit: weights 7, 3, 1 over the characters, sum mod 10."""
    return str(sum(_value(ch) * _WEIGHTS[i % 3] for i, ch in enumerate(field)) % 10)


def _passes(field: str, digit: str) -> bool:
    return digit.isdigit() and check_digit(field) == digit


def checks_passed(kind: str, lines: List[str]) -> int:
    """How many of the block's date/number check digits pass."""
    if kind == "TD1":
        l1, l2 = lines[0], lines[1]
        pairs = [(l1[5:14], l1[14]), (l2[0:6], l2[6]), (l2[8:14], l2[14])]
    else:  # TD2 and TD3 share line 2's layout
        l2 = lines[1]
        pairs = [(l2[0:9], l2[9]), (l2[13:19], l2[19]), (l2[21:27], l2[27])]
    return sum(_passes(field, digit) for field, digit in pairs)


def line_offsets(text: str, match: re.Match) -> List[int]:
    """Where each MRZ line starts in the text."""
    offsets, position = [], match.start()
    for line in match.group(0).splitlines(keepends=True):
        offsets.append(position + len(line) - len(line.lstrip(" \t")))
        position += len(line)
    return offsets


class MrzRecognizer(EntityRecognizer):
    ENTITY = "MRZ"

    def __init__(self, supported_language: str = "fr"):
        super().__init__(supported_entities=[self.ENTITY, "BE_NATIONAL_NUMBER"],
                         supported_language=supported_language, name=type(self).__name__)
        self._national_number = NationalNumberRecognizer(supported_language)

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: List[str], nlp_artifacts: Optional[NlpArtifacts] = None) -> List[RecognizerResult]:
        results: List[RecognizerResult] = []
        for kind, regex in _BLOCKS:
            for match in regex.finditer(text):
                if any(r.start < match.end() and match.start() < r.end for r in results):
                    continue
                lines = [line.strip() for line in match.group(0).splitlines()]
                if sum(line.count("<") for line in lines) < 3:
                    continue
                passed = checks_passed(kind, lines)
                score = 1.0 if passed >= 2 else 0.8 if passed == 1 else 0.6
                results.append(make_result(self, match.start(), match.end(), score,
                                           f"{kind} block, {passed} check digits pass"))
                if kind == "TD1" and lines[0][2:5] == "BEL":
                    results.extend(self._belgian_number(text, match))
        return results

    def _belgian_number(self, text: str, match: re.Match) -> List[RecognizerResult]:
        """The national number inside a Belgian card's MRZ: optional data 2 (line 2, 19-29)
        on current cards, the start of optional data 1 (line 1 from 16) on some older ones."""
        starts = line_offsets(text, match)
        found = []
        for line, column in ((1, 18), (0, 15)):
            start = starts[line] + column
            value = text[start:start + 11]
            if value.isdigit() and self._national_number.validate(value):
                found.append(make_result(self, start, start + 11, 1.0, "national number inside a Belgian MRZ"))
                found[-1].entity_type = "BE_NATIONAL_NUMBER"
        return found
