"""Spreadsheets and JSON exports (placeholder until the structured reader lands)."""

from __future__ import annotations

from scanner.errors import UnsupportedFormat
from scanner.extract import Extracted, Limits
from scanner.extract.office import extract_xlsx  # noqa: F401 - dispatched by name
from scanner.extract.text import extract_text


def extract_json(data: bytes, name: str, limits: Limits) -> Extracted:
    return extract_text(data, name)


def extract_ods(data: bytes, name: str, limits: Limits) -> Extracted:
    raise UnsupportedFormat("OpenDocument spreadsheets (.ods) are not supported yet")
