"""One document: extract -> analyze -> records. The CLI, the service and batch runs call this.

Containers are followed: an e-mail's attachments, an archive's entries and a
PDF's embedded files are scanned as documents of their own, reported with
``member`` ("invoice.zip/2026/march.pdf"), down to ``Limits.max_depth``.

>>> scanner = Scanner(Analyzer.load(), key=b"k")            # doctest: +SKIP
>>> list(scanner.scan_bytes(b"IBAN BE71 0961 2345 6769", "a.txt"))  # doctest: +SKIP
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import hmac
import logging
import re
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Iterable, Iterator, List, Optional, Sequence, Union

from typing import TYPE_CHECKING
from scanner.errors import FileTooLarge, ReadFailed, ScanError
from scanner.extract import Box, Extracted, Field, Limits, Page
from scanner.extract.dispatch import extract
from scanner.privacy import fingerprint, mask
from scanner.records import FACE, DocumentRecord, ErrorRecord, Finding, Summary
from scanner.spool import Spool

if TYPE_CHECKING:  # the analyzer (spaCy, Presidio) is imported where it is loaded, not by every user of records
    from scanner.analyze.engine import Analyzer, Detection, PageAnalysis

log = logging.getLogger(__name__)
Record = Union[Finding, DocumentRecord, ErrorRecord]
PAGES_PER_BATCH = 64
# A bracketed key of a location (JSON) that holds an "@" or a run of digits could be personal data itself.
_ODD_KEY = re.compile(r"\['(?:[^'\\]|\\.)*(?:@|\d{4})(?:[^'\\]|\\.)*'\]")


class FileTimeout(ScanError):
    code = "timeout"


class TooDeep(ScanError):
    code = "too_deeply_nested"


@dataclass
class Options:
    reveal: bool = False
    entities: Optional[Sequence[str]] = None
    min_score: Optional[float] = None
    language: str = "auto"
    file_timeout_s: int = 600
    limits: Limits = field(default_factory=Limits)
    # (entity type, fingerprint) of values analysts dismissed as false positives: never reported or redacted.
    allowlist: frozenset = frozenset()
    # Where a file's records wait when there are many (scanner/spool.py); None: an unnamed temporary file.
    spool_dir: Optional[str] = None

    @property
    def faces(self) -> bool:
        return not self.entities or FACE in self.entities

    @property
    def text_entities(self) -> Optional[List[str]]:
        """Entities for the text analyzer; None means all, [] means none."""
        if not self.entities:
            return None
        return [e for e in self.entities if e != FACE]


@dataclass
class Analysed:
    """A document with its detections per page, for the redaction writers."""

    extracted: Extracted
    detections: List[List[Detection]]
    language: Optional[str]
    languages: List[str] = field(default_factory=list)


def box_for(page: Page, start: int, end: int) -> Optional[Box]:
    """The union of the boxes of the words that hold text[start:end] (None without geometry)."""
    if not page.words:
        return None
    starts = [w.start for w in page.words]
    first = max(0, bisect.bisect_right(starts, start) - 1)
    boxes = []
    for word in page.words[first:]:
        if word.start >= end:
            break
        if word.end > start:
            boxes.append(word.box)
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


@contextlib.contextmanager
def deadline(seconds: int):
    """Raise FileTimeout in the main thread after ``seconds`` (a hostile file must not hang a run)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(_signum, _frame):
        raise FileTimeout(f"the file took more than {seconds} s to scan; it was skipped")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Languages:
    """A document's languages, added up page by page (and batch by batch)."""

    def __init__(self) -> None:
        self.weights: dict = {}
        self.seen: List[str] = []

    def add(self, page: PageAnalysis, text: str) -> None:
        if text.strip():
            self.seen += [lang for lang in page.languages if lang not in self.seen]
        for lang, weight in page.language_weights().items():
            self.weights[lang] = self.weights.get(lang, 0) + weight

    def main(self) -> Optional[str]:
        return max(self.weights, key=self.weights.get) if self.weights else None


@dataclass
class Batch:
    detections: List[List[Detection]]
    languages: Languages

    @property
    def language(self) -> Optional[str]:
        return self.languages.main()


