"""Any checksum-valid Belgian identifier, written any way its recognizer says it accepts, is found.

Numbers are drawn at random and made valid with the rules of ../shared/docs/belgian-identifiers.md
(checked with python-stdnum); separators are drawn per gap from those the recognizers' docstrings
and tests/recognizers/test_identifiers.py claim; the number stands in a French or Dutch sentence,
with or without a label. The analyzer must report exactly the number's span with its type.

Forms a reader writes without thinking of it (non-breaking spaces, an en dash, two spaces between the
groups of an IBAN) are in ``UNUSUAL_SPACING``: the property tests found them missed (issue 7).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum import iban as stdnum_iban
from stdnum.be import bis, nn, vat
from stdnum.be import iban as stdnum_be_iban

from tests.property import examples

FRENCH = ("Madame", "Monsieur", "concernant", "votre", "dossier", "la", "facture", "reste", "impayée", "merci",
          "de", "régulariser", "avant", "fin", "du", "mois", "cordialement", "voici", "le", "document", "suite",
          "à", "notre", "entretien", "téléphonique")
DUTCH = ("Geachte", "heer", "mevrouw", "uw", "dossier", "betreffende", "de", "factuur", "blijft", "onbetaald",
         "gelieve", "het", "bedrag", "te", "storten", "voor", "einde", "van", "maand", "met", "vriendelijke",
         "groeten", "hierbij", "ons", "gesprek")
LABELS = {
    "BE_NATIONAL_NUMBER": ("numéro de registre national", "numéro national :", "n° national", "NN", "NISS :",
                           "rijksregisternummer", "INSZ", "nationaal nummer:"),
    "BE_ENTERPRISE_NUMBER": ("TVA", "n° TVA :", "numéro d'entreprise", "BCE", "BTW", "ondernemingsnummer",
                             "KBO:", "BTW-nummer"),
    "IBAN_CODE": ("IBAN", "IBAN :", "compte", "numéro de compte", "rekeningnummer", "op rekening"),
}


@st.composite
def sentence(draw, value: str, entity: str, labelled=None) -> tuple:
    """(text, start, end): ``value`` inside French or Dutch words, perhaps after a label."""
    words = draw(st.sampled_from((FRENCH, DUTCH)))
    before = draw(st.lists(st.sampled_from(words), max_size=6))
    after = draw(st.lists(st.sampled_from(words), max_size=6))
    if labelled is None:
        labelled = draw(st.booleans())
    if labelled:
        before.append(draw(st.sampled_from(LABELS[entity])))
    head = " ".join(before) + (draw(st.sampled_from([" ", "\n", " : ", " ("])) if before else "")
    tail = draw(st.sampled_from(["", ".", ",", ";", ")", " "])) + (" " + " ".join(after) if after else "")
    return head + value + tail, len(head), len(head) + len(value)


def found_exactly(analyzer, text: str, start: int, end: int, entity: str) -> bool:
    return any((d.start, d.end, d.entity_type) == (start, end, entity) for d in analyzer.analyze(text))


def report(analyzer, text: str) -> str:
    return repr(text) + " -> " + repr([(d.entity_type, text[d.start:d.end]) for d in analyzer.analyze(text)])


# --- BE_NATIONAL_NUMBER ----------------------------------------------------------------------------
@st.composite
def national_numbers(draw) -> str:
    """11 digits YYMMDDSSSCC that pass stdnum.be.nn or stdnum.be.bis (BIS: month + 20 or + 40)."""
    birth = draw(st.dates(dt.date(1920, 1, 1), dt.date(2024, 12, 31)))
    serial = draw(st.integers(1, 998))
    shift = draw(st.sampled_from([0, 0, 0, 20, 40]))
    base = f"{birth:%y}{birth.month + shift:02d}{birth:%d}{serial:03d}"
    checked = int(("2" + base) if birth.year >= 2000 else base)
    number = base + f"{97 - checked % 97:02d}"
    assume(nn.is_valid(number) or bis.is_valid(number))
    return number


# national_number.py: "85.07.30-033.28", "85073003328", "85 07 30 033 28", "850730-033-28"; SEP is
# [ .\-/]{0,2} (a separator doubled by OCR).
NN_SEPARATORS = ("", "", " ", ".", "-", "/", "  ", "..")


@st.composite
def written_national_numbers(draw) -> str:
    digits = draw(national_numbers())
    groups = (digits[0:2], digits[2:4], digits[4:6], digits[6:9], digits[9:11])
    out = groups[0]
    for group in groups[1:]:
        out += draw(st.sampled_from(NN_SEPARATORS)) + group
    return out


@settings(max_examples=examples(80))
@given(data=st.data())
def test_national_number_in_any_spacing_is_found(analyzer, data):
    value = data.draw(written_national_numbers(), label="value")
    text, start, end = data.draw(sentence(value, "BE_NATIONAL_NUMBER"), label="text")
    assert found_exactly(analyzer, text, start, end, "BE_NATIONAL_NUMBER"), report(analyzer, text)


# --- BE_ENTERPRISE_NUMBER ------------------------------------------------------------------------
@st.composite
def enterprise_numbers(draw) -> str:
    """10 digits starting with 0 or 1 (1-numbers since 2023) that pass stdnum.be.vat."""
    first8 = draw(st.sampled_from("01")) + f"{draw(st.integers(0, 9_999_999)):07d}"
    assume(int(first8) > 0)
    number = first8 + f"{97 - int(first8) % 97:02d}"
    assume(vat.is_valid(number))
    return number


def body(draw, digits: str, separators) -> str:
    """0652.750.315, 0652 750 315, 0652750315, 0.652.750.315: a separator per gap (or none)."""
    head = digits[0] + draw(st.sampled_from(("",) * 4 + tuple(separators))) if len(digits) == 10 else ""
    rest = digits[-9:]
    return head + rest[0:3] + draw(st.sampled_from(separators)) + rest[3:6] + draw(st.sampled_from(separators)) \
        + rest[6:9]


@given(data=st.data())
@settings(max_examples=examples(60))
def test_enterprise_number_with_the_country_prefix_is_found(analyzer, data):
    """``BE0652750315``, ``BE 0652.750.315``, ``BE 0652 750 315``, ``BE-0652.750.315``: no label needed;
    ``BE 652.750.315`` (the old 9-digit form) too."""
    digits = data.draw(enterprise_numbers(), label="digits")
    if digits[0] == "0" and data.draw(st.booleans(), label="nine digits"):
        digits = digits[1:]
    value = "BE" + data.draw(st.sampled_from(("", "", " ", ".", "-", ": ")), label="after BE") \
        + body(data.draw, digits, ("", " ", ".", "-"))
    text, start, end = data.draw(sentence(value, "BE_ENTERPRISE_NUMBER"), label="text")
    assert found_exactly(analyzer, text, start, end, "BE_ENTERPRISE_NUMBER"), report(analyzer, text)


@given(data=st.data())
@settings(max_examples=examples(40))
def test_dotted_enterprise_number_is_found_without_a_label(analyzer, data):
    digits = data.draw(enterprise_numbers(), label="digits")
    value = f"{digits[0:4]}.{digits[4:7]}.{digits[7:10]}"
    text, start, end = data.draw(sentence(value, "BE_ENTERPRISE_NUMBER", labelled=False), label="text")
    assert found_exactly(analyzer, text, start, end, "BE_ENTERPRISE_NUMBER"), report(analyzer, text)


@given(data=st.data())
@settings(max_examples=examples(40))
def test_enterprise_number_after_a_label_is_found_in_any_spacing(analyzer, data):
    """After TVA / BTW / KBO / ondernemingsnummer ...: spaces, dots, dashes or none."""
    digits = data.draw(enterprise_numbers(), label="digits")
    value = body(data.draw, digits, ("", " ", ".", "-"))
    text, start, end = data.draw(sentence(value, "BE_ENTERPRISE_NUMBER", labelled=True), label="text")
    assert found_exactly(analyzer, text, start, end, "BE_ENTERPRISE_NUMBER"), report(analyzer, text)


# --- IBAN_CODE ----------------------------------------------------------------------------------------
def with_check_digits(country: str, bban: str) -> str:
    rearranged = bban + country + "00"
    number = int("".join(str(int(ch, 36)) for ch in rearranged))
    return f"{country}{98 - number % 97:02d}{bban}"


# Bank codes in use (stdnum.be.iban checks the code against the National Bank's list).
BANK_CODES = [f"{code:03d}" for code in range(1000) if stdnum_be_iban.info(f"BE00{code:03d}0000000000")]


@st.composite
def belgian_ibans(draw) -> str:
    """BEkk + 3-digit bank code + 7 digits + 2 national check digits (first 10 mod 97, 97 for 0)."""
    first10 = draw(st.sampled_from(BANK_CODES)) + f"{draw(st.integers(0, 9_999_999)):07d}"
    national = int(first10) % 97 or 97
    return with_check_digits("BE", f"{first10}{national:02d}")


DIGITS, ALNUM = "0123456789", "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# The BBAN shapes of the IBAN registry (what stdnum.iban checks): (length, characters) per part.
BBANS = {"FR": ((10, DIGITS), (11, ALNUM), (2, DIGITS)), "NL": ((4, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), (10, DIGITS)),
         "DE": ((18, DIGITS),), "LU": ((3, DIGITS), (13, ALNUM))}


@st.composite
def european_ibans(draw) -> str:
    country = draw(st.sampled_from(sorted(BBANS)))
    bban = "".join(draw(st.text(alphabet=chars, min_size=size, max_size=size)) for size, chars in BBANS[country])
    return with_check_digits(country, bban)


@st.composite
def written_ibans(draw) -> str:
    """iban.py: groups of four (one separator kind: space, dash, dot), run together, or ``BE 71 0961 ...``."""
    number = draw(st.one_of(belgian_ibans(), belgian_ibans(), european_ibans()))
    assert stdnum_iban.is_valid(number), number
    separator = draw(st.sampled_from((" ", " ", "", "-", ".")))
    groups = [number[i:i + 4] for i in range(0, len(number), 4)]
    if separator == " " and draw(st.booleans()):
        groups = [number[:2], number[2:4]] + [number[i:i + 4] for i in range(4, len(number), 4)]
    return separator.join(groups)


@given(data=st.data())
@settings(max_examples=examples(80))
def test_iban_in_any_spacing_is_found(analyzer, data):
    value = data.draw(written_ibans(), label="value")
    text, start, end = data.draw(sentence(value, "IBAN_CODE"), label="text")
    assert found_exactly(analyzer, text, start, end, "IBAN_CODE"), report(analyzer, text)


# --- spacing a reader writes without thinking of it ------------------------------------------------------
NBSP, NARROW_NBSP = "\u00a0", "\u202f"
UNUSUAL_SPACING = [
    # A non-breaking space: what Word, LibreOffice and HTML mail (&nbsp;) put between groups of digits,
    # and French typography everywhere (missed until issue 7's property tests found it).
    ("BE_NATIONAL_NUMBER", NBSP.join(["85", "07", "30", "033", "28"])),
    ("BE_NATIONAL_NUMBER", NARROW_NBSP.join(["85", "07", "30", "033", "28"])),
    ("BE_NATIONAL_NUMBER", "85.07.30\u2013033.28"),   # an en dash (word processors' autocorrect)
    ("IBAN_CODE", NBSP.join(["BE71", "0961", "2345", "6769"])),
    # Two spaces between groups: justified text, OCR output.
    ("IBAN_CODE", "  ".join(["BE71", "0961", "2345", "6769"])),
]


@pytest.mark.parametrize("entity,value", UNUSUAL_SPACING, ids=lambda v: repr(v))
def test_unusual_spacing_is_found(analyzer, entity, value):
    text = f"Geachte heer, {LABELS[entity][0]} {value} alstublieft."
    start = text.index(value)
    assert found_exactly(analyzer, text, start, start + len(value), entity), report(analyzer, text)
