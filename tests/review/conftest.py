"""A small store for the review UI's tests, built by the real CLI, and a live `piiscan serve` over it.

``review_store`` (once per test session): five sample documents copied into a temporary share and
scanned by ``piiscan scan --db`` into SQLite; three accounts created by ``piiscan user add``. The
database is kept as a pristine copy: every consumer gets its own copy (:meth:`ReviewStore.copy`), so
decisions made by one test file never show up in another.

``review_server`` (once per test session): ``piiscan serve --db URL --review-output DIR --no-auth`` on a
free loopback port, over its own copy of the store.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

import httpx
import pytest

from tests.conftest import PIISCAN, ROOT, SAMPLES, truth_items
from tests.conftest import leaked as leaked_values

KEY = "test-key"
# The scanned samples (path under sample_docs/): three texts, a scanned PDF (OCR), an unmasked ID copy.
SAMPLE_FILES = ["text/fr_invoice_01.txt", "text/nl_data_request_01.txt", "text/fr_email_id_copy_01.txt",
                "pdf/scan_nl_reminder_01.pdf", "id_cards/eid2010_unmasked_scan_front.jpg"]
ACCOUNTS = {"analyst": ("ann.analyst", "analyst-password-1"),
            "admin": ("adam.admin", "admin-password-22"),
            "auditor": ("aud.auditor", "auditor-password-333")}


@dataclass(frozen=True)
class Account:
    name: str
    password: str
    role: str


@dataclass
class ReviewStore:
    folder: Path
    share: Path
    pristine: Path                       # the SQLite file the CLI wrote; never opened by a test
    accounts: Dict[str, Account] = field(default_factory=dict)   # by role

    def copy(self, name: str) -> Path:
        """A private copy of the store (with any -wal/-shm file beside it)."""
        target_dir = self.folder / name
        target_dir.mkdir()
        for part in self.pristine.parent.glob(self.pristine.name + "*"):
            shutil.copyfile(part, target_dir / part.name.replace(self.pristine.name, "store.db"))
        return target_dir / "store.db"

    def sample(self, name: str) -> Path:
        """The copy in the share of a sample, by its file name."""
        return self.share / name


def cli_env(folder: Path) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PIISCAN_API_KEYS",)}
    env.update({"PIISCAN_FINGERPRINT_KEY": KEY, "PIISCAN_KEY_FILE": str(folder / "unused.key"),
                "PYTHONPATH": str(ROOT), "HOME": str(folder / "home"), "XDG_CONFIG_HOME": str(folder / "config"),
                "TMPDIR": str(folder / "tmp")})
    (folder / "tmp").mkdir(exist_ok=True)
    return env


def run_cli(args: List[str], folder: Path, stdin: Optional[str] = None, timeout: float = 300) -> None:
    done = subprocess.run(PIISCAN + args, input=stdin, capture_output=True, text=True, env=cli_env(folder),
                          cwd=str(ROOT), timeout=timeout)
    if done.returncode != 0:
        pytest.fail(f"piiscan {' '.join(args[:2])} failed ({done.returncode}):\n{done.stderr[-3000:]}",
                    pytrace=False)


@pytest.fixture(scope="session")
def review_store(tmp_path_factory) -> ReviewStore:
    folder = tmp_path_factory.mktemp("review")
    share = folder / "share"
    share.mkdir()
    for sample in SAMPLE_FILES:
        shutil.copyfile(SAMPLES / sample, share / Path(sample).name)
    db = folder / "pristine" / "store.db"
    db.parent.mkdir()
    run_cli(["scan", str(share), "--db", str(db), "--format", "jsonl", "--out", str(folder / "scan.jsonl"),
             "--no-progress"], folder)
    store = ReviewStore(folder, share, db)
    for role, (name, password) in ACCOUNTS.items():
        run_cli(["user", "add", name, "--role", role, "--db", str(db), "--password-stdin"], folder,
                stdin=password + "\n")
        store.accounts[role] = Account(name, password, role)
    return store


# ---------------------------------------------------------------------------------------------- ground truth
def raw_values() -> List[str]:
    """The ground-truth values of the scanned samples (no rendered page may show one)."""
    names = set(SAMPLE_FILES)
    values = {item["value"] for item in truth_items(names)}
    for line in (SAMPLES / "id_cards" / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item["file"] in names:
            card = item["values"]
            values.update([card["national_number"], card["card_number"], *card["mrz"],
                           f"{card['given_names']} {card['surname']}", card["surname"].upper()])
    assert len(values) > 30
    return sorted(values)


def leaked(text: str, values: Optional[List[str]] = None) -> List[str]:
    """Ground-truth values found in ``text`` (tests/conftest.py ``leaked``)."""
    return leaked_values(text, values if values is not None else raw_values())


# ---------------------------------------------------------------------------------------------- live server
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    url: str            # http://127.0.0.1:PORT (the UI is under /review)
    db: Path
    output: Path
    store: ReviewStore
    process: subprocess.Popen
    log_path: Path

    @property
    def review(self) -> str:
        return self.url + "/review"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="session")
def review_server(review_store, tmp_path_factory):
    folder = tmp_path_factory.mktemp("review-server")
    db = review_store.copy("live")
    output = folder / "redacted"
    log_path = folder / "server.log"
    process = None
    with open(log_path, "wb") as log:
        ready = False
        for _attempt in range(3):  # the free port may be taken between the probe and the start
            port = free_port()
            process = subprocess.Popen(
                PIISCAN + ["serve", "--host", "127.0.0.1", "--port", str(port), "--db", str(db),
                           "--review-output", str(output), "--no-auth"],
                stdout=log, stderr=subprocess.STDOUT, env=cli_env(folder), cwd=str(ROOT))
            url = f"http://127.0.0.1:{port}"
            end = time.monotonic() + 120
            while not ready and time.monotonic() < end and process.poll() is None:
                try:
                    ready = httpx.get(url + "/healthz", timeout=2).status_code == 200
                except httpx.HTTPError:
                    pass
                if not ready:
                    time.sleep(0.2)
            if ready or process.poll() is None:
                break
        server = LiveServer(url, db, output, review_store, process, log_path)
        try:
            if not ready:
                pytest.fail(f"piiscan serve did not get ready (exit code {process.poll()}):\n"
                            f"{server.log()[-3000:]}", pytrace=False)
            yield server
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
