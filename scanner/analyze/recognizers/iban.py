"""IBAN of any country (IBAN_CODE), validated with python-stdnum's ``stdnum.iban``.

Printed in groups of four (``BE71 0961 2345 6769``), run together, or with a
space after the country (``BE 03 7310 1866 4084``). The regex is generous and
the checksum decides: a match followed by more digit groups is tried shorter
until the checksum passes, so a trailing reference number is not swallowed.

>>> r = IbanCodeRecognizer()
>>> [text[x.start:x.end] for text in ["IBAN BE71 0961 2345 6769 BIC GKCCBEBB"] for x in r.analyze(text, [])]
['BE71 0961 2345 6769']
"""

from __future__ import annotations

import re
from typing import Iterator, Tuple

from stdnum import iban

from scanner.analyze.recognizers.base import OCR_DIGITS, ChecksumRecognizer, Shape

CONTEXT = [
    "iban", "compte", "numéro de compte", "compte bancaire", "rekening", "rekeningnummer",
    "bankrekening", "konto", "kontonummer", "bankverbindung", "account", "bank account",
]

_GROUP = re.compile(r"[A-Za-z0-9|]+")


class IbanCodeRecognizer(ChecksumRecognizer):
    ENTITY = "IBAN_CODE"
    CONTEXT = CONTEXT
    SHAPES = (
        Shape(
            "IBAN",
            # Groups of up to five (OCR glues and splits them), one separator or two spaces between them
            # (justified text). Atomic groups: a 60-character hash starting "BE12" took 0.3 s of backtracking.
            r"(?<![A-Za-z0-9])[A-Za-z]{2}[ ]?[0-9Oo]{2}(?:(?:[.\-]| {1,2})?(?>[A-Za-z0-9|]{1,5})){2,9}(?![A-Za-z0-9])",
            strong=True,
        ),
    )
    SCORE = 0.95

    def candidates(self, text: str, start: int, end: int) -> Iterator[Tuple[int, int]]:
        # Longest first, ending at each group boundary.
        ends = [start + m.end() for m in _GROUP.finditer(text[start:end])]
        for stop in reversed(ends):
            compact = re.sub(r"[^A-Za-z0-9|]", "", text[start:stop])
            if 15 <= len(compact) <= 34:
                yield start, stop

    def validate(self, value: str) -> bool:
        compact = re.sub(r"[ .\-]", "", value).upper()
        if iban.is_valid(compact):
            return True
        # OCR: O/l read for 0/1 in the check digits and a numeric BBAN.
        fixed = compact[:2] + compact[2:].replace("L", "1").translate(OCR_DIGITS)
        return fixed != compact and fixed[2:].isdigit() and iban.is_valid(fixed)
