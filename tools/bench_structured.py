"""``python -m tools.bench_structured``: large structured exports scanned with ``piiscan scan``.

    python -m tools.bench_structured                              # 200 MB JSONL, 200 MB JSON, a >= 20 MB .xlsx
    python -m tools.bench_structured --jsonl-mb 5 --json-mb 5 --xlsx-mb 1 --out /tmp/quick.md   # a quick look

Generated at bench time in a temporary folder (seeded, not committed): debtor exports of a Belgian
collection agency, every record with its own invented debtor (name, national register number, date
of birth, e-mail, phone, address, IBAN: checksum-valid) and the invoice data around it:

- ``debtors.jsonl``: one record per line;
- ``debtors.json``: the same records in ``{"export": {...}, "debtors": [...]}``, one record per line;
- ``debtors.xlsx``: the same columns in one sheet (written with openpyxl's write-only mode).

Each file is scanned by the real command line in its own process (``python -m scanner`` is
``piiscan``), from a copy of ``scanner/`` and ``models/`` taken at the start (other work on the
tree during a long bench does not change the code measured)::

    piiscan scan FILE --format jsonl --out /dev/null --file-timeout 86400 --no-progress

Measured: wall time of the process (start-up and model loading included), MB/s, CPU time, and peak
resident memory (``VmHWM`` of the process, read from /proc every 0.5 s, and the children's
``ru_maxrss``). Other processes' CPU use during a run is reported (the machine may be shared).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Dict, Iterator, List, Optional


from tools.bench_batch import busy_cpu_s, code_version, machine, snapshot_code
from tools.make_share import fmt_iban, valid_iban, valid_nn

ROOT = Path(__file__).resolve().parent.parent
KEY = "bench-structured-fingerprint-key"  # a fixed key: the runs do not touch the user's key file
TIMEOUT_S = 86400
MB = 1_000_000

FIRST = ["Jan", "Anne", "Pieter", "Sofie", "Luc", "Marie", "Koen", "Els", "Thomas", "Nathalie", "Bart", "Isabelle",
         "Wim", "Camille", "Dirk", "Julie", "Geert", "Laura", "Hans", "Chloé", "Mehdi", "Fatima", "Olivier", "Birgit"]
LAST = ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters", "De Smet",
        "Dubois", "Lambert", "Dupont", "Martin", "Simon", "Laurent", "Leclercq", "Renard", "Lenz", "Schmitz",
        "Vandenberghe", "Van Damme", "El Amrani", "Lejeune"]
STREETS = ["Kerkstraat", "Stationsstraat", "Rue Haute", "Rue de la Station", "Dorpsstraat", "Avenue Louise",
           "Molenstraat", "Chaussée de Wavre", "Hauptstraße", "Nieuwstraat", "Rue du Moulin", "Kapelstraat"]
TOWNS = [("9000", "Gent"), ("2000", "Antwerpen"), ("1000", "Bruxelles"), ("4000", "Liège"), ("3000", "Leuven"),
         ("5000", "Namur"), ("8000", "Brugge"), ("4780", "Sankt Vith"), ("6000", "Charleroi"), ("2800", "Mechelen")]
STATUS = ["open", "reminder_1", "reminder_2", "payment_plan", "paid", "disputed"]
NOTES = ["", "", "Herinnering verstuurd", "Rappel envoyé", "Afbetalingsplan akkoord", "Adres gewijzigd",
         "Contestation en cours", "Zahlungserinnerung versendet"]
COLUMNS = ["Dossier", "Naam", "Rijksregisternummer", "Geboortedatum", "E-mail", "Telefoon", "Adres", "Postcode",
           "Gemeente", "IBAN", "Factuur", "Bedrag", "Vervaldag", "Status", "Opmerking"]
PLANTED_PER_RECORD = 7  # name, national number, date of birth, e-mail, phone, street address, IBAN


# ------------------------------------------------------------------------------------------------ data
def national_number(rng: random.Random) -> tuple:
    born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(365 * 62))
    return valid_nn(rng, born, rng.choice("MF")), born


def record(rng: random.Random, index: int) -> dict:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    number, born = national_number(rng)
    postcode, town = rng.choice(TOWNS)
    return {
        "dossier": f"IM-{2020 + index % 5}-{index:07d}",
        "debtor": {
            "name": f"{first} {last}", "national_number": number, "birth_date": born.isoformat(),
            "email": f"{first.lower()}.{last.lower().replace(' ', '')}{rng.randrange(100)}@example.be",
            "phone": f"04{rng.randrange(70, 99)} {rng.randrange(10, 99)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}",
            "address": {"street": f"{rng.choice(STREETS)} {rng.randrange(1, 250)}", "postcode": postcode, "town": town},
        },
        "account": {"iban": fmt_iban(valid_iban(rng))},
        "invoice": {"number": f"F{2024}-{index:07d}", "amount": round(rng.uniform(20, 5000), 2),
                    "due": (dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(700))).isoformat()},
        "status": rng.choice(STATUS), "note": rng.choice(NOTES),
    }


def records(seed: int) -> Iterator[dict]:
    rng = random.Random(seed)
    index = 0
    while True:
        yield record(rng, index)
        index += 1


def write_jsonl(path: Path, size: int, seed: int) -> int:
    count = written = 0
    with open(path, "w", encoding="utf-8") as handle:
        for item in records(seed):
            line = json.dumps(item, ensure_ascii=False) + "\n"
            if written + len(line.encode()) > size:
                break
            handle.write(line)
            written += len(line.encode())
            count += 1
    return count


def write_json(path: Path, size: int, seed: int) -> int:
    count = 0
    head = '{"export": {"source": "collections", "created": "2024-06-30T23:00:00Z"},\n "debtors": [\n'
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(head)
        written = len(head)
        for item in records(seed):
            line = ("" if count == 0 else ",\n") + "  " + json.dumps(item, ensure_ascii=False)
            if written + len(line.encode()) + 4 > size:
                break
            handle.write(line)
            written += len(line.encode())
            count += 1
        handle.write("\n]}\n")
    return count


def write_xlsx(path: Path, size: int, seed: int) -> int:
    """Rows until the file is about ``size`` bytes (write-only openpyxl; checked every 20,000 rows)."""
    from openpyxl import Workbook

    rows = 20000
    while True:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Debiteuren")
        sheet.append(COLUMNS)
        for item, _ in zip(records(seed), range(rows)):
            debtor, address = item["debtor"], item["debtor"]["address"]
            sheet.append([item["dossier"], debtor["name"], debtor["national_number"],
                          dt.date.fromisoformat(debtor["birth_date"]), debtor["email"], debtor["phone"],
                          address["street"], address["postcode"], address["town"], item["account"]["iban"],
                          item["invoice"]["number"], item["invoice"]["amount"],
                          dt.date.fromisoformat(item["invoice"]["due"]), item["status"], item["note"]])
        book.save(path)
        actual = path.stat().st_size
        if actual >= size:
            return rows
        rows = int(rows * size / actual * 1.02) + 1


# ------------------------------------------------------------------------------------------------ measuring
class PeakSampler(threading.Thread):
    """VmHWM of a process (its peak resident memory so far), sampled until it ends."""

    def __init__(self, pid: int, every_s: float = 0.5):
        super().__init__(daemon=True)
        self.pid, self.every_s = pid, every_s
        self.peak_kib = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            try:
                with open(f"/proc/{self.pid}/status") as handle:
                    for line in handle:
                        if line.startswith("VmHWM:"):
                            self.peak_kib = max(self.peak_kib, int(line.split()[1]))
            except OSError:
                return
            self.done.wait(self.every_s)


def scan_command(path: Path, timeout_s: int) -> List[str]:
    return ["scan", str(path), "--format", "jsonl", "--out", "/dev/null", "--file-timeout", str(timeout_s),
            "--no-progress"]


def run_scan(path: Path, code: Path, timeout_s: int, out: Optional[Path] = None, label: str = "") -> dict:
    command = [sys.executable, "-m", "scanner", *scan_command(path, timeout_s)]
    if out is not None:  # the records kept, to count them (the bench itself writes to /dev/null)
        command[command.index("/dev/null")] = str(out)
    env = {**os.environ, "PIISCAN_FINGERPRINT_KEY": KEY, "PYTHONPATH": str(code)}
    print(f"[bench-structured] piiscan {' '.join(scan_command(path, timeout_s))}", file=sys.stderr, flush=True)
    busy0 = busy_cpu_s()
    children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = PeakSampler(process.pid)
    sampler.start()
    _, stderr = process.communicate()
    wall = time.perf_counter() - started
    sampler.done.set()
    sampler.join()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (children.ru_utime - children0.ru_utime) + (children.ru_stime - children0.ru_stime)
    others = max(0.0, busy_cpu_s() - busy0 - cpu)
    size = path.stat().st_size
    result = {"file": path.name, "label": label or path.name, "timeout_s": timeout_s, "bytes": size, "wall_s": wall, "mb_per_s": size / MB / wall, "cpu_s": cpu,
              "peak_rss_mib": max(sampler.peak_kib, children.ru_maxrss) / 1024, "others_cpus": others / wall,
              "returncode": process.returncode, "stderr": stderr.decode(errors="replace")[-2000:]}
    if out is not None and out.exists():
        result.update(count_records(out))
    print(f"[bench-structured] {path.name}: {wall:.0f} s, {result['mb_per_s']:.3f} MB/s, "
          f"peak RSS {result['peak_rss_mib']:.0f} MiB, exit {process.returncode}", file=sys.stderr, flush=True)
    return result


def count_records(out: Path) -> dict:
    counts: Dict[str, int] = {}
    errors = []
    with open(out, encoding="utf-8") as handle:
        for line in handle:
            kind = json.loads(line)["kind"] if '"kind"' in line[:40] else "other"
            counts[kind] = counts.get(kind, 0) + 1
            if kind == "error":
                errors.append(json.loads(line)["error"])
    return {"records": counts, "errors": errors}


# ------------------------------------------------------------------------------------------------ report
def report(results: List[dict], generated: Dict[str, dict], args, started: float, work: Path, version: str) -> str:
    rows = []
    for result in results:
        made = generated[result["file"]]
        status = "ok" if result["returncode"] in (0, 1) and not result.get("errors") else \
            f"exit {result['returncode']} {' '.join(result.get('errors', []))}".strip()
        findings = result.get("records", {}).get("finding")
        rows.append(f"| {result['label']} | {result['bytes'] / MB:,.1f} | {made['records']:,} | "
                    f"{made['records'] * PLANTED_PER_RECORD:,} | {findings if findings is not None else '-'} | "
                    f"{result['wall_s']:,.0f} | **{result['mb_per_s']:.3f}** | "
                    f"{made['records'] / result['wall_s']:,.0f} | {result['cpu_s']:,.0f} | "
                    f"{result['peak_rss_mib']:,.0f} | {result['others_cpus']:.2f} | {status} |")
    commands = "\n".join(f"piiscan {' '.join(scan_command(work / r['file'], r['timeout_s']))}" for r in results)
    lines = [
        "# Benchmarks: large structured exports",
        "",
        f"Generated by `python -m tools.bench_structured` ({time.strftime('%Y-%m-%d')}); the whole bench took "
        f"{(time.perf_counter() - started) / 60:.0f} min.",
        "",
        f"Machine: {machine()}. Scanner: `git describe` {version}, copied (with `models/`) at the start of "
        "the bench. The machine was shared with other work: the last column is the CPU time other processes "
        "used during each run, in CPUs.",
        "",
        "## Files",
        "",
        "Debtor exports of a collection agency, generated at bench time (seed "
        f"{args.seed}, not committed): each record an invented debtor with {PLANTED_PER_RECORD} personal values "
        "(name, national register number, date of birth, e-mail, phone, street address, IBAN; checksum-valid) "
        "and the invoice data around them (file number, amount, dates, status, a note). "
        + "; ".join(f"`{name}`: {made['records']:,} records, {made['bytes'] / MB:,.1f} MB, generated in "
                    f"{made['seconds']:.0f} s" for name, made in generated.items()) + ".",
        "",
        "## Commands",
        "",
        "```",
        commands,
        "```",
        "",
        *(["With `--count` the records went to a file in the work folder instead of `/dev/null`, to be counted "
           "(the findings column).", ""] if args.count else []),
        "## Results",
        "",
        "| file | MB | records | personal values | findings | wall (s) | MB/s | records/s | CPU (s) | "
        "peak RSS (MiB) | others (CPUs) | result |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        *rows,
        "",
    ]
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jsonl-mb", type=float, default=200)
    parser.add_argument("--json-mb", type=float, default=200)
    parser.add_argument("--xlsx-mb", type=float, default=20)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--file-timeout", type=int, default=TIMEOUT_S)
    parser.add_argument("--count", action="store_true",
                        help="also keep the records in the work folder and count them (a large file)")
    parser.add_argument("--default-timeout", action="store_true",
                        help="also scan the JSONL export with the default --file-timeout (600 s), to show what happens")
    parser.add_argument("--work", type=Path, help="work folder (default: a new temporary folder, removed after)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "bench-structured.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-structured-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        code, version = snapshot_code(work), code_version()  # the version of the code that is measured
        generated: Dict[str, dict] = {}
        for name, size_mb, writer in (("debtors.jsonl", args.jsonl_mb, write_jsonl),
                                      ("debtors.json", args.json_mb, write_json),
                                      ("debtors.xlsx", args.xlsx_mb, write_xlsx)):
            if size_mb <= 0:
                continue
            path = work / name
            t0 = time.perf_counter()
            count = writer(path, int(size_mb * MB), args.seed)
            generated[name] = {"records": count, "bytes": path.stat().st_size, "seconds": time.perf_counter() - t0}
            print(f"[bench-structured] {name}: {count:,} records, {path.stat().st_size / MB:.1f} MB", file=sys.stderr,
                  flush=True)
        results = []
        runs = [(name, args.file_timeout, name) for name in generated]
        if args.default_timeout and "debtors.jsonl" in generated:
            runs.append(("debtors.jsonl", 600, "debtors.jsonl, default --file-timeout 600"))
        for name, timeout_s, label in runs:
            out = work / f"{name}.records.jsonl" if args.count else None
            results.append(run_scan(work / name, code, timeout_s, out, label))
            if out is not None:
                out.unlink(missing_ok=True)
            (work / "results.json").write_text(json.dumps(results, indent=2))
        (work / "results.json").write_text(json.dumps(results, indent=2))
        args.out.write_text(report(results, generated, args, started, work, version), encoding="utf-8")
        print(f"[bench-structured] wrote {args.out}", file=sys.stderr)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
