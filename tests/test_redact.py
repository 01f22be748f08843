"""Redaction of text formats: the values are gone, the input is untouched, nothing half-written."""

from __future__ import annotations

import hashlib
import json
import subprocess

import pytest

from scanner.redact.document import RedactionLeak, RedactionRefused, redact_bytes, redact_file, verify
from tests.conftest import PIISCAN, SAMPLES


def _truth(file: str) -> list[dict]:
    items = [json.loads(line) for line in (SAMPLES / "ground_truth.jsonl").read_text(encoding="utf-8").splitlines()]
    return [i for i in items if i["file"] == file and "entity_type" in i]


@pytest.mark.parametrize("name", ["text/fr_invoice_01.txt", "text/nl_payment_receipt_01.html",
                                  "text/de_letter_01.txt", "text/fr_letter_01.txt"])
def test_detected_values_are_gone(scanner, name):
    data = (SAMPLES / name).read_bytes()
    output, summary = redact_bytes(scanner, data, name, "replace")
    from scanner.extract.text import decode

    text, _ = decode(output)
    detected = {name_value for name_value in (i["value"] for i in _truth(name))}
    left = [v for v in detected if v in text]
    assert not left, left
    assert summary["findings"] > 5
    # Same encoding as the input (UTF-16 and CP1252 samples included).
    assert decode(output)[1] == decode(data)[1]


@pytest.mark.parametrize("operator", ["mask", "redact", "hash"])
def test_operators(scanner, operator):
    data = "IBAN BE71 0961 2345 6769, Madame Sophie Lambert.\n".encode()
    output, _ = redact_bytes(scanner, data, "a.txt", operator)
    text = output.decode()
    assert "0961" not in text and "Lambert" not in text


def test_input_is_never_modified(scanner, tmp_path):
    source = tmp_path / "letter.txt"
    source.write_bytes((SAMPLES / "text" / "en_letter_01.txt").read_bytes())
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    with pytest.raises(RedactionRefused):
        redact_file(scanner, source, source, "replace")
    result = redact_file(scanner, source, tmp_path / "out" / "letter.txt", "replace")
    assert result["verified"] and hashlib.sha256(source.read_bytes()).hexdigest() == before
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["letter.txt"]


def test_verification_refuses_a_leaking_output(scanner):
    with pytest.raises(RedactionLeak):
        verify(scanner, b"IBAN BE71 0961 2345 6769\n", "a.txt", {("IBAN_CODE", "BE71 0961 2345 6769")})


def test_redact_command(env, tmp_path):
    out = tmp_path / "invoice.html"
    result = subprocess.run(PIISCAN + ["redact", str(SAMPLES / "text" / "en_account_change_01.html"), "-o", str(out)],
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["verified"] and summary["findings"] > 3
    assert out.read_text(encoding="utf-8").count("<") > 5  # still HTML
