"""The seeded synthetic GenAI world: families, members, parties, classifications and citations.

Everything is drawn with one ``numpy.random.Generator`` in whole-array operations, so the same
seed gives the same world and 1M families take seconds. Counts that the calibration fixes
(inventor countries, years, top applicants) are *allocated exactly* (scaled, then placed by
random permutation), not sampled, so the pipeline can be tested to recover them to the family.
Quality differences are *sampled* from planted probabilities, so tests check them against the
bootstrap intervals instead. ``World.truth`` holds both.
"""

from __future__ import annotations


import numpy as np

from . import calibration as cal
from .members import build_members, build_parties
from .population import candidate_fields, date_planted, planted_pairs, population_codes, population_families
from .text import cpc_codes_for, titles_and_abstracts
from .truth import compute_truth

from .base import EPOCH, FOREIGN_OFFICES, FOREIGN_WEIGHTS, UNKNOWN, World, days, largest_remainder, lookup  # noqa: F401


def generate(n_families: int = cal.TOTAL_FAMILIES, seed: int = 2024) -> World:
    """The calibrated world scaled to ``n_families`` GenAI families (plus near-miss families)."""
    if n_families < 500:
        raise ValueError("the demo world needs at least 500 families to keep every calibrated group non-empty")
    rng = np.random.default_rng(seed)
    world = World(seed, n_families)
    primary, secondary = _inventor_countries(rng, n_families)
    year = _years(rng, primary)
    group, applicant, applicant_country = _applicants(rng, primary)
    n_near = int(round(n_families * cal.NEAR_MISS_SHARE))
    # near-miss families: same shape, not GenAI; appended after the GenAI ones
    near_primary = rng.choice(np.array(["CN", "US", "JP", "KR", "DE"]), n_near, p=[0.6, 0.15, 0.1, 0.1, 0.05])
    primary = np.concatenate([primary, near_primary])
    secondary = np.concatenate([secondary, np.full(n_near, "", dtype=object)])
    year = np.concatenate([year, rng.integers(2014, 2024, n_near)])
    near_names = _generic_names(rng, near_primary)
    group = np.concatenate([group, np.full(n_near, "", dtype=object)])
    applicant = np.concatenate([applicant, near_names])
    applicant_country = np.concatenate([applicant_country, near_primary])
    n = n_families + n_near
    genai = np.arange(n) < n_families
    model = np.where(genai, _draw(rng, cal.MODEL_SHARES, n), "none")
    mode = np.where(genai, _draw(rng, cal.MODE_SHARES, n), "none")
    kind_of_miss = np.where(genai, -1, rng.integers(0, 4, n))
    title, abstract = titles_and_abstracts(rng, model, mode, kind_of_miss)
    world.fam = {
        "family_id": np.array([f"{90_000_000 + i}" for i in range(n)], dtype=object),
        "genai": genai, "inventor_country": primary, "co_inventor_country": secondary, "year": year,
        "group": group, "applicant": applicant, "applicant_country": applicant_country,
        "model": model, "mode": mode, "near_miss_kind": kind_of_miss, "title": title, "abstract": abstract,
    }
    world.fam["cpc"] = cpc_codes_for(rng, model, mode, kind_of_miss)
    world.fam.update(candidate=np.ones(n, bool), field=candidate_fields(kind_of_miss),
                     planted_target=np.full(n, -1, dtype=np.int64))
    _reach_and_dates(rng, world)
    _quality(rng, world)
    _add_population(rng, world)

    build_members(rng, world)
    world.fam["partial_inventor_country"] &= world.fam["candidate"]  # the population's documents are whole
    build_parties(rng, world)
    _citations(rng, world)
    world.truth = _truth(world)
    return world


