"""One pipeline, two engines: every stage after ingest gives identical results on DuckDB and Spark.

The stage SQL is written once (DuckDB dialect) and transpiled to Spark SQL with sqlglot. Each
stage runs on its own copy of the same lake; every derived table must match: counts exactly,
floats to 1e-9.
"""

from __future__ import annotations

import math
import shutil

import pytest

import patentq
from patentq import landscapes
from patentq.synthetic import scale as synth
from patentq.landscapes import apply as landscape_apply

pytestmark = pytest.mark.spark

STAGE_TABLES = ["landscape_genai", "landscape_genai_categories", "families", "family_indicators"]


def _run_pipeline(base, engine_name, workdir):
    lake_path = workdir / f"lake-{engine_name}"
    shutil.copytree(base, lake_path)
    with patentq.open_lake(lake_path, engine=engine_name) as session:
        summary = landscape_apply.apply(landscapes.load("genai"), session)
        session.require("family_indicators", landscape="genai")
    return lake_path, summary


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    work = tmp_path_factory.mktemp("engines")
    base = work / "base"
    synth.run(base, 1500, 12000, seed=11)
    duck_path, duck_summary = _run_pipeline(base, "duckdb", work)
    spark_path, spark_summary = _run_pipeline(base, "spark", work)
    return {"duckdb": (duck_path, duck_summary), "spark": (spark_path, spark_summary)}


def _sorted_rows(lake_path, table):
    con = patentq.open_lake(lake_path).connect()
    columns = [d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description]
    rows = con.execute(f"SELECT * FROM {table}").fetchall()
    normalised = [tuple(sorted(v) if isinstance(v, list) else v for v in row) for row in rows]
    return columns, sorted(normalised, key=repr)


def _equal(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) or (math.isnan(a) and math.isnan(b))
    return a == b


def test_landscape_summary_is_identical(both):
    assert both["duckdb"][1]["families"] > 0
    assert both["duckdb"][1] == both["spark"][1]


@pytest.mark.parametrize("table", STAGE_TABLES)
def test_derived_table_is_identical(both, table):
    duck_cols, duck = _sorted_rows(both["duckdb"][0], table)
    spark_cols, spark = _sorted_rows(both["spark"][0], table)
    assert duck_cols == spark_cols
    assert len(duck) == len(spark) > 0
    for row_d, row_s in zip(duck, spark):
        for col, x, y in zip(duck_cols, row_d, row_s):
            assert _equal(x, y), f"{table}.{col}: duckdb {x!r} != spark {y!r} (row {row_d[0]})"


def test_manifest_records_the_engine(both):
    for name, (path, _) in both.items():
        derived = patentq.open_lake(path).lake.manifest["derived"]
        assert derived["family_indicators"]["engine"] == name
