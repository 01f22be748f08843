"""``make eval``: detection quality on sample_docs/, against plain Presidio on the same documents.

Scores per entity type (precision, recall; a finding counts when its span
overlaps a ground-truth span of the same type), decoy hits (any finding
overlapping a value that must stay quiet), per language, and leaks after
redaction. Writes docs/eval.md and prints the same tables.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_docs"
GROUND_TRUTH = SAMPLES / "ground_truth.jsonl"
REALDATA = ROOT.parent / "shared" / "realdata"
ENTITY_TYPES = [
    "BE_NATIONAL_NUMBER", "BE_ENTERPRISE_NUMBER", "BE_ID_CARD_NUMBER", "IBAN_CODE", "BIC_CODE", "CREDIT_CARD",
    "EMAIL_ADDRESS", "PHONE_NUMBER", "IP_ADDRESS", "PERSON", "ADDRESS", "DATE_OF_BIRTH", "PASSWORD", "MRZ",
]

Span = Tuple[str, int, int]  # entity type, start, end (in the file's decoded text)


@dataclass
class Counts:
    tp: int = 0
    fn: int = 0
    fp: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Score:
    by_type: Dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_language: Dict[Tuple[str, str], Counts] = field(default_factory=lambda: defaultdict(Counts))
    decoy_hits: List[dict] = field(default_factory=list)
    missed: List[dict] = field(default_factory=list)
    false_positives: List[dict] = field(default_factory=list)
    seconds: float = 0.0
    chars: int = 0


def load_truth(path: Path = GROUND_TRUTH) -> Dict[str, List[dict]]:
    by_file: Dict[str, List[dict]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            by_file[item["file"]].append(item)
    return dict(by_file)


def _overlaps(a: Tuple[int, int], b: Tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_file(truth: List[dict], found: Sequence[Span], score: Score, types: Sequence[str], file: str) -> None:
    entities = [t for t in truth if "entity_type" in t]
    decoys = [t for t in truth if "decoy" in t]
    for item in entities:
        if item["entity_type"] not in types:
            continue
        hit = any(f[0] == item["entity_type"] and _overlaps((f[1], f[2]), (item["start"], item["end"])) for f in found)
        counts = score.by_type[item["entity_type"]]
        lang = score.by_language[(item["entity_type"], item.get("language", "?"))]
        if hit:
            counts.tp += 1
            lang.tp += 1
        else:
            counts.fn += 1
            lang.fn += 1
            score.missed.append({"file": file, "type": item["entity_type"], "language": item.get("language")})
    for entity_type, start, end in found:
        if entity_type not in types:
            continue
        if not any(t["entity_type"] == entity_type and _overlaps((start, end), (t["start"], t["end"])) for t in entities):
            score.by_type[entity_type].fp += 1
            score.false_positives.append({"file": file, "type": entity_type, "start": start, "end": end})
        for decoy in decoys:
            if _overlaps((start, end), (decoy["start"], decoy["end"])):
                score.decoy_hits.append({"file": file, "decoy": decoy["decoy"], "found_as": entity_type})


def evaluate(detect: Callable[[bytes, str], List[Span]], types: Sequence[str] = ENTITY_TYPES,
             truth: Optional[Dict[str, List[dict]]] = None) -> Score:
    truth = truth if truth is not None else load_truth()
    score = Score()
    for file, items in sorted(truth.items()):
        data = (SAMPLES / file).read_bytes()
        started = time.perf_counter()
        found = detect(data, file)
        score.seconds += time.perf_counter() - started
        score.chars += len(data)
        score_file(items, found, score, types, file)
    return score


# --- the two systems --------------------------------------------------------------
def detector_for(scanner) -> Callable[[bytes, str], List[Span]]:
    """Findings of a Scanner as (type, start, end) in the file's own text (HTML: its source)."""
    from scanner.redact.text import map_to_source

    def detect(data: bytes, name: str) -> List[Span]:
        analysed = scanner.analyse(data, name)
        detections = analysed.detections[0]
        if analysed.extracted.kind == "html":
            detections = map_to_source(analysed.extracted.extra["pieces"], detections)
        return [(d.entity_type, d.start, d.end) for d in detections]

    return detect


