"""The Google context queries and their ingest (issue 13), on a hand-built world in the table's schema.

``tests/fixtures/google_context/world.jsonl`` is a whole `patents-public-data.patents.publications`
in miniature: five candidate publications (CPC G06N3/0475: families 1001, 1002 and a KR
publication without a DOCDB family) and seven population publications. ``candidates.jsonl``,
``citing.jsonl`` and ``baselines.csv`` are the three query results written by hand; the BigQuery
queries, transpiled to DuckDB by sqlglot, must yield exactly them from the world.

Hand-computed (dates: family 1001 first published 2016-02-01, 5-year window to 2021-02-01;
family 1002 first published 2018-10-01, window to 2023-10-01):
- 1001 is cited by 1002 (a candidate, 2018-10-01, CN inventor), 2001 (2019-03-15, ACME like
  1001, US: a self and domestic citation, through two of 1001's publications: counted once),
  2002 (2020-05-01, JP) and 2003 (2022-01-01, outside the 5 years): fwd_cits_5 = 3, foreign 2
  (1002, 2002), non-self 2, total 4;
- 1002 is cited by the KR candidate (2019-06-01), 2002 (2020-05-01), 2003 (2022-01-01, HUAWEI
  like 1002, CN) and 2005 (2020-09-01, no inventor country: its CN applicant makes it domestic):
  fwd_cits_5 = 4, foreign 2, non-self 3;
- cohort (2018, field 6) of the population: 1002 (4), the KR family (0) and 2001 (0).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest
import sqlglot

from patentq import open_lake
from patentq.sources.sql import google_export_query
from patentq.sources.sql.context import google_baselines_query, google_citing_query

FIX = Path(__file__).parent / "fixtures" / "google_context"
PREFIXES = ["G06N3/0475"]
#: The table's columns the queries read, as DuckDB types (BigQuery schema of publications).
_CITE = ("STRUCT(publication_number VARCHAR, application_number VARCHAR, npl_text VARCHAR, type VARCHAR, "
         "category VARCHAR, filing_date BIGINT)[]")
_PARTY = "STRUCT(name VARCHAR, country_code VARCHAR)[]"
_CLASS = "STRUCT(code VARCHAR, inventive BOOLEAN, first BOOLEAN, tree VARCHAR[])[]"
_TEXT = "STRUCT(text VARCHAR, language VARCHAR, truncated BOOLEAN)[]"
BQ_COLUMNS = {
    "publication_number": "VARCHAR", "application_number": "VARCHAR", "country_code": "VARCHAR",
    "kind_code": "VARCHAR", "family_id": "VARCHAR", "title_localized": _TEXT, "abstract_localized": _TEXT,
    "claims_localized": _TEXT, "publication_date": "BIGINT", "filing_date": "BIGINT", "grant_date": "BIGINT",
    "priority_date": "BIGINT", "priority_claim": _CITE, "inventor_harmonized": _PARTY, "assignee_harmonized": _PARTY,
    "cpc": _CLASS, "ipc": _CLASS, "citation": _CITE,
}


def bigquery_table(path: Path) -> duckdb.DuckDBPyConnection:
    """DuckDB holding ``path`` as `patents-public-data`.patents.publications, so the transpiled
    queries run unchanged."""
    con = duckdb.connect()
    con.execute('ATTACH \':memory:\' AS "patents-public-data"')
    con.execute('CREATE SCHEMA "patents-public-data".patents')
    cols = ", ".join(f"'{k}': '{v}'" for k, v in BQ_COLUMNS.items())
    con.execute(f'CREATE TABLE "patents-public-data".patents.publications AS SELECT * FROM '
                f"read_json('{path}', columns = {{{cols}}}, format = 'newline_delimited')")
    return con


def run_bigquery(con, query: str) -> list[tuple]:
    return con.execute(sqlglot.transpile(query, read="bigquery", write="duckdb")[0]).fetchall()


QUERIES = {
    "candidates": lambda: google_export_query(PREFIXES, "fixture"),
    "citing": lambda: google_citing_query(PREFIXES, "fixture"),
    "baselines": lambda: google_baselines_query(),
    "baselines, no claims, 2016-2023": lambda: google_baselines_query(claims=False, since=2016, until=2023),
}


@pytest.mark.parametrize("name", list(QUERIES))
def test_queries_parse_as_bigquery(name):
    query = QUERIES[name]()
    tree = sqlglot.parse_one(query, read="bigquery", error_level=sqlglot.ErrorLevel.RAISE)
    assert "patents-public-data" in tree.sql(dialect="bigquery")
    assert "--dry_run" in query or name == "candidates"  # how to see the bytes scanned before running


@pytest.fixture(scope="module")
def world():
    return bigquery_table(FIX / "world.jsonl")


def test_candidate_query_selects_the_candidates(world):
    got = sorted(r[0] for r in run_bigquery(world, QUERIES["candidates"]()))
    want = sorted(json.loads(line)["publication_number"] for line in (FIX / "candidates.jsonl").open())
    assert got == want == ["CN-110000002-A", "EP-3100001-A1", "KR-20190000003-A", "US-10000001-B2", "US-2016000001-A1"]


def test_citing_query_yields_the_citing_result(world):
    got = sorted(tuple(str(v) if isinstance(v, int) else v for v in r) for r in run_bigquery(world, QUERIES["citing"]()))
    want = sorted(tuple(json.loads(line).values()) for line in (FIX / "citing.jsonl").open())
    assert got == want and len(got) == 7  # candidates citing candidates are in the candidate export already


def _baselines_csv() -> set:
    return {(int(r["cohort_year"]), int(r["cohort_field"]), r["measure"], float(r["value"]) if r["value"] else None,
             r["inventor_country"] or None, int(r["families"]))
            for r in csv.DictReader((FIX / "baselines.csv").open())}


def test_baselines_query_yields_the_hand_computed_histograms(world):
    got = run_bigquery(world, QUERIES["baselines"]())
    assert len(got) == len(set(got)) and set(got) == _baselines_csv()


def test_baselines_window_and_no_claims(world):
    got = set(run_bigquery(world, QUERIES["baselines, no claims, 2016-2023"]()))
    # priority cohorts from 2011 (2016 - 5) to 2023: every cohort here; no claims histogram
    assert got == {r for r in _baselines_csv() if r[2] != "claims"}
    assert "claims_localized" not in QUERIES["baselines, no claims, 2016-2023"]().split("WITH", 1)[1]


def test_export_query_prints_the_three(cli):
    out = cli("export-query", "google", "--cpc", "G06N3/0475", "--since", "2014", "--until", "2023").stdout
    assert [line.split()[3] for line in out.splitlines() if line.startswith("-- ===== query:")] == \
        ["candidates", "citing", "baselines"]
    assert out.count("FROM `patents-public-data.patents.publications` AS p") == 5  # candidates, 3 in citing, baselines
    one = cli("export-query", "google", "--cpc", "G06N3/0475", "--query", "citing").stdout
    assert one.startswith("-- patentq context query") and "===== query" not in one


@pytest.fixture(scope="module")
def lake(tmp_path_factory, engine_name):
    """The three results ingested; one lake per engine (the stage tests below run on each, with
    the same hand-computed figures)."""
    from patentq.ingest import ingest

    path = tmp_path_factory.mktemp(f"gctx-{engine_name}") / "lake"
    ingest("google", [FIX / "candidates.jsonl"], path)
    ingest("google-citing", [FIX / "citing.jsonl"], path)
    ingest("google-baselines", [FIX / "baselines.csv"], path)
    return path


def test_citing_result_becomes_context_documents_and_citations(lake):
    con = open_lake(lake).connect()
    docs = con.execute("SELECT publication_number, family_id, country_code, publication_date::VARCHAR, "
                       "applicant_names, applicant_countries, inventor_countries FROM context_documents "
                       "ORDER BY publication_number").fetchall()
    assert docs == [
        ("CN-115000013-A", "2003", "CN", "2022-01-01", ["HUAWEI TECH CO LTD"], ["CN"], ["CN"]),
        ("JP-2020000012-A", "2002", "JP", "2020-05-01", ["SONY GROUP CORP"], ["JP"], ["JP"]),
        ("US-2019000011-A1", "2001", "US", "2019-03-15", ["ACME CORP"], ["US"], ["US"]),
        ("US-2020000015-A1", "2005", "US", "2020-09-01", ["BEIJING BAIDU NETCOM SCIENCE TECHNOLOGY CO LTD"], ["CN"], []),
    ]
    cites = con.execute("SELECT citing_publication_number, cited_publication_number, category, origin FROM citations "
                        "WHERE citing_publication_number IN (SELECT publication_number FROM context_documents) "
                        "ORDER BY 1, 2").fetchall()
    assert cites == [
        ("CN-115000013-A", "CN-110000002-A", "A", "applicant"),
        ("CN-115000013-A", "US-2016000001-A1", "A", "search report"),
        ("JP-2020000012-A", "CN-110000002-A", "Y", "examiner"),
        ("JP-2020000012-A", "US-10000001-B2", "A", "applicant"),
        ("US-2019000011-A1", "EP-3100001-A1", "A", "search report"),
        ("US-2019000011-A1", "US-2016000001-A1", "X", "search report"),
        ("US-2020000015-A1", "CN-110000002-A", "A", "search report"),
    ]
    # context never enters the subject tables
    assert con.execute("SELECT count(*) FROM publications WHERE publication_number IN "
                       "(SELECT publication_number FROM context_documents)").fetchone()[0] == 0


def test_baselines_result_becomes_baselines(lake):
    con = open_lake(lake).connect()
    assert con.execute("SELECT count(*), sum(families), count(DISTINCT measure) FROM baselines").fetchone() == (38, 48, 8)
    assert con.execute("SELECT cohort_year, inventor_country, families FROM baseline_countries "
                       "WHERE cohort_year = 2018 ORDER BY 2").fetchall() == [(2018, "CN", 1), (2018, "KR", 1), (2018, "US", 1)]
    assert con.execute("SELECT DISTINCT source FROM baselines").fetchall() == [("google-baselines",)]


def test_lake_profile_says_what_context_provides(lake):
    from patentq.profile import profile

    measures = profile(open_lake(lake))["measures"]
    assert measures["fwd_cits_world"]["status"] == "computed"
    assert measures["cohort_population"]["status"] == "computed"


def test_bad_rows_are_quarantined(tmp_path, cli):
    bad = tmp_path / "baselines.csv"
    bad.write_text("cohort_year,cohort_field,measure,value,inventor_country,families\n"
                   "2018,6,fwd_cits_5,4,,1\n2018,6,citations_by_moon,1,,2\n2018,x,claims,3,,1\n2018,6,claims,3,,-4\n")
    cli("ingest", "google-baselines", bad, "--lake", tmp_path / "lake")
    info = open_lake(tmp_path / "lake").info()
    assert info["rejected"] == 3
    lines = tmp_path / "citing.jsonl"
    lines.write_text((FIX / "citing.jsonl").read_text().splitlines()[0] + "\n{not json\n[1, 2]\n")
    cli("ingest", "google-citing", lines, "--lake", tmp_path / "lake2")
    assert open_lake(tmp_path / "lake2").info()["rejected"] == 2
    empty = tmp_path / "empty.jsonl"
    empty.write_text("{\"x\": 1}\n")
    assert cli("ingest", "google-citing", empty, "--lake", tmp_path / "lake3", expect=3).exit_code == 3


COLUMNS = ("fwd_cits_total", "fwd_cits_3", "fwd_cits_5", "fwd_cits_7", "fwd_cits_5_xapp", "fwd_cits_5_foreign",
           "fwd_cits_5_xy", "fwd_cits_5_examiner", "fwd_cits_5_applicant", "fwd_cits_5_context")


def indicators(lake, engine="duckdb", **params) -> dict:
    session = open_lake(lake, engine=engine)
    session.require("family_indicators", **params)
    cols = ", ".join(("family_id",) + COLUMNS + ("share_foreign_citations", "fwd_cits_basis", "cohort_size",
                                                 "cohort_mean_fwd_cits_5", "fwd_cits_5_rel", "fwd_cits_5_pct",
                                                 "top10_cohort", "fwd_cits_5_foreign_rel", "fwd_cits_5_xapp_rel",
                                                 "cohort_basis", "quality_index_4", "top10_cohort_qi4"))
    return {r["family_id"]: r for r in session.engine.rows(f"SELECT {cols} FROM family_indicators")}


def test_forward_citations_by_origin_hand_computed(lake, engine_name):
    got = indicators(lake, engine_name)
    counts = {f: tuple(got[f][c] for c in COLUMNS) for f in ("1001", "1002")}
    #                 total 3y 5y 7y non-self foreign X/Y examiner applicant from context
    assert counts == {"1001": (4, 1, 3, 4, 2, 2, 2, 2, 1, 2),  # 2001 cites two of 1001's publications: once
                      "1002": (4, 3, 4, 4, 3, 2, 2, 3, 1, 3)}
    assert got["1001"]["share_foreign_citations"] == pytest.approx(2 / 3)
    assert got["1002"]["share_foreign_citations"] == pytest.approx(2 / 4)  # 2005: CN applicant, so domestic
    assert {r["fwd_cits_basis"] for r in got.values()} == {"world"}


def test_cohorts_against_the_population_hand_computed(lake, engine_name):
    got = indicators(lake, engine_name)["1002"]
    # cohort (2018, field 6) of the whole table: 1002 (4), the KR family (0), 2001 (0)
    assert (got["cohort_basis"], got["cohort_size"]) == ("population", 3)
    assert got["cohort_mean_fwd_cits_5"] == pytest.approx(4 / 3, abs=1e-12)
    assert got["fwd_cits_5_rel"] == pytest.approx(3.0, abs=1e-12)
    assert got["fwd_cits_5_pct"] == pytest.approx(200 / 3, abs=1e-9) and got["top10_cohort"] is True
    assert got["fwd_cits_5_foreign_rel"] == pytest.approx(3.0, abs=1e-12)  # 2 / mean(2, 0, 0)
    assert got["fwd_cits_5_xapp_rel"] == pytest.approx(3.0, abs=1e-12)  # 3 / mean(3, 0, 0)
    # every component at its population cohort's bound (the only value, or clamped to it): 1; the
    # composite's top 10 % is among the lake's families of the cohort, where 1002 is alone known
    assert got["quality_index_4"] == pytest.approx(1.0) and got["top10_cohort_qi4"] is True


def test_lake_only_is_what_the_export_alone_gives(lake, engine_name):
    got = indicators(lake, engine_name, context=False, cohort_basis="lake")
    assert {f: tuple(got[f][c] for c in COLUMNS) for f in ("1001", "1002")} == {
        "1001": (1, 1, 1, 1, 1, 1, 1, 1, 0, 0), "1002": (1, 1, 1, 1, 1, 1, 1, 1, 0, 0)}
    # cohort (2018, 6) of the lake: 1002 (1) and the KR family (0)
    assert got["1002"]["cohort_basis"] == "lake" and got["1002"]["fwd_cits_5_rel"] == pytest.approx(2.0)
    assert {r["fwd_cits_basis"] for r in got.values()} == {"lake"}
    indicators(lake, engine_name)  # back to the whole world for the other tests
