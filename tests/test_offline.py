"""No network at run time: a full scan and a redaction with every socket blocked."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import PIISCAN, SAMPLES, SCAN_SAMPLES


def test_scan_and_redact_open_no_connection(tmp_path, offline):
    env, attempts = offline
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


def test_blocker_really_blocks(offline):
    """The test above cannot pass vacuously: the same blocker stops a real connection attempt."""
    env, attempts = offline
    code = "import socket\ntry:\n    socket.create_connection(('127.0.0.1', 9))\nexcept OSError as e:\n    print('blocked')"
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert "blocked" in run.stdout and attempts.exists()
