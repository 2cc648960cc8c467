"""Where :func:`~mrtext.pipeline.document.process_document` runs: locally or on dask.

Both backends take an iterable of :class:`~mrtext.pipeline.document.DocumentSource` (read
lazily by the driver) and yield one :class:`~mrtext.pipeline.document.DocumentResult` per
source, as soon as it is ready, so the driver can cache it at once (that is what makes a run
resumable). Only a bounded number of documents is in flight, whatever the archive's size.

``local``
    ``--jobs 1`` runs in the driver process; ``--jobs N`` uses a
    :class:`concurrent.futures.ProcessPoolExecutor` whose workers load the stages (the spaCy
    pipeline) once, in their initializer. A worker that dies (a crash, the OOM killer) is
    replaced; a document that kills two workers fails with a per-file error. With
    ``--timeout S`` a document still running after S seconds fails, and its worker is killed
    and replaced (the others' documents are retried); workers also exit if the driver dies.

``dask``
    ``dask.bag.from_sequence(batch).map(process_document, config)`` per batch of documents.
    ``--scheduler`` chooses where the bag runs:

    - ``processes`` (default): dask's multiprocessing scheduler on a reused local pool;
    - ``threads`` / ``synchronous``: dask's local schedulers (tests, debugging);
    - ``local``: a :class:`distributed.LocalCluster` with ``--jobs`` worker processes;
    - ``tcp://host:8786``: an existing dask.distributed cluster. Start one with
      ``dask scheduler`` on one machine and ``dask worker tcp://host:8786 --nthreads 1`` on
      each worker machine, where mrtext is installed in the same version (``pip install
      'mrtext[dask]'``, plus Tesseract for scans). The driver reads the files and sends their
      bytes, so the workers need no access to the input folder; results come back to the
      driver, which writes every output. Then::

          mrtext run archive/ -o out/ --backend dask --scheduler tcp://host:8786
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from mrtext.errors import BadArgumentsError, MissingDependencyError, MrtextError
from mrtext.pipeline.document import DocumentResult, DocumentSource, PipelineConfig, kind_of, process_document
from mrtext.pipeline.stages import get_stages

__all__ = ["BACKENDS", "DASK_SCHEDULERS", "run_backend"]

log = logging.getLogger("mrtext.pipeline")

BACKENDS = ("local", "dask")
DASK_SCHEDULERS = ("processes", "threads", "synchronous", "local")
_INFLIGHT_BYTES = 256_000_000


_WARM_UP = (
    "Svar pa remiss fran kommunstyrelsen, dnr KS 2023/1159. Socialndmnden beslutade den 6 december 2017 "
    "att godkénna forvaltningens forslag om Program fér ménskliga rattigheter.\n"
)
_ONE_THREAD = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _exit_with(driver: int) -> None:
    """Watchdog thread of a worker: exit when the driver is gone (``kill -9`` leaves no orphan workers)."""
    while True:
        time.sleep(1.0)
        try:
            os.kill(driver, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # the pid was reused by another user's process: ours is gone
            os._exit(1)


def _init_worker(config: PipelineConfig, driver: int, ready: Any = None) -> None:
    """Worker start-up: leave Ctrl-C to the driver, exit with it, one math thread per worker (the pool is the
    parallelism, as in dask's workers), load the stages once; then wait for the other workers at ``ready``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(driver,), name="mrtext-driver-watch", daemon=True).start()
    for var in _ONE_THREAD:
        os.environ.setdefault(var, "1")
    get_stages(config.stages)
    # One small document through every stage, so that their lazy loading (lexicons, models) happens now.
    process_document(DocumentSource("warm-up.txt", "warm-up", _WARM_UP.encode()), config)
    if ready is not None:
        with contextlib.suppress(threading.BrokenBarrierError):
            ready.wait(timeout=600)


def _pool(jobs: int, config: PipelineConfig, *, warm: bool = False) -> ProcessPoolExecutor:
    """A process pool whose workers have loaded the stages; with ``warm``, return only once all of them have
    (so that time limits do not count the start-up)."""
    # forkserver: no fork of a driver that may hold threads (progress bar, dask); workers import what they need.
    ctx = multiprocessing.get_context("forkserver")
    ready = ctx.Barrier(jobs) if warm else None
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=ctx, initializer=_init_worker, initargs=(config, os.getpid(), ready)
    )
    if warm:  # one call per worker makes the pool start them all; none runs before all are through the barrier
        wait([pool.submit(os.getpid) for _ in range(jobs)])
    return pool


