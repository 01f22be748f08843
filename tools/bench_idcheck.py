"""Latency of the ID-copy check per upload, on one core (make bench).

    python -m tools.bench_idcheck --out docs/bench-idcheck.md

One process, one Tesseract thread (``OMP_THREAD_LIMIT=1``), pinned to one CPU where the
system allows it. After one warm-up check, every sample of ``sample_docs/id_cards`` is
checked ``--repeat`` times (3); latencies are reported per presentation (scan, A4 page,
phone photo, PDF) and overall. Where the time goes (decoding, finding the cards, OCR, face
detection, the rest) is measured by timing wrappers this tool puts around the checker's
functions; the checker itself is not changed. Also: the cold start (a fresh interpreter:
import, ``IdChecker()``, first check), the peak memory, and as the reference cost the
plain ``tesseract IMG - -l eng --psm 3`` command, single-threaded, once per image.
"""

from __future__ import annotations

import os

os.environ["OMP_THREAD_LIMIT"] = "1"  # before anything starts Tesseract

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_docs"
PRESENTATIONS = ("scan", "page", "photo", "pdf")
STAGES = ("load", "locate", "ocr", "faces")

STAGE_TIME: dict = defaultdict(float)
_depth = {"n": 0}


def _timed(stage: str, function):
    """The function, its time added to STAGE_TIME[stage] (outermost timed call only: no double count)."""
    def wrapper(*args, **kwargs):
        if _depth["n"]:
            return function(*args, **kwargs)
        _depth["n"] += 1
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            STAGE_TIME[stage] += time.perf_counter() - started
            _depth["n"] -= 1
    wrapper.__wrapped__ = function
    return wrapper


def instrument() -> list:
    """Wrap the checker's stages where the modules look them up; returns what was wrapped."""
    import scanner.analyze.vision as vision
    import scanner.idcheck as idcheck
    import scanner.idcheck.check as check
    import scanner.idcheck.read as read

    targets = [(idcheck, "load_pages", "load"), (idcheck, "find_cards", "locate"),
               (check, "ocr_lines", "ocr"), (read, "ocr_lines", "ocr"),
               (check, "detect_faces", "faces"), (vision, "detect_faces", "faces")]
    done = []
    for module, name, stage in targets:
        if hasattr(module, name):
            setattr(module, name, _timed(stage, getattr(module, name)))
            done.append(f"{module.__name__}.{name}")
    return done


def pin_one_cpu() -> str:
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})  # Tesseract, started from here, inherits it
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError):
        return "not pinned (no sched_setaffinity here)"