def batched(pages: Iterable[Page], size: int) -> Iterator[List[Page]]:
    batch: List[Page] = []
    for page in pages:
        batch.append(page)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class FieldIndex:
    """A structured page's fields, looked up by offset; built once per page (a page holds hundreds of
    values, and every finding on it asks where it is)."""

    def __init__(self, page: Page):
        self.fields = page.fields
        self.starts = [f.start for f in page.fields]

    def field(self, offset: int, entity: Optional[str] = None) -> Optional[Field]:
        """The value that holds ``offset``. Where fields nest (an address and its street, postcode and town
        elements), the field of the finding's own type wins (the address), then the innermost one."""
        index = bisect.bisect_right(self.starts, offset) - 1
        holding = [f for f in self.fields[max(0, index - 8):index + 1] if f.start <= offset < f.end]
        return min(holding, key=lambda f: (f.entity != entity, f.end - f.start)) if holding else None

    def location(self, offset: int, entity: Optional[str] = None) -> Optional[str]:
        found = self.field(offset, entity)
        return found.location if found else None

    def labels_found(self, text: str, detections: Sequence[Detection]) -> List[tuple]:
        """(type, value) of what was detected in the page's labels, outside its values: keys and headers that
        are themselves personal data. Locations are built from them and must not carry them."""
        if not self.fields:
            return []
        return [(d.entity_type, text[d.start:d.end]) for d in detections if self.field(d.start) is None]


def join_member(parent: Optional[str], name: str) -> str:
    return f"{parent}/{name}" if parent else name


