"""Resource limits (issue 7): generated bombs and backtracking bait, each bounded in time and memory
and answered with a clear error record (tests/hostile.py makes them; nothing is committed)."""

from __future__ import annotations

import json
import resource
import subprocess
import time

import pytest

from tests.conftest import PIISCAN
from tests.hostile import BOMBS, REDOS, pdf, redos_text

MEMORY = 3 * 1024 ** 3  # address space for a whole scan of the bombs: models included


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def test_every_bomb_gives_its_error_within_time_and_memory(tmp_path, env):
    folder = tmp_path / "bombs"
    folder.mkdir()
    for name, (make, _code) in BOMBS.items():
        (folder / name).write_bytes(make())
    started = time.monotonic()
    run = subprocess.run(PIISCAN + ["scan", str(folder), "--format", "jsonl", "--file-timeout", "120"], env=env,
                         capture_output=True, text=True, timeout=900, preexec_fn=_limit_memory)
    assert run.returncode == 0, run.stderr[-2000:]
    records = [json.loads(line) for line in run.stdout.splitlines()]
    assert records[-1]["kind"] == "summary" and records[-1]["files"] == len(BOMBS)
    for name, (_make, code) in BOMBS.items():
        mine = [r for r in records if r.get("file", "").endswith("/" + name)]
        errors = [r["error"] for r in mine if r["kind"] == "error"]
        assert "timeout" not in errors and "internal_error" not in errors and "out_of_memory" not in errors, (
            name, errors)
        if code is None:
            assert any(r["kind"] == "document" and not r.get("member") for r in mine), (name, errors)
        else:
            assert code in errors, (name, errors)
        assert all(r["message"] and len(r["message"]) < 300 for r in mine if r["kind"] == "error")
    # No bomb took the per-file time limit (120 s): the limits stopped each one first.
    assert time.monotonic() - started < 600


def test_a_pdf_stream_bomb_is_refused_before_pdfium_reads_it(scanner):
    from scanner.extract.pdf import MAX_STREAM_BYTES

    started = time.monotonic()
    records = list(scanner.scan_data(BOMBS["pdf_stream_256MB.pdf"][0](), "bomb.pdf"))
    assert [r.error for r in records] == ["pdf_bomb"]
    assert f"{MAX_STREAM_BYTES // (1024 * 1024)} MiB" in records[0].message
    assert time.monotonic() - started < 30


def test_an_image_declared_over_the_pixel_limit_inside_a_pdf_is_refused(scanner):
    import zlib

    pixels = zlib.compress(b"\0" * 1000)
    image = (b"<< /Type /XObject /Subtype /Image /Width 100000 /Height 100000 /ColorSpace /DeviceGray "
             b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % len(pixels) + pixels + b"\nendstream")
    data = pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
                b"<< /Length 34 >>\nstream\nq 612 0 0 792 0 0 cm /Im1 Do Q\nendstream", image])
    records = list(scanner.scan_data(data, "picture.pdf"))
    assert [r.error for r in records] == ["pdf_bomb"] and "100000 x 100000" in records[0].message


def test_ordinary_pdfs_pass_the_stream_check():
    """The check must not refuse real documents: every PDF of sample_docs and of ../shared/realdata (the
    hostile files there included: none of them is a stream bomb)."""
    from scanner.extract import Limits
    from scanner.extract.pdf import check_streams
    from tests.conftest import REALDATA, SAMPLES

    pdfs = sorted(SAMPLES.rglob("*.pdf")) + sorted(REALDATA.rglob("*.pdf"))
    assert len(pdfs) > 30
    for path in pdfs:
        check_streams(path.read_bytes(), Limits())


@pytest.mark.parametrize("case", sorted(REDOS))
def test_long_runs_of_identifier_characters_do_not_make_any_recognizer_backtrack(analyzer, case):
    """50,000 characters of one pattern through every recognizer: seconds (linear), never minutes.
    Measured: 0.1-2.3 s each on a busy CI core; catastrophic backtracking would take hours."""
    text = redos_text(REDOS[case], 50_000)
    started = time.monotonic()
    analyzer.analyze(text)
    assert time.monotonic() - started < 60
