"""compare on a hand-built lake: every measure against values computed by hand, the bootstrap
against a naive resampling loop, sensitivity, truncation, CLI JSON."""

from __future__ import annotations

import json

import numpy as np
import pytest

from compare_helpers import build_lake, load_fixture
from patentq import open_lake
from patentq.compare import Conventions, compare, parse_years
from patentq.compare.bootstrap import intervals
from patentq.errors import UsageError


#: Today's figures before matched families, small-group and UNKNOWN rules: every group ranked,
#: the gap over all families of the window (the fixture's hand-computed values).
LEGACY = {"min_families": 0, "unknown": "rank", "window": "all"}


@pytest.fixture(scope="module")
def small_lake(tmp_path_factory):
    path = tmp_path_factory.mktemp("cmp") / "lake"
    build_lake(path)
    return path


def _check(rows, expected):
    got = {r["group"]: r for r in rows}
    for group, values in expected.items():
        for key, want in values.items():
            have = got[group][key]
            if want is None:
                assert have is None, (group, key, have)
            else:
                assert have == pytest.approx(want, abs=1e-5), (group, key, have, want)


@pytest.mark.parametrize("case", ["inventor-country whole", "inventor-country fractional", "applicant-group whole",
                                  "office whole"])
def test_measures_match_hand_computed_values(small_lake, case):
    by, counting = case.split()
    result = compare(open_lake(small_lake), Conventions(landscape="t", by=by, counting=counting, replicates=50, top=None,
                                                        **LEGACY))
    expected = load_fixture()["expected"][case]
    if "totals" in expected:
        assert {k: result.totals[k] for k in expected["totals"]} == expected.pop("totals")
    _check(result.rows, expected)


def test_rows_sorted_by_rank_and_top_n(small_lake):
    result = compare(open_lake(small_lake), Conventions(landscape="t", top=2, replicates=0, **LEGACY))
    assert [r["group"] for r in result.rows] == ["CN", "US"]
    assert [r["rank"] for r in result.rows] == [1, 1]


def test_intervals_cover_estimates_and_are_seeded(small_lake):
    conv = Conventions(landscape="t", replicates=400, seed=3, top=None)
    a, b = compare(open_lake(small_lake), conv, extras=False), compare(open_lake(small_lake), conv, extras=False)
    for ra, rb in zip(a.rows, b.rows):
        assert ra["share_ci"] == rb["share_ci"]
        lo, hi = ra["share_ci"]
        assert lo <= ra["share"] <= hi
    us = {r["group"]: r for r in a.rows}["US"]
    lo, hi = us["share_filed_abroad_ci"]
    assert 0.0 <= lo < us["share_filed_abroad"] < hi <= 1.0


def test_no_complete_window_means_no_citation_measures(tmp_path):
    data = load_fixture()
    for f in data["families"]:
        f["ind"]["window_complete_5"] = False
    build_lake(tmp_path / "lake", data)
    result = compare(open_lake(tmp_path / "lake"), Conventions(landscape="t", replicates=0))
    assert all(r["mean_fwd_cits_5_rel"] is None and r["quality_adjusted_rank"] is None for r in result.rows)
    assert all(r["share_filed_abroad"] is not None for r in result.rows)
    assert any("No family here has a complete 5-year" in n for n in result.notes)


def test_sensitivity_rankings_and_tau(small_lake):
    result = compare(open_lake(small_lake), Conventions(landscape="t", replicates=0), sensitivity=True, extras=False)
    sens = {v["variant"]: v for v in result.sensitivity["variants"]}
    # ranked as the main table ranks: UNKNOWN is not a group, and none has 30 families
    assert sens["baseline"]["ranks"] == {g: r["rank"] for g, r in ((r["group"], r) for r in result.rows)}
    assert sens["baseline"]["ranks"]["UNKNOWN"] is None
    ranked = compare(open_lake(small_lake), Conventions(landscape="t", replicates=0, unknown="rank", min_families=0),
                     sensitivity=True, extras=False).sensitivity["variants"]
    assert ranked[0]["kendall_tau"] == pytest.approx(1.0)  # tau over the groups (UNKNOWN too under --unknown rank)
    assert ranked[0]["ranks"]["UNKNOWN"] is not None
    # applicant country: F3 (CN+US inventors) has a US applicant, F6's applicant is KR
    assert sens["applicant-country"]["families"] == {"CN": 2.0, "US": 3.0, "UNKNOWN": 0.0}
    assert sens["extended family"]["available"] is True
    # simple → extended: F1 and F2 share extended family E1, so CN drops to 2
    assert sens["extended family"]["families"]["CN"] == 2.0
    # priority years 2014..2022 keep all six families in the window
    assert sens["priority year"]["families"] == sens["baseline"]["families"]


