"""Cohort normalisation with trimming, against an independent Python computation.

A cohort of 250 families gets random claims, family sizes and grant lags; the expected
normalised components follow the definition in docs/indicators.md: trim at the cohort's 1st and
99th percentiles (percentile_disc: the smallest value whose cumulative share reaches p), divide
by the trimmed maximum, grant lag inverted.
"""

from __future__ import annotations

import datetime as dt
import math
import random

import pytest
from indicators_helpers import build_lake, rows_by_family

from patentq import open_lake


def percentile_disc(values, p):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


def normalised(values: dict, inverted=False):
    known = [v for v in values.values() if v is not None]
    lo, hi = percentile_disc(known, 0.01), percentile_disc(known, 0.99)
    out = {}
    for key, v in values.items():
        if v is None:
            out[key] = None
        else:
            clamped = min(max(v, lo), hi)
            out[key] = (1 - clamped / hi if hi else 1.0) if inverted else (clamped / hi if hi else 0.0)
    return out


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    rng = random.Random(20130603)
    pubs = []
    claims, sizes, lags = {}, {}, {}
    for i in range(250):
        fam = f"F{i:03d}"
        n_claims = {7: 400, 100: 150}.get(i, rng.choice([None] + list(range(1, 40))))
        offices = rng.sample(["US", "EP", "JP", "CN", "KR", "DE", "WO"], rng.choice([1, 1, 1, 2, 3, 5, 7]))
        granted = rng.random() < 0.6
        lag = rng.randint(200, 3000) if granted else None
        filing = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
        for j, office in enumerate(offices):
            first = j == 0
            pubs.append({"publication_number": f"{office}-{1000 + i}-{'B1' if first and granted else 'A1'}",
                         "family_id": fam, "country_code": office, "priority_year": 2012,
                         "publication_date": filing + dt.timedelta(days=540), "filing_date": filing,
                         "is_grant": first and granted, "claims_count": n_claims if first else None,
                         "grant_date": filing + dt.timedelta(days=lag) if first and granted else None})
        claims[fam] = n_claims
        sizes[fam] = len([o for o in offices if o != "WO"])
        lags[fam] = lag
    classes = [{"publication_number": p["publication_number"], "scheme": "ipc", "code": "G06N3/04"} for p in pubs]
    # one citation to a document outside the lake: the source gives citation lists, so the
    # 5-year counts are known (0 for every family) rather than absent
    cites = [{"citing_publication_number": pubs[0]["publication_number"], "cited_publication_number": "US-1-A"}]
    lake = build_lake(tmp_path_factory.mktemp("cohort") / "lake",
                      {"publications": pubs, "classifications": classes, "citations": cites})
    with open_lake(lake.path) as session:
        session.require("family_indicators")
    return rows_by_family(lake, "family_indicators"), claims, sizes, lags


def test_trimmed_components_match_python(cohort):
    rows, claims, sizes, lags = cohort
    assert len(rows) == 250 and {r["cohort_size"] for r in rows.values()} == {250}
    for column, values, inverted in (("claims_norm", claims, False), ("family_size_norm", sizes, False),
                                     ("grant_lag_index", lags, True)):
        expected = normalised(values, inverted)
        for fam, want in expected.items():
            got = rows[fam][column]
            assert (got is None) == (want is None) and (want is None or got == pytest.approx(want)), (column, fam)


def test_trimming_caps_outliers(cohort):
    rows, claims, _, _ = cohort
    hi = percentile_disc([c for c in claims.values() if c is not None], 0.99)
    assert hi < 150  # the 150- and 400-claim outliers are above the 99th percentile of this cohort
    assert all(rows[f]["claims_norm"] == 1.0 for f, c in claims.items() if c is not None and c >= hi)


def test_quality_index_is_the_mean_of_known_components(cohort):
    """The mean of the known components, and NULL when fewer than 3 of 4 are known (here: no
    family is cited, so generality is unknown everywhere, and some families lack claims)."""
    rows, *_ = cohort
    seen = set()
    for r in rows.values():
        parts4 = [r[c] for c in ("fwd_cits_5_norm", "family_size_norm", "claims_norm", "generality_norm")
                  if r[c] is not None]
        assert r["quality_index_4_components"] == len(parts4)
        if len(parts4) >= 3:
            assert r["quality_index_4"] == pytest.approx(sum(parts4) / len(parts4))
        else:
            assert r["quality_index_4"] is None
        seen.add(len(parts4) >= 3)
    assert seen == {True, False}
