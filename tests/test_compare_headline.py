"""Issue 15's comparison on the hand-built fixture: matched families, RTA / HHI / CR4 against
hand-computed values, Wilson intervals and unranked small groups, UNKNOWN's policy, the joint
bootstrap against a naive resampling loop, --per and the drill-down."""

from __future__ import annotations

import json

import numpy as np
import pytest

from compare_helpers import build_lake, load_fixture
from patentq import open_lake
from patentq.compare import Conventions, compare, families_of
from patentq.compare.joint import JointCounts, _unique_pairs, competition_ranks
from patentq.errors import BadInputError, UsageError

ALL_RANKED = {"min_families": 0, "unknown": "rank"}


@pytest.fixture(scope="module")
def small_lake(tmp_path_factory):
    path = tmp_path_factory.mktemp("head") / "lake"
    build_lake(path)
    return path


def rows_of(lake, **kw):
    kw.setdefault("replicates", 0)
    return {r["group"]: r for r in compare(open_lake(lake), Conventions(landscape="t", top=None, **kw), extras=False).rows}


def test_matched_window_sets_count_against_quality_over_the_same_families(small_lake):
    """Landscape t, 2014-2023: F1-F6; complete windows F1-F4 (CN: F1 F2 F3, US: F3 F4); top 10 %: F3, F4."""
    result = compare(open_lake(small_lake), Conventions(landscape="t", top=None, replicates=0, **ALL_RANKED),
                     extras=False)
    rows = {r["group"]: r for r in result.rows}
    sets = result.conventions["family_sets"]
    assert sets["count"]["families"] == 6 and sets["quality"]["families"] == 4
    assert sets["gap_rank_shift_scatter"] == "quality" and sets["window"] == "matched"
    assert rows["CN"]["share_matched"] == pytest.approx(3 / 4) and rows["US"]["share_matched"] == pytest.approx(2 / 4)
    assert rows["CN"]["number_over_quality_gap"] == pytest.approx(3 / 4 - 1 / 2)
    assert rows["US"]["number_over_quality_gap"] == pytest.approx(2 / 4 - 2 / 2)
    # rank shift: rank by matched families (CN 1, US 2) minus QA rank (US 1, CN 2)
    assert rows["CN"]["rank_shift"] == -1 and rows["US"]["rank_shift"] == 1
    assert any("Matched families" in n for n in result.notes)
    # --window all reproduces the old figure: share of all six families minus QA share
    every = rows_of(small_lake, window="all", **ALL_RANKED)
    assert every["CN"]["number_over_quality_gap"] == pytest.approx(3 / 6 - 1 / 2)
    assert every["US"]["number_over_quality_gap"] == pytest.approx(3 / 6 - 2 / 2)


def test_rta_hhi_cr4_against_hand_computed_values(small_lake):
    # RTA: population = the window's families in the lake (F1-F7; F7 is outside landscape t)
    rows = rows_of(small_lake, **ALL_RANKED)
    assert rows["CN"]["rta"] == pytest.approx((3 / 6) / (3 / 7))
    assert rows["US"]["rta"] == pytest.approx((3 / 6) / (3 / 7))
    # office, fractional: CN 1 + 1/2 + 1/3, WO 1/2, EP 2/3, US 1/3 + 1/3 + 1, JP 1/3, KR 1 of 6 families
    result = compare(open_lake(small_lake), Conventions(landscape="t", by="office", counting="fractional", top=None,
                                                        replicates=200, **ALL_RANKED), extras=False)
    shares = np.array([11 / 6, 1 / 2, 2 / 3, 5 / 3, 1 / 3, 1]) / 6
    c = result.concentration
    assert c["hhi"] == pytest.approx(float((shares ** 2).sum()), abs=1e-9)  # 0.220679
    assert c["hhi"] == pytest.approx(0.220679, abs=1e-6)
    assert c["cr4"] == pytest.approx(float(np.sort(shares)[-4:].sum()), abs=1e-9)  # 0.861111
    assert c["cr4"] == pytest.approx(0.861111, abs=1e-6)
    assert c["hhi_ci"][0] <= c["hhi"] <= c["hhi_ci"][1]
    # whole counting: each family split equally among its groups for concentration (same offices here)
    whole = compare(open_lake(small_lake), Conventions(landscape="t", by="office", top=None, replicates=0,
                                                       **ALL_RANKED), extras=False)
    assert whole.concentration["hhi"] == pytest.approx(c["hhi"], abs=1e-9)


