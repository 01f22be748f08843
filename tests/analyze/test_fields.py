"""Typed fields against detections: the sorted sweep gives what comparing every field with every detection gives."""

from __future__ import annotations

import random

import pytest

from scanner.analyze import fields
from scanner.analyze.engine import Detection
from scanner.analyze.fields import _overlapping, with_schema_fields
from scanner.extract import Field, Page

TYPES = ["IBAN_CODE", "PHONE_NUMBER", "ADDRESS"]


def random_case(rng: random.Random):
    """A page of non-overlapping fields (some typed) and detections anywhere, overlapping or not."""
    length = 200
    found, position = [], 0
    while True:
        start = position + rng.randrange(0, 6)
        end = start + rng.randrange(1, 15)
        if end > length:
            break
        found.append(Field(start, end, f"$.v{start}", rng.choice(TYPES + [None, None])))
        position = end
    detections = []
    for _ in range(rng.randrange(0, 30)):
        start = rng.randrange(0, length - 1)
        detections.append(Detection(rng.choice(TYPES), start, min(length, start + rng.randrange(1, 25)),
                                    rng.choice([0.5, 0.6, 0.9]), "r", "fr"))
    detections.sort(key=lambda d: (d.start, d.end))
    return Page("x" * length, fields=found), detections


def test_sweep_matches_every_field_against_every_detection(monkeypatch):
    monkeypatch.setattr(fields, "_VALID", {})  # every value valid: the test is about spans
    rng = random.Random(7)
    for _ in range(3000):
        page, detections = random_case(rng)
        wanted = rng.choice([None, TYPES[:2]])
        typed = [f for f in page.fields if f.entity and (wanted is None or f.entity in wanted)]
        expected = _overlapping(typed, detections, "fr") if typed else detections
        assert with_schema_fields(page, detections, wanted, "fr") == expected


@pytest.mark.parametrize("nested", [False, True])
def test_schema_fields(nested):
    text = "Adres: Rue de la Loi 16, 1000 Bruxelles\tTel: 1000\n"
    address = Field(7, 39, "$.adres", "ADDRESS")
    street = Field(7, 23, "$.adres.street")  # an XML address element holds its parts' fields
    phone = Field(45, 49, "$.tel", "PHONE_NUMBER")
    page = Page(text, fields=[address, street, phone] if nested else [address, phone])
    detections = [Detection("ADDRESS", 7, 23, 0.65, "AddressRecognizer", "fr"),
                  Detection("PHONE_NUMBER", 25, 29, 0.75, "PhoneNumberRecognizer", "fr")]
    result = with_schema_fields(page, detections, None, "fr")
    assert [(d.entity_type, d.start, d.end, d.recognizer) for d in result] == [
        ("ADDRESS", 7, 39, "AddressRecognizer"),  # widened to the value; the postcode is no phone number
        ("PHONE_NUMBER", 45, 49, "SchemaField"),
    ]
