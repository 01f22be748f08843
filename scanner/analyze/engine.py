"""Presidio's AnalyzerEngine, built from models/analyzer.yaml.

Loaded once per process (``Analyzer.load()``) and reused for every page:
spaCy with NER only, our recognizers registered for fr/nl/en/de, our
window-based context enhancer. Texts are split into same-language segments,
run through spaCy in batches (``nlp.pipe``), then through the recognizers;
overlapping results are resolved so each character belongs to one finding.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, List, Optional, Sequence, Tuple

import yaml
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult

from scanner.analyze.context import WindowContextEnhancer
from scanner.analyze.language import LanguageDetector, Segment
from scanner.analyze.ner import OfflineSpacyNlpEngine
from scanner.analyze.recognizers.registry import RECOGNIZERS
from scanner.config import MODELS_DIR
from scanner.errors import RunFailed

log = logging.getLogger(__name__)
CONFIG_FILE = MODELS_DIR / "analyzer.yaml"
# What Word, LibreOffice, HTML mail (&nbsp;) and French typography put between the groups of a number:
# the recognizers read them as a plain space or hyphen. One character for one: offsets do not move.
PLAIN = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ",
                       "\u2010": "-", "\u2011": "-", "\u2013": "-"})


@dataclass
class PageAnalysis:
    """One text's detections and the language segments it was analysed in."""

    detections: List["Detection"]
    segments: List[Segment]

    @property
    def languages(self) -> List[str]:
        """Languages in order of first appearance."""
        return list(dict.fromkeys(s.language for s in self.segments if s.end > s.start))

    def language_weights(self) -> dict:
        weights: dict = {}
        for s in self.segments:
            weights[s.language] = weights.get(s.language, 0) + s.end - s.start
        return weights


def _within(spans: Sequence[Tuple[int, int]], segment: Segment) -> List[Tuple[int, int]]:
    """The parts of ``spans`` inside ``segment``, in its own offsets."""
    return [(max(start, segment.start) - segment.start, min(end, segment.end) - segment.start)
            for start, end in spans if start < segment.end and segment.start < end]


@dataclass
class Detection:
    entity_type: str
    start: int
    end: int
    score: float
    recognizer: str
    language: str
    why: str = ""


