"""Shared fixtures: the analyzer is loaded once per test session (it takes seconds)."""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
VECTORS = SHARED / "vectors"
REALDATA = SHARED / "realdata"
SAMPLES = ROOT / "sample_docs"
PIISCAN = [sys.executable, "-m", "scanner"]
# The documents `piiscan scan` is tested on: every sample folder but the ID-card copies,
# which have tests of their own (tests/idcheck/) and would add minutes of OCR.
SCAN_SAMPLES = [str(SAMPLES / name) for name in ("text", "scans", "photos", "pdf", "email", "office", "faces")]


@pytest.fixture(scope="session")
def analyzer():
    from scanner.analyze.engine import Analyzer

    return Analyzer.load()


@pytest.fixture(scope="session")
def scanner(analyzer):
    from scanner.pipeline import Scanner

    return Scanner(analyzer, key=b"test-key")


# Loaded in a subprocess through sitecustomize.py: every connection attempt is logged and refused.
BLOCKER = textwrap.dedent('''
    import socket, os
    LOG = os.environ["SOCKET_ATTEMPTS"]
    def _refuse(*args, **kwargs):
        with open(LOG, "a") as handle:
            handle.write(repr(args[:2]) + "\\n")
        raise OSError("network access is blocked in this test")
    socket.socket.connect = _refuse
    socket.socket.connect_ex = _refuse
    socket.create_connection = _refuse
    socket.getaddrinfo = _refuse
''')


