"""One document: extract -> analyze -> records. The CLI, the service and batch runs call this.

>>> scanner = Scanner(Analyzer.load(), key=b"k")            # doctest: +SKIP
>>> list(scanner.scan_bytes(b"IBAN BE71 0961 2345 6769", "a.txt"))  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, List, Optional, Sequence, Union

from scanner.analyze.engine import Analyzer, Detection
from scanner.errors import FileTooLarge, ReadFailed, ScanError
from scanner.extract import Extracted
from scanner.extract.dispatch import extract
from scanner.privacy import fingerprint, mask
from scanner.records import DocumentRecord, ErrorRecord, Finding, Summary

log = logging.getLogger(__name__)
MAX_FILE_BYTES = 200 * 1024 * 1024
Record = Union[Finding, DocumentRecord, ErrorRecord]


@dataclass
class Options:
    reveal: bool = False
    entities: Optional[Sequence[str]] = None
    min_score: Optional[float] = None
    language: str = "auto"


@dataclass
class Analysed:
    """A document with its detections per page, for the redaction writers."""

    extracted: Extracted
    detections: List[List[Detection]]
    language: Optional[str]
    languages: List[str] = field(default_factory=list)


class Scanner:
    def __init__(self, analyzer: Analyzer, key: bytes, options: Optional[Options] = None):
        self.analyzer = analyzer
        self.key = key
        self.options = options or Options()

    # ------------------------------------------------------------------
    def analyse(self, data: bytes, name: str) -> Analysed:
        extracted = extract(data, name)
        pages = self.analyzer.analyze_pages(
            [page.text for page in extracted.pages], self.options.language, self.options.entities,
            self.options.min_score,
        )
        weights: dict = {}
        languages: List[str] = []
        for page, text in zip(pages, (p.text for p in extracted.pages)):
            languages += [lang for lang in page.languages if lang not in languages and text.strip()]
            for lang, weight in page.language_weights().items():
                weights[lang] = weights.get(lang, 0) + weight
        language = max(weights, key=weights.get) if weights else None
        return Analysed(extracted, [page.detections for page in pages], language, languages)

    def scan_bytes(self, data: bytes, name: str, member: Optional[str] = None) -> Iterator[Record]:
        started = time.perf_counter()
        try:
            analysed = self.analyse(data, name)
        except ScanError as exc:
            yield ErrorRecord(file=name, member=member, error=exc.code, message=exc.message)
            return
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop a run
            log.error("internal error on a document (%s)", type(exc).__name__)
            yield ErrorRecord(file=name, member=member, error="internal_error",
                              message=f"the scanner failed on this document ({type(exc).__name__}); please report it")
            return
        count = 0
        for page, detections in zip(analysed.extracted.pages, analysed.detections):
            for det in detections:
                count += 1
                yield self.finding(name, member, page, det)
        log.info("document scanned: %d pages, %d findings", len(analysed.extracted.pages), count)
        yield DocumentRecord(
            file=name, member=member, pages=len(analysed.extracted.pages), language=analysed.language,
            languages=analysed.languages, ocr=any(p.source == "ocr" for p in analysed.extracted.pages),
            findings=count, sha256=hashlib.sha256(data).hexdigest(),
            duration_ms=int((time.perf_counter() - started) * 1000),
        )

    def finding(self, name: str, member: Optional[str], page, det: Detection) -> Finding:
        value = page.text[det.start:det.end]
        return Finding(
            file=name, member=member, page=page.number, entity_type=det.entity_type, score=det.score,
            start=det.start, end=det.end, bbox=None, page_size=list(page.size) if page.size else None,
            source=page.source, recognizer=det.recognizer, language=det.language,
            text_masked=mask(det.entity_type, value), fingerprint=fingerprint(det.entity_type, value, self.key),
            text=value if self.options.reveal else None,
        )

    def scan_path(self, path: Path, display: Optional[str] = None) -> Iterator[Record]:
        name = display or str(path)
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise FileTooLarge(f"the file is {size // (1024 * 1024)} MiB, over the {MAX_FILE_BYTES // (1024 * 1024)} MiB limit")
            data = path.read_bytes()
        except ScanError as exc:
            yield ErrorRecord(file=name, error=exc.code, message=exc.message)
            return
        except OSError as exc:
            yield ErrorRecord(file=name, error=ReadFailed.code, message=f"cannot read the file: {exc.strerror or exc}")
            return
        yield from self.scan_bytes(data, name)


def walk(paths: Iterable[str]) -> Iterator[Union[Path, ErrorRecord]]:
    """Files under the given paths, sorted, each once; unreadable places become error records."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            seen = set()
            for root, dirs, files in os.walk(path, onerror=None, followlinks=False):
                dirs.sort()
                for name in sorted(files):
                    file = Path(root) / name
                    if file.is_symlink() and not file.exists():
                        yield ErrorRecord(file=str(file), error=ReadFailed.code, message="broken symbolic link")
                        continue
                    real = os.path.realpath(file)
                    if real in seen:
                        continue
                    seen.add(real)
                    yield file
        elif path.exists():
            yield path
        else:
            yield ErrorRecord(file=raw, error=ReadFailed.code, message="no such file or folder")


class Tally:
    """Running counts for the final summary record (a run may hold millions of records)."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.files = self.documents = self.errors = self.findings = 0
        self.by_type: dict[str, int] = {}

    def add(self, record: Record) -> None:
        if isinstance(record, Finding):
            self.findings += 1
            self.by_type[record.entity_type] = self.by_type.get(record.entity_type, 0) + 1
        elif isinstance(record, DocumentRecord):
            self.documents += 1
        elif isinstance(record, ErrorRecord):
            self.errors += 1

    def summary(self) -> Summary:
        return Summary(files=self.files, documents=self.documents, findings=self.findings, errors=self.errors,
                       by_type=dict(sorted(self.by_type.items())),
                       duration_s=round(time.perf_counter() - self.started, 3))
