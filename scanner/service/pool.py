"""The service side of the worker pool: bounded queue, time limit backstop, rebuilt when a worker dies.

``pending`` counts requests queued or running (the API answers 503 when it is
full); ``running`` lets at most one job per worker into the executor, so a job
handed to the executor starts at once and its wait can be bounded by the time
limit plus a grace period. A worker that overruns even that (its alarm was
swallowed) is killed with its pool, which is then rebuilt, as it is when a
worker dies (``BrokenProcessPool``).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Optional

from scanner.service.settings import ServiceSettings
from scanner.service import worker

log = logging.getLogger("piiscan.service")
GRACE_S = 5.0  # beyond the time limit, before the service kills a worker that did not stop itself


class PoolUnavailable(Exception):
    """The workers are not up (they failed to start)."""


class WorkerDied(Exception):
    """The worker running the job died (it was killed, or ran out of memory)."""


class WorkerOverran(Exception):
    """The worker ignored its time limit and was killed."""


class WorkerPool:
    def __init__(self, settings: ServiceSettings, log_level: int = logging.WARNING):
        self.settings = settings
        self.log_level = log_level
        self.executor: Optional[ProcessPoolExecutor] = None
        self.scratch: Optional[str] = None  # the workers' temporary folders live here; removed with the pool
        self.generation = 0
        self.up = False
        self.idcheck = False
        self.entities: list[str] = []
        self.pending = 0
        self.was_up = False  # once up, a rebuild queues requests instead of refusing them
        self._ready: Optional[asyncio.Event] = None
        self._running: Optional[asyncio.Semaphore] = None
        self._rebuilding: Optional[asyncio.Task] = None

    # --- life cycle ------------------------------------------------------------------
    async def start(self) -> None:
        self._ready = asyncio.Event()
        self._running = asyncio.Semaphore(self.settings.workers)
        self._build()
        self._rebuilding = asyncio.create_task(self._warm(self.generation))

    def _build(self) -> None:
        self.generation += 1
        self.up = False
        # The service owns the workers' scratch folder: a worker that is killed cannot clean up after
        # itself, so the folder goes with its pool (an orphaned Tesseract then has nowhere to write).
        self.scratch = tempfile.mkdtemp(prefix="piiscan-service-")
        # spawn: a worker never inherits the service's event loop, threads or sockets.
        self.executor = ProcessPoolExecutor(
            max_workers=self.settings.workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=worker.init_worker, initargs=(self.settings.limits, self.log_level, self.scratch))

    async def _warm(self, generation: int) -> None:
        """Load the models in every worker before jobs are let in."""
        loop = asyncio.get_running_loop()
        seen: set = set()
        try:
            for _ in range(20):
                answers = await asyncio.gather(*[loop.run_in_executor(self.executor, worker.ping)
                                                 for _ in range(self.settings.workers)])
                seen |= {a["pid"] for a in answers}
                self.idcheck = all(a["idcheck"] for a in answers)
                self.entities = answers[0]["entities"]
                if len(seen) >= self.settings.workers:
                    break
            if generation == self.generation:
                self.up = self.was_up = True
                log.info("%d worker(s) ready%s", self.settings.workers, "" if self.idcheck else
                         " (the ID check is not available)")
        except Exception as exc:  # noqa: BLE001 - reported by /healthz and by 503 answers
            log.error("the workers could not start (%s); see the messages above", type(exc).__name__)
        finally:
            if generation == self.generation:
                self._ready.set()

    async def close(self) -> None:
        if self._rebuilding and not self._rebuilding.done():
            self._rebuilding.cancel()
        if self.executor is not None:
            self._kill(self.executor, self.scratch)
            self.executor = None

    @staticmethod
    def _kill(executor: ProcessPoolExecutor, scratch: Optional[str]) -> None:
        processes = list((getattr(executor, "_processes", None) or {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.kill()
        for process in processes:
            process.join(timeout=5)
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)

    async def _rebuild(self, generation: int, kill: bool) -> None:
        """Replace a broken pool once, however many requests saw it break."""
        if generation != self.generation:
            return
        self._ready.clear()
        old, old_scratch = self.executor, self.scratch
        self._build()
        log.warning("worker pool rebuilt (%s)", "a worker overran its time limit" if kill else "a worker died")
        if old is not None:
            await asyncio.get_running_loop().run_in_executor(None, self._kill, old, old_scratch)
        self._rebuilding = asyncio.create_task(self._warm(self.generation))

    # --- jobs ----------------------------------------------------------------------------
    @property
    def ready(self) -> bool:
        return self.up and self._ready is not None and self._ready.is_set()

    @property
    def accepting(self) -> bool:
        """Up, or being rebuilt after a worker died (requests wait for it)."""
        return self.ready or (self.was_up and self._ready is not None and not self._ready.is_set())

    def full(self) -> bool:
        return self.pending >= self.settings.max_pending

    async def run(self, job: str, data: bytes, name: str, params: dict) -> dict:
        """The worker's answer (a dict); raises PoolUnavailable, WorkerDied or WorkerOverran."""
        loop = asyncio.get_running_loop()
        params = {**params, "time_limit_s": self.settings.time_limit_s}
        async with self._running:
            await self._ready.wait()
            if not self.up:
                raise PoolUnavailable("the workers are not running")
            generation = self.generation
            try:
                future = loop.run_in_executor(self.executor, worker.run_job, job, data, name, params)
                return await asyncio.wait_for(future, timeout=self.settings.time_limit_s + GRACE_S)
            except asyncio.TimeoutError:
                await self._rebuild(generation, kill=True)
                raise WorkerOverran("the worker did not stop at its time limit and was stopped") from None
            except BrokenProcessPool:
                await self._rebuild(generation, kill=False)
                raise WorkerDied("a worker process died while processing the file") from None
