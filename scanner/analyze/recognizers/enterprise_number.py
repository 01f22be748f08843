"""Belgian enterprise / VAT number (BE_ENTERPRISE_NUMBER), KBO/BCE.

10 digits starting with 0 or 1, written ``0652.750.315``, ``BE0652750315``,
``BE 0652.750.315``, ``BE (0)468.561.072``; old 9-digit forms get a leading 0.
The check is python-stdnum's ``stdnum.be.vat``. A company's number is not
personal data but a sole trader's is: we report every one and let policy decide.

>>> r = EnterpriseNumberRecognizer()
>>> [text[x.start:x.end] for text in ["TVA BE 0652.750.315"] for x in r.analyze(text, [])]
['BE 0652.750.315']
"""

from __future__ import annotations

import re

from stdnum.be import vat

from scanner.analyze.recognizers.base import D, SEP, ChecksumRecognizer, Shape, digits_only

CONTEXT = [
    # fr
    "tva", "n° tva", "numéro d'entreprise", "n° d'entreprise", "numéro d'entreprise", "bce", "rpm",
    "entreprise", "assujetti",
    # nl
    "btw", "btw-nummer", "ondernemingsnummer", "ondernemingsnr", "kbo", "rpr", "onderneming",
    # de
    "mwst", "ust-idnr", "unternehmensnummer", "mehrwertsteuer",
    # en
    "vat", "vat number", "enterprise number", "company number", "company registration",
]

_BODY = rf"(?:\(0\) ?|[01]{SEP})?{D}{{3}}{SEP}{D}{{3}}{SEP}{D}{{3}}"


class EnterpriseNumberRecognizer(ChecksumRecognizer):
    ENTITY = "BE_ENTERPRISE_NUMBER"
    CONTEXT = CONTEXT
    SHAPES = (
        # With the country prefix the shape alone is evidence.
        Shape("BE-prefixed", rf"(?<![\w])BE[ .:\-]{{0,2}}{_BODY}(?![\w]|[.\-]\d)", strong=True, flags=re.IGNORECASE),
        # The dotted form 0652.750.315 is how the number is printed.
        Shape("dotted", rf"(?<![\w.\-/+*])[01]{D}{{3}}\.{D}{{3}}\.{D}{{3}}(?![\w]|[.\-]\d)", strong=True),
        # Anything else (spaces, run together, 9 digits) only after a label.
        Shape("labelled", rf"(?<![\w.\-/+*]){_BODY}(?![\w]|[.\-]\d)", strong=False),
    )
    SCORE = 0.85
    MIN_REAL_DIGITS = 8

    def is_decoy(self, text: str, start: int, end: int) -> bool:
        # "BE BE 0220764971" is a typing error, not a number we can vouch for.
        return super().is_decoy(text, start, end) or bool(
            re.search(r"BE[ .:\-]{0,2}$", text[max(0, start - 5):start], re.IGNORECASE))

    def validate(self, value: str) -> bool:
        body = re.sub(r"^\s*BE", "", value, flags=re.IGNORECASE).replace("(0)", "0")
        digits = digits_only(body)
        if len(digits) == 9:
            digits = "0" + digits
        return len(digits) == 10 and vat.is_valid(digits)
