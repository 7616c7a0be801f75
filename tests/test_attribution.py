"""Golden tests for attribution: every ``by`` × ``counting`` on hand-built families.

The ``families`` and ``family_members`` tables are written by the test itself from the fixture
(columns as docs/architecture.md documents them), so these tests pin attribution alone; one
test at the end runs the real families.py derivation on the same canonical rows.
"""

from __future__ import annotations

import hashlib
import json
from fractions import Fraction
from pathlib import Path

import pyarrow as pa
import pytest
import sqlglot

from patentq import attribution, open_lake
from patentq.errors import LakeError, UsageError
from patentq.lake import Lake
from patentq.session import Session
from patentq.schema import CANONICAL
from patentq.sources.base import Sink

GOLDEN = json.loads((Path(__file__).parent / "fixtures" / "attribution" / "golden.json").read_text())
CASES = sorted(GOLDEN["expected"])


def _canonical(table: str, rows: list[dict]) -> pa.Table:
    schema = CANONICAL[table]
    return pa.table({f.name: pa.array([r.get(f.name) for r in rows], type=f.type) for f in schema}, schema=schema)


def build_lake(path: Path, with_families: bool = True) -> Lake:
    lake = Lake.create(path)
    with lake.transaction() as txn:
        sink = Sink(txn.staging, f"{txn.id}-0000", Path("golden.json"), "fixture")
        for table in ("publications", "parties"):
            sink.write_arrow(table, _canonical(table, GOLDEN[table]))
        sink.close()
        txn.inputs.append(sink.manifest_entry(hashlib.sha256(b"golden").hexdigest(), 0))
    engine = open_lake(lake.path).engine
    if with_families:
        fam = pa.Table.from_pylist(GOLDEN["families"], schema=pa.schema([
            ("family_id", pa.string()), ("offices", pa.list_(pa.string())), ("priority_office", pa.string()),
            ("inventor_countries", pa.list_(pa.string())), ("applicant_countries", pa.list_(pa.string()))]))
        engine.register_arrow("_families_src", fam)
        engine.write_derived("families", "SELECT * FROM _families_src")
        engine.write_derived("family_members", "SELECT DISTINCT publication_number, family_id FROM publications")
    groups = pa.Table.from_pylist(
        [dict(g, name_normalized=None) for g in GOLDEN["applicant_groups"]],
        schema=pa.schema([("name", pa.string()), ("group_name", pa.string()), ("name_normalized", pa.string())]))
    engine.register_arrow("_groups_src", groups)
    engine.write_derived("applicant_groups", "SELECT name, name_normalized, group_name FROM _groups_src")
    engine.close()
    return Lake.open(path)


@pytest.fixture(scope="module")
def session(tmp_path_factory, engine_name):
    """The golden lake opened on each engine: every test below runs on DuckDB and on Spark."""
    with open_lake(build_lake(tmp_path_factory.mktemp(f"attr-{engine_name}") / "lake").path,
                   engine=engine_name) as session:
        yield session


def _rows(table: pa.Table, value_column: str = "weight"):
    return sorted((r["family_id"], r["group"], r[value_column]) for r in table.to_pylist())


@pytest.mark.parametrize("case", CASES)
def test_golden_attribution(session, case):
    by, counting = case.split("/")
    got = _rows(session.query(attribution.attribution_sql(by, counting)))
    expected = sorted((f, g, Fraction(w)) for f, g, w in GOLDEN["expected"][case])
    assert [(f, g) for f, g, _ in got] == [(f, g) for f, g, _ in expected]
    for (_, _, w), (_, _, want) in zip(got, expected):
        assert w == pytest.approx(float(want), abs=1e-12)


@pytest.mark.parametrize("by", attribution.BY)
def test_fractional_weights_sum_to_one_and_no_family_dropped(session, by):
    rows = session.query(attribution.attribution_sql(by, "fractional")).to_pylist()
    totals: dict[str, float] = {}
    for r in rows:
        totals[r["family_id"]] = totals.get(r["family_id"], 0.0) + r["weight"]
    assert sorted(totals) == ["F1", "F2", "F3", "F4", "F5"]
    assert all(t == pytest.approx(1.0, abs=1e-12) for t in totals.values())


@pytest.mark.parametrize("by", attribution.BY)
def test_whole_counting_gives_weight_one_per_distinct_group(session, by):
    rows = session.query(attribution.attribution_sql(by, "whole")).to_pylist()
    assert {r["weight"] for r in rows} == {1.0}
    pairs = [(r["family_id"], r["group"]) for r in rows]
    assert len(pairs) == len(set(pairs))


@pytest.mark.parametrize("case", sorted(GOLDEN["filed_outside"]))
def test_filed_outside_the_attributed_country(session, case):
    by, counting = case.split("/")
    got = _rows(session.query(attribution.filed_outside_sql(by, counting)), "filed_outside")
    assert got == sorted(tuple(r) for r in GOLDEN["filed_outside"][case])


def test_filed_outside_needs_a_country_attribution():
    with pytest.raises(UsageError, match="country attribution"):
        attribution.filed_outside_sql("applicant-group")


@pytest.mark.parametrize("by,counting", [("nationality", "whole"), ("office", "half")])
def test_unknown_options_are_usage_errors(by, counting):
    with pytest.raises(UsageError, match="unknown"):
        attribution.attribution_sql(by, counting)


