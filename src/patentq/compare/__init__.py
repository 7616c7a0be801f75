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
from .defaults import resolve, truncated_years, window_coverage
from .drill import drill_choice, statuses
from .headline import eligible, headline, joint_counts, population_baseline, wilson
from .measures import (RATES, attributed_sql, histogram_sql, measured_sql, measures_sql, point_sql, population_sql,
                       totals_sql, universe_sql)
from .notes import default_notes, family_sets, measures_the_lake_can, notes, set_notes


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
    concentration: dict = field(default_factory=dict)
    #: the lake profile behind "What this data can measure" (report)
    profile: dict = field(default_factory=dict)
    #: group -> its families sorted by the active quality measure (report drill-down)
    families: dict = field(default_factory=dict)

    def to_json(self, full: bool = False) -> dict:
        data = {"conventions": self.conventions, "notes": self.notes, "totals": self.totals,
                "concentration": self.concentration, "rows": self.rows}
        if self.sensitivity is not None:
            data["sensitivity"] = self.sensitivity
        if full:
            data.update(time_series=self.time_series, categories=self.categories,
                        notable_models=self.notable_models, data_quality=self.data_quality)
        return data


#: (lake, manifest hash, landscape, grouping) already checked current by this process: the
#: registry's check reads every landscape definition, and a dashboard asks again on every change.
_CURRENT: set = set()


def require_tables(session, conv: Conventions, progress=None) -> None:
    """Build what the comparison reads: families, the landscape, applicant groups when grouping
    by them, and family indicators covering the compared families."""
    memo = (str(session.lake.path), session.lake.manifest_hash(), conv.landscape, conv.by)
    if memo in _CURRENT:
        return
    _require(session, conv, progress)
    _CURRENT.add((str(session.lake.path), session.lake.manifest_hash(), conv.landscape, conv.by))


def _require(session, conv: Conventions, progress=None) -> None:
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
    engine.materialize(name, measures_sql(f"SELECT * FROM {name}_att", universe, conv.counting, conv.quality))
    if conv.landscape:  # revealed technological advantage: the window's families, landscape or not
        engine.materialize("cmp_pop", population_sql(f"SELECT * FROM {name}_att",
                                                     universe_sql(None, conv.years, conv.year_basis, conv.unit)))


def compare(session, conv: Conventions | None = None, sensitivity: bool = False, extras: bool = True) -> Comparison:
    """Run the comparison on the session's lake (building stale or missing tables first)."""
    conv = conv or Conventions()
    require_tables(session, conv)
    with session.step("compare", "defaults"):
        conv, chosen = resolve(session, conv)
    require_tables(session, conv)  # a grouping chosen by the data may need its own tables
    engine = session.engine
    window = window_coverage(session, conv)
    window["years"] = list(conv.years) if isinstance(conv.years, tuple) else None
    with session.step("compare", "measures"):
        build_measures(session, conv)
        totals = engine.rows(totals_sql("cmp_x"))[0]
    if not totals["families"]:
        raise _no_families(session, conv, window)
    with session.step("compare", "groups"):
        points = engine.rows(point_sql("cmp_x"))
        joint, groups = joint_counts(session, bool(conv.landscape))
        baseline, baseline_note = population_baseline(session, conv, groups)
        shown = _shown(points, conv)
        figures, concentration = headline(joint, groups, points, conv, totals, baseline, shown)
        rows = _rows([p for p in points if p["grp"] in set(shown)], figures, totals, conv)
        keep = [r["group"] for r in rows]
        hist = engine.query(f"SELECT * FROM ({histogram_sql('cmp_x')}) h WHERE grp IN ({sql.in_list(keep)})").to_pydict()
    cis = intervals(hist, totals, conv.replicates, conv.seed, conv.level)
    for r in rows:
        r.update(cis.get(r["group"], {}))
    from ..profile import profile

    lake_profile = profile(session)
    measured = engine.rows(measured_sql("cmp_x"))[0]
    measures, measure_notes = measures_the_lake_can(session, rows, lake_profile, measured, conv)
    lake = session.lake
    from ..profile import end_date

    end = end_date(session)
    data_years = [totals["year_from"], totals["year_to"]] if totals["year_from"] is not None else None
    # a window of "all" is truncated where the data's own years are
    truncated = truncated_years(end, conv.year_basis, conv.years or (tuple(data_years) if data_years else None))
    ranked, _ = eligible(points, conv)
    result = Comparison(conv.as_dict(), rows,
                        default_notes(chosen, truncated, end, window) + measure_notes + notes(totals, conv, measures)
                        + set_notes(totals, conv, len(ranked), len(points)), totals=totals,
                        concentration=concentration)
    if concentration.get("reason"):
        result.notes.append(f"HHI, CR4 and top-{concentration['top_k']} are left empty: {concentration['reason']}.")
    if baseline_note:
        result.notes.append(baseline_note)
    if conv.per:
        from .per import apply_per

        result.notes.append(apply_per(rows, conv.per))
    rta_note = _rta_note(session, conv, totals)
    if rta_note:
        for r in rows:
            r["rta"] = None
            r.pop("rta_ci", None)
        result.notes.append(rta_note)
    drill = drill_choice(statuses(measures))
    result.conventions.update(defaults_chosen=[c for c in chosen if not c.get("warning")],
                              warnings=[c for c in chosen if c.get("warning")], data_end_date=end.isoformat() if end else None,
                              data_years=data_years, year_window=window, truncated_years=truncated,
                              measures=measures, family_sets=family_sets(totals, conv), drill=drill)
    if lake.is_synthetic():
        result.conventions["synthetic"] = True
        result.notes.insert(0, "SYNTHETIC DEMO DATA: this lake was built by `patentq demo` from a seeded synthetic "
                               "world; no figure describes real patents.")
    result.conventions.update(lake=str(lake.path), lake_manifest_hash=lake.manifest_hash(), engine=engine.name,
                              patentq_version=__version__, landscape_definition=_landscape_meta(lake, conv))
    if extras:
        from .drill import LIMIT, group_families
        from .series import time_series
        from .tables import categories, data_quality, notable_models

        with session.step("compare", "tables"):
            result.time_series = time_series(session, keep, conv, truncated)
            result.categories = categories(session, conv, keep)
            result.notable_models = notable_models(session, conv, rows)
            result.data_quality = data_quality(session, totals)
            result.families = group_families(session, keep, drill["sort_by"], LIMIT, lake.is_synthetic())
            result.profile = profile_summary(lake_profile)
    if sensitivity:
        from .sensitivity import sensitivity as run_sensitivity

        with session.step("compare", "sensitivity"):
            result.sensitivity = run_sensitivity(session, conv, measures)
        result.sensitivity["gap_by_window"] = {  # --window matched and all side by side
            str(r["group"]): {"matched": _difference(r.get("share_matched"), r.get("quality_adjusted_share")),
                              "all": _difference(r.get("share"), r.get("quality_adjusted_share"))} for r in rows}
    return result


