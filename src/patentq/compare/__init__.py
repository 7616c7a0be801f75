"""Number vs quality: for a landscape and a grouping, how many families each group has and how
good they are, with ranks, the rank shift when quality counts, bootstrap intervals and the
sensitivity of the ranking to the counting convention.

The quality-adjusted count is the number of a group's families in the **top 10% of their
cohort** (priority year × WIPO field) by 5-year forward citations, counted only where the
5-year window is complete. It is a count of highly cited families, the measure used for
"top-cited" output in bibliometrics (e.g. the Leiden Ranking's PP(top 10%)), so its share and
rank are directly comparable with the plain count. Where no window is complete, citation
measures are left empty and the early indicators (reach, grant, claims) carry the comparison;
``notes`` says so. Aggregation is stage SQL run by the engine (``measures.py`` and its ``.sql`` files); the
bootstrap is in ``bootstrap.py``; the sensitivity in ``sensitivity.py``; the conventions and
the options they generate in ``conventions.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import __version__, sql
from ..attribution import GROUPINGS, needed_tables
from ..errors import UsageError
from .bootstrap import intervals
from .conventions import AUTO, QUALITY_ADJUSTED, Conventions, conventions, parse_years
from .defaults import resolve, truncated_years
from .measures import RATES, attributed_sql, histogram_sql, measures_sql, point_sql, totals_sql, universe_sql


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


def require_tables(session, conv: Conventions, progress=None) -> None:
    """Build what the comparison reads: families, the landscape, applicant groups when grouping
    by them, and family indicators covering the compared families."""
    if conv.by not in GROUPINGS and conv.by != AUTO:
        raise UsageError(f"unknown grouping {conv.by!r}", hint=f"choose one of {', '.join(GROUPINGS)}")
    tables = ["lake_profile", *needed_tables(conv.by)]
    if conv.landscape:
        landscape = sql.table_name("landscape_" + conv.landscape)
        if not session.lake.derived(landscape):
            from ..landscapes import builtin_names

            if conv.landscape not in builtin_names():
                raise UsageError(f"no landscape {conv.landscape!r} in lake {session.lake.path}",
                                 hint=f"run `patentq landscape apply FILE.yaml --lake {session.lake.path}` with "
                                      f"its definition first, or drop --landscape")
        tables.append(landscape)
    built = (session.lake.derived("family_indicators") or {}).get("params") or {}
    restricted = built.get("landscape")
    params = {"landscape": None} if restricted and restricted != conv.landscape else {}
    session.require(*tables, progress=progress)
    session.require("family_indicators", progress=progress, **params)


def build_measures(session, conv: Conventions, name: str = "cmp_x") -> None:
    """Materialise the per-(family, group) measure table ``name`` for ``conv``."""
    engine = session.engine
    engine.materialize(f"{name}_att", attributed_sql(conv.by, conv.counting))
    universe = universe_sql(conv.landscape, conv.years, conv.year_basis, conv.unit)
    engine.materialize(name, measures_sql(f"SELECT * FROM {name}_att", universe))


def _ranked(rows: list[dict], key: str) -> dict:
    """Competition ranks (1 = most) by ``key``; groups without a value get no rank."""
    values = sorted((r[key] for r in rows if r.get(key) is not None), reverse=True)
    return {r["group"]: 1 + sum(v > r[key] + 1e-12 for v in values) for r in rows if r.get(key) is not None}


def compare(session, conv: Conventions | None = None, sensitivity: bool = False, extras: bool = True) -> Comparison:
    """Run the comparison on the session's lake (building stale or missing tables first)."""
    conv = conv or Conventions()
    require_tables(session, conv)
    with session.step("compare", "defaults"):
        conv, chosen = resolve(session, conv)
    require_tables(session, conv)  # a grouping chosen by the data may need its own tables
    engine = session.engine
    with session.step("compare", "measures"):
        build_measures(session, conv)
        totals = engine.rows(totals_sql("cmp_x"))[0]
    if not totals["families"]:
        raise UsageError("no families match these conventions",
                         hint="check --years (and --year-basis priority for sources without publication dates) "
                              "and that the landscape selected families")
    with session.step("compare", "groups"):
        rows = _rows(engine.rows(point_sql("cmp_x")), totals, conv)
        keep = [r["group"] for r in rows]
        hist = engine.query(f"SELECT * FROM ({histogram_sql('cmp_x')}) h WHERE grp IN ({sql.in_list(keep)})").to_pydict()
    cis = intervals(hist, totals, conv.replicates, conv.seed, conv.level)
    for r in rows:
        r.update(cis.get(r["group"], {}))
    measures, measure_notes = _measures_the_lake_can(session, rows)
    lake = session.lake
    from ..profile import end_date

    end = end_date(session)
    truncated = truncated_years(end, conv.year_basis, conv.years)
    result = Comparison(conv.as_dict(), rows,
                        _default_notes(chosen, truncated, end) + measure_notes + _notes(totals, conv, measures),
                        totals=totals)
    result.conventions.update(defaults_chosen=chosen, data_end_date=end.isoformat() if end else None,
                              truncated_years=truncated, measures=measures)
    if lake.is_synthetic():
        result.conventions["synthetic"] = True
        result.notes.insert(0, "SYNTHETIC DEMO DATA: this lake was built by `patentq demo` from a seeded synthetic "
                               "world; no figure describes real patents.")
    result.conventions.update(lake=str(lake.path), lake_manifest_hash=lake.manifest_hash(), engine=engine.name,
                              patentq_version=__version__, landscape_definition=_landscape_meta(lake, conv))
    if extras:
        from .tables import categories, data_quality, notable_models, time_series

        with session.step("compare", "tables"):
            result.time_series = time_series(session, keep)
            result.categories = categories(session, conv, keep)
            result.notable_models = notable_models(session, conv, rows)
            result.data_quality = data_quality(session, totals)
    if sensitivity:
        from .sensitivity import sensitivity as run_sensitivity

        with session.step("compare", "sensitivity"):
            result.sensitivity = run_sensitivity(session, conv)
    return result


