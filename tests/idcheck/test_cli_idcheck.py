"""`piiscan check-id` as a user runs it: a subprocess, real files, exit codes and output."""

from __future__ import annotations

import json
import subprocess

from tests.conftest import PIISCAN, REALDATA, ROOT, SAMPLES, real

ID_CARDS = SAMPLES / "id_cards"
MASKED = ID_CARDS / "eid2004_masked_black_scan_front.jpg"
UNMASKED = ID_CARDS / "eid2010_unmasked_scan_front.jpg"
BLANK = ID_CARDS / "neg_blank_page.jpg"
SPECIMENS = REALDATA / "id_documents"


def _run(args, env, timeout=300):
    return subprocess.run(PIISCAN + ["check-id", *map(str, args)], env=env, capture_output=True, text=True,
                          timeout=timeout)


def _lines(run) -> list:
    return [json.loads(line) for line in run.stdout.splitlines() if line.strip()]


def test_one_not_compliant_exits_1(env):
    run = _run([MASKED, UNMASKED], env)
    assert run.returncode == 1, run.stdout + run.stderr
    results = _lines(run)
    assert [r["file"] for r in results] == [str(MASKED), str(UNMASKED)]
    assert [r["compliant"] for r in results] == [True, False]
    assert results[1]["document_type"] == "BE_EID" and results[1]["side"] == "front"
    assert any(c["name"] == "photo_masked" and not c["passed"] for c in results[1]["checks"])
    assert results[1]["reasons"]


def test_all_compliant_exits_0(env):
    run = _run([MASKED], env)
    assert run.returncode == 0, run.stdout + run.stderr
    (result,) = _lines(run)
    assert result["compliant"] is True and result["reasons"] == []
    assert result["checks"] and all(c["passed"] for c in result["checks"])


def test_table_format(env):
    run = _run(["--format", "table", MASKED, UNMASKED], env)
    assert run.returncode == 1, run.stdout + run.stderr
    assert f"{UNMASKED}: NOT compliant" in run.stdout
    assert f"{MASKED}: compliant" in run.stdout
    assert "NO  photo_masked" in run.stdout
    assert not run.stdout.lstrip().startswith("{")


def test_a_text_file_is_an_error(tmp_path, env):
    text = tmp_path / "letter.txt"
    text.write_text("Rijksregisternummer 85.07.30-033.28\n", encoding="utf-8")
    disguised = tmp_path / "scan.jpg"  # the bytes decide, not the name
    disguised.write_text("not a picture at all\n", encoding="utf-8")
    run = _run([text, disguised], env)
    assert run.returncode == 2, run.stdout + run.stderr
    results = _lines(run)
    assert [r["error"] for r in results] == ["unsupported_format", "unsupported_format"]
    assert all(r["compliant"] is False and r["reasons"] for r in results)
    assert "85.07.30" not in run.stdout + run.stderr


def test_a_blank_page_is_not_an_identity_document(env):
    run = _run([BLANK], env)
    assert run.returncode == 2, run.stdout + run.stderr
    (result,) = _lines(run)
    assert result["compliant"] is False and result["error"] == "not_an_identity_document"
    assert result["document_type"] is None and result["reasons"]


def test_an_error_outranks_a_rejection(env):
    run = _run([UNMASKED, ROOT / "no-such-file.jpg"], env)
    assert run.returncode == 2, run.stdout + run.stderr
    results = _lines(run)
    assert results[0]["compliant"] is False and results[1]["error"] == "read_failed"


def test_real_specimens_are_all_rejected(env):
    real(SPECIMENS / "icao_utopia_td3_passport.jpg")  # skips when the shared folder is not here
    files = sorted(p for p in SPECIMENS.iterdir() if p.is_file())
    assert len(files) >= 5
    halves = [files[0::2], files[1::2]]  # two processes side by side: the specimens are large pictures
    procs = [subprocess.Popen(PIISCAN + ["check-id", *map(str, half)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for half in halves]
    results = {}
    for half, proc in zip(halves, procs):
        stdout, stderr = proc.communicate(timeout=600)
        assert proc.returncode != 0, stdout
        lines = [json.loads(line) for line in stdout.splitlines() if line.strip()]
        assert [r["file"] for r in lines] == [str(p) for p in half], stderr
        results.update((r["file"], r) for r in lines)
    accepted = [name for name, r in results.items() if r["compliant"] is not False]
    assert not accepted, f"unmasked specimens judged compliant: {accepted}"
    assert all(r["reasons"] for r in results.values())


def test_check_id_opens_no_connection(offline):
    """With every socket blocked (the blocker of tests/conftest.py), check-id runs as usual."""
    env, attempts = offline
    run = _run([UNMASKED], env)
    assert run.returncode == 1, run.stdout + run.stderr
    assert _lines(run)[0]["compliant"] is False
    assert not attempts.exists(), attempts.read_text()
    # The blocker was in force in that process (it would have logged and refused a connection).
    probe = subprocess.run(PIISCAN[:1] + ["-c", "import socket\ntry:\n socket.create_connection(('127.0.0.1', 9))\n"
                                          "except OSError:\n print('blocked')"],
                           env=env, capture_output=True, text=True, timeout=60)
    assert "blocked" in probe.stdout and attempts.exists()
