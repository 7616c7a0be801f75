"""Golden tests: hand-built families (tests/fixtures/indicators/*.json) with hand-computed values.

Each fixture holds the canonical rows of a tiny lake and, per family, the expected value of every
indicator it exercises: no citations, one citing family (generality with N = 1), citing documents
outside the window, self-citations across family members, missing dates, multi-field families,
surrogate family ids merged with DOCDB ids, Lens-style reported counts, cohort normalisation.
"""

from __future__ import annotations

import datetime as dt

import pytest
from indicators_helpers import build_lake, load_case, rows_by_family, stage_summary

from patentq import open_lake


def _norm(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _check(actual: dict[str, dict], expected: dict[str, dict], table: str) -> None:
    problems = []
    for family, values in expected.items():
        assert family in actual, f"{table}: family {family} missing; have {sorted(actual)}"
        for key, want in values.items():
            got = _norm(actual[family][key])
            ok = got == pytest.approx(want, abs=1e-9) if isinstance(want, float) and got is not None else got == want
            if not ok:
                problems.append(f"{table}[{family}].{key}: expected {want!r}, got {got!r}")
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def families_case(tmp_path_factory, engine_name):
    case = load_case("golden_families")
    lake = build_lake(tmp_path_factory.mktemp(f"golden-{engine_name}") / "lake", case["tables"])
    with open_lake(lake.path, engine=engine_name) as session:
        summary = stage_summary(session.require("family_indicators"))
    return case, lake.reload(), summary


def test_families_table(families_case):
    case, lake, _ = families_case
    actual = rows_by_family(lake, "families")
    assert len(actual) == case["expected_unknowns"]["families"]
    _check(actual, case["expected_families"], "families")


def test_unknowns_are_counted(families_case):
    case, lake, summary = families_case
    for key, want in case["expected_unknowns"].items():
        assert summary["unknowns"][key] == want, key
    assert lake.manifest["derived"]["family_indicators"]["unknowns"] == summary["unknowns"]


def test_family_indicators(families_case):
    case, lake, summary = families_case
    assert summary["latest_publication_date"] == "2017-01-01"
    _check(rows_by_family(lake, "family_indicators"), case["expected_indicators"], "family_indicators")


def test_contract_columns(families_case):
    _, lake, _ = families_case
    contract = ("family_id n_offices wo_member ep_member ip5_offices triadic filed_abroad granted grant_lag_days "
                "pending fwd_cits_3 fwd_cits_5 fwd_cits_7 window_complete_5 fwd_cits_source bwd_cits npl_cits claims "
                "scope family_size generality originality radicalness breakthrough quality_index_4 quality_index_6 "
                "cohort_year cohort_field fwd_cits_5_rel fwd_cits_5_pct top10_cohort").split()
    session = open_lake(lake.path)
    names = session.arrow("family_indicators").column_names
    assert [c for c in contract if c not in names] == []
    fam_contract = ("family_id members offices n_offices first_publication_date first_publication_year priority_date "
                    "priority_year priority_office granted first_grant_date claims cpc_codes ipc_codes "
                    "inventor_countries applicant_countries extended_family_id").split()
    assert [c for c in fam_contract if c not in session.arrow("families").column_names] == []


def test_hall_correction(families_case, tmp_path):
    """A parameter of the same SQL (DuckDB only: the SQL's portability is the golden case's)."""
    case, _, _ = families_case
    lake = build_lake(tmp_path / "lake", case["tables"])
    with open_lake(lake.path) as session:
        session.require("family_indicators", hall_correction=True)
    _check(rows_by_family(lake, "family_indicators"), case["expected_hall"], "family_indicators (Hall)")


def test_window_completeness_follows_latest_date(families_case, tmp_path):
    case, _, _ = families_case
    lake = build_lake(tmp_path / "lake", case["tables"])
    with open_lake(lake.path) as session:
        session.require("family_indicators", latest_date=dt.date(2014, 1, 1))
    a = rows_by_family(lake, "family_indicators")["A"]
    # A first published 2009-01-15: 3 years complete by 2014-01-01, 5 and 7 years not.
    assert (a["window_complete_3"], a["window_complete_5"], a["window_complete_7"]) == (True, False, False)


def test_cohort_measures_and_quality_indices(tmp_path, engine_name):
    case = load_case("golden_cohort")
    lake = build_lake(tmp_path / "lake", case["tables"])
    with open_lake(lake.path, engine=engine_name) as session:
        # 2021-01-01: every 5-year window of the P families (first published 2016-01-01) is complete
        session.require("family_indicators", latest_date=dt.date(2021, 1, 1))
    _check(rows_by_family(lake, "family_indicators"), case["expected_indicators"], "family_indicators")


def test_incomplete_window_leaves_the_composites(tmp_path):
    """At the data's own end (2017-01-01) no 5-year window of the P families is complete: the
    counts so far stay in fwd_cits_5, but they are not a component of the composites (a USPTO
    weekly slice ended the week its grants were published, and their 0 entered the index)."""
    case = load_case("golden_cohort")
    lake = build_lake(tmp_path / "lake", case["tables"])
    with open_lake(lake.path) as session:
        session.require("family_indicators")
    got = rows_by_family(lake, "family_indicators")
    assert got["P1"]["window_complete_5"] is False and got["P1"]["fwd_cits_5"] == 4
    assert [got[p]["fwd_cits_5_norm"] for p in ("P1", "P2", "P3", "P4", "P5")] == [None] * 5
    # P1: family size 1.0, claims 0.25, generality 0.5833: (1 + 0.25 + 0.58333) / 3
    assert got["P1"]["quality_index_4_components"] == 3
    assert got["P1"]["quality_index_4"] == pytest.approx((1.0 + 0.25 + 0.5833333333333334) / 3)
    # P3 keeps family size and claims only: below 3 of 4, no index (it was 0.4167 with its 0)
    assert got["P3"]["quality_index_4_components"] == 2 and got["P3"]["quality_index_4"] is None


def _um_tables():
    pub = {"priority_year": 2012, "filing_date": "2012-03-01"}
    return {"publications": [
        # U: a Chinese utility model alone (Lens "Limited Patent": not a grant)
        {"publication_number": "CN-201-U", "family_id": "U", "country_code": "CN", "kind_code": "U",
         "publication_date": "2012-09-01", **pub},
        # Y: a utility model a source marks granted (CSET files CN U/Y under "Granted")
        {"publication_number": "CN-202-Y", "family_id": "Y", "country_code": "CN", "kind_code": "Y",
         "publication_date": "2012-09-01", "grant_date": "2012-09-01", "is_grant": True, **pub},
        # M: a double filing, invention application + utility model registered first: not granted
        {"publication_number": "CN-203-A", "family_id": "M", "country_code": "CN", "kind_code": "A",
         "publication_date": "2013-09-01", **pub},
        {"publication_number": "CN-203-U", "family_id": "M", "country_code": "CN", "kind_code": "U",
         "publication_date": "2012-09-01", "grant_date": "2012-09-01", "is_grant": True, **pub},
        # G: the same, the invention granted later: the grant lag runs to the B, not the U
        {"publication_number": "CN-204-B", "family_id": "G", "country_code": "CN", "kind_code": "B",
         "publication_date": "2014-03-01", "grant_date": "2014-03-01", "is_grant": True, **pub},
        {"publication_number": "CN-204-U", "family_id": "G", "country_code": "CN", "kind_code": "U",
         "publication_date": "2012-09-01", "grant_date": "2012-09-01", "is_grant": True, **pub},
        # S: one application of a family its source reports as 3 documents: the grant may be elsewhere
        {"publication_number": "US-205-A1", "family_id": "S", "country_code": "US", "kind_code": "A1",
         "publication_date": "2013-09-01", "reported_simple_family_size": 3, **pub},
        {"publication_number": "DE-206-U1", "family_id": "D", "country_code": "DE", "kind_code": "U1",
         "publication_date": "2012-09-01", **pub},
    ]}


def test_utility_models_leave_the_grant_rate(tmp_path, engine_name):
    lake = build_lake(tmp_path / "lake", _um_tables())
    with open_lake(lake.path, engine=engine_name) as session:
        session.require("family_indicators", latest_date=dt.date(2020, 1, 1))
    got = rows_by_family(lake, "family_indicators")
    want = {"U": (None, None, "utility model", None), "Y": (None, None, "utility model", None),
            "D": (None, None, "utility model", None), "M": (False, False, "members", None),
            "G": (True, False, "members", 730), "S": (False, False, "lower bound", None)}
    assert {f: (r["granted"], r["pending"], r["grant_basis"], r["grant_lag_days"]) for f, r in got.items()} == want
