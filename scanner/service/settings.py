"""How the intake service is configured: API keys, upload and time limits, the worker pool.

API keys come from ``PIISCAN_API_KEYS`` (comma-separated) and/or a file given
with ``--api-keys-file`` (one key per line, ``#`` starts a comment). Only their
SHA-256 digests are kept in memory; a presented key is hashed and compared with
every digest in constant time.

>>> keys = KeyRing.from_keys(["s3cret-key-0123456789"])
>>> keys.accepts("s3cret-key-0123456789"), keys.accepts("guess")
(True, False)
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Tuple

from scanner.errors import RunFailed
from scanner.extract import Limits

MIB = 1024 * 1024
MIN_KEY_LENGTH = 16  # shorter keys are accepted with a warning


@dataclass(frozen=True)
class KeyRing:
    """SHA-256 digests of the accepted API keys (the keys themselves are not kept)."""

    digests: Tuple[bytes, ...] = ()
    short_keys: int = 0  # how many keys are shorter than MIN_KEY_LENGTH (for a start-up warning)

    @classmethod
    def from_keys(cls, keys: Iterable[str]) -> "KeyRing":
        digests, short = [], 0
        for key in keys:
            key = key.strip()
            if not key:
                continue
            short += len(key) < MIN_KEY_LENGTH
            digest = hashlib.sha256(key.encode("utf-8")).digest()
            if digest not in digests:
                digests.append(digest)
        return cls(tuple(digests), short)

    def __bool__(self) -> bool:
        return bool(self.digests)

    def accepts(self, presented: Optional[str]) -> bool:
        """Constant time in the key and over every configured digest: no early exit."""
        digest = hashlib.sha256((presented or "").encode("utf-8", "surrogateescape")).digest()
        matched = 0
        for known in self.digests:
            matched |= hmac.compare_digest(digest, known)
        return bool(matched) and presented is not None


def read_key_file(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RunFailed(f"cannot read the API key file {path}: {exc.strerror or exc}") from exc
    keys = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            keys.append(line)
    return keys


def load_keys(key_file: Optional[str] = None, environ=os.environ) -> KeyRing:
    keys = [k for k in environ.get("PIISCAN_API_KEYS", "").split(",") if k.strip()]
    if key_file:
        keys += read_key_file(Path(key_file))
    return KeyRing.from_keys(keys)


@dataclass(frozen=True)
class ServiceSettings:
    keys: KeyRing = field(default_factory=KeyRing)
    no_auth: bool = False  # only for local testing, and only on a loopback address
    max_upload_bytes: int = 20 * MIB
    time_limit_s: float = 30.0  # per request, enforced inside the worker (SIGALRM) and as a backstop here
    workers: int = 1
    queue: Optional[int] = None  # requests queued + running; default 4 x workers
    limits: Limits = field(default_factory=Limits)
    db: Optional[str] = None              # the findings store: serves the review UI under /review
    review_output: Optional[Path] = None  # where the review UI writes approved redacted copies
    trusted_proxies: Optional[str] = None # comma-separated addresses whose X-Forwarded-* headers are believed

    @property
    def max_pending(self) -> int:
        return self.queue if self.queue is not None else 4 * self.workers

    def check(self, host: str) -> None:
        """Refuse settings the service must not start with (raises RunFailed with plain words)."""
        if self.workers < 1:
            raise RunFailed("--workers takes a whole number of at least 1")
        if self.max_pending < 1:
            raise RunFailed("--queue takes a whole number of at least 1")
        if self.max_upload_bytes < 1:
            raise RunFailed("--max-upload-mb must be positive")
        if self.time_limit_s <= 0:
            raise RunFailed("--time-limit must be positive")
        if self.no_auth:
            if not is_loopback(host):
                raise RunFailed(f"--no-auth is for local testing only: it is refused on {host}; "
                                "listen on 127.0.0.1 or configure API keys")
        elif not self.keys:
            raise RunFailed("no API key is configured: set PIISCAN_API_KEYS (comma-separated) or give "
                            "--api-keys-file FILE (one key per line); --no-auth disables authentication "
                            "for local testing only")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
