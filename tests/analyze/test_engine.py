"""Overlapping detections: each character to one finding, whatever the order they come in."""

from __future__ import annotations

import random

from scanner.analyze.engine import Detection


def resolve_by_hand(analyzer, detections):
    """The rule of ``Analyzer.resolve``, every detection against every one kept."""
    last = len(analyzer.priority)
    containers = [d for d in detections if d.entity_type in analyzer.containers]
    inside = [d for d in detections if d.entity_type not in analyzer.containers
              and any(c.start <= d.start and d.end <= c.end for c in containers)]
    rest = [d for d in detections if d not in inside]
    ordered = sorted(rest, key=lambda d: (-d.score, analyzer.priority.get(d.entity_type, last), d.start - d.end))
    kept = []
    for det in ordered:
        if all(det.end <= k.start or k.end <= det.start for k in kept):
            kept.append(det)
    kept += [d for d in inside if not any(k is not d and k.entity_type == d.entity_type and k.start == d.start
                                         for k in kept)]
    return sorted(kept, key=lambda d: (d.start, d.end))


def test_resolve(analyzer):
    types = ["PERSON", "ADDRESS", "PHONE_NUMBER", "BE_NATIONAL_NUMBER", "MRZ"]
    rng = random.Random(5)
    for _ in range(3000):
        detections = []
        for _ in range(rng.randrange(0, 25)):
            start = rng.randrange(0, 100)
            detections.append(Detection(rng.choice(types), start, start + rng.randrange(1, 20),
                                        rng.choice([0.5, 0.7, 0.9]), "r", "fr"))
        expected = [id(d) for d in resolve_by_hand(analyzer, detections)]
        assert [id(d) for d in analyzer.resolve(detections)] == expected
