"""Progress of a batch run on stderr: a live bar on a terminal, a JSON line a minute otherwise.

Neither ever shows a file name or a value: only counts.
"""

from __future__ import annotations

import json
import sys
import time

from scanner.batch import Counts, NoProgress


def progress_for(stream=None):
    stream = stream or sys.stderr
    return BarProgress(stream) if stream.isatty() else LineProgress(stream)


def _fields(counts: Counts) -> dict:
    return {"files": counts.files_seen, "scanned": counts.files_scanned, "unchanged": counts.files_unchanged,
            "pages": counts.pages, "findings": counts.findings, "errors": counts.errors}


class LineProgress(NoProgress):
    """For logs: ``{"kind": "progress", ...}`` at most once per ``every`` seconds."""

    def __init__(self, stream, every: float = 60.0):
        self.stream, self.every = stream, every
        self.started = self.last = time.monotonic()

    def scanned(self, counts: Counts) -> None:
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            rate = counts.files_scanned / max(now - self.started, 1e-9)
            self.stream.write(json.dumps({"kind": "progress", **_fields(counts),
                                          "files_per_s": round(rate, 2)}) + "\n")
            self.stream.flush()

    walked = scanned


class BarProgress(NoProgress):
    def __init__(self, stream):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(TextColumn("[bold]scanning"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[detail]}"), TimeRemainingColumn(),
                            console=Console(file=stream), transient=False)
        self.task = self.bar.add_task("scan", total=None, detail="")
        self.bar.start()

    def _update(self, counts: Counts) -> None:
        elapsed = self.bar.tasks[0].elapsed or 1e-9
        detail = (f"{counts.pages} pages · {counts.findings} findings · {counts.errors} errors · "
                  f"{counts.files_unchanged} unchanged · {counts.files_scanned / elapsed:.1f} files/s")
        self.bar.update(self.task, completed=counts.files_scanned + counts.files_unchanged + counts.files_moved,
                        detail=detail)

    def walked(self, counts: Counts) -> None:
        self._update(counts)

    scanned = walked

    def walk_done(self, counts: Counts) -> None:
        self.bar.update(self.task, total=counts.files_seen)
        self._update(counts)

    def close(self) -> None:
        self.bar.stop()
