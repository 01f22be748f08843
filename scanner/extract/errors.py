"""Failures of the extraction stage (formats, containers, OCR), each with a stable code (see scanner/errors.py).

A problem with the whole file raises one of these; a problem with one entry of a
container (an encrypted zip entry, an attachment over the size limit) is not
raised: the extractor lists it in ``Extracted.extra["errors"]`` as
``(member_name, code, message)`` and goes on with the other entries.

>>> MalformedEmail("no e-mail headers were found").code
'malformed_email'
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Optional, Type

from scanner.errors import ScanError


@contextmanager
def read_as(error: Type[ScanError], message: str, too_deep: Optional[str] = None) -> Iterator[None]:
    """Reading hostile bytes: anything but a ScanError (or MemoryError, which the pipeline reports as
    ``out_of_memory``) raised in the block becomes ``error(message)``; a RecursionError becomes
    ``error(too_deep)`` when that is given.

    >>> with read_as(CorruptDocument, "the file is damaged"):
    ...     int("x")
    Traceback (most recent call last):
    scanner.extract.errors.CorruptDocument: the file is damaged
    """
    try:
        yield
    except (ScanError, MemoryError):
        raise
    except RecursionError as exc:
        raise error(too_deep or message) from exc
    except Exception as exc:  # noqa: BLE001 - the contract: hostile input ends as a ScanError
        raise error(message) from exc


class MalformedEmail(ScanError):
    code = "malformed_email"


class EncryptedDocument(ScanError):
    """Password-protected: the content cannot be read without the password."""

    code = "encrypted_document"


class CorruptDocument(ScanError):
    """Truncated or damaged Office/OpenDocument file, or not the format its name says."""

    code = "corrupt_document"


class CorruptArchive(ScanError):
    code = "corrupt_archive"


class ArchiveBomb(ScanError):
    """Unpacks to far more than it weighs: refused before it costs memory or time."""

    code = "archive_bomb"


class ContainerLimit(ScanError):
    """More members, or more unpacked bytes, than Limits allows; the rest is not scanned."""

    code = "container_limit"


class UnreadableMember(ScanError):
    """One attachment or archive entry could not be read (damaged, unsupported compression, a link)."""

    code = "unreadable_member"


class PdfBomb(ScanError):
    """A compressed stream of a PDF that expands to far more than a real page needs: refused before
    the PDF library reads it (a 3 MB file can hold a 1 GB content stream)."""

    code = "pdf_bomb"


class CorruptPdf(ScanError):
    code = "corrupt_pdf"


class TooManyPages(ScanError):
    code = "too_many_pages"


class ImageTooLarge(ScanError):
    """More pixels than Limits.max_pixels: refused before it is decoded."""

    code = "image_too_large"


class CorruptImage(ScanError):
    code = "corrupt_image"


class OcrFailed(ScanError):
    code = "ocr_failed"


class OcrTimeout(ScanError):
    code = "ocr_timeout"
