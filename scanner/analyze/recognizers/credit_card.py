"""Payment card numbers (CREDIT_CARD): Presidio's recognizer (regex + Luhn), our context words."""

from __future__ import annotations

from presidio_analyzer.predefined_recognizers import CreditCardRecognizer as PresidioCreditCardRecognizer

CONTEXT = [
    "carte", "carte de crédit", "carte bancaire", "visa", "mastercard", "maestro", "amex",
    "kredietkaart", "bankkaart", "kaart", "kreditkarte", "karte", "credit card", "card",
]


class PaymentCardRecognizer(PresidioCreditCardRecognizer):
    def __init__(self, supported_language: str = "fr"):
        super().__init__(context=CONTEXT, supported_language=supported_language, name="PaymentCardRecognizer")
