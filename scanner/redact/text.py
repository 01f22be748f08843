"""Redaction of text formats with presidio-anonymizer's operators.

``replace`` (default) writes ``<ENTITY_TYPE>``, ``mask`` stars every character,
``redact`` deletes the value, ``hash`` writes the keyed fingerprint (an
unkeyed hash of a national number is reversible by trying every birth date).
HTML is redacted in its source: each finding in the visible text is mapped
back to the characters (and entity references) that produced it.
"""

from __future__ import annotations

from typing import Dict, List, Tuple

from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from scanner.analyze.engine import Detection
from scanner.privacy import fingerprint

OPERATORS = ("replace", "mask", "redact", "hash")


def operator_configs(operator: str, key: bytes, entity_types: List[str]) -> Dict[str, OperatorConfig]:
    configs: Dict[str, OperatorConfig] = {}
    for entity in entity_types:
        if operator == "replace":
            configs[entity] = OperatorConfig("replace", {"new_value": f"<{entity}>"})
        elif operator == "mask":
            configs[entity] = OperatorConfig("mask", {"masking_char": "*", "chars_to_mask": 10**6, "from_end": False})
        elif operator == "redact":
            configs[entity] = OperatorConfig("redact", {})
        elif operator == "hash":
            configs[entity] = OperatorConfig(
                "custom", {"lambda": lambda value, _e=entity: fingerprint(_e, value, key)[len("hmac-sha256:"):][:16]})
        else:
            raise ValueError(f"unknown operator '{operator}' (choose from {', '.join(OPERATORS)})")
    return configs


def redact_text(text: str, detections: List[Detection], operator: str, key: bytes) -> str:
    if not detections:
        return text
    results = [RecognizerResult(d.entity_type, d.start, d.end, d.score) for d in detections]
    configs = operator_configs(operator, key, sorted({d.entity_type for d in detections}))
    return AnonymizerEngine().anonymize(text=text, analyzer_results=results, operators=configs).text


def map_to_source(pieces: List[Tuple[int, int, int, int]], detections: List[Detection]) -> List[Detection]:
    """Findings in extracted HTML text -> findings in the HTML source (one per touched piece)."""
    mapped: List[Detection] = []
    for det in detections:
        for text_start, text_end, raw_start, raw_end in pieces:
            if text_end <= det.start or det.end <= text_start:
                continue
            verbatim = (raw_end - raw_start) == (text_end - text_start)
            if verbatim:
                start = raw_start + max(det.start, text_start) - text_start
                end = raw_start + min(det.end, text_end) - text_start
            else:  # an entity reference: remove it whole
                start, end = raw_start, raw_end
            mapped.append(Detection(det.entity_type, start, end, det.score, det.recognizer, det.language))
    return mapped
