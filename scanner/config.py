"""Settings read from the environment, and the fingerprint key.

The fingerprint key turns a value into a keyed HMAC so that stores and reports
can de-duplicate and look people up without holding the value. Where it comes
from, first match wins:

1. ``PIISCAN_FINGERPRINT_KEY``: the key itself (for containers and CI secrets);
2. ``PIISCAN_KEY_FILE``: a file holding it;
3. ``$XDG_CONFIG_HOME/piiscan/fingerprint.key`` (``~/.config/piiscan/...``),
   created on first use with 32 random bytes, owner-only permissions (0600).

Keep the key: fingerprints made with another key do not match.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from scanner.errors import RunFailed

REPO_ROOT = Path(__file__).resolve().parent.parent
MODELS_DIR = Path(os.environ.get("PIISCAN_MODELS_DIR", REPO_ROOT / "models"))


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "piiscan"


def key_file() -> Path:
    return Path(os.environ.get("PIISCAN_KEY_FILE") or config_dir() / "fingerprint.key")


def fingerprint_key() -> bytes:
    env = os.environ.get("PIISCAN_FINGERPRINT_KEY")
    if env:
        return env.encode()
    path = key_file()
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise RunFailed(f"cannot read the fingerprint key {path}: {exc.strerror}") from exc
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # O_EXCL: two processes starting at once must not write two keys.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    except OSError as exc:
        raise RunFailed(
            f"cannot create the fingerprint key {path}: {exc.strerror}; "
            "set PIISCAN_FINGERPRINT_KEY or PIISCAN_KEY_FILE"
        ) from exc
    key = secrets.token_hex(32).encode()
    with os.fdopen(fd, "wb") as handle:
        handle.write(key + b"\n")
    return key
