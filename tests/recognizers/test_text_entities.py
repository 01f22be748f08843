"""Names, addresses, phones, birth dates, passwords: what must be found and what must not."""

from __future__ import annotations

import pytest

from tests.conftest import found


@pytest.mark.parametrize("text,expected", [
    ("Madame Marie-Claire Van den Broeck habite ici.", ["Marie-Claire Van den Broeck"]),
    ("Geachte heer De Backer,\n", ["De Backer"]),
    ("Sehr geehrte Frau Müller,\n", ["Müller"]),
    ("Dear Ms Clarke,\n", ["Clarke"]),
    ("Herrn\nGünter Wintgens\nLütticher Straße 44\n4700 Eupen\n", ["Günter Wintgens"]),
    ("Naam: Jan Peeters\n", ["Jan Peeters"]),
    ('{"nom": "Lies D\'Hondt"}', ["Lies D'Hondt"]),
    ("Met vriendelijke groeten,\nKoen Vermeulen\n", ["Koen Vermeulen"]),
    ("Titulaire du compte : DUPONT Jean\n", ["DUPONT Jean"]),
])
def test_person_found(analyzer, text, expected):
    assert found(analyzer, text, "PERSON") == expected


@pytest.mark.parametrize("text", [
    "Madame, Monsieur,\nNous vous écrivons au sujet de la facture.",
    "Account holder: Atlas Removals Belgium SRL",
    "Électricité Moreau SRL\nInstallations électriques",
    "To: The Data Protection Officer, Invoice Managers SRL",
    "Cordialement,\nLe service clientèle",
    "Prof. Dr. J.C. Schoutelaan 1",
])
def test_person_not_found(analyzer, text):
    assert found(analyzer, text, "PERSON") == []


@pytest.mark.parametrize("text,expected", [
    ("Rue de la Loi 16, 1000 Bruxelles", "Rue de la Loi 16, 1000 Bruxelles"),
    ("Chaussée de Wavre 1120 bte 4, 1160 Auderghem", "Chaussée de Wavre 1120 bte 4, 1160 Auderghem"),
    ("Zennestraat 32 bus 20\n1000 Brussel", "Zennestraat 32 bus 20\n1000 Brussel"),
    ("Bahnhofstraße 12, 4700 Eupen", "Bahnhofstraße 12, 4700 Eupen"),
    ("NeustraBe 61, 4700 Eupen", "NeustraBe 61, 4700 Eupen"),  # OCR read ß as B
    ("BOULEVARD D'AVROY 38B/2\n4000 LIÈGE", "BOULEVARD D'AVROY 38B/2\n4000 LIÈGE"),
    ("Meir 24/17, 2000 Antwerpen", "Meir 24/17, 2000 Antwerpen"),
    ("16 rue de Rivoli, 75001 Paris", "16 rue de Rivoli, 75001 Paris"),
    ("Postbus 25", "Postbus 25"),
])
def test_address_found(analyzer, text, expected):
    assert found(analyzer, "Adresse : " + text + "\n", "ADDRESS") == [expected]


@pytest.mark.parametrize("text", ["Facture 2024, 1000 Bruxelles", "Article 12 du contrat", "Total 1.234,56 EUR"])
def test_address_not_found(analyzer, text):
    assert found(analyzer, text, "ADDRESS") == []


@pytest.mark.parametrize("value", ["02 512 45 67", "+32 2 512 45 67", "0470 12 34 56", "+32 470 12 34 56",
                                   "0032 470 12 34 56", "04/223.45.67", "+33 6 12 34 56 78", "+49 30 1234567"])
def test_phone_found(analyzer, value):
    assert found(analyzer, f"Contact : {value}.", "PHONE_NUMBER") == [value]


@pytest.mark.parametrize("text", ["Facture 2026-00451 du 03.03.2025", "+++090/9337/55493+++",
                                  "Contrat n° 0794066248", "Référence 0862.745.438"])
def test_phone_decoys(analyzer, text):
    assert found(analyzer, text, "PHONE_NUMBER") == []


def test_foreign_national_format_needs_a_label(analyzer):
    assert found(analyzer, "Contrat 06 12 34 56 78", "PHONE_NUMBER") == []
    assert found(analyzer, "Portable : 06 12 34 56 78", "PHONE_NUMBER") == ["06 12 34 56 78"]


@pytest.mark.parametrize("text,expected", [
    # the label's number is Belgian, found already; the French one after it is still looked for
    ("Tél. 0470123456 / 06 12 34 56 78", ["0470123456", "06 12 34 56 78"]),
    ("debtor.phone: 0475 75 70 90\tdebtor.note: GSM 06 12 34 56 78", ["0475 75 70 90", "06 12 34 56 78"]),
])
def test_foreign_number_after_a_found_one(analyzer, text, expected):
    assert found(analyzer, text, "PHONE_NUMBER") == expected


@pytest.mark.parametrize("text,expected", [
    ("née le 12/03/1985 à Liège", ["12/03/1985"]),
    ("geboren op 3 juni 1990", ["3 juni 1990"]),
    ("Geburtsdatum: 13. Mai 1983", ["13. Mai 1983"]),
    ("Date of birth: March 12, 1985", ["March 12, 1985"]),
    ("Facture du 12/03/2026, échéance 12/04/2026", []),
])
def test_date_of_birth(analyzer, text, expected):
    assert found(analyzer, text, "DATE_OF_BIRTH") == expected


@pytest.mark.parametrize("text,expected", [
    ("Mot de passe : Tr0ub4dor&3.", ["Tr0ub4dor&3"]),
    ("Mot de passe temporaire : Vx7!qTe2#Lm\n", ["Vx7!qTe2#Lm"]),
    ("mijn wachtwoord is Zomer2024!", ["Zomer2024!"]),
    ("Passwort: 'Sonne 123'", ["Sonne 123"]),
    ("PIN 4821", ["4821"]),
    ("Question secrète : ville natale ? Réponse : Hergenrath\n", ["Hergenrath"]),
    ("Het wachtwoord is vervallen.", []),
    ("Mot de passe oublié : https://portal.example.be/reset", []),
])
def test_password(analyzer, text, expected):
    assert found(analyzer, text, "PASSWORD") == expected


def test_email_and_ip(analyzer):
    text = "Écrivez à jean.dupont@skynet.be ; connexion depuis 81.246.12.7 et 2001:db8::1."
    assert found(analyzer, text, "EMAIL_ADDRESS") == ["jean.dupont@skynet.be"]
    assert found(analyzer, text, "IP_ADDRESS") == ["81.246.12.7", "2001:db8::1"]


def test_payment_card(analyzer):
    assert found(analyzer, "Visa 4111 1111 1111 1111", "CREDIT_CARD") == ["4111 1111 1111 1111"]
    assert found(analyzer, "Visa 4111 1111 1111 1112", "CREDIT_CARD") == []
    # Test numbers of the networks (as their documentation gives them) are found ...
    for number in ("5555 5555 5555 4444", "3782 822463 10005", "3056 930902 5904", "6011 1111 1111 1117",
                   "3530 1113 3330 0000", "6759 6498 2643 8453"):
        assert found(analyzer, f"Carte {number}", "CREDIT_CARD") == [number]
    # ... a Luhn-valid number of a length no network issues with its prefix is not (a 13-digit
    # reference starting with 39 on a Dutch invoice of ../shared/realdata).
    assert found(analyzer, "Referentie 3906541086000", "CREDIT_CARD") == []
