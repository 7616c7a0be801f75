"""Shared by the web tests: a small synthetic demo lake and a dashboard server on 127.0.0.1."""

from __future__ import annotations

import http.client
import json
import threading
from contextlib import contextmanager

from patentq.synthetic.demo.pipeline import run_demo
from patentq.web import make_server


def build_demo_lake(folder):
    """The demo's pipeline on 500 families (seed 3): a lake with landscape genai and indicators."""
    return run_demo(folder, 500, 3, report=False, replicates=50, sensitivity=False).lake


@contextmanager
def running(lake):
    """A dashboard server on an ephemeral 127.0.0.1 port, in a thread; yields its base URL."""
    server = make_server(lake, "127.0.0.1", 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def get(base: str, path: str, method: str = "GET", headers: dict | None = None):
    """(status, headers, body bytes) without any proxy: a direct connection to the test server."""
    host, port = base.removeprefix("http://").split(":")
    con = http.client.HTTPConnection(host, int(port), timeout=120)
    try:
        con.request(method, path, headers=headers or {})
        res = con.getresponse()
        return res.status, {k.lower(): v for k, v in res.getheaders()}, res.read()
    finally:
        con.close()


def get_json(base: str, path: str, expect: int = 200):
    status, headers, body = get(base, path)
    assert status == expect, (path, status, body[:500])
    assert headers["content-type"] == "application/json; charset=utf-8"
    return json.loads(body)


def as_json(data):
    """What ``patentq ... --json`` prints, read back: dates as strings, tuples as lists, NaN as null."""
    return json.loads(json.dumps(data, default=str), parse_constant=lambda _: None)


def same(got, want, rel: float = 1e-9) -> bool:
    """Equal, floats within ``rel``: DuckDB sums floats in parallel, so the last bits of a sum
    can differ between two runs of the same query."""
    if isinstance(want, float) and isinstance(got, (int, float)):
        return abs(got - want) <= rel * max(abs(got), abs(want), 1e-300)
    if isinstance(want, dict) and isinstance(got, dict):
        return got.keys() == want.keys() and all(same(got[k], want[k], rel) for k in want)
    if isinstance(want, list) and isinstance(got, list):
        return len(got) == len(want) and all(same(g, w, rel) for g, w in zip(got, want))
    return got == want