def piiscan_detector():
    from scanner.analyze.engine import Analyzer
    from scanner.pipeline import Scanner

    scanner = Scanner(Analyzer.load(), key=b"evaluation")
    return detector_for(scanner), scanner


def write_report(report: str, out: Optional[Path]) -> None:
    print(report)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(report, encoding="utf-8")


def configured_model() -> str:
    import yaml

    from scanner.analyze.engine import CONFIG_FILE

    return yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8"))["nlp"]["model"]


def plain_presidio():
    """Plain Presidio: default recognizers, our spaCy model with its full pipeline, same four languages.

    Returns the engine and a function giving a text's language (the same detector piiscan uses).
    """
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from scanner.analyze.language import LanguageDetector

    languages = ["fr", "nl", "en", "de"]
    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": lang, "model_name": configured_model()} for lang in languages],
    })
    engine = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=languages)
    return engine, LanguageDetector(languages, "fr").detect


def presidio_detector():
    from scanner.analyze.engine import Detection
    from scanner.extract.dispatch import extract
    from scanner.redact.text import map_to_source

    engine, language_of = plain_presidio()

    def detect(data: bytes, name: str) -> List[Span]:
        extracted = extract(data, name)
        text = extracted.pages[0].text
        results = engine.analyze(text=text, language=language_of(text))
        detections = [Detection(r.entity_type, r.start, r.end, r.score, "", "") for r in results]
        if extracted.kind == "html":
            detections = map_to_source(extracted.extra["pieces"], detections)
        return [(d.entity_type, d.start, d.end) for d in detections]

    return detect


# --- leaks after redaction -----------------------------------------------------------
def leaks_after_redaction(scanner, truth: Optional[Dict[str, List[dict]]] = None) -> Tuple[int, int, List[dict]]:
    """Redact every sample; count ground-truth values still present in the output text."""
    from scanner.extract.text import decode
    from scanner.redact.document import RedactionLeak, redact_bytes

    truth = truth if truth is not None else load_truth()
    checked, leaks = 0, []
    for file, items in sorted(truth.items()):
        data = (SAMPLES / file).read_bytes()
        try:
            output, _ = redact_bytes(scanner, data, file, "replace")
        except RedactionLeak as exc:
            leaks.append({"file": file, "type": "verification", "detail": exc.message})
            continue
        text, _ = decode(output)
        for item in items:
            if "entity_type" in item:
                checked += 1
                if item["value"] in text:
                    leaks.append({"file": file, "type": item["entity_type"]})
    return checked, len(leaks), leaks


# --- labelled texts written by others (../shared/realdata/pii_text) --------------------
def is_postal(example: dict) -> bool:
    """A DEDUCE location that is a postal address (a street with a number, a PO box), not a
    bare place name or postcode, which are not ADDRESS in our entity set."""
    import re

    text = example["text"]
    return bool(re.search(r"\d", text)) and not re.fullmatch(r"[\dA-Za-z -]{4,8}", text)


def score_labelled(analyzer, examples: List[dict], entity: str, keep=lambda example: True):
    """(tp, fn, fp, mistakes) of one entity type on DEDUCE-style examples, read as Dutch."""
    tp = fn = fp = 0
    mistakes = []
    for example in filter(keep, examples):
        text = example["text"]
        found = [(d.start, d.end) for d in analyzer.analyze(text, language="nl") if d.entity_type == entity]
        gold = [(a["start_char"], a["end_char"]) for a in example["annotations"]]
        for g in gold:
            if any(_overlaps(f, g) for f in found):
                tp += 1
            else:
                fn += 1
                mistakes.append(("missed", text))
        fp_here = [f for f in found if not any(_overlaps(f, g) for g in gold)]
        fp += len(fp_here)
        mistakes += [("false positive", text)] * len(fp_here)
    return tp, fn, fp, mistakes


def realdata_section(analyzer) -> List[str]:
    folder = REALDATA / "pii_text"
    if not folder.exists():
        return []
    lines = ["", "## Labelled texts written by others (`../shared/realdata/pii_text`, DEDUCE)", "",
             "| file | entity | scored examples | TP | FN | FP |", "|---|---|---:|---:|---:|---:|"]
    for name, entity, keep in (("belgian_deduce_names.json", "PERSON", lambda e: True),
                               ("belgian_deduce_locations.json", "ADDRESS", is_postal),
                               ("deduce_nl_locations.json", "ADDRESS", is_postal)):
        examples = json.loads((folder / name).read_text(encoding="utf-8"))["examples"]
        tp, fn, fp, _ = score_labelled(analyzer, examples, entity, keep)
        lines.append(f"| {name} | {entity} | {len(list(filter(keep, examples)))} | {tp} | {fn} | {fp} |")
    lines += ["", "Locations are scored where they are postal addresses; bare place names "
              "(Utrecht, Leuven) and postcodes alone are not ADDRESS in our entity set."]
    return lines


