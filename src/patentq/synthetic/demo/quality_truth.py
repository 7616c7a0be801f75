"""The world's quality truth: forward citations by origin, cohort-relative measures against the
whole population, and how many ranks the planted inflation buys.

Computed from the world's arrays alone, by the rules docs/indicators.md states, so the pipeline
(candidate export + citing documents + baselines) must reproduce the per-family figures exactly
(``tests/test_demo_quality.py``):

- a citing family cites through its first publication and is dated by it; a window ends N
  calendar years after the cited family's first publication (29 February → 28 February);
- foreign: the two families share no inventor country (both known), else no applicant country;
- self: the same applicant group (the curated group, else the applicant's name);
- cohort: priority year × WIPO field over *all* families of the world (candidates and population).
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from . import calibration as cal
from .base import UNKNOWN, World


def add_years(day: np.ndarray, n: int) -> np.ndarray:
    """Days since 1970 plus ``n`` calendar years, as DuckDB's ``date + INTERVAL n YEAR``."""
    d = np.asarray(day, dtype="int64").astype("datetime64[D]")
    year = d.astype("datetime64[Y]").astype(int) + 1970
    month = d.astype("datetime64[M]").astype(int) % 12 + 1
    dom = (d - d.astype("datetime64[M]")).astype(int) + 1
    new_year = year + n
    leap = (new_year % 4 == 0) & ((new_year % 100 != 0) | (new_year % 400 == 0))
    dom = np.where((month == 2) & (dom == 29) & ~leap, 28, dom)
    text = np.char.add(np.char.add(np.char.add(new_year.astype(str), "-"), np.char.zfill(month.astype(str), 2)),
                       np.char.add("-", np.char.zfill(dom.astype(str), 2)))
    return (text.astype("datetime64[D]") - np.datetime64("1970-01-01")).astype(np.int64)


def _origins(world: World, citing: np.ndarray, cited: np.ndarray, same_by: str = "group") -> tuple[np.ndarray, np.ndarray]:
    """(foreign, self) per citation pair; self by applicant group (the lake's rule) or by the
    applicant's name (the baselines query's, which has no harmonisation)."""
    f = world.fam
    inv = [frozenset(c for c in (a, b) if c and c != UNKNOWN) for a, b in zip(f["inventor_country"], f["co_inventor_country"])]
    inv = np.array(inv, dtype=object)
    a, b = inv[citing], inv[cited]
    known = np.array([bool(x) and bool(y) for x, y in zip(a, b)])
    shares_inventor = np.array([bool(x & y) for x, y in zip(a, b)])
    shares_applicant = f["applicant_country"][citing] == f["applicant_country"][cited]
    foreign = np.where(known, ~shares_inventor, ~shares_applicant)
    group = np.where(f["group"] != "", f["group"], f["applicant"]) if same_by == "group" else f["applicant"]
    return foreign, group[citing] == group[cited]


def forward(world: World, planted: bool = True, same_by: str = "group") -> dict[str, np.ndarray]:
    """Per family (all of the world's): forward citing families within 3/5/7 years and in all,
    and the 5-year ones from abroad and from other applicants."""
    f, c = world.fam, world.cites
    keep = np.ones(len(c["citing"]), bool) if planted else c["planted"] == 0
    citing, cited = c["citing"][keep], c["cited"][keep]
    n = len(f["family_id"])
    when = f["first_pub_day"][citing]
    out = {"fwd_cits_total": np.bincount(cited, minlength=n)}
    for years in (3, 5, 7):
        inside = when <= add_years(f["first_pub_day"], years)[cited]
        out[f"fwd_cits_{years}"] = np.bincount(cited[inside], minlength=n)
    inside = when <= add_years(f["first_pub_day"], 5)[cited]
    foreign, same = _origins(world, citing[inside], cited[inside], same_by)
    out["fwd_cits_5_foreign"] = np.bincount(cited[inside][foreign], minlength=n)
    out["fwd_cits_5_xapp"] = np.bincount(cited[inside][~same], minlength=n)
    return out


