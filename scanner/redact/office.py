"""Redacted copy of a .docx or an .odt: each detected value replaced in the XML text nodes it came from.

``scanner.extract.wordml.layout`` is run again on the same bytes: it gives the
same pages and, for every span of a page, the ``w:t`` node (or attribute) that
holds it. A value inside one run is replaced in that run; a value spread over
several runs (``Jan`` in bold, `` Peeters`` not) gets its replacement in the
first run and its other characters removed from the others, so the formatting
of everything else is kept. Then:

- a document property (author, title, ...) holding a detected value is cleared;
- every detected value is also replaced wherever else it appears as text in
  the package, and in attributes that hold names or links (revision and
  comment authors, picture descriptions, hyperlink targets in ``.rels``,
  data-bound ``customXml`` items): those copies were never on a page;
- the thumbnail (``docProps/thumbnail.*``, a picture of the first page) is removed;
- embedded files are emptied unless ``redact_member`` gave a redacted copy of an
  embedded file that was stored as is (a file wrapped in an OLE object cannot be
  wrapped again here: it is emptied, Word then only shows its icon).

Pictures (``word/media``) are members too: each is redacted by the image writer
(opaque boxes over its findings and faces, rebuilt from its pixels, no EXIF), or
emptied when it cannot be read.

An .odt (``redact_odt``) goes the same way, with ``scanner.extract.odf.layout``
for the pages and spans (a span can be an element's tail there: ODF paragraphs
are mixed content); its thumbnail is ``Thumbnails/thumbnail.png``, listed in
``META-INF/manifest.xml``; ``mimetype`` stays the first entry, stored.

>>> import io, docx
>>> from scanner.extract import Limits
>>> from scanner.extract.office import extract_docx
>>> from scanner.analyze.engine import Detection
>>> document = docx.Document()
>>> paragraph = document.add_paragraph("Dossier de ")
>>> paragraph.add_run("Anne").bold = True
>>> _ = paragraph.add_run(" Dupont, Namur")
>>> buffer = io.BytesIO(); document.save(buffer)
>>> extracted = extract_docx(buffer.getvalue(), "a.docx", Limits())
>>> out = redact_docx(buffer.getvalue(), extracted, [[Detection("PERSON", 11, 22, 0.9, "r", "fr")]], "replace", b"k")
>>> [run.text for run in docx.Document(io.BytesIO(out)).paragraphs[0].runs]
['Dossier de ', '<PERSON>', ', Namur']
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from typing import Callable, Dict, List, Optional, Set, Tuple

from lxml import etree

from scanner.analyze.engine import Detection
from scanner.errors import ScanError
from scanner.extract import Extracted
from scanner.extract.errors import CorruptDocument
from scanner.extract.office import EMBEDDINGS
from scanner.extract import odf
from scanner.extract.wordml import PARSER, PageLayout, Source, layout
from scanner.extract.ziplimits import open_zip
from scanner.redact.spans import detected_values, find_values, replacement
from scanner.redact.text import redact_text

RedactMember = Callable[[str, bytes], Optional[bytes]]
# Attributes that can hold a name, an address or a link (local names, any namespace).
# Word: authors, picture descriptions, .rels link targets; OpenDocument: link targets (xlink:href),
# field values (text:string-value of a user field's declaration).
_PERSONAL_ATTRIBUTES = {"author", "initials", "descr", "title", "Target", "userId", "href", "string-value"}
_THUMBNAIL = re.compile(r"docProps/thumbnail\.\w+$")
_ODF_THUMBNAILS = re.compile(r"Thumbnails/")
_ODF_MANIFEST = "META-INF/manifest.xml"
_OLE_OBJECT = "application/vnd.sun.star.oleobject"


def redact_docx(data: bytes, extracted: Extracted, detections: List[List[Detection]], operator: str, key: bytes,
                redact_member: Optional[RedactMember] = None) -> bytes:
    """The .docx with the detections (per page of ``extracted``) redacted; see the module docstring."""
    archive = open_zip(data, CorruptDocument)
    pages, roots = layout(archive)
    changed = _redact_parts(archive, pages, roots, extracted, detections, operator, key,
                            lambda name: name.endswith((".xml", ".rels")) and not name.startswith(EMBEDDINGS))
    changed.update(_embeddings(archive, extracted, redact_member))
    return _write(archive, changed)


def redact_odt(data: bytes, extracted: Extracted, detections: List[List[Detection]], operator: str, key: bytes,
               redact_member: Optional[RedactMember] = None) -> bytes:
    """The .odt with the detections (per page of ``extracted``) redacted, as a .docx is (module docstring).

    Every other XML part is swept too: settings.xml, manifest.rdf, and the XML of
    embedded OpenDocument objects (``Object 1/content.xml``: a chart, a formula),
    which no page shows. An embedded foreign (OLE) object cannot be read: it is
    emptied, as in a .docx; ``redact_member`` is not called (an .odt has no members).
    The thumbnail goes, with its manifest entry.
    """
    archive = open_zip(data, CorruptDocument)
    pages, roots = odf.layout(archive)
    changed = _redact_parts(archive, pages, roots, extracted, detections, operator, key,
                            lambda name: name.endswith((".xml", ".rdf")) and name != _ODF_MANIFEST)
    if _ODF_MANIFEST in archive.namelist():
        manifest = etree.fromstring(archive.read(_ODF_MANIFEST), PARSER)
        for entry in list(manifest):
            path = entry.get(odf.q("manifest", "full-path")) or ""
            if _ODF_THUMBNAILS.match(path):
                manifest.remove(entry)
            elif entry.get(odf.q("manifest", "media-type")) == _OLE_OBJECT and path in archive.namelist():
                changed[path] = b""
        changed[_ODF_MANIFEST] = _serialise(manifest)
    return _write(archive, changed, leave_out=_ODF_THUMBNAILS.match)


def _redact_parts(archive: zipfile.ZipFile, pages: List[PageLayout], roots: Dict[str, etree._Element],
                  extracted: Extracted, detections: List[List[Detection]], operator: str, key: bytes,
                  sweep: Callable[[str], bool]) -> Dict[str, bytes]:
    """The changed parts: values replaced in the nodes of the pages, properties holding one cleared,
    every value replaced in the other text of those parts and of the parts ``sweep`` accepts."""
    if [(p.label, p.text) for p in pages] != [(p.label, p.text) for p in extracted.pages]:
        raise ScanError("the document changed between extraction and redaction; nothing was written",
                        code="redaction_refused")
    values: Set[Tuple[str, str]] = set()
    metadata = []
    for page, found in zip(pages, detections):
        values |= detected_values(page.text, found)
        if page.label == "metadata":
            metadata.append((page, found))
        else:
            _replace_in_runs(page, found, operator, key)
    for page, found in metadata:  # after every page: a value found in the body clears a title holding it too
        _clear_properties(page, found, values)
    changed: Dict[str, bytes] = {}
    for part, root in roots.items():
        _propagate(root, values, operator, key)
        changed[part] = _serialise(root)
    for info in archive.infolist():
        name = info.filename
        if name in changed or not sweep(name):
            continue
        root = _parse_other(archive, info)
        if root is not None and _propagate(root, values, operator, key):
            changed[name] = _serialise(root)
    return changed


def _replace_in_runs(page: PageLayout, found: List[Detection], operator: str, key: bytes) -> None:
    """Each value's replacement goes into the first node it touches; its other characters are removed."""
    edits: Dict[Source, List[Tuple[int, int, str]]] = {}
    for det in found:
        new = replacement(det.entity_type, page.text[det.start:det.end], operator, key)
        for start, end, source in page.spans:
            if end <= det.start or det.end <= start or start == end:
                continue
            edits.setdefault(source, []).append((max(det.start, start) - start, min(det.end, end) - start, new))
            new = ""
    for source, changes in edits.items():
        text = source.get()
        for start, end, new in sorted(changes, reverse=True):
            text = text[:start] + new + text[end:]
        source.set(text)


