"""``piiscan serve``: the intake HTTP service (FastAPI + uvicorn), see docs/service.md.

The CLI wires it in three calls::

    add_arguments(parser)                    # --api-keys-file, --no-auth, --workers, ...
    settings = settings_from_args(args)      # raises RunFailed (exit 3) with plain words
    serve(args.host, args.port, settings)    # blocks until Ctrl-C / SIGTERM

``python -m scanner.service`` does the same on its own (with ``--host``/``--port``).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from scanner.service.settings import MIB, KeyRing, ServiceSettings, load_keys

__all__ = ["ServiceSettings", "KeyRing", "add_arguments", "settings_from_args", "serve"]
log = logging.getLogger("piiscan.service")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The service's options (not --host/--port, which the caller adds)."""
    group = parser.add_argument_group("service")
    group.add_argument("--api-keys-file", metavar="FILE",
                       help="API keys, one per line ('#' comments); added to PIISCAN_API_KEYS (comma-separated)")
    group.add_argument("--no-auth", action="store_true",
                       help="no API key needed: local testing only, refused on a non-loopback address")
    group.add_argument("--workers", type=int, default=1, metavar="N",
                       help="worker processes, each with its own models (default 1)")
    group.add_argument("--queue", type=int, metavar="N",
                       help="requests queued or running before new ones get 503 (default 4 x workers)")
    group.add_argument("--max-upload-mb", type=float, default=20, metavar="MB",
                       help="largest accepted upload in MiB (default 20); larger ones get 413")
    group.add_argument("--time-limit", type=float, default=30, metavar="S",
                       help="seconds of processing per request (default 30); then 504")
    review = parser.add_argument_group("review UI", "With --db, the analysts' review pages are served under "
                                                    "/review (docs/review.md).")
    group.add_argument("--trusted-proxy", metavar="ADDRESS[,ADDRESS]",
                       help="the reverse proxy's address: its X-Forwarded-For/-Proto are believed, so logs, the "
                            "audit trail and the sign-in lock-out see the real client (default: none trusted)")
    review.add_argument("--db", metavar="URL", help="the findings store written by `piiscan scan --db`")
    review.add_argument("--review-output", metavar="FOLDER",
                        help="where approved redactions are written (default: beside the store, redacted/)")


def settings_from_args(args: argparse.Namespace) -> ServiceSettings:
    keys = KeyRing() if args.no_auth else load_keys(args.api_keys_file)
    return ServiceSettings(keys=keys, no_auth=args.no_auth, max_upload_bytes=int(args.max_upload_mb * MIB),
                           time_limit_s=args.time_limit, workers=args.workers, queue=args.queue,
                           db=args.db, review_output=Path(args.review_output) if args.review_output else None,
                           trusted_proxies=args.trusted_proxy)


def serve(host: str, port: int, settings: ServiceSettings) -> None:
    """Run the service until interrupted; raises RunFailed when it must not start."""
    import uvicorn

    from scanner.config import fingerprint_key
    from scanner.service.app import create_app

    settings.check(host)
    fingerprint_key()  # no key, no start: the workers would all fail on it
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="piiscan: %(levelname)s: %(message)s")
    worker_level = root.getEffectiveLevel()
    log.setLevel(logging.INFO)  # one line per request, whatever the CLI's verbosity
    if settings.no_auth:
        log.warning("authentication is OFF (--no-auth): for local testing only")
    elif settings.keys.short_keys:
        log.warning("%d API key(s) are shorter than 16 characters; use long random keys", settings.keys.short_keys)
    app = create_app(settings, log_level=worker_level)
    # Our own access line replaces uvicorn's (which would log the query string); no Server header.
    uvicorn.run(app, host=host, port=port, access_log=False, log_config=None, server_header=False,
                proxy_headers=bool(settings.trusted_proxies), forwarded_allow_ips=settings.trusted_proxies,
                timeout_graceful_shutdown=10)
