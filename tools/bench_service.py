"""Load test of the intake service: ID-check uploads over loopback, throughput, latency, memory.

Starts ``python -m scanner.service`` (one worker per core, a private TMPDIR,
a throw-away API key and fingerprint key), waits for ``/healthz``, sends
``--uploads`` ID-check uploads at ``--concurrency`` from an httpx async client,
and samples the RSS of the service's process tree (the service, its workers and
their Tesseract runs, read from /proc) while it runs. Writes Markdown::

    .venv/bin/python -m tools.bench_service --out docs/bench-service.md

With ``--mix``, a second load follows on the same service: ``--mix-requests`` requests at
``--mix-concurrency`` mixing ID checks, scans of small documents, uploads over the upload limit and
malformed uploads (random bytes named .jpg, truncated PDFs, bodies that are not a multipart form). Each
kind has its intended answers (a refusal: its status and a JSON error); the report gives, per kind, the
answers by HTTP status, p50/p95 latency and the unexpected ones, and the peak RSS of the service tree::

    .venv/bin/python -m tools.bench_service --mix --uploads 40 --mix-requests 300 --mix-concurrency 30

The mixed load is also a test (tests/service/test_load.py), which imports ``mixed_calls`` and ``run_mixed``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import AsyncIterator, Dict, List, Optional, Sequence

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
        self._lock = threading.Lock()

    def run(self) -> None:
        while not self.stop.is_set():
            sample = tree_rss_kb(self.pid)
            with self._lock:
                self.peak_kb = max(self.peak_kb, sample)
            self.stop.wait(0.2)

    def take(self) -> int:
        """The peak since the last call (or the start), in KiB; the next phase starts from zero."""
        with self._lock:
            peak, self.peak_kb = self.peak_kb, 0
        return max(peak, tree_rss_kb(self.pid))


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
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


# --- mixed load --------------------------------------------------------------------------------------
# The answers each kind of request may get: status -> error codes ("*": any stable code; None: a 200
# answer with its JSON). Anything else (another status, a refusal without its JSON error, a 5xx, a
# timeout or a dropped connection) is unexpected.
EXPECTED: Dict[str, Dict[int, object]] = {
    "id-check": {200: None, 422: "*"},              # a verdict; 422: the verdict says why it could not check
    "scan": {200: None},                            # a small document: its records
    "oversize": {413: {"upload_too_large"}},        # over --max-upload-mb, with or without Content-Length
    "random-jpg": {415: {"unsupported_media_type", "binary_content", "unsupported_format"}},
    "truncated-pdf": {422: "*", 200: None},         # a stable error code (or what the reader could recover)
    "wrong-type": {400: {"bad_request"}},           # not a multipart form, or no 'file' field
}
KINDS = list(EXPECTED)
MIX_WEIGHTS = {"id-check": 0.10, "scan": 0.40, "oversize": 0.15, "random-jpg": 0.13, "truncated-pdf": 0.12,
               "wrong-type": 0.10}


@dataclass(frozen=True)
class Call:
    """One request of the mixed load."""

    kind: str
    route: str
    name: str
    data: bytes
    form: str = "multipart"       # "multipart"; "raw": the bytes as the body; "no-file": a form without 'file'
    content_type: str = "application/octet-stream"  # of the file part, or of the raw body
    chunked: bool = False         # sent without Content-Length (the service counts while reading)


def small_documents(limit: int = 64 * 1024) -> List[Path]:
    """Small documents of sample_docs (text, HTML, Markdown, CSV, JSON, Word, e-mail) for /v1/scan."""
    found = []
    for folder in ("text", "office", "email"):
        found += [p for p in sorted((SAMPLES / folder).glob("*")) if p.is_file() and p.stat().st_size <= limit]
    return found


def mix_counts(total: int, weights: Dict[str, float] = MIX_WEIGHTS) -> Dict[str, int]:
    counts = {kind: int(total * weight) for kind, weight in weights.items()}
    counts["scan"] += total - sum(counts.values())
    return counts


def mixed_calls(counts: Dict[str, int], max_upload_bytes: int, id_files: Sequence[Path],
                documents: Optional[Sequence[Path]] = None, seed: int = 7) -> List[Call]:
    """The requests of a mixed load, shuffled (the same ones for the same seed)."""
    rng = random.Random(seed)
    documents = list(documents or small_documents())
    pdfs = sorted((SAMPLES / "pdf").glob("*.pdf"))
    big = b"A" * (max_upload_bytes + 256 * 1024)  # over the limit and its multipart slack: refused up front
    calls: List[Call] = []
    for number in range(counts.get("id-check", 0)):
        path = id_files[number % len(id_files)]
        calls.append(Call("id-check", "/v1/id-check", path.name, path.read_bytes()))
    for number in range(counts.get("scan", 0)):
        path = documents[number % len(documents)]
        calls.append(Call("scan", "/v1/scan", path.name, path.read_bytes(),
                          content_type=rng.choice(["application/octet-stream", "text/plain", "image/jpeg"])))
    for number in range(counts.get("oversize", 0)):
        calls.append(Call("oversize", rng.choice(["/v1/scan", "/v1/id-check", "/v1/redact"]), "big.txt", big,
                          chunked=number % 2 == 1))
    for number in range(counts.get("random-jpg", 0)):
        noise = rng.randbytes(rng.randint(2_000, 60_000))
        calls.append(Call("random-jpg", ["/v1/id-check", "/v1/scan"][number % 2], f"photo_{number}.jpg", noise,
                          content_type="image/jpeg"))
    for number in range(counts.get("truncated-pdf", 0)):
        whole = pdfs[number % len(pdfs)].read_bytes()
        cut = whole[:int(len(whole) * rng.uniform(0.2, 0.8))]
        calls.append(Call("truncated-pdf", ["/v1/scan", "/v1/id-check"][number % 2], f"letter_{number}.pdf", cut,
                          content_type="application/pdf"))
    for number in range(counts.get("wrong-type", 0)):
        variant = number % 3
        if variant == 0:    # an image posted as the body itself
            calls.append(Call("wrong-type", "/v1/id-check", "card.jpg", rng.randbytes(5_000), form="raw",
                              content_type="image/jpeg"))
        elif variant == 1:  # JSON instead of a form
            calls.append(Call("wrong-type", "/v1/scan", "doc.json", b'{"file": "Jan Peeters"}', form="raw",
                              content_type="application/json"))
        else:               # a form whose file is not in the 'file' field
            calls.append(Call("wrong-type", "/v1/scan", "letter.txt", b"Geachte heer Peeters,", form="no-file"))
    rng.shuffle(calls)
    return calls


def check(call: Call, response: httpx.Response) -> Optional[str]:
    """Why this answer is unexpected for this kind of request, or None."""
    expected = EXPECTED[call.kind]
    status = response.status_code
    if status not in expected:
        return f"status {status}"
    if not response.headers.get("content-type", "").startswith("application/json"):
        return f"status {status} without a JSON body"
    try:
        body = response.json()
    except ValueError:
        return f"status {status} with a body that is not JSON"
    if status == 200:
        wanted = "compliant" if call.route == "/v1/id-check" else "records"
        return None if isinstance(body, dict) and wanted in body else f"200 without '{wanted}'"
    if not (isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"]
            and isinstance(body.get("message"), str) and body["message"]):
        return f"status {status} without an error code and message"
    codes = expected[status]
    if codes != "*" and body["error"] not in codes:
        return f"status {status} with error '{body['error']}'"
    return None


async def _chunks(data: bytes, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]


async def _send(client: httpx.AsyncClient, call: Call) -> httpx.Response:
    if call.form == "raw":
        return await client.post(call.route, content=call.data, headers={"Content-Type": call.content_type})
    field = "file" if call.form == "multipart" else "attachment"
    if not call.chunked:
        return await client.post(call.route, files={field: (call.name, call.data, call.content_type)})
    boundary = "piiscan-bench-" + secrets.token_hex(8)
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{call.name}"\r\n'
            f"Content-Type: {call.content_type}\r\n\r\n").encode()
    body = head + call.data + f"\r\n--{boundary}--\r\n".encode()
    return await client.post(call.route, content=_chunks(body),
                             headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})


@dataclass
class Answer:
    kind: str
    route: str
    status: str          # the HTTP status, or the client-side exception's name
    seconds: float
    problem: Optional[str] = None  # why it is unexpected


async def run_mixed(url: str, key: str, calls: Sequence[Call], concurrency: int,
                    busy_expected: bool = False, timeout: float = 600) -> List[Answer]:
    """Send the calls, ``concurrency`` at a time; every answer, checked. With ``busy_expected`` (the
    service's queue is shorter than the concurrency), 503 busy with Retry-After counts as intended."""
    queue: asyncio.Queue = asyncio.Queue()
    for call in calls:
        queue.put_nowait(call)
    answers: List[Answer] = []

    async def client_loop(client: httpx.AsyncClient) -> None:
        while True:
            try:
                call = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            started = time.perf_counter()
            try:
                response = await _send(client, call)
            except httpx.HTTPError as exc:
                answers.append(Answer(call.kind, call.route, type(exc).__name__, time.perf_counter() - started,
                                      f"{type(exc).__name__}: {exc}"[:200]))
                continue
            seconds = time.perf_counter() - started
            problem = check(call, response)
            if problem and busy_expected and response.status_code == 503 and response.headers.get("retry-after"):
                problem = None
            answers.append(Answer(call.kind, call.route, str(response.status_code), seconds, problem))

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, headers={"X-API-Key": key}, timeout=timeout, limits=limits) as client:
        await asyncio.gather(*[client_loop(client) for _ in range(concurrency)])
    return answers