class Analyzer:
    """Text in, detections out. Build once with ``Analyzer.load()``."""

    def __init__(self, config: dict):
        self.config = config
        nlp_cfg = config["nlp"]
        lang_cfg = config["languages"]
        self.languages: List[str] = list(lang_cfg["supported"])
        self.min_score: float = float(config.get("min_score", 0.5))
        self.max_chars: int = int(nlp_cfg.get("max_chars", 100000))
        self.rules_version = config.get("rules_version", 1)
        self.priority = {name: rank for rank, name in enumerate(config.get("priority", []))}
        self.containers = set(config.get("containers", []))
        self.detector = LanguageDetector(self.languages, lang_cfg["default"], lang_cfg.get("min_paragraph_chars", 60))
        self.nlp_engine = OfflineSpacyNlpEngine(nlp_cfg["model"], nlp_cfg["components"], self.languages,
                                                nlp_cfg.get("labels", {"PER": "PERSON"}),
                                                nlp_cfg.get("tokenizer", "model"), nlp_cfg.get("line_filter", True))
        self.nlp_engine.load()
        registry = RecognizerRegistry(supported_languages=self.languages)
        for name, settings in config["recognizers"].items():
            if name not in RECOGNIZERS:
                raise RunFailed(f"{CONFIG_FILE}: unknown recognizer '{name}'")
            settings = dict(settings or {})
            if settings.pop("enabled", True):
                for language in self.languages:  # other settings are the recognizer's own options
                    registry.add_recognizer(RECOGNIZERS[name](supported_language=language, **settings))
        self.engine = AnalyzerEngine(
            registry=registry, nlp_engine=self.nlp_engine, supported_languages=self.languages,
            context_aware_enhancer=WindowContextEnhancer(),
        )
        self.entities = sorted(set(self.engine.get_supported_entities(self.languages[0])))

    @classmethod
    def load(cls, path: Path = CONFIG_FILE) -> "Analyzer":
        try:
            config = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise RunFailed(f"cannot read the analyzer configuration {path}: {exc.strerror}") from exc
        return cls(config)

    # ------------------------------------------------------------------
    def analyze(self, text: str, language: str = "auto", entities: Optional[Sequence[str]] = None,
                min_score: Optional[float] = None) -> List[Detection]:
        return self.analyze_many([text], language, entities, min_score)[0]

    def analyze_many(self, texts: Sequence[str], language: str = "auto", entities: Optional[Sequence[str]] = None,
                     min_score: Optional[float] = None) -> List[List[Detection]]:
        return [page.detections for page in self.analyze_pages(texts, language, entities, min_score)]

    def analyze_pages(self, texts: Sequence[str], language: str = "auto", entities: Optional[Sequence[str]] = None,
                      min_score: Optional[float] = None,
                      ner_spans: Optional[Sequence[Optional[Sequence[Tuple[int, int]]]]] = None) -> List[PageAnalysis]:
        """Analyse several texts (a document's pages); spaCy sees all their segments in one batch.

        ``ner_spans``: for each text, None or the only (start, end) spans spaCy is to read in it
        (``field_ner_spans`` of a structured page); by default it reads the lines that can hold a name.
        """
        texts = [text.translate(PLAIN) for text in texts]
        wanted = list(entities) if entities else self.entities
        threshold = self.min_score if min_score is None else min_score
        segments = [self.segments(text, language) for text in texts]
        jobs: List[tuple[int, Segment]] = [(index, s) for index, pieces in enumerate(segments) for s in pieces]
        chunks = [texts[i][s.start:s.end] for i, s in jobs]
        spans = None
        if ner_spans is not None:
            spans = [None if ner_spans[i] is None else _within(ner_spans[i], s) for i, s in jobs]
        # No name wanted: spaCy is not run at all.
        artifacts = self.nlp_engine.entities_of(chunks, [s.language for _, s in jobs], run="PERSON" in wanted,
                                                spans=spans)
        results: List[List[Detection]] = [[] for _ in texts]
        for (index, segment), chunk, artifact in zip(jobs, chunks, artifacts):
            found = self.engine.analyze(
                text=chunk, language=segment.language, entities=wanted, score_threshold=threshold,
                nlp_artifacts=artifact,
            )
            # A recognizer may report more than one type (the MRZ reports the national number in it).
            results[index].extend(self._detection(r, segment) for r in found if r.entity_type in wanted)
        return [PageAnalysis(self.resolve(found), pieces) for found, pieces in zip(results, segments)]

    def segments(self, text: str, language: str = "auto") -> List[Segment]:
        if language != "auto":
            pieces = [Segment(0, len(text), language)]
        else:
            pieces = self.detector.segments(text)
        return [piece for segment in pieces for piece in self._chunk(text, segment)]

    def _chunk(self, text: str, segment: Segment) -> Iterable[Segment]:
        """Very long segments are cut at line ends so spaCy's memory stays bounded."""
        start = segment.start
        while segment.end - start > self.max_chars:
            cut = text.rfind("\n", start, start + self.max_chars)
            cut = cut + 1 if cut > start else start + self.max_chars
            yield Segment(start, cut, segment.language)
            start = cut
        yield Segment(start, segment.end, segment.language)

    @staticmethod
    def _detection(result: RecognizerResult, segment: Segment) -> Detection:
        meta = result.recognition_metadata or {}
        explanation = result.analysis_explanation
        return Detection(
            entity_type=result.entity_type,
            start=segment.start + result.start,
            end=segment.start + result.end,
            score=round(float(result.score), 4),
            recognizer=meta.get(RecognizerResult.RECOGNIZER_NAME_KEY, ""),
            language=segment.language,
            why=(explanation.textual_explanation if explanation else "") or "",
        )

    def resolve(self, detections: List[Detection]) -> List[Detection]:
        """Overlaps: higher score, then configured priority, then longer span wins.

        A container (an MRZ) keeps what lies inside it: the national number in a
        Belgian MRZ is reported as well as the MRZ.
        """
        last = len(self.priority)
        containers = [d for d in detections if d.entity_type in self.containers]
        inside = [d for d in detections if d.entity_type not in self.containers
                  and any(c.start <= d.start and d.end <= c.end for c in containers)]
        rest = [d for d in detections if d not in inside]
        ordered = sorted(rest, key=lambda d: (-d.score, self.priority.get(d.entity_type, last), d.start - d.end))
        kept: List[Detection] = []
        if any(d.end <= d.start for d in ordered):  # an empty span: not ordered like the others
            for det in ordered:
                if all(det.end <= k.start or k.end <= det.start for k in kept):
                    kept.append(det)
        else:
            starts: List[int] = []  # of the kept spans, which do not overlap: their ends are in order too
            ends: List[int] = []
            for det in ordered:
                at = bisect_right(ends, det.start)  # the first kept span ending after det starts
                if at == len(starts) or det.end <= starts[at]:
                    kept.append(det)
                    starts.insert(at, det.start)
                    ends.insert(at, det.end)
        kept += [d for d in inside if not any(k is not d and k.entity_type == d.entity_type
                                             and k.start == d.start for k in kept)]
        return sorted(kept, key=lambda d: (d.start, d.end))
