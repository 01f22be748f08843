"""Opening a zip (an archive, or an Office/OpenDocument package) without trusting its numbers.

A zip's central directory says how big each entry unpacks; Python's zipfile
never returns more than that declared size (and checks the CRC at the end), so
judging entries by their declared sizes before reading them bounds the memory
and time a hostile file can cost: no entry over ``max_bytes``, no entry that
unpacks to more than ``max_ratio`` times its packed size (a zip bomb), no
encrypted entry read with a guessed password.

>>> import io, zipfile
>>> from scanner.extract import Limits
>>> buffer = io.BytesIO()
>>> with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
...     z.writestr("zeros.bin", bytes(5 * 1024 * 1024))
>>> info = open_zip(buffer.getvalue(), ValueError).infolist()[0]
>>> entry_problem(info, Limits())[0]
'archive_bomb'
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import Optional, Tuple, Type

from scanner.errors import FileTooLarge
from scanner.extract import Limits
from scanner.extract.errors import ArchiveBomb, EncryptedDocument, UnreadableMember
from scanner.extract.members import mib

# Below this size a high ratio costs nothing and is normal (a sparse sheet, a log full of repeats).
RATIO_FLOOR = 1024 * 1024
# Office packages hold pictures and XML that legitimately shrink 100-300 times (an EMF drawing of
# 1.4 MiB in 5 KiB): their entries are judged on absolute sizes, the ratio only for the very large.
PACKAGE_RATIO_FLOOR = 16 * 1024 * 1024
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError,
                zipfile.LargeZipFile)


def open_zip(data: bytes, error: Type[Exception]) -> zipfile.ZipFile:
    """The zip, or ``error`` (a ScanError class) in plain words when it is not one or is cut short."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except _READ_ERRORS as exc:
        raise error("the file is not a complete zip container: it is damaged or truncated") from exc


def entry_problem(info: zipfile.ZipInfo, limits: Limits, ratio_floor: int = RATIO_FLOOR) -> Optional[Tuple[str, str]]:
    """(code, message) when the entry must not be read, judged on its declared sizes only."""
    if info.flag_bits & 0x1:
        return EncryptedDocument.code, "this entry is encrypted (password-protected); not scanned"
    if info.file_size > limits.max_bytes:
        return FileTooLarge.code, f"this entry unpacks to {mib(info.file_size)}, over the {mib(limits.max_bytes)} limit"
    if info.file_size > ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        return ArchiveBomb.code, (f"this entry unpacks to {mib(info.file_size)} from {info.compress_size} bytes "
                                  f"(over {limits.max_ratio} times its size): a zip bomb; not unpacked")
    return None


def read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The entry's bytes, or UnreadableMember (bad CRC, unsupported compression, truncated data)."""
    try:
        return archive.read(info)
    except _READ_ERRORS as exc:
        raise UnreadableMember(f"this entry could not be unpacked ({_why(exc)})") from exc


def _why(exc: Exception) -> str:
    if isinstance(exc, NotImplementedError):
        return "its compression method is not supported"
    if isinstance(exc, zipfile.BadZipFile) and "CRC" in str(exc):
        return "its data does not match its checksum"
    return "its data is damaged or cut short"


def check_package(archive: zipfile.ZipFile, limits: Limits, encrypted_message: str) -> None:
    """An Office/OpenDocument package is read whole: any entry that must not be read fails the file."""
    total = 0
    for info in archive.infolist():
        problem = entry_problem(info, limits, PACKAGE_RATIO_FLOOR)
        total += info.file_size
        if problem is None:
            continue
        code, message = problem
        if code == EncryptedDocument.code:
            raise EncryptedDocument(encrypted_message)
        raise (ArchiveBomb if code == ArchiveBomb.code else FileTooLarge)(f"{info.filename}: {message}")
    if total > limits.max_total_member_bytes:
        raise ArchiveBomb(f"the document unpacks to {mib(total)}, over the {mib(limits.max_total_member_bytes)} limit")
