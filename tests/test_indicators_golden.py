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
        session.require("family_indicators")
    _check(rows_by_family(lake, "family_indicators"), case["expected_indicators"], "family_indicators")
