"""Spreadsheets (.xlsx, .ods) and JSON exports (.json, .jsonl, .ndjson) read as data, a stream of pages.

A row (a JSON record) is one line of the page text, each value after its
header (its key), so the recognizers see the label right before the value::

    Naam\\tRijksregisternummer\\tIBAN                    <- the header row itself
    Naam: Jan Peeters\\tRijksregisternummer: 85073003328\\tIBAN: BE71 0961 2345 6769

and every value is a :class:`~scanner.extract.Field` with its location
(``Debiteuren!B2``; ``$.debtors[3].iban``; ``line 12 $.iban`` in JSON lines).
A header or key that names a known type (``models/structured_fields.yaml``:
Rijksregisternummer, IBAN, e-mail, Telefoon, Adres, "naam klant", ...) makes
its values typed fields: scanner/analyze/fields.py reports them as that type
when the recognizers missed them, if they pass the type's checksum.

- Header row: the first non-empty row (of the first five) whose cells are short
  texts, not numbers, over a row of data (a cell that is a number, a date, an
  e-mail...), or one that holds a known header name. Rows before it, and every
  row of a sheet without one, are labelled with their column letters.
- Pages are yielded as they are read, at most ``ROWS_PER_PAGE`` rows or
  ``VALUES_PER_PAGE`` values each (page.number: the sheet's index, shared by its
  pages; 1 for JSON): the pipeline analyses a batch of pages at a time, so a
  large export costs its own bytes plus a bounded amount of memory.
- .xlsx: openpyxl in read-only mode (the values Excel last computed, not the
  formulas; hidden sheets too), then the workbook's properties (``metadata``).
- .ods: content.xml parsed as a stream (lxml iterparse), repeated rows and
  cells expanded only when they hold something; meta.xml as ``metadata``.
- .json: parsed as a stream of events (ijson); .jsonl/.ndjson (or a .json that
  holds one value per line) line by line: a line that is not valid JSON is an
  ``extra["errors"]`` entry and the other lines are read.

>>> page = next(iter(extract_json(b'[{"debtor": {"iban": "BE71 0961 2345 6769"}}]', "a.json", Limits()).pages))
>>> page.text
'debtor.iban: BE71 0961 2345 6769\\n'
>>> [(f.location, f.entity) for f in page.fields]
[('$[0].debtor.iban', 'IBAN_CODE')]
"""

from __future__ import annotations

import datetime
import io
import json
import re
import unicodedata
import zipfile
from decimal import Decimal
from functools import lru_cache
from itertools import islice
from pathlib import Path, PurePath
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import yaml
from lxml import etree

from scanner.config import MODELS_DIR
from scanner.extract import Extracted, Field, Limits, Page
from scanner.extract.errors import CorruptDocument, EncryptedDocument, read_as
from scanner.extract.office import _guarded, _odf_meta, _properties_text, _q, open_package
from scanner.extract.wordml import parse_xml
from scanner.extract.ziplimits import check_package, open_zip

FIELDS_FILE = MODELS_DIR / "structured_fields.yaml"
ROWS_PER_PAGE = 500
# Values per page. The overlap checks after the recognizers (engine.resolve, fields.with_schema_fields,
# pipeline.FieldIndex) cost (findings x values) per page: an export full of personal data scans
# about 15 % faster with pages of 500 values than of 2,000 (docs/bench-structured.md).
VALUES_PER_PAGE = 500
PAGE_CHARS = 1_000_000  # a page ends at the next row end past this many characters (mid-row past twice that)
MAX_LABEL = 60
HEADER_SEARCH_ROWS = 5
MAX_REPEAT = 1000  # a repeated non-empty .ods row or cell is read at most this many times
MAX_ERRORS = 100  # broken JSON lines listed one by one; the others are counted
LINE_BUFFER = 8 * 1024 * 1024  # a JSON line up to this size is parsed whole before any of it is used
BOM = b"\xef\xbb\xbf"
# Between the values of a row: the semicolon ends a value for the rules that read a name over
# spaces and tabs ("Naam: Jan Peeters\tRijksregisternummer" would be a three-word name).
SEPARATOR = ";\t"
Cells = List[Tuple[int, str, bool]]  # (column number, text, is it text rather than a number or a date)


