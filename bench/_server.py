"""Shared by bench/serve.py and bench/dashboard.py: a demo lake, `patentq serve` in a child
process, and timed GETs."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def demo_lake(workdir: Path, families: int, seed: int = 2024) -> Path:
    """``patentq demo`` at ``families`` under ``workdir`` (kept between runs)."""
    out = workdir / f"demo-{families}-{seed}"
    if not (out / "lake" / "manifest.json").exists():
        print(f"building the {families:,}-family demo lake in {out} ...", file=sys.stderr, flush=True)
        code = ("from patentq.synthetic.demo.pipeline import run_demo; "
                f"run_demo({str(out)!r}, {families}, {seed}, report=False, replicates=0, sensitivity=False)")
        subprocess.run([sys.executable, "-c", code], check=True, env=_env())
    return out / "lake"


def _env() -> dict:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


@contextmanager
def serving(lake: Path, workers: int = 2):
    """``patentq serve --port 0`` in a child process; yields ``(host, port)``."""
    proc = subprocess.Popen([sys.executable, "-m", "patentq", "serve", "--lake", str(lake), "--port", "0", "--quiet",
                             "--workers", str(workers)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=_env())
    try:
        proc.stdout.readline()
        url = proc.stdout.readline().split()[0]
        host, port = url.removeprefix("http://").rstrip("/").split(":")
        yield host, int(port)
    finally:
        proc.send_signal(2)
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def timed_get(host: str, port: int, path: str, timeout: float = 600) -> tuple[int, float]:
    """(status, seconds) of one GET on a fresh connection."""
    started = time.perf_counter()
    con = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        con.request("GET", path)
        res = con.getresponse()
        res.read()
        return res.status, time.perf_counter() - started
    finally:
        con.close()


def wait_ready(host: str, port: int, path: str = "/api/compare?replicates=0&top=1", tries: int = 600) -> float:
    """Until the worker processes answer (their first computation opens the lake)."""
    started = time.perf_counter()
    for _ in range(tries):
        status, _ = timed_get(host, port, path)
        if status == 200:
            return time.perf_counter() - started
        time.sleep(0.5)
    raise RuntimeError("the server never answered")


def quantiles(values: list[float]) -> dict:
    import numpy as np

    if not values:
        return {"n": 0}
    a = np.array(values) * 1000
    return {"n": len(values), "p50_ms": round(float(np.percentile(a, 50)), 1),
            "p99_ms": round(float(np.percentile(a, 99)), 1), "max_ms": round(float(a.max()), 1)}