# --- report ---------------------------------------------------------------------------
def table(score: Score, types: Sequence[str]) -> str:
    lines = ["| entity type | precision | recall | TP | FN | FP |", "|---|---:|---:|---:|---:|---:|"]
    total = Counts()
    for entity in types:
        c = score.by_type.get(entity, Counts())
        total.tp += c.tp
        total.fn += c.fn
        total.fp += c.fp
        lines.append(f"| {entity} | {c.precision:.3f} | {c.recall:.3f} | {c.tp} | {c.fn} | {c.fp} |")
    lines.append(f"| **all** | **{total.precision:.3f}** | **{total.recall:.3f}** | {total.tp} | {total.fn} | {total.fp} |")
    return "\n".join(lines)


def language_table(score: Score, entity: str) -> str:
    lines = ["| language | recall | TP | FN |", "|---|---:|---:|---:|"]
    for lang in ("fr", "nl", "en", "de"):
        c = score.by_language.get((entity, lang), Counts())
        lines.append(f"| {lang} | {c.recall:.3f} | {c.tp} | {c.fn} |")
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, help="write the report (Markdown) here")
    parser.add_argument("--no-presidio", action="store_true", help="skip the plain-Presidio comparison")
    args = parser.parse_args(argv)

    detect, scanner = piiscan_detector()
    ours = evaluate(detect)
    sections = [
        "# Detection quality on sample_docs/",
        "",
        f"Generated by `make eval` ({time.strftime('%Y-%m-%d')}). Ground truth: `sample_docs/ground_truth.jsonl`; "
        "a finding counts when its span overlaps a ground-truth span of the same type.",
        "",
        "## piiscan",
        "",
        table(ours, ENTITY_TYPES),
        "",
        f"Decoy hits: **{len(ours.decoy_hits)}** "
        + (f"({', '.join(sorted({h['decoy'] + '→' + h['found_as'] for h in ours.decoy_hits}))})" if ours.decoy_hits else ""),
        "",
        "### PERSON recall per language",
        "",
        language_table(ours, "PERSON"),
        "",
        "### ADDRESS recall per language",
        "",
        language_table(ours, "ADDRESS"),
    ]
    sections += realdata_section(scanner.analyzer)
    checked, leaked, leaks = leaks_after_redaction(scanner)
    sections += ["", "## Leaks after redaction", "",
                 f"`piiscan redact` on every sample, then the ground-truth values looked for in the output: "
                 f"**{leaked} leaks** out of {checked} values."]
    if leaks:
        sections += [f"- {leak['file']}: {leak['type']}" for leak in leaks[:30]]
    if not args.no_presidio:
        shared = ["PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "IBAN_CODE", "CREDIT_CARD", "IP_ADDRESS"]
        plain = evaluate(presidio_detector(), types=ENTITY_TYPES)
        sections += [
            "", "## Plain Presidio on the same documents", "",
            f"Default recognizers, the same spaCy model (`{configured_model()}`, full pipeline) for the four languages. "
            f"Presidio has no recognizer for the other types; the ones it shares with us: {', '.join(shared)}.",
            "", table(plain, ENTITY_TYPES), "",
            f"Decoy hits: **{len(plain.decoy_hits)}**", "",
            "### PERSON recall per language (plain Presidio)", "", language_table(plain, "PERSON"),
        ]
    if ours.missed:
        sections += ["", "## What piiscan missed", ""]
        sections += [f"- {m['file']}: {m['type']} ({m['language']})" for m in ours.missed[:60]]
    if ours.false_positives:
        sections += ["", "## piiscan false positives", ""]
        sections += [f"- {f['file']}: {f['type']} at {f['start']}-{f['end']}" for f in ours.false_positives[:60]]
    write_report("\n".join(sections) + "\n", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
