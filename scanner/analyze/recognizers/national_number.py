"""Belgian national register number and BIS number (BE_NATIONAL_NUMBER).

11 digits ``YYMMDD SSS CC``, printed ``85.07.30-033.28`` on the eID card, or
``85073003328``, ``85 07 30 033 28``, ``850730-033-28``. The check (both the
19xx and the 20xx reading, BIS months +20/+40) is python-stdnum's
``stdnum.be.nn`` and ``stdnum.be.bis``. A valid number is reported without a
label; a label raises the score.

>>> r = NationalNumberRecognizer()
>>> [text[x.start:x.end] for text in ["NN : 85.07.30-033.28"] for x in r.analyze(text, [])]
['85.07.30-033.28']
"""

from __future__ import annotations

from stdnum.be import bis, nn

from scanner.analyze.recognizers.base import D, SEP, ChecksumRecognizer, Shape, digits_only

CONTEXT = [
    # fr
    "numéro de registre national", "registre national", "numéro national", "n° national",
    "no national", "n° nat", "nn", "niss", "numéro bis", "registre bis",
    # nl
    "rijksregisternummer", "rijksregisternr", "rijksregister", "identificatienummer van het rijksregister",
    "insz", "nationaal nummer", "rrn", "bisnummer",
    # de
    "nationalregisternummer", "nationalregister", "enss", "erkennungsnummer",
    # en
    "national register number", "national number", "national registry number", "nrn",
]


class NationalNumberRecognizer(ChecksumRecognizer):
    ENTITY = "BE_NATIONAL_NUMBER"
    CONTEXT = CONTEXT
    SHAPES = (
        Shape("national number", rf"(?<![\w.\-/+*]){D}{{2}}{SEP}{D}{{2}}{SEP}{D}{{2}}{SEP}{D}{{3}}{SEP}{D}{{2}}(?![\w]|[.\-/]\d)", strong=True),
    )
    SCORE = 0.85
    MIN_REAL_DIGITS = 9

    def validate(self, value: str) -> bool:
        digits = digits_only(value)
        return len(digits) == 11 and (nn.is_valid(digits) or bis.is_valid(digits))