def cohorts(world: World, values: np.ndarray, population: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Per family: the population cohort's mean of ``values`` and the family's relative value,
    percentile, top 10 % and top 1 % (cohort: priority year × field over every family).
    ``population``: the values the cohort's distribution is made of, where they follow another
    rule than the family's own (the baselines' non-self count is by name)."""
    population = values if population is None else population
    f = world.fam
    year = f["priority_day"].astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
    key = year * 100 + f["field"]
    n = len(values)
    mean, below, above, size = (np.zeros(n) for _ in range(4))
    for k in np.unique(key):
        idx = np.flatnonzero(key == k)
        v = values[idx].astype(float)
        ordered = np.sort(population[idx].astype(float))
        mean[idx] = ordered.mean()
        below[idx] = np.searchsorted(ordered, v, side="left")
        above[idx] = len(v) - np.searchsorted(ordered, v, side="right")
        size[idx] = len(ordered)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(mean > 0, values / mean, np.nan)
    return {"mean": mean, "rel": rel, "pct": 100.0 * below / size, "top10": (values > 0) & (above < 0.10 * size),
            "top1": (values > 0) & (above < 0.01 * size), "cohort_year": year}


def _qa_ranks(world: World, top10: np.ndarray, complete: np.ndarray) -> dict[str, int]:
    """Competition ranks of inventor countries (whole counting) by GenAI families 2014-2023 in
    the top 10 % of their cohort with a complete 5-year window, as ``compare`` counts them."""
    f = world.fam
    sel = f["genai"] & (f["year"] >= 2014) & (f["year"] <= 2023) & complete & top10
    counts = Counter(("UNKNOWN" if c == UNKNOWN else c) for c in f["inventor_country"][sel].tolist())
    counts.update(c for c in f["co_inventor_country"][sel].tolist() if c)
    every = set(f["inventor_country"][f["genai"]].tolist()) | set(f["co_inventor_country"][f["genai"]].tolist())
    groups = {("UNKNOWN" if c == UNKNOWN else c) for c in every if c}
    values = {g: counts.get(g, 0) for g in groups}
    return {g: 1 + sum(v > values[g] for v in values.values()) for g in groups}


def data_end_day(world: World) -> int:
    """The lake's end date: the latest publication date of a candidate's member."""
    m = world.members
    return int(m["pub_day"][world.fam["candidate"][m["fam"]]].max())


def inflation(world: World) -> dict:
    """The planted inflation's size and the quality-adjusted ranks it buys the inflated country."""
    f, c = world.fam, world.cites
    complete = add_years(f["first_pub_day"], 5) <= data_end_day(world)
    ranks = {}
    for label, planted in (("with", True), ("without", False)):
        top10 = cohorts(world, forward(world, planted)["fwd_cits_5"])["top10"]
        ranks[label] = _qa_ranks(world, top10, complete)
    country = cal.INFLATED_COUNTRY
    inflated = f["genai"] & (f["inventor_country"] == country)
    return {
        "country": country,
        "inflated_families": int(inflated.sum()),
        "planted_domestic_citations": int((c["planted"] == 1).sum()),
        "planted_self_citations": int((c["planted"] == 2).sum()),
        "planted_per_family": {"domestic": cal.DOMESTIC_CITATIONS, "self": cal.SELF_CITATIONS},
        "quality_adjusted_rank_fwd5": {"with_inflation": ranks["with"][country], "without": ranks["without"][country]},
        "ranks_bought": ranks["without"][country] - ranks["with"][country],
    }


def summary(world: World) -> dict:
    """What TRUTH-synthetic.json says about quality: the population and the planted inflation."""
    f = world.fam
    return {"population_families": int((~f["candidate"]).sum()), "candidate_families": int(f["candidate"].sum()),
            "citation_pairs": int(len(world.cites["citing"])), "data_end_date": _iso(data_end_day(world)),
            "inflation": inflation(world)}


def _iso(day: int) -> str:
    return str(np.datetime64(day, "D"))