#: RTA says nothing when the landscape holds at least this share of the window's families: a
#: group's RTA then cannot exceed 1 / that share (1.11 at 90 %).
RTA_COVERAGE = 0.9


def _rta_note(session, conv: Conventions, totals: dict) -> str | None:
    """Why RTA is left empty (no landscape, or one that holds (nearly) every family of the
    window), else None."""
    if not conv.landscape:
        return ("RTA (revealed technological advantage) needs a landscape: without one every family is the "
                "population.")
    population = session.engine.scalar(sql.load(__name__, "population_count")) or 0
    if population and totals["families"] >= RTA_COVERAGE * population:
        return (f"RTA (revealed technological advantage) is left empty: the landscape {conv.landscape!r} holds "
                f"{totals['families']:,} of the {population:,} families of the window "
                f"({100 * totals['families'] / population:.1f} %), so a group's share of it is nearly its share of "
                f"the population and RTA cannot exceed {population / totals['families']:.2f}: it measures nothing.")
    return None


def _no_families(session, conv: Conventions, window: dict) -> UsageError:
    """The error when no family is compared, saying where they were lost."""
    lake_families = session.engine.scalar(sql.load(__name__, "family_count")) or 0
    if conv.landscape and not window["families"]:
        return UsageError(f"no families match these conventions: the landscape {conv.landscape!r} matched 0 of the "
                          f"lake's {lake_families:,} families",
                          hint=f"`patentq landscape apply {conv.landscape} --lake ...` says which of its rules can "
                               "match this data (`patentq lake profile` shows what the data holds); choose another "
                               "landscape or none")
    if not window["in_window"]:
        of = f"the landscape {conv.landscape!r}'s" if conv.landscape else "the lake's"
        years = "-".join(map(str, window["years"])) if window["years"] else "all"
        span = (f" (its {window['year_basis']} years run {window['first']}-{window['last']})"
                if window["first"] is not None else f" (none has a {window['year_basis']} year)")
        return UsageError(f"no families match these conventions: the window {years} holds none of {of} "
                          f"{window['families']:,} families{span}",
                          hint="pass --years all, or a window inside the data's years, or --year-basis priority "
                               "for sources without publication dates")
    return UsageError("no families match these conventions",
                      hint="check --years (and --year-basis priority for sources without publication dates) "
                           "and that the landscape selected families")


def _difference(a, b):
    return None if a is None or b is None else a - b


