"""What the demo world's modules share: the ``World`` container and small array helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

EPOCH = dt.date(1970, 1, 1)
UNKNOWN = "??"
#: Offices a family may extend to, with how often applicants pick them.
FOREIGN_OFFICES = np.array(["US", "EP", "CN", "JP", "KR", "IN", "CA", "AU", "GB", "DE"])
FOREIGN_WEIGHTS = np.array([0.30, 0.22, 0.14, 0.12, 0.08, 0.04, 0.03, 0.03, 0.02, 0.02])


def days(date: str) -> int:
    return (dt.date.fromisoformat(date) - EPOCH).days


def lookup(values: np.ndarray, mapping: dict, default, dtype=object) -> np.ndarray:
    """``mapping[v]`` for every element, computed once per distinct value (vectorised)."""
    distinct, inverse = np.unique(np.asarray(values, dtype=object).astype(str), return_inverse=True)
    return np.array([mapping.get(v, default) for v in distinct], dtype=dtype)[inverse]


def largest_remainder(total: int, weights: dict) -> dict:
    """Split ``total`` into integers proportional to ``weights`` that sum exactly to ``total``."""
    keys = list(weights)
    w = np.array([weights[k] for k in keys], dtype=float)
    raw = total * w / w.sum()
    out = np.floor(raw).astype(int)
    out[np.argsort(-(raw - out), kind="stable")[: total - out.sum()]] += 1
    return dict(zip(keys, out.tolist()))


@dataclass
class World:
    """Family-level arrays (index = family) plus the truth the pipeline should recover."""

    seed: int
    n_families: int  # GenAI families in the calibrated window (near misses come on top)
    fam: dict = field(default_factory=dict)  # column → numpy array, one entry per family
    members: dict = field(default_factory=dict)  # one entry per published document
    parties: dict = field(default_factory=dict)  # one entry per (family, role, seq)
    cites: dict = field(default_factory=dict)  # family-level citation pairs
    truth: dict = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.fam["family_id"])
