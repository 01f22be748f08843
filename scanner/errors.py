"""Failures a user can meet, each with a stable code and plain words.

Codes are part of the JSON contract (`error` records): never rename one.
"""

from __future__ import annotations


class ScanError(Exception):
    """A document could not be scanned; the run goes on."""

    code = "scan_failed"

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        if code:
            self.code = code
        self.message = message


class UnsupportedFormat(ScanError):
    code = "unsupported_format"


class BinaryContent(ScanError):
    code = "binary_content"


class UndecodableText(ScanError):
    code = "undecodable_text"


class FileTooLarge(ScanError):
    code = "file_too_large"


class ReadFailed(ScanError):
    code = "read_failed"


class UsageError(Exception):
    """The command line itself is wrong (exit code 2)."""


class RunFailed(Exception):
    """The run as a whole cannot go on (exit code 3): no models, no key, no output."""