def percentile(values, share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = share * (len(ordered) - 1)
    low = int(index)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (index - low)


def load_truth(samples: Path) -> list:
    lines = (samples / "id_cards" / "truth.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def cold_start(sample: Path) -> dict:
    """A fresh interpreter: import, IdChecker(), the first check; wall clock from outside too."""
    code = (
        "import time, json, resource\n"
        "def peak():\n"  # VmHWM: this program's own peak (ru_maxrss would count what fork inherited)
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmHWM:'):\n"
        "            return int(line.split()[1]) / 1024\n"
        "    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "t0 = time.perf_counter()\n"
        "from scanner.idcheck import IdChecker\n"
        "t1 = time.perf_counter()\n"
        "checker = IdChecker()\n"
        "t2 = time.perf_counter()\n"
        f"data = open({str(sample)!r}, 'rb').read()\n"
        f"verdict = checker.check_bytes(data, {sample.name!r})\n"
        "t3 = time.perf_counter()\n"
        "print(json.dumps({'import': t1 - t0, 'init': t2 - t1, 'first_check': t3 - t2,"
        " 'rss_mb': peak()}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_THREAD_LIMIT": "1"}
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600, cwd=ROOT)
    wall = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit(f"cold start failed: {run.stderr[-2000:]}")
    out = json.loads(run.stdout.strip().splitlines()[-1])
    out["wall"] = wall
    return out


_REFERENCE = """
import json, os, resource, subprocess, sys, time
paths = json.load(sys.stdin)
times = []
for path in paths:
    started = time.perf_counter()
    subprocess.run([sys.argv[1], path, "-", "-l", "eng", "--psm", "3"], capture_output=True, check=True, timeout=300)
    times.append(time.perf_counter() - started)
print(json.dumps({"times": times, "maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def tesseract_reference(paths: list, limits) -> tuple:
    """Seconds of `tesseract IMG - -l eng --psm 3` (one thread) per file, and Tesseract's peak RSS (MiB).

    A PDF's pages are rendered first (the rendering is not counted). The commands run from a small
    helper interpreter: a child's peak RSS counts what it inherited at fork, so Tesseract started
    from this (large) process would report this process's memory as its own."""
    from scanner.idcheck import PDF_DPI, load_pages

    binary = shutil.which("tesseract")
    if binary is None:
        return {}, None
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory(prefix="bench-idcheck-") as tmp:
        images = []  # (file, image path)
        for path in paths:
            if path.suffix.lower() == ".pdf":
                pages, _ = load_pages(path.read_bytes(), path.name, limits)
                for i, page in enumerate(pages):
                    target = Path(tmp) / f"{path.stem}-{i}.png"
                    page.save(target, dpi=(PDF_DPI, PDF_DPI))
                    images.append((path, str(target)))
            else:
                images.append((path, str(path)))
        run = subprocess.run([sys.executable, "-c", _REFERENCE, binary], input=json.dumps([i for _, i in images]),
                             env=env, capture_output=True, text=True, check=True, timeout=3600)
    out = json.loads(run.stdout)
    times: dict = defaultdict(float)
    for (path, _), seconds in zip(images, out["times"]):
        times[path] += seconds
    return dict(times), out["maxrss_kb"] / 1024


def run(samples: Path, repeat: int, limit: int = 0) -> dict:
    pinned = pin_one_cpu()
    started = time.perf_counter()
    from scanner.idcheck import IdChecker

    wrapped = instrument()
    checker = IdChecker()
    truth = load_truth(samples)
    if limit:
        truth = truth[:limit]
    files = [(samples / row["file"], row["presentation"]) for row in truth]
    data = {path: path.read_bytes() for path, _ in files}
    checker.check_bytes(data[files[0][0]], files[0][0].name)  # warm-up
    rows = []
    for _ in range(repeat):
        for path, presentation in files:
            STAGE_TIME.clear()
            t0 = time.perf_counter()
            verdict = checker.check_bytes(data[path], path.name)
            elapsed = time.perf_counter() - t0
            rows.append({"file": path.name, "presentation": presentation, "seconds": elapsed,
                         "stages": dict(STAGE_TIME), "compliant": verdict.compliant})
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tesseract, tesseract_rss = tesseract_reference([path for path, _ in files], checker.limits)
    cold = cold_start(samples / "id_cards" / "eid2010_unmasked_scan_front.jpg")
    return {"rows": rows, "cold": cold, "self_rss_mb": self_rss, "tesseract_rss_mb": tesseract_rss,
            "tesseract": {p.name: s for p, s in tesseract.items()},
            "presentation_of": {p.name: pres for p, pres in files}, "repeat": repeat, "files": len(files),
            "pinned": pinned, "wrapped": wrapped, "total_s": time.perf_counter() - started}


def report(result: dict) -> str:
    rows = result["rows"]
    tess = result["tesseract"]
    out = ["# ID-copy check: latency per upload", "",
           "Generated by `make bench` (`python -m tools.bench_idcheck`). One process, `OMP_THREAD_LIMIT=1`, "
           f"{result['pinned']}; {platform.processor() or platform.machine()}, {os.cpu_count()} CPU(s) on the "
           f"machine, Python {platform.python_version()}.", "",
           f"Every sample of `sample_docs/id_cards` ({result['files']} files) checked {result['repeat']} times "
           "after one warm-up check (`IdChecker.check_bytes`, bytes already in memory). "
           f"The whole run took {result['total_s'] / 60:.1f} min.", "",
           "## Latency per upload (seconds)", "",
           "| presentation | files | checks | p50 | p95 | max | mean | `tesseract` CLI p50 "
           "| check / tesseract (median) |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    groups = [(p, [r for r in rows if r["presentation"] == p]) for p in PRESENTATIONS]
    groups = [(p, sel) for p, sel in groups if sel] + [("**all**", rows)]
    for name, sel in groups:
        secs = [r["seconds"] for r in sel]
        names = sorted({r["file"] for r in sel})
        ref = [tess[n] for n in names if n in tess]
        ratios = []
        for n in names:
            if tess.get(n):
                mine = statistics.median(r["seconds"] for r in sel if r["file"] == n)
                ratios.append(mine / tess[n])
        out.append(f"| {name} | {len(names)} | {len(sel)} | {percentile(secs, 0.5):.2f} | "
                   f"{percentile(secs, 0.95):.2f} | "
                   f"{max(secs):.2f} | {statistics.mean(secs):.2f} | "
                   f"{percentile(ref, 0.5):.2f} | " + (f"{statistics.median(ratios):.1f}x |" if ratios else "n/a |"))
    out += ["", "The reference is one run of `tesseract IMG - -l eng --psm 3` per file (a PDF: per rendered page, "
            "summed), one thread: the cost of reading the upload once with the same engine and language.", "",
            "## Where the time goes (mean seconds per check)", "",
            "| presentation | total | decode (load) | locate cards | OCR (Tesseract) | face detection | rest |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    for name, sel in groups:
        total = statistics.mean(r["seconds"] for r in sel)
        parts = [statistics.mean(r["stages"].get(s, 0.0) for r in sel) for s in STAGES]
        out.append(f"| {name} | {total:.2f} | " + " | ".join(f"{v:.2f}" for v in parts) +
                   f" | {total - sum(parts):.2f} |")
    share_ocr = sum(r["stages"].get("ocr", 0.0) for r in rows) / max(sum(r["seconds"] for r in rows), 1e-9)
    out += ["", f"OCR is {100 * share_ocr:.0f} % of the time overall. \"Rest\" is the coverage maps, the checks, "
            "the straightening of each card and Python itself. Measured by wrapping "
            f"{', '.join('`' + w + '`' for w in result['wrapped'])} with `time.perf_counter` in this tool only "
            "(nested calls counted once).", ""]
    slowest = sorted(rows, key=lambda r: -r["seconds"])[:5]
    out += ["Slowest checks:", ""] + [f"- {r['file']} ({r['presentation']}): {r['seconds']:.2f} s "
                                     f"(OCR {r['stages'].get('ocr', 0):.2f} s)" for r in slowest]
    cold = result["cold"]
    out += ["", "## Cold start", "",
            "A fresh interpreter checking one card scan (`eid2010_unmasked_scan_front.jpg`):", "",
            "| import `scanner.idcheck` | `IdChecker()` | first check | whole process (wall) |",
            "|---:|---:|---:|---:|",
            f"| {cold['import']:.2f} s | {cold['init']:.2f} s | {cold['first_check']:.2f} s | {cold['wall']:.2f} s |",
            "", "## Memory", "",
            f"- peak RSS of the benchmark process (all checks): {result['self_rss_mb']:.0f} MiB",
            f"- peak RSS of the cold-start process: {cold['rss_mb']:.0f} MiB",
            "- largest `tesseract` process (the reference runs, on the same files): "
            + (f"{result['tesseract_rss_mb']:.0f} MiB" if result["tesseract_rss_mb"] else "n/a"), ""]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the Markdown report here")
    parser.add_argument("--repeat", type=int, default=3, help="checks of every sample after the warm-up (3)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N samples (a quick look)")
    parser.add_argument("--samples", type=Path, default=SAMPLES, help="folder holding id_cards/ (default sample_docs)")
    args = parser.parse_args()
    text = report(run(args.samples, args.repeat, args.limit))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
