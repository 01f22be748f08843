"""Choose the extractor for a file: by content first, the name only as a hint."""

from __future__ import annotations

from pathlib import PurePath

from scanner.errors import UnsupportedFormat
from scanner.extract import Extracted
from scanner.extract.text import HTML_SUFFIXES, PLAIN_SUFFIXES, extract_text

# Formats other extractors will handle; until then a clear error, never a crash.
_MAGIC = {
    b"%PDF": "PDF", b"PK\x03\x04": "ZIP/Office", b"\x89PNG": "PNG", b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF", b"II*\x00": "TIFF", b"MM\x00*": "TIFF", b"\xd0\xcf\x11\xe0": "OLE (Outlook .msg / old Office)",
    b"\x1f\x8b": "gzip",
}


def extract(data: bytes, name: str) -> Extracted:
    for magic, label in _MAGIC.items():
        if data.startswith(magic):
            raise UnsupportedFormat(f"{label} files are not supported yet")
    suffix = PurePath(name).suffix.lower()
    if suffix in PLAIN_SUFFIXES or suffix in HTML_SUFFIXES or suffix == "" or name == "-":
        return extract_text(data, name)
    # Unknown name: scan it if it is text, refuse it otherwise.
    try:
        return extract_text(data, name)
    except Exception as exc:  # noqa: BLE001 - any failure here means "not a format we read"
        raise UnsupportedFormat(f"'{suffix}' files are not supported") from exc
