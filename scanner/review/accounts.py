"""Analysts' accounts, sessions and the audit log of the review UI (tables in scanner/store/schema.py).

- Passwords are hashed with argon2id (argon2-cffi's defaults: memory-hard).
- A session is a random token in an HttpOnly cookie; the store keeps only its
  SHA-256, with the session's CSRF token, its idle and absolute expiry.
- Failed logins are audited; too many for one name or one client in the
  window refuse further attempts for a while.
- Every access and decision is written to ``audit_log``: who, what, when, on
  which document, with the reason typed for a reveal. Never a value.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from scanner.errors import UsageError
from scanner.store import Store, now
from scanner.store.schema import audit_log, sessions, users

ROLES = ("analyst", "admin", "auditor")
MIN_PASSWORD = 12
_HASHER = PasswordHasher()
# A hash of a password nobody has: a login for an unknown name costs the same time as a wrong password.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    csrf: str = ""           # the session's CSRF token (empty outside a session)


@dataclass(frozen=True)
class Policy:
    idle_minutes: int = 30
    max_hours: int = 8
    failed_logins: int = 5   # per name and per client, within the window
    window_minutes: int = 15


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- users -----------------------------------------------------------------------------------
def add_user(store: Store, name: str, role: str, password: str) -> None:
    if role not in ROLES:
        raise UsageError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    if not name or len(name) > 128 or not name.isprintable() or name.strip() != name:
        raise UsageError("a user name is 1 to 128 printable characters, without spaces around it")
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"the password must have at least {MIN_PASSWORD} characters")
    with store.engine.begin() as conn:
        if conn.execute(sa.select(users.c.id).where(users.c.name == name)).first():
            raise UsageError(f"there is already a user named {name!r}")
        conn.execute(users.insert().values(name=name, role=role, password_hash=_HASHER.hash(password),
                                           created_at=now(), disabled=False))


def authenticate(store: Store, name: str, password: str) -> Optional[User]:
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(users).where(users.c.name == name, users.c.disabled.is_(False))).first()
    try:
        _HASHER.verify(row.password_hash if row else _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    if _HASHER.check_needs_rehash(row.password_hash):
        with store.engine.begin() as conn:
            conn.execute(users.update().where(users.c.id == row.id).values(password_hash=_HASHER.hash(password)))
    return User(row.id, row.name, row.role)


def too_many_failures(store: Store, name: str, client: str, policy: Policy) -> bool:
    since = now() - dt.timedelta(minutes=policy.window_minutes)
    failed = sa.and_(audit_log.c.action == "login_failed", audit_log.c.at >= since)
    with store.engine.connect() as conn:
        by_name = conn.execute(sa.select(sa.func.count()).where(failed, audit_log.c.target == name)).scalar_one()
        by_client = conn.execute(sa.select(sa.func.count()).where(failed, audit_log.c.client == client)).scalar_one()
    return by_name >= policy.failed_logins or by_client >= policy.failed_logins


# --- sessions --------------------------------------------------------------------------------
def open_session(store: Store, user: User, policy: Policy) -> str:
    """A new session for ``user``; returns the cookie's token (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    start = now()
    with store.engine.begin() as conn:
        conn.execute(sessions.delete().where(sessions.c.expires_at < start))  # housekeeping
        conn.execute(sessions.insert().values(
            token_hash=token_hash(token), user_id=user.id, csrf_token=secrets.token_urlsafe(32), created_at=start,
            last_seen_at=start, expires_at=start + dt.timedelta(hours=policy.max_hours)))
    return token


def session_user(store: Store, token: Optional[str], policy: Policy) -> Optional[User]:
    """The user of a live session, or None (unknown, expired, idle too long, user disabled)."""
    if not token or len(token) > 128:
        return None
    current = now()
    query = (sa.select(sessions.c.id, sessions.c.csrf_token, sessions.c.last_seen_at, sessions.c.expires_at,
                       users.c.id.label("user_id"), users.c.name, users.c.role)
             .join(users, users.c.id == sessions.c.user_id)
             .where(sessions.c.token_hash == token_hash(token), users.c.disabled.is_(False)))
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    idle_limit = _aware(row.last_seen_at) + dt.timedelta(minutes=policy.idle_minutes)
    if current >= _aware(row.expires_at) or current >= idle_limit:
        close_session(store, token)
        return None
    if (current - _aware(row.last_seen_at)).total_seconds() > 30:
        with store.engine.begin() as conn:
            conn.execute(sessions.update().where(sessions.c.id == row.id).values(last_seen_at=current))
    return User(row.user_id, row.name, row.role, row.csrf_token)


def close_session(store: Store, token: Optional[str]) -> None:
    if token:
        with store.engine.begin() as conn:
            conn.execute(sessions.delete().where(sessions.c.token_hash == token_hash(token)))


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite gives naive datetimes back: they were written in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


# --- audit -----------------------------------------------------------------------------------
def audit(store: Store, actor: str, action: str, target: Optional[str] = None, reason: Optional[str] = None,
          client: Optional[str] = None) -> None:
    with store.engine.begin() as conn:
        conn.execute(audit_log.insert().values(at=now(), actor=actor[:128], action=action, target=target,
                                               reason=reason, client=(client or "")[:64]))
