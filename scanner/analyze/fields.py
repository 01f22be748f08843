"""What a structured document's schema says about its values.

An e-invoice labels its data: ``cac:PayeeFinancialAccount/cbc:ID`` is an
account number, ``cbc:EndpointID schemeID="0208"`` a Belgian enterprise
number, ``cbc:ElectronicMail`` an e-mail address. Extractors of structured
formats give each value a :class:`~scanner.extract.Field` with that entity
type; here the fields complete what the recognizers found:

- a field whose value the recognizers did not report as its type becomes a
  finding of that type (recognizer ``SchemaField``), provided the value passes
  the type's checksum where it has one (a mistyped IBAN in an invoice is not
  reported as an IBAN);
- a detection of another type inside such a field gives way to it (a
  ten-digit enterprise number is not a phone number);
- a detection of the field's type that covers only part of it is widened to
  the whole value (the recognizer saw "Po box 878" of an address element).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace
from typing import Callable, Dict, List, Optional, Sequence

from stdnum import bic, iban
from stdnum.be import bis, nn, vat

from scanner.analyze.engine import Detection
from scanner.extract import NOT_PERSONAL, Field, Page

SCHEMA_SCORE = 0.9
RECOGNIZER = "SchemaField"

_VALID: Dict[str, Optional[Callable[[str], bool]]] = {
    "IBAN_CODE": iban.is_valid,
    "BIC_CODE": bic.is_valid,
    "BE_ENTERPRISE_NUMBER": vat.is_valid,
    # a national register number, or a BIS number (its month + 20 or + 40), as the recognizer takes them
    "BE_NATIONAL_NUMBER": lambda value: nn.is_valid(value) or bis.is_valid(value),
    "PHONE_NUMBER": None,  # no checksum: the header's word for it (and the value's shape, tabular.py)
}


def _valid(entity: str, value: str) -> bool:
    check = _VALID.get(entity)
    return bool(value.strip()) and (check is None or check(value))


def with_schema_fields(page: Page, detections: List[Detection], wanted: Optional[Sequence[str]],
                       language: Optional[str] = None) -> List[Detection]:
    """``detections`` completed and corrected by the page's typed fields (sorted by start)."""
    shields = [f for f in page.fields if f.entity == NOT_PERSONAL]
    if shields:
        detections = [d for d in detections if not any(_inside(d, f) for f in shields)]
    typed = [f for f in page.fields if f.entity and f.entity != NOT_PERSONAL
             and (wanted is None or f.entity in wanted) and _valid(f.entity, page.text[f.start:f.end])]
    if not typed:
        return detections
    typed.sort(key=lambda f: (f.start, f.end))
    if any(b.start < a.end for a, b in zip(typed, typed[1:])):
        return _overlapping(typed, detections, language)  # typed values inside others: our extractors make none
    # Fields do not overlap: a detection can only lie inside the last field starting at or before it,
    # and what is added for a field lies inside it, out of every other field's way.
    starts = [f.start for f in typed]
    kept = []
    for d in detections:
        at = bisect_right(starts, d.start) - 1
        if at < 0 or d.end > typed[at].end or d.entity_type == typed[at].entity:
            kept.append(d)
    order = sorted(range(len(kept)), key=lambda i: kept[i].start)
    dropped, added = set(), []
    active: List[int] = []  # kept detections overlapping the field (in their order in kept)
    following = 0
    for f in typed:
        while following < len(order) and kept[order[following]].start < f.end:
            active.append(order[following])
            following += 1
        active = sorted(i for i in active if kept[i].end > f.start)
        same = [kept[i] for i in active if kept[i].entity_type == f.entity]
        if not same:
            added.append(_schema_detection(f, language))
        elif all(_inside(d, f) for d in same) and (min(d.start for d in same), max(d.end for d in same)) != (
                f.start, f.end):
            # The recognizer saw part of the value ("Po box 878" of a whole address): the finding is the value.
            best = max(same, key=lambda d: d.score)
            dropped.update(i for i in active if kept[i] in same)
            added.append(replace(best, start=f.start, end=f.end))
    kept = [d for i, d in enumerate(kept) if i not in dropped] + added
    return sorted(kept, key=lambda d: (d.start, d.end))


def _overlapping(typed: List[Field], detections: List[Detection], language: Optional[str]) -> List[Detection]:
    """The same for fields that overlap: every field against every detection."""
    kept = [d for d in detections if not any(_inside(d, f) and d.entity_type != f.entity for f in typed)]
    for f in typed:
        same = [d for d in kept if d.entity_type == f.entity and d.start < f.end and f.start < d.end]
        if not same:
            kept.append(_schema_detection(f, language))
        elif all(_inside(d, f) for d in same) and (min(d.start for d in same), max(d.end for d in same)) != (
                f.start, f.end):
            best = max(same, key=lambda d: d.score)
            kept = [d for d in kept if d not in same]
            kept.append(replace(best, start=f.start, end=f.end))
    return sorted(kept, key=lambda d: (d.start, d.end))


def _schema_detection(f: Field, language: Optional[str]) -> Detection:
    return Detection(entity_type=f.entity, start=f.start, end=f.end, score=SCHEMA_SCORE, recognizer=RECOGNIZER,
                     language=language or "", why=f"the document's schema says {f.location} is a {f.entity}")


def _inside(det: Detection, field: Field) -> bool:
    return field.start <= det.start and det.end <= field.end
