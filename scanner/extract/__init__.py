"""Extraction stage: bytes in, pages of text out. Knows nothing of recognizers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional


@dataclass
class Page:
    text: str
    number: Optional[int] = 1
    source: str = "text"
    size: Optional[tuple[int, int]] = None


@dataclass
class Extracted:
    """A document as the analyzer sees it; ``kind`` says which writer can redact it."""

    pages: List[Page]
    kind: str
    encoding: Optional[str] = None
    extra: dict = field(default_factory=dict)
