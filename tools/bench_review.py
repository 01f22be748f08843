"""Review UI bench: open the page of a 10-page scanned PDF and its 10 redacted page previews.

    python -m tools.bench_review --out docs/bench-review.md
    python -m tools.bench_review --rounds 5 --width 1000

A 10-page scanned PDF is made from the scanned sample letters (sample_docs/pdf/scan_*.pdf, pages
repeated), scanned by the real pipeline (OCR) into a SQLite store, and served by uvicorn on a
loopback port exactly as ``piiscan serve --db`` serves the review UI. A signed-in client then:

- cold: with empty caches (a fresh process state: no document bytes, no rendered page), GETs the
  document page, then the 10 page images, 6 at a time as a browser does (and, separately, one after
  the other);
- warm: the same again, the previews now in the in-memory cache.

Goal (the issue): the page with its 10 images in at most 1 s on this machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-password-123"
PAGES = 10


def make_pdf(target: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    sources = sorted((ROOT / "sample_docs" / "pdf").glob("scan_*.pdf"))
    pages = [page for source in sources for page in PdfReader(str(source)).pages]
    writer = PdfWriter()
    for index in range(PAGES):
        writer.add_page(pages[index % len(pages)])
    with open(target, "wb") as handle:
        writer.write(handle)


def build(folder: Path) -> tuple[str, int, float]:
    from scanner.analyze.engine import Analyzer
    from scanner.pipeline import Scanner
    from scanner.review.accounts import add_user
    from scanner.store import FileScan, Store

    share = folder / "share"
    share.mkdir()
    pdf = share / "scan_10_pages.pdf"
    make_pdf(pdf)
    scanner = Scanner(Analyzer.load(), b"bench-key")
    started = time.perf_counter()
    records = [r.model_dump() for r in scanner.scan_path(pdf)]
    scan_s = time.perf_counter() - started
    db = str(folder / "store.db")
    store = Store.open(db)
    run = store.begin_run([str(share)], "bench", 1)
    stat = pdf.stat()
    store.save_file(run, FileScan(str(pdf), str(share), stat.st_size, stat.st_mtime_ns, None, records), "bench")
    store.finish_run(run, "completed", {"files_seen": 1, "files_scanned": 1})
    add_user(store, "bench", "analyst", PASSWORD)
    findings = sum(1 for r in records if r["kind"] == "finding")
    store.close()
    return db, findings, scan_s


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(db: str):
    import uvicorn
    from fastapi import FastAPI

    from scanner.review import ReviewSettings, create_review_app

    review = create_review_app(ReviewSettings(db=db))
    app = FastAPI()
    app.mount("/review", review)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return server, thread, review, f"http://127.0.0.1:{port}/review"


def sign_in(base: str):
    import httpx

    client = httpx.Client(base_url=base, timeout=120, limits=httpx.Limits(max_connections=6))
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    done = client.post("/login", data={"name": "bench", "password": PASSWORD, "csrf": token, "next": "/review/"})
    assert done.status_code in (200, 303), done.status_code
    return client


def open_document(client, doc_id: int, parallel: int) -> tuple[float, float, int]:
    """(seconds to the document page, seconds to the page and all its images, bytes of the images)."""
    started = time.perf_counter()
    page = client.get(f"/documents/{doc_id}")
    assert page.status_code == 200
    html_s = time.perf_counter() - started
    sources = re.findall(r'<img src="/review(/documents/\d+/pages/\d+\.png)"', page.text)
    assert len(sources) == PAGES, len(sources)

    def fetch(path: str) -> int:
        response = client.get(path)
        assert response.status_code == 200 and response.headers["content-type"] == "image/png"
        return len(response.content)

    with ThreadPoolExecutor(parallel) as pool:
        sizes = list(pool.map(fetch, sources))
    return html_s, time.perf_counter() - started, sum(sizes)


def reset(review) -> None:
    from scanner.review import preview

    cache = getattr(review.state, "previews", None)
    if cache is not None:
        cache.clear()
    preview.SOURCES._items.clear()
    preview.SOURCES._bytes = 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", help="write the Markdown report here")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--width", type=int, default=None, help="preview width (default: the UI's)")
    args = parser.parse_args()
    from scanner.review import preview

    if args.width:
        preview.PREVIEW_WIDTH = args.width
    folder = Path(tempfile.mkdtemp(prefix="piiscan-bench-review-"))
    try:
        db, findings, scan_s = build(folder)
        server, thread, review, base = serve(db)
        client = sign_in(base)
        doc_id = int(re.search(r"/documents/(\d+)", client.get("/documents").text).group(1))
        rows = {}
        for label, parallel in (("browser-like, 6 at a time", 6), ("one after the other", 1)):
            cold, warm = [], []
            for _ in range(args.rounds):
                reset(review)
                cold.append(open_document(client, doc_id, parallel))
                warm.append(open_document(client, doc_id, parallel))
            rows[label] = (cold, warm)
        server.should_exit = True
        thread.join(10)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    def med(values):
        return statistics.median(values)

    cold_ok = all(med([d[1] for d in cold]) <= 1.0 for cold, _warm in rows.values())
    warm_ok = all(med([d[1] for d in warm]) <= 1.0 for _cold, warm in rows.values())
    load = os.getloadavg()
    lines = ["# Review UI: opening a 10-page scanned document", "",
             f"`python -m tools.bench_review --rounds {args.rounds}` on {platform.node()} "
             f"({os.cpu_count()} CPUs, Python {platform.python_version()}, load average {load[0]:.1f} at the end); "
             f"{time.strftime('%Y-%m-%d %H:%M')}.", "",
             f"The document: 10 pages of scanned letters (sample_docs/pdf/scan_*.pdf repeated), {findings} findings; "
             f"its scan (OCR) took {scan_s:.1f} s. Served by uvicorn on loopback, as `piiscan serve --db` serves "
             f"it; previews {preview.PREVIEW_WIDTH} px wide (PNG). Each figure is the median of {args.rounds} rounds; "
             "'cold' starts with empty caches (no document bytes, no rendered page), 'warm' repeats it at once.", "",
             "| client | state | document page (s) | page + 10 images (s) | images (MB) | goal ≤ 1 s |",
             "|---|---|---:|---:|---:|---|"]
    for label, (cold, warm) in rows.items():
        for state, data in (("cold", cold), ("warm", warm)):
            total = med([d[1] for d in data])
            lines.append(f"| {label} | {state} | {med([d[0] for d in data]):.3f} | {total:.3f} | "
                         f"{med([d[2] for d in data]) / 1e6:.1f} | {'met' if total <= 1.0 else 'missed'} |")
    lines += ["", "How: the document page starts drawing all its pages in the background (two threads, pdfium "
              "calls serialised) while the browser reads the HTML; each image request takes the cached PNG or "
              "waits for the render in flight. Previews are kept in an in-memory LRU (96 MB) keyed by document, "
              "page, file time and size; the checked document bytes in another (128 MB). A page is drawn at the "
              "preview width directly (pdfium scale, no image smoothing), covered, outlined and written as PNG without "
              "row filters (zlib level 1; a palette PNG for a page without colour).", "",
              "Cold figures depend on what else the 2 cores are doing (the load average is printed above): "
              "rendering is serialised (pdfium is not thread-safe), so a busy machine stretches it. "
              + ("Cold and warm are both within the goal in this run." if cold_ok else
                 "In this run the goal is met warm only (an analyst going back to a document, or a page "
                 "opened after its previews were drawn); cold missed it.") + (
                  "" if warm_ok else " Warm missed it too."), ""]
    report = "\n".join(lines)
    print(report)
    if args.out:
        Path(args.out).write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
