"""A redacted text file never holds a value that was detected in the original.

Texts are drawn from real-looking personal data (names with titles, e-mail addresses, Belgian
phone numbers, national numbers, IBANs, enterprise numbers, addresses) and French or Dutch filler,
and redacted as ``piiscan redact letter.txt`` does (``scanner.redact.document.redact_bytes``: the
findings, every other occurrence of their values, then verification), with each operator.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.redact.document import MIN_SUBSTRING, redact_bytes
from tests.property import examples
from tests.property.test_identifiers import DUTCH, FRENCH, belgian_ibans, enterprise_numbers, national_numbers

GIVEN = ("Jan", "Anne", "Pieter", "Sofie", "Marie-Claire", "Mehdi", "Els", "Olivier", "Chloé", "Koen")
FAMILY = ("Peeters", "Dupont", "Janssens", "De Smet", "Lambert", "El Amrani", "Van Damme", "Leclercq", "Maes")
TITLES = ("Monsieur", "Madame", "M.", "Mme", "De heer", "Mevrouw", "Dhr.", "Mevr.")
STREETS = ("Rue de la Loi", "Kerkstraat", "Avenue Louise", "Stationsstraat", "Chaussée de Wavre", "Molenstraat")
TOWNS = ("1000 Bruxelles", "9000 Gent", "2000 Antwerpen", "4000 Liège", "3000 Leuven", "5000 Namur")


@st.composite
def person(draw) -> str:
    return f"{draw(st.sampled_from(TITLES))} {draw(st.sampled_from(GIVEN))} {draw(st.sampled_from(FAMILY))}"


@st.composite
def email(draw) -> str:
    given_name = draw(st.sampled_from(GIVEN)).lower().replace("é", "e")
    family = draw(st.sampled_from(FAMILY)).lower().replace(" ", "")
    return f"{given_name}.{family}@{draw(st.sampled_from(('example.be', 'telenet.be', 'skynet.be')))}"


@st.composite
def phone(draw) -> str:
    digits = f"{draw(st.sampled_from('789'))}{draw(st.integers(0, 9_999_999)):07d}"
    local = f"04{digits[0]}{digits[1]} {digits[2:4]} {digits[4:6]} {digits[6:8]}"
    return draw(st.sampled_from((local, "+32 " + local[1:])))


@st.composite
def address(draw) -> str:
    return f"{draw(st.sampled_from(STREETS))} {draw(st.integers(1, 250))}, {draw(st.sampled_from(TOWNS))}"


def labelled(label: str, strategy):
    return strategy.map(lambda value: f"{label} {value}")


PIECES = st.one_of(
    person(), labelled("E-mail :", email()), labelled("Tél. :", phone()), labelled("Tel.:", phone()),
    labelled("NN", national_numbers().map(lambda n: f"{n[0:2]}.{n[2:4]}.{n[4:6]}-{n[6:9]}.{n[9:11]}")),
    labelled("rijksregisternummer", national_numbers()),
    labelled("IBAN", belgian_ibans().map(lambda n: " ".join(n[i:i + 4] for i in range(0, len(n), 4)))),
    labelled("TVA BE", enterprise_numbers().map(lambda n: f"{n[0:4]}.{n[4:7]}.{n[7:10]}")),
    labelled("Adresse :", address()),
)


@st.composite
def letters(draw) -> str:
    words = draw(st.sampled_from((FRENCH, DUTCH)))
    filler = st.lists(st.sampled_from(words), min_size=1, max_size=10).map(lambda w: " ".join(w) + ".")
    parts = draw(st.lists(st.one_of(PIECES, PIECES, filler), min_size=1, max_size=8))
    return "".join(part + draw(st.sampled_from((" ", "\n", ", ", "\n\n"))) for part in parts)


@given(text=letters(), operator=st.sampled_from(("replace", "mask", "redact", "hash")))
@settings(max_examples=examples(25))
def test_redacted_text_holds_no_detected_value(scanner, text, operator):
    data = text.encode("utf-8")
    analysed = scanner.analyse(data, "letter.txt")
    page = analysed.extracted.pages[0]
    values = {page.text[d.start:d.end] for d in analysed.detections[0]}
    output, _summary = redact_bytes(scanner, data, "letter.txt", operator)
    redacted = output.decode("utf-8")
    leaked = sorted(v for v in values if len(v.strip()) >= MIN_SUBSTRING and v in redacted)
    assert not leaked, f"{leaked} still in {redacted!r}"
