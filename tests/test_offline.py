"""No network at run time: a full scan and a redaction with every socket blocked."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from tests.conftest import PIISCAN, ROOT, SAMPLES, SCAN_SAMPLES

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


def test_scan_and_redact_open_no_connection(tmp_path, env):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(BLOCKER)
    attempts = tmp_path / "attempts.log"
    env = {**env, "PYTHONPATH": f"{tmp_path / 'site'}:{ROOT}", "SOCKET_ATTEMPTS": str(attempts),
           "HF_HUB_OFFLINE": "0"}
    scan = subprocess.run(PIISCAN + ["scan", *SCAN_SAMPLES, "--format", "jsonl"], env=env,
                          capture_output=True, text=True, timeout=600)
    assert scan.returncode == 0, scan.stderr
    records = [json.loads(line) for line in scan.stdout.splitlines()]
    summary = records[-1]
    assert summary["kind"] == "summary" and summary["findings"] > 100
    assert any(r.get("entity_type") == "EMAIL_ADDRESS" for r in records)  # the tldextract path ran
    sample = sorted((SAMPLES / "text").glob("*.txt"))[0]
    redact = subprocess.run(PIISCAN + ["redact", str(sample), "-o", str(tmp_path / "out.txt")], env=env,
                            capture_output=True, text=True, timeout=300)
    assert redact.returncode == 0, redact.stderr
    assert not attempts.exists(), attempts.read_text()


def test_blocker_really_blocks(tmp_path, env):
    """The test above cannot pass vacuously: the same blocker stops a real connection attempt."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(BLOCKER)
    attempts = tmp_path / "attempts.log"
    env = {**env, "PYTHONPATH": str(tmp_path / "site"), "SOCKET_ATTEMPTS": str(attempts)}
    code = "import socket\ntry:\n    socket.create_connection(('127.0.0.1', 9))\nexcept OSError as e:\n    print('blocked')"
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert "blocked" in run.stdout and attempts.exists()
