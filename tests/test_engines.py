"""The engine layer: DuckDB and Spark run the same stage SQL and agree.

Pipeline stages have their own engine-parametrised tests (``engine_name`` fixture); this file
checks the mechanism itself.
"""

import math

import pytest

import patentq
from patentq.synthetic import scale as synth
from patentq.engines import get_engine
from patentq.errors import UsageError


@pytest.fixture(scope="module")
def small_lake(tmp_path_factory):
    path = tmp_path_factory.mktemp("eng") / "lake"
    synth.run(path, 2000, 10000, seed=3)
    return patentq.open_lake(path)


QUERIES = [
    "SELECT country_code, count(DISTINCT family_id) AS families, count(*) AS pubs FROM publications GROUP BY 1",
    "SELECT family_id, min(publication_date) AS first_pub, max(CASE WHEN is_grant THEN 1 ELSE 0 END) AS granted "
    "FROM publications GROUP BY family_id",
    "SELECT p.family_id, count(DISTINCT c.citing_publication_number) AS n, avg(p.claims_count) / 3 AS r "
    "FROM citations c JOIN publications p ON p.country_code || '-' || split_part(p.publication_number, '-', 2) "
    "= c.cited_publication_number GROUP BY p.family_id",
    "SELECT family_id, row_number() OVER (PARTITION BY country_code ORDER BY family_id) AS rn, "
    "percent_rank() OVER (ORDER BY claims_count) AS pr FROM publications",
]


def _rows(table):
    rows = [tuple(r.values()) for r in table.to_pylist()]
    return sorted(rows, key=repr)


def _same(a, b):
    assert len(a) == len(b)
    for ra, rb in zip(a, b):
        for x, y in zip(ra, rb):
            if isinstance(x, float) or isinstance(y, float):
                assert math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9)
            else:
                assert x == y


@pytest.mark.spark
@pytest.mark.parametrize("sql", QUERIES)
def test_spark_agrees_with_duckdb(small_lake, sql):
    duck = get_engine("duckdb", small_lake.lake).query(sql)
    spark = patentq.open_lake(small_lake.path, engine="spark").engine.query(sql)
    assert duck.num_rows > 0
    _same(_rows(duck), _rows(spark))


@pytest.mark.parametrize("engine_name", ["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def test_write_derived_is_visible_and_in_manifest(tmp_path, engine_name):
    synth.run(tmp_path / "lake", 500, 1000)
    engine = patentq.open_lake(tmp_path / "lake", engine=engine_name).engine
    rows = engine.write_derived("per_office", "SELECT country_code, count(*) AS n FROM publications GROUP BY 1",
                                note="test")
    reopened = patentq.open_lake(tmp_path / "lake")
    assert reopened.lake.manifest["derived"]["per_office"]["rows"] == rows
    assert reopened.lake.manifest["derived"]["per_office"]["engine"] == engine_name
    total = reopened.connect().execute("SELECT sum(n) FROM per_office").fetchone()[0]
    assert total == reopened.lake.counts()["publications"]


def test_unknown_engine_is_a_usage_error(small_lake):
    with pytest.raises(UsageError, match="unknown engine"):
        get_engine("postgres", small_lake.lake)


def test_missing_pyspark_gives_install_hint(monkeypatch, small_lake):
    import builtins

    real_import = builtins.__import__

    def no_pyspark(name, *args, **kwargs):
        if name.startswith("pyspark"):
            raise ImportError("No module named 'pyspark'")
        return real_import(name, *args, **kwargs)

    from patentq.engines import spark as spark_engine

    monkeypatch.setattr(builtins, "__import__", no_pyspark)
    monkeypatch.setattr(spark_engine, "_SESSIONS", {})
    with pytest.raises(UsageError) as err:
        get_engine("spark", small_lake.lake)
    assert "pip install 'patentq[spark]'" in str(err.value)