def _add_population(rng, world: World) -> None:
    """Append the population (population.py) to the candidates: its own dates and quality, then
    the planted self-citing families dated after their targets."""
    cand = world.fam
    pop = World(world.seed, 0, fam=population_families(rng, cand, _generic_names))
    n = len(cand["family_id"])
    pop.fam["family_id"] = np.array([f"{90_000_000 + n + i}" for i in range(len(pop.fam["src"]))], dtype=object)
    _reach_and_dates(rng, pop)
    _quality(rng, pop)
    pop.fam["cpc"] = population_codes(rng, pop.fam["field"], n)
    merged = {k: np.concatenate([cand[k], pop.fam[k]]) for k in cand if k != "cpc"}
    merged["cpc"] = {k: np.concatenate([cand["cpc"][k], pop.fam["cpc"][k]]) for k in cand["cpc"]}
    world.fam = merged
    date_planted(rng, world)


def _draw(rng, shares: dict, n: int) -> np.ndarray:
    labels = np.array(list(shares) + ["other"], dtype=object)
    p = np.array(list(shares.values()) + [1 - sum(shares.values())])
    return labels[rng.choice(len(labels), n, p=p)]


def _inventor_countries(rng, n: int):
    """Primary and co-inventor country per family, hitting the whole-counting targets exactly."""
    targets = cal.scaled({**cal.INVENTOR_COUNTRY, **cal.REST_OF_WORLD}, n)
    unknown = cal.scaled({"u": cal.UNKNOWN_COUNTRY}, n)["u"]
    known = n - unknown
    extra = sum(targets.values()) - known  # secondary inventor-country slots
    if extra < 0:
        raise ValueError("calibration inconsistent: fewer country slots than known families")
    second = largest_remainder(extra, cal.CO_INVENTOR_WEIGHTS)
    first = {c: t - second.get(c, 0) for c, t in targets.items()}
    primary = np.concatenate([np.repeat(np.array(list(first), dtype=object), list(first.values())),
                              np.full(unknown, UNKNOWN, dtype=object)])
    primary = primary[rng.permutation(n)]
    labels = np.repeat(np.array(list(second), dtype=object), list(second.values()))
    labels = labels[rng.permutation(len(labels))]
    pool = rng.permutation(np.flatnonzero(primary != UNKNOWN))
    chosen = pool[: len(labels)].copy()
    spare = iter(pool[len(labels):])
    for i in np.flatnonzero(primary[chosen] == labels):  # a co-inventor abroad: swap out same-country picks
        j = next(spare)
        while primary[j] == labels[i]:
            j = next(spare)
        chosen[i] = j
    secondary = np.full(n, "", dtype=object)
    secondary[chosen] = labels
    return primary, secondary


def _years(rng, primary):
    """Exact families per first-publication year; early years lean to US/JP/KR/EU work."""
    counts = cal.scaled(cal.YEARS, len(primary))
    last = max(counts)
    counts[last] = len(primary) - sum(v for k, v in counts.items() if k != last)
    lead = np.where(np.isin(primary, ["US", "GB", "DE", "JP", "KR", "CA", "FR"]), -0.25, 0.0)
    order = np.argsort(rng.random(len(primary)) + lead, kind="stable")
    year = np.empty(len(primary), dtype=np.int64)
    year[order] = np.repeat(np.array(list(counts)), list(counts.values()))
    return year


def _applicants(rng, primary):
    """Top-10 groups placed exactly (by inventor country), generic applicants for the rest."""
    n = len(primary)
    group = np.full(n, "", dtype=object)
    name = np.full(n, "", dtype=object)
    country = np.full(n, "", dtype=object)
    pools = {c: rng.permutation(np.flatnonzero(primary == c)) for c in np.unique(primary)}
    taken = {c: 0 for c in pools}
    for g, (total, home, by_country, variants) in cal.APPLICANTS.items():
        share = largest_remainder(cal.scaled({g: total}, n)[g], by_country)
        for c, k in share.items():
            if k == 0:
                continue
            if c not in pools or taken[c] + k > len(pools[c]):
                raise ValueError(f"too few families with inventors in {c} for {g}; use more families")
            picked = pools[c][taken[c]: taken[c] + k]
            taken[c] += k
            group[picked] = g
            abroad = [v for v in variants if v[1] == c and c != home]
            if abroad:
                name[picked], country[picked] = abroad[0][0], abroad[0][1]
                continue
            home_variants = [v for v in variants if v[1] == home]
            p = np.array([v[2] for v in home_variants])
            idx = rng.choice(len(home_variants), k, p=p / p.sum())
            name[picked] = np.array([v[0] for v in home_variants], dtype=object)[idx]
            country[picked] = home
    rest = np.flatnonzero(group == "")
    where = primary[rest].copy()
    unknown = where == UNKNOWN
    where[unknown] = rng.choice(np.array(["CN", "US"], dtype=object), unknown.sum(), p=[0.7, 0.3])
    name[rest] = _generic_names(rng, where)
    country[rest] = where
    return group, name, country


