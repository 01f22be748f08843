"""Every valid public test vector is found inside a sentence in each language; no invalid one is."""

from __future__ import annotations

import pytest

from tests.conftest import found, vectors
from tests.recognizers.sentences import LABELS, PAYMENT_REFERENCE

LANGUAGES = ["fr", "nl", "en", "de"]
CASES = [
    ("BE_NATIONAL_NUMBER", "be_nn_valid.txt", "be_nn_bis_invalid.txt"),
    ("BE_NATIONAL_NUMBER", "be_bis_valid.txt", None),
    ("BE_ENTERPRISE_NUMBER", "be_vat_valid.txt", "be_vat_invalid.txt"),
    ("BE_ID_CARD_NUMBER", "be_eid_valid.txt", "be_eid_invalid.txt"),
    ("IBAN_CODE", "be_iban_valid.txt", "be_iban_invalid.txt"),
    ("BIC_CODE", "bic_valid.txt", "bic_invalid.txt"),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("entity,valid,invalid", CASES)
def test_valid_vectors_are_found_in_a_sentence(analyzer, entity, valid, invalid, language):
    missed = []
    for value in vectors(valid):
        text = LABELS[entity][language].format(v=value)
        if value not in found(analyzer, text, entity):
            missed.append(value)
    assert not missed, f"{entity} not found in {language}: {missed}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("entity,valid,invalid", [c for c in CASES if c[2]])
def test_invalid_vectors_are_not_reported(analyzer, entity, valid, invalid, language):
    wrong = []
    for value in vectors(invalid):
        text = LABELS[entity][language].format(v=value)
        if found(analyzer, text, entity):
            wrong.append(value)
    assert not wrong, f"invalid {entity} reported in {language}: {wrong}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_structured_payment_references_stay_quiet(analyzer, language):
    for value in vectors("be_ogm_vcs_valid.txt") + vectors("be_ogm_vcs_invalid.txt"):
        text = PAYMENT_REFERENCE[language].format(v=value)
        reported = [(d.entity_type, text[d.start:d.end]) for d in analyzer.analyze(text)]
        assert not [r for r in reported if any(ch.isdigit() for ch in r[1])], (value, reported)


def test_valid_numbers_are_found_without_a_label(analyzer):
    for value in ["85.07.30-033.28", "85073003328"]:
        assert found(analyzer, f"Référence du dossier client : {value}", "BE_NATIONAL_NUMBER") == [value]


def test_bic_shaped_words_need_evidence(analyzer):
    text = "BRUSSELS BUSINESS CENTER - MONSIEUR DOCUMENT RECHNUNG TELEFOON PAIEMENT"
    assert found(analyzer, text, "BIC_CODE") == []


def test_bic_found_next_to_its_iban(analyzer):
    text = "Compte : BE71 0961 2345 6769  GKCCBEBB"
    assert found(analyzer, text, "BIC_CODE") == ["GKCCBEBB"]
