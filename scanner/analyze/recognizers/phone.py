"""Phone numbers (PHONE_NUMBER): Presidio's recognizer, Belgium first, neighbours next.

Presidio's ``PhoneRecognizer`` runs Google's libphonenumber per region but does
not try Belgium by default. We run BE first (``02 512 45 67``, ``0470 12 34 56``,
``+32 470 12 34 56``, ``0032 …``; any number with an international prefix is
parsed too), then the neighbouring countries for numbers written in their
national form only next to a phone label (``Tel.``, ``GSM``, ``Handy``): written
without ``+33``/``0033`` a French mobile looks like a contract number. A number
valid for its region is good evidence on its own, but libphonenumber also
accepts pieces of other numbers and dates: a match must start like a phone
number (``0``, ``+``, ``(``), must not be a fragment of a longer number or of
a payment reference (``+++090/9337/55493+++``), nor be shaped like a date
(``03.03.2025``) or an enterprise number (``0862.745.438``) unless labelled.

>>> r = PhoneNumberRecognizer()
>>> [text[x.start:x.end] for text in ["Tél. 02 512 45 67 - facture 2026-00451"] for x in r.analyze(text, [])]
['02 512 45 67']
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import List, Optional

import phonenumbers
from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import PhoneRecognizer as PresidioPhoneRecognizer

from scanner.analyze.context import find_context
CONTEXT = [
    "téléphone", "tél", "tel", "gsm", "portable", "mobile", "fax", "appelez",
    "telefoon", "telefoonnummer", "mobiel", "gsm-nummer", "bel",
    "telefon", "telefonnummer", "handy", "mobil", "rufnummer",
    "phone", "telephone", "cell", "call",
]
REGIONS = ("BE", "FR", "NL", "DE", "LU", "GB")
_FRAGMENT_BEFORE = re.compile(r"(?:\d[ ./\-]?|[+*]{3}[ ]?)$")
_FRAGMENT_AFTER = re.compile(r"^(?:[./\-]?\d|[ ]?[+*]{3})")
_LABEL = re.compile(r"(?<![^\W\d_])(?:" + "|".join(sorted(map(re.escape, CONTEXT), key=len, reverse=True))
                    + r")(?![^\W\d_])", re.IGNORECASE)
_DATE_SHAPE = re.compile(r"^\d{1,2}[./\-]\d{1,2}[./\-]\d{2,4}$")
_ENTERPRISE_SHAPE = re.compile(r"^[01]\d{3}\.\d{3}\.\d{3}$")


_DIGIT = re.compile(r"\d")
_CANDIDATE = re.compile(r"(?:\+|\(\+?|\b0)[\d().\-/ \t\u00a0]{7,24}\d")


def _candidates(text: str) -> List[tuple[int, int]]:
    """Merged windows around digit runs that may be phone numbers."""
    spans: List[tuple[int, int]] = []
    for match in _CANDIDATE.finditer(text):
        start, end = max(0, match.start() - 2), min(len(text), match.end() + 2)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


class PhoneNumberRecognizer(PresidioPhoneRecognizer):
    SCORE = 0.75

    def __init__(self, supported_language: str = "fr"):
        super().__init__(
            context=CONTEXT, supported_language=supported_language,
            supported_regions=REGIONS, leniency=1, name="PhoneNumberRecognizer",
        )

    def analyze(self, text: str, entities: List[str], nlp_artifacts: Optional[NlpArtifacts] = None) -> List[RecognizerResult]:
        results: List[RecognizerResult] = []
        starts: List[int] = []  # of the results, sorted (they do not overlap: their ends are sorted too)
        ends: List[int] = []

        def collect(region: str, offset: int, piece: str) -> None:
            for match in phonenumbers.PhoneNumberMatcher(piece, region, leniency=self.leniency):
                start, end = offset + match.start, offset + match.end
                at = bisect_left(ends, start + 1)  # the first result ending after ``start``
                if at < len(starts) and starts[at] < end:
                    continue
                if self._plausible(text, start, end, foreign=region != "BE"):
                    match.start, match.end = start, end
                    results.append(self._get_recognizer_result(match, text, region, nlp_artifacts))
                    starts.insert(at, start)
                    ends.insert(at, end)

        def found_already(start: int, piece: str) -> bool:
            """Every digit of ``piece`` is in a result: a match there would overlap one, and be dropped."""
            for digit in _DIGIT.finditer(piece):
                position = start + digit.start()
                at = bisect_right(starts, position) - 1
                if at < 0 or ends[at] <= position:
                    return False
            return True

        # Belgian numbers, and any number with an international prefix. libphonenumber is
        # only shown the places where a phone number can start (a cheap regex finds them).
        for start, end in _candidates(text):
            collect("BE", start, text[start:end])
        # A foreign number in its national form only counts after a phone label, so the
        # other regions only look at the few characters after each label (libphonenumber
        # is the costliest recognizer: this keeps it to one pass over the text).
        # A label before a number found already (``debtor.phone: 0470 12 34 56`` on every line of an
        # export) leaves nothing for them to find.
        for label in _LABEL.finditer(text):
            window = text[label.end():label.end() + 30]
            if found_already(label.end(), window):
                continue
            for region in self.supported_regions[1:]:
                collect(region, label.end(), window)
        return results

    @staticmethod
    def _plausible(text: str, start: int, end: int, foreign: bool) -> bool:
        value = text[start:end]
        if value[:1] not in "0+(" or sum(ch.isdigit() for ch in value) < 8:
            return False
        if _FRAGMENT_BEFORE.search(text[max(0, start - 4):start]) or _FRAGMENT_AFTER.search(text[end:end + 4]):
            return False
        if _DATE_SHAPE.match(value):
            return False
        labelled = find_context(text, start, end, CONTEXT, before=30) is not None
        if (foreign and not value.startswith(("+", "00"))) or _ENTERPRISE_SHAPE.match(value):
            return labelled
        return True
