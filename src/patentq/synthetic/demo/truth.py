"""The planted truth of a synthetic world, as plain data for tests and the report.

``counts`` are exact by construction (allocated, not sampled): the pipeline must recover them
to the family. ``realized`` are what the sampled world actually holds (e.g. the share of each
country's families filed abroad), also exactly recoverable. ``planted`` are the population
parameters the sampling used: estimates should cover them within their bootstrap intervals.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np

from . import calibration as cal
from .base import UNKNOWN, World
from .quality_truth import summary

#: The planted quality: each inventor country's expected share of the top-10 % families by
#: 5-year forward citations over the matched families, and the matched gap, estimated over
#: seeded worlds by ``bench/calibration.py --plant`` (a property of the generating process, not
#: of one world; docs/compare.md, "Calibration").
PLANTED_QUALITY = Path(__file__).with_name("planted_quality.json")


def planted_quality() -> dict | None:
    if not PLANTED_QUALITY.exists():
        return None
    return json.loads(PLANTED_QUALITY.read_text())


def compute_truth(world: World) -> dict:
    f, m = world.fam, world.members
    genai = f["genai"]
    countries = Counter(f["inventor_country"][genai].tolist()) + Counter(
        c for c in f["co_inventor_country"][genai].tolist() if c)
    countries["unknown"] = countries.pop(UNKNOWN, 0)
    apps = ~m["is_grant"]
    abroad_fam = np.zeros(len(genai), bool)
    foreign = apps & (m["office"] != "WO") & (m["office"] != f["priority_office"][m["fam"]])
    abroad_fam[np.unique(m["fam"][foreign])] = True
    realized_abroad = {}
    for c in list(cal.INVENTOR_COUNTRY):
        in_c = genai & ((f["inventor_country"] == c) | (f["co_inventor_country"] == c))
        realized_abroad[c] = float(abroad_fam[in_c].mean())
    return {
        "synthetic": True,
        "seed": world.seed,
        "families": int(genai.sum()),
        "near_miss_families": int((f["candidate"] & ~genai).sum()),
        "counts": {
            "inventor_country": dict(sorted(countries.items(), key=lambda kv: -kv[1])),
            "year": {int(k): int(v) for k, v in sorted(Counter(f["year"][genai].tolist()).items())},
            "applicant_group": dict(Counter(g for g in f["group"][genai].tolist() if g).most_common()),
            "model": dict(Counter(f["model"][genai].tolist()).most_common()),
            "mode": dict(Counter(f["mode"][genai].tolist()).most_common()),
        },
        "realized": {"share_filed_abroad_by_inventor_country": realized_abroad},
        "planted": {
            "filed_abroad_probability": {c: cal.FILED_ABROAD[c] for c in cal.INVENTOR_COUNTRY},
            "citation_attractiveness": {c: cal.CITATION_ATTRACTIVENESS[c] for c in cal.INVENTOR_COUNTRY},
            "claims_mean": dict(cal.CLAIMS_MEAN),
            "quality": planted_quality(),
        },
        "quality": summary(world),
    }


def planted_filed_abroad(world: World, years: tuple[int, int]) -> dict:
    """The expected share filed abroad per inventor country (whole counting) over GenAI families
    first published in ``years``: the mean planted probability of the group's families (a
    co-invented family carries its primary country's probability)."""
    f = world.fam
    sel = f["genai"] & (f["year"] >= years[0]) & (f["year"] <= years[1])
    p = np.array([cal.FILED_ABROAD.get(c, 0.4) for c in f["inventor_country"]])
    out = {}
    for c in cal.INVENTOR_COUNTRY:
        in_c = sel & ((f["inventor_country"] == c) | (f["co_inventor_country"] == c))
        out[c] = float(p[in_c].mean())
    return out
