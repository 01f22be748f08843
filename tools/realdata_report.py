"""What piiscan finds in the real documents of others (../shared/realdata: invoices, letters, e-mails).

For each file: records by kind, findings per entity type, errors, next to what
MANIFEST.tsv says is visibly in it, so a reader can see what is missed. Appended
to docs/eval-documents.md by ``make eval``.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from typing import List, Optional

from tools.evaluate import REALDATA


def manifest() -> dict:
    path = REALDATA / "MANIFEST.tsv"
    with path.open(encoding="utf-8") as handle:
        return {row["local_file"]: row for row in csv.DictReader(handle, delimiter="\t")}


def report(folders=("invoices", "letters_emails")) -> List[str]:
    from scanner.analyze.engine import Analyzer
    from scanner.pipeline import Scanner

    if not REALDATA.exists():
        return []
    scanner = Scanner(Analyzer.load(), key=b"realdata")
    rows = manifest()
    lines = ["", "## Real documents written by others (`../shared/realdata`)", "",
             "| file | errors | findings by type (members included) | visible PII (MANIFEST.tsv) |",
             "|---|---:|---|---|"]
    for folder in folders:
        for path in sorted((REALDATA / folder).iterdir()):
            records = list(scanner.scan_path(path))
            errors = [r for r in records if r.kind == "error"]
            counts = Counter(r.entity_type for r in records if r.kind == "finding")
            found = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"
            visible = rows.get(f"{folder}/{path.name}", {}).get("pii_visible", "")
            codes = ", ".join(sorted({e.error for e in errors})) or "0"
            lines.append(f"| {folder}/{path.name} | {codes} | {found} | {visible} |")
    return lines


def main(argv: Optional[List[str]] = None) -> int:
    print("\n".join(report()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
