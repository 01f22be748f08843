"""Typed records shared by the CLI, the store and the service (interface.md)."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, Field

Source = Literal["text", "pdf-text", "ocr", "vision"]
FACE = "FACE"  # the one entity found in pixels rather than text


class Finding(BaseModel):
    kind: Literal["finding"] = "finding"
    file: str
    member: Optional[str] = None
    page: Optional[int] = None
    # Which part of a document without pages: "metadata", "headers", "comments", "form", ...
    part: Optional[str] = None
    entity_type: str
    score: float
    start: int
    end: int
    bbox: Optional[list[int]] = None
    page_size: Optional[list[int]] = None
    # Structured documents: the element, cell or key that holds the value
    # ("/Invoice/cac:AccountingSupplierParty/cac:Party/cbc:EndpointID", "Debtors!C5", "$[3].iban").
    location: Optional[str] = None
    source: Source = "text"
    recognizer: str
    language: Optional[str] = None
    text_masked: str
    fingerprint: str
    # The raw value: only filled in when the user asked for it (--reveal).
    text: Optional[str] = Field(default=None)


class DocumentRecord(BaseModel):
    kind: Literal["document"] = "document"
    file: str
    member: Optional[str] = None
    pages: int
    language: Optional[str]
    languages: list[str] = []
    ocr: bool = False
    findings: int
    sha256: str
    duration_ms: int


class ErrorRecord(BaseModel):
    kind: Literal["error"] = "error"
    file: str
    member: Optional[str] = None
    error: str
    message: str


class Summary(BaseModel):
    kind: Literal["summary"] = "summary"
    files: int
    documents: int
    findings: int
    errors: int
    by_type: dict[str, int]
    duration_s: float
    # With --db: files not read again (unchanged since the last run), moved, and gone from disk.
    unchanged: int = 0
    moved: int = 0
    deleted: int = 0
