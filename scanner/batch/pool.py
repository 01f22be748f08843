"""Local executors: in this process (one worker), or a pool of worker processes.

The pool keeps at most two files per worker in flight, so memory stays bounded
however large the share. Each worker loads the models once, runs one file at a
time under the per-file time limit (SIGALRM, in the worker's main thread) and,
with ``max_memory``, under an address-space limit: a file that needs more
gets an ``out_of_memory`` error record instead of taking the machine down.

A worker that dies (killed, segfault in a native library) breaks the pool.
The pool is rebuilt and the files that were in flight are retried one at a
time: the one that kills its worker again gets a ``worker_crashed`` error
record, the others their results.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import resource
import shutil
import tempfile
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterable, Iterator, Optional, Union

from scanner.batch.work import Job, Worker, _failed
from scanner.process import start_worker
from scanner.store import FileScan

log = logging.getLogger(__name__)
IN_FLIGHT_PER_WORKER = 2


class InProcess:
    """One worker, in this process (no isolation: what ``piiscan scan`` does without ``--workers``).

    ``worker`` is a Worker, or a function that makes one: called at the first file, so a rescan
    with nothing to scan never loads the models.
    """

    def __init__(self, worker: Union[Worker, Callable[[], Worker]]):
        self._worker = worker

    @property
    def worker(self) -> Worker:
        if not isinstance(self._worker, Worker):
            self._worker = self._worker()
        return self._worker

    def map(self, jobs: Iterable[Job]) -> Iterator[FileScan]:
        for job in jobs:
            yield self.worker.scan(job)

    def close(self, abort: bool = False) -> None:
        pass


_WORKER: Optional[Worker] = None


def _init(options, key: bytes, id_check: bool, max_memory: Optional[int], log_level: int) -> None:
    global _WORKER
    start_worker(log_level)
    _WORKER = Worker.load(options, key, id_check)
    if max_memory:
        # After the models are loaded: the limit is for the documents, not for spaCy.
        resource.setrlimit(resource.RLIMIT_AS, (max_memory, max_memory))


def _scan(job: Job) -> FileScan:
    try:
        return _WORKER.scan(job)
    except MemoryError:
        return _failed(job, "out_of_memory", "the file needs more memory than a worker may use (--max-memory)")
    except Exception as exc:  # noqa: BLE001 - e.g. a library that cannot be loaded under the memory limit
        log.error("internal error on a file (%s)", type(exc).__name__)
        return _failed(job, "internal_error", f"the scanner failed on this file ({type(exc).__name__}); "
                       "if --max-memory is low, raise it")


class ProcessPool:
    def __init__(self, workers: int, options, key: bytes, id_check: bool = True,
                 max_memory: Optional[int] = None, task: Callable[[Job], FileScan] = _scan, init: Callable = _init):
        self.workers = workers
        self.task, self.init = task, init   # module-level functions (spawned workers import them)
        # A file with many records comes back as a file in this private folder (scanner/spool.py), not
        # through the pipe; the folder goes when the pool is closed.
        self.spool_dir = tempfile.mkdtemp(prefix="piiscan-spool-")
        if options is not None:
            options = dataclasses.replace(options, spool_dir=self.spool_dir)
        self.initargs = (options, key, id_check, max_memory, logging.getLogger().level)
        self.executor = self._build()

    def _build(self) -> ProcessPoolExecutor:
        # spawn: workers never inherit this process's threads, open store connections or locks.
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=self.init, initargs=self.initargs)

    def map(self, jobs: Iterable[Job]) -> Iterator[FileScan]:
        jobs = iter(jobs)
        pending: dict = {}          # future -> (job, suspect)
        suspects: deque = deque()   # jobs in flight when a worker died: retried alone
        exhausted = isolating = False
        while True:
            while not isolating and not exhausted and len(pending) < self.workers * IN_FLIGHT_PER_WORKER:
                job = next(jobs, None)
                if job is None:
                    exhausted = True
                else:
                    pending[self.executor.submit(self.task, job)] = (job, False)
            if suspects and not pending:
                job = suspects.popleft()
                pending[self.executor.submit(self.task, job)] = (job, True)
                isolating = True
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                job, suspect = pending.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    broken = True
                    if suspect:
                        log.warning("a file made its worker die twice; recorded as an error")
                        yield _failed(job, "worker_crashed", "the scanner's worker process died on this file "
                                      "(killed, or a crash in a native library); it was skipped")
                    else:
                        suspects.append(job)
                except Exception as exc:  # noqa: BLE001 - the result could not come back (pickling, memory)
                    yield _failed(job, "internal_error", f"the worker could not return this file's results "
                                  f"({type(exc).__name__})")
                else:
                    yield result
                if suspect:
                    isolating = False
            if broken:
                log.warning("a worker process died; restarting the pool and retrying its files one at a time")
                for future, (job, _suspect) in list(pending.items()):
                    if future.done() and future.exception() is None:
                        yield future.result()
                    else:
                        suspects.append(job)
                pending.clear()
                isolating = False
                self.executor.shutdown(wait=False, cancel_futures=True)
                self.executor = self._build()

    def close(self, abort: bool = False) -> None:
        """Wait for the workers to stop; with ``abort`` (Ctrl-C, an error), stop them at once."""
        if abort:
            for process in list((self.executor._processes or {}).values()):
                process.kill()
        self.executor.shutdown(wait=not abort, cancel_futures=True)
        shutil.rmtree(self.spool_dir, ignore_errors=True)
