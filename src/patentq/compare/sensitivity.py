"""How much the ranking depends on the counting convention.

The baseline ranking is recomputed under each alternative (inventor vs applicant country vs
priority office; whole vs fractional; simple vs extended family where the lake has INPADOC ids;
publication vs priority year) and set side by side with Kendall's tau-b between the baseline's
family counts and each alternative's, over the baseline's top groups (a group absent under an
alternative counts 0 there). The quality basis (``--quality``) is a convention too: its rows rank
the groups by quality-adjusted families under each other basis, with Kendall's tau against the
baseline's quality-adjusted families (``measure``: ``quality_adjusted_families``).
"""

from __future__ import annotations

from dataclasses import replace

from scipy.stats import kendalltau

from .. import sql
from ..attribution import UNKNOWN
from .conventions import QUALITY_BASES
from .measures import attributed_sql, measures_sql, universe_sql

COUNTRY_GROUPINGS = ("inventor-country", "applicant-country", "priority-office")


def _counts(session, conv) -> dict:
    query = sql.load(__name__.rsplit(".", 1)[0], "counts_extended" if conv.unit == "extended" else "counts",
                     attributed=attributed_sql(conv.by, conv.counting),
                     universe=universe_sql(conv.landscape, conv.years, conv.year_basis, conv.unit))
    return {r["grp"]: float(r["families"]) for r in session.engine.rows(query)}


def _qa_counts(session, conv) -> dict:
    measured = measures_sql(attributed_sql(conv.by, conv.counting),
                            universe_sql(conv.landscape, conv.years, conv.year_basis, conv.unit), conv.counting,
                            conv.quality)
    query = sql.load(__name__.rsplit(".", 1)[0], "qa_counts", measured=measured)
    return {r["grp"]: float(r["families"]) for r in session.engine.rows(query)}


def _ranks(counts: dict, conv=None, among: set | None = None) -> dict:
    """Competition ranks as the main table ranks: among the groups with at least
    ``--min-families`` families, ``UNKNOWN`` excluded unless ``--unknown rank``; other groups
    get no rank. ``among``: rank these groups instead (the quality rows rank the groups the
    baseline ranks, by their quality-adjusted families)."""
    floor = (conv.min_families or 0) if conv is not None else 0
    keep_unknown = conv is not None and conv.unknown == "rank"
    ranked = ({g: counts.get(g, 0.0) for g in among} if among is not None else
              {g: c for g, c in counts.items() if (g != UNKNOWN or keep_unknown) and c >= floor and c > 0})
    values = sorted(ranked.values(), reverse=True)
    return {g: 1 + sum(v > c + 1e-12 for v in values) for g, c in ranked.items()}


def unmeasurable(session, alt, label: str) -> str | None:
    """Why the convention ``alt`` cannot be measured on this lake (its grouping or its year is
    known for no family of the window), else None."""
    from .defaults import _NEEDS, _grouping_coverage, window_coverage

    if label in COUNTRY_GROUPINGS:
        join = (f"JOIN {sql.table_name('landscape_' + alt.landscape)} l ON l.family_id = f.family_id"
                if alt.landscape else "")
        if not _grouping_coverage(session, alt, join, whole=False)[alt.by]:
            return f"no family of the window has {_NEEDS[alt.by]}"
    if label.endswith(" year"):
        window = window_coverage(session, alt)
        if window["no_year"] == window["families"]:
            return f"no family has a {alt.year_basis} year"
        if not window["in_window"]:
            return f"no family has a {alt.year_basis} year in {alt.years[0]}-{alt.years[1]}"
    return None


