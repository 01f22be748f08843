"""Office documents: Word (.docx), OpenDocument text (.odt); spreadsheets are in tabular.py.

Each is a zip package, checked entry by entry against Limits before anything
is parsed (scanner/extract/ziplimits.py); a password-protected file (an OLE
"EncryptedPackage", or an ODF manifest with encryption data) is
``encrypted_document``, a truncated or damaged one ``corrupt_document``.

- .docx: pages ``body``, ``headers``, ``footers``, ``footnotes``, ``endnotes``,
  ``comments``, ``metadata`` (scanner/extract/wordml.py says how offsets map to
  the XML text nodes); embedded files (``word/embeddings/``) are members,
  unwrapped from their OLE envelope.
- .xlsx and .ods: scanner/extract/tabular.py (rows as data, streamed), with
  ``open_package``, ``_guarded`` and the property readers of this module.
- .odt: pages ``body``, ``headers`` (headers and footers of the page styles),
  ``metadata``; read with lxml (already needed for .docx), extraction only.

>>> import io, docx
>>> document = docx.Document()
>>> _ = document.add_paragraph("Madame Anne Dupont")
>>> buffer = io.BytesIO(); document.save(buffer)
>>> extract_docx(buffer.getvalue(), "a.docx", Limits()).pages[0].text
'Madame Anne Dupont\\n'
"""

from __future__ import annotations

import re
import zipfile
from typing import List, Optional

from lxml import etree

from scanner.errors import UnsupportedFormat
from scanner.extract import Extracted, Limits, Page
from scanner.extract.errors import CorruptDocument, EncryptedDocument, UnreadableMember, read_as
from scanner.extract.members import Members
from scanner.extract.ole_embed import unwrap
from scanner.extract.wordml import layout, parse_xml
from scanner.extract.ziplimits import check_package, open_zip, read_entry

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EMBEDDINGS = "word/embeddings/"


def open_package(data: bytes, limits: Limits, what: str) -> zipfile.ZipFile:
    """The zip of an Office file, or the ScanError that says why it cannot be read."""
    if data.startswith(OLE_MAGIC):
        if _is_encrypted_ooxml(data):
            raise EncryptedDocument(f"the {what} is password-protected; it cannot be scanned without the password")
        raise UnsupportedFormat(f"this is an old binary Office file (.doc/.xls), not a {what} in the current format")
    archive = open_zip(data, CorruptDocument)
    check_package(archive, limits, f"the {what} has encrypted parts; it cannot be scanned without the password")
    return archive


def _is_encrypted_ooxml(data: bytes) -> bool:
    """Office saves a password-protected .docx/.xlsx as an OLE file holding EncryptionInfo and EncryptedPackage."""
    import olefile  # comes with extract-msg

    try:
        with olefile.OleFileIO(data) as ole:
            return ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage")
    except Exception:  # noqa: BLE001 - a damaged OLE file is simply not an encrypted package
        return False


def _guarded(reader, data: bytes, name: str, limits: Limits, what: str) -> Extracted:
    """Anything but a ScanError from a parser on hostile bytes becomes corrupt_document."""
    with read_as(CorruptDocument, f"the {what} is damaged and could not be read"):
        return reader(data, limits)


# --- Word ---------------------------------------------------------------------------------------

def extract_docx(data: bytes, name: str, limits: Limits) -> Extracted:
    """A .docx (or .docm/.dotx): labelled pages, embedded files as members."""
    return _guarded(_docx, data, name, limits, "Word document")


def _docx(data: bytes, limits: Limits) -> Extracted:
    archive = open_package(data, limits, "Word document")
    pages, _ = layout(archive)
    bag = Members(limits)
    embeddings = []
    for info in archive.infolist():
        if info.filename.startswith(EMBEDDINGS) and not info.is_dir():
            try:
                member_name, blob = unwrap(read_entry(archive, info), info.filename)
            except UnreadableMember as exc:  # one damaged object must not hide the document's text
                bag.error(info.filename, exc.code, exc.message)
                continue
            stored = bag.add(member_name, blob)
            embeddings.append({"part": info.filename, "member": stored})
    return Extracted(pages=[Page(p.text, number=None, source="text", label=p.label) for p in pages], kind="docx",
                     members=bag.members,
                     extra={"labels": [p.label for p in pages], "embeddings": embeddings, "errors": bag.errors})


# --- Properties (shared with the spreadsheet reader, scanner/extract/tabular.py) ----------------

def _properties_text(properties) -> str:
    fields = (("author", properties.creator), ("last modified by", properties.lastModifiedBy),
              ("title", properties.title), ("subject", properties.subject), ("keywords", properties.keywords),
              ("comments", properties.description), ("category", properties.category))
    return "".join(f"{label}: {' '.join(str(value).split())}\n" for label, value in fields if value and str(value).strip())


# --- OpenDocument -------------------------------------------------------------------------------

_ODF = {
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}


