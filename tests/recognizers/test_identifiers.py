"""Belgian identifiers: OCR noise, separators, decoys (one section per recognizer)."""

from __future__ import annotations

import pytest

from tests.conftest import found


# --- BE_NATIONAL_NUMBER (scanner/analyze/recognizers/national_number.py) ------------------
@pytest.mark.parametrize("value", [
    "85.07.30-033.28", "85073003328", "85 07 30 033 28", "850730-033-28",
    "85..07.30--033.28",        # separators doubled by OCR
    "85.O7.3O-033.28",          # O read for 0, confirmed by the checksum
    "00.01.01-001.05",          # born in 2000 or later: 2YYMMDDSSS is checked
    "98.47.28-997.65",          # BIS number (month + 40)
])
def test_national_number_forms(analyzer, value):
    assert found(analyzer, f"NN : {value}.", "BE_NATIONAL_NUMBER") == [value]


@pytest.mark.parametrize("text", [
    "Référence interne 85073003329",       # checksum fails
    "Numéro 12345678901",
    "Facture 2026-00451 du 12/03/2026",
    "Montant : 1.234.567.890,00 EUR",
])
def test_national_number_decoys(analyzer, text):
    assert found(analyzer, text, "BE_NATIONAL_NUMBER") == []


def test_national_number_label_raises_the_score(analyzer):
    bare = [d.score for d in analyzer.analyze("Dossier 85073003328") if d.entity_type == "BE_NATIONAL_NUMBER"]
    labelled = [d.score for d in analyzer.analyze("Rijksregisternummer 85073003328")
                if d.entity_type == "BE_NATIONAL_NUMBER"]
    assert bare and labelled and labelled[0] > bare[0]


# --- BE_ENTERPRISE_NUMBER ---------------------------------------------------------------
@pytest.mark.parametrize("value", ["0652.750.315", "BE0652750315", "BE 0652.750.315", "BE 0652 750 315"])
def test_enterprise_number_forms(analyzer, value):
    assert found(analyzer, f"Société X, {value}, Bruxelles", "BE_ENTERPRISE_NUMBER") == [value]


def test_enterprise_number_needs_a_label_when_run_together(analyzer):
    assert found(analyzer, "Contrat 0652750315", "BE_ENTERPRISE_NUMBER") == []
    assert found(analyzer, "KBO 0652750315", "BE_ENTERPRISE_NUMBER") == ["0652750315"]


# --- BE_ID_CARD_NUMBER ---------------------------------------------------------------------
def test_id_card_number_and_payment_reference(analyzer):
    assert found(analyzer, "eID 591-1917064-58", "BE_ID_CARD_NUMBER") == ["591-1917064-58"]
    # Same mod-97 check: a bare 12-digit number is a payment reference unless an ID label says otherwise.
    assert found(analyzer, "Communication structurée 591191706458", "BE_ID_CARD_NUMBER") == []
    assert found(analyzer, "+++591/1917/06458+++", "BE_ID_CARD_NUMBER") == []
    assert found(analyzer, "Kaartnummer: 591191706458", "BE_ID_CARD_NUMBER") == ["591191706458"]


# --- IBAN_CODE ---------------------------------------------------------------------------------
@pytest.mark.parametrize("value", [
    "BE71 0961 2345 6769", "BE71096123456769", "FR76 3000 6000 0112 3456 7890 189",
    "NL91 ABNA 0417 1643 00", "DE89 3704 0044 0532 0130 00", "LU28 0019 4006 4475 0000",
    "BE71 O961 2345 6769",  # OCR: O for 0
])
def test_iban_forms(analyzer, value):
    assert found(analyzer, f"Rekening {value} op naam van", "IBAN_CODE") == [value]


def test_iban_does_not_swallow_a_following_number(analyzer):
    assert found(analyzer, "IBAN BE71 0961 2345 6769 1234 ref", "IBAN_CODE") == ["BE71 0961 2345 6769"]


def test_iban_checksum_failure(analyzer):
    assert found(analyzer, "IBAN BE71 0961 2345 6768", "IBAN_CODE") == []


# --- BIC_CODE --------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,expected", [
    ("BIC : GEBABEBB", ["GEBABEBB"]),
    ("SWIFT/BIC DEUTDEFF500", ["DEUTDEFF500"]),
    ("IBAN BE71 0961 2345 6769 GKCCBEBB", ["GKCCBEBB"]),  # the IBAN's bank
    ("Votre banque KREDBEBB", ["KREDBEBB"]),                # a Belgian bank code
    ("DEUTDEFF", []),                                       # foreign, no label
    ("BRUSSELS BUSINESS CENTER", []),
    ("BIC GEBABEBB - BRUSSELS OFFICE", ["GEBABEBB"]),
])
def test_bic_evidence(analyzer, text, expected):
    assert found(analyzer, text, "BIC_CODE") == expected


# --- MRZ ------------------------------------------------------------------------------------------
def td1(number: str = "85073003328") -> str:
    """A Belgian TD1 MRZ with its check digits, the national number in optional data 2."""
    from scanner.analyze.recognizers.mrz import check_digit

    doc = "591191706"
    line1 = f"IDBEL{doc}{check_digit(doc)}458<<<<<<<<<<<<"[:30]
    birth, expiry = "850730", "300101"
    body = f"{birth}{check_digit(birth)}M{expiry}{check_digit(expiry)}BEL{number}"
    composite = check_digit(line1[5:30] + body[0:7] + body[8:15] + body[18:29])
    line2 = (body + "<" * 30)[:29] + composite
    line3 = "DUPONT<<JEAN<PIERRE".ljust(30, "<")
    return f"{line1}\n{line2}\n{line3}\n"


def test_mrz_block_and_national_number_inside(analyzer):
    text = "Copie de la carte :\n" + td1()
    detections = {(d.entity_type, text[d.start:d.end]) for d in analyzer.analyze(text)}
    assert ("BE_NATIONAL_NUMBER", "85073003328") in detections
    assert any(kind == "MRZ" and value.startswith("IDBEL") for kind, value in detections)


def test_masked_mrz_number_is_not_reported(analyzer):
    text = "Copie :\n" + td1("<<<<<<<<<<<")
    detections = {d.entity_type for d in analyzer.analyze(text)}
    assert "MRZ" in detections and "BE_NATIONAL_NUMBER" not in detections
