"""``piiscan redact``: a redacted copy, verified, written atomically; the input is never touched."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import List

from scanner.analyze.engine import Detection
from scanner.errors import RunFailed, ScanError
from scanner.extract.dispatch import kind_of
from scanner.pipeline import Scanner, box_for
from scanner.records import FACE
from scanner.redact.pixels import Covers, redact_image, redact_pdf
from scanner.privacy import normalise
from scanner.redact.spans import detected_values, find_values, merge
from scanner.redact.text import map_to_source, redact_text


MIN_SUBSTRING = 3  # as find_values: shorter values are not searched as substrings


class RedactionLeak(ScanError):
    code = "redaction_leak"


class RedactionRefused(ScanError):
    code = "redaction_refused"


def propagate(text: str, detections: List[Detection]) -> List[Detection]:
    """Every other occurrence of a detected value is redacted too (a name repeated in a context
    the recognizers did not flag is still that person's name)."""
    return merge(detections, find_values(text, detected_values(text, detections), whole_words=False))


def redact_bytes(scanner: Scanner, data: bytes, name: str, operator: str, depth: int = 0) -> tuple[bytes, dict]:
    """The redacted file and a summary; raises RedactionLeak when verification finds a value."""
    if kind_of(data, name) in ("xlsx", "ods", "json"):
        from scanner.redact import tabular

        if len(data) > tabular.MAX_BYTES:  # refused before an analysis of an hour, not after
            raise RedactionRefused(f"the file is {len(data) // (1024 * 1024)} MiB: spreadsheets and JSON exports "
                                   f"over {tabular.MAX_BYTES // (1024 * 1024)} MiB are scanned, not redacted "
                                   "(split the export)")
    analysed = scanner.analyse(data, name)
    extracted = analysed.extracted
    detections = [propagate(page.text, dets) for page, dets in zip(extracted.pages, analysed.detections)]
    counts: dict[str, int] = {}
    for dets in detections:
        for det in dets:
            counts[det.entity_type] = counts.get(det.entity_type, 0) + 1
    kind = extracted.kind

    def redact_member(filename: str, content: bytes):
        try:
            return redact_bytes(scanner, content, filename, operator, depth + 1)[0]
        except ScanError:
            return None  # a part we cannot redact is dropped, never passed on as it was

    if kind == "html":
        source = redact_text(extracted.extra["raw"], map_to_source(extracted.extra["pieces"], detections[0]),
                             operator, scanner.key)
        output = source.encode(extracted.encoding or "utf-8")
    elif kind == "text":
        output = redact_text(extracted.pages[0].text, detections[0], operator, scanner.key).encode(
            extracted.encoding or "utf-8")
    elif kind in ("image", "pdf"):
        covers = _covers(scanner, extracted, detections, counts)
        if kind == "image":
            output = redact_image(extracted, covers)
        else:
            output = redact_pdf(data, extracted, covers, scanner.options.limits)
    elif kind == "docx":
        from scanner.redact.office import redact_docx

        output = redact_docx(data, extracted, detections, operator, scanner.key, redact_member)
    elif kind == "odt":
        from scanner.redact.office import redact_odt

        output = redact_odt(data, extracted, detections, operator, scanner.key)
    elif kind == "eml":
        from scanner.redact.email import redact_eml

        output = redact_eml(data, extracted, detections, operator, scanner.key, redact_member)
    elif kind == "xml":
        from scanner.redact.xml import redact_xml

        output = redact_xml(data, extracted, detections, operator, scanner.key, redact_member)
    elif kind in ("xlsx", "ods", "json"):
        from scanner.redact.tabular import redact_tabular

        output = redact_tabular(data, extracted, detections, operator, scanner.key)
    else:
        raise RedactionRefused(f"redaction of {kind} files is not supported yet")
    values = {(d.entity_type, page.text[d.start:d.end])
              for page, dets in zip(extracted.pages, detections) for d in dets}
    verify(scanner, output, name, values)
    return output, {"findings": sum(counts.values()), "by_type": dict(sorted(counts.items()))}


def _covers(scanner: Scanner, extracted, detections, counts: dict) -> Covers:
    """Boxes to cover per page: every finding with geometry, and faces."""
    from scanner.analyze.vision import detect_faces

    covers: Covers = {}
    for page, dets in zip(extracted.pages, detections):
        if page.number is None or not page.size:
            continue  # metadata, forms, attachments: not carried into the rebuilt file
        for det in dets:
            box = box_for(page, det.start, det.end)
            if box:
                covers.setdefault(page.number, []).append((box, page.size))
        if scanner.options.faces and page.render is not None:
            image = page.render()
            for face in detect_faces(image):
                covers.setdefault(page.number, []).append((face.box, image.size))
                counts[FACE] = counts.get(FACE, 0) + 1
    return covers


def verify(scanner: Scanner, output: bytes, name: str, values: set) -> None:
    """Extract the output again; no redacted value may be found in it, as text or as a finding."""
    analysed = scanner.analyse(output, name)
    # Structured documents: their values only (the reader's labels, "Party / Contact / Name: ", are not in the file).
    text = "\n".join("\n".join(page.text[f.start:f.end] for f in page.fields) if page.fields else page.text
                     for page in analysed.extracted.pages)
    found = {normalise(d.entity_type, p.text[d.start:d.end])
             for p, dets in zip(analysed.extracted.pages, analysed.detections) for d in dets}
    # A value of one or two characters is everywhere as a substring: it counts only if found again as a value.
    leaks = sorted({entity for entity, value in values
                    if (len(value.strip()) >= MIN_SUBSTRING and value in text) or normalise(entity, value) in found})
    if leaks:
        raise RedactionLeak(f"verification failed: redacted values of type {', '.join(leaks)} are still "
                            "in the output; no file was written")


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename: never a half-written output."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def redact_file(scanner: Scanner, source: Path, target: Path, operator: str) -> dict:
    if target.exists() and (target.resolve() == source.resolve() or os.path.samefile(source, target)):
        raise RedactionRefused("the output is the input: piiscan never modifies the original")
    data = source.read_bytes()
    output, summary = redact_bytes(scanner, data, str(source), operator)
    try:
        write_atomically(target, output)
    except OSError as exc:  # a full disk, a read-only folder: plain words, and nothing half-written is left
        raise RunFailed(f"cannot write {target}: {exc.strerror or exc}; no file was written") from exc
    return {"kind": "redaction", "input": str(source), "output": str(target), "operator": operator,
            "verified": True, **summary}
