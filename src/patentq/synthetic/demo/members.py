"""Family members (published documents) and parties of the synthetic world.

Each family has an application publication at its first-filing office, optionally at WO and at
foreign offices, and a grant publication where the office granted it before the data cut-off.
Number formats follow Google Patents Public Data (``US-2023123456-A1``, ``CN-116012345-B``).
"""

from __future__ import annotations

import numpy as np

from . import calibration as cal
from .base import UNKNOWN, World, days, lookup

APP_KIND = {"US": "A1", "EP": "A1", "WO": "A1", "CA": "A1", "AU": "A1", "DE": "A1", "FR": "A1"}
GRANT_KIND = {"US": "B2", "EP": "B1", "JP": "B2", "KR": "B1", "CN": "B", "DE": "B4", "GB": "B"}
_SURNAMES = {
    "CN": ["WANG", "LI", "ZHANG", "LIU", "CHEN", "YANG", "HUANG", "ZHAO", "WU", "ZHOU"],
    "KR": ["KIM", "LEE", "PARK", "CHOI", "JUNG"], "JP": ["SATO", "SUZUKI", "TAKAHASHI", "TANAKA", "WATANABE"],
    "IN": ["SHARMA", "PATEL", "IYER", "REDDY", "GUPTA"],
}
_WESTERN = ["SMITH", "JOHNSON", "BROWN", "MILLER", "DAVIS", "WILSON", "TAYLOR", "MUELLER", "MARTIN", "COHEN"]
_GIVEN = ["WEI", "JING", "MIN", "ANNA", "JAMES", "MARIA", "DAVID", "YUKI", "HYUN", "RAVI", "LEI", "SARAH"]


def _app_number(office, first_year, rank, fam_idx, is_first):
    """Application-publication numbers, unique per office (year-prefixed where the office does so)."""
    offset = np.where(is_first, 100_000, 500_000) + rank
    yearly = first_year.astype(str).astype(object) + offset.astype(str).astype(object)
    serial = (110_000_000 + fam_idx).astype(str).astype(object)
    kr = first_year.astype(str).astype(object) + (1_000_000 + offset).astype(str).astype(object)
    plain = (20_000_000 + fam_idx).astype(str).astype(object)
    ep = (3_000_000 + fam_idx).astype(str).astype(object)
    return np.select([np.isin(office, ["US", "JP", "WO"]), office == "KR", office == "CN", office == "EP"],
                     [yearly, kr, serial, ep], plain)


def _grant_number(office, fam_idx, app_number):
    own = {"US": 10_000_000, "JP": 6_000_000, "KR": 102_000_000}
    out = app_number.copy()
    for cc, base in own.items():
        sel = office == cc
        out[sel] = (base + fam_idx[sel]).astype(str).astype(object)
    return out


def build_members(rng, world: World) -> None:
    f = world.fam
    n = len(f["family_id"])
    foreign = f["foreign_offices"]
    fam_of = [np.arange(n), np.repeat(np.arange(n), (foreign != "").sum(axis=1)), np.flatnonzero(f["wo_member"])]
    office = np.concatenate([f["priority_office"], foreign[foreign != ""], np.full(len(fam_of[2]), "WO")]).astype(object)
    fam = np.concatenate(fam_of)
    is_first = np.arange(len(fam)) < n
    first_day = f["first_pub_day"][fam]
    lag = np.where(office == "WO", rng.integers(1, 30, len(fam)), 365 + rng.integers(0, 300, len(fam)))
    pub_day = np.where(is_first, first_day, first_day + lag)
    cutoff = days(cal.CUTOFF)
    keep = pub_day <= cutoff
    fam, office, is_first, pub_day = fam[keep], office[keep], is_first[keep], pub_day[keep]
    year = f["year"]
    rank = np.empty(n, dtype=np.int64)
    order = np.lexsort((np.arange(n), year))
    rank[order] = np.arange(n) - np.searchsorted(year[order], year[order], side="left")
    number = _app_number(office, year[fam], rank[fam], fam, is_first)
    app_kind = lookup(office, APP_KIND, "A")
    rate = lookup(office, cal.GRANT_RATE, cal.GRANT_RATE_DEFAULT, float)
    grant_day = pub_day + 250 + rng.gamma(2.0, 350.0, len(fam)).astype(np.int64)
    granted = (rng.random(len(fam)) < rate) & (grant_day <= cutoff)
    g = np.flatnonzero(granted)
    grant_number = _grant_number(office[g], fam[g], number[g])
    grant_kind = lookup(office[g], GRANT_KIND, "B")
    priority_day = f["priority_day"][fam]
    filing_day = np.where(is_first, priority_day, priority_day + 365)
    world.members = {
        "fam": np.concatenate([fam, fam[g]]),
        "office": np.concatenate([office, office[g]]),
        "number": np.concatenate([number, grant_number]),
        "kind": np.concatenate([app_kind, grant_kind]),
        "pub_day": np.concatenate([pub_day, grant_day[g]]),
        "filing_day": np.concatenate([filing_day, filing_day[g]]),
        "grant_day": np.concatenate([np.zeros(len(fam), dtype=np.int64), grant_day[g]]),
        "is_grant": np.concatenate([np.zeros(len(fam), bool), np.ones(len(g), bool)]),
        "is_first": np.concatenate([is_first, np.zeros(len(g), bool)]),
    }
    m = world.members
    m["publication_number"] = m["office"] + "-" + m["number"] + "-" + m["kind"]
    m["application_number"] = m["office"] + "-" + (10_000_000 + m["fam"]).astype(str).astype(object) + "-A"
    # a few families lack inventor countries on their first publication only (filled from later members)
    multi = np.bincount(fam, minlength=n) > 1
    f["partial_inventor_country"] = multi & (f["inventor_country"] != UNKNOWN) & (
        rng.random(n) < cal.PARTIAL_INVENTOR_COUNTRY)


def build_parties(rng, world: World) -> None:
    """Inventors (1–6 per family; the co-inventor abroad is the last) and one applicant per family."""
    f = world.fam
    n = len(f["family_id"])
    n_inv = 1 + np.minimum(rng.poisson(1.8, n), 5)
    has_co = f["co_inventor_country"] != ""
    n_inv = np.where(has_co, np.maximum(n_inv, 2), n_inv)
    fam = np.repeat(np.arange(n), n_inv)
    seq = np.arange(len(fam)) - np.repeat(np.cumsum(n_inv) - n_inv, n_inv)
    last = seq == n_inv[fam] - 1
    country = np.where(has_co[fam] & last, f["co_inventor_country"][fam], f["inventor_country"][fam])
    surname = np.empty(len(fam), dtype=object)
    for c in np.unique(country):
        idx = np.flatnonzero(country == c)
        pool = np.array(_SURNAMES.get(c, _WESTERN), dtype=object)
        surname[idx] = pool[rng.integers(0, len(pool), len(idx))]
    given = np.array(_GIVEN, dtype=object)[rng.integers(0, len(_GIVEN), len(fam))]
    country = np.where(country == UNKNOWN, "", country)
    world.parties = {
        "fam": np.concatenate([fam, np.arange(n)]),
        "role": np.concatenate([np.full(len(fam), "inventor", dtype=object), np.full(n, "applicant", dtype=object)]),
        "seq": np.concatenate([seq + 1, np.ones(n, dtype=np.int64)]),
        "name": np.concatenate([surname + " " + given, f["applicant"]]),
        "country": np.concatenate([country, f["applicant_country"]]),
    }
