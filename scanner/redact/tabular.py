"""Redacted copies of spreadsheets (.xlsx, .ods) and JSON exports (.json, .jsonl) in their own format.

The findings are on the pages of scanner/extract/tabular.py; each page field
says which cell or key holds the value (``Debiteuren!B2``, ``$.debtors[3].iban``,
``line 12 $.iban``). Each detected part of a value is replaced in that cell or
value with the operator's text (``<BE_NATIONAL_NUMBER>``, stars, a keyed hash,
nothing); then every detected value is also replaced wherever else it stands
(another cell, a header, a JSON key, a comment, a property), because the
verification (scanner/redact/document.py) reads the whole output again and
refuses it if any detected value is still there.

- .xlsx: openpyxl, formulas kept (``data_only=False``); a cell whose shown
  value held a finding gets the redacted text (a number or a date becomes
  text; a formula becomes its redacted result); other cells, formulas, sheets
  and styles are kept. Properties (author, title...) holding a detected value
  are cleared. openpyxl does not keep everything a workbook can hold (shapes,
  text boxes, form controls, slicers, sparklines...); docs/einvoices.md lists it.
- .ods: content.xml rewritten in place: the affected cells get their redacted
  text as one paragraph (``office:string-value`` too; a number or a date
  becomes a string, a formula its result); other text (comments, shapes, page
  headers in styles.xml) gets the detected values replaced; meta.xml fields
  holding one are cleared; the thumbnail is left out.
- JSON: the source is rewritten token by token: keys, order, spacing and every
  other value stay as they were; a redacted value is written as a JSON string
  (a national number stored as a number becomes ``"<BE_NATIONAL_NUMBER>"``).
  JSON lines stay one object per line; a line that is not JSON has the
  detected values replaced as text.

Files over ``MAX_BYTES`` are refused: openpyxl holds a whole workbook in memory
(tens of times its size), and the output must be verified by a second scan.

>>> from scanner.analyze.engine import Detection
>>> from scanner.extract import Limits
>>> from scanner.extract.tabular import extract_json
>>> data = b'[{"iban": "BE71 0961 2345 6769", "amount": 12}]'
>>> extracted = extract_json(data, "a.json", Limits()); extracted.pages = list(extracted.pages)
>>> redact_tabular(data, extracted, [[Detection("IBAN_CODE", 6, 25, 1.0, "r", "nl")]], "replace", b"k")
b'[{"iban": "<IBAN_CODE>", "amount": 12}]'
"""

from __future__ import annotations

import bisect
import json
import zipfile
from io import BytesIO
from typing import Dict, Iterable, List, Optional, Set, Tuple

from lxml import etree

from scanner.analyze.engine import Detection
from scanner.extract import Extracted, Limits, Page
from scanner.extract.tabular import (BOM, MAX_REPEAT, PARAGRAPHS, TABLE, TABLE_ROW, _q, cell_text, column_letter,
                                     json_tokens, open_ods, repeated, row_cells, token_text)
from scanner.redact.spans import find_values, replacement
from scanner.redact.text import redact_text

MAX_BYTES = 50 * 1024 * 1024
SWEEP_MIN = 3  # shorter values are replaced where they were found, not searched for elsewhere
SWEEP_MAX = 200  # longer ones too: a long value found elsewhere whole is rare, and the pattern would be huge
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, load_dtd=False)


def _refused(message: str) -> Exception:
    from scanner.redact.document import RedactionRefused  # imported late: document.py imports this module late

    return RedactionRefused(message)


def redact_tabular(data: bytes, extracted: Extracted, detections: List[List[Detection]], operator: str,
                   key: bytes) -> bytes:
    """The spreadsheet or JSON export with the detections (per page of ``extracted``) redacted."""
    if len(data) > MAX_BYTES:
        raise _refused(f"the file is {len(data) // (1024 * 1024)} MiB: spreadsheets and JSON exports over "
                       f"{MAX_BYTES // (1024 * 1024)} MiB are scanned, not redacted (split the export)")
    edits = Edits(list(extracted.pages), detections, operator, key)
    if extracted.kind == "json":
        return _redact_json(data, bool(extracted.extra.get("lines")), edits)
    if extracted.kind == "xlsx":
        return _redact_xlsx(data, extracted, edits)
    if extracted.kind == "ods":
        return _redact_ods(data, edits)
    raise _refused(f"redaction of {extracted.kind} files is not supported by the spreadsheet writer")


