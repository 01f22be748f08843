"""What every worker process does first, in the service's pool and in batch pools alike."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from contextlib import contextmanager
from typing import Iterator, List

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


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Ctrl-C (SIGINT) waits until the block is done, then raises KeyboardInterrupt as usual.

    For the store's transactions: an interrupt that lands inside one can leave the database
    connection holding its write lock (SQLite then refuses the run's last update for a minute).
    Only the main thread receives signals; elsewhere (the service's threads) this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: List[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received and previous is signal.default_int_handler:
            raise KeyboardInterrupt
        if received and callable(previous):
            previous(signal.SIGINT, None)
