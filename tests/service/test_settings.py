"""Service configuration: API keys (digests only, constant-time check), refusals at start-up."""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys

import pytest

from scanner.errors import RunFailed
from scanner.service import add_arguments, settings_from_args
from scanner.service.settings import KeyRing, ServiceSettings, load_keys
from tests.conftest import ROOT


def test_keys_are_kept_as_digests_only():
    ring = KeyRing.from_keys(["first-key-0123456789", " second-key-0123456789 ", "", "first-key-0123456789"])
    assert len(ring.digests) == 2
    assert hashlib.sha256(b"second-key-0123456789").digest() in ring.digests
    assert "first-key-0123456789" not in repr(ring)
    assert ring.accepts("first-key-0123456789") and ring.accepts("second-key-0123456789")
    assert not ring.accepts("first-key-012345678") and not ring.accepts("") and not ring.accepts(None)
    assert not KeyRing().accepts("anything") and not KeyRing()


def test_keys_from_environment_and_file(tmp_path):
    path = tmp_path / "keys"
    path.write_text("# service keys\nfile-key-0123456789  # the intake robot\n\n   \nother-file-key-0123\n")
    ring = load_keys(str(path), environ={"PIISCAN_API_KEYS": "env-key-0123456789, env-key-2-0123456789,"})
    for key in ("file-key-0123456789", "other-file-key-0123", "env-key-0123456789", "env-key-2-0123456789"):
        assert ring.accepts(key), key
    assert not ring.accepts("# service keys") and len(ring.digests) == 4
    with pytest.raises(RunFailed, match="cannot read the API key file"):
        load_keys(str(tmp_path / "missing"), environ={})


def test_arguments_and_refusals(monkeypatch):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(["--workers", "2", "--max-upload-mb", "5", "--time-limit", "3"])
    monkeypatch.delenv("PIISCAN_API_KEYS", raising=False)
    settings = settings_from_args(args)
    assert settings.workers == 2 and settings.max_pending == 8 and settings.max_upload_bytes == 5 * 1024 * 1024
    with pytest.raises(RunFailed, match="no API key is configured"):
        settings.check("127.0.0.1")
    with pytest.raises(RunFailed, match="local testing only"):
        ServiceSettings(no_auth=True).check("0.0.0.0")
    ServiceSettings(no_auth=True).check("127.0.0.1")
    ServiceSettings(no_auth=True).check("::1")
    with pytest.raises(RunFailed, match="--workers"):
        ServiceSettings(keys=KeyRing.from_keys(["k" * 20]), workers=0).check("127.0.0.1")


def test_the_service_refuses_to_start_without_keys(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PIISCAN_API_KEYS"}
    env.update({"PYTHONPATH": str(ROOT), "PIISCAN_FINGERPRINT_KEY": "k", "TMPDIR": str(tmp_path)})
    run = subprocess.run([sys.executable, "-m", "scanner.service", "--port", "9"], env=env, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 3
    assert "no API key is configured" in run.stderr and "PIISCAN_API_KEYS" in run.stderr
