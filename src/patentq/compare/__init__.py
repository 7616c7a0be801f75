"""Number vs quality: for a landscape and a grouping, how many families each group has and how
good they are, with ranks, the rank shift when quality counts, bootstrap intervals and the
sensitivity of the ranking to the counting convention.

The quality-adjusted count is the number of a group's families in the **top 10% of their
cohort** (priority year × WIPO field) by 5-year forward citations, counted only where the
5-year window is complete. It is a count of highly cited families, the measure used for
"top-cited" output in bibliometrics (e.g. the Leiden Ranking's PP(top 10%)), so its share and
rank are directly comparable with the plain count. Where no window is complete, citation
measures are left empty and the early indicators (reach, grant, claims) carry the comparison;
``notes`` says so. Aggregation is stage SQL run by the engine (``compare_sql.py``); the
bootstrap is in ``compare_bootstrap.py``; the sensitivity in ``compare_sensitivity.py``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from . import __version__
from .compare_bootstrap import intervals
from .compare_sql import (GROUPINGS, RATES, attribution_sql, histogram_sql, indicators_source, measures_sql,
                          point_sql, universe_sql)
from .engines import get_engine
from .errors import UsageError
from .lake import Lake

QUALITY_ADJUSTED = ("families in the top 10% of their cohort (priority year x WIPO field) by 5-year forward "
                    "citations, over families with a complete 5-year window")
COUNTRY_LIKE = {"inventor-country", "applicant-country", "priority-office", "office"}


@dataclass
class Conventions:
    """Every counting choice of a comparison; printed with every result."""

    landscape: str | None = None
    by: str = "inventor-country"
    counting: str = "whole"
    years: tuple[int, int] | None = (2014, 2023)
    year_basis: str = "publication"  # or "priority"
    unit: str = "simple"  # DOCDB simple family, or "extended" (INPADOC) where available
    top: int | None = 10
    replicates: int = 1000
    seed: int = 0
    level: float = 0.95

    def as_dict(self) -> dict:
        data = asdict(self)
        data["years"] = list(self.years) if self.years else None
        data["quality_adjusted_count"] = QUALITY_ADJUSTED
        data["citation_window_years"] = 5
        data["ip5_definition"] = "members at two or more IP5 offices (US, EP, JP, KR, CN)"
        data["grant_rate_definition"] = "granted families / families granted or no longer pending"
        return data


@dataclass
class Comparison:
    conventions: dict
    rows: list[dict]
    notes: list[str] = field(default_factory=list)
    time_series: list[dict] = field(default_factory=list)
    categories: list[dict] = field(default_factory=list)
    notable_models: list[dict] = field(default_factory=list)
    sensitivity: dict | None = None
    data_quality: dict = field(default_factory=dict)
    totals: dict = field(default_factory=dict)

    def to_json(self, full: bool = False) -> dict:
        data = {"conventions": self.conventions, "notes": self.notes, "totals": self.totals, "rows": self.rows}
        if self.sensitivity is not None:
            data["sensitivity"] = self.sensitivity
        if full:
            data.update(time_series=self.time_series, categories=self.categories,
                        notable_models=self.notable_models, data_quality=self.data_quality)
        return data


def parse_years(text: str | None) -> tuple[int, int] | None:
    """``2014-2023`` → (2014, 2023); ``all`` or empty → no window."""
    if not text or text == "all":
        return None
    try:
        lo, _, hi = text.partition("-")
        years = (int(lo), int(hi or lo))
    except ValueError as exc:
        raise UsageError(f"bad --years {text!r}", hint="write a range such as 2014-2023, or all") from exc
    if years[0] > years[1]:
        raise UsageError(f"bad --years {text!r}: the range is reversed", hint="write it as FROM-TO, e.g. 2014-2023")
    return years


def available_tables(lake: Lake) -> set[str]:
    return {t for t in lake.tables() if lake.parts(t)}


def _check(lake: Lake, conv: Conventions, tables: set[str]) -> None:
    if conv.by not in GROUPINGS:
        raise UsageError(f"unknown grouping {conv.by!r}", hint=f"choose one of {', '.join(GROUPINGS)}")
    if "families" not in tables:
        raise UsageError(f"lake {lake.path} has no families table",
                         hint=f"run `patentq indicators --lake {lake.path}` first")
    if conv.landscape and f"landscape_{conv.landscape}" not in lake.manifest.get("derived", {}):
        raise UsageError(f"no landscape {conv.landscape!r} in lake {lake.path}",
                         hint=f"run `patentq landscape apply {conv.landscape} --lake {lake.path}` first, or drop --landscape")


def _sql_list(values) -> str:
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)


def _materialise(engine, name: str, sql: str) -> None:
    """A temporary table on DuckDB (queried several times), a view elsewhere."""
    con = getattr(engine, "con", None)
    if engine.name == "duckdb" and con is not None:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")
    else:
        engine.create_view(name, sql)


def build_measures(engine, conv: Conventions, tables: set[str], name: str = "cmp_x") -> None:
    """Materialise the per-(family, group) measure table ``name`` for ``conv``."""
    _materialise(engine, f"{name}_att", attribution_sql(conv.by, conv.counting, tables))
    att = f"SELECT family_id, grp, weight FROM {name}_att"  # referenced twice: one CTE scope for Spark
    cols = None
    if "family_indicators" in tables:
        cols = set(engine.query("SELECT * FROM family_indicators LIMIT 0").column_names)
    universe = universe_sql(conv.landscape, conv.years, conv.year_basis, conv.unit)
    _materialise(engine, name, measures_sql(att, universe, indicators_source(cols), conv.by in COUNTRY_LIKE))


def _ranked(rows: list[dict], key: str) -> dict:
    """Competition ranks (1 = most) by ``key``; groups without a value get no rank."""
    values = sorted((r[key] for r in rows if r.get(key) is not None), reverse=True)
    return {r["group"]: 1 + sum(v > r[key] + 1e-12 for v in values) for r in rows if r.get(key) is not None}


def compare(lake_path=None, conv: Conventions | None = None, sensitivity: bool = False, extras: bool = True,
            engine: str = "duckdb", **settings) -> Comparison:
    """Run the comparison on the lake at ``lake_path``."""
    conv = conv or Conventions()
    lake = Lake.open(lake_path)
    tables = available_tables(lake)
    _check(lake, conv, tables)
    eng = get_engine(engine, lake, **settings)
    build_measures(eng, conv, tables)
    totals = eng.query("SELECT count(DISTINCT family_id) AS families, "
                       "count(DISTINCT CASE WHEN top10 = 1.0 THEN family_id END) AS top10, "
                       "count(DISTINCT CASE WHEN complete = 1 THEN family_id END) AS complete, "
                       "min(CASE WHEN complete = 1 THEN year END) AS complete_from, "
                       "max(CASE WHEN complete = 1 THEN year END) AS complete_to, "
                       "count(DISTINCT CASE WHEN fwd_source = 'reported' THEN family_id END) AS reported "
                       "FROM cmp_x").to_pylist()[0]
    if not totals["families"]:
        raise UsageError("no families match these conventions",
                         hint="check --years (and --year-basis priority for sources without publication dates) "
                              "and that the landscape selected families")
    rows = _rows(eng.query(point_sql("cmp_x")).to_pylist(), totals, conv)
    keep = [r["group"] for r in rows]
    hist = eng.query(f"SELECT * FROM ({histogram_sql('cmp_x')}) h WHERE grp IN ({_sql_list(keep)})").to_pydict()
    cis = intervals(hist, totals, conv.replicates, conv.seed, conv.level)
    for r in rows:
        r.update(cis.get(r["group"], {}))
    result = Comparison(conv.as_dict(), rows, _notes(totals, conv), totals=totals)
    if is_synthetic(lake):
        result.conventions["synthetic"] = True
        result.notes.insert(0, "SYNTHETIC DEMO DATA: this lake was built by `patentq demo` from a seeded synthetic "
                               "world; no figure describes real patents.")
    result.conventions.update(lake=str(lake.path), lake_manifest_hash=lake.manifest_hash(), engine=eng.name,
                              patentq_version=__version__, landscape_definition=_landscape_meta(lake, conv))
    if extras:
        from .compare_extras import categories, data_quality, notable_models, time_series

        result.time_series = time_series(eng, keep)
        result.categories = categories(eng, conv, tables, keep)
        result.notable_models = notable_models(eng, conv, tables, rows)
        result.data_quality = data_quality(eng, lake, totals)
    if sensitivity:
        from .compare_sensitivity import sensitivity as run_sensitivity

        result.sensitivity = run_sensitivity(eng, conv, tables)
    return result


def is_synthetic(lake: Lake) -> bool:
    """True when every input of the lake is a file the demo wrote (their names say synthetic)."""
    inputs = lake.manifest.get("inputs", [])
    return bool(inputs) and all("synthetic" in str(i.get("file", "")).lower() for i in inputs)


def _rows(points: list[dict], totals: dict, conv: Conventions) -> list[dict]:
    n, t = totals["families"], totals["top10"]
    rows = []
    for p in points:
        row = {"group": p["grp"], "families": p["families"], "share": p["families"] / n}
        for _, (key, _) in RATES.items():
            row[key] = p[key]
        row["families_complete_window"] = p["families_complete"]
        row["quality_adjusted_families"] = p["qa_families"] if t else None
        row["quality_adjusted_share"] = p["qa_families"] / t if t else None
        rows.append(row)
    ranks, qa_ranks = _ranked(rows, "families"), _ranked(rows, "quality_adjusted_families")
    for r in rows:
        r["rank"] = ranks[r["group"]]
        r["quality_adjusted_rank"] = qa_ranks.get(r["group"])
        r["rank_shift"] = r["rank"] - r["quality_adjusted_rank"] if r["quality_adjusted_rank"] else None
        r["number_over_quality_gap"] = (r["share"] - r["quality_adjusted_share"]
                                        if r["quality_adjusted_share"] is not None else None)
    rows.sort(key=lambda r: (r["rank"], str(r["group"])))
    return rows[: conv.top] if conv.top else rows


def _notes(totals: dict, conv: Conventions) -> list[str]:
    notes = []
    if not totals["complete"]:
        notes.append("No family here has a complete 5-year forward-citation window (or the lake has no citations): "
                     "citation measures and the quality-adjusted count are not shown; compare on the early "
                     "indicators (reach, IP5/triadic, grant rate, claims).")
    else:
        notes.append(f"Citation measures cover the {totals['complete']:,} of {totals['families']:,} families with a "
                     f"complete 5-year window (years {totals['complete_from']}-{totals['complete_to']}); "
                     f"later years count only in the early indicators (reach, grant, claims).")
    if totals.get("reported"):
        notes.append(f"{totals['reported']:,} families use forward-citation counts reported by the source "
                     "(e.g. Lens), not computed from citation records.")
    if conv.counting == "whole":
        notes.append("Whole counting: a family with several groups counts once for each, so shares can sum past 100%.")
    return notes


def _landscape_meta(lake: Lake, conv: Conventions) -> dict | None:
    if not conv.landscape:
        return None
    meta = lake.manifest["derived"].get(f"landscape_{conv.landscape}", {})
    return {k: meta.get(k) for k in ("definition", "version", "definition_hash", "definition_path")}
