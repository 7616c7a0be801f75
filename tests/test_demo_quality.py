"""The demo world as a test of quality against the whole world (issue 13).

The world holds a population outside the landscape and planted domestic and self citations for
CN; the user's view of it is the candidate export, the citing documents and the baselines, in
the Google layout (synthetic/demo/export.py). From those, the lake must give every family's
forward citations exactly as the world has them, its cohort-relative measures against the
world's cohorts to 1e-9, differ from that when computed on the export alone, and, under
foreign-only quality, drop CN by at least the ranks its planted citations bought.
"""

from __future__ import annotations

import numpy as np
import pytest

from patentq import open_lake
from patentq.compare import compare, conventions
from patentq.lake import Lake
from patentq.synthetic.demo import quality_truth as truth
from patentq.synthetic.demo.pipeline import run_demo

N, SEED = 3000, 11
COUNTS = ("fwd_cits_total", "fwd_cits_3", "fwd_cits_5", "fwd_cits_7", "fwd_cits_5_foreign", "fwd_cits_5_xapp")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return run_demo(tmp_path_factory.mktemp("demoq"), N, SEED, replicates=0, report=False, sensitivity=False,
                    keep_sources=True)


@pytest.fixture(scope="module")
def lake_rows(demo):
    """Every family of the lake (not just the landscape's) with the population indicators."""
    session = open_lake(demo.lake)
    session.require("family_indicators", landscape=None)
    rows = session.engine.rows("SELECT * FROM family_indicators")
    index = np.array([int(r["family_id"]) - 90_000_000 for r in rows])
    return rows, index


def _column(rows, name, dtype=float):
    return np.array([np.nan if r[name] is None else r[name] for r in rows], dtype=dtype)


def test_exported_as_a_user_receives_it(demo):
    formats = [i["format"] for i in Lake.open(demo.lake).manifest["inputs"]]
    assert {"google", "google-citing", "google-baselines"} <= set(formats)
    con = open_lake(demo.lake).connect()
    world = demo.world.fam
    # the candidate slice only: no population family is a subject family
    ids = [int(r[0]) - 90_000_000 for r in con.execute("SELECT DISTINCT family_id FROM publications "
                                                        "WHERE family_id NOT LIKE '~%'").fetchall()]
    assert world["candidate"][ids].all() and len(ids) == int(world["candidate"].sum())
    assert con.execute("SELECT count(*) FROM context_documents").fetchone()[0] > world["candidate"].sum()
    assert con.execute("SELECT count(DISTINCT measure) FROM baselines").fetchone()[0] == 8


def test_forward_citations_equal_the_world_exactly(demo, lake_rows):
    rows, index = lake_rows
    want = truth.forward(demo.world)
    assert len(rows) == int(demo.world.fam["candidate"].sum())
    for name in COUNTS:
        got = _column(rows, name, np.int64)
        assert (got == want[name][index]).all(), (name, int((got != want[name][index]).sum()))
    assert {r["fwd_cits_basis"] for r in rows} == {"world"}


def test_cohort_measures_equal_the_world_to_1e9(demo, lake_rows):
    rows, index = lake_rows
    world = demo.world
    forward = truth.forward(world)
    by_name = truth.forward(world, same_by="name")  # the baselines query knows names, not groups
    cohort = truth.cohorts(world, forward["fwd_cits_5"])
    assert {r["cohort_basis"] for r in rows} == {"population"}
    assert (_column(rows, "cohort_field", np.int64) == world.fam["field"][index]).all()
    assert (_column(rows, "cohort_year", np.int64) == cohort["cohort_year"][index]).all()
    assert np.allclose(_column(rows, "cohort_mean_fwd_cits_5"), cohort["mean"][index], rtol=0, atol=1e-9)
    assert np.allclose(_column(rows, "fwd_cits_5_rel"), cohort["rel"][index], rtol=0, atol=1e-9, equal_nan=True)
    assert np.allclose(_column(rows, "fwd_cits_5_pct"), cohort["pct"][index], rtol=0, atol=1e-9)
    assert (_column(rows, "top10_cohort", bool) == cohort["top10"][index]).all()
    assert (_column(rows, "breakthrough", bool) == cohort["top1"][index]).all()
    for split, population in (("foreign", forward["fwd_cits_5_foreign"]), ("xapp", by_name["fwd_cits_5_xapp"])):
        cohort = truth.cohorts(world, forward[f"fwd_cits_5_{split}"], population)
        assert np.allclose(_column(rows, f"fwd_cits_5_{split}_rel"), cohort["rel"][index], rtol=0, atol=1e-9,
                           equal_nan=True), split
        assert (_column(rows, f"top10_cohort_{split}", bool) == cohort["top10"][index]).all(), split


def test_lake_only_differs_from_the_world(demo, lake_rows):
    rows, index = lake_rows
    session = open_lake(demo.lake)
    session.require("family_indicators", landscape=None, context=False, cohort_basis="lake")
    alone = session.engine.rows("SELECT family_id, fwd_cits_5, fwd_cits_5_rel FROM family_indicators")
    session.require("family_indicators", landscape=None, context=True, cohort_basis="auto")
    world = {int(r["family_id"]) - 90_000_000: r for r in rows}
    missed = sum(r["fwd_cits_5"] < world[int(r["family_id"]) - 90_000_000]["fwd_cits_5"] for r in alone)
    assert missed > len(alone) / 2  # most families are cited from outside the export
    # the bias, per country, as `patentq demo` and the report print it
    bias = {r["group"]: r for r in demo.quality_bias}
    assert {"CN", "US"} <= set(bias)
    assert all(abs(bias[c]["rel bias"]) > 0.1 for c in ("CN", "US", "KR", "JP"))


def test_planted_inflation_recovered_under_foreign_quality(demo):
    inflation = demo.world.truth["quality"]["inflation"]
    assert inflation["country"] == "CN" and inflation["ranks_bought"] >= 1
    session = open_lake(demo.lake)
    ranks = {}
    for quality in ("fwd5", "fwd5-foreign"):
        rows = compare(session, conventions(landscape="genai", quality=quality, top=0, replicates=0), extras=False).rows
        ranks[quality] = {r["group"]: r["quality_adjusted_rank"] for r in rows}
    assert ranks["fwd5"]["CN"] == inflation["quality_adjusted_rank_fwd5"]["with_inflation"]
    assert ranks["fwd5-foreign"]["CN"] - ranks["fwd5"]["CN"] >= inflation["ranks_bought"]
