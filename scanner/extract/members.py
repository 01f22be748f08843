"""Collecting the files inside a container (attachments, archive entries, embedded objects) under Limits.

Every container extractor goes through ``Members`` so the rules are the same
everywhere: names are made safe (they are only labels, members are never
written to disk, but a label with ``../`` or a control character in a report or
in a later ``--extract`` option is trouble), names are unique within the
container, and the count, each member's size and the total unpacked size are
bounded. A member that breaks a rule becomes an error entry, not an exception,
so the rest of the container is still scanned.

>>> from scanner.extract import Limits
>>> bag = Members(Limits(max_members=2))
>>> bag.add("../../etc/passwd", b"x"), bag.add("a.txt", b"y"), bag.add("b.txt", b"z")
('passwd', 'a.txt', None)
>>> [m.name for m in bag.members], [e[1] for e in bag.errors]
(['passwd', 'a.txt'], ['container_limit'])
"""

from __future__ import annotations

import re
import unicodedata
from typing import List, Optional, Tuple

from scanner.errors import FileTooLarge
from scanner.extract import Limits, Member
from scanner.extract.errors import ContainerLimit

ErrorEntry = Tuple[str, str, str]  # member name, stable code, plain words
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


def safe_name(name: Optional[str], fallback: str) -> str:
    """The last path component, without control characters; ``fallback`` when nothing usable is left.

    >>> safe_name("C:\\\\Users\\\\jan\\\\factuur.pdf", "x"), safe_name("..", "part-1.bin"), safe_name(None, "part-2")
    ('factuur.pdf', 'part-1.bin', 'part-2')
    """
    if not name:
        return fallback
    name = unicodedata.normalize("NFC", str(name))
    name = _UNSAFE.sub("", name.replace("\\", "/")).split("/")[-1].strip()
    if name in ("", ".", ".."):
        return fallback
    return name[:255]


def safe_path(name: Optional[str], fallback: str) -> str:
    """An archive entry's path as a clean relative label: no leading ``/``, no ``.``/``..``, no control characters.

    >>> safe_path("/../2024/./clients\\\\jan.pdf", "x")
    '2024/clients/jan.pdf'
    """
    if not name:
        return fallback
    name = _UNSAFE.sub("", unicodedata.normalize("NFC", str(name)).replace("\\", "/"))
    parts = [part.strip() for part in name.split("/") if part.strip() not in ("", ".", "..")]
    return "/".join(parts)[:1024] or fallback


def mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"


class Members:
    """Members of one container, with the error entries for those that were refused."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.members: List[Member] = []
        self.errors: List[ErrorEntry] = []
        self.total = 0
        self._names: set = set()
        self._full = False

    def unique(self, name: str) -> str:
        """``a.txt``, then ``a (2).txt``: two attachments may share a name, findings must not."""
        if name not in self._names:
            return name
        stem, dot, suffix = name.rpartition(".")
        if not dot or not stem:
            stem, suffix = name, ""
        number = 2
        while True:
            candidate = f"{stem} ({number}).{suffix}" if suffix else f"{stem} ({number})"
            if candidate not in self._names:
                return candidate
            number += 1

    def room_for(self, name: str, size: int) -> bool:
        """Whether a member of ``size`` bytes may still be added; records why not when it may not.

        Archive extractors ask before unpacking, so a refused entry costs nothing.
        """
        name = safe_path(name, "(unnamed)")
        if self._full:
            return False
        if len(self.members) >= self.limits.max_members:
            self._full = True
            self.errors.append((name, ContainerLimit.code,
                                f"the container holds more than {self.limits.max_members} files; "
                                "this one and the ones after it were not scanned"))
            return False
        if size > self.limits.max_bytes:
            self.errors.append((name, FileTooLarge.code,
                                f"this file is {mib(size)}, over the {mib(self.limits.max_bytes)} limit; not scanned"))
            return False
        if self.total + size > self.limits.max_total_member_bytes:
            self._full = True
            self.errors.append((name, ContainerLimit.code,
                                f"unpacking this file would exceed {mib(self.limits.max_total_member_bytes)} "
                                "for the whole container; it and the ones after it were not scanned"))
            return False
        return True

    def add(self, name: Optional[str], data: bytes, keep_path: bool = False) -> Optional[str]:
        """Add a member, its name made safe and unique; returns that name, None when a limit refused it.

        ``keep_path``: an archive entry keeps its folders (``2024/jan.pdf``); an
        attachment's name is only ever a file name.
        """
        fallback = f"member-{len(self.members) + 1}"
        name = safe_path(name, fallback) if keep_path else safe_name(name, fallback)
        if not self.room_for(name, len(data)):
            return None
        name = self.unique(name)
        self._names.add(name)
        self.members.append(Member(name, data))
        self.total += len(data)
        return name

    def error(self, name: Optional[str], code: str, message: str) -> None:
        self.errors.append((safe_path(name, "(unnamed)"), code, message))
