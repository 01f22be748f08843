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

from dataclasses import replace
from typing import Callable, Dict, List, Optional, Sequence

from stdnum import bic, iban
from stdnum.be import bis, nn, vat

from scanner.analyze.engine import Detection
from scanner.extract import Field, Page

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
    typed = [f for f in page.fields if f.entity and (wanted is None or f.entity in wanted)
             and _valid(f.entity, page.text[f.start:f.end])]
    if not typed:
        return detections
    kept = [d for d in detections if not any(_inside(d, f) and d.entity_type != f.entity for f in typed)]
    for f in typed:
        same = [d for d in kept if d.entity_type == f.entity and d.start < f.end and f.start < d.end]
        if not same:
            kept.append(Detection(entity_type=f.entity, start=f.start, end=f.end, score=SCHEMA_SCORE,
                                  recognizer=RECOGNIZER, language=language or "",
                                  why=f"the document's schema says {f.location} is a {f.entity}"))
        elif all(_inside(d, f) for d in same) and (min(d.start for d in same), max(d.end for d in same)) != (
                f.start, f.end):
            # The recognizer saw part of the value ("Po box 878" of a whole address): the finding is the value.
            best = max(same, key=lambda d: d.score)
            kept = [d for d in kept if d not in same]
            kept.append(replace(best, start=f.start, end=f.end))
    return sorted(kept, key=lambda d: (d.start, d.end))


def _inside(det: Detection, field: Field) -> bool:
    return field.start <= det.start and det.end <= field.end