# ------------------------------------------------------------------------------------------- what to replace
class Edits:
    """The detections as edits of values (by location), and every detected value to sweep away elsewhere."""

    def __init__(self, pages: List[Page], detections: List[List[Detection]], operator: str, key: bytes):
        self.operator, self.key = operator, key
        self.fields: Dict[str, Tuple[str, List[Tuple[int, int, str]]]] = {}  # location -> (shown text, edits)
        values: Set[Tuple[str, str]] = set()
        for page, found in zip(pages, detections):
            starts = [f.start for f in page.fields]
            for det in found:
                touched = False
                first = max(0, bisect.bisect_right(starts, det.start) - 1)
                for field in page.fields[first:]:
                    if field.start >= det.end:
                        break
                    start, end = max(det.start, field.start), min(det.end, field.end)
                    if start >= end or not page.text[start:end].strip():
                        continue
                    touched = True
                    shown = page.text[field.start:field.end]
                    entry = self.fields.setdefault(field.location, (shown, []))
                    if entry[0] == shown:
                        entry[1].append((start - field.start, end - field.start, det.entity_type))
                    values.add((det.entity_type, page.text[start:end].strip()))
                if not touched:  # in a header label, a key, a property: found again by the sweep
                    values.add((det.entity_type, " ".join(page.text[det.start:det.end].split())))
        self.values = {value: entity for entity, value in sorted(values) if value}
        self.pattern = _trie_pattern([v for v in self.values if SWEEP_MIN <= len(v) <= SWEEP_MAX])
        self._replacements: Dict[Tuple[str, str], str] = {}

    def replacement(self, entity: str, value: str) -> str:
        known = self._replacements.get((entity, value))
        if known is None:
            known = replacement(entity, value, self.operator, self.key)
            if len(self._replacements) < 100000:
                self._replacements[(entity, value)] = known
        return known

    def value(self, location: str, shown: str, source: Optional[str]) -> Optional[str]:
        """The new text of the value at ``location`` (``shown`` on the page; ``source``: its string in the file,
        None for a number or a date), or None when nothing in it is to be redacted."""
        original = source if source is not None else shown
        text = original
        entry = self.fields.get(location)
        if entry and entry[0] == shown:
            if source is None or source == shown:
                text = self._apply(shown, entry[1])
            else:  # the file's string has line breaks or double spaces the page does not show: find the parts
                parts = {(entity, shown[s:e]) for s, e, entity in entry[1]}
                found = find_values(source, parts, min_length=1, whole_words=False)
                text = redact_text(source, found, self.operator, self.key) if found else self._apply(shown, entry[1])
        text = self.sweep(text)
        return None if text == original else text

    def _apply(self, text: str, edits: Iterable[Tuple[int, int, str]]) -> str:
        for start, end, entity in sorted(set(edits), reverse=True):
            text = text[:start] + self.replacement(entity, text[start:end]) + text[end:]
        return text

    def sweep(self, text: str) -> str:
        """``text`` with every detected value in it replaced (whatever the spacing between its words)."""
        if self.pattern is None or not text:
            return text

        def replace(match) -> str:
            value = " ".join(match.group(0).split())
            return self.replacement(self.values.get(value, "PERSON"), match.group(0))

        return self.pattern.sub(replace, text)

    def cleared(self, text: Optional[str]) -> bool:
        """Whether a property holding ``text`` must be emptied (it holds a detected value)."""
        if not text or not isinstance(text, str):
            return False
        folded = " ".join(text.split())
        return self.sweep(folded) != folded or folded in self.values