def compare_frame(session, **options):
    """``compare`` as a pandas DataFrame: one row per group with the columns of
    ``compare --json`` rows; an interval ``x_ci = [lo, hi]`` becomes ``x_lo`` and ``x_hi``;
    ``df.attrs`` holds ``conventions``, ``notes`` and ``totals``."""
    import pandas as pd

    result = compare(session, conventions(**options), extras=False)
    frame = pd.DataFrame([flatten_intervals(r) for r in result.rows])
    frame.attrs.update(conventions=result.conventions, notes=result.notes, totals=result.totals)
    return frame


def flatten_intervals(row: dict) -> dict:
    """``{"share_ci": [lo, hi]}`` → ``{"share_lo": lo, "share_hi": hi}``; other keys unchanged."""
    out = {}
    for key, value in row.items():
        if key.endswith("_ci"):
            stem = key[:-3]
            out[f"{stem}_lo"], out[f"{stem}_hi"] = (value if value else (None, None))
        else:
            out[key] = value
    return out


def _rows(points: list[dict], totals: dict, conv: Conventions) -> list[dict]:
    n, t = totals["families"], totals["top10"]
    rows = []
    for p in points:
        row = {"group": p["grp"], "families": p["families"], "share": p["families"] / n}
        for r in RATES.values():
            row[r.key] = p[r.key]
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


def _default_notes(chosen: list[dict], truncated: list[int], end) -> list[str]:
    notes = [f"Default moved to fit the data: --{c['option']} {c['value']} ({c['why']}); pass --{c['option']} "
             "to choose." for c in chosen]
    if truncated:
        notes.append(f"Years {', '.join(map(str, truncated))} are truncated: the data ends {end.isoformat()}, before "
                     "their filings are all published (18 months) and their families complete (30 months); "
                     "their counts are too low.")
    return notes


def _measures_the_lake_can(session, rows: list[dict]) -> tuple[dict, list[str]]:
    """Each rate's status on this lake (``capabilities``: computed / reported / lower bound /
    absent, with the reason). A rate whose measure the lake cannot compute is NULL in every row,
    never a number built from nothing; reported and lower-bound rates are said so."""
    from ..profile import profile

    status = profile(session)["measures"]
    out, notes = {}, []
    for rate in RATES.values():
        if rate.measure is None:
            continue
        got = status[rate.measure]
        out[rate.key] = {"measure": rate.measure, **got}
        if got["status"] == "absent":
            for row in rows:
                row[rate.key] = None
                row.pop(f"{rate.key}_ci", None)
    absent = sorted({v["measure"] for v in out.values() if v["status"] == "absent"})
    if absent:
        notes.append("Not measurable on this lake, so left empty: " + "; ".join(
            f"{m} ({status[m]['reason']})" for m in absent) + ".")
    if status["reach"]["status"] == "lower bound":
        lower = [r for r in rows if (r.get("share_reach_lower_bound") or 0) > 0]
        notes.append("Reach (filed abroad, outside the group's office, IP5, triadic) is a lower bound: "
                     f"{status['reach']['reason']}" + (f" (for {100 * max(r['share_reach_lower_bound'] for r in lower):.0f} % "
                                                       "of a group's families at most)" if lower else "") + ".")
    if status["fwd_cits_total"]["status"] == "reported":
        notes.append("mean_fwd_cits_total is the lifetime forward-citation count the source reports "
                     "(e.g. Lens \"Cited by Patent Count\"), not a recount; windowed citations need citation lists.")
    return out, notes


def _notes(totals: dict, conv: Conventions, measures: dict | None = None) -> list[str]:
    notes = []
    no_lists = measures and measures.get("mean_fwd_cits_5_rel", {}).get("status") == "absent"
    if no_lists:
        pass  # said by _measures_the_lake_can
    elif not totals["complete"]:
        notes.append("No family here has a complete 5-year forward-citation window (or the lake has no citations): "
                     "citation measures and the quality-adjusted count are not shown; compare on the early "
                     "indicators (reach, IP5/triadic, grant rate, claims).")
    else:
        notes.append(f"Citation measures cover the {totals['complete']:,} of {totals['families']:,} families with a "
                     f"complete 5-year window (years {totals['complete_from']}-{totals['complete_to']}); "
                     f"later years count only in the early indicators (reach, grant, claims).")
    if totals.get("reported") and not (measures and measures.get("mean_fwd_cits_total", {}).get("status") == "reported"):
        notes.append(f"{totals['reported']:,} families use forward-citation counts reported by the source "
                     "(e.g. Lens), not computed from citation records.")
    if conv.counting == "whole":
        notes.append("Whole counting: a family with several groups counts once for each, so shares can sum past 100%.")
    return notes


def _landscape_meta(lake, conv: Conventions) -> dict | None:
    if not conv.landscape:
        return None
    meta = lake.manifest["derived"].get(f"landscape_{conv.landscape}", {})
    return {k: meta.get(k) for k in ("definition", "version", "definition_hash", "definition_path")}


__all__ = ["Comparison", "Conventions", "QUALITY_ADJUSTED", "compare", "compare_frame", "conventions", "parse_years"]