def _clear_properties(page: PageLayout, found: List[Detection], values: Set[Tuple[str, str]]) -> None:
    """A property holding a detected value (found there or anywhere else) is emptied:
    a half-redacted author name or title helps nobody."""
    for start, end, source in page.spans:
        if any(det.start < end and start < det.end for det in found) or find_values(source.get(), values):
            source.set("")


def _propagate(root: etree._Element, values: Set[Tuple[str, str]], operator: str, key: bytes) -> bool:
    """Every detected value replaced in this XML's text and personal attributes; True when something changed."""
    if not values:
        return False
    changed = False
    for element in root.iter():
        for slot in ("text", "tail"):
            text = getattr(element, slot)
            if text and text.strip():
                new = _replace_values(text, values, operator, key)
                if new != text:
                    setattr(element, slot, new)
                    changed = True
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if etree.QName(name).localname in _PERSONAL_ATTRIBUTES and value.strip():
                new = _replace_values(value, values, operator, key)
                if new != value:
                    element.set(name, new)
                    changed = True
    return changed


def _replace_values(text: str, values: Set[Tuple[str, str]], operator: str, key: bytes) -> str:
    found = find_values(text, values)
    return redact_text(text, found, operator, key) if found else text


def _parse_other(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Optional[etree._Element]:
    """Another XML part (settings, customXml items, relationships); None when it is not XML we can read."""
    try:
        return etree.fromstring(archive.read(info), PARSER)
    except etree.XMLSyntaxError:
        return None


def _embeddings(archive: zipfile.ZipFile, extracted: Extracted,
                redact_member: Optional[RedactMember]) -> Dict[str, bytes]:
    members = {m.name: m.data for m in extracted.members}
    replaced: Dict[str, bytes] = {}
    for record in extracted.extra.get("embeddings", []):
        part, member = record["part"], record["member"]
        new = None
        original = archive.read(part)
        if redact_member is not None and member in members and members[member] == original:
            new = redact_member(member, original)
        replaced[part] = new if new is not None else b""
    return replaced


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _write(archive: zipfile.ZipFile, changed: Dict[str, bytes],
           leave_out: Callable[[str], object] = _THUMBNAIL.match) -> bytes:
    """A new package in the original's order, each entry compressed as it was; changed parts
    replaced, ``leave_out`` entries (the thumbnail) and a .docx's thumbnail relationship left out.
    An OpenDocument's ``mimetype`` is written first and stored, as ODF requires."""
    output = BytesIO()
    entries = sorted(archive.infolist(), key=lambda info: info.filename != "mimetype")  # stable: order kept
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in entries:
            if leave_out(info.filename):
                continue
            content = changed.get(info.filename)
            if content is None:
                content = archive.read(info)
            if info.filename == "_rels/.rels":
                content = _without_thumbnail(content)
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.external_attr = info.external_attr
            method = zipfile.ZIP_STORED if info.compress_type == zipfile.ZIP_STORED or info.filename == "mimetype" \
                else zipfile.ZIP_DEFLATED
            target.writestr(entry, content, compress_type=method)
    return output.getvalue()


def _without_thumbnail(rels: bytes) -> bytes:
    root = etree.fromstring(rels, PARSER)
    for rel in list(root):
        if (rel.get("Type") or "").endswith("/metadata/thumbnail"):
            root.remove(rel)
    return _serialise(root)
