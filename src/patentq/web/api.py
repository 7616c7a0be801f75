"""The dashboard's JSON API: read-only views of one lake, computed by the library itself.

Every figure comes from ``patentq.compare.compare`` (numbers), ``patentq.report.html.chart_svgs``
(pictures) and ``patentq.family_report`` (one family), so the dashboard, the CLI and the HTML
report can never disagree. Query parameters are the ``Conventions`` fields spelled like the CLI
options (``by``, ``counting``, ``years``, ``year-basis``, ...; ``compare.conventions``), with the
CLI defaults, so ``/api/compare?...`` returns exactly what ``patentq compare --json`` prints for
the same options.

One session serves the lake; comparisons run in a bounded pool of worker processes (or threads
on forked cursors), never on a request thread (``compute.py``). Results are cached per parameter
set; the cache is dropped when ``manifest.json`` changes (a new ingest or landscape), so a stale
figure is never served.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import astuple
from pathlib import Path

from ..compare import Conventions, compare
from ..compare.conventions import MAX_WEB_REPLICATES, choices, from_query, web_defaults
from ..errors import UsageError
from ..lake import MANIFEST
from ..session import Session
from .compute import Busy, Computer

#: The CLI defaults (``patentq compare``), so the API and the CLI give the same answer.
DEFAULTS = web_defaults()
MAX_REPLICATES = MAX_WEB_REPLICATES


class HttpError(Exception):
    """An error with its own HTTP status (404, 405, 503); ``PatentqError`` is always 400."""

    def __init__(self, status: int, error: str, hint: str | None = None, retry_after: int | None = None):
        super().__init__(error)
        self.status, self.error, self.hint, self.retry_after = status, error, hint, retry_after


def jsonable(value):
    """NaN and infinities become null (JSON has neither); numpy scalars become Python numbers."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def conventions_from(query: dict[str, list[str]]) -> Conventions:
    """URL query (as ``urllib.parse.parse_qs`` gives it) → ``Conventions``, validated like the CLI."""
    return from_query(query)


