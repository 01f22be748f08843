"""Payment card numbers (CREDIT_CARD): Presidio's recognizer (regex + Luhn), our context words.

French SIRET numbers (14 digits) and some other registry numbers also pass the
Luhn check; a number labelled as one of those is not a card.
"""

from __future__ import annotations

from typing import List, Optional

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import CreditCardRecognizer as PresidioCreditCardRecognizer

from scanner.analyze.context import find_context

CONTEXT = [
    "carte", "carte de crédit", "carte bancaire", "visa", "mastercard", "maestro", "amex",
    "kredietkaart", "bankkaart", "kaart", "kreditkarte", "karte", "credit card", "card",
]
REGISTRY_LABELS = ["siret", "siren", "rcs", "tva", "vat", "btw", "kvk", "mwst", "ust", "gln", "ean", "iln",
                   "schemeid", "identifiant", "registration"]


class PaymentCardRecognizer(PresidioCreditCardRecognizer):
    def __init__(self, supported_language: str = "fr"):
        super().__init__(context=CONTEXT, supported_language=supported_language, name="PaymentCardRecognizer")

    def analyze(self, text: str, entities: List[str], nlp_artifacts: Optional[NlpArtifacts] = None) -> List[RecognizerResult]:
        return [r for r in super().analyze(text, entities, nlp_artifacts)
                if not find_context(text, r.start, r.end, REGISTRY_LABELS, before=40)]
