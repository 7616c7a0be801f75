"""Bootstrap confidence intervals for compare, resampling families, vectorised.

A Poisson bootstrap (Hanley & MacGibbon 2006; Chamandy et al. 2012, "Estimating uncertainty for
massive data streams") gives each family a Poisson(1) weight per replicate instead of drawing
families with replacement. Sums of independent Poisson(1) weights are Poisson(k), so families
that share a group, a counting weight and a value can be resampled together: the engine
returns a histogram ``(group, measure, weight, value, n)``, and each replicate draws one
Poisson(n) per histogram row. The cost no longer grows with the number of families. Groups with at
least ``LARGE`` families take the normal limit instead (no draws). Values of
continuous measures are rounded for the histogram only (2 decimals for relative citations, 3
for the composite index); point estimates use exact values.

This serves the means of continuous measures per group (cohort-relative citations, the
composite index, claims), which need no other group. Shares, ranks, the gap and concentration
resample families jointly across groups (``joint.py``); proportions get Wilson's interval.
"""

from __future__ import annotations

import numpy as np

CHUNK = 1 << 21  # Poisson draws per block, to bound memory
#: Groups with at least this many families with a value get the normal interval the bootstrap
#: converges to (a weighted mean's linearised standard error), at no cost; smaller ones the
#: bootstrap itself, where skewed values (citations) make it matter.
LARGE = 1000


def _segment_sums(draws: np.ndarray, values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Per replicate (rows of ``draws``) and segment: Σ draws × values."""
    return np.add.reduceat(draws * values[None, :], starts, axis=1)


def _draws(rng, n: np.ndarray, replicates: int) -> np.ndarray:
    """Poisson(n) draws, shape (replicates, len(n)), generated in blocks."""
    out = np.empty((replicates, len(n)), dtype=np.float64)
    step = max(1, CHUNK // max(1, len(n)))
    for start in range(0, replicates, step):
        stop = min(replicates, start + step)
        out[start:stop] = rng.poisson(n[None, :], size=(stop - start, len(n)))
    return out


def intervals(hist: dict, totals: dict, replicates: int = 1000, seed: int = 0, level: float = 0.95) -> dict:
    """``{group: {measure_ci: [lo, hi]}}`` from a histogram given as column arrays.

    ``hist``: ``grp``, ``measure``, ``w``, ``x``, ``n``; ``totals`` is unused (kept for callers).
    """
    rng = np.random.default_rng(seed)
    grp = np.asarray(hist["grp"], dtype=object)
    measure = np.asarray(hist["measure"], dtype=object)
    w = np.asarray(hist["w"], dtype=float)
    x = np.asarray(hist["x"], dtype=float)
    n = np.asarray(hist["n"], dtype=float)
    out: dict = {}
    if len(n) == 0 or replicates <= 0:
        return out
    key = np.char.add(np.char.add(grp.astype(str), "\x1f"), measure.astype(str))
    order = np.lexsort((x, w, key))  # a fixed row order whatever order the engine returned
    grp, measure, w, x, n, key = grp[order], measure[order], w[order], x[order], n[order], key[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    sizes = np.add.reduceat(n, starts)
    large = sizes >= LARGE
    for j in np.flatnonzero(large):  # the bootstrap's own large-sample limit, at no cost
        seg = slice(starts[j], starts[j + 1] if j + 1 < len(starts) else len(n))
        out.setdefault(grp[starts[j]], {})[f"{measure[starts[j]]}_ci"] = _normal(w[seg], x[seg], n[seg], level)
    small = np.flatnonzero(~large)
    if len(small):
        bounds = np.r_[starts, len(n)]
        rows = np.concatenate([np.arange(bounds[j], bounds[j + 1]) for j in small])
        row_counts = np.diff(bounds)[small]
        sub_starts = np.r_[0, np.cumsum(row_counts)[:-1]]
        draws = _draws(rng, n[rows], replicates)
        wx = _segment_sums(draws, (w * x)[rows], sub_starts)
        ww = _segment_sums(draws, w[rows], sub_starts)
        lo_q, hi_q = 100 * (1 - level) / 2, 100 * (1 + level) / 2
        with np.errstate(invalid="ignore", divide="ignore"):
            for k, j in enumerate(small):
                start = starts[j]
                out.setdefault(grp[start], {})[f"{measure[start]}_ci"] = _ci(wx[:, k] / ww[:, k], lo_q, hi_q)
    return out


def _normal(w: np.ndarray, x: np.ndarray, n: np.ndarray, level: float):
    """Normal interval of a weighted mean from its linearised variance (what the Poisson
    bootstrap converges to for a large group)."""
    from scipy.stats import norm

    total = (n * w).sum()
    mean = (n * w * x).sum() / total
    se = np.sqrt((n * w * w * (x - mean) ** 2).sum()) / total
    z = norm.ppf(0.5 + level / 2)
    return [float(mean - z * se), float(mean + z * se)]


def _ci(values: np.ndarray, lo_q: float, hi_q: float):
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return None
    lo, hi = np.percentile(values, [lo_q, hi_q])
    return [float(lo), float(hi)]