@pytest.fixture()
def offline(tmp_path, env):
    """(environment, attempts log) for a subprocess in which every socket is blocked."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(BLOCKER)
    attempts = tmp_path / "attempts.log"
    return {**env, "PYTHONPATH": f"{site}:{ROOT}", "SOCKET_ATTEMPTS": str(attempts), "HF_HUB_OFFLINE": "0"}, attempts


@pytest.fixture()
def env(tmp_path):
    """Environment for CLI subprocesses: a throw-away fingerprint key file."""
    return {**os.environ, "PIISCAN_KEY_FILE": str(tmp_path / "key"), "PYTHONPATH": str(ROOT)}


LETTERS = REALDATA / "letters_emails"
BAD = REALDATA / "bad_inputs"


def real(path: Path) -> bytes:
    """A file of ../shared/realdata, or a skip when the shared folder is not beside the repository."""
    if not path.exists():
        pytest.skip(f"{path} is not here (the shared folder is laid beside the repository)")
    return path.read_bytes()


def vectors(name: str) -> list[str]:
    path = VECTORS / name
    if not path.exists():
        pytest.skip(f"{path} is not here (the shared folder is laid beside the repository)")
    return [line.strip() for line in path.read_text().splitlines() if line.strip()]


def found(analyzer, text: str, entity: str) -> list[str]:
    return [text[d.start:d.end] for d in analyzer.analyze(text) if d.entity_type == entity]


# ---------------------------------------------------------------------------------------------- findings store
# The store is tested on SQLite and on PostgreSQL: a throw-away PostgreSQL cluster is started once per
# session (`make install` installs the server; a missing server fails the tests, it is not skipped).
PG_USER = "piiscan"


def _postgres_bindir() -> Path:
    """The folder of initdb and pg_ctl: from PATH, else the newest /usr/lib/postgresql/<version>/bin."""
    import glob
    import shutil

    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return Path(initdb).resolve().parent
    found_dirs = [Path(d) for d in glob.glob("/usr/lib/postgresql/*/bin")
                  if (Path(d) / "initdb").exists() and (Path(d) / "pg_ctl").exists()]

    def version(path: Path):
        return tuple(int(part) if part.isdigit() else 0 for part in path.parent.name.split("."))

    if not found_dirs:
        pytest.fail("PostgreSQL server not found (no initdb/pg_ctl on PATH nor in /usr/lib/postgresql/*/bin): "
                    "`make install` installs the Debian package `postgresql`; the store tests need it",
                    pytrace=False)
    return max(found_dirs, key=version)


def _as_postgres_user() -> list:
    """PostgreSQL refuses to run as root: as root, run its programs as the `postgres` system user."""
    import shutil

    if os.geteuid() != 0:
        return []
    import pwd

    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.fail("running as root, but there is no `postgres` system user to run the PostgreSQL server as "
                    "(the Debian package `postgresql` creates it)", pytrace=False)
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--"]
    return ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"]


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server():
    """A throw-away PostgreSQL cluster on 127.0.0.1 (trust auth): yields ``postgresql://user@127.0.0.1:PORT/db``."""
    import shutil
    import subprocess
    import tempfile

    import psycopg

    bindir = _postgres_bindir()
    prefix = _as_postgres_user()
    base = Path(tempfile.mkdtemp(prefix="piiscan-pg-"))
    data, log = base / "data", base / "server.log"
    started = False

    def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(prefix + [str(bindir / args[0]), *args[1:]], cwd=base, check=False,
                              stdin=subprocess.DEVNULL, **kwargs)

    try:
        if prefix:
            shutil.chown(base, "postgres", "postgres")
        done = run("initdb", "-D", str(data), "-U", PG_USER, "--auth=trust", "-E", "UTF8", "--no-locale",
                   "--no-sync", capture_output=True, text=True)
        if done.returncode:
            pytest.fail(f"initdb failed ({done.returncode}): {done.stderr or done.stdout}", pytrace=False)
        for _attempt in range(3):  # the free port may be taken between the probe and the start
            port = _free_port()
            options = (f"-h 127.0.0.1 -p {port} -k '{base}' -c fsync=off -c synchronous_commit=off "
                       "-c full_page_writes=off")
            # Output to files, never to pipes: the server would keep a pipe open and subprocess.run would wait.
            with open(base / "pg_ctl.out", "w") as out:
                done = run("pg_ctl", "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start",
                           stdout=out, stderr=subprocess.STDOUT)
            started = True  # even a failed start may leave a postmaster behind: always stop
            if done.returncode == 0:
                break
            run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop",
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            started = False
        else:
            text = log.read_text(errors="replace") if log.exists() else (base / "pg_ctl.out").read_text()
            pytest.fail(f"the PostgreSQL server did not start:\n{text[-3000:]}", pytrace=False)
        with psycopg.connect(host="127.0.0.1", port=port, user=PG_USER, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute("CREATE DATABASE piiscan")
        yield f"postgresql://{PG_USER}@127.0.0.1:{port}/piiscan"
    finally:
        if started:
            run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop",
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh, empty database per test: a SQLite file, or a new database on the session's PostgreSQL server."""
    if request.param == "sqlite":
        yield str(tmp_path / "store.db")
        return
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(request.getfixturevalue("postgres_server"))
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = dict(host=server.host, port=server.port, user=server.username, dbname=server.database, autocommit=True)
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield server.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(**admin) as conn:  # WITH (FORCE): a store the test left open is disconnected
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ---------------------------------------------------------------------------------------------- ground truth
TRUTH_FILES = ("ground_truth.jsonl", "documents_truth.jsonl")


def truth_items(samples) -> list[dict]:
    """Ground-truth entries (personal data, not decoys) of these sample files (paths under sample_docs/)."""
    import json

    wanted = set(samples)
    items = []
    for name in TRUTH_FILES:
        for line in (SAMPLES / name).read_text(encoding="utf-8").splitlines():
            item = json.loads(line) if line.strip() else {}
            if item.get("file") in wanted and "entity_type" in item:
                items.append(item)
    return items


def leaked(text: str, values) -> list[str]:
    """The values found in ``text`` (HTML unescaped): as written, with collapsed spacing, or, for
    identifiers of 8 digits or more, with any other separators."""
    import html
    import re

    plain = html.unescape(text)
    squeezed = " ".join(plain.split())
    packed = re.sub(r"[^0-9A-Za-z]", "", plain)
    found = []
    for value in values:
        forms = {value, " ".join(value.split())}
        compact = re.sub(r"[^0-9A-Za-z]", "", value)
        if any(len(form) >= 5 and (form in plain or form in squeezed) for form in forms) or \
                (sum(ch.isdigit() for ch in compact) >= 8 and compact in packed):
            found.append(value)
    return found


def rendered_png(lines: list) -> bytes:
    """A clean scan-like PNG of these lines of text (DejaVu Sans, 36 px): OCR reads it reliably."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 36)
    image = Image.new("L", (1400, 120 + 70 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((60, 60 + 70 * number), line, fill=0, font=font)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def repack(data: bytes, edit=lambda name, content: content, add: dict = None) -> bytes:
    """A zip package (docx, odt, xlsx) written again entry by entry: ``edit(name, content)`` gives each
    entry's new bytes, ``add`` extra entries."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(info, edit(info.filename, source.read(info)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return buffer.getvalue()