def variants(conv, has_extended: bool) -> list[tuple[str, object, str | None]]:
    """(label, conventions, reason it is unavailable or None)."""
    out = [("baseline", conv, None)]
    if conv.by in COUNTRY_GROUPINGS:
        out += [(by, replace(conv, by=by), None) for by in COUNTRY_GROUPINGS if by != conv.by]
    other = "fractional" if conv.counting == "whole" else "whole"
    out.append((f"{other} counting", replace(conv, counting=other), None))
    if conv.unit == "simple":
        out.append(("extended family", replace(conv, unit="extended"),
                    None if has_extended else "the lake has no extended (INPADOC) family ids"))
    basis = "priority" if conv.year_basis == "publication" else "publication"
    out.append((f"{basis} year", replace(conv, year_basis=basis), None))
    return out


def sensitivity(session, conv, measures: dict | None = None) -> dict:
    """``measures``: the comparison's ``conventions["measures"]``; where the cohort measure is
    absent (no citation lists) the quality variants are not measurable."""
    has_extended = session.engine.scalar(sql.load(__name__.rsplit(".", 1)[0], "extended_families")) > 0
    base = _counts(session, conv)
    top = sorted(base, key=lambda g: (-base[g], str(g)))[: conv.top or len(base)]
    known = [g for g in top if g != UNKNOWN or conv.unknown == "rank"]  # Kendall's tau: groups, not UNKNOWN
    out = []
    for label, alt, missing in variants(conv, has_extended):
        if missing is None and label != "baseline":
            why = unmeasurable(session, alt, label)
            missing = f"not measurable: {why}" if why else None
        entry = {"variant": label, "by": alt.by, "counting": alt.counting, "unit": alt.unit,
                 "year_basis": alt.year_basis, "available": missing is None, "note": missing}
        if missing is None:
            counts = base if label == "baseline" else _counts(session, alt)
            ranks = _ranks(counts, conv)
            entry["families"] = {g: counts.get(g, 0.0) for g in top}
            entry["ranks"] = {g: ranks.get(g) for g in top}
            x, y = [base[g] for g in known], [counts.get(g, 0.0) for g in known]
            tau = kendalltau(x, y).statistic if len(known) > 1 and len(set(y)) > 1 else None
            entry["kendall_tau"] = None if tau is None or tau != tau else float(tau)
        out.append(entry)
    out += _quality_variants(session, conv, top, set(_ranks(base, conv)), measures)
    return {"groups": top, "variants": out}


def _quality_variants(session, conv, top: list, ranked: set, measures: dict | None = None) -> list[dict]:
    """One row per other ``--quality`` basis: quality-adjusted families and ranks, tau against the baseline's."""
    columns = set(session.engine.query("SELECT * FROM family_indicators LIMIT 0").column_names)
    if QUALITY_BASES[conv.quality][0] not in columns:
        return []
    cohort = (measures or {}).get("share_top10_cohort") or {}
    base = _qa_counts(session, conv)
    why = (f"not measurable: {cohort.get('reason')}" if cohort.get("status") == "absent" else
           "not measurable: no family of the window has a complete 5-year citation window" if not base else None)
    out = []
    for basis, (column, _) in QUALITY_BASES.items():
        if basis == conv.quality:
            continue
        entry = {"variant": f"quality {basis}", "by": conv.by, "counting": conv.counting, "unit": conv.unit,
                 "year_basis": conv.year_basis, "quality": basis, "measure": "quality_adjusted_families"}
        if column not in columns or why:
            out.append({**entry, "available": False, "note": why or f"family_indicators has no {column}"})
            continue
        counts = _qa_counts(session, replace(conv, quality=basis))
        ranks = _ranks(counts, conv, among=ranked)
        known = [g for g in top if g != UNKNOWN or conv.unknown == "rank"]
        x, y = [base.get(g, 0.0) for g in known], [counts.get(g, 0.0) for g in known]
        tau = kendalltau(x, y).statistic if len(known) > 1 and len(set(y)) > 1 and len(set(x)) > 1 else None
        out.append({**entry, "available": True, "note": None, "families": {g: counts.get(g, 0.0) for g in top},
                    "ranks": {g: ranks.get(g) for g in top},
                    "kendall_tau": None if tau is None or tau != tau else float(tau)})
    return out
