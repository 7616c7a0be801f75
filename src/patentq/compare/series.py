"""Time series per group and year, with intervals: families and share, share filed abroad, the
quality-adjusted (top 10 %) count and share, the share of the group's matched families in the
top 10 % (quality), and the gap. Intervals come from the joint bootstrap (``joint.py``) with one
column per (group, year) and one per year for the totals, so every year's figures are resampled
together. Rows of truncated years carry ``truncated: true`` (their counts are too low: the
data ends before their filings are all published)."""

from __future__ import annotations

import numpy as np
import pyarrow.compute as pc

from .. import sql
from .joint import JointCounts, percentile_interval

FIGURES = ("share", "quality_adjusted_share", "share_top10_cohort", "number_over_quality_gap")


def _load(name: str, **params) -> str:
    return sql.load(__name__.rsplit(".", 1)[0], name, **params)


def time_series(session, groups: list, conv, truncated=()) -> list[dict]:
    """One row per (group, year); ``truncated`` (the comparison's truncated years) flags the
    rows of years whose counts are still incomplete when the data ends (``truncated: true``)."""
    if not groups:
        return []
    cut = set(truncated or ())
    base = {(r["group"], r["year"]): {**r, "truncated": r["year"] in cut}
            for r in session.engine.rows(_load("time_series", groups=sql.in_list(groups)))}
    data = session.engine.query(_load("series_input"))
    if not data.num_rows:
        return list(base.values())
    family = pc.dictionary_encode(data.column("family_id")).combine_chunks().indices.to_numpy(
        zero_copy_only=False).astype(np.int64)
    years = data.column("year").to_numpy(zero_copy_only=False).astype(np.int64)
    span = sorted(set(years.tolist()))
    y_index = {y: i for i, y in enumerate(span)}
    yi = np.array([y_index[y] for y in years.tolist()], dtype=np.int64)
    g_index = {g: i for i, g in enumerate(groups)}
    grp = [g_index.get(g, -1) for g in data.column("grp").to_pylist()]
    gi = np.array(grp, dtype=np.int64)
    n_y, n_g = len(span), len(groups)
    shown = gi >= 0
    first = np.unique(family, return_index=True)[1]  # one "all families" row per family
    fam_rows = np.concatenate([family[shown], family[first]])
    cols = np.concatenate([gi[shown] * n_y + yi[shown], n_g * n_y + yi[first]])
    weights = np.concatenate([data.column("weight").to_numpy(zero_copy_only=False)[shown], np.ones(len(first))])
    n_fam = int(family.max()) + 1
    flags = {}
    for name in ("complete", "top10"):
        per_family = np.zeros(n_fam)
        np.maximum.at(per_family, family, np.nan_to_num(data.column(name).to_numpy(zero_copy_only=False).astype(float)))
        flags[name] = per_family
    joint = JointCounts.build(fam_rows, cols, (n_g + 1) * n_y, {"w": weights}, flags)

    def figures(draws):
        fam, matched, qa = (joint.sums(draws, "w", f) for f in (None, "complete", "top10"))
        split = lambda a: (a[:, : n_g * n_y], np.tile(a[:, n_g * n_y:], n_g))  # noqa: E731
        (f_gy, n), (m_gy, m), (q_gy, t) = split(fam), split(matched), split(qa)
        with np.errstate(invalid="ignore", divide="ignore"):
            count = m_gy / m if conv.window == "matched" else f_gy / n
            return {"share": f_gy / n, "quality_adjusted_share": q_gy / t, "share_top10_cohort": q_gy / m_gy,
                    "number_over_quality_gap": count - q_gy / t}

    point = figures(joint.observed())
    samples: dict = {}
    if conv.replicates:
        for block in joint.replicates(conv.replicates, conv.seed + 104729):
            for k, v in figures(block).items():
                samples.setdefault(k, []).append(v)
    samples = {k: np.concatenate(v) for k, v in samples.items()}
    out = []
    for (g, y), row in sorted(base.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        j = g_index[g] * n_y + y_index[y]
        row = dict(row)
        for k in FIGURES:
            value = float(point[k][0, j])
            row[k] = value if np.isfinite(value) else None
            if samples and row[k] is not None:
                row[f"{k}_ci"] = percentile_interval(samples[k][:, [j]], conv.level)[0]
        out.append(row)
    return out
