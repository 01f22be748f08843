"""Masked text, fingerprints and the fingerprint key."""

from __future__ import annotations

import os
import stat

from scanner.privacy import fingerprint, mask, normalise


def test_mask_keeps_only_a_little():
    assert mask("IBAN_CODE", "BE71 0961 2345 6769") == "BE71 **** **** 6769"
    assert mask("BE_NATIONAL_NUMBER", "85.07.30-033.28") == "**.**.**-***.28"
    assert mask("PASSWORD", "Tr0ub4dor&3") == "********"
    assert mask("PERSON", "Marie Dupont") == "M**** D*****"
    assert "skynet" not in mask("EMAIL_ADDRESS", "marie.dupont@skynet.be")


def test_fingerprint_ignores_spacing_and_punctuation():
    key = b"k"
    forms = ["85.07.30-033.28", "85073003328", "85 07 30 033 28", "850730-033-28"]
    assert len({fingerprint("BE_NATIONAL_NUMBER", f, key) for f in forms}) == 1
    assert fingerprint("PHONE_NUMBER", "0470 12 34 56", key) == fingerprint("PHONE_NUMBER", "+32 470 12 34 56", key)
    assert fingerprint("BE_ENTERPRISE_NUMBER", "BE 0652.750.315", key) == fingerprint("BE_ENTERPRISE_NUMBER", "0652750315", key)
    assert normalise("PERSON", "Jérôme  VAN DEN Broeck") == normalise("PERSON", "jerome van den broeck")


def test_fingerprint_depends_on_the_key():
    assert fingerprint("IBAN_CODE", "BE71096123456769", b"a") != fingerprint("IBAN_CODE", "BE71096123456769", b"b")


def test_key_is_created_once_owner_only(tmp_path, monkeypatch):
    from scanner import config

    monkeypatch.delenv("PIISCAN_FINGERPRINT_KEY", raising=False)
    monkeypatch.setenv("PIISCAN_KEY_FILE", str(tmp_path / "sub" / "fingerprint.key"))
    first = config.fingerprint_key()
    assert config.fingerprint_key() == first and len(first) == 64
    mode = stat.S_IMODE(os.stat(tmp_path / "sub" / "fingerprint.key").st_mode)
    assert mode == 0o600


def test_key_from_environment(monkeypatch):
    from scanner import config

    monkeypatch.setenv("PIISCAN_FINGERPRINT_KEY", "from-env")
    assert config.fingerprint_key() == b"from-env"
