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
