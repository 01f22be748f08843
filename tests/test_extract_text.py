"""Text formats: encodings, binary junk, HTML with its source mapping."""

from __future__ import annotations

import pytest

from scanner.errors import BinaryContent, UnsupportedFormat
from scanner.extract.dispatch import extract
from scanner.extract.text import decode, html_to_text

TEXT = "Chère Madame Müller, votre facture n° 12 — 45,00 €"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_encodings_are_detected(encoding):
    text, _ = decode(TEXT.encode(encoding))
    assert text == TEXT


def test_utf16_without_bom():
    text, used = decode(TEXT.encode("utf-16-le"))
    assert text == TEXT and used == "utf-16-le"


def test_binary_junk_is_refused():
    junk = bytes(range(256)) * 40
    with pytest.raises(BinaryContent):
        extract(junk, "junk.txt")


def test_content_decides_not_the_name():
    from scanner.extract.pdf import CorruptPdf

    with pytest.raises(CorruptPdf):  # a (broken) PDF named .txt is read as a PDF
        extract(b"%PDF-1.7\n...", "invoice.txt")
    with pytest.raises(UnsupportedFormat, match="legacy Office"):
        extract(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old.doc")


def test_html_visible_text_and_source_mapping():
    raw = "<html><head><style>p{}</style></head><body><p>IBAN&nbsp;: <b>BE71 0961</b> 2345 6769</p><script>x=1</script></body></html>"
    text, pieces = html_to_text(raw)
    assert "IBAN\xa0: BE71 0961 2345 6769" in text and "x=1" not in text and "p{}" not in text
    start = text.index("BE71")
    for text_start, text_end, raw_start, raw_end in pieces:
        if text_start <= start < text_end and raw_end - raw_start == text_end - text_start:
            assert raw[raw_start + start - text_start:].startswith("BE71")
