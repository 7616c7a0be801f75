"""The same-work floor of the indicators stage (bench/indicators_floor.py) computes what the stage computes.

``bench/scale.py`` times ``patentq indicators`` against that one hand-written DuckDB query and
refuses to print a ratio when their checksums differ; these tests hold them equal on synthetic
lakes (the lakes the scale benchmark runs on), so a change to an indicator definition that the
floor does not follow fails here first, not in a 10-minute benchmark.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from patentq import open_lake
from patentq.synthetic.scale import generate

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from indicators_floor import (  # noqa: E402
    MEASURES, checked, differences, floor_sql, narrow_floor_sql, stage_checksum_sql)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    lake = generate(tmp_path_factory.mktemp("floor") / "lake", families=20_000, citations=200_000, seed=42)
    session = open_lake(lake.path)
    session.require("family_indicators")
    yield session.engine
    session.close()


def test_floor_checksums_equal_the_stage(engine):
    stage = engine.con.execute(stage_checksum_sql()).fetchone()
    floor = engine.con.execute(floor_sql()).fetchone()
    assert differences(stage, floor) == []
    named = dict(zip((m[0] for m in MEASURES), stage, strict=True))
    assert named["families"] == 20_000
    # every measure is exercised: none is empty on this lake except NPL, which synth lakes lack
    assert all(named[m] for m in named if m != "npl") and named["npl"] == 0
    assert named["fwd_3"] < named["fwd_5"] < named["fwd_7"]
    assert named["fwd_5_xy"] < named["fwd_5_xapp"] <= named["fwd_5"]
    assert checked(engine.con, floor, "the test lake") == named
    with pytest.raises(SystemExit, match="disagree on the test lake: fwd_3"):
        checked(engine.con, floor[:5] + (floor[5] + 1,) + floor[6:], "the test lake")


def test_floor_five_year_count_is_the_narrow_floor(engine):
    families_cited, fwd_5 = engine.con.execute(narrow_floor_sql()).fetchone()
    stage = dict(zip((m[0] for m in MEASURES), engine.con.execute(stage_checksum_sql()).fetchone(), strict=True))
    assert (families_cited, fwd_5) == (stage["fwd_5_families"], stage["fwd_5"])
    assert 0 < families_cited < 20_000


def test_differences_name_each_measure_that_disagrees():
    same = tuple(range(len(MEASURES)))
    assert differences(same, same) == []
    changed = list(same)
    changed[MEASURES.index(next(m for m in MEASURES if m[0] == "generality"))] += 1e-6
    changed[6] += 1
    assert differences(same, tuple(changed)) == ["fwd_5: stage 6 != floor 7",
                                                 f"generality: stage 14 != floor {14 + 1e-6}"]
    # float sums summed in another order agree to a relative 1e-9
    assert differences((1.0,) * len(MEASURES), (1.0 + 1e-12,) * len(MEASURES)) == []
