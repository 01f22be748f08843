"""`piiscan report`, `dsar`, `retention` as a user runs them (subprocesses), on stores built in-process."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import subprocess
from collections import Counter

import pytest

from tests.conftest import PIISCAN
from tests.report.conftest import ID_COPY, cli_env, fill, leaked

EXIT_OK, EXIT_USAGE, EXIT_RUN_FAILED = 0, 2, 3


def piiscan(tmp_path, *args, stdin=None):
    return subprocess.run(PIISCAN + list(args), capture_output=True, text=True, env=cli_env(tmp_path),
                          input=stdin, timeout=120)


@pytest.fixture()
def sqlite_store(tmp_path, share):
    """A SQLite store file (the CLI tests run the programs on a file, as users do)."""
    path = tmp_path / "findings.db"
    fill(f"sqlite:///{path}", share).close()
    return f"sqlite:///{path}"


# ---------------------------------------------------------------------------------------------- report
def test_report_json_is_one_object_with_the_stores_totals(filled, tmp_path, share):
    url, store = filled
    done = piiscan(tmp_path, "report", "--db", url)
    assert done.returncode == EXIT_OK, done.stderr
    assert len(done.stdout.strip().splitlines()) == 1
    data = json.loads(done.stdout)
    stored = store.counts()
    assert {k: data[k] for k in ("documents", "findings", "errors")} == stored
    assert data["by_type"] == dict(Counter(r["entity_type"] for r in share.records("finding")))
    for key in ("by_folder", "by_top_folder", "top_documents", "unmasked_id_copies", "error_list", "runs"):
        assert isinstance(data[key], list), key
    assert data["unmasked_id_copies"][0]["file"] == share.path(ID_COPY)
    assert {e["file"] for e in data["error_list"]} == {r["file"] for r in share.records("error")}
    assert data["runs"][0]["status"] == "completed"
    assert "password" not in data["report"]["store"].lower() or "***" in data["report"]["store"]
    assert leaked(done.stdout) == []
    assert "fingerprint" not in done.stdout and "text_masked" not in done.stdout


def test_report_html_is_self_contained_escaped_and_holds_no_value(sqlite_store, tmp_path, share):
    out = tmp_path / "report.html"
    done = piiscan(tmp_path, "report", "--db", sqlite_store, "--format", "html", "--out", str(out))
    assert done.returncode == EXIT_OK, done.stderr
    assert done.stdout == ""
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") >= 3
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", page, re.I)
    assert "http://" not in page and "https://" not in page
    assert "<script" not in page.lower() and "<link" not in page.lower() and "@import" not in page
    for section in ("totals", "types", "folders", "documents", "id-copies", "errors", "runs"):
        assert f'<section id="{section}">' in page
    assert "&lt;b&gt;x&lt;/b&gt; &amp; co.txt" in page and "<b>x</b>" not in page
    assert share.path(ID_COPY) in page
    assert leaked(page) == []
    assert (out.stat().st_mode & 0o777) == 0o600


def test_report_html_to_standard_output(sqlite_store, tmp_path):
    done = piiscan(tmp_path, "report", "--db", sqlite_store, "--format", "html", "--top", "2")
    assert done.returncode == EXIT_OK, done.stderr
    assert done.stdout.startswith("<!DOCTYPE html>") and "more folders" in done.stdout


def test_report_csv_one_row_per_document(sqlite_store, tmp_path, share):
    done = piiscan(tmp_path, "report", "--db", sqlite_store, "--format", "csv")
    assert done.returncode == EXIT_OK, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == len(share.records("document"))
    totals = Counter()
    for row in rows:
        for entity_type in ("IBAN_CODE", "PERSON", "BE_NATIONAL_NUMBER", "CREDIT_CARD", "MRZ", "FACE"):
            totals[entity_type] += int(row[entity_type])
        assert int(row["findings"]) >= int(row["high_risk"])
    expected = Counter(r["entity_type"] for r in share.records("finding"))
    for entity_type, n in totals.items():
        assert n == expected.get(entity_type, 0), entity_type
    assert sum(int(r["findings"]) for r in rows) == len(share.records("finding"))
    assert {r["id_copy"] for r in rows} == {"", "unmasked"}
    assert leaked(done.stdout) == []


# ---------------------------------------------------------------------------------------------- dsar
def test_dsar_finds_documents_and_never_prints_the_value(sqlite_store, tmp_path, share):
    value = "00.05.10-518.22"
    done = piiscan(tmp_path, "-v", "dsar", "--db", sqlite_store, "--national-number", value)
    assert done.returncode == EXIT_OK, done.stderr
    rows = json.loads(done.stdout)
    assert [(r["file"], r["member"]) for r in rows] == [(share.path("requests/nl_data_request_01.txt"), None)]
    assert set(rows[0]) >= {"file", "member", "entity_types", "findings"}
    for text in (done.stdout, done.stderr):
        assert value not in text and "00051051822" not in text and "518.22" not in text


def test_dsar_by_name_iban_and_email_and_csv(sqlite_store, tmp_path, share):
    done = piiscan(tmp_path, "dsar", "--db", sqlite_store, "--name", "masson FRANÇOIS",
                   "--iban", "be85 0968 6459 8306", "--email", "LUC.MARTIN@gmail.com", "--format", "csv")
    assert done.returncode == EXIT_OK, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    found = {(r["file"], r["member"]) for r in rows}
    assert (share.path("invoices/2016/fr_invoice_01.txt"), "") in found
    assert (share.path("mail/fr_invoice_01_reply.eml"), "facture_2024-3740.png") in found
    assert (share.path(ID_COPY), "") in found
    by_file = {(r["file"], r["member"]): r for r in rows}
    assert by_file[share.path("invoices/2016/fr_invoice_01.txt"), ""]["entity_types"] == "IBAN_CODE;PERSON"
    assert "masson" not in done.stdout.lower().replace(share.path("").lower(), "")


def test_dsar_values_from_standard_input(sqlite_store, tmp_path, share):
    selectors = json.dumps({"phone": "0491/29.65.63", "name": ["Lies D'Hondt"]})
    done = piiscan(tmp_path, "dsar", "--db", sqlite_store, "--selectors", "-", stdin=selectors)
    assert done.returncode == EXIT_OK, done.stderr
    rows = json.loads(done.stdout)
    assert [(r["file"], r["entity_types"]) for r in rows] == [
        (share.path("requests/nl_data_request_01.txt"), ["PERSON", "PHONE_NUMBER"])]


def test_dsar_unknown_value_is_an_empty_list(sqlite_store, tmp_path):
    done = piiscan(tmp_path, "dsar", "--db", sqlite_store, "--national-number", "85.07.30-033.28")
    assert done.returncode == EXIT_OK, done.stderr
    assert json.loads(done.stdout) == []


def test_dsar_usage_errors_do_not_echo_values(sqlite_store, tmp_path):
    done = piiscan(tmp_path, "dsar", "--db", sqlite_store)
    assert done.returncode == EXIT_USAGE and "at least one" in done.stderr
    done = piiscan(tmp_path, "dsar", "--db", sqlite_store, "--national-number", "85.07.30-033.99")
    assert done.returncode == EXIT_USAGE
    assert "national" in done.stderr and "033.99" not in done.stderr and done.stdout == ""


# ---------------------------------------------------------------------------------------------- retention
def test_retention_lists_the_old_file_only(sqlite_store, tmp_path, share):
    done = piiscan(tmp_path, "retention", "--db", sqlite_store, "--older-than", "7y")
    assert done.returncode == EXIT_OK, done.stderr
    rows = json.loads(done.stdout)
    assert {r["file"] for r in rows} == {share.path("invoices/2016/fr_invoice_01.txt"),
                                         share.path("invoices-old/fr_invoice_01.txt")}
    assert all(r["entity_types"] and r["findings"] > 0 and r["modified"].startswith("2015-03-01") for r in rows)
    done = piiscan(tmp_path, "retention", "--db", sqlite_store, "--older-than", "18m",
                   "--folder", share.path("invoices"), "--class", "txt,pdf", "--format", "csv")
    assert done.returncode == EXIT_OK, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r["file"] for r in rows] == [share.path("invoices/2016/fr_invoice_01.txt")]
    assert int(rows[0]["IBAN_CODE"]) == 1 and int(rows[0]["age_days"]) > 3000
    assert leaked(done.stdout) == []
    done = piiscan(tmp_path, "retention", "--db", sqlite_store, "--older-than", "1d", "--class", "docx")
    assert done.returncode == EXIT_OK and json.loads(done.stdout) == []


def test_retention_bad_duration_is_a_usage_error(sqlite_store, tmp_path):
    done = piiscan(tmp_path, "retention", "--db", sqlite_store, "--older-than", "seven years")
    assert done.returncode == EXIT_USAGE and "7y" in done.stderr


# ---------------------------------------------------------------------------------------------- no store
@pytest.mark.parametrize("command", [["report"], ["dsar", "--iban", "BE85 0968 6459 8306"],
                                     ["retention", "--older-than", "7y"]])
def test_missing_or_foreign_database_fails_clearly_and_creates_nothing(tmp_path, command):
    missing = tmp_path / "nowhere" / "findings.db"
    for url in (str(missing), f"sqlite:///{missing}"):
        done = piiscan(tmp_path, command[0], "--db", url, *command[1:])
        assert done.returncode == EXIT_RUN_FAILED, done.stderr
        assert "no findings store" in done.stderr and "Traceback" not in done.stderr
        assert done.stdout == ""
    assert not missing.exists() and not missing.parent.exists()
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    done = piiscan(tmp_path, command[0], "--db", str(foreign), *command[1:])
    assert done.returncode == EXIT_RUN_FAILED and "not a piiscan findings store" in done.stderr
    with sqlite3.connect(foreign) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"   # not switched to WAL
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["customers"]
    text = tmp_path / "notes.txt"
    text.write_text("hello " * 200)
    done = piiscan(tmp_path, command[0], "--db", str(text), *command[1:])
    assert done.returncode == EXIT_RUN_FAILED and "not a SQLite database" in done.stderr


def test_unreachable_postgresql_fails_clearly(tmp_path):
    done = piiscan(tmp_path, "report", "--db", "postgresql://piiscan:secret@127.0.0.1:1/none")
    assert done.returncode == EXIT_RUN_FAILED
    assert "cannot open the findings store" in done.stderr and "secret" not in done.stderr
