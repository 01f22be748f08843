"""``make eval`` (documents part): scans, photos, PDFs, e-mails, Word files in sample_docs/.

Per format: recall and precision per entity type (a finding counts when its box
overlaps the ground-truth box on the same page, or, without geometry, when its
value is the same), box IoU, faces found, decoy hits; then, after
``piiscan redact``, values still readable in the output (extracted and OCR'd
again) and the share of harmless anchor words that survive. The same images go
through presidio-image-redactor (plain Presidio recognizers, same spaCy model,
its own Tesseract pass) for comparison. Writes docs/eval-documents.md.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Optional

from tools.evaluate import SAMPLES, Counts, write_report
from tools.evaluate import load_truth as load_text_truth

DOC_TRUTH = SAMPLES / "documents_truth.jsonl"
IMAGE_FOLDERS = ("scans", "photos", "faces")


def load_truth(path: Path = DOC_TRUTH) -> Dict[str, List[dict]]:
    return load_text_truth(path)


def iou(a, b) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def rescale(box, size, target) -> List[float]:
    if not size or not target or list(size) == list(target):
        return list(box)
    fx, fy = target[0] / size[0], target[1] / size[1]
    return [box[0] * fx, box[1] * fy, box[2] * fx, box[3] * fy]


def squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text or "").casefold()


def same_place(item: dict, finding: dict) -> bool:
    if item.get("member") != finding.get("member"):
        return False
    if item.get("bbox") and finding.get("bbox"):
        if item.get("page") != finding.get("page"):
            return False
        return iou(item["bbox"], rescale(finding["bbox"], finding.get("page_size"), item.get("page_size"))) > 0
    value, found = squash(item.get("value")), squash(finding.get("text"))
    return bool(value) and bool(found) and (value in found or found in value)


def folder_of(file: str) -> str:
    return file.split("/", 1)[0]


def score(truth: Dict[str, List[dict]], findings_of) -> dict:
    """Counts per folder and type, IoUs, faces, decoy hits."""
    counts: Dict[tuple, Counts] = defaultdict(Counts)
    ious: List[float] = []
    decoys: List[dict] = []
    seconds: Dict[str, float] = defaultdict(float)
    for file, items in sorted(truth.items()):
        started = time.perf_counter()
        findings = findings_of(file)
        seconds[folder_of(file)] += time.perf_counter() - started
        entities = [i for i in items if "entity_type" in i]
        for item in entities:
            hits = [f for f in findings if f["entity_type"] == item["entity_type"] and same_place(item, f)]
            key = (folder_of(file), item["entity_type"])
            if hits:
                counts[key].tp += 1
                if item.get("bbox") and hits[0].get("bbox"):
                    ious.append(max(iou(item["bbox"], rescale(h["bbox"], h.get("page_size"), item.get("page_size")))
                                    for h in hits if h.get("bbox")))
            else:
                counts[key].fn += 1
        for finding in findings:
            if not any(i["entity_type"] == finding["entity_type"] and same_place(i, finding) for i in entities):
                counts[(folder_of(file), finding["entity_type"])].fp += 1
            for decoy in (i for i in items if "decoy" in i and i.get("bbox") and finding.get("bbox")):
                if decoy.get("page") == finding.get("page") and iou(
                        decoy["bbox"], rescale(finding["bbox"], finding.get("page_size"), decoy.get("page_size"))) > 0.3:
                    decoys.append({"file": file, "decoy": decoy["decoy"], "as": finding["entity_type"]})
    return {"counts": counts, "ious": ious, "decoys": decoys, "seconds": seconds}


def piiscan_findings(scanner):
    def findings_of(file: str) -> List[dict]:
        data = (SAMPLES / file).read_bytes()
        return [r.model_dump() for r in scanner.scan_bytes(data, file) if r.kind == "finding"]

    return findings_of


def all_text(data: bytes, name: str, depth: int = 0) -> str:
    """Every text a reader could get out of a file: pages (OCR'd when pictures) and members."""
    from scanner.extract.dispatch import extract

    extracted = extract(data, name)
    texts = [p.text for p in extracted.pages]
    if depth < 3:
        texts += [all_text(m.data, m.name, depth + 1) for m in extracted.members]
    return "\n".join(texts)


def leaks_and_anchors(scanner, truth: Dict[str, List[dict]]) -> dict:
    from scanner.redact.document import RedactionLeak, redact_bytes

    leaks, checked, anchors, kept, failures = [], 0, 0, 0, []
    for file, items in sorted(truth.items()):
        data = (SAMPLES / file).read_bytes()
        try:
            output, _ = redact_bytes(scanner, data, file, "replace")
        except RedactionLeak as exc:
            failures.append({"file": file, "why": exc.message})
            continue
        text = squash(all_text(output, file))
        for item in items:
            if "entity_type" in item and item.get("value") and len(squash(item["value"])) >= 4:
                checked += 1
                if squash(item["value"]) in text:
                    leaks.append({"file": file, "type": item["entity_type"], "member": item.get("member")})
            elif "anchor" in item:
                anchors += 1
                kept += squash(item["anchor"]) in text
    return {"checked": checked, "leaks": leaks, "anchors": anchors, "kept": kept, "failures": failures}


def presidio_image_findings():
    """presidio-image-redactor's analysis of an image: its OCR, plain Presidio recognizers."""
    from PIL import Image
    from presidio_image_redactor import ImageAnalyzerEngine

    from tools.evaluate import plain_presidio

    engine, language_of = plain_presidio()
    images = ImageAnalyzerEngine(analyzer_engine=engine)

    def findings_of(file: str) -> List[dict]:
        image = Image.open(SAMPLES / file)
        out = []
        for frame_index in range(getattr(image, "n_frames", 1)):
            image.seek(frame_index)
            frame = image.convert("RGB")
            for r in images.analyze(frame, language="fr"):
                out.append({"entity_type": r.entity_type, "page": frame_index + 1, "member": None,
                            "bbox": [r.left, r.top, r.left + r.width, r.top + r.height],
                            "page_size": list(frame.size), "text": None})
        return out

    return findings_of


def table(result: dict, folders) -> str:
    lines = ["| format | entity type | precision | recall | TP | FN | FP |", "|---|---|---:|---:|---:|---:|---:|"]
    for folder in folders:
        types = sorted({t for f, t in result["counts"] if f == folder})
        for entity in types:
            c = result["counts"][(folder, entity)]
            lines.append(f"| {folder} | {entity} | {c.precision:.3f} | {c.recall:.3f} | {c.tp} | {c.fn} | {c.fp} |")
    return "\n".join(lines)


def totals(result: dict, folders, types=None) -> Counts:
    total = Counts()
    for (folder, entity), c in result["counts"].items():
        if folder in folders and (types is None or entity in types):
            total.tp, total.fn, total.fp = total.tp + c.tp, total.fn + c.fn, total.fp + c.fp
    return total


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--no-presidio", action="store_true")
    args = parser.parse_args(argv)

    from scanner.analyze.engine import Analyzer
    from scanner.pipeline import Options, Scanner

    truth = load_truth()
    analyzer = Analyzer.load()
    revealing = Scanner(analyzer, key=b"evaluation", options=Options(reveal=True))
    ours = score(truth, piiscan_findings(revealing))
    folders = sorted({folder_of(f) for f in truth})
    checksum = {"BE_NATIONAL_NUMBER", "BE_ENTERPRISE_NUMBER", "BE_ID_CARD_NUMBER", "IBAN_CODE",
                "EMAIL_ADDRESS", "PHONE_NUMBER"}
    key_total = totals(ours, folders, checksum)
    all_total = totals(ours, folders)
    mean_iou = sum(ours["ious"]) / len(ours["ious"]) if ours["ious"] else 0.0
    redaction = leaks_and_anchors(Scanner(analyzer, key=b"evaluation"), truth)
    face_total = totals(ours, folders, {"FACE"})
    sections = [
        "# Documents: scans, photos, PDFs, e-mails, Word (sample_docs)", "",
        f"Generated by `make eval` ({time.strftime('%Y-%m-%d')}). Ground truth: `sample_docs/documents_truth.jsonl` "
        f"({len(truth)} files). A finding counts when its box overlaps the labelled box on the same page, or, "
        "where there is no geometry (e-mail headers, Word, PDF metadata), when it holds the same value.", "",
        "## piiscan", "",
        f"- checksum identifiers, IBAN, e-mail, phone: recall **{key_total.recall:.3f}**, "
        f"precision **{key_total.precision:.3f}**",
        f"- all types: recall **{all_total.recall:.3f}**, precision **{all_total.precision:.3f}**",
        f"- mean box IoU of found values: **{mean_iou:.2f}** ({len(ours['ious'])} boxes)",
        f"- faces: {face_total.tp} of {face_total.tp + face_total.fn} found, {face_total.fp} false",
        f"- decoy hits: **{len(ours['decoys'])}**",
        f"- after `piiscan redact`: **{len(redaction['leaks'])} leaks** of {redaction['checked']} labelled values "
        f"(output extracted and OCR'd again); harmless anchor words kept: "
        f"**{redaction['kept']}/{redaction['anchors']}**"
        + (f" ({redaction['kept'] / redaction['anchors']:.1%})" if redaction["anchors"] else ""),
        f"- redactions refused by verification: {len(redaction['failures'])}", "",
        table(ours, folders), "",
    ]
    if redaction["leaks"]:
        sections += ["### Leaks", ""] + [f"- {l['file']}: {l['type']}" + (f" in {l['member']}" if l["member"] else "")
                                          for l in redaction["leaks"]] + [""]
    if redaction["failures"]:
        sections += ["### Refused by verification", ""] + [f"- {f['file']}: {f['why']}" for f in redaction["failures"]]
    if not args.no_presidio:
        image_truth = {f: items for f, items in truth.items() if folder_of(f) in IMAGE_FOLDERS}
        ours_images = score(image_truth, piiscan_findings(revealing))
        theirs = score(image_truth, presidio_image_findings())
        shared = {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "IBAN_CODE"}
        o, t = totals(ours_images, IMAGE_FOLDERS, shared), totals(theirs, IMAGE_FOLDERS, shared)
        oa, ta = totals(ours_images, IMAGE_FOLDERS), totals(theirs, IMAGE_FOLDERS)
        sections += [
            "", "## Against presidio-image-redactor on the same images", "",
            f"Images in {', '.join(IMAGE_FOLDERS)}; presidio-image-redactor with Presidio's default recognizers "
            "and the same spaCy model.", "",
            "| system | recall (types both know) | precision (same) | recall (all types) | seconds |",
            "|---|---:|---:|---:|---:|",
            f"| piiscan | {o.recall:.3f} | {o.precision:.3f} | {oa.recall:.3f} | "
            f"{sum(ours_images['seconds'].values()):.1f} |",
            f"| presidio-image-redactor | {t.recall:.3f} | {t.precision:.3f} | {ta.recall:.3f} | "
            f"{sum(theirs['seconds'].values()):.1f} |",
        ]
    from tools.realdata_report import report as realdata

    sections += realdata()
    write_report("\n".join(sections) + "\n", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