def test_attribute_runs_on_the_lake_and_orders_rows(session):
    table = attribution.attribute(session, "office", "fractional")
    assert table.column_names == ["family_id", "group", "weight"]
    assert [(r["family_id"], r["group"]) for r in table.to_pylist()][:3] == [("F1", "CN"), ("F1", "US"), ("F1", "WO")]


def test_attribute_without_families_says_what_to_do(tmp_path):
    lake = build_lake(tmp_path / "lake", with_families=False)
    # told not to build (--no-build), the session says what is missing and how to build it
    with pytest.raises(LakeError, match="no family_members table") as info:
        attribution.attribute(Session(Lake.open(lake.path), build=False), "office")
    assert "patentq indicators" in info.value.hint
    # by default the stage registry builds the families first: every family is attributed
    with open_lake(lake.path) as session:
        table = attribution.attribute(session, "office")
        assert session.has("families")
    assert sorted({r["family_id"] for r in table.to_pylist()}) == ["F1", "F2", "F3", "F4", "F5"]


@pytest.mark.parametrize("case", CASES)
def test_sql_is_portable_to_spark(case):
    """The SQL must transpile to Spark without DuckDB-only constructs (docs/architecture.md)."""
    by, counting = case.split("/")
    for sql in [attribution.attribution_sql(by, counting)] + (
            [attribution.filed_outside_sql(by, counting)] if by in attribution.COUNTRY_BY else []):
        spark = sqlglot.transpile(sql, read="duckdb", write="spark")[0]
        assert "EXPLODE(" in spark.upper() or "unnest" not in sql
        for forbidden in ("QUALIFY", "->", "pq_", "LIST_", "LEN("):
            assert forbidden not in spark.upper().replace("ARRAY_CONTAINS", "")


def test_with_the_real_families_derivation(tmp_path):
    """families.py on the same canonical rows: inventor residence shares come out the same."""
    families = pytest.importorskip("patentq.families")
    lake = build_lake(tmp_path / "lake", with_families=False)
    session = open_lake(lake.path)
    families.build(session)
    got = _rows(session.query(attribution.attribution_sql("inventor-country", "fractional")))
    # F4's DE/FR exist only in the hand-built families row; from parties alone F4 is unknown.
    assert got == sorted([("F1", "CN", pytest.approx(2 / 3)), ("F1", "US", pytest.approx(1 / 3)),
                          ("F2", "UNKNOWN", 1.0), ("F3", "KR", 1.0), ("F4", "UNKNOWN", 1.0),
                          ("F5", "IN", 0.25), ("F5", "US", 0.75)], key=lambda r: (r[0], r[1]))
    offices = _rows(session.query(attribution.attribution_sql("office", "whole")))
    assert ("F5", "UNKNOWN", 1.0) in offices and ("F1", "WO", 1.0) in offices


@pytest.mark.shared_data
@pytest.mark.slow
def test_cset_filed_outside_by_office_matches_an_independent_query(tmp_path, shared):
    """CSET: per office, families that also have a member at another office other than WO.

    Our pipeline (ingest → families.py → filed_outside_sql) against one DuckDB query over the
    raw CSV; the exact figures for the five big offices are pinned as well."""
    import zipfile

    import duckdb

    from patentq.ingest import ingest

    path = shared("cset-ai-patents/patent_database.csv.zip")
    ingest("cset", [path], tmp_path / "lake")
    session = open_lake(tmp_path / "lake")
    session.require("families")
    ours = session.query(
        'SELECT "group" AS office, count(*) AS families, '
        'sum(CASE WHEN filed_outside THEN 1 ELSE 0 END) AS outside '
        f'FROM ({attribution.filed_outside_sql("office", "whole")}) t GROUP BY 1').to_pylist()
    ours = {r["office"]: (r["families"], int(r["outside"])) for r in ours}

    with zipfile.ZipFile(path) as archive:
        archive.extract("patent_database.csv", tmp_path)
    independent = duckdb.connect().execute(f"""
        WITH m AS (SELECT DISTINCT Simple_family_ID AS f, Publication_country AS o
                   FROM read_csv('{tmp_path / "patent_database.csv"}', all_varchar = true)
                   WHERE Simple_family_ID IS NOT NULL AND Publication_country IS NOT NULL),
        abroad AS (SELECT DISTINCT a.f, a.o FROM m a JOIN m b ON a.f = b.f AND b.o <> a.o AND b.o <> 'WO')
        SELECT m.o, count(DISTINCT m.f), count(DISTINCT x.f)
        FROM m LEFT JOIN abroad x ON x.f = m.f AND x.o = m.o GROUP BY m.o""").fetchall()
    assert ours == {o: (n, k) for o, n, k in independent}
    assert {o: ours[o] for o in ("CN", "US", "JP", "KR", "EP")} == {
        "CN": (87899, 11276), "US": (55408, 21304), "JP": (15501, 8878), "KR": (9580, 4209), "EP": (13230, 12243)}
    # CSET has no residences: every family is reported, as UNKNOWN, none dropped.
    unknown = session.query("SELECT count(*) AS n, sum(weight) AS w, "
                           "sum(CASE WHEN \"group\" = 'UNKNOWN' THEN 1 ELSE 0 END) AS u FROM ("
                           + attribution.attribution_sql("inventor-country", "fractional") + ") t").to_pylist()[0]
    assert (unknown["n"], unknown["w"], int(unknown["u"])) == (155770, 155770.0, 155770)
