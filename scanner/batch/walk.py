"""Walking the shares: files folder by folder, with their size and modification time.

Symbolic links to folders are not followed (no loops, no escaping the share);
links to files are, once per real file. Unreadable folders, broken links and
files that cannot be stat'ed become error records; the walk goes on.
Include/exclude globs match the path relative to its root (``*.pdf``,
``archive/**``) or the file name.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, List, Optional, Sequence, Set

from scanner.batch.work import Job


@dataclass
class Folder:
    path: str                                  # absolute
    jobs: List[Job] = field(default_factory=list)
    errors: List[dict] = field(default_factory=list)


@dataclass
class Walker:
    include: Sequence[str] = ()
    exclude: Sequence[str] = ()
    max_size: Optional[int] = None
    seen: Set[str] = field(default_factory=set)

    def wanted(self, relative: str) -> bool:
        name = relative.rsplit("/", 1)[-1]

        def matches(patterns):
            return any(fnmatch.fnmatchcase(relative, p) or fnmatch.fnmatchcase(name, p) for p in patterns)

        return (not self.include or matches(self.include)) and not matches(self.exclude)

    def folders(self, root: str) -> Iterator[Folder]:
        """One :class:`Folder` per directory under ``root`` (a single file is its own root)."""
        top = os.path.abspath(root)
        if os.path.isfile(top):
            folder = Folder(os.path.dirname(top))
            self._add(folder, top, root, os.path.dirname(top), os.path.basename(top))
            yield folder
            return
        if not os.path.isdir(top):
            yield Folder(top, errors=[_error(root, "read_failed", "no such file or folder")])
            return
        stack = [top]
        while stack:
            current = stack.pop()
            folder = Folder(current)
            try:
                with os.scandir(current) as entries:
                    items = sorted(entries, key=lambda e: e.name)
            except OSError as exc:
                folder.errors.append(_error(_shown(root, top, current), "read_failed",
                                            f"cannot read the folder: {exc.strerror or exc}"))
                yield folder
                continue
            subfolders = []
            for entry in items:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        subfolders.append(entry.path)
                        continue
                except OSError:
                    pass
                self._add(folder, entry.path, _shown(root, top, entry.path), top,
                          os.path.relpath(entry.path, top).replace(os.sep, "/"))
            stack.extend(reversed(subfolders))
            yield folder

    def _add(self, folder: Folder, path: str, shown: str, root: str, relative: str) -> None:
        if not self.wanted(relative):
            return
        try:
            stat = os.stat(path)  # follows a link to a file
        except FileNotFoundError:
            if os.path.islink(path):
                folder.errors.append(_error(shown, "read_failed", "broken symbolic link"))
            return  # vanished between listing and stat: nothing to scan
        except OSError as exc:
            folder.errors.append(_error(shown, "read_failed", f"cannot read the file: {exc.strerror or exc}"))
            return
        if not os.path.isfile(path):
            return  # a socket, a fifo, a device: not a document
        real = os.path.realpath(path)
        if real in self.seen:
            return
        self.seen.add(real)
        if self.max_size is not None and stat.st_size > self.max_size:
            folder.errors.append(_error(shown, "file_too_large", f"the file is {stat.st_size} bytes, over "
                                           f"the --max-file-size limit of {self.max_size} bytes"))
            return
        folder.jobs.append(Job(path=path, display=shown, root=root, size=stat.st_size, mtime_ns=stat.st_mtime_ns))


def _shown(given: str, top: str, path: str) -> str:
    """The path as the user would write it: under the root as they typed it."""
    relative = os.path.relpath(path, top)
    return given if relative == "." else str(Path(given) / relative)


def _error(file: str, code: str, message: str) -> dict:
    return {"kind": "error", "file": file, "member": None, "error": code, "message": message}
