"""Failures of the extraction stage (formats, containers, OCR), each with a stable code (see scanner/errors.py).

A problem with the whole file raises one of these; a problem with one entry of a
container (an encrypted zip entry, an attachment over the size limit) is not
raised: the extractor lists it in ``Extracted.extra["errors"]`` as
``(member_name, code, message)`` and goes on with the other entries.

>>> MalformedEmail("no e-mail headers were found").code
'malformed_email'
"""

from __future__ import annotations

from scanner.errors import ScanError


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
