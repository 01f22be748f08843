"""Payment card numbers (CREDIT_CARD): Presidio's recognizer (regex + Luhn), our context words.

French SIRET numbers (14 digits) and some other registry numbers also pass the
Luhn check; a number labelled as one of those is not a card. Presidio's shape
takes any 13 to 19 digits starting with 1, 3, 4, 5 or 6: a number must also
have a length its card network issues for that prefix (``plausible_card``), so
a 13-digit reference starting with 39 (one in ten passes Luhn) is not a card.

>>> [plausible_card(n) for n in ("4111111111111111", "378282246310005", "30569309025904", "3906541086000")]
[True, True, True, False]
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


# (prefixes, lengths) of the networks' numbers (ISO/IEC 7812 issuer ranges, as the networks publish them).
NETWORKS = (
    (("4",), (13, 16, 19)),                                               # Visa
    (tuple(str(p) for p in range(51, 56)) + tuple(str(p) for p in range(2221, 2721)), (16,)),  # Mastercard
    (("34", "37"), (15,)),                                                # American Express
    (("300", "301", "302", "303", "304", "305", "36", "38", "39"), (14, 15, 16, 17, 18, 19)),  # Diners Club
    (tuple(str(p) for p in range(3528, 3590)), (16, 17, 18, 19)),         # JCB
    (("6011", "65") + tuple(str(p) for p in range(644, 650)), (16, 17, 18, 19)),  # Discover
    (("62",), (16, 17, 18, 19)),                                          # UnionPay
    (("50", "56", "57", "58", "6"), tuple(range(12, 20))),                # Maestro (Bancontact cards too)
    (("1",), (15,)),                                                      # UATP
)


def plausible_card(digits: str) -> bool:
    """A card network issues numbers of this length with this prefix."""
    return any(len(digits) in lengths and digits.startswith(prefixes) for prefixes, lengths in NETWORKS)


class PaymentCardRecognizer(PresidioCreditCardRecognizer):
    def __init__(self, supported_language: str = "fr"):
        super().__init__(context=CONTEXT, supported_language=supported_language, name="PaymentCardRecognizer")

    def analyze(self, text: str, entities: List[str], nlp_artifacts: Optional[NlpArtifacts] = None) -> List[RecognizerResult]:
        return [r for r in super().analyze(text, entities, nlp_artifacts)
                if plausible_card("".join(ch for ch in text[r.start:r.end] if ch.isdigit()))
                and not find_context(text, r.start, r.end, REGISTRY_LABELS, before=40)]