_SUFFIX = {"CN": "Co., Ltd.", "US": "Inc.", "JP": "Corporation", "KR": "Co., Ltd.", "DE": "GmbH", "GB": "Limited",
           "IN": "Pvt. Ltd.", "FR": "SAS", "CA": "Inc.", "TW": "Corp.", "IL": "Ltd.", "AU": "Pty Ltd",
           "SG": "Pte. Ltd.", "NL": "B.V.", "CH": "AG", "SE": "AB"}
_PLACES = {"CN": ["Beijing", "Shenzhen", "Hangzhou", "Shanghai", "Guangzhou", "Chengdu", "Nanjing", "Wuhan"],
           "KR": ["Seoul", "Pangyo", "Daejeon"], "JP": ["Tokyo", "Osaka", "Kyoto"], "IN": ["Bengaluru", "Pune"]}
_SYLLABLE_A = ["Zhi", "Ling", "Han", "Bright", "Quan", "Nex", "Vir", "Aur", "Cor", "Hel", "Kai", "Lum", "Mor", "Nov",
               "Orb", "Pyx", "Qua", "Riv", "Sor", "Tes"]
_SYLLABLE_B = ["yuan", "xi", "wei", "path", "tiva", "ora", "eo", "elis", "vane", "ion", "ros", "ina", "iah", "alis",
               "ix", "sar", "en", "ell", "san", "tra"]
#: A country's ending of its generic stems: two countries never share a stem, so distinct
#: companies never differ by place or legal form alone (harmonisation would rightly merge them).
_SYLLABLE_C = ["", "ta", "ko", "mi", "ru", "ne", "so", "va", "li", "do", "pe", "zu", "ga", "fo", "hi", "ja", "bu",
               "we", "xo", "yi"]
_COUNTRY_ORDER = sorted(_SUFFIX)
_TRADES = ["Intelligent Technology", "Information Technology", "Network Technology", "Data Systems", "Robotics"]
POOL = 1200  # distinct generic applicants per country


