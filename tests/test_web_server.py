"""The dashboard server under load and abuse (issue 17, F3/F14): a computation never stalls
static files, the lake's metadata or cached answers; a request waits at most its time limit; the
pool is bounded; slow clients are dropped; oversized requests and out-of-domain parameters are
refused. No timing assertion: a blocked computation (an Event) shows what waits on what."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest

import patentq.web.api as api_module
from patentq import open_lake
from patentq.compare import Conventions, families_of
from patentq.web import app as app_module
from patentq.web.app import BACKLOG, App, ThreadingServer
from web_helpers import as_json, build_demo_lake, get, get_json, running, same


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    return build_demo_lake(tmp_path_factory.mktemp("srv"))


@pytest.fixture
def blocked(monkeypatch):
    """``compare`` that waits for ``release`` (the gate) before computing."""
    gate, started = threading.Event(), []
    real = api_module.compare

    def slow(*args, **kwargs):
        started.append(args[1])
        assert gate.wait(60), "the test never released the computation"
        return real(*args, **kwargs)

    monkeypatch.setattr(api_module, "compare", slow)
    yield gate, started
    gate.set()


def serve(app):
    server = ThreadingServer(("127.0.0.1", 0), app_module.QuietHandler)
    server.set_app(app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_port}"


def in_thread(base, path, out):
    thread = threading.Thread(target=lambda: out.append(get(base, path)), daemon=True)
    thread.start()
    return thread


def test_static_metadata_and_cached_answers_never_wait_for_a_computation(lake, blocked):
    gate, started = blocked
    app = App(lake, workers=2, processes=False)
    server, base = serve(app)
    try:
        gate.set()
        assert get(base, "/api/compare?landscape=genai&replicates=10")[0] == 200  # cached from now on
        gate.clear()
        answers: list = []
        slow = [in_thread(base, f"/api/compare?landscape=genai&replicates=10&seed={s}", answers) for s in (1, 2, 3)]
        while len(started) < 3:  # the first call, then two computing (one queued): blocked on the gate
            time.sleep(0.05)
        for path in ("/static/dashboard.js", "/", "/api/lake", "/api/options", "/api/landscapes",
                     "/api/compare?landscape=genai&replicates=10", "/api/chart/scatter?landscape=genai&replicates=10"):
            status, headers, _ = get(base, path)
            assert status == 200, path
            assert headers["x-patentq-lake"] == open_lake(lake).manifest_hash()
        assert answers == []  # the computations are still blocked: nothing above waited for them
        gate.set()
        for t in slow:
            t.join(60)
        assert [a[0] for a in answers] == [200, 200, 200]
    finally:
        server.shutdown()
        server.server_close()


def test_a_request_waits_at_most_its_time_limit_then_the_answer_is_cached(lake, blocked):
    gate, started = blocked
    app = App(lake, workers=1, processes=False, time_limit=0.5)
    server, base = serve(app)
    try:
        status, headers, body = get(base, "/api/compare?landscape=genai&replicates=10&seed=11")
        assert status == 503 and int(headers["retry-after"]) >= 1 and json.loads(body)["hint"]
        gate.set()
        while app.api.computer.pending():
            time.sleep(0.05)
        assert get(base, "/api/compare?landscape=genai&replicates=10&seed=11")[0] == 200
        assert len(started) == 1  # computed once, served from the cache
    finally:
        server.shutdown()
        server.server_close()


def test_the_pool_is_bounded(lake, blocked):
    gate, started = blocked
    app = App(lake, workers=1, processes=False, time_limit=0.3, max_pending=2)
    server, base = serve(app)
    try:
        for seed in (1, 2):
            assert get(base, f"/api/compare?replicates=5&seed={seed}")[0] == 503  # waited past its limit
        status, _, body = get(base, "/api/compare?replicates=5&seed=3")
        assert status == 503 and "queued" in json.loads(body)["error"]
        assert len(started) == 1  # one computing, one queued, the third refused
    finally:
        gate.set()
        server.shutdown()
        server.server_close()


def test_backlog_socket_timeout_and_request_limits(lake, monkeypatch):
    assert BACKLOG >= 64 and ThreadingServer.request_queue_size >= 64
    monkeypatch.setattr(app_module.LogHandler, "timeout", 1.0)
    with running(lake) as (base, server):
        assert server.request_queue_size >= 64
        port = server.server_port
        slow = socket.create_connection(("127.0.0.1", port))
        slow.sendall(b"GET /api/lake HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and then nothing
        slow.settimeout(30)
        assert slow.recv(100) == b""  # the server dropped the stalled client
        slow.close()
        status, _, body = get(base, "/api/compare?years=" + "1" * 5000)
        assert status == 414 and json.loads(body)["hint"]
        status, _, body = get(base, "/api/lake", headers={"Content-Length": "10"})
        assert status == 413
        assert get(base, "/api/lake")[0] == 200  # and the server is fine


@pytest.mark.parametrize("path, words", [
    ("/api/compare?years=-2016", "bad --years"),
    ("/api/compare?years=1500-1600", "outside 1800-2200"),
    ("/api/compare?top=inf", "not a whole number"),
    ("/api/compare?top=1000000", "out of range"),
    ("/api/compare?replicates=1e9", "not a whole number"),
    ("/api/compare?seed=-1", "out of range"),
    ("/api/compare?seed=99999999999", "out of range"),
    ("/api/compare?min-families=-3", "out of range"),
    ("/api/compare?window=recent", "unknown window"),
    ("/api/compare?unknown=drop", "unknown unknown"),
    ("/api/compare?per=/etc/passwd", "unknown parameter 'per'"),
    ("/api/families?group=CN&limit=0", "out of range"),
    ("/api/families?group=CN&limit=abc", "not a whole number"),
    ("/api/families?landscape=genai", "'group' is missing"),
    ("/api/families?landscape=genai&group=XX", "no group 'XX'"),
    ("/api/families?landscape=genai&group=CN&sort-by=beauty", "unknown sort measure"),
])
def test_out_of_domain_parameters_are_400(lake, path, words):
    with running(lake) as (base, _):
        data = get_json(base, path, expect=400)
        assert words in data["error"] and data["hint"], data


def test_families_and_profile_routes(lake):
    with running(lake) as (base, _):
        data = get_json(base, "/api/families?landscape=genai&group=US&limit=5&replicates=0")
        want = families_of(open_lake(lake), Conventions(landscape="genai", replicates=0), "US", None, 5)
        assert same(data, as_json(want)) and len(data["families"]) == 5
        assert all(f["links"] is None for f in data["families"])  # synthetic lake: no links
        prof = get_json(base, "/api/profile?landscape=genai&replicates=0")["profile"]
        assert prof["measures"]["families"]["status"] == "computed" and prof["cells"]
