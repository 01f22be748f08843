"""A finding's ``location`` names where a value sits; it never carries personal data itself."""

from __future__ import annotations

import json

from scanner.records import Finding

KEYED = {"contacts": {"jan.peeters@example.be": {"iban": "BE71096123456769", "note": "client"},
                      "85073003328": {"iban": "BE62510007547061"}}}


def test_a_key_that_is_personal_data_is_reported_and_kept_out_of_locations(scanner):
    records = [r for r in scanner.scan_data(json.dumps(KEYED).encode(), "export.json") if isinstance(r, Finding)]
    by_type = {}
    for record in records:
        by_type.setdefault(record.entity_type, []).append(record)
    assert "EMAIL_ADDRESS" in by_type  # the key itself is found
    assert len(by_type["IBAN_CODE"]) == 2
    locations = [r.location for r in records if r.location]
    assert locations and all("@" not in loc and "85073003328" not in loc and "jan" not in loc for loc in locations)
    assert "$.contacts['…'].iban" in locations
