"""Computations off the request threads: a bounded pool, one computation per parameter set, a
time limit per request.

Comparisons run in worker *processes* (``processes=True``, what ``patentq serve`` uses): DuckDB
releases Python's GIL but the bootstrap's bookkeeping and the row building do not, and a server
thread waiting for the GIL behind two busy computations answers a static file in tens of
milliseconds instead of one. Each worker opens the lake once (read-only use: the server builds
what is missing before it listens) and follows its manifest. With ``processes=False`` the same
pool runs threads on forked cursors of the serving session (embedding, tests).

A request asks for a key; if the key is being computed it waits for that same computation (no
duplicate work), else it queues one unless ``max_pending`` computations are already queued
(503, try again). A request waits at most ``time_limit`` seconds (503 with ``Retry-After``); the
computation goes on and its answer is cached for the next request.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import threading
from typing import Callable

from ..errors import PatentqError

_WORKER: dict = {}


class Busy(Exception):
    """Too many computations queued, or a request waited past its time limit (HTTP 503)."""

    def __init__(self, error: str, hint: str, retry_after: int = 5):
        super().__init__(error)
        self.error, self.hint, self.retry_after = error, hint, retry_after


#: Worker processes run at a lower CPU priority: on a small machine the request threads (static
#: files, cached answers) get the cores first and a computation takes what is left.
WORKER_NICE = 10


def _worker_init(path: str, engine: str, build: bool, settings: dict) -> None:
    import os

    from ..session import Session

    try:
        os.nice(WORKER_NICE)
    except (AttributeError, OSError):  # not on this platform, or not allowed: same priority
        pass
    _WORKER["session"] = Session.open(path, engine, build=build, **settings)


def _worker_session():
    session = _WORKER["session"]
    session.lake.reload()
    session.sync()
    return session


def _warm() -> bool:
    """Import what a comparison needs and open the lake before the first request asks."""
    import patentq.compare  # noqa: F401
    import patentq.report.html  # noqa: F401

    return _worker_session() is not None


def run_in_worker(task: str, *args):
    """A task in a worker process: ``compare`` or ``families`` on the worker's session."""
    from .. import compare as cmp

    session = _worker_session()
    if task == "compare":
        conv, sensitivity = args
        return cmp.compare(session, conv, sensitivity=sensitivity, extras=not sensitivity)
    conv, group, measure, limit = args
    return cmp.families_of(session, conv, group, measure, limit)


class Computer:
    """The pool and the computations in flight, per key."""

    def __init__(self, session, workers: int = 2, processes: bool = True, time_limit: float = 120.0,
                 max_pending: int = 16):
        self.session, self.time_limit, self.max_pending = session, time_limit, max_pending
        self.processes, self.workers = processes, workers
        self.pool = self._new_pool()
        self._lock = threading.Lock()
        self._inflight: dict = {}

    def _new_pool(self):
        if not self.processes:
            return cf.ThreadPoolExecutor(self.workers, thread_name_prefix="patentq-compute")
        session = self.session
        ctx = multiprocessing.get_context("spawn")  # never fork a process that holds DuckDB threads
        pool = cf.ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_worker_init,
                                      initargs=(str(session.lake.path), session.engine_name, session.build,
                                                dict(session.settings)))
        for _ in range(self.workers):
            pool.submit(_warm)
        return pool

    def run(self, key, thread_task: Callable, *process_args, on_done: Callable | None = None):
        """The answer for ``key``: joined if in flight, else computed by ``thread_task()`` (a
        thread pool) or ``run_in_worker(*process_args)`` (processes)."""
        with self._lock:
            future = self._inflight.get(key)
            if future is None:
                if len(self._inflight) >= self.max_pending:
                    raise Busy(f"{len(self._inflight)} computations are queued", "try again in a few seconds")
                try:
                    future = (self.pool.submit(run_in_worker, *process_args) if self.processes
                              else self.pool.submit(thread_task))
                except cf.process.BrokenProcessPool:  # a worker died: start a new pool, once
                    self.pool = self._new_pool()
                    future = self.pool.submit(run_in_worker, *process_args)
                self._inflight[key] = future
                future.add_done_callback(lambda f, k=key: self._finish(k, f, on_done))
        try:
            return future.result(timeout=self.time_limit)
        except cf.TimeoutError:
            raise Busy(f"still computing after {self.time_limit:.0f} s",
                       "the answer will be cached when it is ready: reload in a moment",
                       retry_after=max(1, int(self.time_limit / 4))) from None
        except cf.process.BrokenProcessPool:
            raise PatentqError("a computation's worker process died (out of memory?)") from None

    def _finish(self, key, future, on_done) -> None:
        if on_done is not None and not future.cancelled() and future.exception() is None:
            on_done(future.result())  # cached before it leaves the in-flight table: never computed twice
        with self._lock:
            self._inflight.pop(key, None)

    def pending(self) -> int:
        with self._lock:
            return len(self._inflight)

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
