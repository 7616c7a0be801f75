"""Ingest: run a source adapter over input files and commit the result to the lake atomically.

All files of one call form one transaction: if any file cannot be read at all, nothing is
committed. Files already in the lake (same sha256 and format) are skipped, so re-ingesting is
idempotent. Adapters marked ``PARALLEL`` run one process per file on all cores; the worker
processes die with the ingest that started them (``_die_with_parent``), so a killed ingest
leaves no worker writing into a staging folder the next writer cleans up. What an input may
expand to is bounded by ``limits`` (``sources/limits.py``).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import shutil

from .errors import BadInputError
from .lake import MANIFEST, Lake, default_lake_path, sha256_of
from .sources import get_adapter
from .sources.base import Sink
from .sources.limits import Limits


@dataclass
class IngestResult:
    lake: Lake
    format: str
    files: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    #: Files found in a folder that are not of this format: ``{"file", "reason"}`` (not ingested).
    refused: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rows_written(self) -> dict[str, int]:
        total: dict[str, int] = {}
        for entry in self.files:
            for table, rows in entry["rows_written"].items():
                total[table] = total.get(table, 0) + rows
        return total

    @property
    def rejected(self) -> int:
        return sum(e["rejected"] for e in self.files)


def expand_paths(paths, adapter=None) -> list[Path]:
    """The files to ingest. A folder given for a format that reads files (not PatentsView or
    PATSTAT, which read a folder of tables) stands for the files inside it, at any depth, whose
    names end as the adapter's ``SUFFIXES`` say (sorted, so the order is reproducible). Files
    found in a folder are marked (``FoundInFolder``): one that turns out not to be of the format
    is refused on its own, with its reason, instead of failing the whole call."""
    out: list[Path] = []
    suffixes = tuple(getattr(adapter, "SUFFIXES", ()))
    for p in paths:
        p = Path(p)
        if not p.exists():
            raise BadInputError(f"{p}: no such file or folder", hint="check the path")
        if p.is_dir() and suffixes and not getattr(adapter, "TAKES_FOLDERS", False):
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.name.lower().endswith(suffixes)
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            if not found:
                raise BadInputError(f"{p}: a folder with no {' / '.join(suffixes)} files in it",
                                    hint="pass the export files, or the folder that holds them")
            out.extend(FoundInFolder(f) for f in found)
        else:
            out.append(p)
    return out


class FoundInFolder(type(Path())):  # type: ignore[misc]
    """A path ``expand_paths`` found inside a folder the user gave (not named by the user)."""


def _fingerprint(path: Path) -> tuple[str, int]:
    if path.is_dir():
        import hashlib

        digest = hashlib.sha256()
        size = 0
        for f in sorted(x for x in path.rglob("*") if x.is_file()):
            digest.update(f.relative_to(path).as_posix().encode())
            digest.update(sha256_of(f).encode())
            size += f.stat().st_size
        return digest.hexdigest(), size
    return sha256_of(path), path.stat().st_size


def _run_one(fmt: str, staging: str, prefix: str, path: str, sha: str, size: int, tolerate: bool = False,
             limits: Limits | None = None) -> dict:
    """Ingest one file into staging; runs in the parent or a worker process. ``tolerate``: a
    file found in a folder that cannot be read as this format comes back as ``{"refused"}``."""
    adapter = get_adapter(fmt)
    sink = Sink(Path(staging), prefix, Path(path), fmt, limits)
    try:
        adapter.ingest(Path(path), sink)
    except BadInputError as exc:
        if not tolerate:
            raise
        return {"refused": path, "reason": str(exc).splitlines()[0], "sha256": sha}
    finally:
        sink.close()
    return sink.manifest_entry(sha, size)


def _die_with_parent(parent: int) -> None:
    """Worker initializer: end this process when the ingest that started it ends, however it
    ends (``kill -9`` included). Linux signals the worker at once (``PR_SET_PDEATHSIG``); a
    watcher thread checks the parent every second everywhere else."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)

    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="patentq-parent-watch", daemon=True).start()


def ingest(fmt: str, paths, lake_path=None, progress: Callable[[str, int, int], None] | None = None,
           workers: int | None = None, wait: float | None = None, synthetic: bool = False,
           limits: Limits | None = None) -> IngestResult:
    """Ingest ``paths`` of format ``fmt`` into the lake at ``lake_path`` (created if absent);
    ``limits`` bounds decompression and record sizes (``sources/limits.py``)."""
    adapter = get_adapter(fmt)
    files = expand_paths(paths, adapter)
    started = time.perf_counter()
    created = not (default_lake_path(lake_path) / MANIFEST).exists()
    lake = Lake.create(lake_path)
    try:
        return _ingest_into(lake, adapter, fmt, files, progress, workers, started, wait, synthetic, limits)
    except BaseException:
        if created:  # leave no half-made lake behind where there was none
            shutil.rmtree(lake.path, ignore_errors=True)
        raise


def _ingest_into(lake, adapter, fmt, files, progress, workers, started, wait, synthetic, limits) -> IngestResult:
    result = IngestResult(lake, fmt)
    fingerprints = [(path, *_fingerprint(path)) for path in files]
    with lake.transaction(wait) as txn:  # the lake as committed when our turn came
        todo = []
        seen = set()
        for path, sha, size in fingerprints:
            if lake.has_input(sha, fmt) or (sha, fmt) in seen:
                result.skipped.append(str(path))
                continue
            seen.add((sha, fmt))
            todo.append((path, sha, size))
        total_bytes = sum(s for _, _, s in todo) or 1
        done_bytes = 0
        jobs = [(fmt, str(txn.staging), f"{txn.id}-{i:04d}", str(p), sha, size, isinstance(p, FoundInFolder), limits)
                for i, (p, sha, size) in enumerate(todo)]
        parallel = getattr(adapter, "PARALLEL", False) and len(jobs) > 1
        n_workers = min(workers or os.cpu_count() or 1, len(jobs)) if parallel else 1
        if n_workers > 1:
            # spawn, not fork: the parent may hold DuckDB or JVM threads that a forked child inherits broken
            with ProcessPoolExecutor(n_workers, mp_context=multiprocessing.get_context("spawn"),
                                     initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
                for job, entry in zip(jobs, pool.map(_run_one, *zip(*jobs))):
                    result.files.append(entry)
                    done_bytes += job[5]
                    if progress:
                        progress(job[3], done_bytes, total_bytes)
        else:
            for job in jobs:
                result.files.append(_run_one(*job))
                done_bytes += job[5]
                if progress:
                    progress(job[3], done_bytes, total_bytes)
        result.refused = [{"file": e["refused"], "reason": e["reason"], "sha256": e["sha256"]}
                          for e in result.files if "refused" in e]
        result.files = [e for e in result.files if "refused" not in e]
        if synthetic:
            for entry in result.files:
                entry["synthetic"] = True
        txn.inputs.extend(result.files)
        txn.refused.extend(result.refused)
    result.seconds = time.perf_counter() - started
    return result
