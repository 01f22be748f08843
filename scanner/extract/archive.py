"""Archives: .zip and .tar (plain, .gz/.tgz, .bz2, .xz). No pages, only members.

Entries are never written to disk (members are bytes), so a ``../`` in an
entry's name is only a label to clean. What a hostile archive can still cost
is memory and time, so Limits are checked before each entry is unpacked:

- zip: each entry's declared sizes (zipfile never unpacks past them): over
  ``max_bytes``, or over ``max_ratio`` times its packed size (a zip bomb), or
  encrypted -> an error entry for that entry, the others are still returned;
- tar: the decompressed stream is counted as it is read; more than
  ``max_ratio`` times the file's size is a bomb (``archive_bomb``, raised),
  more than ``max_total_member_bytes`` ends the listing with an error entry;
- both: at most ``max_members`` members and ``max_total_member_bytes`` in all.

Error entries are ``extra["errors"]``: ``(member_name, code, message)``.
Nested archives are plain members: the pipeline recurses and bounds the depth.

>>> import io, zipfile
>>> buffer = io.BytesIO()
>>> with zipfile.ZipFile(buffer, "w") as z:
...     z.writestr("../clients/jan.txt", "Jan Peeters")
>>> [(m.name, m.data) for m in extract_zip(buffer.getvalue(), "a.zip", Limits()).members]
[('clients/jan.txt', b'Jan Peeters')]
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
import zlib

from scanner.extract import Extracted, Limits
from scanner.extract.errors import ArchiveBomb, ContainerLimit, CorruptArchive, UnreadableMember
from scanner.extract.members import Members, mib
from scanner.extract.ziplimits import RATIO_FLOOR, entry_problem, open_zip, read_entry

_DECOMPRESSORS = ((b"\x1f\x8b", lambda raw: gzip.GzipFile(fileobj=raw)), (b"BZh", bz2.BZ2File),
                  (b"\xfd7zXZ\x00", lzma.LZMAFile))
_STREAM_ERRORS = (tarfile.TarError, EOFError, OSError, zlib.error, lzma.LZMAError, ValueError)


def extract_zip(data: bytes, name: str, limits: Limits) -> Extracted:
    archive = open_zip(data, CorruptArchive)
    bag = Members(limits)
    for info in archive.infolist():
        if info.filename.endswith("/"):  # a folder; not info.is_dir(), an IndexError on an entry without a name
            continue
        problem = entry_problem(info, limits)
        if problem is not None:
            bag.error(info.filename, *problem)
            continue
        if not bag.room_for(info.filename, info.file_size):
            continue
        try:
            blob = read_entry(archive, info)
        except UnreadableMember as exc:
            bag.error(info.filename, exc.code, exc.message)
            continue
        bag.add(info.filename, blob, keep_path=True)
    return Extracted(pages=[], kind="zip", members=bag.members, extra={"errors": bag.errors})


class _CountingReader(io.RawIOBase):
    """A decompressed stream that stops being read once it has given more than its limits allow."""

    def __init__(self, stream, packed: int, limits: Limits):
        self.stream = stream
        self.count = 0
        self.bomb_at = max(RATIO_FLOOR, limits.max_ratio * packed) if stream is not None else None
        self.total_at = limits.max_total_member_bytes + RATIO_FLOOR  # headers and padding come on top of members
        self.packed = packed
        self.limits = limits

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self.stream.read(len(buffer))
        self.count += len(chunk)
        if self.bomb_at is not None and self.count > self.bomb_at:
            raise ArchiveBomb(f"the archive unpacks to more than {self.limits.max_ratio} times its size "
                              f"({self.packed} bytes): a decompression bomb; not unpacked")
        if self.count > self.total_at:
            raise ContainerLimit(f"the archive unpacks to more than {mib(self.limits.max_total_member_bytes)}")
        buffer[:len(chunk)] = chunk
        return len(chunk)


def _decompressed(data: bytes, limits: Limits) -> _CountingReader:
    for magic, opener in _DECOMPRESSORS:
        if data.startswith(magic):
            return _CountingReader(opener(io.BytesIO(data)), len(data), limits)
    reader = _CountingReader(io.BytesIO(data), len(data), limits)
    reader.bomb_at = None  # an uncompressed tar is never larger than itself
    return reader


def extract_tar(data: bytes, name: str, limits: Limits) -> Extracted:
    """A tar, compressed or not, read as a stream (each byte decompressed once, counted)."""
    bag = Members(limits)
    current = None
    try:
        with tarfile.open(fileobj=io.BufferedReader(_decompressed(data, limits)), mode="r|") as archive:
            for info in archive:
                current = info.name
                if not info.isfile():  # folders, links, devices: no content of their own
                    continue
                if not bag.room_for(info.name, info.size):
                    if len(bag.members) >= limits.max_members:
                        break
                    continue
                handle = archive.extractfile(info)
                bag.add(info.name, handle.read() if handle else b"", keep_path=True)
    except ArchiveBomb:
        raise
    except ContainerLimit as exc:
        bag.error(current, exc.code, f"{exc.message}; this entry and the ones after it were not scanned")
    except _STREAM_ERRORS as exc:
        if current is None:
            raise CorruptArchive("the file is not a readable tar archive (damaged, truncated or not a tar)") from exc
        bag.error(current, CorruptArchive.code, "the archive is damaged or cut short from this entry on; "
                                                "the entries before it were scanned")
    return Extracted(pages=[], kind="tar", members=bag.members, extra={"errors": bag.errors})
