"""``make bench`` (documents part): scanned pages end to end, text-layer PDF pages per second, memory.

Same pages, same run, one core (pinned), Tesseract with one thread:
- raw ``tesseract`` CLI on each scan (the same four languages);
- piiscan: OCR + detection + redaction, then with the default verification
  (which extracts and OCRs the redacted output again);
- presidio-image-redactor's ``ImageRedactorEngine.redact`` (its OCR, plain
  Presidio recognizers, the same spaCy model).
Then a 60-page born-digital PDF generated here is scanned (pages per second),
and the process's peak RSS is read. Writes docs/bench-documents.md.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import List, Optional  # noqa: E402

from tools.evaluate import SAMPLES, write_report  # noqa: E402

SCANS = sorted(p for p in (SAMPLES / "scans").iterdir() if p.suffix in (".jpg", ".png"))


def raw_tesseract(paths: List[Path], languages: str) -> float:
    started = time.perf_counter()
    for path in paths:
        subprocess.run(["tesseract", str(path), "stdout", "-l", languages, "tsv"], check=True,
                       capture_output=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    return time.perf_counter() - started


def scan_process_peak_mb() -> float:
    """Peak RSS of a separate `piiscan scan` process (its own, not its Tesseract children's)."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PIISCAN_KEY_FILE": str(Path(tmp) / "key")}
        process = subprocess.Popen([sys.executable, "-m", "scanner", "scan", str(SAMPLES), "--format", "jsonl"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        _pid, _status, usage = os.wait4(process.pid, 0)
    return usage.ru_maxrss / 1024


def text_pdf(pages: int = 60) -> bytes:
    from fpdf import FPDF

    lines = [line for path in sorted((SAMPLES / "text").glob("*_invoice_*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines()]
    pdf = FPDF()
    pdf.add_font("DejaVu", fname="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.set_font("DejaVu", size=10)
    for page in range(pages):
        pdf.add_page()
        for i in range(45):
            pdf.cell(0, 5.5, lines[(page * 45 + i) % len(lines)][:110], new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--no-presidio", action="store_true")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    from scanner.analyze.engine import Analyzer
    from scanner.extract.ocr import settings
    from scanner.pipeline import Scanner
    from scanner.redact.document import redact_bytes
    import scanner.redact.document as document

    scanner = Scanner(Analyzer.load(), key=b"bench")
    languages = settings()["languages"]
    pages = len(SCANS)
    raw = raw_tesseract(SCANS, languages)

    started = time.perf_counter()
    verify = document.verify
    document.verify = lambda *a, **k: None  # measured separately below
    try:
        for path in SCANS:
            redact_bytes(scanner, path.read_bytes(), path.name, "replace")
    finally:
        document.verify = verify
    ours = time.perf_counter() - started
    started = time.perf_counter()
    for path in SCANS:
        redact_bytes(scanner, path.read_bytes(), path.name, "replace")
    ours_verified = time.perf_counter() - started

    rows = [
        "| system | seconds per page | relative to raw tesseract |", "|---|---:|---:|",
        f"| raw `tesseract` ({languages}, 1 thread) | {raw / pages:.2f} | 1.00 |",
        f"| piiscan scan + redact, no verification | {ours / pages:.2f} | {ours / raw:.2f} |",
        f"| piiscan scan + redact + verification (default) | {ours_verified / pages:.2f} | {ours_verified / raw:.2f} |",
    ]
    if not args.no_presidio:
        from PIL import Image
        from presidio_image_redactor import ImageAnalyzerEngine, ImageRedactorEngine

        from tools.evaluate import plain_presidio

        engine, _ = plain_presidio()
        redactor = ImageRedactorEngine(image_analyzer_engine=ImageAnalyzerEngine(analyzer_engine=engine))
        started = time.perf_counter()
        for path in SCANS:
            redactor.redact(Image.open(path).convert("RGB"), language="fr")
        theirs = time.perf_counter() - started
        rows.append(f"| presidio-image-redactor (eng OCR, plain Presidio) | {theirs / pages:.2f} | {theirs / raw:.2f} |")

    data = text_pdf()
    started = time.perf_counter()
    records = list(scanner.scan_bytes(data, "bench.pdf"))
    pdf_seconds = time.perf_counter() - started
    pdf_pages = next(r.pages for r in records if r.kind == "document")
    peak_mb = scan_process_peak_mb()
    report = "\n".join([
        "# Benchmarks: documents", "",
        f"Generated by `make bench` ({time.strftime('%Y-%m-%d')}), one core pinned, Tesseract with one thread, "
        f"{pages} scanned pages from `sample_docs/scans/` (A4, 100-300 DPI).", "",
        "## Scanned page, end to end", "", *rows, "",
        "## Born-digital PDF", "",
        f"A {pdf_pages}-page text PDF (generated at bench time): **{pdf_pages / pdf_seconds:.1f} pages/s** "
        f"({pdf_seconds:.2f} s, extraction with word boxes and analysis).", "",
        "## Memory", "",
        f"Peak resident memory of one `piiscan scan` process over `sample_docs/` (scans, photos, PDFs, "
        f"e-mails, Word; models loaded): **{peak_mb:.0f} MB** (Tesseract runs in its own process).", "",
    ])
    write_report(report, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
