"""The headline figures and their uncertainty: ranks, the quality-adjusted count on matched
families, rank shift, gap, revealed technological advantage, breakthroughs and concentration.

Every figure here comes from one function, ``_figures(draws)``, applied to the observed data
(the point estimates) and to each bootstrap replicate of ``joint.JointCounts`` (the intervals),
so a point estimate and its interval can never be computed two ways.

Who is ranked: every group but ``UNKNOWN`` (unless ``--unknown rank``) with at least
``--min-families`` families. The quality comparison (QA rank, rank shift) is among the ranked
groups that also have ``--min-families`` matched families (complete 5-year window) under
``--window matched``, all ranked groups under ``--window all``.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import sql
from ..attribution import UNKNOWN
from .joint import JointCounts, competition_ranks, percentile_interval

#: Per-group figures with a joint-bootstrap interval (``<key>_ci``).
GROUP_FIGURES = ("share", "share_matched", "quality_adjusted_share", "top1_share", "rank", "rank_matched",
                 "quality_adjusted_rank", "rank_shift", "number_over_quality_gap", "rta")


def _load(name: str, **params) -> str:
    return sql.load(__name__.rsplit(".", 1)[0], name, **params)


def joint_counts(session, landscape: bool) -> tuple[JointCounts, list]:
    """The measure table's (family, group) rows, and for RTA the window's families outside the
    landscape (grouped into patterns by ``joint_outside.sql``, each standing for its families),
    as ``JointCounts`` over the groups (returned in column order)."""
    engine = session.engine
    inside = engine.query(_load("joint_inside"))
    outside = engine.query(_load("joint_outside")) if landscape else None
    ids = inside.column("family_id")
    groups_col = inside.column("grp")
    n_in = inside.num_rows
    if outside is not None and outside.num_rows:
        ids = pa.chunked_array(ids.chunks + outside.column("family_id").cast(ids.type).chunks)
        groups_col = pa.chunked_array(groups_col.chunks + outside.column("grp").cast(groups_col.type).chunks)
    fam = pc.dictionary_encode(ids).combine_chunks()
    grp = pc.dictionary_encode(groups_col.cast(pa.string())).combine_chunks()
    family = fam.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    found = grp.dictionary.to_pylist()
    groups = sorted(found)  # column order independent of the engine's row order (same draws everywhere)
    position = {g: i for i, g in enumerate(groups)}
    remap = np.array([position[g] for g in found], dtype=np.int64)
    column = remap[grp.indices.to_numpy(zero_copy_only=False).astype(np.int64)]
    n_fam = len(fam.dictionary)
    weight = np.concatenate([_np(inside, "weight"), _np(outside, "weight")] if outside is not None
                            else [_np(inside, "weight")])
    frac = np.concatenate([_np(inside, "frac"), np.zeros(len(family) - n_in)])
    flags = {}
    for name in ("complete", "top10", "top1"):
        per_family = np.zeros(n_fam)
        np.maximum.at(per_family, family[:n_in], np.nan_to_num(_np(inside, name)))
        flags[name] = per_family
    inl = np.zeros(n_fam)
    inl[family[:n_in]] = 1.0
    flags["inl"] = inl
    stands_for = np.ones(n_fam)
    if outside is not None and outside.num_rows:
        stands_for[family[n_in:]] = _np(outside, "families")
    return JointCounts.build(family, column, len(groups), {"w": weight, "frac": frac}, flags, stands_for), groups


def _np(table, name) -> np.ndarray:
    return table.column(name).to_numpy(zero_copy_only=False).astype(float)


def eligible(points: list[dict], conv) -> tuple[set, set]:
    """(groups ranked by count, groups in the quality comparison), from the point estimates."""
    floor = conv.min_families or 0
    ranked = {p["grp"] for p in points if (p["grp"] != UNKNOWN or conv.unknown == "rank") and p["families"] >= floor}
    if conv.window == "matched":
        quality = {p["grp"] for p in points if p["grp"] in ranked and (p["families_complete"] or 0) >= max(floor, 1e-9)}
    else:
        quality = set(ranked)
    return ranked, quality


def population_baseline(session, conv, groups: list) -> tuple[np.ndarray | None, str | None]:
    """Each group's share of the world's families from ``baseline_countries`` (inventor
    countries, the population-based citation work), when the lake holds it and the grouping is
    inventor country; else None (RTA then uses the lake's own families of the window)."""
    if conv.by != "inventor-country" or not conv.landscape or not session.lake.has("baseline_countries"):
        return None, None
    where = (f"AND cohort_year BETWEEN {int(conv.years[0])} AND {int(conv.years[1])}"
             if isinstance(conv.years, tuple) else "")
    rows = {r["grp"]: float(r["families"] or 0) for r in session.engine.rows(_load("baseline", where=where))}
    total = sum(rows.values())
    if not total:
        return None, None
    shares = np.array([rows.get(g, 0.0) / total if rows.get(g) else np.nan for g in groups])
    sources = ", ".join(str(r["source"]) for r in session.engine.rows(_load("baseline_sources")))
    return shares, (f"RTA is set against the population baseline ({sources}): each country's share of the world's "
                    "families by inventor country over the window's priority years (whole counts, shares of country "
                    "slots), not the lake's own families.")


def _figures(joint: JointCounts, draws: np.ndarray, cols: dict, conv, k: int) -> dict:
    """Every headline figure for each row of ``draws`` (replicates, or the observed counts)."""
    need = cols["need"]  # the groups shown or ranked: per-group figures only for them
    fam, n = joint.sums(draws, "w", "inl", need), joint.totals(draws, "inl")
    matched, m = joint.sums(draws, "w", "complete", need), joint.totals(draws, "complete")
    qa, t = joint.sums(draws, "w", "top10", need), joint.totals(draws, "top10")
    top1, t1 = joint.sums(draws, "w", "top1", need), joint.totals(draws, "top1")
    pop, p = joint.sums(draws, "w", None, need), joint.totals(draws)
    frac = joint.sums(draws, "frac", "inl", cols["known"])  # concentration: every known group
    with np.errstate(invalid="ignore", divide="ignore"):
        out = {"share": fam / n[:, None], "share_matched": matched / m[:, None],
               "quality_adjusted_share": qa / t[:, None], "top1_share": top1 / t1[:, None],
               "rta": (fam / n[:, None]) / (cols["baseline"][None, :] if cols.get("baseline") is not None
                                             else pop / p[:, None])}
        out["rank"] = _ranks(fam, cols["ranked"])
        count_q = matched if conv.window == "matched" else fam
        out["rank_matched"] = _ranks(matched, cols["quality"])
        out["quality_adjusted_rank"] = _ranks(qa, cols["quality"])
        base = out["rank_matched"] if conv.window == "matched" else _ranks(count_q, cols["quality"])
        out["rank_shift"] = base - out["quality_adjusted_rank"]
        share_q = out["share_matched"] if conv.window == "matched" else out["share"]
        out["number_over_quality_gap"] = share_q - out["quality_adjusted_share"]
        s = frac / frac.sum(axis=1, keepdims=True)
        s = np.nan_to_num(s)
        out["hhi"] = (s * s).sum(axis=1)
        kk = min(max(4, k), s.shape[1])
        largest = -np.sort(-np.partition(s, s.shape[1] - kk, axis=1)[:, s.shape[1] - kk:], axis=1) if kk else s[:, :0]
        out["cr4"] = largest[:, :4].sum(axis=1)
        out["top_k_share"] = largest[:, :k].sum(axis=1)
    return out


def _ranks(values: np.ndarray, members: np.ndarray) -> np.ndarray:
    out = np.full(values.shape, np.nan)
    if len(members):
        out[:, members] = competition_ranks(values[:, members])
    return out


def headline(joint: JointCounts, groups: list, points: list[dict], conv, totals: dict,
             baseline: np.ndarray | None = None, shown: list | None = None) -> tuple[dict, dict]:
    """``({group: {figure: value, figure_ci: [lo, hi]}}, concentration)`` for the ``shown``
    groups (all when None); ranks are among every ranked group. ``baseline``: each group's
    population share for RTA (``population_baseline``), else the lake's window."""
    ranked, quality = eligible(points, conv)
    full = {g: i for i, g in enumerate(groups)}
    wanted = [g for g in (shown if shown is not None else groups) if g in full]
    needed = sorted({full[g] for g in (*wanted, *ranked, *quality) if g in full})
    index = {groups[i]: j for j, i in enumerate(needed)}  # group -> position among the needed columns
    cols = {"need": np.array(needed, dtype=np.int64),
            "ranked": np.array(sorted(index[g] for g in ranked if g in index), dtype=int),
            "quality": np.array(sorted(index[g] for g in quality if g in index), dtype=int),
            "known": np.array([i for g, i in full.items() if g != UNKNOWN], dtype=np.int64),
            "baseline": None if baseline is None else baseline[np.array(needed, dtype=np.int64)]}
    picked = np.array([index[g] for g in wanted], dtype=int)
    k = conv.top or 10
    point = _figures(joint, joint.observed(), cols, conv, k)
    samples: dict = {}
    if conv.replicates:
        for block in joint.replicates(conv.replicates, conv.seed + 7919):
            for name, values in _figures(joint, block, cols, conv, k).items():
                samples.setdefault(name, []).append(values[:, picked] if values.ndim == 2 else values)
        samples = {name: np.concatenate(parts) for name, parts in samples.items()}
    intervals = {name: percentile_interval(samples[name], conv.level) for name in GROUP_FIGURES if name in samples}
    has_quality = bool(totals.get("top10"))
    out = {}
    for j, g in enumerate(wanted):
        row = {}
        for name in GROUP_FIGURES:
            value = point[name][0, index[g]]
            usable = math.isfinite(value) and (has_quality or name in ("share", "rank", "rta"))
            row[name] = _clean(value, name) if usable else None
            if usable and name in intervals:
                row[f"{name}_ci"] = intervals[name][j]
        out[g] = row
    concentration = {"groups": len(cols["known"]), "top_k": k}
    if not any(p["grp"] != UNKNOWN and (p["families"] or 0) > 0 for p in points):
        # shares of nothing: undefined, not 0 (every family in UNKNOWN, e.g. --by inventor-country on Lens)
        concentration.update(hhi=None, cr4=None, top_k_share=None,
                             reason="no family has a known group (every family is in UNKNOWN), so there is no "
                                    "distribution to measure")
        return out, concentration
    for name in ("hhi", "cr4", "top_k_share"):
        value = float(point[name][0])
        concentration[name] = value if math.isfinite(value) else None
        if name in samples:
            concentration[f"{name}_ci"] = percentile_interval(samples[name][:, None], conv.level)[0]
    return out, concentration


def _clean(value: float, name: str):
    return int(round(value)) if "rank" in name else float(value)


@functools.lru_cache(maxsize=8)
def _z(level: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf(0.5 + level / 2))


def wilson(p: float | None, weight: float | None, weight2: float | None, level: float) -> list[float] | None:
    """Wilson score interval for a proportion ``p`` over families with weights summing to
    ``weight`` (sum of squares ``weight2``): n is Kish's effective number, (Σw)² / Σw², which is
    the number of families under whole counting."""
    from scipy.stats import norm

    from ..landscapes.evaluate import wilson as score

    if p is None or not weight or not weight2:
        return None
    n = weight * weight / weight2
    got = score(p * n, n, float(norm.ppf(0.5 + level / 2)))
    if not got:
        return None
    # the bounds are exact at the edges (floating point would leave 5.6e-17 above a 0 % estimate)
    return [0.0 if p <= 0 else min(float(got[0]), p), 1.0 if p >= 1 else max(float(got[1]), p)]