# ------------------------------------------------------------------------------------------- header names
def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def name_tokens(name: str) -> Tuple[str, ...]:
    """``"N° de Registre-National"`` -> ``('n', 'de', 'registre', 'national')``; ``"debtorIban"`` -> ``('debtor', 'iban')``."""
    folded = _fold(_CAMEL.sub(" ", name)).replace("'", "").replace("\u2019", "")
    return tuple(token for token in _NON_WORD.split(folded) if token)


class FieldNames:
    """Header and key names -> entity types (models/structured_fields.yaml)."""

    def __init__(self, config: dict):
        self.by_name: Dict[str, Tuple[str, int]] = {}  # compact name -> (entity, order)
        self.shapes: Dict[str, Optional[re.Pattern]] = {}
        self.owners: frozenset = frozenset()
        self.name_words: frozenset = frozenset()
        self.owner_entity: Optional[str] = None
        order = 0
        for entity, spec in (config.get("types") or {}).items():
            spec = spec or {}
            self.shapes[entity] = re.compile(spec["value"]) if spec.get("value") else None
            for name in spec.get("names") or []:
                compact = "".join(name_tokens(str(name)))
                if compact and compact not in self.by_name:
                    self.by_name[compact] = (entity, order)
                    order += 1
            if spec.get("owners"):
                self.owner_entity = entity
                self.owners = frozenset("".join(name_tokens(str(w))) for w in spec["owners"])
                self.name_words = frozenset("".join(name_tokens(str(w))) for w in spec.get("name_words") or [])
        self._cache: Dict[str, Optional[str]] = {}

    def entity(self, header: str) -> Optional[str]:
        """The type a header names, or None: the longest known name standing in it wins."""
        found = self._cache.get(header, 0)
        if found != 0:
            return found  # type: ignore[return-value]
        found = self._match(name_tokens(header)[:16])
        if len(self._cache) > 20000:  # keys of a hostile export must not grow the cache for ever
            self._cache.clear()
        self._cache[header] = found
        return found

    def _match(self, tokens: Tuple[str, ...]) -> Optional[str]:
        best: Tuple[int, int, Optional[str]] = (0, 0, None)  # (length, -order, entity)

        def consider(compact: str) -> None:
            nonlocal best
            hit = self.by_name.get(compact)
            if hit and (len(compact), -hit[1]) > best[:2]:
                best = (len(compact), -hit[1], hit[0])

        for i in range(len(tokens)):
            for j in range(i + 1, min(len(tokens), i + 6) + 1):
                consider("".join(tokens[i:j]))
            token = tokens[i]
            for k in range(1, len(token) - 4):  # the end of a compound word: "klantadres", "wohnanschrift"
                consider(token[k:])
        if self.owner_entity and self._owned_name(tokens):
            length = sum(len(t) for t in tokens)
            if length > best[0]:
                best = (length, 0, self.owner_entity)
        return best[2]

    def _owned_name(self, tokens: Tuple[str, ...]) -> bool:
        """"naam klant", "nom du débiteur", "debtor.name", "Kundenname": whose name it is, said."""
        if any(t in self.name_words for t in tokens) and any(t in self.owners for t in tokens):
            return True
        return any(t.endswith(word) and t[: -len(word)] in self.owners for t in tokens for word in self.name_words)

    def typed(self, entity: Optional[str], value: str) -> Optional[str]:
        """``entity`` when the value looks like one (its shape in the YAML), else None."""
        if entity is None:
            return None
        shape = self.shapes.get(entity)
        return entity if shape is None or shape.search(value) else None


@lru_cache(maxsize=4)
def field_names(path: Path = FIELDS_FILE) -> FieldNames:
    return FieldNames(yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {})


