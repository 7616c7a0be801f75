"""The golden lakes give the same families and indicators on Spark as on DuckDB.

The indicator SQL is written once in the DuckDB dialect and transpiled with sqlglot; every
column must match (floats to 1e-9), so a construct that is not portable fails here.
"""

from __future__ import annotations

import math

import pytest
from indicators_helpers import build_lake, load_case

from patentq import open_lake

pytestmark = pytest.mark.spark


def _rows(lake, table):
    out = {}
    for row in open_lake(lake.path).arrow(table).to_pylist():
        out[row["family_id"]] = {k: sorted(v) if isinstance(v, list) else v for k, v in row.items()}
    return out


def _same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b, abs_tol=1e-9))
    return a == b


@pytest.mark.parametrize("case", ["golden_families", "golden_cohort"])
def test_spark_matches_duckdb(case, tmp_path):
    pytest.importorskip("pyspark")
    tables = load_case(case)["tables"]
    results = {}
    for name in ("duckdb", "spark"):
        lake = build_lake(tmp_path / name, tables)
        with open_lake(lake.path, engine=name) as session:
            session.require("family_indicators")
        results[name] = {t: _rows(lake, t) for t in ("families", "family_indicators")}
    for table in ("families", "family_indicators"):
        duck, spark = results["duckdb"][table], results["spark"][table]
        assert sorted(duck) == sorted(spark)
        diffs = [(f, k, v, spark[f].get(k)) for f, row in duck.items() for k, v in row.items()
                 if not _same(v, spark[f].get(k))]
        assert diffs == [], diffs[:10]
