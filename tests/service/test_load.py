"""The intake service under a mixed load over real HTTP: 150 requests, 20 at a time, mostly cheap ones
(small text scans, uploads over the limit, random bytes named .jpg, truncated PDFs, bodies that are not a
multipart form) and a handful of ID checks. Every answer must be the intended one (a refusal: its status
and a JSON error with a code and a message); afterwards the service is healthy, its process tree stayed
under a memory bound, and no upload is left in its TMPDIR.

The requests and their checks are those of ``tools/bench_service.py --mix`` (see docs/bench-service.md).

Memory bound: with one worker, the service tree (uvicorn process + one worker holding the models) measured
about 320 MB idle and about 470 MB at its peak under this load (an ID check: the image, its renderings and
a Tesseract process; the uploads in flight are at most 20 x 1 MiB). The test allows the idle size plus
RSS_GROWTH_MB: about twice the growth measured, so a leak of a copy per request (150 requests of up to
1.3 MB, or the oversize bodies kept) or a second worker's worth of models would fail it, while a busier CI
machine would not.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from tests.conftest import SAMPLES
from tests.service.server import API_KEY, Server
from tools.bench_service import EXPECTED, Sampler, mixed_calls, run_mixed, summarise, tree_rss_kb

MIB = 1024 * 1024
CONCURRENCY = 20
REQUESTS = {"scan": 60, "oversize": 25, "random-jpg": 20, "truncated-pdf": 15, "wrong-type": 24, "id-check": 6}
RSS_GROWTH_MB = 350


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("load"),
                    ["--workers", "1", "--queue", str(CONCURRENCY), "--max-upload-mb", "1"])
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def id_cards() -> list:
    """The smallest ID-card copies of sample_docs/id_cards (about 90 KB each)."""
    cards = sorted((p for p in (SAMPLES / "id_cards").glob("*.jpg")), key=lambda p: p.stat().st_size)
    assert cards, "sample_docs/id_cards has no JPEG"
    return cards[:3]


def test_mixed_load_gets_only_intended_answers(service):
    calls = mixed_calls(REQUESTS, 1 * MIB, id_cards(), documents=sorted((SAMPLES / "text").glob("*.txt")))
    assert len(calls) == sum(REQUESTS.values()) == 150
    idle_kb = tree_rss_kb(service.process.pid)
    sampler = Sampler(service.process.pid)
    sampler.start()
    began = time.monotonic()
    try:
        answers = asyncio.run(run_mixed(service.url, API_KEY, calls, CONCURRENCY, timeout=60))
    finally:
        sampler.stop.set()
        sampler.join()
    seconds = time.monotonic() - began
    peak_kb = sampler.take()
    table = summarise(answers)
    report = {kind: (row["statuses"], f"p95 {row['p95']:.2f} s") for kind, row in table.items()}
    print(f"\n{len(answers)} requests in {seconds:.1f} s; RSS idle {idle_kb // 1024} MB, peak {peak_kb // 1024} MB; "
          f"{report}")

    # Every request answered, each with one of its kind's intended answers.
    assert {kind: row["count"] for kind, row in table.items() if kind != "all"} == REQUESTS
    unexpected = [(a.kind, a.route, a.status, a.problem) for a in answers if a.problem]
    assert not unexpected, unexpected
    for kind, row in table.items():
        if kind != "all":
            assert set(map(int, row["statuses"])) <= set(EXPECTED[kind]), (kind, row["statuses"])
    # The refusals were refused, the ID checks and scans answered.
    assert table["oversize"]["statuses"] == {"413": REQUESTS["oversize"]}
    assert table["wrong-type"]["statuses"] == {"400": REQUESTS["wrong-type"]}
    assert table["random-jpg"]["statuses"] == {"415": REQUESTS["random-jpg"]}
    assert table["scan"]["statuses"] == {"200": REQUESTS["scan"]}

    # Still healthy, same worker count, and within the memory bound.
    health = httpx.get(service.url + "/healthz", timeout=10)
    assert health.status_code == 200 and health.json()["workers_up"] is True
    after = httpx.post(service.url + "/v1/scan", headers={"X-API-Key": API_KEY}, timeout=60,
                       files={"file": ("a.txt", b"IBAN BE71 0961 2345 6769, Jan Peeters.\n")})
    assert after.status_code == 200, after.text
    assert len(service.worker_pids()) == 1
    assert peak_kb < idle_kb + RSS_GROWTH_MB * 1024, (idle_kb // 1024, peak_kb // 1024)

    # Nothing of the uploads on disk while the service runs (uploads are read into memory, each job's
    # temporary folder is removed), and nothing at all once it has stopped.
    uploads = [call.data[:4096] for call in calls if len(call.data) > 64]
    for path in service.tmpdir.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert not any(sent in content for sent in uploads), path
    assert service.stop() in (0, -15), service.log()
    assert [p for p in service.tmpdir.rglob("*") if not p.is_dir()] == []
    log = service.log()
    assert "Traceback" not in log and "internal error" not in log
    assert log.count("POST /v1/") >= sum(REQUESTS.values())
