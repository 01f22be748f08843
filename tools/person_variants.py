"""PERSON detection under different NLP set-ups, on sample_docs (docs/person-detection.md).

For each variant: precision and recall per language, and how long the analyzer takes to load.
"""

from __future__ import annotations

import copy
import sys
import time

import yaml

from scanner.analyze.engine import CONFIG_FILE, Analyzer
from scanner.pipeline import Scanner
from tools.evaluate import detector_for, evaluate

VARIANTS = {
    "default: sm, multilingual tokenizer, line filter, NER + rules + names": {},
    "sm, French tokenizer": {"nlp.tokenizer": "model"},
    "md, multilingual tokenizer": {"nlp.model": "fr_core_news_md"},
    "NER on every line (no line filter)": {"nlp.line_filter": False},
    "NER only": {"person.rules": False, "person.gazetteer": False},
    "NER only, every line": {"person.rules": False, "person.gazetteer": False, "nlp.line_filter": False},
    "rules + names only (no NER)": {"person.ner": False},
    "NER + rules, no name lists": {"person.gazetteer": False},
}


def configure(base: dict, changes: dict) -> dict:
    config = copy.deepcopy(base)
    for key, value in changes.items():
        section, option = key.split(".")
        if section == "person":
            config["recognizers"]["PersonRecognizer"][option] = value
        else:
            config[section][option] = value
    return config


def main() -> int:
    base = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8"))
    rows = ["| variant | load s | precision | recall | fr | nl | en | de |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for label, changes in VARIANTS.items():
        started = time.perf_counter()
        analyzer = Analyzer(configure(base, changes))
        loaded = time.perf_counter() - started
        score = evaluate(detector_for(Scanner(analyzer, key=b"variants")), types=["PERSON"])
        counts = score.by_type["PERSON"]
        per_lang = [score.by_language[("PERSON", lang)].recall for lang in ("fr", "nl", "en", "de")]
        rows.append(f"| {label} | {loaded:.1f} | {counts.precision:.3f} | {counts.recall:.3f} | "
                    + " | ".join(f"{r:.3f}" for r in per_lang) + " |")
        print(rows[-1], flush=True)
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