def test_rta_against_a_population_baseline_where_present(tmp_path):
    """With ``baseline_countries`` (the world's families by inventor country), RTA's denominator
    is the country's share of the world: CN 300, US 100, DE 600 of 1,000 country slots."""
    rows = [{"source": "world", "cohort_year": 2015, "cohort_field": 6, "inventor_country": c, "families": n}
            for c, n in (("CN", 300), ("US", 100), ("DE", 600))]
    build_lake(tmp_path / "lake", extra={"baseline_countries": rows})
    result = compare(open_lake(tmp_path / "lake"), Conventions(landscape="t", top=None, replicates=50, **ALL_RANKED),
                     extras=False)
    got = {r["group"]: r for r in result.rows}
    assert got["CN"]["rta"] == pytest.approx((3 / 6) / 0.3) and got["US"]["rta"] == pytest.approx((3 / 6) / 0.1)
    assert got["UNKNOWN"]["rta"] is None and any("population baseline (world)" in n for n in result.notes)


def test_unknown_is_shown_unranked_by_default_ranked_or_hidden_on_request(small_lake):
    shown = rows_of(small_lake, min_families=0)
    assert shown["UNKNOWN"]["rank"] is None and shown["UNKNOWN"]["ranked"] is False
    assert shown["UNKNOWN"]["rank_shift"] is None
    assert shown["CN"]["rank"] == 1 and shown["US"]["rank"] == 1
    assert rows_of(small_lake, min_families=0, unknown="rank")["UNKNOWN"]["rank"] == 3
    assert "UNKNOWN" not in rows_of(small_lake, min_families=0, unknown="hide")


def test_small_group_gets_wilson_interval_and_no_rank(tmp_path):
    """Five DE families, all filed abroad: Wilson 95 % [0.57, 1.0], unranked under --min-families 30."""
    data = load_fixture()
    for i in range(5):
        data["families"].append({"family_id": f"D{i}", "year": 2016, "prio": 2015, "offices": ["DE", "US"],
                                 "inv": [[f"DE{i}", "DE"]], "app": [["Delta Co", "DE"]],
                                 "ind": {**data["families"][2]["ind"], "filed_abroad": True}})
    build_lake(tmp_path / "lake", data)
    de = rows_of(tmp_path / "lake", replicates=100)["DE"]
    assert de["families"] == 5 and de["share_filed_abroad"] == 1.0
    lo, hi = de["share_filed_abroad_ci"]
    assert round(lo, 2) == 0.57 and hi == 1.0
    assert de["rank"] is None and de["ranked"] is False and de["quality_adjusted_rank"] is None
    assert rows_of(tmp_path / "lake", replicates=0, min_families=5)["DE"]["rank"] is not None


def test_reach_shares_count_whole_under_fractional_counting(small_lake):
    whole, frac = rows_of(small_lake, **ALL_RANKED), rows_of(small_lake, counting="fractional", **ALL_RANKED)
    assert frac["CN"]["families"] == 2.5  # F3 is half CN, half US
    for key in ("share_filed_abroad", "share_ip5", "share_triadic", "share_outside_group_office"):
        assert frac["CN"][key] == whole["CN"][key], key


