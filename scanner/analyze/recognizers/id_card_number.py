"""Belgian identity-card (eID) number (BE_ID_CARD_NUMBER).

12 digits printed ``592-1234567-89``: the last two equal the first ten mod 97
(python-stdnum's ``stdnum.be.eid``). A structured payment reference has the
same check, so the bare 12-digit form counts only next to an ID-card label,
and never inside ``+++…+++`` or after "communication structurée".

>>> r = IdCardNumberRecognizer()
>>> [text[x.start:x.end] for text in ["carte 591-1917064-58"] for x in r.analyze(text, [])]
['591-1917064-58']
"""

from __future__ import annotations

from stdnum.be import eid

from scanner.analyze.context import find_context
from scanner.analyze.recognizers.base import D, SEP, ChecksumRecognizer, Shape, digits_only

CONTEXT = [
    # fr
    "carte d'identité", "carte d'identite", "numéro de carte", "n° de carte", "carte eid", "eid",
    "carte de séjour", "titre de séjour",
    # nl
    "identiteitskaart", "kaartnummer", "nummer identiteitskaart", "eid-kaart", "verblijfskaart", "kids-id",
    # de
    "personalausweis", "ausweisnummer", "kartennummer", "identitätskarte", "aufenthaltskarte",
    # en
    "identity card", "id card", "card number", "id number", "residence card",
]

PAYMENT_REFERENCE_WORDS = [
    "communication structurée", "communication", "gestructureerde mededeling", "mededeling",
    "structured communication", "strukturierte mitteilung", "ogm", "vcs", "référence de paiement",
    "betalingsreferentie", "payment reference", "zahlungsreferenz",
]


class IdCardNumberRecognizer(ChecksumRecognizer):
    ENTITY = "BE_ID_CARD_NUMBER"
    CONTEXT = CONTEXT
    SHAPES = (
        Shape("card form", rf"(?<![\w.\-/+*]){D}{{3}}[ .\-]{{1,2}}{D}{{7}}[ .\-]{{1,2}}{D}{{2}}(?![\w]|[.\-/]\d)", strong=True),
        Shape("labelled", rf"(?<![\w.\-/+*]){D}{{3}}{SEP}{D}{{7}}{SEP}{D}{{2}}(?![\w]|[.\-/]\d)", strong=False),
    )
    SCORE = 0.85
    MIN_REAL_DIGITS = 10

    def validate(self, value: str) -> bool:
        digits = digits_only(value)
        return len(digits) == 12 and eid.is_valid(digits)

    def is_decoy(self, text: str, start: int, end: int) -> bool:
        if super().is_decoy(text, start, end):
            return True
        return find_context(text, start, end, PAYMENT_REFERENCE_WORDS, before=40) is not None