def _trie_pattern(values: List[str]):
    """One regex for many values, as a trie: matching costs the length of a value, not the number of values.
    A space in a value matches any run of white space."""
    import re

    if not values:
        return None
    trie: dict = {}
    for value in values:
        node = trie
        for ch in value:
            node = node.setdefault(" " if ch.isspace() else ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            head = r"\s+" if ch == " " else re.escape(ch)
            branches.append(head + build(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    return re.compile(build(trie))


# ------------------------------------------------------------------------------------------- JSON
def _redact_json(data: bytes, lines: bool, edits: Edits) -> bytes:
    bom = data.startswith(BOM)
    text = data.decode("utf-8-sig")
    if not lines:
        output = _rewrite(text, "", edits)
    else:
        pieces = text.split("\n")
        for index, line in enumerate(pieces):
            if not line.strip():
                continue
            try:
                json.loads(line)
            except (ValueError, RecursionError):
                pieces[index] = edits.sweep(line)  # not JSON: the values it shows are text
                continue
            pieces[index] = _rewrite(line, f"line {index + 1} ", edits)
        output = "\n".join(pieces)
    return (BOM if bom else b"") + output.encode("utf-8")


def _rewrite(text: str, prefix: str, edits: Edits) -> str:
    out: List[str] = []
    last = 0
    for kind, location, start, end in json_tokens(text, prefix):
        if kind == "literal":
            continue
        raw = text[start:end]
        if kind == "key":
            key = json.loads(raw) if "\\" in raw else raw[1:-1]
            new = edits.sweep(key)
            if new == key:
                continue
        else:
            source = (json.loads(raw) if "\\" in raw else raw[1:-1]) if kind == "string" else None
            new = edits.value(location, token_text(raw, kind), source)
            if new is None:
                continue
        out.append(text[last:start])
        out.append(json.dumps(new, ensure_ascii=False))
        last = end
    out.append(text[last:])
    return "".join(out)


def source_detections(data: bytes, extracted: Extracted, detections: List[List[Detection]]) -> List[Detection]:
    """The detections of a JSON export's pages as offsets in the file's text (for evaluation against offsets
    in the file): a part of a value that is written as shown maps to its characters, any other to the whole
    value token; findings in keys are left out."""
    text = data.decode("utf-8-sig")
    spans: Dict[str, Tuple[int, int, str]] = {}
    if extracted.extra.get("lines"):
        offset = 0
        for index, line in enumerate(text.split("\n")):
            try:
                json.loads(line)
                for kind, location, start, end in json_tokens(line, f"line {index + 1} "):
                    if kind in ("string", "number"):
                        spans[location] = (offset + start, offset + end, kind)
            except (ValueError, RecursionError):
                pass
            offset += len(line) + 1
    else:
        for kind, location, start, end in json_tokens(text):
            if kind in ("string", "number"):
                spans[location] = (start, end, kind)
    mapped: List[Detection] = []
    for page, found in zip(extracted.pages, detections):
        for det in found:
            for field in page.fields:
                if field.end <= det.start or det.end <= field.start or field.location not in spans:
                    continue
                start, end, kind = spans[field.location]
                raw = text[start:end]
                shown = page.text[field.start:field.end]
                inner = raw[1:-1] if kind == "string" else raw
                if inner == shown:
                    base = start + (1 if kind == "string" else 0)
                    start = base + max(det.start, field.start) - field.start
                    end = base + min(det.end, field.end) - field.start
                mapped.append(Detection(det.entity_type, start, end, det.score, det.recognizer, det.language,
                                        det.why))
    return sorted(mapped, key=lambda d: (d.start, d.end))


# ------------------------------------------------------------------------------------------- Excel
_PROPERTIES = ("creator", "lastModifiedBy", "title", "subject", "keywords", "description", "category")


def _redact_xlsx(data: bytes, extracted: Extracted, edits: Edits) -> bytes:
    from openpyxl import load_workbook

    with zipfile.ZipFile(BytesIO(data)) as archive:
        macros = "xl/vbaProject.bin" in archive.namelist()
    workbook = load_workbook(BytesIO(data), data_only=False, keep_vba=macros, keep_links=True)
    formulas: Dict[str, object] = {}
    for sheet in workbook.worksheets:
        for cell in sheet._cells.values():  # the cells the sheet has (iter_rows would create the empty ones)
            if cell.data_type == "f":
                formulas[f"{sheet.title}!{cell.coordinate}"] = cell
    shown = _shown(extracted.pages, formulas)
    for sheet in workbook.worksheets:
        for cell in list(sheet._cells.values()):
            location = f"{sheet.title}!{cell.coordinate}"
            value = cell.value
            if cell.data_type == "f":
                computed = shown.get(location)
                formula = value if isinstance(value, str) else ""
                new = edits.value(location, computed, None) if computed else None
                if new is None and formula and edits.sweep(formula) != formula:
                    new = edits.sweep(computed) if computed else edits.sweep(formula).lstrip("=")
                if new is not None:  # the formula gives way to its redacted result
                    cell.value = new
                    cell.data_type = "s"
            elif value is not None:
                text = cell_text(value)
                new = edits.value(location, text, value if isinstance(value, str) else None) if text else None
                if new is not None:
                    cell.value = new
                    cell.data_type = "s"
            _redact_extras(cell, edits)
    for name in _PROPERTIES:
        if edits.cleared(getattr(workbook.properties, name, None)):
            setattr(workbook.properties, name, None)
    custom = getattr(workbook, "custom_doc_props", None)
    for prop in list(getattr(custom, "props", None) or []):
        if edits.cleared(getattr(prop, "value", None)) or edits.cleared(str(prop.name)):
            custom.props.remove(prop)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def _shown(pages: List[Page], formulas: Dict[str, object]) -> Dict[str, str]:
    """What the extracted pages show for the formula cells (their last computed values)."""
    if not formulas:
        return {}
    return {f.location: page.text[f.start:f.end] for page in pages for f in page.fields if f.location in formulas}


def _redact_extras(cell, edits: Edits) -> None:
    """A cell's comment and link: never on a page, but they may repeat a detected value."""
    comment = getattr(cell, "comment", None)
    if comment is not None and comment.text and edits.sweep(comment.text) != comment.text:
        from openpyxl.comments import Comment

        cell.comment = Comment(edits.sweep(comment.text), comment.author or "")
    link = getattr(cell, "hyperlink", None)
    if link is not None:
        for attribute in ("target", "tooltip", "display"):
            text = getattr(link, attribute, None)
            if isinstance(text, str) and edits.sweep(text) != text:
                setattr(link, attribute, edits.sweep(text))


# ------------------------------------------------------------------------------------------- OpenDocument
_STRING_VALUE = _q("office", "string-value")
_VALUE_TYPE = _q("office", "value-type")
_CALC_VALUE_TYPE = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}value-type"
_TYPED_VALUES = tuple(_q("office", a) for a in ("value", "date-value", "time-value", "boolean-value", "currency"))
_FORMULA = _q("table", "formula")
_THUMBNAIL = "Thumbnails/thumbnail.png"


def _redact_ods(data: bytes, edits: Edits) -> bytes:
    archive = open_ods(data, Limits())
    changed: Dict[str, bytes] = {}
    content = etree.fromstring(archive.read("content.xml"), _PARSER)
    _redact_sheets(content, edits)
    _sweep_tree(content, edits)
    changed["content.xml"] = _serialise(content)
    names = archive.namelist()
    if "styles.xml" in names:
        styles = etree.fromstring(archive.read("styles.xml"), _PARSER)
        if _sweep_tree(styles, edits):
            changed["styles.xml"] = _serialise(styles)
    if "meta.xml" in names:
        meta = etree.fromstring(archive.read("meta.xml"), _PARSER)
        cleared = False
        for element in meta.iter():
            if isinstance(element.tag, str) and edits.cleared(element.text):
                element.text = ""
                cleared = True
        if cleared:
            changed["meta.xml"] = _serialise(meta)
    if "META-INF/manifest.xml" in names and _THUMBNAIL in names:
        manifest = etree.fromstring(archive.read("META-INF/manifest.xml"), _PARSER)
        for entry in list(manifest):
            if entry.get(_q("manifest", "full-path")) == _THUMBNAIL:
                manifest.remove(entry)
        changed["META-INF/manifest.xml"] = _serialise(manifest)
    return _write_package(archive, changed, skip={_THUMBNAIL})


def _redact_sheets(content, edits: Edits) -> None:
    """Each cell holding a finding (or a detected value) gets its redacted text; rows and cells are
    numbered as the extraction numbers them."""
    tables = [t for t in content.iter(TABLE) if not any(a.tag == TABLE for a in t.iterancestors())]
    for number, table in enumerate(tables, 1):
        title = table.get(_q("table", "name")) or f"Sheet{number}"
        row_number = 0
        for row in table.iter(TABLE_ROW):
            times_down = repeated(row.get(_q("table", "number-rows-repeated")))
            for column, times_across, cell, text, is_text in row_cells(row):
                source = _cell_source(cell) if is_text else None
                # a repeated cell is one element: the edits of any of its copies apply to it
                copies = (f"{title}!{column_letter(column + across)}{row_number + down + 1}"
                          for down in range(min(times_down, MAX_REPEAT)) for across in range(min(times_across, MAX_REPEAT)))
                location = next((c for c in copies if c in edits.fields), "") if edits.fields else ""
                new = edits.value(location, text, source)
                if new is not None:
                    _set_cell(cell, new)
            row_number += times_down


def _cell_source(cell) -> str:
    """A text cell's paragraphs as one string (the page shows it with its spaces collapsed)."""
    from scanner.extract.tabular import _paragraph_text

    return " ".join(_paragraph_text(child) for child in cell if child.tag in PARAGRAPHS)


def _set_cell(cell, text: str) -> None:
    for child in list(cell):
        if child.tag in PARAGRAPHS:
            cell.remove(child)
    etree.SubElement(cell, PARAGRAPHS[0]).text = text
    if cell.get(_VALUE_TYPE) not in (None, "string"):
        cell.set(_VALUE_TYPE, "string")
        for attribute in _TYPED_VALUES:
            cell.attrib.pop(attribute, None)
    if cell.get(_CALC_VALUE_TYPE) is not None:
        cell.set(_CALC_VALUE_TYPE, "string")
    if cell.get(_STRING_VALUE) is not None:
        cell.set(_STRING_VALUE, text)
    cell.attrib.pop(_FORMULA, None)


def _sweep_tree(root, edits: Edits) -> bool:
    """Every detected value replaced in this XML's text (comments, shapes, page headers); True when changed."""
    if edits.pattern is None:
        return False
    changed = False
    for element in root.iter():
        for slot in ("text", "tail"):
            text = getattr(element, slot)
            if text and text.strip():
                new = edits.sweep(text)
                if new != text:
                    setattr(element, slot, new)
                    changed = True
        if isinstance(element.tag, str) and element.get(_STRING_VALUE):
            text = element.get(_STRING_VALUE)
            new = edits.sweep(text)
            if new != text:
                element.set(_STRING_VALUE, new)
                changed = True
    return changed


def _serialise(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _write_package(archive: zipfile.ZipFile, changed: Dict[str, bytes], skip: Set[str]) -> bytes:
    """The package again, in its order; ``mimetype`` first and stored, as OpenDocument requires."""
    output = BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in archive.infolist():
            if info.filename in skip:
                continue
            content = changed.get(info.filename)
            if content is None:
                content = archive.read(info)
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.external_attr = info.external_attr
            method = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(entry, content, compress_type=method)
    return output.getvalue()


__all__ = ["redact_tabular", "source_detections", "Edits", "MAX_BYTES"]
