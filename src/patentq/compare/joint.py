"""Resampling families jointly across groups: the bootstrap behind every headline that sets
groups against each other (ranks, rank shift, gap, RTA, concentration).

A family attributed to two groups must carry the same bootstrap weight in both, or ranks and
concentration would be resampled as if groups were independent. Families are therefore drawn,
not (group, value) cells: each family gets a Poisson(1) weight per replicate (Hanley &
MacGibbon 2006). Families with the same *pattern* — the same groups with the same weights and
the same flags (matched window, top 10 %, top 1 %, in the landscape) — are exchangeable, and a sum
of k independent Poisson(1) weights is Poisson(k), so each pattern gets one Poisson(k) draw per
replicate. Per replicate, the group sums are one sparse product ``draws @ patterns``.

``JointCounts`` holds the patterns; ``sums(draws)`` returns the weighted sums per flag and group
(and the distinct-family totals per flag), for the observed data (``observed()``) or for a block
of replicates (``replicates()``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

#: Poisson draws (replicates x patterns) held at once.
BLOCK = 1 << 21
_HASH_SEED = 20240611


@dataclass
class JointCounts:
    """``flags`` names the per-family 0/1 columns; ``weights`` names the per-row weights."""

    counts: np.ndarray            # families per pattern
    flags: dict[str, np.ndarray]  # flag -> 0/1 per pattern
    matrices: dict[str, sparse.csr_matrix]  # weight name -> patterns x columns
    n_columns: int
    _sliced: dict = field(default_factory=dict)

    @classmethod
    def build(cls, family: np.ndarray, column: np.ndarray, n_columns: int, weights: dict[str, np.ndarray],
              flags: dict[str, np.ndarray], stands_for: np.ndarray | None = None) -> "JointCounts":
        """``family``, ``column`` and each ``weights`` array: one entry per (family, column) row;
        ``family`` is a 0..F-1 code; each ``flags`` array has one 0/1 entry per family.
        ``stands_for``: per family, how many families of the same pattern it represents (1 when
        None), so families grouped beforehand give the same patterns, counts and draws."""
        n_fam = max(int(family.max()) + 1 if len(family) else 0, max((len(f) for f in flags.values()), default=0))
        rng = np.random.default_rng(_HASH_SEED)
        keys = []
        for _ in range(2):  # two independent 64-bit hashes of each family's rows and flags
            code = rng.integers(1, 2**63 - 1, size=max(n_columns, 1), dtype=np.uint64)
            h = code[column]
            for w in weights.values():
                q = np.round(np.nan_to_num(w, nan=-1.0) * 1e6).astype(np.int64).astype(np.uint64)
                h = h * (q + np.uint64(2)) + rng.integers(1, 2**63 - 1, dtype=np.uint64)
            fam_hash = np.zeros(n_fam, dtype=np.uint64)
            np.add.at(fam_hash, family, h)
            for f in flags.values():
                fam_hash = fam_hash * np.uint64(3) + np.asarray(f, dtype=np.uint64)
            keys.append(fam_hash)
        first, inverse, counts = _unique_pairs(*keys)
        if stands_for is not None:
            counts = np.bincount(inverse, weights=stands_for, minlength=len(counts))
        keep = first[inverse[family]] == family  # the rows of each pattern's first family
        rows = inverse[family[keep]]
        # stored transposed (columns x patterns, CSR): a product with draws laid out patterns x
        # replicates needs no copy of the draws
        matrices = {name: sparse.csr_matrix((np.nan_to_num(w[keep]), (column[keep], rows)),
                                            shape=(max(n_columns, 1), len(counts)))
                    for name, w in weights.items()}
        return cls(counts.astype(float), {k: np.asarray(v, float)[first] for k, v in flags.items()}, matrices,
                   n_columns)

    def sums(self, draws: np.ndarray, weight: str, flag: str | None = None,
             columns: np.ndarray | None = None) -> np.ndarray:
        """Per replicate and column (replicates x columns): Σ draws × weight (× flag); ``draws``
        is patterns x replicates; ``columns``: only these (in this order)."""
        d = draws if flag is None else draws * self.flags[flag][:, None]
        if columns is None:
            return np.asarray(self.matrices[weight] @ d).T[:, : self.n_columns]
        key = (weight, columns.tobytes())
        if key not in self._sliced:
            self._sliced[key] = self.matrices[weight][columns]
        return np.asarray(self._sliced[key] @ d).T

    def totals(self, draws: np.ndarray, flag: str | None = None) -> np.ndarray:
        """Per replicate: distinct families (with ``flag``)."""
        return draws.sum(axis=0) if flag is None else self.flags[flag] @ draws

    def observed(self) -> np.ndarray:
        return self.counts[:, None]

    def replicates(self, replicates: int, seed: int):
        """Blocks of Poisson(count) draws (patterns x replicates), ``replicates`` in all."""
        rng = np.random.default_rng(seed)
        step = max(1, BLOCK // max(1, len(self.counts)))
        for start in range(0, replicates, step):
            stop = min(replicates, start + step)
            yield rng.poisson(self.counts[:, None], size=(len(self.counts), stop - start)).astype(float)


def _unique_pairs(high: np.ndarray, low: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What ``np.unique(np.stack([high, low], axis=1), axis=0, return_index=True,
    return_inverse=True, return_counts=True)`` returns but the unique rows: the same patterns in
    the same order (by ``high``, then ``low``), with each pattern's first row. That call sorts the
    rows as one structured type, element by element: 4.0 s for 3M families, against 0.46 s for
    these two stable integer sorts."""
    n = len(high)
    if n == 0:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty, empty
    order = np.lexsort((low, high))  # stable: each pattern's rows keep their order
    h, lo = high[order], low[order]
    new = np.concatenate(([True], (h[1:] != h[:-1]) | (lo[1:] != lo[:-1])))  # a pattern's first row
    starts = np.flatnonzero(new)
    inverse = np.empty(n, dtype=np.intp)
    inverse[order] = np.cumsum(new) - 1
    return order[starts], inverse, np.diff(np.append(starts, n))


def competition_ranks(values: np.ndarray) -> np.ndarray:
    """Per row: 1 + how many entries of the row are larger (ties share a rank); NaN stays NaN."""
    filled = np.where(np.isnan(values), -np.inf, values)
    ordered = np.sort(filled, axis=1)
    n = values.shape[1]
    ranks = np.empty(values.shape)
    for r in range(values.shape[0]):  # one binary search per row: O(n log n), no n x n comparison
        ranks[r] = n - np.searchsorted(ordered[r], filled[r], side="right") + 1
    return np.where(np.isnan(values), np.nan, ranks)


def percentile_interval(samples: np.ndarray, level: float) -> list[list[float] | None]:
    """Per column of ``samples`` (replicates x columns): [lo, hi] over finite values, or None."""
    lo_q, hi_q = 100 * (1 - level) / 2, 100 * (1 + level) / 2
    finite = np.isfinite(samples)
    if finite.all():  # the usual case, one vectorised call
        both = np.percentile(samples, [lo_q, hi_q], axis=0)
        return [[float(both[0, j]), float(both[1, j])] for j in range(samples.shape[1])]
    out = []
    for j in range(samples.shape[1]):
        col = samples[finite[:, j], j]
        out.append(None if len(col) == 0 else [float(v) for v in np.percentile(col, [lo_q, hi_q])])
    return out
