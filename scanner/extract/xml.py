"""XML documents (placeholder: read as text until the e-invoice reader lands)."""

from __future__ import annotations

from scanner.extract import Extracted, Limits
from scanner.extract.text import extract_text


def extract_xml(data: bytes, name: str, limits: Limits) -> Extracted:
    return extract_text(data, name)
