"""Redacted copy of an XML file (e-invoices included): each detected value replaced inside the
element text, attribute or comment it came from, the document otherwise as it was.

Works from what ``extract_xml`` recorded (``extra["pieces"]``: which span of the
page is which part of which node) and from a new parse of the same bytes with the
same safe parser, which numbers the nodes in the same order. Only the detected
part of a value is replaced (``Facture pour Jan Peeters`` becomes ``Facture pour
<PERSON>``), with the text operators (scanner/redact/text.py): ``replace``,
``mask``, ``redact``, ``hash``. A value made of several elements (an address:
street, number, postcode, town) is replaced element by element, so each element
keeps a value of its own; such a value the schema types (``ADDRESS``) is replaced
whole when a detection of its type covers only part of it.

Kept: the XML declaration as written, the encoding, the DOCTYPE, namespaces and
prefixes, every element in the same order (values replaced, never an element
removed), attributes, comments. Embedded files (``cbc:EmbeddedDocumentBinaryObject``,
``ram:AttachmentBinaryObject``) become ``redact_member(name, data)`` encoded in
base64 again; when that gives None, or the file was never scanned (over a limit,
not base64), the element is emptied: its content is never passed on.

A detected value that lives in a DOCTYPE entity declaration cannot be rewritten
there: the redaction is refused rather than leave it.

>>> from scanner.extract import Limits
>>> from scanner.extract.xml import extract_xml
>>> from scanner.analyze.engine import Detection
>>> data = b'<?xml version="1.0" encoding="UTF-8"?>\\n<note to="Jan Peeters"><body>Bel Jan Peeters</body></note>'
>>> extracted = extract_xml(data, "n.xml", Limits())
>>> print(extracted.pages[0].text, end="")
note / @to: Jan Peeters
body: Bel Jan Peeters
>>> dets = [Detection("PERSON", 12, 23, 0.9, "r", "nl"), Detection("PERSON", 34, 45, 0.9, "r", "nl")]
>>> print(redact_xml(data, extracted, [dets], "replace", b"k", lambda name, blob: blob).decode())
<?xml version="1.0" encoding="UTF-8"?>
<note to="&lt;PERSON&gt;"><body>Bel &lt;PERSON&gt;</body></note>
"""

from __future__ import annotations

import base64
import bisect
import codecs
import hashlib
import re
from typing import Callable, Dict, List, Optional, Tuple

from lxml import etree

from scanner.analyze.engine import Detection
from scanner.errors import ScanError
from scanner.extract import Extracted, Page
from scanner.extract.xml import nodes, parse
from scanner.redact.spans import replacement

RedactMember = Callable[[str, bytes], Optional[bytes]]
Slot = Tuple[int, str, Optional[str]]  # node index, "text" | "tail" | "attr", attribute name
_DECLARATION = re.compile(rb"^(\xef\xbb\xbf)?(\s*<\?xml[^>]*\?>)")


def redact_xml(data: bytes, extracted: Extracted, detections: List[List[Detection]], operator: str, key: bytes,
               redact_member: RedactMember) -> bytes:
    """The XML with the detections (one list per page of ``extracted``) redacted; see the module docstring."""
    page = extracted.pages[0]
    found = _whole_typed_values(page, detections[0] if detections else [])
    if hashlib.sha256(data).hexdigest() != extracted.extra.get("sha256"):
        raise _refused("the document changed between extraction and redaction; nothing was written")
    tree = parse(data)
    all_nodes = nodes(tree)
    if len(all_nodes) != extracted.extra.get("nodes"):
        raise _refused("the document changed between extraction and redaction; nothing was written")
    for start, end in extracted.extra.get("dtd", []):
        if any(det.start < end and start < det.end for det in found):
            raise _refused("a detected value is declared as an entity in the file's DOCTYPE, which cannot be "
                           "rewritten safely; nothing was written")
    pieces = extracted.extra.get("pieces", [])  # in page order, none overlapping
    for page_start, page_end, node, slot, attribute, offset in pieces:
        if _get(all_nodes[node], slot, attribute)[offset:offset + page_end - page_start] != \
                page.text[page_start:page_end]:
            raise _refused("the document changed between extraction and redaction; nothing was written")
    starts = [piece[0] for piece in pieces]
    edits: Dict[Slot, List[Tuple[int, int, str]]] = {}
    for det in found:
        for index in range(max(0, bisect.bisect_right(starts, det.start) - 1), len(pieces)):
            page_start, page_end, node, slot, attribute, offset = pieces[index]
            if page_start >= det.end:
                break
            if page_end <= det.start:
                continue
            start, end = max(det.start, page_start), min(det.end, page_end)
            edits.setdefault((node, slot, attribute), []).append(
                (offset + start - page_start, offset + end - page_start, det.entity_type))
    written: Dict[Tuple[str, str], str] = {}

    def new_value(entity: str, value: str) -> str:
        # replace and redact write the same for every value of a type: computed once per type.
        cache_key = (entity, "" if operator in ("replace", "redact") else value)
        if cache_key not in written:
            written[cache_key] = replacement(entity, value, operator, key)
        return written[cache_key]

    for (node, slot, attribute), changes in edits.items():
        element = all_nodes[node]
        text = _get(element, slot, attribute)
        for start, end, entity in reversed(_disjoint(changes)):
            text = text[:start] + new_value(entity, text[start:end]) + text[end:]
        _set(element, slot, attribute, text)
    for attachment in extracted.extra.get("attachments", []):
        _replace_attachment(all_nodes[attachment["node"]], attachment.get("member"), extracted, redact_member)
    return _serialise(tree, data)


