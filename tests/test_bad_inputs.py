"""Hostile and broken files written by others (../shared/realdata/bad_inputs): each gives a
result or a clear error record, never a crash, a hang or a memory blow-up."""

from __future__ import annotations

import json
import resource
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PIISCAN, REALDATA

BAD = REALDATA / "bad_inputs"
FILES = sorted(BAD.iterdir()) if BAD.exists() else []
# What each file must give: an error code, or "ok" (scanned, with or without findings).
EXPECTED = {
    "ocrmypdf_invalid.pdf": "corrupt_pdf",
    "pypdf_libreoffice_user_password.pdf": "encrypted_document",
    "pypdf_r6_aes256_user_password.pdf": "encrypted_document",
    "pillow_decompression_bomb.gif": "image_too_large",
    "pillow_decompression_bomb_extents.gif": "image_too_large",
}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_hostile_file(scanner, path: Path):
    records = list(scanner.scan_path(path))
    assert records, "no record at all"
    codes = [r.error for r in records if r.kind == "error"]
    assert "internal_error" not in codes, [r.message for r in records if r.kind == "error"]
    top = [r for r in records if r.member is None]
    assert any(r.kind in ("document", "error") for r in top)
    if path.name in EXPECTED:
        expected = EXPECTED[path.name]
        assert (expected == "ok" and not codes) or expected in codes, codes
    for record in records:
        if record.kind == "error":
            assert record.message and len(record.message) < 300


def _limit_memory():
    limit = 3 * 1024 ** 3  # 3 GiB of address space for the whole run
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@pytest.mark.skipif(not FILES, reason="realdata not here")
def test_whole_folder_within_memory_and_time(env):
    run = subprocess.run(PIISCAN + ["scan", str(BAD), "--format", "jsonl"], env=env, capture_output=True,
                         text=True, timeout=900, preexec_fn=_limit_memory)
    assert run.returncode == 0, run.stderr[-2000:]
    records = [json.loads(line) for line in run.stdout.splitlines()]
    summary = records[-1]
    assert summary["kind"] == "summary" and summary["files"] == len(FILES)
    seen = {r["file"] for r in records if r["kind"] in ("document", "error") and r.get("member") is None}
    assert seen == {str(p) for p in FILES}