# ------------------------------------------------------------------------------------------- pages
class PageWriter:
    """Lines of ``label: value`` separated by tabs, cut into pages of bounded size."""

    def __init__(self, number: Optional[int], label: Optional[str], max_lines: int = ROWS_PER_PAGE,
                 max_values: int = VALUES_PER_PAGE, max_chars: int = PAGE_CHARS):
        self.number, self.label = number, label
        self.max_lines, self.max_values, self.max_chars = max_lines, max_values, max_chars
        self.total_chars = 0
        self._reset()

    def _reset(self) -> None:
        self.parts: List[str] = []
        self.length = 0
        self.fields: List[Field] = []
        self.lines = 0
        self.in_line = False

    def _put(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def add(self, label: Optional[str], value: str, location: str, entity: Optional[str] = None) -> None:
        """A value after its label (``label: value``; a label of None: the value alone)."""
        self.add_after(label + ": " if label else "", value, location, entity)

    def add_after(self, head: str, value: str, location: str, entity: Optional[str] = None) -> None:
        parts = self.parts
        length = self.length
        if self.in_line:
            parts.append(SEPARATOR)
            length += len(SEPARATOR)
        if head:
            parts.append(head)
            length += len(head)
        end = length + len(value)
        self.fields.append(Field(length, end, location, entity))
        parts.append(value)
        self.length = end
        self.in_line = True

    def end_line(self) -> None:
        if self.in_line:
            self._put("\n")
            self.lines += 1
            self.in_line = False

    def ready(self) -> bool:
        """A page's worth at a line end, or far too much for one page even mid-line."""
        if self.in_line:
            return len(self.fields) >= 2 * self.max_values or self.length >= 2 * self.max_chars
        return self.lines >= self.max_lines or len(self.fields) >= self.max_values or self.length >= self.max_chars

    def take(self) -> Optional[Page]:
        if self.in_line:
            self.end_line()
        if not self.parts:
            return None
        page = Page("".join(self.parts), number=self.number, source="text", label=self.label, fields=self.fields)
        self.total_chars += self.length
        self._reset()
        return page


def _label(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_LABEL else "…" + text[-(MAX_LABEL - 1):]


_LOOSE_SPACE = re.compile(r"\s\s|[^\S ]")


def _one_line(text: str) -> str:
    """A value as one line: line breaks and tabs (which separate rows and cells) become spaces."""
    return " ".join(text.split()) if _LOOSE_SPACE.search(text) or text[:1] == " " or text[-1:] == " " else text


@lru_cache(maxsize=4096)
def column_letter(number: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ------------------------------------------------------------------------------------------- sheets
def _headerish(text: str, is_text: bool) -> bool:
    """A cell a header could be: a short text with letters, no e-mail address, few digits."""
    if not is_text or len(text) > MAX_LABEL or "@" in text or not any(ch.isalpha() for ch in text):
        return False
    return sum(ch.isdigit() for ch in text) <= 0.3 * len(text)


def header_row(rows: Sequence[Tuple[int, Cells]], names: FieldNames) -> Optional[int]:
    """Index in ``rows`` (the first non-empty rows of a sheet) of the header row, or None."""
    for index, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if index + 1 >= len(rows):
            return None  # a header stands over data
        if sum(_headerish(text, is_text) for _, text, is_text in cells) < max(1.0, 0.8 * len(cells)):
            return None  # data comes first: no header row
        following = rows[index + 1][1]
        if any(names.entity(text) for _, text, _ in cells) or \
                any(not _headerish(text, is_text) for _, text, is_text in following):
            return index
    return None


class Budget:
    """Text of a whole workbook, bounded (shared strings can make a sheet read as far more than it weighs)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.used = 0

    def spend(self, page: Page) -> bool:
        self.used += len(page.text)
        return self.used <= self.limit


def sheet_pages(title: str, number: int, rows: Iterator[Tuple[int, Cells]], names: FieldNames) -> Iterator[Page]:
    """Pages of a sheet from its non-empty rows ``(row number, [(column, text, is_text)])``."""
    writer = PageWriter(number, f"sheet: {title}")
    head = list(islice(rows, HEADER_SEARCH_ROWS + 1))
    at = header_row(head, names)
    labels: Dict[int, Tuple[str, Optional[str]]] = {}

    def write(row: int, cells: Cells, labelled: bool) -> None:
        for column, text, _ in cells:
            letter = column_letter(column)
            label, entity = labels.get(column, (letter, None)) if labelled else (letter, None)
            writer.add(label, text, f"{title}!{letter}{row}", names.typed(entity, text))
        writer.end_line()

    def all_rows() -> Iterator[Tuple[int, int, Cells]]:
        for index, (row, cells) in enumerate(head):
            yield index, row, cells
        for row, cells in rows:
            yield len(head), row, cells

    for index, row, cells in all_rows():
        if at is not None and index == at:  # the header row: its own line, then the labels of the rows below
            for column, text, _ in cells:
                letter = column_letter(column)
                writer.add(None, text, f"{title}!{letter}{row}")
                labels[column] = (_label(text), names.entity(text))
            writer.end_line()
        else:
            write(row, cells, at is not None and index > at)
        if writer.ready():
            page = writer.take()
            if page:
                yield page
    page = writer.take()
    if page:
        yield page


def _budgeted(pages: Iterable[Page], budget: Budget, errors: list, entry: str) -> Iterator[Page]:
    for page in pages:
        if not budget.spend(page):
            errors.append((entry, "file_too_large", "the workbook holds more text than the size limit; "
                                                    "only its beginning was scanned"))
            raise _Exhausted
        yield page


class _Exhausted(Exception):
    """The workbook's text budget is spent: stop reading it."""


def streamed(pages: Iterable[Page], what: str) -> Iterator[Page]:
    """Anything but a ScanError while reading hostile bytes page by page becomes corrupt_document."""
    with read_as(CorruptDocument, f"the {what} is damaged and could not be read"):
        yield from pages


# ------------------------------------------------------------------------------------------- Excel
def extract_xlsx(data: bytes, name: str, limits: Limits) -> Extracted:
    """A .xlsx/.xlsm: pages of rows per worksheet (hidden ones too), then the properties."""
    return _guarded(_xlsx, data, name, limits, "Excel workbook")


def _xlsx(data: bytes, limits: Limits) -> Extracted:
    from openpyxl import load_workbook  # only workbooks need it

    open_package(data, limits, "Excel workbook")
    # read_only streams the sheets; data_only gives the values Excel last computed, not the formulas.
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    errors: list = []
    return Extracted(pages=streamed(_xlsx_pages(workbook, limits, errors), "Excel workbook"), kind="xlsx",
                     extra={"errors": errors})


def _xlsx_pages(workbook, limits: Limits, errors: list) -> Iterator[Page]:
    names = field_names()
    budget = Budget(2 * limits.max_bytes)
    metadata = ""
    try:
        for number, sheet in enumerate(workbook.worksheets, 1):
            if number > limits.max_pages:
                errors.append((sheet.title, "container_limit",
                               f"the workbook has more than {limits.max_pages} sheets; the rest were not scanned"))
                break
            sheet.reset_dimensions()  # a sheet's declared size may lie: read the rows it has
            yield from _budgeted(sheet_pages(sheet.title, number, _xlsx_rows(sheet), names), budget, errors,
                                 sheet.title)
        metadata = _properties_text(workbook.properties) + custom_properties_text(workbook)
    except _Exhausted:
        pass
    finally:
        workbook.close()
    if metadata:
        yield Page(metadata, number=None, source="text", label="metadata")


def custom_properties_text(workbook) -> str:
    """The workbook's custom properties that hold text ("Klant: ..."), as ``name: value`` lines."""
    props = getattr(getattr(workbook, "custom_doc_props", None), "props", None) or []
    return "".join(f"{_label(str(p.name))}: {' '.join(p.value.split())}\n" for p in props
                   if isinstance(getattr(p, "value", None), str) and p.value.strip())


def _xlsx_rows(sheet) -> Iterator[Tuple[int, Cells]]:
    for row, values in enumerate(sheet.iter_rows(values_only=True), 1):
        cells = [(column, text, isinstance(value, str)) for column, value in enumerate(values, 1)
                 if value is not None for text in (cell_text(value),) if text]
        if cells:
            yield row, cells


def cell_text(value) -> str:
    """What a reader sees: 12 not 12.0, a date without a midnight time, line breaks as spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date().isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return " ".join(str(value).split())


# ------------------------------------------------------------------------------------------- OpenDocument
TABLE = _q("table", "table")
TABLE_ROW = _q("table", "table-row")
TABLE_CELLS = (_q("table", "table-cell"), _q("table", "covered-table-cell"))
PARAGRAPHS = (_q("text", "p"), _q("text", "h"))
_ROWS_REPEATED = _q("table", "number-rows-repeated")
_COLUMNS_REPEATED = _q("table", "number-columns-repeated")
_VALUE_TYPE = _q("office", "value-type")
_VALUE_ATTRIBUTES = tuple(_q("office", a) for a in ("string-value", "value", "date-value", "time-value",
                                                    "boolean-value"))
_SPACE, _TAB, _BREAK, _ANNOTATION = (_q("text", "s"), _q("text", "tab"), _q("text", "line-break"),
                                     _q("office", "annotation"))


def extract_ods(data: bytes, name: str, limits: Limits) -> Extracted:
    """An OpenDocument spreadsheet: pages of rows per sheet, then the properties."""
    return _guarded(_ods, data, name, limits, "OpenDocument spreadsheet")


def open_ods(data: bytes, limits: Limits) -> zipfile.ZipFile:
    archive = open_zip(data, CorruptDocument)
    names = set(archive.namelist())
    if "content.xml" not in names:
        raise CorruptDocument("this is not an OpenDocument file: it has no content.xml")
    if "META-INF/manifest.xml" in names and archive.getinfo("META-INF/manifest.xml").file_size < limits.max_bytes:
        manifest = parse_xml(archive.read("META-INF/manifest.xml"), "META-INF/manifest.xml")
        if next(manifest.iter(_q("manifest", "encryption-data")), None) is not None:
            raise EncryptedDocument("the OpenDocument spreadsheet is password-protected; "
                                    "it cannot be scanned without the password")
    check_package(archive, limits, "the OpenDocument spreadsheet has encrypted parts")
    return archive


def _ods(data: bytes, limits: Limits) -> Extracted:
    archive = open_ods(data, limits)
    errors: list = []
    return Extracted(pages=streamed(_ods_pages(archive, limits, errors), "OpenDocument spreadsheet"), kind="ods",
                     extra={"errors": errors})


def _ods_pages(archive: zipfile.ZipFile, limits: Limits, errors: list) -> Iterator[Page]:
    names = field_names()
    budget = Budget(2 * limits.max_bytes)
    with archive.open("content.xml") as stream:
        events = etree.iterparse(stream, events=("start", "end"), tag=(TABLE, TABLE_ROW), resolve_entities=False,
                                 no_network=True, load_dtd=False)
        number = 0
        try:
            for event, element in events:
                if event != "start" or element.tag != TABLE:
                    continue
                number += 1
                title = element.get(_q("table", "name")) or f"Sheet{number}"
                if number > limits.max_pages:
                    errors.append((title, "container_limit",
                                   f"the spreadsheet has more than {limits.max_pages} sheets; the rest were not scanned"))
                    break
                rows = _ods_rows(events, element, errors, title)
                yield from _budgeted(sheet_pages(title, number, rows, names), budget, errors, title)
                for _ in rows:  # a sheet cut short: skip to its end
                    pass
        except _Exhausted:
            return
    if "meta.xml" in archive.namelist():
        metadata = _odf_meta(parse_xml(archive.read("meta.xml"), "meta.xml"))
        if metadata:
            yield Page(metadata, number=None, source="text", label="metadata")


def _ods_rows(events, table, errors: list, title: str) -> Iterator[Tuple[int, Cells]]:
    """The non-empty rows of one table, read from the shared iterparse stream up to the table's end."""
    row_number = 0
    warned = False
    for event, element in events:
        if event == "end" and element is table:
            table.clear()
            return
        if event != "end" or element.tag != TABLE_ROW:
            continue
        repeat = repeated(element.get(_ROWS_REPEATED))
        found = row_cells(element)
        cells = [(column + k, text, is_text) for column, times, _, text, is_text in found
                 for k in range(min(times, MAX_REPEAT))]
        if cells:
            if (repeat > MAX_REPEAT or any(times > MAX_REPEAT for _, times, _, _, _ in found)) and not warned:
                warned = True
                errors.append((title, "container_limit", f"a row or cell repeated more than {MAX_REPEAT} times "
                                                         "was read only that many times"))
            for k in range(min(repeat, MAX_REPEAT)):
                yield row_number + k + 1, cells
        row_number += repeat
        element.clear()
        parent = element.getparent()
        while parent is not None and element.getprevious() is not None:
            del parent[0]


def repeated(value: Optional[str]) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def row_cells(row) -> List[Tuple[int, int, object, str, bool]]:
    """``(first column, times repeated, cell element, text, is_text)`` of a row's non-empty cells."""
    out = []
    column = 1
    for cell in row:
        if cell.tag not in TABLE_CELLS:
            continue
        times = repeated(cell.get(_COLUMNS_REPEATED))
        text, is_text = ods_cell_text(cell)
        if text:
            out.append((column, times, cell, text, is_text))
        column += times
    return out


def ods_cell_text(cell) -> Tuple[str, bool]:
    """The cell as displayed (its paragraphs), or its value when it has no text; and whether it is text."""
    kind = cell.get(_VALUE_TYPE)
    parts = [_paragraph_text(child) for child in cell if child.tag in PARAGRAPHS]
    text = " ".join(" ".join(parts).split())
    if not text:
        for attribute in _VALUE_ATTRIBUTES:
            if cell.get(attribute):
                text = " ".join(cell.get(attribute).split())
                break
    return text, kind in (None, "string")


def _paragraph_text(element, depth: int = 0) -> str:
    out = [element.text or ""]
    for child in element:
        if child.tag == _SPACE:
            try:
                count = max(1, min(int(child.get(_q("text", "c")) or 1), 100))
            except ValueError:
                count = 1
            out.append(" " * count)
        elif child.tag in (_TAB, _BREAK):
            out.append(" ")
        elif child.tag != _ANNOTATION and isinstance(child.tag, str) and depth < 50:
            out.append(_paragraph_text(child, depth + 1))
        out.append(child.tail or "")
    return "".join(out)


# ------------------------------------------------------------------------------------------- JSON
LINE_SUFFIXES = (".jsonl", ".ndjson")


def extract_json(data: bytes, name: str, limits: Limits) -> Extracted:
    """A JSON export (streamed) or JSON lines (line by line); ``extra["lines"]`` says which."""
    lines = PurePath(name).suffix.lower() in LINE_SUFFIXES or one_value_per_line(data)
    errors: list = []
    pages = _jsonl_pages(data, errors) if lines else _json_pages(data)
    return Extracted(pages=streamed(pages, "JSON file"), kind="json", encoding="utf-8",
                     extra={"errors": errors, "lines": lines})


def one_value_per_line(data: bytes) -> bool:
    """A .json that is really JSON lines: a whole value on the first line, and another after it."""
    stream = io.BytesIO(data)
    first = stream.readline(1 << 20)
    if first.startswith(BOM):
        first = first[3:]
    if not first.strip() or not first.endswith(b"\n"):
        return False
    try:
        json.loads(first)
    except ValueError:
        return False
    for line in stream:
        if line.strip():
            return line.lstrip()[:1] in (b"{", b"[")
    return False


def _json_pages(data: bytes) -> Iterator[Page]:
    import ijson  # only JSON exports need it

    stream = io.BytesIO(data)
    if data.startswith(BOM):
        stream.seek(3)
    reader = JsonReader(PageWriter(1, None), field_names())
    try:
        yield from reader.feed(ijson.basic_parse(stream, use_float=False), "")
    except Exception:  # cut short or damaged: what was read before the fault is still a page
        page = reader.writer.take()
        if page:
            yield page
        raise
    page = reader.writer.take()
    if page:
        yield page


def _jsonl_pages(data: bytes, errors: list) -> Iterator[Page]:
    import ijson

    reader = JsonReader(PageWriter(1, None), field_names())
    good = bad = 0
    for number, line in enumerate(io.BytesIO(data), 1):
        if number == 1 and line.startswith(BOM):
            line = line[3:]
        if not line.strip():
            continue
        events: Iterable = ijson.basic_parse(line, use_float=False)
        try:
            if len(line) <= LINE_BUFFER:  # a broken line gives nothing, not half its values
                events = list(events)
        except ijson.JSONError:
            bad += 1
            if bad <= MAX_ERRORS:
                errors.append((f"line {number}", CorruptDocument.code,
                               f"line {number} is not valid JSON ({_json_error(line)}); the other lines were scanned"))
            continue
        try:
            yield from reader.feed(events, f"line {number} ")
        except ijson.JSONError:  # a very long line, read as it came, broke half-way
            bad += 1
            reader.writer.end_line()
            if bad <= MAX_ERRORS:
                errors.append((f"line {number}", CorruptDocument.code, f"line {number} is not valid JSON; "
                                                                       "the values before the fault were scanned"))
            continue
        good += 1
    page = reader.writer.take()
    if page:
        yield page
    if bad > MAX_ERRORS:
        errors.append(("", CorruptDocument.code, f"{bad - MAX_ERRORS} more lines are not valid JSON; "
                                                 "the other lines were scanned"))
    if bad and not good:
        errors.clear()
        raise CorruptDocument("no line of this JSON lines file is valid JSON")


def _json_error(line: bytes) -> str:
    """What is wrong with a line, in the standard library's words (which, unlike yajl's, quote none of it)."""
    try:
        json.loads(line)
    except json.JSONDecodeError as exc:
        return f"{exc.msg}, column {exc.colno}"
    except (ValueError, RecursionError):
        pass
    return "it is not valid JSON text"


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _key_step(key: str) -> str:
    if _IDENTIFIER.match(key):
        return "." + key
    return "['" + key.replace("\\", "\\\\").replace("'", "\\'") + "']"


def json_path(path: Sequence) -> str:
    """``['debtors', 3, 'iban']`` -> ``$.debtors[3].iban``; odd keys in brackets: ``$['first name']``."""
    return "$" + "".join(f"[{part}]" if isinstance(part, int) else _key_step(part) for part in path)


def number_text(value) -> str:
    """A JSON number as the page shows it (ints as written, others as Decimal prints them)."""
    return str(value)


class JsonReader:
    """JSON events (ijson's ``basic_parse``) -> lines of ``key.path: value`` in a PageWriter, one per object.

    The label of a value is its last one or two keys (``debtor.iban``); its location the JSONPath-like
    ``$.debtors[3].iban``, built as the events come (a frame per open object or array).
    """

    def __init__(self, writer: PageWriter, names: FieldNames):
        self.writer = writer
        self.names = names
        self.labels: Dict[tuple, Tuple[str, Optional[str]]] = {}  # last keys -> ("label: ", entity)
        self.steps: Dict[str, str] = {}  # key -> ".key" or "['odd key']"

    def feed(self, events: Iterable[Tuple[str, object]], prefix: str) -> Iterator[Page]:
        writer = self.writer
        stack: List[list] = []  # per open container: [is_array, key or index, its path, its last two keys]
        for event, value in events:
            if event == "map_key":
                stack[-1][1] = value
                continue
            if event == "end_map" or event == "end_array":
                stack.pop()
                writer.end_line()
                if writer.ready():
                    page = writer.take()
                    if page:
                        yield page
                continue
            if stack:
                frame = stack[-1]
                if frame[0]:
                    frame[1] += 1
                    path = f"{frame[2]}[{frame[1]}]"
                    keys = frame[3]
                else:
                    key = frame[1]
                    step = self.steps.get(key)
                    if step is None:
                        step = _key_step(key)
                        if len(self.steps) < 10000:
                            self.steps[key] = step
                    path = frame[2] + step
                    keys = (frame[3][-1], key) if frame[3] else (key,)
            else:
                path, keys = prefix + "$", ()
            if event == "start_map":
                stack.append([False, None, path, keys])
                continue
            if event == "start_array":
                stack.append([True, -1, path, keys])
                continue
            if value is None or event == "boolean":
                continue
            text = _one_line(value) if event == "string" else str(value)
            if not text:
                continue
            label = self.labels.get(keys)
            if label is None:
                # Keys that are not plain names (an e-mail address used as a key) stand apart, so the
                # recognizers see them: they are reported, and masked in the locations built from them.
                joint = "." if all(_IDENTIFIER.match(k) for k in keys) else " / "
                label = (_label(joint.join(keys)) + ": " if keys else "", _key_entity(keys, self.names))
                if len(self.labels) < 10000:
                    self.labels[keys] = label
            writer.add_after(label[0], text, path, self.names.typed(label[1], text) if label[1] else None)
            if writer.ready():
                page = writer.take()
                if page:
                    yield page
        writer.end_line()


def _key_entity(keys: Tuple[str, ...], names: FieldNames) -> Optional[str]:
    """The last key's type; a bare "name" takes its parent's word for it ("debtor.name" is a person)."""
    if not keys:
        return None
    found = names.entity(keys[-1])
    if found is None and len(keys) == 2:
        pair = names.entity(" ".join(keys))
        found = pair if pair == names.owner_entity else None
    return found


# ------------------------------------------------------------------------------------------- JSON source positions
_TOKEN = re.compile(r'[ \t\n\r]*(?:(")|([{}\[\],:])|(-?[0-9][0-9eE+\-.]*)|(true|false|null))')
_STRING_END = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"', re.S)


def json_tokens(text: str, prefix: str = "", start: int = 0, end: Optional[int] = None
                ) -> Iterator[Tuple[str, str, int, int]]:
    """``(kind, location, start, end)`` of the keys and values of JSON source text, in order.

    kind: ``key`` (the location of its value), ``string``, ``number``, ``literal``; locations
    are those of the extracted fields (``prefix`` + ``$.debtors[3].iban``). Raises ValueError
    on text that is not JSON. For the redaction writer and for mapping findings back to the file.
    """
    end = len(text) if end is None else end
    stack: List[list] = []
    expect_key = False
    pos = start
    while pos < end:
        match = _TOKEN.match(text, pos, end)
        if match is None:
            if text[pos:end].strip():
                raise ValueError(f"not JSON at offset {pos}")
            return
        pos = match.end()
        if match.group(1):
            close = _STRING_END.match(text, pos, end)
            if close is None:
                raise ValueError(f"unterminated string at offset {match.start(1)}")
            first, pos = match.start(1), close.end()
            if expect_key:
                raw = text[first:pos]
                stack[-1][1] = json.loads(raw) if "\\" in raw else raw[1:-1]
                expect_key = False
                yield "key", prefix + json_path([f[1] for f in stack]), first, pos
                continue
            if stack and stack[-1][0]:
                stack[-1][1] += 1
            yield "string", prefix + json_path([f[1] for f in stack]), first, pos
        elif match.group(2):
            mark = match.group(2)
            if mark in "{[":
                if stack and stack[-1][0]:
                    stack[-1][1] += 1
                stack.append([mark == "[", -1 if mark == "[" else None])
                expect_key = mark == "{"
            elif mark in "}]":
                if not stack:
                    raise ValueError(f"unbalanced '{mark}' at offset {match.start(2)}")
                stack.pop()
                expect_key = False
            elif mark == ",":
                expect_key = bool(stack) and not stack[-1][0]
        else:
            kind = "number" if match.group(3) else "literal"
            if stack and stack[-1][0]:
                stack[-1][1] += 1
            first = match.start(3) if match.group(3) else match.start(4)
            yield kind, prefix + json_path([f[1] for f in stack]), first, pos


def token_text(raw: str, kind: str) -> str:
    """A value token as the extracted page shows it."""
    if kind == "string":
        return _one_line(json.loads(raw) if "\\" in raw else raw[1:-1])
    if kind == "number":
        return number_text(Decimal(raw) if any(c in raw for c in ".eE") else int(raw))
    return raw