def _generic_names(rng, countries) -> np.ndarray:
    """Applicants outside the top 10: per country a pool of distinct names whose sizes fall off as
    1/(rank + 50), so no generic applicant outgrows the calibrated top 10 (largest ≈ 0.6% of a
    country's generic families); about a fifth are universities. A (country, rank) is always the
    same name, in every call (candidates, population), and different ones never look alike."""
    n = len(countries)
    u = rng.random(n)
    rank = np.clip(np.floor(50 * ((POOL + 50) / 50) ** u) - 50, 0, POOL - 1).astype(np.int64)
    out = np.empty(n, dtype=object)
    for c in np.unique(countries):
        idx = np.flatnonzero(countries == c)
        k = _COUNTRY_ORDER.index(c) if c in _COUNTRY_ORDER else len(_COUNTRY_ORDER)
        r = rank[idx]
        stem = (np.array(_SYLLABLE_A, dtype=object)[r % 20] + np.array(_SYLLABLE_B, dtype=object)[(r // 20) % 20]
                + _SYLLABLE_C[k % len(_SYLLABLE_C)])
        trade = np.array(_TRADES, dtype=object)[(rank[idx] // 400) % len(_TRADES)]
        places = np.array(_PLACES.get(c, [""]), dtype=object)
        place = places[rank[idx] % len(places)]
        lead = np.where(place == "", "", place + " ")
        company = lead + stem + " " + trade + " " + _SUFFIX.get(c, "Ltd.")
        university = rank[idx] % 5 == 0
        uni_name = lead + stem + " University"
        out[idx] = np.where(university, uni_name, company)
    return out


def _reach_and_dates(rng, world: World) -> None:
    """Priority office, foreign offices (planted by country), WO membership and first dates."""
    f = world.fam
    n = len(f["family_id"])
    primary = f["inventor_country"]
    prio = primary.copy()
    unk = prio == UNKNOWN
    prio[unk] = rng.choice(np.array(["CN", "US"], dtype=object), unk.sum(), p=[0.7, 0.3])
    p_abroad = lookup(primary, cal.FILED_ABROAD, 0.4, float)
    abroad = rng.random(n) < p_abroad
    n_foreign = np.where(abroad, np.minimum(rng.geometric(0.45, n), 7), 0)
    keys = rng.random((n, len(FOREIGN_OFFICES))) ** (1.0 / FOREIGN_WEIGHTS)
    keys[prio[:, None] == FOREIGN_OFFICES[None, :]] = -1.0
    ranked = np.argsort(-keys, axis=1)
    chosen = np.arange(len(FOREIGN_OFFICES))[None, :] < n_foreign[:, None]
    foreign = np.where(chosen, FOREIGN_OFFICES[ranked], "")
    wo = np.where(abroad, rng.random(n) < 0.7, rng.random(n) < 0.05)
    first_pub = np.array([days(f"{y}-01-01") for y in f["year"]]) + rng.integers(0, 365, n)
    priority = first_pub - 548 + rng.integers(-30, 31, n)
    f.update(priority_office=prio, foreign_offices=foreign, wo_member=wo, first_pub_day=first_pub,
             priority_day=priority, planted_abroad=abroad)


def _quality(rng, world: World) -> None:
    """Planted per-family quality: citation attractiveness (heavy-tailed) and claims."""
    f = world.fam
    primary = f["inventor_country"]
    mult = lookup(primary, cal.CITATION_ATTRACTIVENESS, 1.0, float)
    kind = np.where(f["genai"], 1.0, np.where(f["candidate"], 0.2, cal.POPULATION_ATTRACTIVENESS))
    f["attractiveness"] = rng.lognormal(0.0, 1.1, len(primary)) * mult * kind
    mean_claims = lookup(primary, cal.CLAIMS_MEAN, cal.CLAIMS_MEAN_DEFAULT, float)
    f["claims"] = np.clip(rng.poisson(mean_claims), 1, 60)


def _citations(rng, world: World) -> None:
    """Family → family citations: each family cites earlier ones with probability ∝ attractiveness."""
    f = world.fam
    day = f["first_pub_day"]
    order = np.argsort(day, kind="stable")
    sorted_day = day[order]
    cum = np.cumsum(f["attractiveness"][order])
    n_cites = rng.poisson(rng.gamma(2.0, 2.0, len(day)))
    citing = np.repeat(np.arange(len(day)), n_cites)
    limit = np.searchsorted(sorted_day, day[citing] - 60, side="left")  # cite only work 60+ days older
    ok = limit > 0
    citing, limit = citing[ok], limit[ok]
    u = rng.random(len(citing)) * cum[limit - 1]
    cited = order[np.minimum(np.searchsorted(cum, u, side="right"), limit - 1)]
    organic = np.stack([citing, cited, np.zeros(len(citing), dtype=np.int64)], axis=1)
    pairs = np.concatenate([organic, planted_pairs(rng, world)])
    # one row per (citing, cited) pair; a planted pair that is also organic keeps its planted mark
    order = np.lexsort((-pairs[:, 2], pairs[:, 1], pairs[:, 0]))
    pairs = pairs[order]
    first = np.ones(len(pairs), bool)
    first[1:] = (pairs[1:, 0] != pairs[:-1, 0]) | (pairs[1:, 1] != pairs[:-1, 1])
    pairs = pairs[first]
    world.cites = {"citing": pairs[:, 0], "cited": pairs[:, 1], "planted": pairs[:, 2],
                   "category": rng.choice(np.array(["A", "X", "Y"], dtype=object), len(pairs), p=[0.7, 0.15, 0.15])}


def _truth(world: World) -> dict:

    return compute_truth(world)
