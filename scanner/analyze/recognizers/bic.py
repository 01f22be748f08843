"""BIC / SWIFT code (BIC_CODE), reported only with evidence.

The shape (4 letters bank, 2 letters country, 2 location, optional 3 branch)
is matched by many ordinary capitalised words: BRUSSELS, BUSINESS, MONSIEUR,
DOCUMENT, RECHNUNG. So a candidate that passes python-stdnum's ``stdnum.bic``
is reported only with evidence:

- a label just before it (BIC, SWIFT, code BIC): score 0.95;
- a Belgian IBAN nearby whose bank code maps to it (``stdnum.be.iban.to_bic``): 0.9;
- a Belgian bank's BIC from the National Bank's list shipped with python-stdnum: 0.7.

>>> r = BicRecognizer()
>>> [text[x.start:x.end] for text in ["BIC: GKCCBEBB", "BRUSSELS OFFICE"] for x in r.analyze(text, [])]
['GKCCBEBB']
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import List, Optional

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from stdnum import bic, numdb
from stdnum.be import iban as be_iban

from scanner.analyze.context import find_context
from scanner.analyze.recognizers.base import make_result

CONTEXT = ["bic", "swift", "code bic", "bic-code", "swift-code", "swiftcode", "bic/swift", "swift/bic",
           "bank identifier code", "code swift"]

_BIC = re.compile(r"(?<![A-Za-z0-9])[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?(?![A-Za-z0-9])")
_BE_IBAN = re.compile(r"BE ?\d{2}(?:[ ]?\d{4}){3}")
IBAN_WINDOW = 200


@lru_cache(maxsize=1)
def belgian_bics() -> frozenset[str]:
    """Every BIC in the National Bank's bank-code list (stdnum/be/banks.dat)."""
    found: set[str] = set()

    def walk(prefixes):
        for _length, _low, _high, props, children in prefixes:
            if props.get("bic"):
                found.add(props["bic"].upper())
            walk(children)

    walk(numdb.get("be/banks").prefixes)
    return frozenset(found)


class BicRecognizer(EntityRecognizer):
    ENTITY = "BIC_CODE"

    def __init__(self, supported_language: str = "fr"):
        super().__init__(
            supported_entities=[self.ENTITY], supported_language=supported_language,
            context=CONTEXT, name=type(self).__name__,
        )

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: List[str], nlp_artifacts: Optional[NlpArtifacts] = None) -> List[RecognizerResult]:
        results = []
        for match in _BIC.finditer(text):
            value = match.group(0)
            if not bic.is_valid(value):
                continue
            evidence = self._evidence(text, match.start(), match.end(), value)
            if evidence:
                score, why = evidence
                results.append(make_result(self, match.start(), match.end(), score, why))
        return results

    @staticmethod
    def _evidence(text: str, start: int, end: int, value: str) -> Optional[tuple[float, str]]:
        word = find_context(text, start, end, CONTEXT, before=40, adjacent=True)
        if word:
            return 0.95, f"label '{word}'"
        window = text[max(0, start - IBAN_WINDOW) : end + IBAN_WINDOW]
        for match in _BE_IBAN.finditer(window):
            compact = match.group(0).replace(" ", "")
            try:
                if be_iban.is_valid(compact) and (be_iban.to_bic(compact) or "")[:8] == value[:8]:
                    return 0.9, "bank of a nearby IBAN"
            except Exception:  # noqa: BLE001 - stdnum raises several types for odd input
                continue
        if value[:8] in belgian_bics() or value in belgian_bics():
            return 0.7, "Belgian bank code"
        return None
