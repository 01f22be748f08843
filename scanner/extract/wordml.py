"""The text of a .docx as pages, and which XML text node each character came from.

Extraction and redaction share this module: on the same bytes ``layout`` gives
the same pages and the same ``Source`` list, so a detection at page offsets
[s, e) can be written back into the ``w:t`` nodes (and attributes) it came
from, whatever the runs and formatting around it.

The XML is walked directly rather than through python-docx's paragraphs: text
also lives in text boxes, content controls, hyperlinks, fields
(``w:instrText``, e.g. ``HYPERLINK "mailto:..."``) and tracked deletions
(``w:delText``), which a redacted copy must not keep either.

Pages (label, in this order, empty ones left out): ``body`` (paragraphs and
tables in document order, a table row on one line with cells separated by tabs),
``headers``, ``footers``, ``footnotes``, ``endnotes``, ``comments`` (each
comment preceded by its author), ``metadata`` (core, app and custom properties,
one ``label: value`` line each).

>>> body = etree.fromstring(
...     f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>Jan </w:t></w:r>'
...     f'<w:r><w:rPr><w:b/></w:rPr><w:t>Peeters</w:t></w:r></w:p></w:body></w:document>')
>>> page = build("body", (("word/document.xml", item) for item in story_items(body)))
>>> page.text, [(s, e) for s, e, _ in page.spans]
('Jan Peeters\\n', [(0, 4), (4, 11)])
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from typing import Dict, Iterable, Iterator, List, Optional, Tuple, Union

from lxml import etree

from scanner.extract.errors import CorruptDocument

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
# No DTDs, no entity expansion, no network: a hostile package cannot make the parser fetch or explode.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)

_TEXT = {f"{{{W}}}{tag}" for tag in ("t", "delText", "instrText", "delInstrText")}
_INLINE = {f"{{{W}}}tab": "\t", f"{{{W}}}br": "\n", f"{{{W}}}cr": "\n", f"{{{W}}}noBreakHyphen": "-"}
_P, _TC, _TR, _TBL, _R = (f"{{{W}}}{tag}" for tag in ("p", "tc", "tr", "tbl", "r"))
_COMMENT = f"{{{W}}}comment"

_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
STORIES = (  # page label, content types of its parts
    ("body", (_WML + "document.main+xml", _WML + "template.main+xml",
              "application/vnd.ms-word.document.macroEnabled.main+xml",
              "application/vnd.ms-word.template.macroEnabledTemplate.main+xml")),
    ("headers", (_WML + "header+xml",)),
    ("footers", (_WML + "footer+xml",)),
    ("footnotes", (_WML + "footnotes+xml",)),
    ("endnotes", (_WML + "endnotes+xml",)),
    ("comments", (_WML + "comments+xml",)),
)
_DC, _CP = "http://purl.org/dc/elements/1.1/", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
PROPERTIES = (  # part, (label, element) of each property that can name a person or hold their data
    ("docProps/core.xml", (("author", f"{{{_DC}}}creator"), ("last modified by", f"{{{_CP}}}lastModifiedBy"),
                           ("title", f"{{{_DC}}}title"), ("subject", f"{{{_DC}}}subject"),
                           ("keywords", f"{{{_CP}}}keywords"), ("comments", f"{{{_DC}}}description"),
                           ("category", f"{{{_CP}}}category"))),
    ("docProps/app.xml", (("company", f"{{{_EP}}}Company"), ("manager", f"{{{_EP}}}Manager"))),
)
CUSTOM_PROPERTIES = "docProps/custom.xml"


@dataclass(frozen=True)
class Source:
    """Where a piece of page text lives: an element's text, its tail (the text after it, an
    OpenDocument paragraph's mixed content), or one of its attributes."""

    part: str
    element: etree._Element
    attribute: Optional[str] = None
    tail: bool = False

    def get(self) -> str:
        if self.attribute:
            return self.element.get(self.attribute) or ""
        return (self.element.tail if self.tail else self.element.text) or ""

    def set(self, value: str) -> None:
        if self.attribute:
            self.element.set(self.attribute, value)
        elif self.tail:
            self.element.tail = value
        else:
            self.element.text = value
            # Word drops leading/trailing spaces unless told to keep them
            if value != value.strip() and isinstance(self.element.tag, str) and self.element.tag.startswith(f"{{{W}}}"):
                self.element.set(XML_SPACE, "preserve")


# A separator, or a text holder: (element, attribute) or (element, None, True) for its tail.
Item = Union[str, Tuple[etree._Element, Optional[str]], Tuple[etree._Element, None, bool]]


