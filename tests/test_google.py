"""Google Patents Public Data adapter on a schema-faithful fixture (tests/fixtures/google)."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil

import duckdb
import pytest

from patentq.lake import Lake
from patentq import open_lake

FIX = __import__("pathlib").Path(__file__).parent / "fixtures" / "google"
JSONL = FIX / "publications.jsonl"


def _ingest(cli, lake_dir, *paths):
    cli("ingest", "google", *paths, "--lake", lake_dir)
    return open_lake(lake_dir).connect()


def _rows(con, sql):
    return con.execute(sql).fetchall()


def test_publications_exact(cli, lake_dir):
    con = _ingest(cli, lake_dir, JSONL)
    rows = _rows(con, "SELECT publication_number, country_code, kind_code, application_number, family_id, "
                      "publication_date, filing_date, priority_date, grant_date, is_grant, title, abstract, "
                      "claims_count, language, source_ref FROM publications ORDER BY source_ref")
    assert rows == [
        ("US-8421615-B2", "US", "B2", "US-12270898-A", "40642143", dt.date(2013, 4, 16), dt.date(2008, 11, 14),
         dt.date(2007, 11, 15), dt.date(2013, 4, 16), True,
         "Method and system for locating sensor node in sensor network using transmit power control",
         "A method and apparatus for a sensor network having a plurality of reference nodes and a sensor node that "
         "enables the sensor node to compute a relative position through transmission range control and position mapping.",
         22, "en", "publications.jsonl:1"),
        ("US-8926509-B2", "US", "B2", "US-12134151-A", "40378676", dt.date(2015, 1, 6), dt.date(2008, 6, 5),
         dt.date(2008, 6, 5), dt.date(2015, 1, 6), True, "Wireless physiological sensor patches and systems", None,
         None, "en", "publications.jsonl:2"),
        # English title picked over German and French; the only abstract is German, so it is kept
        ("EP-3000001-A1", "EP", "A1", "EP-15184321-A", "54147003", dt.date(2016, 3, 30), dt.date(2015, 9, 9),
         dt.date(2014, 9, 22), None, False, "Method for generating images", "Ein generatives Netz erzeugt Bilder.",
         None, "en", "publications.jsonl:3"),
        # family_id -1 → surrogate from the application number; priority_date 0 → none
        ("CN-105000001-A", "CN", "A", "CN-201510123456-A", "~google:CN-201510123456-A", dt.date(2015, 2, 25),
         dt.date(2015, 1, 5), None, None, False, "一种图像生成方法", None, None, "zh", "publications.jsonl:4"),
    ]
    info = open_lake(lake_dir).info()
    assert info["inputs"][0]["rows"] == 4 and info["rejected"] == 0
    assert info["families"] == 4


def test_every_language_version_in_texts(cli, lake_dir):
    """title_localized / abstract_localized in every language; claims only beside claims_text."""
    con = _ingest(cli, lake_dir, JSONL)
    rows = _rows(con, "SELECT publication_number, field, language, text, machine_translated, source FROM texts "
                      "ORDER BY publication_number, field, language")
    assert rows == [
        ("CN-105000001-A", "title", "zh", "一种图像生成方法", None, "google"),
        ("EP-3000001-A1", "abstract", "de", "Ein generatives Netz erzeugt Bilder.", None, "google"),
        ("EP-3000001-A1", "title", "de", "Verfahren zum Erzeugen von Bildern", None, "google"),
        ("EP-3000001-A1", "title", "en", "Method for generating images", None, "google"),
        ("EP-3000001-A1", "title", "fr", "Procede de generation d'images", None, "google"),
        ("US-8421615-B2", "abstract", "en", rows[5][3], None, "google"),
        ("US-8421615-B2", "title", "en", rows[6][3], None, "google"),
        ("US-8926509-B2", "title", "en", "Wireless physiological sensor patches and systems", None, "google"),
    ]


def test_parties_with_countries(cli, lake_dir):
    con = _ingest(cli, lake_dir, JSONL)
    assert _rows(con, "SELECT role, count(*), count(country_code) FROM parties GROUP BY role ORDER BY role") == [
        ("applicant", 4, 4), ("inventor", 14, 13)]
    assert _rows(con, "SELECT publication_number, role, seq, name, country_code FROM parties "
                      "WHERE publication_number IN ('EP-3000001-A1', 'CN-105000001-A') ORDER BY 1, 2 DESC, 3") == [
        ("CN-105000001-A", "inventor", 1, "WANG WEI", "CN"),
        ("EP-3000001-A1", "inventor", 1, "MUELLER ANNA", "DE"),
        ("EP-3000001-A1", "inventor", 2, "DUPONT JEAN", None),  # empty country_code → unknown
        ("EP-3000001-A1", "applicant", 1, "SIEMENS AG", "DE"),
    ]
    assert _rows(con, "SELECT list(name ORDER BY seq) FROM parties WHERE publication_number = 'US-8421615-B2' "
                      "AND role = 'applicant'") == [(["SAMSUNG ELECTRONICS CO LTD", "UNIV KOREA RES & BUS FOUND"],)]


def test_classifications(cli, lake_dir):
    con = _ingest(cli, lake_dir, JSONL)
    assert _rows(con, "SELECT publication_number, scheme, code, is_first, is_inventive FROM classifications "
                      "WHERE publication_number <> 'US-8926509-B2' ORDER BY 1, 2, 3") == [
        ("CN-105000001-A", "cpc", "G06T11/00", True, True),  # 'G06T 11/00' normalised
        # G06N3/045 listed twice (inventive and additional): one row, inventive wins
        ("EP-3000001-A1", "cpc", "G06N3/045", False, True),
        ("EP-3000001-A1", "cpc", "G06N3/0475", True, True),
        ("EP-3000001-A1", "cpc", "G06T11/00", False, False),
        ("EP-3000001-A1", "ipc", "G06N3/04", True, True),
        ("US-8421615-B2", "ipc", "G08B1/08", True, True),
    ]
    assert _rows(con, "SELECT count(*), count(*) FILTER (WHERE is_inventive), count(*) FILTER (WHERE is_first) "
                      "FROM classifications WHERE publication_number = 'US-8926509-B2' AND scheme = 'cpc'") == [(15, 8, 1)]


def test_citations_and_priorities(cli, lake_dir):
    con = _ingest(cli, lake_dir, JSONL)
    assert _rows(con, "SELECT cited_publication_number, npl_text, category, origin FROM citations "
                      "WHERE citing_publication_number = 'EP-3000001-A1' ORDER BY 1 NULLS LAST") == [
        ("US-2014089412-A1", None, "X", "search report"),
        ("WO-2013123456-A1", None, "Y", "search report"),
        (None, 'GOODFELLOW I ET AL: "Generative Adversarial Nets", NIPS 2014', "A", "search report"),
    ]
    assert _rows(con, "SELECT citing_publication_number, count(*), count(npl_text) FROM citations GROUP BY 1 ORDER BY 1") == [
        ("EP-3000001-A1", 3, 1), ("US-8421615-B2", 10, 0), ("US-8926509-B2", 3, 1)]
    assert _rows(con, "SELECT origin, count(*) FROM citations WHERE citing_publication_number = 'US-8926509-B2' "
                      "GROUP BY 1 ORDER BY 1") == [("applicant", 2), ("examiner", 1)]
    assert _rows(con, "SELECT * FROM priorities ORDER BY 1, 2") == [
        ("EP-3000001-A1", "DE-102014218946-A", "DE", dt.date(2014, 9, 22)),
        ("EP-3000001-A1", "DE-102014219001-A", "DE", dt.date(2014, 10, 1)),
        ("US-8421615-B2", "KR-20070116815-A", "KR", dt.date(2007, 11, 15)),
    ]


def _all_tables(con):
    out = {}
    for table in ("publications", "parties", "classifications", "citations", "priorities", "texts"):
        cols = "* EXCLUDE (source_ref)" if table == "publications" else "*"
        out[table] = sorted(con.execute(f"SELECT {cols} FROM {table}").fetchall(), key=repr)
    return out


def test_gzip_and_parquet_give_the_same_rows(cli, tmp_path):
    expected = _all_tables(_ingest(cli, tmp_path / "plain", JSONL))
    gz = tmp_path / "export.json.gz"
    with open(JSONL, "rb") as src, gzip.open(gz, "wb") as dst:
        shutil.copyfileobj(src, dst)
    assert _all_tables(_ingest(cli, tmp_path / "gz", gz)) == expected
    parquet = tmp_path / "export.parquet"  # nested columns, as BigQuery writes them
    dates = ", ".join(f"CAST(json_extract_string({c}, '$') AS BIGINT) AS {c}"
                      for c in ("publication_date", "filing_date", "grant_date", "priority_date"))
    duckdb.sql(f"COPY (SELECT * REPLACE ({dates}) FROM read_json('{JSONL}')) TO '{parquet}' (FORMAT parquet)")
    con = _ingest(cli, tmp_path / "pq", parquet)
    assert _all_tables(con) == expected
    assert con.execute("SELECT min(source_ref) FROM publications").fetchone()[0] == "export.parquet:1"


def test_malformed_lines_quarantined_with_line_numbers(cli, lake_dir):
    con = _ingest(cli, lake_dir, FIX / "malformed.jsonl")
    assert _rows(con, "SELECT publication_number, source_ref FROM publications ORDER BY 2") == [
        ("CN-105000001-A", "malformed.jsonl:1"), ("EP-3000001-A1", "malformed.jsonl:6")]
    lake = Lake.open(lake_dir)
    entry = lake.manifest["inputs"][0]
    quarantined = [json.loads(line) for line in (lake_dir / entry["quarantine"]).read_text().splitlines()]
    assert [(q["where"], q["reason"]) for q in quarantined] == [
        (2, "malformed JSON"), (4, "not a JSON object"), (5, "no publication_number")]
    assert quarantined[0]["raw"].startswith('{"publication_number": "US-9000000-B2"')
    assert entry["rows_read"] == 5 and entry["rejected"] == 3  # the blank line 3 is not a record


def test_claim_blocks_counted(cli, tmp_path):
    records = [
        {"publication_number": "US-1-B1", "claims_localized": [{"text": "1. A thing.\n  2. The thing of claim 1.\n3) A use.", "language": "en"}]},
        {"publication_number": "US-D2-S", "claims_localized": [{"text": "The ornamental design for a lamp, as shown.", "language": "en"}]},
        {"publication_number": "US-3-A", "claims_localized": [{"text": "  ", "language": "en"}]},
    ]
    path = tmp_path / "claims.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    con = _ingest(cli, tmp_path / "lake", path)
    assert _rows(con, "SELECT publication_number, claims_count FROM publications ORDER BY source_ref") == [
        ("US-1-B1", 3), ("US-D2-S", 1), ("US-3-A", None)]


@pytest.mark.parametrize("name, content", [
    ("empty.jsonl", b""),
    ("binary.jsonl", b"\x00\x01\x02\xff" * 100),
    ("lens.csv", b"Lens ID,Title\n1,A thing\n2,Another\n"),
    ("truncated.json.gz", gzip.compress(b'{"publication_number": "US-1-A"}\n' * 50)[:40]),
    ("broken.parquet", b"PAR1" + b"\x07" * 200),
    ("array.json", b'[{"publication_number": "US-1-A"}]'),
])
def test_bad_files_exit_3_and_leave_lake_unchanged(cli, lake_dir, tmp_path, name, content):
    _ingest(cli, lake_dir, JSONL)
    before = (lake_dir / "manifest.json").read_bytes()
    bad = tmp_path / name
    bad.write_bytes(content)
    result = cli("ingest", "google", bad, "--lake", lake_dir, expect=3)
    assert name in result.output
    assert (lake_dir / "manifest.json").read_bytes() == before
    assert not list(lake_dir.glob(".staging-*"))


def test_export_query_for_a_landscape(cli):
    from patentq.landscapes import load

    sql = cli("export-query", "google", "--landscape", "genai", "--since", "2014", "--until", "2023").stdout
    assert "FROM `patents-public-data.patents.publications` AS p" in sql
    assert "SELECT 1 FROM UNNEST(p.cpc) AS c" in sql
    assert "description_localized" not in sql  # full-text description columns never read (the word may be a keyword)
    assert "claims_localized," in sql and "p.publication_date >= 20140101" in sql
    prefixes = load("genai").cpc_prefixes()
    for prefix in prefixes:  # each prefix is filtered on, itself or through a shorter one covering it
        assert any(f"STARTS_WITH(c.code, '{p}')" in sql for p in prefixes if prefix.startswith(p))
    bare = cli("export-query", "google", "--cpc", "G06N3/0475", "--no-claims").stdout
    assert "claims_localized" not in bare.split("SELECT", 1)[1]


def test_export_query_fallback_and_bad_input(cli, monkeypatch):
    from patentq.sources import sql as export_sql

    monkeypatch.setitem(export_sql.FALLBACK_CPC_PREFIXES, "not-a-definition", ["G10L13/", "G06N3/0475"])
    result = cli("export-query", "google", "--landscape", "not-a-definition")
    assert "STARTS_WITH(c.code, 'G06N3/0475')\n       OR STARTS_WITH(c.code, 'G10L13/')" in result.stdout
    assert "fallback CPC list" in result.stderr
    assert "not CPC code prefixes" in cli("export-query", "google", "--cpc", "x'; DROP", expect=2).output
    cli("export-query", "google", "--landscape", "no-such-landscape", expect=2)
    cli("export-query", "google", expect=2)


def test_export_keyword_prefilter_keeps_every_member(cli, tmp_path):
    """The keyword prefilter (CPC prefixes OR the keyword gate over localized titles and
    abstracts) loses no member of genai on the labelled evaluation set, in any language, while
    CPC prefixes alone would lose most of them."""
    import re

    from patentq.landscapes import load
    from patentq.landscapes.apply import membership_sql
    from patentq.landscapes.labelled import read_rows, write_lake

    sql = cli("export-query", "google", "--landscape", "genai").stdout
    assert "REGEXP_CONTAINS(t.text" in sql and "UNNEST(p.title_localized)" in sql and "Extra bytes billed: 0" in sql
    assert "REGEXP_CONTAINS(t.text" not in cli("export-query", "google", "--landscape", "genai", "--no-keywords").stdout
    defn = load("genai")
    rows = read_rows(FIX.parent / "landscape_eval" / "genai_eval.csv")
    with open_lake(write_lake(rows, tmp_path / "lake").path) as session:
        members = {r["family_id"][len("~labelled:"):] for r in session.engine.rows(membership_sql(defn))}
    con = duckdb.connect()
    regex, prefixes = defn.keyword_regex(), defn.cpc_prefixes()
    kept = {r["publication_number"] for r in rows
            if con.execute("SELECT regexp_matches(?, ?) OR regexp_matches(?, ?)",
                           [r["title"], regex, r["abstract"], regex]).fetchone()[0]
            or any(c.startswith(p) for c in r["cpc"].split(";") if c for p in prefixes)}
    by_cpc = {r["publication_number"] for r in rows if any(c.startswith(p) for c in r["cpc"].split(";") if c
                                                            for p in prefixes)}
    assert members and members <= kept
    assert len(members - by_cpc) > len(members) / 2
    assert re.search(r"扩散模型|拡散モデル", regex)
