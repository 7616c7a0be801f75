"""Shared benchmark helpers: run a command, sample the peak RSS of its whole process tree."""

from __future__ import annotations

import subprocess
import threading
import time

import psutil


def run_measured(cmd: list[str], env=None) -> dict:
    """Run ``cmd``; return seconds, peak RSS (MB) summed over the process tree, exit code, and
    ``tree_cpu_seconds``: user + system CPU of every process seen in the tree (sampled every
    0.1 s, so a process's last fraction of a second may be missed). ``getrusage`` of the children
    misses processes the command does not wait for itself, such as the JVM pyspark starts."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    cpu: dict[int, float] = {}
    stop = threading.Event()

    def sample():
        nonlocal peak
        parent = psutil.Process(proc.pid)
        while not stop.is_set():
            try:
                procs = [parent] + parent.children(recursive=True)
                peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()))
                for p in procs:
                    times = p.cpu_times()
                    cpu[p.pid] = max(cpu.get(p.pid, 0.0), times.user + times.system)
            except psutil.Error:
                pass
            time.sleep(0.1)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    out, err = proc.communicate()
    stop.set()
    thread.join()
    return {"seconds": time.perf_counter() - started, "peak_rss_mb": peak / 1e6, "rc": proc.returncode,
            "stdout": out, "stderr": err, "tree_cpu_seconds": sum(cpu.values())}


def timed(func, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    value = func(*args, **kwargs)
    return time.perf_counter() - started, value