@dataclass
class PageLayout:
    label: str
    text: str
    spans: List[Tuple[int, int, Source]] = field(default_factory=list)


def parse_xml(blob: bytes, part: str) -> etree._Element:
    try:
        return etree.fromstring(blob, PARSER)
    except etree.XMLSyntaxError as exc:
        raise CorruptDocument(f"the document's part {part} is not well-formed XML: the file is damaged") from exc


def story_items(root: etree._Element) -> Iterator[Item]:
    """Separators (str) and text holders ((element, attribute)) of one story, in reading order."""
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag in _TEXT:
                yield (element, None)
            elif tag in _INLINE and element.getparent() is not None and element.getparent().tag == _R:
                yield _INLINE[tag]  # a w:tab outside a run is a tab stop definition, not a tab
            elif tag == _COMMENT and element.get(f"{{{W}}}author"):
                yield (element, f"{{{W}}}author")
                yield ": "
        elif tag == _P and not _last_in_cell(element):
            yield "\n"
        elif tag == _TC:
            yield "\t"
        elif tag == _TR:
            yield "\n"


def _last_in_cell(paragraph: etree._Element) -> bool:
    """A cell's last paragraph ends with the cell's tab, so a row reads as one line."""
    parent = paragraph.getparent()
    if parent is None or parent.tag != _TC:
        return False
    return not any(sibling.tag in (_P, _TBL) for sibling in paragraph.itersiblings())


def property_items(part: str, root: etree._Element) -> Iterator[Item]:
    """``label: value`` lines for the document properties that hold people's data."""
    if part == CUSTOM_PROPERTIES:
        for prop in root:
            for value in prop:
                if value.text and value.text.strip():
                    yield f"{prop.get('name') or 'property'}: "
                    yield (value, None)
                    yield "\n"
        return
    wanted = dict(PROPERTIES)[part]
    for label, tag in wanted:
        for element in root.iter(tag):
            if element.text and element.text.strip():
                yield f"{label}: "
                yield (element, None)
                yield "\n"


def build(label: str, items: Iterable[Tuple[str, Item]]) -> PageLayout:
    """Join (part, item) pairs into a page's text, keeping each text holder's span."""
    pieces: List[str] = []
    spans: List[Tuple[int, int, Source]] = []
    length = 0
    for part, item in items:
        if isinstance(item, str):
            text = item
        else:
            source = Source(part, *item)
            text = source.get()
            spans.append((length, length + len(text), source))
        pieces.append(text)
        length += len(text)
    return PageLayout(label, "".join(pieces), spans)


def content_types(archive: zipfile.ZipFile) -> Dict[str, str]:
    """Part name (without the leading slash) -> content type, from [Content_Types].xml."""
    try:
        root = parse_xml(archive.read("[Content_Types].xml"), "[Content_Types].xml")
    except KeyError as exc:
        raise CorruptDocument("this is not an Office document: it has no [Content_Types].xml") from exc
    return {o.get("PartName", "").lstrip("/"): o.get("ContentType", "") for o in root.iter(f"{{{_CT}}}Override")}


def _natural(name: str) -> list:
    """header2 before header10."""
    return [int(chunk) if chunk.isdigit() else chunk for chunk in re.split(r"(\d+)", name)]


def layout(archive: zipfile.ZipFile) -> Tuple[List[PageLayout], Dict[str, etree._Element]]:
    """The pages of a .docx and the parsed XML parts they point into (edit those, then save them)."""
    types = content_types(archive)
    names = set(archive.namelist())
    if not any(ctype in STORIES[0][1] and name in names for name, ctype in types.items()):
        raise CorruptDocument("this is not a Word document: it has no main document part")
    roots: Dict[str, etree._Element] = {}
    pages: List[PageLayout] = []
    for label, wanted in STORIES:
        parts = sorted((name for name, ctype in types.items() if ctype in wanted and name in names), key=_natural)
        items: List[Tuple[str, Item]] = []
        for part in parts:
            roots[part] = parse_xml(archive.read(part), part)
            items += [(part, item) for item in story_items(roots[part])]
        pages.append(build(label, items))
    items = []
    for part in [p for p, _ in PROPERTIES] + [CUSTOM_PROPERTIES]:
        if part in names:
            roots[part] = parse_xml(archive.read(part), part)
            items += [(part, item) for item in property_items(part, roots[part])]
    pages.append(build("metadata", items))
    return [page for page in pages if page.text.strip()], roots
