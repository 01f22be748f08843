"""What every worker process does first, in the service's pool and in batch pools alike."""

from __future__ import annotations

import logging
import os
import signal
import sys

QUIET_LIBRARIES = ("presidio-analyzer", "presidio-anonymizer", "spacy", "extract_msg", "pypdf", "PIL")


def die_with_parent() -> None:
    """Linux: the kernel kills this worker when its parent dies, even by kill -9 (no orphaned workers)."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start_worker(log_level: int) -> None:
    """Die with the parent, leave Ctrl-C to it, one Tesseract thread, quiet library logs."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    logging.basicConfig(level=log_level, stream=sys.stderr, format="piiscan: %(levelname)s: %(message)s")
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