def test_joint_counts_and_ranks():
    family = np.array([0, 0, 1, 2, 3])
    column = np.array([0, 1, 0, 1, 2])
    joint = JointCounts.build(family, column, 3, {"w": np.ones(5)}, {"f": np.array([1, 0, 0, 1])})
    assert joint.sums(joint.observed(), "w").tolist() == [[2, 2, 1]]
    assert joint.sums(joint.observed(), "w", "f").tolist() == [[1, 1, 1]]
    assert joint.totals(joint.observed()).tolist() == [4] and joint.totals(joint.observed(), "f").tolist() == [2]
    assert competition_ranks(np.array([[3.0, 5.0, 3.0, np.nan]])).tolist()[0][:3] == [2, 1, 2]


def test_patterns_are_numpys_unique_rows_in_the_same_order():
    """The pattern grouping keeps np.unique's order, first rows and counts (the draws depend on it)."""
    rng = np.random.default_rng(7)
    high = rng.integers(0, 9, size=20_000).astype(np.uint64) * np.uint64(2**59)
    low = rng.integers(0, 4, size=20_000).astype(np.uint64)
    first, inverse, counts = _unique_pairs(high, low)
    _, first_np, inverse_np, counts_np = np.unique(np.stack([high, low], axis=1), axis=0, return_index=True,
                                                   return_inverse=True, return_counts=True)
    assert len(counts) == 36
    assert first.tolist() == first_np.tolist() and counts.tolist() == counts_np.tolist()
    assert inverse.tolist() == inverse_np.ravel().tolist()
    assert [len(a) for a in _unique_pairs(high[:0], low[:0])] == [0, 0, 0]


def test_outside_families_grouped_in_sql_give_the_same_patterns_and_draws():
    """joint_outside.sql hands the bootstrap one family per pattern of the families outside the
    landscape, standing for all of them: the patterns, counts, matrices and every draw's sums are
    those of the families one by one."""
    import duckdb

    from patentq import sql

    rng = np.random.default_rng(11)
    options = [("CN",), ("US",), ("CN", "US"), ("DE", "JP"), ("KR",)]
    pop, inside = [], set(range(40))
    for fam in range(3000):
        chosen = options[rng.integers(0, len(options))]
        weight = 1.0 if rng.random() < 0.7 else 1 / len(chosen)
        pop += [(f"F{fam:05d}", g, weight) for g in chosen]
    con = duckdb.connect()
    con.execute("CREATE TABLE cmp_pop (family_id VARCHAR, grp VARCHAR, weight DOUBLE)")
    con.executemany("INSERT INTO cmp_pop VALUES (?, ?, ?)", pop)
    con.execute("CREATE TABLE cmp_x AS SELECT family_id FROM cmp_pop WHERE family_id < 'F00040'")
    grouped = con.execute(sql.load("patentq.compare", "joint_outside")).fetchall()
    outside = [r for r in pop if int(r[0][1:]) not in inside]
    assert sum(r[3] for r in {(r[0], r[3]): r for r in grouped}.values()) == len({r[0] for r in outside})
    # three single groups (weight 1), two pairs each with weight 1 or 1/2
    assert len({r[0] for r in grouped}) == 3 + 2 * 2

    def joint(rows, stands_for=None):
        ids = sorted({r[0] for r in rows})
        code = {f: i for i, f in enumerate(ids)}
        groups = sorted({r[1] for r in rows})
        family = np.array([code[r[0]] for r in rows])
        column = np.array([groups.index(r[1]) for r in rows])
        flags = {"inl": np.zeros(len(ids))}
        per = None if stands_for is None else np.array([stands_for[f] for f in ids], float)
        return JointCounts.build(family, column, len(groups), {"w": np.array([r[2] for r in rows])}, flags, per)

    one_by_one = joint(outside)
    patterns = joint([r[:3] for r in grouped], {r[0]: r[3] for r in grouped})
    assert patterns.counts.tolist() == one_by_one.counts.tolist()
    assert (patterns.matrices["w"] != one_by_one.matrices["w"]).nnz == 0
    for a, b in zip(patterns.replicates(50, 3), one_by_one.replicates(50, 3)):
        assert np.array_equal(patterns.sums(a, "w"), one_by_one.sums(b, "w"))


