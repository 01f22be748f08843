"""Build text with exact annotations: the core of the sample-document generator.

A document is a sequence of pieces appended to a string. A value that must be
annotated is appended as a `Tag`, so its offsets are known when it is written:

    >>> p = fill("Nom : {name}\\nIBAN : {iban}\\n",
    ...          name=Tag("PERSON", "Jean Dupont"), iban="(voir annexe)")
    >>> p.text
    'Nom : Jean Dupont\\nIBAN : (voir annexe)\\n'
    >>> p.spans
    [Span(start=6, end=17, label='PERSON', decoy=False, lang=None)]

Templates use `{field}` placeholders (str.format syntax, `{{`/`}}` for braces)
and may mark constant decoys inline as `[[KIND:text]]`, e.g.
`"[[BIC_WORD:TELEFOON]] : {phone}"`.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, replace

from validation import check_decoy, check_entity

ENTITY_TYPES = (
    "BE_NATIONAL_NUMBER", "BE_ENTERPRISE_NUMBER", "BE_ID_CARD_NUMBER",
    "IBAN_CODE", "BIC_CODE", "CREDIT_CARD", "EMAIL_ADDRESS", "PHONE_NUMBER",
    "IP_ADDRESS", "PERSON", "ADDRESS", "DATE_OF_BIRTH", "PASSWORD", "MRZ",
)
DECOY_KINDS = (
    "OGM", "INVOICE_NUMBER", "ORDER_NUMBER", "CUSTOMER_NUMBER", "FILE_NUMBER",
    "AMOUNT", "DATE", "BIC_WORD", "BAD_CHECKSUM", "POSTCODE_ALONE",
)

_INLINE = re.compile(r"\[\[([A-Z_]+):(.+?)\]\]", re.S)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str       # an entity type or a decoy kind
    decoy: bool
    lang: str | None  # None: the document's language


@dataclass(frozen=True)
class Tag:
    """A value to append and annotate (entity, or decoy when `label` is a decoy kind)."""
    label: str
    value: str

    def __post_init__(self):
        if self.label not in ENTITY_TYPES + DECOY_KINDS:
            raise ValueError(f"unknown label {self.label!r}")
        if not self.value or self.value != self.value.strip():
            raise ValueError(f"empty or padded value {self.value!r}")
        if self.label in ENTITY_TYPES:
            check_entity(self.label, self.value)
        else:
            check_decoy(self.label, self.value)

    @property
    def decoy(self) -> bool:
        return self.label in DECOY_KINDS


class Piece:
    """Text under construction plus the spans annotated in it."""

    def __init__(self):
        self._parts: list[str] = []
        self._len = 0
        self.spans: list[Span] = []

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def __len__(self) -> int:
        return self._len

    def add(self, item, lang: str | None = None) -> "Piece":
        """Append a str (plain text), a Tag or another Piece.

        `lang` marks the language of the spans added (for bilingual documents).
        """
        if isinstance(item, str):
            self._push(item)
        elif isinstance(item, Tag):
            self.spans.append(Span(self._len, self._len + len(item.value),
                                   item.label, item.decoy, lang))
            self._push(item.value)
        elif isinstance(item, Piece):
            for s in item.spans:
                self.spans.append(replace(s, start=s.start + self._len,
                                          end=s.end + self._len,
                                          lang=s.lang or lang))
            self._push(item.text)
        else:
            raise TypeError(f"cannot append {type(item).__name__}: {item!r}")
        return self

    def _push(self, s: str) -> None:
        self._parts.append(s)
        self._len += len(s)


def fill(template: str, **values) -> Piece:
    """Expand `template`; every placeholder must have a value (extra values are ignored)."""
    piece = Piece()
    for literal, field, spec, conv in string.Formatter().parse(template):
        if spec or conv:
            raise ValueError(f"format specs are not supported: {field}:{spec}")
        chunks = _INLINE.split(literal)
        for i, chunk in enumerate(chunks):
            if i % 3 == 0:
                piece.add(chunk)
            elif i % 3 == 1:
                piece.add(Tag(chunk, chunks[i + 1]))
        if field is not None:
            if field not in values:
                raise KeyError(f"template needs {{{field}}}")
            piece.add(values[field])
    return piece


def join(items, sep: str = "") -> Piece:
    """Concatenate strs, Tags and Pieces with a separator."""
    piece = Piece()
    for i, item in enumerate(items):
        if i:
            piece.add(sep)
        piece.add(item)
    return piece
