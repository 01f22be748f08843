"""A file's records, however many: a few thousand in memory, the rest in a temporary file.

A 200 MB debtor export gives millions of findings. A document is reported
whole or not at all (a failure half-way gives its error only), so its
findings wait until the document is done; and a batch worker hands a file's
results to the coordinator in one piece. A :class:`Spool` is the list they
wait in: it keeps ``limit`` records in memory and writes older ones, pickled
in chunks, to a temporary file, so memory does not grow with the number of
findings.

The file holds the records as the scanner made them: masked values and keyed
fingerprints, raw values only with ``--reveal``. It is private to the user
(0600), and removed when the spool is discarded:

- without ``folder``, the file is unlinked as soon as it is created
  (:func:`tempfile.TemporaryFile`): nothing is left behind even on ``kill -9``;
- with ``folder`` (a batch run's private folder, removed at the end of the
  run), the file has a name, so a pool worker can hand the spool to the
  coordinator by name instead of sending its records through a pipe.

>>> spool = Spool(limit=2)
>>> spool.extend(range(5))
>>> list(spool), len(spool)
([0, 1, 2, 3, 4], 5)
>>> spool.discard()
"""

from __future__ import annotations

import os
import pickle
import tempfile
from typing import IO, Any, Iterable, Iterator, List, Optional

LIMIT = 2000   # records held in memory per spool (a finding is about 1 KB as a Python object)
_PROTOCOL = pickle.HIGHEST_PROTOCOL


class Spool:
    def __init__(self, limit: Optional[int] = None, folder: Optional[str] = None):
        self.limit = limit or LIMIT
        self.folder = folder
        self.path: Optional[str] = None   # the spill file's name, when it has one
        self._file: Optional[IO[bytes]] = None
        self._tail: List[Any] = []        # the newest records, not written yet
        self._count = 0

    # ------------------------------------------------------------------ filling
    def append(self, record: Any) -> None:
        self._tail.append(record)
        self._count += 1
        if len(self._tail) >= self.limit:
            self._spill()

    def extend(self, records: Iterable[Any]) -> None:
        for record in records:
            self.append(record)

    def _spill(self) -> None:
        if self._file is None:
            if self.folder:
                handle, self.path = tempfile.mkstemp(prefix="records-", suffix=".pickle", dir=self.folder)
                self._file = os.fdopen(handle, "w+b")
            else:
                self._file = tempfile.TemporaryFile(prefix="piiscan-records-")
        self._file.seek(0, os.SEEK_END)
        pickle.dump(self._tail, self._file, protocol=_PROTOCOL)
        self._tail = []

    # ------------------------------------------------------------------ reading
    @property
    def spilled(self) -> bool:
        """True when some records are in the file (a large result: the store saves it on its own)."""
        return self._file is not None or self.path is not None

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Any]:
        """The records in the order they were added (each iteration reads the file again)."""
        if self.spilled:
            handle = self._reader()
            handle.seek(0)
            while True:
                try:
                    chunk = pickle.load(handle)
                except EOFError:
                    break
                yield from chunk
        yield from list(self._tail)

    def __getitem__(self, index: int) -> Any:
        if index < 0:
            index += self._count
        for position, record in enumerate(self):
            if position == index:
                return record
        raise IndexError(index)

    def _reader(self) -> IO[bytes]:
        if self._file is None:  # received from another process: the file is known by its name
            self._file = open(self.path, "r+b")
        self._file.flush()
        return self._file

    # ------------------------------------------------------------------ ending
    def discard(self) -> None:
        """Close and remove the file (idempotent); the spool is empty afterwards."""
        if self._file is not None:
            self._file.close()
            self._file = None
        if self.path:
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass
            self.path = None
        self._tail, self._count = [], 0

    def __del__(self) -> None:  # a spool dropped on an error path must not leave its file behind
        try:
            if self._file is not None:
                self._file.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass

    # ------------------------------------------------------------------ crossing processes
    def __getstate__(self) -> dict:
        """A named file is handed over by name (the receiver removes it); an unnamed one travels inline."""
        state = {"limit": self.limit, "folder": self.folder, "count": self._count, "tail": self._tail}
        if self.path:
            self._file.flush()
            self._file.close()
            self._file = None
            state["path"], self.path = self.path, None   # the receiver owns the file now
        elif self._file is not None:
            state["records"] = list(self)[:self._count - len(self._tail)]
        return state

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["limit"], state["folder"])
        self.path = state.get("path")
        self._count = state["count"]
        self._tail = state["tail"]
        if "records" in state:  # came inline: kept in memory (Dask workers on other machines)
            self._tail = state["records"] + self._tail
