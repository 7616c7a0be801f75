"""Bootstrap confidence intervals for compare, resampling families, vectorised.

A Poisson bootstrap (Hanley & MacGibbon 2006; Chamandy et al. 2012, "Estimating uncertainty for
massive data streams") gives each family a Poisson(1) weight per replicate instead of drawing
families with replacement. Sums of independent Poisson(1) weights are Poisson(k), so families
that share a group, a counting weight and a value can be resampled together: the engine
returns a histogram ``(group, measure, weight, value, n)``, and each replicate draws one
Poisson(n) per histogram row. The cost no longer grows with the number of families. Values of
continuous measures are rounded for the histogram only (2 decimals for relative citations, 3
for the composite index); point estimates use exact values.

This serves the means of continuous measures per group (cohort-relative citations, the
composite index, claims), which need no other group. Shares, ranks, the gap and concentration
resample families jointly across groups (``joint.py``); proportions get Wilson's interval.
"""

from __future__ import annotations

import numpy as np

CHUNK = 1 << 21  # Poisson draws per block, to bound memory


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
    draws = _draws(rng, n, replicates)
    wx = _segment_sums(draws, w * x, starts)
    ww = _segment_sums(draws, w, starts)
    lo_q, hi_q = 100 * (1 - level) / 2, 100 * (1 + level) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        for j, start in enumerate(starts):
            out.setdefault(grp[start], {})[f"{measure[start]}_ci"] = _ci(wx[:, j] / ww[:, j], lo_q, hi_q)
    return out


def _ci(values: np.ndarray, lo_q: float, hi_q: float):
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return None
    lo, hi = np.percentile(values, [lo_q, hi_q])
    return [float(lo), float(hi)]