def _whole_typed_values(page: Page, found: List[Detection]) -> List[Detection]:
    """``found``, plus the whole of each value the schema types that a detection of that type only partly
    covers: an address recognizer that took "Po box 878" out of "Hovedgatan 32, Po box 878, 456 34
    Stockholm" must not leave the street and the town in the copy."""
    more = []
    for field in page.fields:
        if not field.entity:
            continue
        same = [d for d in found if d.entity_type == field.entity and d.start < field.end and field.start < d.end]
        if same and not any(d.start <= field.start and field.end <= d.end for d in same):
            more.append(Detection(field.entity, field.start, field.end, same[0].score, "SchemaField",
                                  same[0].language, "the rest of a value the schema types"))
    return found + more


def _refused(message: str) -> ScanError:
    return ScanError(message, code="redaction_refused")


def _get(node: etree._Element, slot: str, attribute: Optional[str]) -> str:
    if slot == "attr":
        return node.get(attribute) or ""
    return (node.tail if slot == "tail" else node.text) or ""


def _set(node: etree._Element, slot: str, attribute: Optional[str], value: str) -> None:
    if slot == "attr":
        node.set(attribute, value)
    elif slot == "tail":
        node.tail = value
    elif node.tag is etree.Comment:
        # A comment may not hold "--" nor end with "-": what a deleted value leaves is spaced apart.
        value = value.replace("--", "- -").replace("--", "- -")
        node.text = value + " " if value.endswith("-") else value
    else:
        node.text = value


def _disjoint(changes: List[Tuple[int, int, str]]) -> List[Tuple[int, int, str]]:
    """The changes of one node in order, overlapping ones joined (typed as the first, the longest first)."""
    merged: List[Tuple[int, int, str]] = []
    for start, end, entity in sorted(changes, key=lambda change: (change[0], -change[1])):
        if merged and start < merged[-1][1]:
            first_start, first_end, first_entity = merged[-1]
            merged[-1] = (first_start, max(first_end, end), first_entity)
        else:
            merged.append((start, end, entity))
    return merged


def _replace_attachment(element: etree._Element, member: Optional[str], extracted: Extracted,
                        redact_member: RedactMember) -> None:
    """The embedded file's redacted copy in base64, or nothing; the surrounding whitespace as it was."""
    stored = {m.name: m.data for m in extracted.members}
    new = redact_member(member, stored[member]) if member in stored else None
    text = element.text or ""
    lead = text[:len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()):] if text.strip() else ""
    element.text = lead + base64.b64encode(new).decode("ascii") + trail if new else (lead or None)


def _serialise(tree: etree._ElementTree, data: bytes) -> bytes:
    """The tree in its own encoding, behind the declaration it was written with (and its byte order mark)."""
    encoding = tree.docinfo.encoding or "UTF-8"
    declaration = _DECLARATION.match(data)
    try:
        wide = codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))
    except LookupError:
        wide = False
    if wide or (declaration is None and encoding.upper().replace("-", "") not in ("UTF8", "ASCII", "USASCII")):
        # A declaration lxml writes itself: in a two-byte encoding, or one the file needs but did not have.
        return etree.tostring(tree, encoding=encoding, xml_declaration=True)
    body = etree.tostring(tree, encoding=encoding, xml_declaration=False)
    if declaration is None:
        return body
    bom, text = declaration.group(1) or b"", declaration.group(2).lstrip()
    return bom + text + b"\n" + body