class Api:
    """The handlers. Thread-safe without holding a lock while computing: the lake state and the
    cache sit behind a short lock; computations run in ``compute.Computer``'s bounded pool, so
    static files, the lake's metadata and cached answers never wait for one."""

    def __init__(self, session_or_path, cache_size: int = 64, workers: int = 2, processes: bool = False,
                 time_limit: float = 120.0, max_pending: int = 16):
        self._session = session_or_path if isinstance(session_or_path, Session) else Session.open(session_or_path)
        self.lake_path = Path(self._session.lake.path)
        self.cache_size = cache_size
        self._lock = threading.Lock()
        self._cache: OrderedDict = OrderedDict()
        self._stamp = self._manifest_stamp()
        self._hash = self._session.lake.manifest_hash()
        self._info: dict | None = None
        self.computer = Computer(self._session, workers=workers, processes=processes, time_limit=time_limit,
                                 max_pending=max_pending)

    # --- the lake ----------------------------------------------------------------------------
    def _manifest_stamp(self):
        try:
            st = (self.lake_path / MANIFEST).stat()
            return (st.st_mtime_ns, st.st_size)
        except OSError:
            return None

    def session(self) -> Session:
        """The serving session, following the lake (cache dropped) when its manifest changed."""
        stamp = self._manifest_stamp()
        if stamp != self._stamp:
            with self._lock:
                if stamp != self._stamp:
                    self._session.lake.reload()
                    self._session.sync()
                    self._stamp, self._info = stamp, None
                    self._hash = self._session.lake.manifest_hash()
                    self._cache.clear()
        return self._session

    def lake(self):
        return self.session().lake

    def manifest_hash(self) -> str:
        """The lake's manifest hash (kept with the manifest's stamp: no lake read per request)."""
        self.session()
        return self._hash

    def lake_info(self) -> dict:
        session = self.session()
        if self._info is None:
            info = session.fork().info()
            info.update(manifest_hash=self.manifest_hash())
            self._info = info
        return self._info

    def options(self) -> dict:
        """The choices the controls offer, from the library's own declarations."""
        from ..compare.drill import SORT_MEASURES

        return {**choices(), "defaults": DEFAULTS, "max_replicates": MAX_REPLICATES, "sort_by": list(SORT_MEASURES)}

    def landscapes(self) -> dict:
        """Landscapes applied in this lake (derived tables ``landscape_<name>``), with their definitions."""
        lake = self.lake()
        derived = lake.manifest.get("derived", {})
        out = []
        for table, meta in sorted(derived.items()):
            if not table.startswith("landscape_") or table.endswith("_categories"):
                continue
            name = table[len("landscape_"):]
            out.append({"name": name, "families": meta.get("rows"), "definition": meta.get("definition"),
                        "version": meta.get("version"), "definition_hash": meta.get("definition_hash"),
                        "conventions": meta.get("conventions"),
                        "has_categories": f"{table}_categories" in derived,
                        "synthetic": bool(meta.get("synthetic"))})
        return {"lake_manifest_hash": lake.manifest_hash(), "landscapes": out}

    # --- comparisons -------------------------------------------------------------------------
    def _cached(self, key):
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        return None

    def _store(self, key, value) -> None:
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)

    def _computed(self, key, thread_task, *process_args):
        got = self._cached(key)
        if got is not None:
            return got
        try:
            return self.computer.run(key, thread_task, *process_args, on_done=lambda v: self._store(key, v))
        except Busy as exc:
            raise HttpError(503, exc.error, exc.hint, retry_after=exc.retry_after) from None

    def _comparison(self, conv: Conventions, sensitivity: bool = False):
        """``compare`` for ``conv``, cached. The plain comparison keeps its extras (time series,
        categories) for the charts; the sensitivity run is a separate, lazily computed entry."""
        session = self.session()
        key = (self.manifest_hash(), astuple(conv), sensitivity)
        return self._computed(key, lambda: compare(session.fork(), conv, sensitivity=sensitivity,
                                                   extras=not sensitivity),
                              "compare", conv, sensitivity)

    def is_cached(self, query: dict) -> bool:
        return self._cached((self.manifest_hash(), astuple(conventions_from(query)), False)) is not None

    def compare(self, query: dict) -> dict:
        """What ``patentq compare --json`` prints for the same options."""
        return self._comparison(conventions_from(query)).to_json()

    def sensitivity(self, query: dict) -> dict:
        result = self._comparison(conventions_from(query), sensitivity=True)
        return {"conventions": result.conventions, "sensitivity": result.sensitivity}

    def timeseries(self, query: dict) -> dict:
        """Families, shares, quality and gap per group and year (top groups), with intervals."""
        result = self._comparison(conventions_from(query))
        return {"conventions": result.conventions, "groups": [r["group"] for r in result.rows],
                "time_series": result.time_series}

    def profile(self, query: dict) -> dict:
        """What this lake can measure: coverage per office x year and each measure's status."""
        result = self._comparison(conventions_from(query))
        return {"conventions": result.conventions, "profile": result.profile}

    def families(self, query: dict) -> dict:
        """``compare --families GROUP --json``: a group's families sorted by the active quality
        measure (``sort-by``), ``limit`` of them (default 20)."""
        from ..compare import families_of

        query = dict(query)
        group = _single(query.pop("group", None), "group")
        if not group:
            raise UsageError("parameter 'group' is missing", hint="add group=<a group of the table>, e.g. group=CN")
        measure = _single(query.pop("sort-by", query.pop("sort_by", None)), "sort-by") or None
        limit = _single(query.pop("limit", None), "limit") or "20"
        try:
            limit = int(limit)
        except ValueError:
            raise UsageError(f"bad limit {limit!r}: not a whole number", hint="write e.g. limit=20") from None
        if not 1 <= limit <= 10_000:
            raise UsageError(f"bad limit {limit}: out of range", hint="use a value from 1 to 10,000")
        conv = conventions_from(query)
        session = self.session()
        key = (self.manifest_hash(), astuple(conv), "families", group, measure, limit)
        return self._computed(key, lambda: families_of(session.fork(), conv, group, measure, limit),
                              "families", conv, group, measure, limit)

    def charts(self, query: dict) -> dict:
        """The names of the charts available for these conventions (categories depend on the landscape)."""
        result = self._comparison(conventions_from(query))
        return {"conventions": result.conventions, "charts": list(self._charts(result))}

    def _charts(self, result) -> dict:
        """The report's SVG charts of one comparison, drawn once (kept on the cached object)."""
        from ..report.html import chart_svgs

        drawn = getattr(result, "_svgs", None)
        if drawn is None:
            drawn = chart_svgs(result)
            result._svgs = drawn
        return drawn

    def chart(self, name: str, query: dict) -> str:
        """One of the HTML report's SVG charts for these conventions."""
        charts = self._charts(self._comparison(conventions_from(query)))
        if name not in charts:
            raise HttpError(404, f"no chart {name!r} for these conventions", hint=f"charts: {', '.join(charts)}")
        return charts[name]

    def export_csv(self, table: str, query: dict) -> bytes:
        """One table behind the report as CSV, as ``patentq report --format csv`` writes it."""
        from ..report.export import csv_bytes, tables_of

        conv = conventions_from(query)
        tables = tables_of(self._comparison(conv))
        if table == "sensitivity":
            tables = tables_of(self._comparison(conv, sensitivity=True))
        if table not in tables:
            raise HttpError(404, f"no table {table!r}", hint=f"tables: {', '.join([*tables, 'sensitivity'])}")
        return csv_bytes(tables[table])

    # --- one family --------------------------------------------------------------------------
    def family(self, number: str) -> dict:
        """What ``patentq family NUMBER --json`` prints; 404 when the publication is not in the lake."""
        from ..family_report import family_report, find_family

        session = self.session().fork()
        try:
            find_family(session, number)
        except UsageError as exc:
            raise HttpError(404, exc.args[0], exc.hint) from None
        return family_report(session, number)

    def close(self) -> None:
        self.computer.close()


def _single(values, name: str):
    if values is None:
        return None
    if len(values) != 1:
        raise UsageError(f"parameter {name!r} given {len(values)} times", hint="give each parameter once")
    return values[0]
