"""The dashboard as a WSGI application (stdlib only) and a small threaded server for it.

Routes (all GET/HEAD, read-only):

- ``/`` the dashboard page; ``/static/dashboard.js``, ``/static/dashboard.css`` (served from the
  package, so it works offline: no CDN, no external font)
- ``/api/lake``, ``/api/options``, ``/api/landscapes``
- ``/api/compare``, ``/api/sensitivity``, ``/api/timeseries`` (query: the ``patentq compare`` options)
- ``/api/charts`` the chart names for a query; ``/api/chart/<name>`` one SVG chart of the HTML report for the same query
- ``/api/export/<table>.csv`` one table behind the report as CSV (``comparison``, ``time_series``, ...)
- ``/api/family/<publication number>``

Errors are JSON ``{"error", "hint"}``: a ``PatentqError`` (a bad parameter, a missing table) is
400, an unknown route 404, an unexpected exception 500 with no traceback (that goes to the
server log). Being WSGI, the app can also run under any WSGI server.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socketserver
import sys
import traceback
from importlib import resources
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from ..errors import PatentqError
from .api import Api, HttpError, jsonable

log = logging.getLogger("patentq.web")

STATIC = {"index.html": "text/html; charset=utf-8", "dashboard.js": "text/javascript; charset=utf-8",
          "dashboard.css": "text/css; charset=utf-8"}
#: The page loads only its own files and talks only to its own server.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 413: "Content Too Large",
           414: "URI Too Long", 500: "Internal Server Error", 503: "Service Unavailable"}
#: Request limits: the API takes no body, and no URL it serves needs more than a few hundred bytes.
MAX_URL = 4096
MAX_BODY = 0
#: A client that sends nothing for this long is dropped (it would hold a thread).
SOCKET_TIMEOUT = 20.0
#: Connections the kernel queues before the server accepts them (the stdlib default is 5).
BACKLOG = 128


def _host_name(header: str) -> str:
    """``127.0.0.1:8765`` → ``127.0.0.1``; ``[::1]:8765`` → ``::1``."""
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def loopback_hosts(host: str) -> set[str] | None:
    """The Host names to accept when listening on ``host``: loopback names only, or None (any)."""
    try:
        loop = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loop = False
    return {host, "localhost", "127.0.0.1", "::1"} if loop else None


def _static(name: str) -> bytes:
    return resources.files("patentq.web").joinpath("static", name).read_bytes()


class App:
    """``App(lake_path)`` is a WSGI callable serving one lake. ``workers`` computations run at
    once, in processes (``processes=True``, what ``patentq serve`` uses) or threads; a request
    waits at most ``time_limit`` seconds for one (then 503, and the answer is cached when ready)."""

    def __init__(self, session_or_path, cache_size: int = 64, allowed_hosts: set[str] | None = None,
                 workers: int = 2, processes: bool = False, time_limit: float = 120.0, max_pending: int = 16):
        self.api = Api(session_or_path, cache_size=cache_size, workers=workers, processes=processes,
                       time_limit=time_limit, max_pending=max_pending)
        self.static = {name: _static(name) for name in STATIC}  # read once: a static answer never waits
        #: Host names the ``Host`` header may carry (None = any). On a loopback address this stops
        #: DNS rebinding: a web page elsewhere cannot make the browser read this lake's figures.
        self.allowed_hosts = allowed_hosts

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET")
        # PEP 3333: PATH_INFO arrives percent-decoded as latin-1; publication numbers may be UTF-8
        path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
        query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        host = _host_name(environ.get("HTTP_HOST", ""))
        extra = []
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            status, ctype, body = self._error(400, f"unexpected Host {host!r}",
                                              "open the dashboard by the address patentq serve printed")
        elif len(environ.get("PATH_INFO", "")) + len(environ.get("QUERY_STRING", "")) > MAX_URL:
            status, ctype, body = self._error(414, f"the URL is longer than {MAX_URL:,} bytes",
                                              "send only the parameters the API knows")
        elif length > MAX_BODY or length < 0:
            status, ctype, body = self._error(413, "the API takes no request body", "send a GET without a body")
        elif method not in ("GET", "HEAD"):
            status, ctype, body = self._error(405, f"{method} is not allowed", "the API is read-only: use GET")
            extra = [("Allow", "GET, HEAD")]
        else:
            status, ctype, body, extra = self._dispatch(path, query)
        headers = [("Content-Type", ctype), ("Content-Length", str(len(body))), ("Cache-Control", "no-store"),
                   ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer")] + extra
        if ctype.startswith("text/html"):
            headers.append(("Content-Security-Policy", CSP))
        try:
            headers.append(("X-Patentq-Lake", self.api.manifest_hash()))
        except PatentqError:
            pass
        start_response(f"{status} {REASONS.get(status, '')}", headers)
        return [b"" if method == "HEAD" else body]

    # --- routing -----------------------------------------------------------------------------
    def _dispatch(self, path: str, query: dict):
        """(status, content type, body, extra headers)."""
        try:
            return (*self._route(path, query), [])
        except HttpError as exc:
            extra = [("Retry-After", str(exc.retry_after))] if exc.retry_after else []
            return (*self._error(exc.status, exc.error, exc.hint), extra)
        except PatentqError as exc:
            return (*self._error(400, exc.args[0] if exc.args else str(exc), exc.hint), [])
        except Exception as exc:  # a bug: log it here, never send a traceback to the client
            log.error("internal error on %s: %s", path, "".join(traceback.format_exception(exc)))
            return (*self._error(500, f"internal error ({type(exc).__name__})",
                                 "this is a bug in patentq; the traceback is in the server log"), [])

    def _route(self, path: str, query: dict):
        api = self.api
        if path in ("/", "/index.html"):
            return 200, STATIC["index.html"], self.static["index.html"]
        if path.startswith("/static/"):
            name = path[len("/static/"):]
            if name not in STATIC or name == "index.html":
                raise HttpError(404, f"no static file {name!r}", "the dashboard serves only its own files")
            return 200, STATIC[name], self.static[name]
        simple = {"/api/lake": api.lake_info, "/api/options": api.options, "/api/landscapes": api.landscapes}
        if path in simple:
            if query:
                raise HttpError(400, f"{path} takes no parameters", f"call {path} without a query string")
            return self._json(simple[path]())
        with_query = {"/api/compare": api.compare, "/api/sensitivity": api.sensitivity,
                      "/api/timeseries": api.timeseries, "/api/charts": api.charts, "/api/families": api.families,
                      "/api/profile": api.profile}
        if path in with_query:
            return self._json(with_query[path](query))
        if path.startswith("/api/chart/") and len(path) > len("/api/chart/"):
            svg = api.chart(path[len("/api/chart/"):], query)
            return 200, "image/svg+xml; charset=utf-8", svg.encode("utf-8")
        if path.startswith("/api/export/") and path.endswith(".csv"):
            return 200, "text/csv; charset=utf-8", api.export_csv(path[len("/api/export/"):-len(".csv")], query)
        if path.startswith("/api/family/") and path[len("/api/family/"):].strip("/ "):
            if query:
                raise HttpError(400, "/api/family/<number> takes no parameters", "call it without a query string")
            return self._json(api.family(path[len("/api/family/"):].strip("/ ")))
        raise HttpError(404, f"no route {path}",
                        "routes: /, /api/lake, /api/options, /api/landscapes, /api/compare, /api/sensitivity, "
                        "/api/timeseries, /api/families, /api/profile, /api/charts, /api/chart/<name>, /api/export/<table>.csv, /api/family/<publication number>")

    @staticmethod
    def _json(data, status: int = 200):
        body = json.dumps(jsonable(data), default=str, ensure_ascii=False, allow_nan=False)
        return status, "application/json; charset=utf-8", body.encode("utf-8")

    def _error(self, status: int, error: str, hint: str | None):
        return self._json({"error": error, "hint": hint}, status)


class ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    """One thread per connection: a thread only parses, answers from memory or waits for the
    compute pool, so a long comparison never blocks the page's other requests."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = BACKLOG

    def server_close(self):
        super().server_close()
        app = self.get_app()
        if app is not None and hasattr(app, "api"):
            app.api.close()


class LogHandler(WSGIRequestHandler):
    #: socket timeout: a client that stalls mid-request is dropped instead of holding a thread
    timeout = SOCKET_TIMEOUT
    quiet = False

    def handle(self):
        try:
            super().handle()
        except TimeoutError:
            self.close_connection = True

    def log_message(self, format, *args):  # noqa: A002
        if not self.quiet:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")


class QuietHandler(LogHandler):
    quiet = True


def make_server(session_or_path, host: str = "127.0.0.1", port: int = 8765, quiet: bool = False,
                workers: int = 2, processes: bool = True, time_limit: float = 120.0) -> ThreadingServer:
    """A server bound to ``host:port`` (port 0 = an ephemeral port: read ``server.server_port``)
    for a ``Session`` or a lake path; comparisons run in ``workers`` processes (or threads)."""
    server = ThreadingServer((host, port), QuietHandler if quiet else LogHandler)  # bound before any worker starts
    try:
        server.set_app(App(session_or_path, allowed_hosts=loopback_hosts(host), workers=workers, processes=processes,
                           time_limit=time_limit))
    except BaseException:
        server.server_close()
        raise
    return server