def families_of(session, conv: Conventions, group: str, measure: str | None = None, limit: int = 20) -> dict:
    """``compare --families GROUP``: the group's families sorted by the active quality measure
    (or ``measure``), with links by publication number (none on a synthetic lake)."""
    from dataclasses import replace

    from .drill import group_families

    result = compare(session, replace(conv, replicates=0, top=None), extras=False)
    known = {str(r["group"]): r for r in result.rows}
    if group not in known:
        largest = ", ".join(list(known)[:8])
        raise UsageError(f"no group {group!r} under these conventions", hint=f"groups include {largest}")
    drill = result.conventions["drill"]
    why = f"--sort-by {measure}" if measure else drill["why"]
    measure = measure or drill["sort_by"]
    listed = group_families(session, [known[group]["group"]], measure, limit, session.lake.is_synthetic())
    return {"conventions": result.conventions, "group": group, "sorted_by": measure, "sorted_by_why": why,
            "group_row": known[group], "families": listed.get(known[group]["group"], [])}


def profile_summary(prof: dict) -> dict:
    """What the report's "What this data can measure" draws: publications per office x year and
    each measure's status with its reason."""
    cells = [{"office": r["office"], "year": r["year"], "publications": r["publications"]}
             for r in prof.get("by_office_year", []) if r.get("year") is not None]
    return {"end_date": prof.get("end_date"), "years": prof.get("years"), "publications": prof.get("publications"),
            "measures": prof.get("measures", {}), "cells": cells}


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


def _shown(points: list[dict], conv: Conventions) -> list:
    """The groups the table shows: largest first, ``--top`` of them, UNKNOWN dropped under
    ``--unknown hide``."""
    kept = [p for p in points if not (p["grp"] == "UNKNOWN" and conv.unknown == "hide")]
    kept.sort(key=lambda p: (-p["families"], str(p["grp"])))
    return [p["grp"] for p in (kept[: conv.top] if conv.top else kept)]


def _rows(points: list[dict], figures: dict, totals: dict, conv: Conventions) -> list[dict]:
    """One row per group, largest first; unranked groups (small, or UNKNOWN) keep their place by
    size with no rank. ``--unknown hide`` drops UNKNOWN's row (its families stay in the totals)."""
    ranked, quality = eligible(points, conv)
    has_quality = bool(totals["top10"])
    rows = []
    for p in points:
        if p["grp"] == "UNKNOWN" and conv.unknown == "hide":
            continue
        fig = figures.get(p["grp"], {})
        row = {"group": p["grp"], "families": p["families"], "share": fig.get("share"),
               "rank": fig.get("rank") if p["grp"] in ranked else None, "ranked": p["grp"] in ranked}
        for r in RATES.values():
            row[r.key] = p[r.key]
            if r.proportion and conv.replicates:
                row[f"{r.key}_ci"] = wilson(p[r.key], p.get(f"{r.key}__w"), p.get(f"{r.key}__w2"), conv.level)
        row["families_complete_window"] = p["families_complete"]
        row["share_matched"] = fig.get("share_matched")
        in_q = p["grp"] in quality and has_quality
        row["rank_matched"] = fig.get("rank_matched") if in_q and conv.window == "matched" else None
        row["quality_adjusted_families"] = p["qa_families"] if has_quality else None
        row["quality_adjusted_share"] = fig.get("quality_adjusted_share") if has_quality else None
        row["quality_adjusted_rank"] = fig.get("quality_adjusted_rank") if in_q else None
        row["rank_shift"] = fig.get("rank_shift") if in_q else None
        row["number_over_quality_gap"] = fig.get("number_over_quality_gap") if has_quality else None
        row["top1_families"] = p["top1_families"] if totals.get("top1") or has_quality else None
        row["top1_share"] = fig.get("top1_share")
        row["rta"] = fig.get("rta")
        for key in ("share", "share_matched", "rank", "rank_matched", "quality_adjusted_rank", "rank_shift",
                    "number_over_quality_gap", "top1_share", "rta"):
            if row.get(key) is not None and fig.get(f"{key}_ci"):
                row[f"{key}_ci"] = fig[f"{key}_ci"]
        if row["quality_adjusted_share"] is not None and fig.get("quality_adjusted_share_ci"):
            row["qa_share_ci"] = fig["quality_adjusted_share_ci"]
        rows.append(row)
    rows.sort(key=lambda r: (-r["families"], str(r["group"])))
    return rows[: conv.top] if conv.top else rows


def _landscape_meta(lake, conv: Conventions) -> dict | None:
    if not conv.landscape:
        return None
    meta = lake.manifest["derived"].get(f"landscape_{conv.landscape}", {})
    return {k: meta.get(k) for k in ("definition", "version", "definition_hash", "definition_path")}


__all__ = ["Comparison", "Conventions", "QUALITY_ADJUSTED", "compare", "compare_frame", "conventions", "families_of",
           "parse_years"]