def test_joint_bootstrap_of_a_share_agrees_with_naive_resampling():
    """Share of families in group 0 when families can be in two groups at once."""
    rng = np.random.default_rng(4)
    groups = [(0,) if u < 0.2 else (0, 1) if u < 0.3 else (1,) for u in rng.random(500)]
    family = np.array([i for i, g in enumerate(groups) for _ in g])
    column = np.array([c for g in groups for c in g])
    joint = JointCounts.build(family, column, 2, {"w": np.ones(len(family))}, {"all": np.ones(500)})
    shares = np.concatenate([joint.sums(d, "w")[:, 0] / joint.totals(d) for d in joint.replicates(4000, 1)])
    in0 = np.array([0 in g for g in groups], float)
    naive = [in0[rng.integers(0, 500, 500)].mean() for _ in range(4000)]
    assert np.percentile(shares, [2.5, 97.5]) == pytest.approx(np.percentile(naive, [2.5, 97.5]), abs=0.01)


def test_intervals_for_ranks_shift_and_gap(small_lake):
    rows = rows_of(small_lake, replicates=300, **ALL_RANKED)
    for key in ("rank_ci", "quality_adjusted_rank_ci", "rank_shift_ci", "number_over_quality_gap_ci", "rta_ci",
                "qa_share_ci", "share_ci"):
        assert rows["US"][key] is not None, key
    lo, hi = rows["US"]["number_over_quality_gap_ci"]
    assert lo <= rows["US"]["number_over_quality_gap"] <= hi


def test_per_file_and_its_errors(small_lake, tmp_path):
    per = tmp_path / "pop.csv"
    per.write_text("country,population\nCN,1400\nUS,330\n")
    result = compare(open_lake(small_lake), Conventions(landscape="t", top=None, replicates=0, per=str(per),
                                                        **ALL_RANKED), extras=False)
    rows = {r["group"]: r for r in result.rows}
    assert rows["US"]["per_value"] == 330 and rows["US"]["families_per_value"] == pytest.approx(3 / 330)
    assert rows["US"]["qa_families_per_value"] == pytest.approx(2 / 330)
    assert any("population" in n for n in result.notes)
    bad = tmp_path / "bad.csv"
    bad.write_text("country,gdp\nCN,lots\n")
    with pytest.raises(BadInputError, match="not a number"):
        compare(open_lake(small_lake), Conventions(landscape="t", replicates=0, per=str(bad)), extras=False)


def test_families_drill_down(small_lake, cli):
    listing = families_of(open_lake(small_lake), Conventions(landscape="t", **ALL_RANKED), "US")
    assert listing["sorted_by"] == "fwd_cits_5_rel"
    values = [f["fwd_cits_5_rel"] for f in listing["families"]]
    assert [f["family_id"] for f in listing["families"]] == ["F3", "F4", "F5"]  # F5: no complete window, last
    assert values[0] > values[1] and values[2] is None
    assert listing["families"][0]["links"]["espacenet"].startswith("https://worldwide.espacenet.com/")
    with pytest.raises(UsageError, match="no group 'XX'"):
        families_of(open_lake(small_lake), Conventions(landscape="t"), "XX")
    out = cli("compare", "--lake", small_lake, "--landscape", "t", "--families", "US", "--json")
    assert [f["family_id"] for f in json.loads(out.output)["families"]] == ["F3", "F4", "F5"]
    table = cli("compare", "--lake", small_lake, "--landscape", "t", "--families", "US")
    assert "families of US" in table.output


def test_terminal_table_with_intervals(small_lake, cli):
    out = cli("compare", "--lake", small_lake, "--landscape", "t", "--ci", "--replicates", "50", "--min-families", "0")
    assert "[" in out.output and "HHI" in out.output
