"""Load test of the intake service: ID-check uploads over loopback, throughput, latency, memory.

Starts ``python -m scanner.service`` (one worker per core, a private TMPDIR,
a throw-away API key and fingerprint key), waits for ``/healthz``, sends
``--uploads`` ID-check uploads at ``--concurrency`` from an httpx async client,
and samples the RSS of the service's process tree (the service, its workers and
their Tesseract runs, read from /proc) while it runs. Writes Markdown::

    .venv/bin/python -m tools.bench_service --out docs/bench-service.md
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Dict, List

import httpx

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_docs"


def inputs() -> List[Path]:
    cards = sorted(p for p in (SAMPLES / "id_cards").glob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png", ".pdf"))
    if cards:
        return cards
    return sorted((SAMPLES / "faces").glob("*.jpg")) + sorted((SAMPLES / "scans").glob("*.jpg"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tree_rss_kb(root: int) -> int:
    """Resident memory of a process and all its descendants, in KiB."""
    parents: Dict[int, int] = {}
    rss: Dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[-1].split()
            with open(f"/proc/{entry}/status", "rb") as handle:
                for line in handle:
                    if line.startswith(b"VmRSS:"):
                        rss[int(entry)] = int(line.split()[1])
                        break
        except (OSError, ValueError, IndexError):
            continue
        parents[int(entry)] = int(fields[1])
    family, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in family:
                family.add(child)
                frontier.append(child)
    return sum(rss.get(pid, 0) for pid in family)


class Sampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.stop = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak_kb = max(self.peak_kb, tree_rss_kb(self.pid))
            self.stop.wait(0.2)


async def load(url: str, key: str, files: List[Path], uploads: int, concurrency: int) -> List[tuple]:
    payloads = [(path.name, path.read_bytes()) for path in files]
    queue: asyncio.Queue = asyncio.Queue()
    for number in range(uploads):
        queue.put_nowait(payloads[number % len(payloads)])
    results: List[tuple] = []

    async def client_loop(client: httpx.AsyncClient) -> None:
        while True:
            try:
                name, data = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            started = time.perf_counter()
            try:
                response = await client.post("/v1/id-check", files={"file": (name, data)})
                outcome = response.status_code
                if outcome == 200:
                    outcome = "compliant" if response.json().get("compliant") else "not compliant"
            except httpx.HTTPError as exc:
                outcome = type(exc).__name__
            results.append((outcome, time.perf_counter() - started))

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, headers={"X-API-Key": key}, timeout=600, limits=limits) as client:
        await asyncio.gather(*[client_loop(client) for _ in range(concurrency)])
    return results


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/bench-service.md")
    parser.add_argument("--uploads", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--queue", type=int, help="the service's queue (default: the concurrency, so none is refused)")
    args = parser.parse_args(argv)
    files = inputs()
    queue = args.queue or max(args.concurrency, 4 * args.workers)
    key = secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory(prefix="piiscan-bench-") as tmp:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "PIISCAN_API_KEYS": key, "PIISCAN_FINGERPRINT_KEY": secrets.token_hex(16),
               "TMPDIR": tmp, "PYTHONPATH": str(ROOT)}
        env.pop("PIISCAN_KEY_FILE", None)
        log_path = Path(tmp) / "server.log"
        with open(log_path, "wb") as log:
            started = time.perf_counter()
            server = subprocess.Popen([sys.executable, "-m", "scanner.service", "--port", str(port),
                                       "--workers", str(args.workers), "--queue", str(queue)],
                                      stdout=log, stderr=subprocess.STDOUT, env=env, cwd=str(ROOT))
            sampler = Sampler(server.pid)
            sampler.start()
            try:
                while True:
                    if server.poll() is not None:
                        print(log_path.read_text(), file=sys.stderr)
                        return 3
                    try:
                        if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    time.sleep(0.2)
                ready_s = time.perf_counter() - started
                idle_kb = tree_rss_kb(server.pid)
                began = time.perf_counter()
                results = asyncio.run(load(url, key, files, args.uploads, args.concurrency))
                wall = time.perf_counter() - began
            finally:
                sampler.stop.set()
                sampler.join()
                server.send_signal(signal.SIGTERM)
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
        leftovers = [p for p in Path(tmp).rglob("*") if p.is_file() and p != log_path]
    latencies = [seconds for _outcome, seconds in results]
    outcomes = Counter(str(outcome) for outcome, _s in results)
    answered = sum(n for o, n in outcomes.items() if o in ("compliant", "not compliant"))
    unchecked = outcomes.get("422", 0)  # a verdict with its error: not an ID card, unreadable
    errors = len(results) - answered - unchecked
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    files_note = ("`sample_docs/id_cards/` (" if "id_cards" in str(files[0]) else "`sample_docs/faces` and "
                  "`sample_docs/scans` (") + f"{len(files)} files, sent in turn)"
    report = f"""# Intake service benchmark (ID checks)

Generated by `.venv/bin/python -m tools.bench_service --out {args.out}` on {time.strftime('%Y-%m-%d')}.

Setup: `python -m scanner.service --workers {args.workers} --queue {queue}` (one worker per core, default
30 s time limit) on {os.cpu_count()} cores ({cpu}); {args.uploads} `POST /v1/id-check` uploads from
{files_note}, {args.concurrency} at a time, from an httpx async client on the same machine (loopback).

| measure | value |
|---|---|
| start-up until `/healthz` is ok (workers load their models) | {ready_s:.1f} s |
| uploads answered with a verdict (200) | {answered} of {len(results)} |
| answered 422 (could not be checked: the verdict says why) | {unchecked} |
| service errors (5xx, 503, 504, connection) | {errors} |
| throughput | {len(results) / wall:.2f} uploads/s ({wall:.1f} s in all) |
| latency p50 | {percentile(latencies, 0.5):.2f} s |
| latency p95 | {percentile(latencies, 0.95):.2f} s |
| latency max | {max(latencies):.2f} s |
| service RSS when idle (service + workers) | {idle_kb / 1024:.0f} MB |
| service RSS peak (process tree: service, workers, Tesseract) | {sampler.peak_kb / 1024:.0f} MB |
| files left in the service's TMPDIR afterwards | {len(leftovers)} |

Answers: {", ".join(f"{o}: {n}" for o, n in sorted(outcomes.items()))}.

Latency is measured by the client, from sending the upload to the whole answer, so with
{args.concurrency} clients and {args.workers} worker(s) it is mostly time spent waiting in the
service's queue: a single check costs about {args.workers / (len(results) / wall):.1f} s of one worker.
The throughput is bounded by the workers (one check at a time each); more clients only lengthen the queue,
and past `--queue` the service answers 503 with `Retry-After`.
"""
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    print(report)
    return 0 if not leftovers else 1


if __name__ == "__main__":
    sys.exit(main())
