"""The text of an OpenDocument text (.odt) as pages, and which XML text node each character came from.

As scanner/extract/wordml.py does for Word: extraction and redaction share
``layout``, so on the same bytes they get the same pages and the same spans,
and a detection at page offsets [s, e) can be written back into the element
text or tail (``Source``) it came from.

Pages (label, in this order, empty ones left out): ``body`` (``office:body``:
paragraphs, headings, lists, tables with a row per line and cells separated by
tabs, annotations with their author, tracked changes), ``headers`` (the
headers and footers of the page styles, in styles.xml), ``metadata`` (meta.xml,
one ``label: value`` line per property).

Visible text: spans and links inline; ``text:s`` (``text:c`` times), ``text:tab``
and ``text:line-break`` are separators. Whitespace between paragraphs is layout
of the XML file, not text: it is left out, other text outside a paragraph is
stripped; inside a paragraph a run of whitespace is one space (the ODF rule).
That normalisation is written into the parsed tree before the spans are taken,
so a page's offsets are offsets into the nodes' own text; it changes nothing
an office suite shows (it applies the same rule when it reads the file).

>>> content = etree.fromstring(
...     f'<office:body xmlns:office="{NS["office"]}" xmlns:text="{NS["text"]}"><text:p>Monsieur '
...     '<text:span>Jan</text:span>\\n   Peeters<text:s text:c="2"/>5</text:p></office:body>')
>>> page = build("body", (("content.xml", item) for item in text_items(content)))
>>> page.text, [(s, e, src.get()) for s, e, src in page.spans]
('Monsieur Jan Peeters  5\\n', [(0, 9, 'Monsieur '), (9, 12, 'Jan'), (12, 20, ' Peeters'), (22, 23, '5')])
"""

from __future__ import annotations

import re
import zipfile
from typing import Dict, Iterator, List, Optional, Tuple

from lxml import etree

from scanner.extract.wordml import Item, PageLayout, build, parse_xml

NS = {
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}


def q(prefix: str, tag: str) -> str:
    return f"{{{NS[prefix]}}}{tag}"


_PARAGRAPHS = {q("text", "p"), q("text", "h")}
_BREAKS = {q("table", "table-cell"): "\t", q("table", "table-row"): "\n"}
_SPACE, _TAB, _LINE_BREAK = q("text", "s"), q("text", "tab"), q("text", "line-break")
_SPACES = re.compile(r"[ \t\r\n]+")
_HEADERS = {q("style", tag) for tag in ("header", "footer", "header-left", "footer-left", "header-first",
                                          "footer-first")}
META = (("author", q("dc", "creator")), ("first author", q("meta", "initial-creator")),
        ("title", q("dc", "title")), ("subject", q("dc", "subject")), ("keywords", q("meta", "keyword")),
        ("comments", q("dc", "description")))
_USER_DEFINED = q("meta", "user-defined")


def text_items(root: etree._Element) -> Iterator[Item]:
    """Separators (str) and text holders (element text or tail) of ``root``, in reading order;
    each holder's text is normalised in the tree first (see the module docstring)."""
    _drop_comments(root)
    depth = 0  # open paragraphs and headings

    def holder(element: etree._Element, tail: bool) -> Optional[Item]:
        text = element.tail if tail else element.text
        if not text:
            return None
        if depth:
            normal = _SPACES.sub(" ", text)
        elif text.strip():
            normal = text.strip()
        else:
            return None
        if normal != text:
            setattr(element, "tail" if tail else "text", normal)
        return (element, None, True) if tail else (element, None)

    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag in _PARAGRAPHS:
                depth += 1
            if tag == _SPACE:
                yield " " * _count(element.get(q("text", "c")))
            elif tag == _TAB:
                yield "\t"
            elif tag == _LINE_BREAK:
                yield "\n"
            else:
                item = holder(element, False)
                if item:
                    yield item
            continue
        if tag in _PARAGRAPHS:
            depth -= 1
            if not _last_in_cell(element):
                yield "\n"
        elif tag in _BREAKS:
            yield _BREAKS[tag]
        if element is not root:
            item = holder(element, True)
            if item:
                yield item


def _drop_comments(root: etree._Element) -> None:
    """XML comments and processing instructions out of the tree, their tails kept where they were.

    An office suite shows the text after a comment (``<!-- x -->Jan Peeters``), but lxml's walk does
    not visit comments, so that text would be neither scanned nor redacted. A comment is not content
    (and may hold personal data itself): a redacted copy goes without it.
    """
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        parent = node.getparent()
        if parent is None:
            continue
        tail, previous = node.tail or "", node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
        parent.remove(node)  # lxml would move the tail along with the node: it was copied first


def _last_in_cell(paragraph: etree._Element) -> bool:
    """A cell's last paragraph ends with the cell's tab, so a table row reads as one line."""
    parent = paragraph.getparent()
    return parent is not None and parent.tag == q("table", "table-cell") and not any(
        sibling.tag in _PARAGRAPHS for sibling in paragraph.itersiblings())


def _count(value: Optional[str]) -> int:
    try:
        return max(1, min(int(value or 1), 1000))  # a hostile c="10000000000" must not cost gigabytes
    except ValueError:
        return 1


def meta_items(meta: etree._Element) -> Iterator[Item]:
    """``label: value`` lines for the properties of meta.xml; each value's whitespace made single spaces
    in the tree (any whitespace, as ``str.split``)."""
    pairs = [(label, el) for label, tag in META for el in meta.iter(tag)]
    pairs += [(el.get(q("meta", "name")) or "property", el) for el in meta.iter(_USER_DEFINED)]
    for label, element in pairs:
        if element.text and element.text.strip():
            normal = " ".join(element.text.split())
            if normal != element.text:
                element.text = normal
            yield f"{label}: "
            yield (element, None)
            yield "\n"


def headers(styles: etree._Element) -> List[etree._Element]:
    """The headers and footers of the page styles, in document order."""
    return [el for el in styles.iter() if el.tag in _HEADERS]


def layout(archive: zipfile.ZipFile) -> Tuple[List[PageLayout], Dict[str, etree._Element]]:
    """The pages of an .odt and the parsed XML parts they point into (edit those, then save them).
    The caller has checked the package (content.xml present, not encrypted, within limits)."""
    names = set(archive.namelist())
    roots = {"content.xml": parse_xml(archive.read("content.xml"), "content.xml")}
    pages = [build("body", (("content.xml", item) for body in roots["content.xml"].iter(q("office", "body"))
                            for item in text_items(body)))]
    if "styles.xml" in names:
        roots["styles.xml"] = parse_xml(archive.read("styles.xml"), "styles.xml")
        pages.append(build("headers", (("styles.xml", item) for element in headers(roots["styles.xml"])
                                       for item in text_items(element))))
    if "meta.xml" in names:
        roots["meta.xml"] = parse_xml(archive.read("meta.xml"), "meta.xml")
        pages.append(build("metadata", (("meta.xml", item) for item in meta_items(roots["meta.xml"]))))
    return [page for page in pages if page.text.strip()], roots
