"""Office documents: Word (.docx), OpenDocument text (.odt); spreadsheets are in tabular.py.

Each is a zip package, checked entry by entry against Limits before anything
is parsed (scanner/extract/ziplimits.py); a password-protected file (an OLE
"EncryptedPackage", or an ODF manifest with encryption data) is
``encrypted_document``, a truncated or damaged one ``corrupt_document``.

- .docx: pages ``body``, ``headers``, ``footers``, ``footnotes``, ``endnotes``,
  ``comments``, ``metadata`` (scanner/extract/wordml.py says how offsets map to
  the XML text nodes); embedded files (``word/embeddings/``) are members,
  unwrapped from their OLE envelope, and so are pictures (``word/media/``:
  PNG, JPEG, GIF, BMP, TIFF, WebP), which the image reader OCRs.
- .xlsx and .ods: scanner/extract/tabular.py (rows as data, streamed), with
  ``open_package``, ``_guarded`` and the property readers of this module.
- .odt: pages ``body``, ``headers`` (headers and footers of the page styles),
  ``metadata``; read with lxml (already needed for .docx); scanner/extract/odf.py
  says how offsets map to the XML text nodes.

>>> import io, docx
>>> document = docx.Document()
>>> _ = document.add_paragraph("Madame Anne Dupont")
>>> buffer = io.BytesIO(); document.save(buffer)
>>> extract_docx(buffer.getvalue(), "a.docx", Limits()).pages[0].text
'Madame Anne Dupont\\n'
"""

from __future__ import annotations

import zipfile
from pathlib import PurePosixPath

from lxml import etree

from scanner.errors import UnsupportedFormat
from scanner.extract import Extracted, Limits, Page, odf
from scanner.extract.errors import CorruptDocument, EncryptedDocument, UnreadableMember, read_as
from scanner.extract.members import Members
from scanner.extract.ole_embed import unwrap
from scanner.extract.wordml import build, layout, parse_xml
from scanner.extract.ziplimits import check_package, open_zip, read_entry

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EMBEDDINGS = "word/embeddings/"
MEDIA = "word/media/"
# Pictures the image reader takes (not the vector formats EMF, WMF, SVG: they hold no pixels to OCR).
PICTURES = (".png", ".jpg", ".jpeg", ".jpe", ".gif", ".bmp", ".tif", ".tiff", ".webp")


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
        elif info.filename.startswith(MEDIA) and info.filename.lower().endswith(PICTURES):
            # A scanned ID card or a signed letter pasted into a Word letter: OCR'd and faces looked for.
            stored = bag.add(PurePosixPath(info.filename).name, read_entry(archive, info))
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


# --- OpenDocument (scanner/extract/odf.py walks the XML, for redaction too) -------------------------

_q = odf.q


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
    pages, _ = odf.layout(archive)
    return Extracted(pages=[Page(p.text, number=None, source="text", label=p.label) for p in pages], kind="odt")


def _odf_meta(meta: etree._Element) -> str:
    """meta.xml's ``label: value`` lines (the .ods reader's metadata page too)."""
    return build("metadata", (("meta.xml", item) for item in odf.meta_items(meta))).text
