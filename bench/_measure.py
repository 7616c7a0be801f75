"""Shared benchmark helpers: run a command, sample the peak RSS of its whole process tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import psutil


def folder_bytes(folder: Path) -> int:
    """Bytes allocated on disk by the files of ``folder`` (DuckDB's temp files can be sparse)."""
    total = 0
    try:
        for entry in os.scandir(folder):
            try:
                if entry.is_file(follow_symlinks=False):
                    total += entry.stat(follow_symlinks=False).st_blocks * 512
                elif entry.is_dir(follow_symlinks=False):
                    total += folder_bytes(Path(entry.path))
            except FileNotFoundError:
                pass
    except FileNotFoundError:
        pass
    return total


def run_measured(cmd: list[str], env=None, spill: Path | None = None, on_sample=None,
                 timeout: float | None = None) -> dict:
    """Run ``cmd``; return seconds, peak RSS (MB) summed over the process tree, exit code, and
    ``tree_cpu_seconds``: user + system CPU of every process seen in the tree (sampled every
    0.1 s, so a process's last fraction of a second may be missed). ``getrusage`` of the children
    misses processes the command does not wait for itself, such as the JVM pyspark starts.
    With ``spill`` (a spill folder): also its peak size and the least free disk there
    (``peak_spill_mb``, ``min_free_disk_gb``); ``on_sample(seconds, rss, spill, free)`` is called
    at each sample. Past ``timeout`` seconds the process tree is killed (``timed_out``)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = peak_spill = 0
    free_min = None
    cpu: dict[int, float] = {}
    stop, timed_out = threading.Event(), threading.Event()
    disk = spill
    while disk is not None and not disk.exists() and disk != disk.parent:  # where the folder will be
        disk = disk.parent

    def sample():
        nonlocal peak, peak_spill, free_min
        parent = psutil.Process(proc.pid)
        while not stop.is_set():
            rss = 0
            try:
                procs = [parent] + parent.children(recursive=True)
                rss = sum(p.memory_info().rss for p in procs if p.is_running())
                peak = max(peak, rss)
                for p in procs:
                    times = p.cpu_times()
                    cpu[p.pid] = max(cpu.get(p.pid, 0.0), times.user + times.system)
            except psutil.Error:
                pass
            if disk is not None:
                used, free = folder_bytes(spill), shutil.disk_usage(disk).free
                peak_spill = max(peak_spill, used)
                free_min = free if free_min is None else min(free_min, free)
                if on_sample:
                    on_sample(time.perf_counter() - started, rss, used, free)
            if timeout and time.perf_counter() - started > timeout and not timed_out.is_set():
                timed_out.set()
                try:
                    for p in [parent] + parent.children(recursive=True):
                        p.kill()
                except psutil.Error:
                    pass
            time.sleep(0.1 if disk is None else 0.2)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    out, err = proc.communicate()
    stop.set()
    thread.join()
    result = {"seconds": time.perf_counter() - started, "peak_rss_mb": peak / 1e6, "rc": proc.returncode,
              "stdout": out, "stderr": err, "tree_cpu_seconds": sum(cpu.values()), "timed_out": timed_out.is_set()}
    if disk is not None:
        result.update(peak_spill_mb=peak_spill / 1e6, min_free_disk_gb=(free_min or 0) / 1e9)
    return result


def timed(func, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    value = func(*args, **kwargs)
    return time.perf_counter() - started, value
