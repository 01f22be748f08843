"""A real piiscan service in a subprocess, on a free loopback port, with a private TMPDIR and key."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import List, Optional

import httpx

from tests.conftest import ROOT

API_KEY = "test-api-key-5d1c0f6e9b2a4c7d"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, folder: Path, args: List[str], keys: str = API_KEY):
        self.folder = folder
        self.tmpdir = folder / "server-tmp"
        self.tmpdir.mkdir(parents=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / "server.log"
        env = {k: v for k, v in os.environ.items() if k not in ("PIISCAN_KEY_FILE", "PIISCAN_API_KEYS")}
        env.update({"TMPDIR": str(self.tmpdir), "PIISCAN_API_KEYS": keys,
                    "XDG_CONFIG_HOME": str(folder / "config"), "PIISCAN_FINGERPRINT_KEY": "test-fingerprint-key",
                    "PYTHONPATH": str(ROOT), "HOME": str(folder / "home")})
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scanner.service", "--host", "127.0.0.1", "--port", str(self.port), *args],
            stdout=self._log, stderr=subprocess.STDOUT, env=env, cwd=str(ROOT))

    def wait_ready(self, timeout: float = 120) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.process.poll() is not None:
                raise RuntimeError(f"the service exited with {self.process.returncode}:\n{self.log()}")
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the service did not get ready in {timeout} s:\n{self.log()}")

    def client(self, **kwargs) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60, **kwargs)

    def worker_pids(self) -> List[int]:
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_bytes().rsplit(b")", 1)[-1].split()
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if int(stat[1]) == self.process.pid and b"spawn_main" in cmdline:
                pids.append(int(entry.name))
        return pids

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> Optional[int]:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        return self.process.returncode
