"""The dashboard's JSON API: read-only views of one lake, computed by the library itself.

Every figure comes from ``patentq.compare.compare`` (numbers), ``patentq.report.html.chart_svgs``
(pictures) and ``patentq.indicators.lookup`` (one family), so the dashboard, the CLI and the HTML
report can never disagree. Query parameters are spelled like the CLI options
(``by``, ``counting``, ``years``, ``year-basis``, ``unit``, ``top``, ``replicates``, ``seed``) and
default to the CLI defaults, so ``/api/compare?...`` returns exactly what
``patentq compare --json`` prints for the same options.

The lake is read-only while serving; results are cached per parameter set. The cache is dropped
when ``manifest.json`` changes (a new ingest or landscape), so a stale figure is never served.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import astuple
from pathlib import Path

from ..compare import Conventions, compare, parse_years
from ..compare_sql import COUNTINGS, GROUPINGS
from ..engines import get_engine
from ..errors import UsageError
from ..lake import MANIFEST, Lake

YEAR_BASES = ("publication", "priority")
UNITS = ("simple", "extended")
#: CLI defaults (``patentq compare``), so the API and the CLI give the same answer to the same question.
DEFAULTS = {"landscape": None, "by": "inventor-country", "counting": "whole", "years": "2014-2023",
            "year-basis": "publication", "unit": "simple", "top": 10, "replicates": 1000, "seed": 0}
MAX_REPLICATES = 10_000


class HttpError(Exception):
    """An error with its own HTTP status (404, 405); ``PatentqError`` is always 400."""

    def __init__(self, status: int, error: str, hint: str | None = None):
        super().__init__(error)
        self.status, self.error, self.hint = status, error, hint


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


def is_synthetic(info: dict) -> bool:
    """A lake built by ``patentq demo``: every input file is one of the demo's synthetic files.

    Same rule as ``patentq report`` uses for its SYNTHETIC banner.
    """
    inputs = info.get("inputs") or []
    return bool(inputs) and all("synthetic" in str(i.get("file", "")) for i in inputs)


def _int(params: dict, name: str, lo: int, hi: int | None = None) -> int:
    text = params[name]
    try:
        value = int(text)
    except (TypeError, ValueError):
        raise UsageError(f"bad {name} {text!r}: not a whole number",
                         hint=f"write e.g. {name}={DEFAULTS[name]}") from None
    if value < lo or (hi is not None and value > hi):
        raise UsageError(f"bad {name} {value}: out of range",
                         hint=f"use a value from {lo}" + (f" to {hi:,}" if hi is not None else " upwards"))
    return value


def _choice(params: dict, name: str, choices) -> str:
    value = params[name]
    if value not in choices:
        raise UsageError(f"unknown {name} {value!r}", hint=f"choose one of {', '.join(choices)}")
    return value


def conventions_from(query: dict[str, list[str]]) -> Conventions:
    """URL query (as ``urllib.parse.parse_qs`` gives it) → ``Conventions``, validated like the CLI."""
    params = dict(DEFAULTS)
    for raw, values in query.items():
        name = raw.replace("_", "-")
        if name not in DEFAULTS:
            raise UsageError(f"unknown parameter {raw!r}", hint=f"parameters are {', '.join(DEFAULTS)}")
        if len(values) != 1:
            raise UsageError(f"parameter {raw!r} given {len(values)} times", hint="give each parameter once")
        params[name] = values[0]
    return Conventions(
        landscape=params["landscape"] or None,
        by=_choice(params, "by", GROUPINGS),
        counting=_choice(params, "counting", COUNTINGS),
        years=parse_years(params["years"]),
        year_basis=_choice(params, "year-basis", YEAR_BASES),
        unit=_choice(params, "unit", UNITS),
        top=_int(params, "top", 0) or None,
        replicates=_int(params, "replicates", 0, MAX_REPLICATES),
        seed=_int(params, "seed", 0),
    )


class Api:
    """The handlers. Thread-safe: one lock guards the lake state and serialises computations
    (a second request for the same parameters waits and then reads the cache)."""

    def __init__(self, lake_path, cache_size: int = 64):
        self.lake_path = Path(lake_path)
        self.cache_size = cache_size
        self._lock = threading.RLock()
        self._cache: OrderedDict = OrderedDict()
        self._stamp = None
        self._lake: Lake | None = None
        self._info: dict | None = None
        self.lake()  # fail now (LakeError) if there is no lake

    # --- the lake ----------------------------------------------------------------------------
    def lake(self) -> Lake:
        """The open lake, reopened (and the cache dropped) when its manifest has changed."""
        with self._lock:
            try:
                st = (self.lake_path / MANIFEST).stat()
                stamp = (st.st_mtime_ns, st.st_size)
            except OSError:
                stamp = None
            if self._lake is None or stamp != self._stamp:
                self._lake = Lake.open(self.lake_path)
                self._stamp, self._info = stamp, None
                self._cache.clear()
            return self._lake

    def manifest_hash(self) -> str:
        return self.lake().manifest_hash()

    def lake_info(self) -> dict:
        lake = self.lake()
        with self._lock:
            if self._info is None:
                info = lake.info()
                info.update(manifest_hash=lake.manifest_hash(), synthetic=is_synthetic(info))
                self._info = info
            return self._info

    def options(self) -> dict:
        """The choices the controls offer, from the library's own lists."""
        return {"by": list(GROUPINGS), "counting": list(COUNTINGS), "year-basis": list(YEAR_BASES),
                "unit": list(UNITS), "defaults": DEFAULTS, "max_replicates": MAX_REPLICATES}

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
    def _comparison(self, conv: Conventions, sensitivity: bool = False):
        """``compare`` for ``conv``, cached. The plain comparison keeps its extras (time series,
        categories) for the charts; the sensitivity run is a separate, lazily computed entry."""
        lake = self.lake()
        key = (lake.manifest_hash(), astuple(conv), sensitivity)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
            result = compare(lake.path, conv, sensitivity=sensitivity, extras=not sensitivity)
            self._cache[key] = result
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
            return result

    def compare(self, query: dict) -> dict:
        """What ``patentq compare --json`` prints for the same options."""
        return self._comparison(conventions_from(query)).to_json()

    def sensitivity(self, query: dict) -> dict:
        result = self._comparison(conventions_from(query), sensitivity=True)
        return {"conventions": result.conventions, "sensitivity": result.sensitivity}

    def timeseries(self, query: dict) -> dict:
        """Families, share filed abroad and quality-adjusted families per group and year (top groups)."""
        result = self._comparison(conventions_from(query))
        return {"conventions": result.conventions, "groups": [r["group"] for r in result.rows],
                "time_series": result.time_series}

    def charts(self, query: dict) -> dict:
        """The names of the charts available for these conventions (categories depend on the landscape)."""
        from ..report.html import chart_svgs

        result = self._comparison(conventions_from(query))
        return {"conventions": result.conventions, "charts": list(chart_svgs(result))}

    def chart(self, name: str, query: dict) -> str:
        """One of the HTML report's SVG charts for these conventions."""
        from ..report.html import chart_svgs

        charts = chart_svgs(self._comparison(conventions_from(query)))
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
        from ..indicators import lookup

        lake = self.lake()
        engine = get_engine("duckdb", lake)
        if "family_members" in lake.tables():
            try:
                lookup.find_family(engine, number)
            except UsageError as exc:
                raise HttpError(404, exc.args[0], exc.hint) from None
        return lookup.family_report(engine, number)