def test_categories_time_series_and_bad_input(small_lake):
    result = compare(open_lake(small_lake), Conventions(landscape="t", replicates=0, top=None))
    cats = {(c["category"], c["group"]): c["families"] for c in result.categories}
    assert cats[("llm", "CN")] == 2.0  # F1, F3 (inside-landscape positions 0 and 2)
    years = {(t["group"], t["year"]): t["families"] for t in result.time_series}
    assert years[("US", 2023)] == 1.0 and years[("CN", 2016)] == 2.0
    with pytest.raises(UsageError, match="no landscape 'nope'"):
        compare(open_lake(small_lake), Conventions(landscape="nope"))
    with pytest.raises(UsageError, match="no families match"):
        compare(open_lake(small_lake), Conventions(landscape="t", years=(1990, 1991)))
    with pytest.raises(UsageError):
        parse_years("2023-2014")


def test_poisson_bootstrap_agrees_with_naive_resampling():
    """The histogram bootstrap's interval for a rate matches a plain resample-families loop."""
    rng = np.random.default_rng(1)
    x = (rng.random(400) < 0.3).astype(float)
    hist = {"grp": ["g", "g"], "measure": ["share_filed_abroad"] * 2, "w": [1.0, 1.0], "x": [0.0, 1.0],
            "n": [float((x == 0).sum()), float((x == 1).sum())]}
    fast = intervals(hist, {"families": 400, "top10": 0}, replicates=4000, seed=2)["g"]["share_filed_abroad_ci"]
    naive = [x[rng.integers(0, 400, 400)].mean() for _ in range(4000)]
    lo, hi = np.percentile(naive, [2.5, 97.5])
    assert fast[0] == pytest.approx(lo, abs=0.01) and fast[1] == pytest.approx(hi, abs=0.01)


def test_cli_json(small_lake, cli):
    out = cli("compare", "--lake", small_lake, "--landscape", "t", "--json", "--replicates", "20", "--top", "0")
    data = json.loads(out.output)
    assert data["conventions"]["by"] == "inventor-country" and data["conventions"]["years"] == [2014, 2023]
    row = {r["group"]: r for r in data["rows"]}["US"]
    for key in ("families", "share", "rank", "share_filed_abroad", "share_ip5", "share_triadic", "grant_rate",
                "mean_fwd_cits_5_rel", "share_top10_cohort", "mean_quality_index_4", "quality_adjusted_families",
                "quality_adjusted_share", "quality_adjusted_rank", "rank_shift", "number_over_quality_gap",
                "share_ci", "share_filed_abroad_ci", "qa_share_ci"):
        assert key in row, key
    assert row["families"] == 3
    table = cli("compare", "--lake", small_lake, "--landscape", "t", "--sensitivity", "--replicates", "0")
    assert "Kendall" in table.output and "number vs quality" in table.output


@pytest.mark.spark
def test_spark_gives_identical_results(small_lake):
    """The same comparison on Spark (SQL transpiled by sqlglot): every value, interval and rank equal."""
    pytest.importorskip("pyspark")
    conv = Conventions(landscape="t", replicates=100, top=None)
    duck = compare(open_lake(small_lake), conv, sensitivity=True, extras=False)
    spark = compare(open_lake(small_lake, engine="spark"), conv, sensitivity=True, extras=False)
    assert len(duck.rows) == len(spark.rows)
    for a, b in zip(duck.rows, spark.rows):
        assert a.keys() == b.keys()
        for key in a:
            if isinstance(a[key], float):
                assert b[key] == pytest.approx(a[key], abs=1e-9), (a["group"], key)
            elif isinstance(a[key], list):
                assert b[key] == pytest.approx(a[key], abs=1e-9), (a["group"], key)
            else:
                assert a[key] == b[key], (a["group"], key)
    assert duck.sensitivity == spark.sensitivity


@pytest.mark.parametrize("by", ["inventor-country", "office", "priority-office", "applicant-group"])
def test_compare_attributes_through_the_attribution_stage(small_lake, by):
    """Compare's group counts are the attribution stage's weights summed per group."""
    from patentq import attribution

    conv = Conventions(landscape="t", by=by, counting="fractional", replicates=0, top=None, years=None)
    rows = compare(open_lake(small_lake), conv, extras=False).rows
    con = open_lake(small_lake).connect()
    expected = dict(con.execute(
        f"SELECT a.\"group\", sum(weight) FROM ({attribution.attribution_sql(by, 'fractional')}) a "
        "JOIN landscape_t l ON l.family_id = a.family_id GROUP BY 1").fetchall())
    assert len(expected) > 1
    assert {r["group"]: pytest.approx(r["families"], abs=1e-9) for r in rows} == expected
