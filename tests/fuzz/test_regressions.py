"""Inputs that once crashed or stalled a reader (found by tools/fuzz.py), kept small and hand-made.

Each file in ``tests/fuzz/regressions/<target>/`` goes through its target in-process, as the fuzzer
ran it (``tools.fuzz.run_input``: extraction with small limits, every page and member read), with the
OCR stand-in: it must give a result or a ScanError, never another exception, and quickly.
``regressions/README.md`` says what each file is and what it broke.
"""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from tools.fuzz import TARGETS, name_for, run_input, stand_in_ocr

REGRESSIONS = Path(__file__).resolve().parent / "regressions"
FILES = sorted(p for p in REGRESSIONS.glob("*/*") if p.is_file())
SECONDS = 10  # the fuzzer's budget for one input


def test_every_folder_is_a_target():
    assert FILES
    assert {p.parent.name for p in FILES} <= set(TARGETS)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_regression_input(path: Path):
    data = path.read_bytes()
    started = time.monotonic()
    with stand_in_ocr():
        result = run_input(path.parent.name, data, name_for(path.parent.name, path, data))
    assert result is not None
    assert time.monotonic() - started < SECONDS


def test_zip_kind_reads_only_the_start_of_the_mimetype_entry():
    """An .odt whose ``mimetype`` entry inflates to 64 MB: telling its kind must not unpack it
    (kind_of read it whole, before any limit was checked: 4 GB from a 4 MB file)."""
    from scanner.extract.dispatch import kind_of

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("mimetype", "w") as entry:
            entry.write(b"application/vnd.oasis.opendocument.text")
            block = bytes(1024 * 1024)
            for _ in range(64):
                entry.write(block)
    data = buffer.getvalue()
    tracemalloc.start()
    try:
        assert kind_of(data, "bomb.odt") == "odt"
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024, f"{peak / 1e6:.0f} MB to tell the kind of a {len(data) / 1e3:.0f} KB file"
