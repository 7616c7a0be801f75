"""PATSTAT Global adapter on a schema-faithful fixture folder (tests/fixtures/patstat)."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import pytest

from patentq.lake import Lake
from patentq import open_lake

FIX = Path(__file__).parent / "fixtures" / "patstat"


def _ingest(cli, lake_dir, folder=FIX):
    cli("ingest", "patstat", folder, "--lake", lake_dir)
    return open_lake(lake_dir).connect()


def _rows(con, sql):
    return con.execute(sql).fetchall()


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "patstat"
    shutil.copytree(FIX, target)
    return target


def test_one_publication_per_tls211_row(cli, lake_dir):
    con = _ingest(cli, lake_dir)
    assert _rows(con, "SELECT publication_number, application_number, family_id, extended_family_id, publication_date, "
                      "filing_date, priority_date, grant_date, is_grant, claims_count, language, source_ref "
                      "FROM publications ORDER BY source_ref") == [
        ("EP-3000001-A1", "EP-15184321-A", "54147003", "54147000", dt.date(2016, 3, 30), dt.date(2015, 9, 9),
         dt.date(2014, 9, 22), None, False, 15, "de", "tls211:5001"),
        ("EP-3000001-B1", "EP-15184321-A", "54147003", "54147000", dt.date(2019, 5, 1), dt.date(2015, 9, 9),
         dt.date(2014, 9, 22), dt.date(2019, 5, 1), True, 12, "de", "tls211:5002"),  # publn_first_grant = Y
        ("DE-102014218946-A1", "DE-102014218946-A", "54147003", "54147000", dt.date(2016, 3, 24), dt.date(2014, 9, 22),
         dt.date(2014, 9, 22), None, False, 10, "de", "tls211:5003"),
        ("US-2016085213-A1", "US-201514850123-A", "54147003", "54147000", dt.date(2016, 3, 24), dt.date(2015, 9, 10),
         dt.date(2014, 9, 22), None, False, 20, "en", "tls211:5004"),
        # granted = Y but no first-grant flag in the extract: the latest publication stands for the grant;
        # publn_claims 0 means unknown
        ("CN-105000001-A", "CN-201510123456-A", "60000001", "60000001", dt.date(2015, 2, 25), dt.date(2015, 1, 5),
         dt.date(2015, 1, 5), None, False, None, "zh", "tls211:5005"),
        ("CN-105000001-B", "CN-201510123456-A", "60000001", "60000001", dt.date(2018, 1, 2), dt.date(2015, 1, 5),
         dt.date(2015, 1, 5), dt.date(2018, 1, 2), True, None, "zh", "tls211:5006"),
        ("WO-2013123456-A1", "WO-2013US12345-W", "47000001", "47000001", dt.date(2013, 8, 22), dt.date(2013, 2, 20),
         dt.date(2012, 2, 21), None, False, 30, "en", "tls211:5007"),
    ]
    assert _rows(con, "SELECT title, abstract FROM publications WHERE publication_number = 'EP-3000001-A1'") == [
        ("Method for generating images", 'A generative network produces images, "realistic" ones.')]
    entry = Lake.open(lake_dir).manifest["inputs"][0]
    assert entry["notes"] == [
        "1 tls211 row(s) without a publication number (unpublished applications) skipped",
        "1 patent citation(s) point to publications outside this extract and were left out",
    ]
    assert open_lake(lake_dir).info()["families"] == 3


def test_parties_roles_and_countries(cli, lake_dir):
    con = _ingest(cli, lake_dir)
    # MUELLER is applicant (seq 2) and inventor (seq 1) on the DE application: one row per role
    assert _rows(con, "SELECT role, seq, name, country_code FROM parties WHERE publication_number = 'DE-102014218946-A1' "
                      "ORDER BY role, seq") == [
        ("applicant", 1, "SIEMENS AG", "DE"), ("applicant", 2, "MUELLER, Anna", "DE"), ("inventor", 1, "MUELLER, Anna", "DE")]
    assert _rows(con, "SELECT role, seq, name, country_code FROM parties WHERE publication_number = 'EP-3000001-B1' "
                      "ORDER BY role, seq") == [
        ("applicant", 1, "SIEMENS AG", "DE"), ("inventor", 1, "MUELLER, Anna", "DE"), ("inventor", 2, "DUPONT, Jean", "FR")]
    assert _rows(con, "SELECT name, country_code FROM parties WHERE publication_number = 'CN-105000001-A' AND role = 'inventor'") == [
        ("WANG Wei", None)]  # blank person_ctry_code
    assert con.execute("SELECT count(*) FROM parties").fetchone()[0] == 16


def test_classifications(cli, lake_dir):
    con = _ingest(cli, lake_dir)
    assert _rows(con, "SELECT scheme, code, is_first, is_inventive FROM classifications "
                      "WHERE publication_number = 'EP-3000001-A1' ORDER BY 1, 2") == [
        ("cpc", "G06N3/045", None, None), ("cpc", "G06N3/0475", None, None),  # tls224 has no position/value columns
        ("ipc", "G06N3/04", True, True), ("ipc", "G06N3/08", False, False),
    ]
    assert _rows(con, "SELECT publication_number, list(code ORDER BY code) FROM classifications WHERE scheme = 'cpc' "
                      "GROUP BY 1 ORDER BY 1") == [
        ("CN-105000001-A", ["G06T11/00"]), ("CN-105000001-B", ["G06T11/00"]),
        ("DE-102014218946-A1", ["G06N3/0475"]), ("EP-3000001-A1", ["G06N3/045", "G06N3/0475"]),
        ("EP-3000001-B1", ["G06N3/045", "G06N3/0475"]), ("US-2016085213-A1", ["G06N3/0475"]),
        ("WO-2013123456-A1", ["G06N3/094"]),
    ]


def test_citations_origin_and_category(cli, lake_dir):
    con = _ingest(cli, lake_dir)
    assert _rows(con, "SELECT citing_publication_number, cited_publication_number, npl_text, category, origin "
                      "FROM citations ORDER BY 1, 2 NULLS LAST") == [
        ("EP-3000001-A1", "WO-2013123456-A1", None, "XY", "search report"),  # X and Y on different claims
        ("EP-3000001-A1", None, "[PATSTAT NPL 9001]", "A", "search report"),
        ("EP-3000001-B1", "WO-2013123456-A1", None, None, "opposition"),
        ("US-2016085213-A1", "DE-102014218946-A1", None, None, "applicant"),  # cited application → its publication
    ]


def test_npl_text_from_tls214_when_present(cli, lake_dir, folder):
    (folder / "tls214_npl_publn.csv").write_text(
        "npl_publn_id,npl_type,npl_biblio,npl_author,npl_title1\n9001,a,\"GOODFELLOW I ET AL, Generative Adversarial Nets\",,\n")
    con = _ingest(cli, lake_dir, folder)
    assert _rows(con, "SELECT npl_text FROM citations WHERE npl_text IS NOT NULL") == [
        ("GOODFELLOW I ET AL, Generative Adversarial Nets",)]


def test_zipped_tables_in_parts(cli, tmp_path, folder):
    """PATSTAT ships large tables as several zipped parts: tls211_part01.zip, tls211_part02.zip."""
    expected = _rows(_ingest(cli, tmp_path / "plain"), "SELECT * EXCLUDE (source_ref) FROM publications ORDER BY ALL")
    lines = (folder / "tls211_pat_publn.csv").read_text().splitlines(keepends=True)
    header, body = lines[0], lines[1:]
    for n, chunk in enumerate((body[:4], body[4:]), start=1):
        with zipfile.ZipFile(folder / f"tls211_part0{n}.zip", "w") as archive:
            archive.writestr(f"tls211_pat_publn_part0{n}.csv", header + "".join(chunk))
    (folder / "tls211_pat_publn.csv").unlink()
    con = _ingest(cli, tmp_path / "zipped", folder)
    assert _rows(con, "SELECT * EXCLUDE (source_ref) FROM publications ORDER BY ALL") == expected


def test_missing_required_table_exit_3_names_it(cli, lake_dir, folder):
    _ingest(cli, lake_dir)
    before = (lake_dir / "manifest.json").read_bytes()
    (folder / "tls211_pat_publn.csv").unlink()
    result = cli("ingest", "patstat", folder, "--lake", lake_dir, expect=3)
    assert "tls211_pat_publn" in result.output
    assert (lake_dir / "manifest.json").read_bytes() == before


@pytest.mark.parametrize("table, content, message", [
    ("tls201_appln.csv", b"", "empty"),
    ("tls206_person.csv", b"\x00\x00PK binary\x00" * 30, "binary"),
    ("tls212_citation.csv", b"citing,cited\n1,2\n", "missing columns"),
])
def test_bad_table_exit_3_lake_unchanged(cli, lake_dir, folder, table, content, message):
    _ingest(cli, lake_dir)
    before = (lake_dir / "manifest.json").read_bytes()
    (folder / table).write_bytes(content)
    result = cli("ingest", "patstat", folder, "--lake", lake_dir, expect=3)
    assert message in result.output and table in result.output
    assert (lake_dir / "manifest.json").read_bytes() == before
    assert not list(lake_dir.glob(".staging-*"))


def test_malformed_row_quarantined(cli, lake_dir, folder):
    with open(folder / "tls224_appln_cpc.csv", "a") as f:
        f.write('1002,"G06N   3/08",extra,fields\n')  # line 8
    con = _ingest(cli, lake_dir, folder)
    assert con.execute("SELECT count(*) FROM classifications WHERE scheme = 'cpc'").fetchone()[0] == 9
    entry = Lake.open(lake_dir).manifest["inputs"][0]
    assert entry["rejected"] == 1 and entry["reject_reasons"]
    import json
    [q] = [json.loads(x) for x in (lake_dir / entry["quarantine"]).read_text().splitlines()]
    assert q["where"] == "tls224_appln_cpc.csv:8"


def test_titles_and_abstracts_with_their_language_in_texts(cli, lake_dir):
    """tls202/tls203 rows with their language codes, on every publication of the application."""
    con = _ingest(cli, lake_dir)
    got = _rows(con, "SELECT publication_number, field, language, text FROM texts ORDER BY publication_number, field")
    titles = dict(_rows(con, "SELECT publication_number, title FROM publications"))
    assert {(pn, f) for pn, f, _, _ in got} >= {("CN-105000001-A", "title"), ("CN-105000001-A", "abstract")}
    assert ("CN-105000001-A", "title", "zh", "一种图像生成方法") in got
    assert ("CN-105000001-A", "abstract", "zh", "一种方法。") in got
    assert all(text == titles[pn] for pn, field, _, text in got if field == "title")
    assert all(r[2] for r in got) and {r[3] for r in got if r[1] == "abstract"} <= {
        'A generative network produces images, "realistic" ones.', "一种方法。"}