class Scanner:
    def __init__(self, analyzer: Analyzer, key: bytes, options: Optional[Options] = None):
        self.analyzer = analyzer
        self.key = key
        self.options = options or Options()

    @property
    def entities(self) -> List[str]:
        return sorted(self.analyzer.entities + [FACE])

    # ------------------------------------------------------------------
    def analyse(self, data: bytes, name: str) -> Analysed:
        """The whole document with its detections (for redaction and the ID check: every page at once)."""
        extracted = extract(data, name, self.options.limits)
        extracted.pages = list(extracted.pages)
        batch = self.detect(extracted.pages)
        return Analysed(extracted, batch.detections, batch.language, batch.languages.seen)

    def detect(self, pages: Sequence[Page], languages: Optional[Languages] = None) -> "Batch":
        """Detections of a batch of a document's pages; ``languages`` adds up the language across batches."""
        languages = languages if languages is not None else Languages()
        texts = [page.text for page in pages]
        wanted = self.options.text_entities
        if wanted == []:  # only faces asked for
            return Batch([[] for _ in texts], languages)
        from scanner.analyze.ner import field_ner_spans  # beside the analyzer, loaded with it

        analysed = self.analyzer.analyze_pages(texts, self.options.language, wanted, self.options.min_score,
                                               ner_spans=[field_ner_spans(p.text, p.fields) if p.fields else None
                                                          for p in pages])
        detections = []
        for page, result in zip(pages, analysed):
            found = result.detections
            if page.fields:
                from scanner.analyze.fields import with_schema_fields  # beside the analyzer, loaded with it

                found = with_schema_fields(page, found, wanted, (result.languages or [None])[0])
            if self.options.allowlist:
                found = [d for d in found if (d.entity_type, fingerprint(
                    d.entity_type, page.text[d.start:d.end], self.key)) not in self.options.allowlist]
            detections.append(found)
            languages.add(result, page.text)
        return Batch(detections, languages)

    def scan_bytes(self, data: bytes, name: str, member: Optional[str] = None, depth: int = 0) -> Iterator[Record]:
        started = time.perf_counter()
        own_name = PurePath(member).name if member else name
        # The document's findings wait until it is done (whole or nothing); a few thousand in memory,
        # the rest on disk, so an export with millions of findings is scanned in bounded memory.
        found = Spool()
        try:
            yield from self._scan_document(data, name, member, depth, own_name, started, found)
        finally:
            found.discard()

    def _scan_document(self, data: bytes, name: str, member: Optional[str], depth: int, own_name: str,
                       started: float, found: Spool) -> Iterator[Record]:
        numbers: set = set()
        ocr = False
        languages = Languages()
        try:
            extracted = extract(data, own_name, self.options.limits)
            # Pages are analysed a batch at a time: a large export is never held in memory as a whole.
            for pages in batched(extracted.pages, PAGES_PER_BATCH):
                batch = self.detect(pages, languages)
                for page, detections in zip(pages, batch.detections):
                    fields = FieldIndex(page)
                    labels = fields.labels_found(page.text, detections)
                    found.extend(self.finding(name, member, page, det, fields, labels) for det in detections)
                    if self.options.faces and page.render is not None:
                        found.extend(self.faces(name, member, page))
                    if page.number is not None:
                        numbers.add(page.number)
                    ocr = ocr or page.source == "ocr"
        except FileTimeout:
            raise  # the whole file gives one error record (scan_data)
        except ScanError as exc:
            # A document is reported whole or not at all: a failure half-way gives its error only, and
            # the batch scanner tries the file again on the next run when the failure may be transient.
            yield ErrorRecord(file=name, member=member, error=exc.code, message=exc.message)
            return
        except MemoryError:
            yield ErrorRecord(file=name, member=member, error="out_of_memory",
                              message="the document needs more memory than this process may use")
            return
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop a run
            log.error("internal error on a document (%s)", type(exc).__name__)
            yield ErrorRecord(file=name, member=member, error="internal_error",
                              message=f"the scanner failed on this document ({type(exc).__name__}); please report it")
            return
        yield from found
        log.info("document scanned: %d pages, %d findings", len(numbers), len(found))
        yield DocumentRecord(
            file=name, member=member, pages=len(numbers), language=languages.main(),
            languages=languages.seen, ocr=ocr, findings=len(found), sha256=hashlib.sha256(data).hexdigest(),
            duration_ms=int((time.perf_counter() - started) * 1000),
        )
        found.discard()
        for entry, code, message in extracted.extra.get("errors", []):
            yield ErrorRecord(file=name, member=join_member(member, entry), error=code, message=message)
        for item in extracted.members:
            path = join_member(member, item.name)
            if depth + 1 > self.options.limits.max_depth:
                yield ErrorRecord(file=name, member=path, error=TooDeep.code,
                                  message=f"containers nested more than {self.options.limits.max_depth} deep")
                continue
            yield from self.scan_bytes(item.data, name, path, depth + 1)

    def finding(self, name: str, member: Optional[str], page: Page, det: Detection,
                fields: Optional[FieldIndex] = None, labels: Sequence[tuple] = ()) -> Finding:
        value = page.text[det.start:det.end]
        box = box_for(page, det.start, det.end)
        location = (fields or FieldIndex(page)).location(det.start, det.entity_type)
        if location:
            for entity, found in labels:  # a JSON key that is an e-mail address: masked in every location too
                if found in location:
                    location = location.replace(found, mask(entity, found))
            location = _ODD_KEY.sub("['…']", location)
        return Finding(
            file=name, member=member, page=page.number, part=page.label, entity_type=det.entity_type,
            score=det.score, start=det.start, end=det.end, bbox=list(box) if box else None,
            page_size=list(page.size) if page.size else None, location=location,
            source=page.source, recognizer=det.recognizer, language=det.language,
            text_masked=mask(det.entity_type, value), fingerprint=fingerprint(det.entity_type, value, self.key),
            text=value if self.options.reveal else None,
        )

    def faces(self, name: str, member: Optional[str], page: Page) -> Iterator[Finding]:
        from scanner.analyze.vision import detect_faces

        image = page.render()
        for face in detect_faces(image):
            crop = image.crop(face.box).convert("L").resize((16, 16)).tobytes()
            yield Finding(
                file=name, member=member, page=page.number, entity_type=FACE, score=face.score,
                start=0, end=0, bbox=list(face.box), page_size=list(image.size), source="vision",
                recognizer="HaarFaceDetector", language=None, text_masked="[face]",
                fingerprint="hmac-sha256:" + hmac.new(self.key, crop, hashlib.sha256).hexdigest(),
            )

    def scan_path(self, path: Path, display: Optional[str] = None) -> Iterator[Record]:
        name = display or str(path)
        limits = self.options.limits
        try:
            size = path.stat().st_size
            if size > limits.max_bytes:
                raise FileTooLarge(f"the file is {size // (1024 * 1024)} MiB, over the "
                                   f"{limits.max_bytes // (1024 * 1024)} MiB limit")
            data = path.read_bytes()
        except ScanError as exc:
            yield ErrorRecord(file=name, error=exc.code, message=exc.message)
            return
        except OSError as exc:
            yield ErrorRecord(file=name, error=ReadFailed.code, message=f"cannot read the file: {exc.strerror or exc}")
            return
        records = self.scan_data(data, name)
        try:
            yield from records
        finally:
            records.discard()

    def scan_data(self, data: bytes, name: str, dump: bool = False) -> Spool:
        """All records of one file's bytes, collected under the per-file deadline (as dicts with ``dump``).

        A file that times out gives one error record, never half its findings. The records wait in a
        :class:`~scanner.spool.Spool` (on disk past a few thousand); discard it when done.
        """
        records = Spool(folder=self.options.spool_dir)
        try:
            with deadline(self.options.file_timeout_s):
                records.extend(r.model_dump() if dump else r for r in self.scan_bytes(data, name))
        except FileTimeout as exc:
            records.discard()
            error = ErrorRecord(file=name, error=exc.code, message=exc.message)
            records.append(error.model_dump() if dump else error)
        except BaseException:
            records.discard()
            raise
        return records


class Tally:
    """Running counts for the final summary record (a run may hold millions of records)."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.files = self.documents = self.errors = self.findings = 0
        self.unchanged = self.moved = self.deleted = 0
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
                       by_type=dict(sorted(self.by_type.items())), unchanged=self.unchanged, moved=self.moved,
                       deleted=self.deleted,
                       duration_s=round(time.perf_counter() - self.started, 3))