_CRASHED = "a worker process died while processing it (crash or out of memory) (try a smaller --max-mb, or --jobs 1)"


def _died(source: DocumentSource, why: str = _CRASHED, kind: str = "BrokenProcessPool") -> DocumentResult:
    """The result of a document whose processing was lost (not cached: a re-run tries it again)."""
    return DocumentResult(
        relpath=source.relpath,
        doc_id=source.doc_id,
        kind=kind_of(source.relpath) or "text",
        error={"message": f"{source.name}: {why}", "exit_code": "other_error", "type": kind},
    )


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's workers at once (one of them is stuck); the pool then reports itself broken."""
    for proc in list(getattr(pool, "_processes", {}).values()):
        with contextlib.suppress(OSError):
            proc.kill()


def _run_local(
    sources: Iterable[DocumentSource], config: PipelineConfig, jobs: int, timeout: float | None = None
) -> Iterator[DocumentResult]:
    """The local backend (see the module docstring); ``timeout`` seconds per document, ``None`` for no limit.

    A document over the time limit fails; its worker is killed (a stuck regular expression cannot be
    interrupted otherwise), and the documents the other workers had in hand are retried without blame.
    """
    if jobs <= 1 and not timeout:
        for source in sources:
            yield process_document(source, config)
        return
    it = iter(sources)
    retry: list[DocumentSource] = []
    strikes: dict[str, int] = {}
    window = jobs * 4
    while True:
        pool = _pool(jobs, config, warm=bool(timeout))
        pending: dict[Future[DocumentResult], DocumentSource] = {}
        started: dict[Future[DocumentResult], float] = {}
        broken = forgive = False
        try:
            while True:
                inflight = sum(len(s.data) for s in pending.values())
                while not broken and len(pending) < window and inflight < _INFLIGHT_BYTES:
                    nxt = retry.pop() if retry else next(it, None)
                    if nxt is None:
                        break
                    try:
                        pending[pool.submit(process_document, nxt, config)] = nxt
                    except BrokenProcessPool:
                        retry.append(nxt)
                        broken = True
                        break
                    inflight += len(nxt.data)
                if not pending:
                    break
                done, _ = wait(pending, timeout=1.0 if timeout else None, return_when=FIRST_COMPLETED)
                if timeout and not broken:
                    now = time.monotonic()
                    for fut in pending:
                        if fut not in started and fut.running():
                            started[fut] = now
                    overdue = [f for f in pending if f not in done and f in started and now - started[f] > timeout]
                    if overdue:  # only the longest-running one: another may merely have queued behind it
                        stuck = min(overdue, key=started.__getitem__)
                        yield _died(pending.pop(stuck), f"timed out after {timeout:g} s (raise --timeout)", "Timeout")
                        _kill_workers(pool)
                        broken = forgive = True
                for fut in done:
                    source = pending.pop(fut)
                    try:
                        yield fut.result()
                    except BrokenProcessPool:
                        broken = True
                        if not forgive:
                            strikes[source.relpath] = strikes.get(source.relpath, 0) + 1
                        if strikes.get(source.relpath, 0) >= 2:
                            yield _died(source)
                        else:
                            retry.append(source)
                if broken and not pending:
                    break
        finally:
            pool.shutdown(wait=not broken, cancel_futures=True)
        if not broken:
            return
        if not retry:  # start new workers only if there is work left
            nxt = next(it, None)
            if nxt is None:
                return
            retry.append(nxt)
        else:
            log.warning("worker processes stopped; starting new ones and retrying %d document(s)", len(retry))


