"""Pixel redaction: a born-digital PDF's redacted values are gone for pdftotext and for a fresh scan."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from scanner.redact.document import redact_bytes
from tests.conftest import SAMPLES


def _truth(file: str) -> list[dict]:
    lines = (SAMPLES / "documents_truth.jsonl").read_text(encoding="utf-8").splitlines()
    return [t for t in map(json.loads, lines) if t["file"] == file and t.get("entity_type") not in (None, "FACE")]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is installed by make")
def test_born_digital_pdf(scanner, tmp_path):
    name = "pdf/fr_invoice_02.pdf"
    values = [t["value"] for t in _truth(name) if t.get("source") is None]
    assert len(values) > 5
    original = subprocess.run(["pdftotext", str(SAMPLES / name), "-"], capture_output=True, text=True).stdout
    assert all(v in original for v in values[:3])  # the test can fail: pdftotext does see them before
    output, summary = redact_bytes(scanner, (SAMPLES / name).read_bytes(), name, "replace")
    target = tmp_path / "out.pdf"
    target.write_bytes(output)
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True).stdout
    assert text.strip() == ""  # no text layer at all
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True).stdout
    assert "Title:" not in info or "Facture" not in info
    detached = subprocess.run(["pdfdetach", "-list", str(target)], capture_output=True, text=True).stdout
    assert "0 embedded files" in detached
    rescan = [r for r in scanner.scan_bytes(output, "out.pdf") if r.kind == "finding" and r.entity_type != "FACE"]
    assert rescan == [], [(r.entity_type, r.text_masked) for r in rescan]


def test_image_redaction_keeps_format_and_drops_metadata(scanner):
    import io

    from PIL import Image

    name = "scans/de_letter_01.jpg"
    output, summary = redact_bytes(scanner, (SAMPLES / name).read_bytes(), name, "replace")
    image = Image.open(io.BytesIO(output))
    assert image.format == "JPEG" and not image.info.get("exif") and summary["findings"] >= 5
