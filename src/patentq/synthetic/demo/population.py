"""The population outside the landscape, and the citation inflation planted in it.

A user exports a landscape's candidates; the world they come from is much larger. The demo world
therefore holds, beside the candidates (GenAI and near-miss families), a population: the rest of
each cohort (each population family takes the priority year and WIPO field of a random
candidate, so every candidate cohort has its population) in technology codes the candidate
export does not select. Population families cite candidates and each other like candidates do;
they reach a user only as citing documents and baseline histograms
(``export.write_google_exports``).

Planted inflation (issue 13; Boeing & Mueller on domestic and self citations in China):
``calibration.INFLATED_COUNTRY``'s GenAI families receive extra citations from their own
country within four years of their first publication: ``DOMESTIC_CITATIONS`` on average from
population families of that country with other applicants, and ``SELF_CITATIONS`` on average
from population families the same applicant files (made for the purpose). ``World.cites``
marks these pairs (``planted``: 1 domestic, 2 self), and the truth says how many ranks they buy.
"""

from __future__ import annotations

import numpy as np

from . import calibration as cal
from .base import UNKNOWN, World, days

#: CPC codes of population families by WIPO field, outside the candidate export's prefixes
#: (calibration.EXPORT_CPC_PREFIXES): two per family, so the field is the majority field.
FIELD_CODES = {
    6: ["G06F16/30", "G06F9/50", "G06F21/62", "G06V10/764", "G06F3/048", "G06T7/00"],
    1: ["H02J7/00", "H01M10/44"],
    29: ["B29C64/10", "B33Y30/00"],
}
#: WIPO field of each near-miss kind (text.NEAR_MISS: wind turbine, 3D printer, generative CAD,
#: image classification); GenAI families are all in field 6 (computer technology).
NEAR_MISS_FIELD = {0: 1, 1: 29, 2: 6, 3: 6}


def candidate_fields(near_miss_kind: np.ndarray) -> np.ndarray:
    return np.array([NEAR_MISS_FIELD.get(int(k), 6) for k in near_miss_kind], dtype=np.int64)


def population_families(rng, cand: dict, names) -> dict:
    """Arrays of the population families (before dates, members and parties): the rest of each
    candidate cohort, plus the planted self-citing families of the inflated country."""
    n_cand = len(cand["family_id"])
    n_pop = int(round(cal.POPULATION_FACTOR * n_cand))
    src = rng.integers(0, n_cand, n_pop)  # the candidate whose cohort the family fills
    labels = np.array(list(cal.POPULATION_COUNTRIES), dtype=object)
    weights = np.array(list(cal.POPULATION_COUNTRIES.values()))
    country = labels[rng.choice(len(labels), n_pop, p=weights / weights.sum())]
    where = np.where(country == UNKNOWN, "CN", country)
    pop = {"src": src, "inventor_country": country, "applicant": names(rng, where), "applicant_country": where,
           "group": np.full(n_pop, "", dtype=object), "planted_target": np.full(n_pop, -1, dtype=np.int64)}
    # planted self citations: families of the cited family's own applicant, inventors at home
    inflated = np.flatnonzero(cand["genai"] & (cand["inventor_country"] == cal.INFLATED_COUNTRY))
    k = rng.poisson(cal.SELF_CITATIONS, len(inflated))
    target = np.repeat(inflated, k)
    planted = {"src": target, "inventor_country": np.full(len(target), cal.INFLATED_COUNTRY, dtype=object),
               "applicant": cand["applicant"][target], "applicant_country": cand["applicant_country"][target],
               "group": cand["group"][target], "planted_target": target}
    out = {key: np.concatenate([pop[key], planted[key]]) for key in pop}
    n = len(out["src"])
    out.update(year=cand["year"][out["src"]], field=cand["field"][out["src"]],
               co_inventor_country=np.full(n, "", dtype=object), genai=np.zeros(n, bool),
               candidate=np.zeros(n, bool), model=np.full(n, "none", dtype=object),
               mode=np.full(n, "none", dtype=object), near_miss_kind=np.full(n, -1, dtype=np.int64),
               title=np.full(n, "", dtype=object), abstract=np.full(n, "", dtype=object))
    return out


def population_codes(rng, field: np.ndarray, offset: int) -> dict:
    """Two distinct CPC codes of the family's field per population family (``fam`` from ``offset``)."""
    n = len(field)
    first = np.empty(n, dtype=object)
    second = np.empty(n, dtype=object)
    for value, codes in FIELD_CODES.items():
        idx = np.flatnonzero(field == value)
        pool = np.array(codes, dtype=object)
        a = rng.integers(0, len(pool), len(idx))
        b = (a + 1 + rng.integers(0, len(pool) - 1, len(idx))) % len(pool)
        first[idx], second[idx] = pool[a], pool[b]
    fam = np.repeat(np.arange(n) + offset, 2)
    return {"fam": fam, "code": np.stack([first, second], axis=1).ravel(), "is_first": np.tile([True, False], n)}


def date_planted(rng, world: World) -> None:
    """Planted self-citing families are first published 90 days to 4 years after their target
    (never after the data cut-off; those past it are dropped by ``build_members`` like any late
    publication)."""
    f = world.fam
    planted = np.flatnonzero(f["planted_target"] >= 0)
    target = f["planted_target"][planted]
    first = np.minimum(f["first_pub_day"][target] + rng.integers(90, 4 * 365, len(planted)), days(cal.CUTOFF))
    f["first_pub_day"][planted] = first
    f["priority_day"][planted] = first - 548 + rng.integers(-30, 31, len(planted))
    f["year"][planted] = (first.astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970)


def planted_pairs(rng, world: World) -> np.ndarray:
    """(citing, cited, kind) of the planted citations: self (2) from the families made for it,
    domestic (1) from population families of the inflated country published 60 days to 4 years
    after the cited family's first publication."""
    f = world.fam
    self_citing = np.flatnonzero(f["planted_target"] >= 0)
    pairs = [np.stack([self_citing, f["planted_target"][self_citing], np.full(len(self_citing), 2)], axis=1)]
    pool = np.flatnonzero(~f["candidate"] & (f["planted_target"] < 0) & (f["inventor_country"] == cal.INFLATED_COUNTRY))
    pool = pool[np.argsort(f["first_pub_day"][pool], kind="stable")]
    days = f["first_pub_day"][pool]
    cited = np.flatnonzero(f["genai"] & (f["inventor_country"] == cal.INFLATED_COUNTRY))
    k = rng.poisson(cal.DOMESTIC_CITATIONS, len(cited))
    cited = np.repeat(cited, k)
    lo = np.searchsorted(days, f["first_pub_day"][cited] + 60, side="left")
    hi = np.searchsorted(days, f["first_pub_day"][cited] + 4 * 365, side="right")
    ok = hi > lo
    cited, lo, hi = cited[ok], lo[ok], hi[ok]
    citing = pool[lo + (rng.random(len(cited)) * (hi - lo)).astype(np.int64)]
    pairs.append(np.stack([citing, cited, np.ones(len(cited), dtype=np.int64)], axis=1))
    return np.concatenate(pairs).astype(np.int64)