def _batches(sources: Iterable[DocumentSource], size: int) -> Iterator[list[DocumentSource]]:
    it = iter(sources)
    while True:
        batch: list[DocumentSource] = []
        total = 0
        for source in itertools.islice(it, size):
            batch.append(source)
            total += len(source.data)
            if total > _INFLIGHT_BYTES // 4:
                break
        if not batch:
            return
        yield batch


def _dask_compute_options(scheduler: str | None, jobs: int, config: PipelineConfig, stack: list[Any]) -> dict[str, Any]:
    """Keyword arguments for ``bag.compute``; clients/pools to close go on ``stack``."""
    name = scheduler or "processes"
    if name == "processes":
        pool = _pool(max(jobs, 1), config)
        stack.append(pool.shutdown)
        return {"scheduler": "processes", "pool": pool}
    if name in ("threads", "synchronous"):
        return {"scheduler": name, "num_workers": max(jobs, 1)}
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise MissingDependencyError("dask.distributed is not installed", remedy="pip install 'mrtext[dask]'") from exc
    if name == "local":
        cluster = LocalCluster(n_workers=max(jobs, 1), threads_per_worker=1, dashboard_address=None)
        stack.append(cluster.close)
        client = Client(cluster)
    elif "://" in name:
        try:
            client = Client(name, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise MrtextError(
                f"cannot reach the dask scheduler at {name}: {exc}",
                remedy="check the address, and that 'dask scheduler' is running there",
            ) from exc
    else:
        raise BadArgumentsError(
            f"unknown dask scheduler {name!r}",
            remedy=f"use one of {', '.join(DASK_SCHEDULERS)} or an address like tcp://host:8786",
        )
    stack.append(client.close)
    return {"scheduler": client.get}


def _run_dask(
    sources: Iterable[DocumentSource], config: PipelineConfig, jobs: int, scheduler: str | None
) -> Iterator[DocumentResult]:
    try:
        import dask.bag as db
    except ImportError as exc:
        raise MissingDependencyError("dask is not installed", remedy="pip install 'mrtext[dask]'") from exc
    closers: list[Any] = []
    try:
        options = _dask_compute_options(scheduler, jobs, config, closers)
        for batch in _batches(sources, max(16 * jobs, 32)):
            bag = db.from_sequence(batch, npartitions=min(len(batch), 4 * max(jobs, 1)))
            try:
                results = bag.map(process_document, config).compute(**options)
            except Exception as exc:  # an infrastructure failure (lost workers): fail the batch, not the run
                log.error("a dask batch of %d document(s) failed: %s: %s", len(batch), type(exc).__name__, exc)
                results = [
                    _died(source, f"lost with its dask batch ({type(exc).__name__})", "DaskError") for source in batch
                ]
            yield from results
    finally:
        for close in reversed(closers):
            close()


def run_backend(
    backend: str,
    sources: Iterable[DocumentSource],
    config: PipelineConfig,
    *,
    jobs: int = 1,
    scheduler: str | None = None,
    timeout: float | None = None,
) -> Iterator[DocumentResult]:
    """Process ``sources`` on ``backend`` (``local`` or ``dask``), yielding results as they finish.

    >>> srcs = [DocumentSource(relpath=f"{i}.txt", doc_id=str(i), data=b"") for i in range(3)]
    >>> [r.error["exit_code"] for r in run_backend("dask", srcs, PipelineConfig(), scheduler="synchronous")]
    ['input_file', 'input_file', 'input_file']
    """
    if backend == "local":
        if scheduler:
            raise BadArgumentsError("--scheduler needs --backend dask", remedy="add --backend dask")
        return _run_local(sources, config, jobs, timeout)
    if backend == "dask":
        if timeout:
            raise BadArgumentsError(
                "--timeout works with the local backend only",
                remedy="set a time limit on the dask cluster's side, or use --backend local",
            )
        return _run_dask(sources, config, jobs, scheduler)
    raise BadArgumentsError(f"unknown backend {backend!r}", remedy=f"use one of {', '.join(BACKENDS)}")
