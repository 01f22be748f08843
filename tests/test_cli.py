"""The piiscan command as a user runs it: records, exit codes, privacy of the default output."""

from __future__ import annotations

import hashlib
import json
import subprocess

import pytest

from tests.conftest import PIISCAN, SAMPLES, SCAN_SAMPLES


def truth_values() -> set[str]:
    values = set()
    for line in (SAMPLES / "ground_truth.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if "entity_type" in item and len(item["value"]) >= 6:
            values.add(item["value"])
    return values


def run(args, env, **kwargs):
    return subprocess.run(PIISCAN + args, env=env, capture_output=True, text=True, timeout=600, **kwargs)


@pytest.fixture(scope="module")
def folder_scan(tmp_path_factory):
    """One scan of sample_docs plus two bad files, shared by the tests below."""
    import os
    from tests.conftest import ROOT

    tmp = tmp_path_factory.mktemp("scan")
    share = tmp / "share"
    share.mkdir()
    (share / "junk.txt").write_bytes(bytes(range(256)) * 20)
    (share / "invoice.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\n")
    env = {**os.environ, "PIISCAN_KEY_FILE": str(tmp / "key"), "PYTHONPATH": str(ROOT)}
    result = run(["--verbose", "scan", *SCAN_SAMPLES, str(share), "--format", "jsonl"], env)
    return result


def test_scan_records(folder_scan):
    assert folder_scan.returncode == 0, folder_scan.stderr
    records = [json.loads(line) for line in folder_scan.stdout.splitlines()]
    kinds = {r["kind"] for r in records}
    assert kinds == {"finding", "document", "error", "summary"}
    summary = records[-1]
    findings = [r for r in records if r["kind"] == "finding"]
    assert summary["kind"] == "summary" and summary["findings"] == len(findings)
    assert summary["errors"] == 2 and summary["by_type"]["IBAN_CODE"] >= 80
    errors = {r["file"].rsplit("/", 1)[-1]: r["error"] for r in records if r["kind"] == "error"}
    assert errors == {"junk.txt": "binary_content", "invoice.pdf": "corrupt_pdf"}
    finding = findings[0]
    for key in ("file", "member", "page", "entity_type", "score", "start", "end", "bbox", "source",
                "recognizer", "text_masked", "fingerprint"):
        assert key in finding
    assert "text" not in finding and finding["fingerprint"].startswith("hmac-sha256:")
    document = next(r for r in records if r["kind"] == "document")
    path = document["file"]
    assert document["sha256"] == hashlib.sha256(open(path, "rb").read()).hexdigest()


def test_default_output_and_logs_hold_no_raw_value(folder_scan):
    leaked = [v for v in truth_values() if v in folder_scan.stdout or v in folder_scan.stderr]
    assert not leaked, leaked[:5]


def test_reveal_stdin_and_fail_on_findings(env):
    text = "Rijksregisternummer: 85.07.30-033.28\n"
    plain = run(["scan", "-", "--format", "jsonl"], env, input=text)
    assert plain.returncode == 0 and "85.07.30-033.28" not in plain.stdout
    revealed = run(["scan", "-", "--format", "jsonl", "--reveal", "--fail-on-findings"], env, input=text)
    assert revealed.returncode == 1
    finding = json.loads(revealed.stdout.splitlines()[0])
    assert finding["text"] == "85.07.30-033.28" and finding["entity_type"] == "BE_NATIONAL_NUMBER"
    quiet = run(["scan", "-", "--format", "jsonl", "--fail-on-findings"], env, input="Bonjour.\n")
    assert quiet.returncode == 0


def test_csv_and_entity_filter(env, tmp_path):
    out = tmp_path / "findings.csv"
    result = run(["scan", str(SAMPLES / "text" / "fr_invoice_01.txt"), "--format", "csv", "--out", str(out),
                  "--entities", "IBAN_CODE"], env)
    assert result.returncode == 0, result.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("kind,file,member,page,entity_type")
    assert len(lines) > 1 and all(",IBAN_CODE," in line for line in lines[1:])


def test_usage_errors_exit_2(env):
    assert run(["scan", "x.txt", "--entities", "NOT_A_TYPE"], env).returncode == 2
    assert run(["scan"], env).returncode == 2
    assert run(["redact", "missing.txt", "-o", "out.txt"], env).returncode == 2