def summarise(answers: Sequence[Answer]) -> Dict[str, dict]:
    """Per kind: count, answers by status, p50/p95/max latency (s), unexpected answers and a few reasons."""
    table: Dict[str, dict] = {}
    for kind in KINDS + ["all"]:
        mine = [a for a in answers if kind in ("all", a.kind)]
        if not mine:
            continue
        seconds = [a.seconds for a in mine]
        problems = [a for a in mine if a.problem]
        table[kind] = {"count": len(mine), "statuses": dict(sorted(Counter(a.status for a in mine).items())),
                       "p50": percentile(seconds, 0.5), "p95": percentile(seconds, 0.95), "max": max(seconds),
                       "unexpected": len(problems),
                       "reasons": sorted(Counter(f"{a.route}: {a.problem}" for a in problems).items())[:5]}
    return table


def mixed_section(table: Dict[str, dict], setup: str, wall: float, idle_kb: int, peak_kb: int,
                  healthy: bool) -> str:
    rows = []
    for kind, row in table.items():
        intended = "—" if kind == "all" else ", ".join(
            f"{status}" + ("" if codes is None else f" ({'any code' if codes == '*' else '/'.join(sorted(codes))})")
            for status, codes in EXPECTED[kind].items())
        statuses = ", ".join(f"{status}: {n}" for status, n in row["statuses"].items())
        rows.append(f"| {kind} | {row['count']} | {statuses} | {intended} | {row['p50']:.2f} s | "
                    f"{row['p95']:.2f} s | {row['max']:.2f} s | {row['unexpected']} |")
    reasons = [f"- {kind}: {reason} ({n})" for kind, row in table.items() if kind != "all"
               for reason, n in row["reasons"]]
    total = table["all"]
    return f"""
## Mixed load (ID checks, scans, oversize and malformed uploads)

{setup}

| kind | requests | answers by status | intended | p50 | p95 | max | unexpected |
|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

| measure | value |
|---|---|
| requests | {total['count']} in {wall:.1f} s ({total['count'] / wall:.1f} requests/s) |
| unexpected answers (other status, no JSON error, 5xx, timeout, dropped connection) | {total['unexpected']} |
| `/healthz` after the load | {"ok" if healthy else "NOT ok"} |
| service RSS before the mixed load | {idle_kb / 1024:.0f} MB |
| service RSS peak during the mixed load (service, workers, Tesseract) | {peak_kb / 1024:.0f} MB |

{"Unexpected answers:" + chr(10) + chr(10).join(reasons) if reasons else "No unexpected answer."}

Kinds: *id-check* posts an ID-card copy; *scan* a small document of `sample_docs` (text, HTML, CSV,
JSON, Word, e-mail; the file part's declared type varies and is ignored: the type is read from the bytes);
*oversize* posts the upload limit + 256 KiB to a random route, half with `Content-Length` (refused before
the body is read) and half chunked (refused while reading); *random-jpg* random bytes named `.jpg` to
`/v1/id-check` and `/v1/scan`; *truncated-pdf* a sample PDF cut at 20-80 % to the same two routes;
*wrong-type* an image or JSON posted as the body instead of a multipart form, or a form without its `file`
field. Oversize and wrong-type requests, and random bytes sent to `/v1/id-check`, are refused without a
worker (their latency is the time to read or refuse the upload); random bytes sent to `/v1/scan` and the
truncated PDFs are refused by a worker, after waiting in the queue like any scan.
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/bench-service.md")
    parser.add_argument("--uploads", type=int, default=100, help="ID-check uploads (0: no ID-check load)")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--queue", type=int, help="the service's queue (default: the concurrency, so none is refused)")
    parser.add_argument("--max-upload-mb", type=float, default=20, help="the service's upload limit (default 20, "
                        "the service's own default)")
    parser.add_argument("--mix", action="store_true", help="then a mixed load of ID checks, scans, oversize and "
                        "malformed uploads (its own section in the report)")
    parser.add_argument("--mix-requests", type=int, default=300, metavar="N")
    parser.add_argument("--mix-concurrency", type=int, default=30, metavar="N")
    parser.add_argument("--seed", type=int, default=7, help="of the mixed load's random bytes and order")
    args = parser.parse_args(argv)
    files = inputs()
    queue = args.queue or max(args.concurrency, args.mix_concurrency if args.mix else 0, 4 * args.workers)
    max_upload = int(args.max_upload_mb * 1024 * 1024)
    key = secrets.token_urlsafe(24)
    results: List[tuple] = []
    answers: List[Answer] = []
    wall = mix_wall = 0.0
    id_peak_kb = mix_idle_kb = mix_peak_kb = 0
    healthy = True
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
                                       "--workers", str(args.workers), "--queue", str(queue),
                                       "--max-upload-mb", f"{args.max_upload_mb:g}"],
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
                sampler.take()
                if args.uploads:
                    began = time.perf_counter()
                    results = asyncio.run(load(url, key, files, args.uploads, args.concurrency))
                    wall = time.perf_counter() - began
                    id_peak_kb = sampler.take()
                if args.mix:
                    calls = mixed_calls(mix_counts(args.mix_requests), max_upload, files, seed=args.seed)
                    mix_idle_kb = tree_rss_kb(server.pid)
                    sampler.take()
                    began = time.perf_counter()
                    answers = asyncio.run(run_mixed(url, key, calls, args.mix_concurrency,
                                                    busy_expected=queue < args.mix_concurrency))
                    mix_wall = time.perf_counter() - began
                    mix_peak_kb = sampler.take()
                    try:
                        health = httpx.get(url + "/healthz", timeout=10)
                        healthy = health.status_code == 200 and health.json().get("workers_up") is True
                    except httpx.HTTPError:
                        healthy = False
            finally:
                sampler.stop.set()
                sampler.join()
                server.send_signal(signal.SIGTERM)
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
        leftovers = [p for p in Path(tmp).rglob("*") if p.is_file() and p != log_path]
        traceback_logged = "Traceback" in log_path.read_text(errors="replace")
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    report = id_section(args, files, queue, cpu, results, wall, ready_s, idle_kb, id_peak_kb, leftovers) \
        if args.uploads else f"# Intake service benchmark\n\nStart-up until `/healthz` is ok: {ready_s:.1f} s; " \
                             f"files left in the service's TMPDIR afterwards: {len(leftovers)}.\n"
    unexpected = sum(1 for a in answers if a.problem)
    if args.mix:
        counts = mix_counts(args.mix_requests)
        setup = (f"Generated by `.venv/bin/python -m tools.bench_service --mix --mix-requests {args.mix_requests} "
                 f"--mix-concurrency {args.mix_concurrency}` on {time.strftime('%Y-%m-%d')}, on the same service "
                 f"(`--workers {args.workers} --queue {queue} --max-upload-mb {args.max_upload_mb:g}`, "
                 f"{os.cpu_count()} cores, {cpu}) after the ID-check load: {len(answers)} requests, "
                 f"{args.mix_concurrency} at a time, in a shuffled order (seed {args.seed}): "
                 + ", ".join(f"{n} {kind}" for kind, n in counts.items()) + ". Service log: "
                 + ("a traceback was logged." if traceback_logged else "no traceback."))
        report += mixed_section(summarise(answers), setup, mix_wall, mix_idle_kb, mix_peak_kb, healthy)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    print(report)
    return 0 if not leftovers and not unexpected and healthy else 1


def id_section(args, files, queue, cpu, results, wall, ready_s, idle_kb, peak_kb, leftovers) -> str:
    """The ID-check load's report (the first section)."""
    latencies = [seconds for _outcome, seconds in results]
    outcomes = Counter(str(outcome) for outcome, _s in results)
    answered = sum(n for o, n in outcomes.items() if o in ("compliant", "not compliant"))
    unchecked = outcomes.get("422", 0)  # a verdict with its error: not an ID card, unreadable
    errors = len(results) - answered - unchecked
    files_note = ("`sample_docs/id_cards/` (" if "id_cards" in str(files[0]) else "`sample_docs/faces` and "
                  "`sample_docs/scans` (") + f"{len(files)} files, sent in turn)"
    return f"""# Intake service benchmark (ID checks)

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
| service RSS peak (process tree: service, workers, Tesseract) | {peak_kb / 1024:.0f} MB |
| files left in the service's TMPDIR afterwards | {len(leftovers)} |

Answers: {", ".join(f"{o}: {n}" for o, n in sorted(outcomes.items()))}.

Latency is measured by the client, from sending the upload to the whole answer, so with
{args.concurrency} clients and {args.workers} worker(s) it is mostly time spent waiting in the
service's queue: a single check costs about {args.workers / (len(results) / wall):.1f} s of one worker.
The throughput is bounded by the workers (one check at a time each); more clients only lengthen the queue,
and past `--queue` the service answers 503 with `Retry-After`.
"""


if __name__ == "__main__":
    sys.exit(main())