def _q(prefix: str, tag: str) -> str:
    return f"{{{_ODF[prefix]}}}{tag}"


_ODF_PARAGRAPHS = {_q("text", "p"), _q("text", "h")}
_ODF_BREAKS = {_q("table", "table-cell"): "\t", _q("table", "table-row"): "\n"}
_SPACES = re.compile(r"[ \t\r\n]+")
_ODF_META = (("author", _q("dc", "creator")), ("first author", _q("meta", "initial-creator")),
             ("title", _q("dc", "title")), ("subject", _q("dc", "subject")), ("keywords", _q("meta", "keyword")),
             ("comments", _q("dc", "description")))


def extract_odt(data: bytes, name: str, limits: Limits) -> Extracted:
    """An OpenDocument text: body (with annotations and tracked changes), headers/footers, properties."""
    return _guarded(_odt, data, name, limits, "OpenDocument file")


def _odt(data: bytes, limits: Limits) -> Extracted:
    archive = open_zip(data, CorruptDocument)
    names = set(archive.namelist())
    if "content.xml" not in names:
        raise CorruptDocument("this is not an OpenDocument file: it has no content.xml")
    if "META-INF/manifest.xml" in names and archive.getinfo("META-INF/manifest.xml").file_size < limits.max_bytes:
        manifest = parse_xml(archive.read("META-INF/manifest.xml"), "META-INF/manifest.xml")
        if next(manifest.iter(_q("manifest", "encryption-data")), None) is not None:
            raise EncryptedDocument("the OpenDocument file is password-protected; "
                                    "it cannot be scanned without the password")
    check_package(archive, limits, "the OpenDocument file has encrypted parts")
    content = parse_xml(archive.read("content.xml"), "content.xml")
    pages = [("body", "".join(_odf_text(body) for body in content.iter(_q("office", "body"))))]
    if "styles.xml" in names:
        styles = parse_xml(archive.read("styles.xml"), "styles.xml")
        headers = [el for el in styles.iter() if isinstance(el.tag, str) and el.tag.startswith(f"{{{_ODF['style']}}}")
                   and el.tag.split("}")[1] in ("header", "footer", "header-left", "footer-left", "header-first",
                                                "footer-first")]
        pages.append(("headers", "".join(_odf_text(el) for el in headers)))
    if "meta.xml" in names:
        pages.append(("metadata", _odf_meta(parse_xml(archive.read("meta.xml"), "meta.xml"))))
    return Extracted(pages=[Page(text, number=None, source="text", label=label) for label, text in pages if text.strip()],
                     kind="odt")


def _odf_text(root: etree._Element) -> str:
    """Visible text: spans and links inline, ``text:s`` as spaces, a paragraph or table row per line.

    Whitespace between paragraphs is layout of the XML file, not text; inside a
    paragraph a run of whitespace is one space (the ODF rule).
    """
    out: List[str] = []
    depth = 0  # open paragraphs and headings

    def add(text: Optional[str]) -> None:
        if text and depth:
            out.append(_SPACES.sub(" ", text))
        elif text and text.strip():
            out.append(text.strip())

    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag
        if not isinstance(tag, str):  # an XML comment or processing instruction: only its tail is text
            if event == "end" and element is not root:
                add(element.tail)
            continue
        if event == "start":
            if tag in _ODF_PARAGRAPHS:
                depth += 1
            if tag == _q("text", "s"):
                out.append(" " * _count(element.get(_q("text", "c"))))
            elif tag == _q("text", "tab"):
                out.append("\t")
            elif tag == _q("text", "line-break"):
                out.append("\n")
            else:
                add(element.text)
            continue
        if tag in _ODF_PARAGRAPHS:
            depth -= 1
            out.append("" if _last_in_cell(element) else "\n")
        else:
            out.append(_ODF_BREAKS.get(tag, ""))
        if element is not root:
            add(element.tail)
    return "".join(out)


def _last_in_cell(paragraph: etree._Element) -> bool:
    """A cell's last paragraph ends with the cell's tab, so a table row reads as one line."""
    parent = paragraph.getparent()
    return parent is not None and parent.tag == _q("table", "table-cell") and not any(
        sibling.tag in _ODF_PARAGRAPHS for sibling in paragraph.itersiblings())


def _count(value: Optional[str]) -> int:
    try:
        return max(1, min(int(value or 1), 1000))  # a hostile c="10000000000" must not cost gigabytes
    except ValueError:
        return 1


def _odf_meta(meta: etree._Element) -> str:
    lines = [f"{label}: {' '.join(el.text.split())}\n"
             for label, tag in _ODF_META for el in meta.iter(tag) if el.text and el.text.strip()]
    lines += [f"{el.get(_q('meta', 'name')) or 'property'}: {' '.join(el.text.split())}\n"
              for el in meta.iter(_q("meta", "user-defined")) if el.text and el.text.strip()]
    return "".join(lines)
