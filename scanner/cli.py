"""``piiscan``: command-line entry point (interface.md). Parses options, runs the pipeline, prints records.

Raw values are printed only with ``--reveal``; logs never hold them.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import sys
from pathlib import Path
from typing import Iterator, List, Optional, TextIO

from scanner import __version__
from scanner.errors import RunFailed, ScanError, UsageError
from scanner.process import QUIET_LIBRARIES
from scanner.records import FACE

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_RUN_FAILED = 0, 1, 2, 3
CSV_COLUMNS = ["kind", "file", "member", "page", "entity_type", "score", "start", "end", "source",
               "recognizer", "language", "location", "text_masked", "fingerprint", "error", "message"]
log = logging.getLogger("piiscan")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="piiscan", description="Find and remove personal data in documents (Belgian identifiers first).")
    parser.add_argument("--version", action="version", version=f"piiscan {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="more log messages on stderr (never values)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    scan = commands.add_parser("scan", help="scan files and folders for personal data",
                               description="Scan files and folders (recursively); '-' reads standard input.")
    scan.add_argument("paths", nargs="+", metavar="PATH")
    scan.add_argument("--format", choices=["jsonl", "csv", "table"],
                      help="output format (default: table on a terminal, jsonl otherwise)")
    scan.add_argument("--out", metavar="FILE", help="write records to FILE instead of standard output")
    _common(scan)
    scan.add_argument("--fail-on-findings", action="store_true", help="exit with code 1 when anything is found")
    batch = scan.add_argument_group(
        "batch scans", "With --db, results are stored and the next run only scans what changed; a run that was "
                       "killed continues where it stopped. See docs/batch.md.")
    batch.add_argument("--db", metavar="URL", help="store results: a file path or sqlite:///PATH (SQLite), "
                                                   "or postgresql://USER@HOST/DB")
    batch.add_argument("--workers", type=int, default=1, metavar="N", help="parallel processes (default 1)")
    batch.add_argument("--cluster", metavar="ADDRESS",
                       help="scan on a Dask cluster (tcp://HOST:8786); the share must be mounted at the same path "
                            "on every worker")
    batch.add_argument("--include", action="append", default=[], metavar="GLOB",
                       help="only files matching GLOB (path under the root, or name); repeatable")
    batch.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                       help="skip files matching GLOB; repeatable")
    batch.add_argument("--max-file-size", metavar="SIZE", help="skip larger files with an error record (e.g. 200M)")
    batch.add_argument("--max-memory", metavar="SIZE", default="6G",
                       help="address-space limit per worker process with --workers > 1 (default 6G)")
    batch.add_argument("--file-timeout", type=int, default=600, metavar="SECONDS",
                       help="give up on a file after this long, with an error record (default 600)")
    batch.add_argument("--no-progress", action="store_true", help="no progress bar or progress lines on stderr")

    redact = commands.add_parser("redact", help="write a redacted copy of a document",
                                 description="Write a redacted copy in the input's format. The input is never "
                                             "modified; the output is verified before it is written.")
    redact.add_argument("input", metavar="INPUT")
    redact.add_argument("-o", "--output", required=True, metavar="OUTPUT")
    redact.add_argument("--operator", choices=["replace", "mask", "redact", "hash"], default="replace",
                        help="how values are removed from text formats (default: replace with <TYPE>)")
    _common(redact, reveal=False)

    check = commands.add_parser(
        "check-id", help="check that identity-card copies have the photo and national number covered",
        description="Check identity-document copies (privacy policy, section 8): every photo, the printed "
                    "national register number and the number inside the MRZ must be covered. One JSON object "
                    "per file. Exit 0: all compliant; 1: at least one is not; 2: a file could not be checked "
                    "(unreadable, or no identity document recognised).")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--format", choices=["json", "table"], default="json", help="output format (default json)")
    check.add_argument("--fix", action="store_true",
                       help="write a masked copy (photos, printed number and MRZ number covered) to -o OUT")
    check.add_argument("-o", "--output", metavar="OUT", help="where --fix writes the masked copy")

    serve = commands.add_parser(
        "serve", help="run the HTTP service (ID-copy check, scan, redact)",
        description="HTTP service: POST /v1/id-check, /v1/scan, /v1/redact (API key required), GET /healthz; "
                    "OpenAPI schema at /openapi.json. See docs/service.md.")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    from scanner.service import add_arguments

    add_arguments(serve)
    _store_commands(commands)
    _user_commands(commands)
    return parser


def _common(command: argparse.ArgumentParser, reveal: bool = True) -> None:
    if reveal:
        command.add_argument("--reveal", action="store_true", help="include the raw matched text (off by default)")
    command.add_argument("--entities", metavar="T1,T2", help="only these entity types (comma-separated)")
    command.add_argument("--language", choices=["auto", "fr", "nl", "en", "de"], default="auto")
    command.add_argument("--min-score", type=float, metavar="X", help="drop findings scored below X (0-1)")


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="piiscan: %(levelname)s: %(message)s")
    # Presidio and spaCy log at INFO about their own loading; keep the terminal readable.
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)


def _options(args: argparse.Namespace, entities_known: List[str]):
    from scanner.pipeline import Options

    entities = None
    if args.entities:
        entities = [e.strip().upper() for e in args.entities.split(",") if e.strip()]
        unknown = [e for e in entities if e not in entities_known]
        if unknown:
            raise UsageError(f"unknown entity type(s): {', '.join(unknown)}; known: {', '.join(entities_known)}")
    if args.min_score is not None and not 0 <= args.min_score <= 1:
        raise UsageError("--min-score takes a number between 0 and 1")
    return Options(reveal=getattr(args, "reveal", False), entities=entities, min_score=args.min_score,
                   language=args.language)


def parse_size(text: Optional[str]) -> Optional[int]:
    """Bytes for '200M', '6G', '512k' or a plain number."""
    if not text:
        return None
    units = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    number, unit = text.strip().upper().rstrip("B") or "0", ""
    if number[-1:] in units:
        number, unit = number[:-1], number[-1]
    try:
        value = float(number) * units[unit]
    except ValueError:
        raise UsageError(f"cannot read the size {text!r}; write it like 200M or 6G") from None
    if value <= 0:
        raise UsageError(f"the size {text!r} must be more than zero")
    return int(value)


class _LazyScanner:
    """The scanner, loaded at first use: a batch run on a pool or a cluster, or a rescan with nothing
    to scan, never loads the models in this process."""

    def __init__(self, options, key: bytes, analyzer=None):
        self.options, self.key, self.analyzer = options, key, analyzer
        self._scanner = None

    def get(self):
        if self._scanner is None:
            from scanner.analyze.engine import Analyzer
            from scanner.pipeline import Scanner

            self._scanner = Scanner(self.analyzer or Analyzer.load(), self.key, self.options)
        return self._scanner


def _executor(args, scanners: _LazyScanner, id_check: bool):
    from scanner.batch.pool import InProcess, ProcessPool
    from scanner.batch.work import Worker

    if args.cluster:
        from scanner.batch.cluster import DaskCluster

        return DaskCluster(args.cluster, scanners.options, scanners.key, id_check)
    if args.workers > 1:
        return ProcessPool(args.workers, scanners.options, scanners.key, id_check, parse_size(args.max_memory))
    return InProcess(lambda: Worker(scanners.get(), id_check))


def _records(args, scanners: _LazyScanner, tally) -> Iterator:
    from scanner.batch import BatchScan
    from scanner.batch.progress import progress_for
    from scanner.batch.rules import rules_version
    from scanner.batch.walk import Walker
    from scanner.records import DocumentRecord, ErrorRecord, Finding

    kinds = {"finding": Finding, "document": DocumentRecord, "error": ErrorRecord}
    if "-" in args.paths:
        tally.files += 1
        yield from scanners.get().scan_bytes(sys.stdin.buffer.read(), "-")
    roots = [p for p in args.paths if p != "-"]
    if not roots:
        return
    store, store_failures = None, ()
    if args.db:
        import sqlalchemy as sa

        from scanner.store import Store, normalise_url, safe_url

        store = Store.open(args.db)
        # The database stopped or its disk is full mid-run: what was committed is kept, the rest is rescanned.
        store_failures = (sa.exc.OperationalError, sa.exc.InterfaceError)
    walker = Walker(include=args.include, exclude=args.exclude, max_size=parse_size(args.max_file_size))
    progress = None if args.no_progress else progress_for()
    executor = _executor(args, scanners, id_check=store is not None)
    batch = BatchScan(roots, executor, rules_version(scanners.options, scanners.key), store, walker,
                      workers=args.workers, progress=progress)
    completed = False
    try:
        for data in batch.records():
            yield kinds[data["kind"]](**data)
        completed = True
    except store_failures as exc:
        reason = str(exc.orig or exc).strip().splitlines() or [type(exc).__name__]
        raise RunFailed(f"the findings store {safe_url(normalise_url(args.db))} failed ({reason[0]}); the files "
                        "stored so far are kept: run the same command again to continue") from exc
    finally:
        executor.close(abort=not completed)
        if store:
            store.close()
        counts = batch.counts
        tally.files += counts.files_seen
        tally.unchanged, tally.moved, tally.deleted = counts.files_unchanged, counts.files_moved, counts.files_deleted


class _Writer:
    def __init__(self, fmt: str, stream: TextIO, reveal: bool):
        self.fmt, self.stream, self.reveal = fmt, stream, reveal
        self.rows: list = []
        self.errors: list = []
        if fmt == "csv":
            self.csv = csv.DictWriter(stream, fieldnames=CSV_COLUMNS + (["text"] if reveal else []),
                                      extrasaction="ignore")
            self.csv.writeheader()

    def write(self, record) -> None:
        data = record.model_dump(exclude=None if self.reveal else {"text"})
        if self.fmt == "jsonl":
            self.stream.write(json.dumps(data, ensure_ascii=False) + "\n")
        elif self.fmt == "csv":
            if data["kind"] in ("finding", "error"):
                self.csv.writerow(data)
        elif data["kind"] == "finding":
            self.rows.append(data)
        elif data["kind"] == "error":
            self.errors.append(data)

    def close(self, summary) -> None:
        if self.fmt == "jsonl":
            self.stream.write(summary.model_dump_json() + "\n")
        elif self.fmt == "csv":
            sys.stderr.write(_summary_line(summary) + "\n")
        else:
            self._table(summary)

    def _table(self, summary) -> None:
        from rich.console import Console
        from rich.markup import escape
        from rich.table import Table

        console = Console(file=self.stream, soft_wrap=False)
        table = Table(title="Findings", show_lines=False)
        for column in ("file", "page", "type", "score", "value" if self.reveal else "masked", "recognizer"):
            table.add_column(column)
        for row in self.rows:
            table.add_row(row["file"] + (f" › {row['member']}" if row["member"] else ""), str(row["page"] or ""),
                          row["entity_type"], f"{row['score']:.2f}",
                          escape(row.get("text") or "") if self.reveal else escape(row["text_masked"]), row["recognizer"])
        if self.rows:
            console.print(table)
        for error in self.errors:
            console.print(f"[red]error[/red] {error['file']}: {error['error']}: {error['message']}")
        console.print(_summary_line(summary))


def _summary_line(summary) -> str:
    types = ", ".join(f"{k} {v}" for k, v in summary.by_type.items()) or "none"
    incremental = ", ".join(f"{count} {what}" for what, count in (("unchanged", summary.unchanged),
                            ("moved", summary.moved), ("deleted", summary.deleted)) if count)
    return (f"{summary.files} files, {summary.documents} documents, {summary.findings} findings "
            f"({types}), {summary.errors} errors{', ' + incremental if incremental else ''}, "
            f"{summary.duration_s:.1f} s")


def cmd_scan(args: argparse.Namespace) -> int:
    from scanner.config import fingerprint_key
    from scanner.pipeline import Tally

    if args.workers < 1:
        raise UsageError("--workers takes a whole number of at least 1")
    if args.file_timeout < 1:
        raise UsageError("--file-timeout takes a number of seconds of at least 1")
    parse_size(args.max_file_size), parse_size(args.max_memory)  # usage errors before the models load
    # The models are loaded here only to check --entities; otherwise where a file is first scanned.
    analyzer = None
    if args.entities:
        from scanner.analyze.engine import Analyzer

        analyzer = Analyzer.load()
    options = _options(args, sorted(analyzer.entities + [FACE]) if analyzer else [])
    options.file_timeout_s = args.file_timeout
    scanners = _LazyScanner(options, fingerprint_key(), analyzer)
    fmt = args.format or ("table" if (not args.out and sys.stdout.isatty()) else "jsonl")
    try:
        stream = open(args.out, "w", encoding="utf-8", newline="") if args.out else sys.stdout
    except OSError as exc:
        raise RunFailed(f"cannot write {args.out}: {exc.strerror}") from exc
    tally = Tally()
    writer = _Writer(fmt, stream, options.reveal)
    try:
        for record in _records(args, scanners, tally):
            tally.add(record)
            writer.write(record)
        writer.close(tally.summary())
    finally:
        if args.out:
            stream.close()
    return EXIT_FINDINGS if args.fail_on_findings and tally.findings else EXIT_OK


def cmd_redact(args: argparse.Namespace) -> int:
    from scanner.analyze.engine import Analyzer
    from scanner.config import fingerprint_key
    from scanner.pipeline import Scanner
    from scanner.redact.document import redact_file

    source, target = Path(args.input), Path(args.output)
    if not source.is_file():
        raise UsageError(f"{source}: no such file")
    analyzer = Analyzer.load()
    scanner = Scanner(analyzer, fingerprint_key(), _options(args, sorted(analyzer.entities + [FACE])))
    try:
        result = redact_file(scanner, source, target, args.operator)
    except ScanError as exc:
        print(json.dumps({"kind": "error", "file": str(source), "error": exc.code, "message": exc.message}))
        return EXIT_RUN_FAILED
    except OSError as exc:  # e.g. no space left for a temporary file while the document is analysed
        raise RunFailed(f"cannot redact {source}: {exc.strerror or exc}; no file was written") from exc
    print(json.dumps(result, ensure_ascii=False))
    return EXIT_OK


def cmd_check_id(args: argparse.Namespace) -> int:
    from scanner.idcheck import IdChecker
    from scanner.redact.document import write_atomically

    if args.fix and (len(args.files) != 1 or not args.output):
        raise UsageError("--fix takes exactly one FILE and -o OUT")
    if args.output and not args.fix:
        raise UsageError("-o is only used with --fix")
    checker = IdChecker()
    worst = EXIT_OK
    for name in args.files:
        path = Path(name)
        try:
            data = path.read_bytes()
        except OSError as exc:
            result = {"file": name, "compliant": False, "document_type": None, "side": None, "checks": [],
                      "reasons": [f"cannot read the file: {exc.strerror}"], "error": "read_failed",
                      "message": f"cannot read the file: {exc.strerror}"}
        else:
            verdict = checker.check_bytes(data, name)
            result = verdict.to_dict()
            if args.fix and not verdict.error:
                result["fixed"] = _fix(checker, data, name, Path(args.output), write_atomically)
        code = EXIT_USAGE if result.get("error") else EXIT_OK if result["compliant"] else EXIT_FINDINGS
        worst = max(worst, code)
        _print_verdict(result, args.format)
    return worst


def _fix(checker, data: bytes, name: str, target: Path, write) -> dict:
    if target.exists() and target.resolve() == Path(name).resolve():
        raise UsageError("the masked copy must not overwrite the original")
    try:
        masked, after = checker.fix_bytes(data, name)
    except ScanError as exc:
        return {"output": None, "compliant": False, "error": exc.code, "message": exc.message}
    try:
        write(target, masked)
    except OSError as exc:  # a full disk, a read-only folder: plain words, and nothing half-written is left
        raise RunFailed(f"cannot write {target}: {exc.strerror or exc}; no masked copy was written") from exc
    return {"output": str(target), "compliant": after.compliant}


def _print_verdict(result: dict, fmt: str) -> None:
    if fmt == "json":
        print(json.dumps(result, ensure_ascii=False), flush=True)
        return
    state = "compliant" if result["compliant"] else "NOT compliant"
    print(f"{result['file']}: {state} ({result['document_type'] or 'no identity document'}, "
          f"{result['side'] or 'side unknown'})")
    for check in result["checks"]:
        print(f"  {'ok ' if check['passed'] else 'NO '} {check['name']} ({check['evidence']})")
    for reason in result["reasons"]:
        print(f"  - {reason}")
    if "fixed" in result:
        fixed = result["fixed"]
        print(f"  masked copy: {fixed['output'] or fixed.get('message')}")


def cmd_serve(args: argparse.Namespace) -> int:
    from scanner.service import serve, settings_from_args

    serve(args.host, args.port, settings_from_args(args))
    return EXIT_OK


def _store_commands(commands) -> None:
    """report, dsar, retention: read-only questions to an existing findings store (docs/report.md)."""
    report = commands.add_parser(
        "report", help="summarise a findings store (JSON, CSV or one self-contained HTML page)",
        description="Totals, findings per type, where the risk sits (per folder), the documents with the most "
                    "high-risk identifiers, unmasked ID copies, errors and runs of a findings store. Never a "
                    "value: counts, types and paths only. See docs/report.md.")
    report.add_argument("--db", required=True, metavar="URL", help="the findings store (sqlite:///path, a path, "
                        "or postgresql://...); never created here")
    report.add_argument("--format", choices=["json", "csv", "html"], default="json",
                        help="json: one object (default); csv: one row per document, a column per type; "
                             "html: one self-contained page")
    report.add_argument("--out", metavar="FILE", help="write to FILE (owner-only) instead of standard output")
    report.add_argument("--top", type=int, default=20, metavar="N",
                        help="documents and folders listed in the top lists (default 20)")

    dsar = commands.add_parser(
        "dsar", help="find the documents holding a person's data (data-subject access or erasure request)",
        description="Look a person up by national number, IBAN, e-mail, phone or name. Values are compared as "
                    "keyed fingerprints (same key as the scan: PIISCAN_FINGERPRINT_KEY or the key file), "
                    "whatever their spacing, case or accents; names also in any word order. Each option may be "
                    "repeated; documents matching any value are listed. The values are never printed or logged. "
                    "See docs/report.md.")
    dsar.add_argument("--db", required=True, metavar="URL", help="the findings store (never created here)")
    dsar.add_argument("--national-number", action="append", metavar="V", help="national register or BIS number")
    dsar.add_argument("--iban", action="append", metavar="V", help="IBAN (any spacing)")
    dsar.add_argument("--email", action="append", metavar="V", help="e-mail address")
    dsar.add_argument("--phone", action="append", metavar="V", help="phone number (Belgian if no country code)")
    dsar.add_argument("--name", action="append", metavar="V", help="a person's name (any order, case, accents)")
    dsar.add_argument("--selectors", metavar="FILE", help="read the values from a JSON object in FILE ('-': "
                      "standard input), e.g. {\"national_number\": \"...\", \"name\": [\"...\"]}: keeps "
                      "them out of the shell history and the process list")
    dsar.add_argument("--format", choices=["json", "csv"], default="json", help="output format (default json)")
    dsar.add_argument("--out", metavar="FILE", help="write to FILE (owner-only) instead of standard output")

    retention = commands.add_parser(
        "retention", help="list documents holding personal data past a retention period",
        description="Documents with findings whose file was last modified longer ago than --older-than "
                    "(privacy policy, section 7), oldest first, with their entity types and counts. "
                    "See docs/report.md.")
    retention.add_argument("--db", required=True, metavar="URL", help="the findings store (never created here)")
    retention.add_argument("--older-than", required=True, metavar="AGE",
                           help="e.g. 7y, 18m, 90d, 2w (years, months, days, weeks; 1y6m works too)")
    retention.add_argument("--folder", metavar="PREFIX", help="only files in this folder or below")
    retention.add_argument("--class", dest="doc_class", metavar="EXT[,EXT]",
                           help="only these document classes: extensions (pdf,docx) or groups (office, mail, "
                                "image, text, spreadsheet, word, archive)")
    retention.add_argument("--format", choices=["json", "csv"], default="json", help="output format (default json)")
    retention.add_argument("--out", metavar="FILE", help="write to FILE (owner-only) instead of standard output")


def _user_commands(commands) -> None:
    user = commands.add_parser("user", help="manage the review UI's accounts",
                               description="Accounts of the analysts' review UI (piiscan serve --db URL).")
    actions = user.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="create an account",
                             description="Create a review UI account. The password is asked twice on a terminal, "
                                         "or read from one line of standard input with --password-stdin; it is "
                                         "stored as an argon2id hash.")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=["analyst", "admin", "auditor"],
                     help="analyst: triage, reveal, redact, look-ups; auditor: the audit log; admin: everything")
    add.add_argument("--db", required=True, metavar="URL", help="the findings store")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")


def cmd_user(args: argparse.Namespace) -> int:
    import getpass

    from scanner.review.accounts import add_user
    from scanner.store import Store

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            raise UsageError("the two passwords differ")
    else:
        raise UsageError("give the password on a terminal, or with --password-stdin")
    store = Store.open(args.db)
    try:
        add_user(store, args.name, args.role, password)
    finally:
        store.close()
    print(f"user {args.name} added ({args.role})", file=sys.stderr)
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from scanner.report.commands import report

    return report(args)


def cmd_dsar(args: argparse.Namespace) -> int:
    from scanner.report.commands import dsar

    return dsar(args)


def cmd_retention(args: argparse.Namespace) -> int:
    from scanner.report.commands import retention

    return retention(args)


def main(argv: Optional[List[str]] = None) -> int:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    parser = _parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose)
    try:
        return {"scan": cmd_scan, "redact": cmd_redact, "check-id": cmd_check_id,
                "serve": cmd_serve, "report": cmd_report, "dsar": cmd_dsar,
                "retention": cmd_retention, "user": cmd_user}[args.command](args)
    except UsageError as exc:
        parser.error(str(exc))  # exits with code 2
    except RunFailed as exc:
        print(f"piiscan: {exc}", file=sys.stderr)
        return EXIT_RUN_FAILED
    except KeyboardInterrupt:
        print("piiscan: interrupted", file=sys.stderr)
        return EXIT_RUN_FAILED
    except BrokenPipeError:
        return EXIT_OK
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
