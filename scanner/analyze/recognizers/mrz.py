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

from dataclasses import dataclass

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from scanner.analyze.recognizers.base import make_result
from scanner.analyze.recognizers.national_number import NationalNumberRecognizer

_WEIGHTS = (7, 3, 1)
_LENGTHS = {"TD1": (30, 3), "TD2": (36, 2), "TD3": (44, 2)}  # characters per line, lines
_STRICT = re.compile(r"[A-Z0-9<]+")
_OCR_FILLERS = str.maketrans({"«": "<", "‹": "<"})
_LINE = re.compile(r"[^\n]*\n?")


@dataclass
class MrzLine:
    """One text line that may be part of an MRZ: its cleaned characters and where each stood."""

    clean: str
    positions: List[int]

    @property
    def start(self) -> int:
        return self.positions[0]

    @property
    def end(self) -> int:
        return self.positions[-1] + 1


def _clean(text: str, start: int, end: int) -> MrzLine:
    """Spaces dropped (OCR puts them in), « and ‹ read as <."""
    chars, positions = [], []
    for index in range(start, end):
        ch = text[index]
        if ch in " \t\r\n":
            continue
        chars.append(ch.translate(_OCR_FILLERS))
        positions.append(index)
    return MrzLine("".join(chars), positions)


def _strict(line: MrzLine, length: int) -> bool:
    return abs(len(line.clean) - length) <= 1 and bool(_STRICT.fullmatch(line.clean))


def _loose(line: MrzLine, length: int) -> bool:
    """A last line OCR half-read ('MARTIN<<LUC<<<c<cccc'): the right length, mostly MRZ characters."""
    if not line.clean or abs(len(line.clean) - length) > 3:
        return False
    return sum(ch.isupper() or ch.isdigit() or ch == "<" for ch in line.clean) >= 0.4 * len(line.clean)


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


class MrzRecognizer(EntityRecognizer):
    ENTITY = "MRZ"

    def __init__(self, supported_language: str = "fr"):
        super().__init__(supported_entities=[self.ENTITY, "BE_NATIONAL_NUMBER"],
                         supported_language=supported_language, name=type(self).__name__)
        self._national_number = NationalNumberRecognizer(supported_language)

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: List[str], nlp_artifacts: Optional[NlpArtifacts] = None) -> List[RecognizerResult]:
        if "<" not in text and "«" not in text:
            return []
        lines = [_clean(text, m.start(), m.end()) for m in _LINE.finditer(text) if m.group(0)]
        results: List[RecognizerResult] = []
        index = 0
        while index < len(lines):
            block = self._block(lines, index)
            if not block:
                index += 1
                continue
            kind, found = block
            cleaned = [line.clean[: _LENGTHS[kind][0]].ljust(_LENGTHS[kind][0], "<") for line in found]
            passed = checks_passed(kind, cleaned)
            score = 1.0 if passed >= 2 else 0.8 if passed == 1 else 0.6
            results.append(make_result(self, found[0].start, found[-1].end, score,
                                       f"{kind} block, {passed} check digits pass"))
            if kind == "TD1" and cleaned[0][2:5] == "BEL":
                results.extend(self._belgian_number(found))
            index += len(found)
        return results

    @staticmethod
    def _block(lines: List[MrzLine], index: int):
        """The MRZ starting at lines[index], if any: all lines but the last must read cleanly."""
        for kind, (length, count) in _LENGTHS.items():
            found = lines[index:index + count]
            if len(found) < count or not all(_strict(line, length) for line in found[:-1]):
                continue
            if not (_strict(found[-1], length) or _loose(found[-1], length)):
                continue
            if sum(line.clean.count("<") for line in found) >= 3:
                return kind, found
        return None

    def _belgian_number(self, lines: List[MrzLine]) -> List[RecognizerResult]:
        """The national number inside a Belgian card's MRZ: optional data 2 (line 2, 19-29)
        on current cards, the start of optional data 1 (line 1 from 16) on some older ones."""
        found = []
        for line, column in ((lines[1], 18), (lines[0], 15)):
            value = line.clean[column:column + 11]
            if len(value) == 11 and value.isdigit() and self._national_number.validate(value):
                start, end = line.positions[column], line.positions[column + 10] + 1
                found.append(make_result(self, start, end, 1.0, "national number inside a Belgian MRZ"))
                found[-1].entity_type = "BE_NATIONAL_NUMBER"
        return found
