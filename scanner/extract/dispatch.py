"""Choose the extractor for a file by its content; the file name is only a hint.

An upload called ``photo.jpg`` that is a PDF is read as a PDF; a ``.txt`` that
is a ZIP is read as an archive. Extractors are imported when first needed, so
scanning plain text never loads PDF or OCR code.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import PurePath
from typing import Callable

from scanner.errors import UnsupportedFormat
from scanner.extract import Extracted, Limits
from scanner.extract.text import HTML_SUFFIXES, PLAIN_SUFFIXES, extract_text

_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*", b"BM")
_EMAIL_HEADERS = (b"received:", b"from:", b"return-path:", b"mime-version:", b"message-id:", b"date:",
                  b"delivered-to:", b"x-", b"to:", b"subject:")
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MSG_STREAM = "__substg1.0_".encode("utf-16-le")


def kind_of(data: bytes, name: str) -> str:
    """The format family: pdf, image, docx, xlsx, ods, odt, zip, tar, msg, eml, xml, json, text."""
    head = data[:16]
    suffix = PurePath(name).suffix.lower()
    if data[:1024].lstrip().startswith(b"%PDF") or head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(data)
    if head.startswith(b"\x1f\x8b") or data[257:262] == b"ustar" or head.startswith(b"BZh") or head.startswith(b"\xfd7zXZ"):
        return "tar"
    if head.startswith(_OLE):
        # Outlook messages are OLE files with "__substg1.0_" streams (names in UTF-16).
        return "msg" if suffix == ".msg" or _MSG_STREAM in data[: 1 << 20] else "ole"
    start = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if suffix not in HTML_SUFFIXES and (start.startswith(b"<?xml") or (suffix == ".xml" and start.startswith(b"<"))):
        return "xml"
    if suffix in JSON_SUFFIXES and start[:1] in (b"{", b"["):
        return "json"
    # A message saved as .txt stays text (offsets refer to the file as written).
    if suffix == ".eml" or (suffix in ("", ".mbox") and _looks_like_email(data)):
        return "eml"
    return "text"


def _looks_like_email(data: bytes) -> bool:
    """RFC 822 headers first: From: and To: or Subject: before the first blank line."""
    if not data[:4096].lstrip().lower().startswith(_EMAIL_HEADERS):
        return False
    head = b"\n" + data[:16384].replace(b"\r\n", b"\n").split(b"\n\n", 1)[0].lower()
    return b"\nfrom:" in head and (b"\nsubject:" in head or b"\nto:" in head)


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist()[:2000])
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names:
                with archive.open("mimetype") as entry:  # 80 bytes, not the whole entry (it may be a bomb)
                    mimetype = entry.read(80)
                if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
                    return "ods"
                if mimetype.startswith(b"application/vnd.oasis.opendocument"):
                    return "odt"
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error, KeyError, RuntimeError,
            NotImplementedError):  # a bad offset is a ValueError (found by tools/fuzz.py)
        pass  # the archive extractor says what is wrong with it
    return "zip"


def _extractor(kind: str) -> Callable[[bytes, str, Limits], Extracted]:
    if kind == "pdf":
        from scanner.extract.pdf import extract_pdf
        return extract_pdf
    if kind == "image":
        from scanner.extract.image import extract_image
        return extract_image
    if kind in ("docx", "odt"):
        from scanner.extract import office
        return getattr(office, f"extract_{kind}")
    if kind in ("xlsx", "ods", "json"):
        from scanner.extract import tabular
        return getattr(tabular, f"extract_{kind}")
    if kind == "xml":
        from scanner.extract.xml import extract_xml
        return extract_xml
    if kind in ("zip", "tar"):
        from scanner.extract import archive
        return getattr(archive, f"extract_{kind}")
    if kind in ("eml", "msg"):
        from scanner.extract import email
        return getattr(email, f"extract_{kind}")
    if kind == "ole":
        raise UnsupportedFormat("legacy Office files (.doc, .xls, .ppt) are not supported; save them as .docx/.xlsx")
    raise UnsupportedFormat(f"{kind} files are not supported")


def extract(data: bytes, name: str, limits: Limits = Limits()) -> Extracted:
    kind = kind_of(data, name)
    if kind != "text":
        try:
            extractor = _extractor(kind)
        except (ImportError, AttributeError) as exc:
            raise UnsupportedFormat(f"{kind} files are not supported yet") from exc
        return extractor(data, name, limits)
    suffix = PurePath(name).suffix.lower()
    if suffix in PLAIN_SUFFIXES or suffix in HTML_SUFFIXES or suffix == "" or name == "-":
        return extract_text(data, name)
    # Unknown name: scan it if it is text, refuse it otherwise.
    try:
        return extract_text(data, name)
    except Exception as exc:  # noqa: BLE001 - any failure here means "not a format we read"
        raise UnsupportedFormat(f"'{suffix}' files are not supported") from exc
