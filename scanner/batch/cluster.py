"""Scale-out on a Dask distributed cluster: ``piiscan scan SHARE --cluster tcp://HOST:8786``.

The machine that runs ``piiscan scan`` walks the share, decides what needs
scanning and writes the store (give it a PostgreSQL URL when several machines
work for one store); the Dask workers only scan. Each worker process loads the
scanner once and keeps it (a worker plugin), and reads files by their absolute
path: mount the share at the same path on every worker.

The fingerprint key travels to the workers with the plugin, so fingerprints
are the same wherever a file was scanned: use ``tls://`` addresses (Dask's TLS
settings) on any network you do not trust.
"""

from __future__ import annotations

import logging
from typing import Iterable, Iterator

from distributed import Client, as_completed, get_worker
from distributed.diagnostics.plugin import WorkerPlugin

from scanner.batch.work import Job, Worker
from scanner.errors import RunFailed
from scanner.store import FileScan

log = logging.getLogger(__name__)
PLUGIN = "piiscan-scanner"
IN_FLIGHT_PER_THREAD = 2


class ScannerPlugin(WorkerPlugin):
    """Loads the scanner once in each Dask worker process."""

    name = PLUGIN

    def __init__(self, options, key: bytes, id_check: bool):
        self.options, self.key, self.id_check = options, key, id_check

    def setup(self, worker) -> None:
        worker.piiscan = Worker.load(self.options, self.key, self.id_check)

    def teardown(self, worker) -> None:
        worker.__dict__.pop("piiscan", None)


def _scan(job: Job) -> FileScan:
    return get_worker().piiscan.scan(job)


class DaskCluster:
    def __init__(self, address: str, options, key: bytes, id_check: bool = True, timeout_s: float = 30):
        try:
            self.client = Client(address, timeout=timeout_s, set_as_default=False)
        except OSError as exc:
            raise RunFailed(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
        self.client.register_plugin(ScannerPlugin(options, key, id_check), name=PLUGIN)
        threads = sum(self.client.nthreads().values())
        if not threads:
            raise RunFailed(f"the Dask scheduler at {address} has no workers")
        self.in_flight = max(threads * IN_FLIGHT_PER_THREAD, 2)

    def map(self, jobs: Iterable[Job]) -> Iterator[FileScan]:
        jobs = iter(jobs)
        running = as_completed(loop=self.client.loop)
        for job in jobs:
            running.add(self.client.submit(_scan, job, pure=False))
            if running.count() >= self.in_flight:
                break
        for future in running:
            scan = future.result()
            future.release()
            yield scan
            job = next(jobs, None)
            if job is not None:
                running.add(self.client.submit(_scan, job, pure=False))

    def close(self, abort: bool = False) -> None:
        self.client.close()
