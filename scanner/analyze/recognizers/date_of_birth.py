"""Dates of birth (DATE_OF_BIRTH): a date, only where the text says it is a birth date.

Invoice dates, due dates and letter dates are everywhere in our documents and
are not personal data on their own; a date right after "né le", "geboren op",
"Geburtsdatum" or "date of birth" is.

>>> r = DateOfBirthRecognizer()
>>> [text[x.start:x.end] for text in ["né le 12/03/1985", "facture du 12/03/2026"] for x in r.analyze(text, [])]
['12/03/1985']
"""

from __future__ import annotations

import re
from typing import List, Optional

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from scanner.analyze.context import find_context
from scanner.analyze.recognizers.base import make_result

CONTEXT = [
    "né le", "née le", "né(e) le", "né", "née", "date de naissance", "naissance", "date et lieu de naissance",
    "geboren op", "geboren", "geboortedatum", "geb", "geboorte",
    "geboren am", "geburtsdatum", "geburtstag",
    "date of birth", "birth date", "birthdate", "born on", "born", "dob", "d.o.b",
]

_MONTHS = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|"
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "januar|jänner|februar|märz|maerz|august|dezember|"
    "january|february|march|may|june|july|october|"
    "jan|feb|fév|mar|apr|avr|jun|jul|aug|aoû|sep|sept|oct|okt|nov|dec|déc|dez"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_YEAR = r"(?:19|20)\d{2}"
DATE = re.compile(
    rf"(?<![\w/.\-])(?:"
    rf"{_DAY}[./\-]\s?(?:0?[1-9]|1[0-2])[./\-]\s?{_YEAR}"  # 12/03/1985, 12.03.1985
    rf"|{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"  # 1985-03-12
    rf"|{_DAY}(?:er|e|\.)?\s+(?:{_MONTHS})\.?\s+{_YEAR}"  # 12 mars 1985, 3. März 1985
    rf"|(?:{_MONTHS})\.?\s+{_DAY}(?:st|nd|rd|th)?,?\s+{_YEAR}"  # March 12, 1985
    rf")(?![\w/])",
    re.IGNORECASE,
)
SCORE = 0.9


class DateOfBirthRecognizer(EntityRecognizer):
    ENTITY = "DATE_OF_BIRTH"

    def __init__(self, supported_language: str = "fr"):
        super().__init__(supported_entities=[self.ENTITY], supported_language=supported_language,
                         context=CONTEXT, name=type(self).__name__)

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: List[str], nlp_artifacts: Optional[NlpArtifacts] = None) -> List[RecognizerResult]:
        results = []
        for match in DATE.finditer(text):
            word = find_context(text, match.start(), match.end(), CONTEXT, before=45)
            if not word:
                continue
            results.append(make_result(self, match.start(), match.end(), SCORE, f"date after '{word}'"))
        return results
