"""PatentsView bulk-table adapter on a schema-faithful fixture folder (tests/fixtures/patentsview)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from patentq.lake import Lake
from patentq import open_lake

FIX = Path(__file__).parent / "fixtures" / "patentsview"


def _ingest(cli, lake_dir, folder=FIX):
    cli("ingest", "patentsview", folder, "--lake", lake_dir)
    return open_lake(lake_dir).connect()


def _rows(con, sql):
    return con.execute(sql).fetchall()


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "pv"
    shutil.copytree(FIX, target)
    return target


def test_publications_exact(cli, lake_dir):
    con = _ingest(cli, lake_dir)
    assert _rows(con, "SELECT publication_number, kind_code, application_number, family_id, publication_date, "
                      "filing_date, grant_date, is_grant, title, abstract, claims_count FROM publications ORDER BY 1") == [
        # withdrawn patent: kept, but not a grant
        ("US-10000001-B2", "B2", "US-15123456", "~us-app:US-15123456", dt.date(2018, 6, 19), dt.date(2016, 3, 1),
         None, False, 'Generative model for images,\twith "quotes"', "A generator network produces images.\nA second line.",
         None),
        ("US-8421615-B2", "B2", "US-12270898", "~us-app:US-12270898", dt.date(2013, 4, 16), dt.date(2008, 11, 14),
         dt.date(2013, 4, 16), True,
         "Method and system for locating sensor node in sensor network using transmit power control",
         "A method and apparatus for a sensor network having a plurality of reference nodes and a sensor node.", 22),
        ("US-D800000-S1", "S1", "US-29601234", "~us-app:US-29601234", dt.date(2017, 10, 17), dt.date(2017, 4, 20),
         dt.date(2017, 10, 17), True, "Vehicle grille", None, 1),
    ]
    info = open_lake(lake_dir).info()
    assert info["families"] == 3 and info["rejected"] == 0


def test_parties_joined_to_locations(cli, lake_dir):
    con = _ingest(cli, lake_dir)
    assert _rows(con, "SELECT publication_number, role, seq, name, country_code FROM parties "
                      "WHERE publication_number <> 'US-8421615-B2' ORDER BY 1, 2 DESC, 3") == [
        ("US-10000001-B2", "inventor", 1, "Ada Lovelace", None),  # location id not in g_location_disambiguated
        ("US-10000001-B2", "applicant", 1, "Ada Lovelace", None),  # individual assignee: first + last name
        ("US-D800000-S1", "inventor", 1, "Mary Smith", None),  # no location id
        ("US-D800000-S1", "applicant", 1, "Ford Global Technologies, LLC", "US"),
    ]
    assert _rows(con, "SELECT role, count(*), list(DISTINCT country_code) FROM parties "
                      "WHERE publication_number = 'US-8421615-B2' GROUP BY 1 ORDER BY 1") == [
        ("applicant", 2, ["KR"]), ("inventor", 6, ["KR"])]
    assert _rows(con, "SELECT name FROM parties WHERE publication_number = 'US-8421615-B2' AND seq = 6") == [("Bum Jin Kim",)]


def test_classifications(cli, lake_dir):
    con = _ingest(cli, lake_dir)
    assert _rows(con, "SELECT publication_number, scheme, code, is_first, is_inventive FROM classifications ORDER BY 1, 2, 3") == [
        ("US-10000001-B2", "cpc", "G06N3/0475", True, True),  # listed twice, one row
        ("US-10000001-B2", "ipc", "G06N3/04", True, True),
        ("US-10000001-B2", "ipc", "G06N3/08", False, False),
        ("US-8421615-B2", "cpc", "G01S5/0289", True, True),
        ("US-8421615-B2", "cpc", "H04W64/00", False, True),
        ("US-8421615-B2", "cpc", "H04W84/18", False, False),
        ("US-8421615-B2", "ipc", "G08B1/08", True, True),
    ]


def test_citations(cli, lake_dir):
    con = _ingest(cli, lake_dir)
    assert _rows(con, "SELECT citing_publication_number, cited_publication_number, npl_text, origin FROM citations "
                      "ORDER BY 1, 2 NULLS LAST") == [
        ("US-10000001-B2", "DE-102014218946", None, "applicant"),
        ("US-10000001-B2", "US-8421615-B2", None, "other"),
        ("US-10000001-B2", "WO-2013123456", None, "examiner"),
        ("US-10000001-B2", None, 'Goodfellow et al., "Generative Adversarial Nets", NIPS 2014.', None),
        ("US-8421615-B2", "US-4209787-A", None, "examiner"),
        ("US-8421615-B2", "US-6894645-B1", None, "examiner"),
        ("US-D800000-S1", "US-D700000-S1", None, "applicant"),
    ]


def test_zipped_tables_read_like_plain_ones(cli, tmp_path, folder):
    expected = _rows(_ingest(cli, tmp_path / "plain"), "SELECT * FROM classifications ORDER BY ALL")
    for name in ("g_cpc_current", "g_patent"):
        with zipfile.ZipFile(folder / f"{name}.tsv.zip", "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(folder / f"{name}.tsv", f"{name}.tsv")
        (folder / f"{name}.tsv").unlink()
    con = _ingest(cli, tmp_path / "zipped", folder)
    assert _rows(con, "SELECT * FROM classifications ORDER BY ALL") == expected
    assert con.execute("SELECT count(*) FROM publications").fetchone()[0] == 3


def test_malformed_row_quarantined_with_table_and_line(cli, lake_dir, folder):
    with open(folder / "g_cpc_current.tsv", "a") as f:
        f.write('"8421615"\t"3"\t"G"\t"G06"\n')  # line 7: four fields instead of seven
    con = _ingest(cli, lake_dir, folder)
    assert con.execute("SELECT count(*) FROM classifications").fetchone()[0] == 7
    entry = Lake.open(lake_dir).manifest["inputs"][0]
    quarantined = [json.loads(x) for x in (lake_dir / entry["quarantine"]).read_text().splitlines()]
    assert [q["where"] for q in quarantined] == ["g_cpc_current.tsv:7"]
    assert entry["rejected"] == 1


def test_missing_required_table_exit_3_names_it(cli, lake_dir, folder):
    _ingest(cli, lake_dir)
    before = (lake_dir / "manifest.json").read_bytes()
    (folder / "g_application.tsv").unlink()
    result = cli("ingest", "patentsview", folder, "--lake", lake_dir, expect=3)
    assert "g_application" in result.output
    assert (lake_dir / "manifest.json").read_bytes() == before


def test_missing_optional_table_noted(cli, lake_dir, folder):
    (folder / "g_other_reference.tsv").unlink()
    con = _ingest(cli, lake_dir, folder)
    assert con.execute("SELECT count(*) FROM citations WHERE npl_text IS NOT NULL").fetchone()[0] == 0
    notes = Lake.open(lake_dir).manifest["inputs"][0]["notes"]
    assert notes == ["tables not in the folder, so their rows are empty: g_other_reference"]


@pytest.mark.parametrize("table, content, message", [
    ("g_patent.tsv", b"", "empty"),
    ("g_patent.tsv", b"\x00\x01binary\x00" * 50, "binary"),
    ("g_inventor_disambiguated.tsv", b'"id"\t"name"\n"1"\t"x"\n', "missing columns"),
    ("g_cpc_current.tsv.zip", b"PK\x03\x04 not really a zip", "corrupt or truncated zip"),
])
def test_bad_table_exit_3_lake_unchanged(cli, lake_dir, folder, table, content, message):
    _ingest(cli, lake_dir)
    before = (lake_dir / "manifest.json").read_bytes()
    if table.endswith(".zip"):
        (folder / table.removesuffix(".zip")).unlink()
    (folder / table).write_bytes(content)
    result = cli("ingest", "patentsview", folder, "--lake", lake_dir, expect=3)
    assert message in result.output and table in result.output
    assert (lake_dir / "manifest.json").read_bytes() == before
    assert not list(lake_dir.glob(".staging-*"))


def test_a_file_instead_of_the_folder_exit_3(cli, lake_dir):
    result = cli("ingest", "patentsview", FIX / "g_patent.tsv", "--lake", lake_dir, expect=3)
    assert "not a folder" in result.output
    assert not lake_dir.exists()


@pytest.mark.parametrize("cc, number, kind", [
    ("US", "8421615", "B2"), ("US", "D800000", "S1"), ("US", "RE49000", "E"), ("US", "0123", "A"),
    ("US", "20130101709", "A1"), ("us", "123", "b1"), ("WO", "2013123456", None), ("JP", "H05003059", "A"),
    ("DE", "102014218946", ""), ("US", "12 345", "B1"), ("EP", "3000001", " A1"), ("US", "PP30000", "P3"),
])
def test_fast_path_numbers_equal_the_general_normaliser(cc, number, kind):
    import duckdb

    from patentq.normalize import install_sql_macros

    con = duckdb.connect()
    install_sql_macros(con)
    fast, general = con.execute("SELECT fq_pn3(?, ?, ?), pq_publication_number3(?, ?, ?)",
                                [cc, number, kind] * 2).fetchone()
    assert fast == general
    pn = general.lower() if general else None
    assert con.execute("SELECT fq_pn(?) = coalesce(pq_publication_number(?), upper(trim(?)))", [pn] * 3).fetchone()[0] in (True, None)


@pytest.mark.parametrize("code", ["G06N3/0475", "G06N   3/0475", "G06N3/080", "G06N03/04", "G06T11/00", "G06T 11/00",
                                  "g06n3/04", "G06N3/10", "G06N 3/100", "A61B2560/0209", "G06N20", "G06N0003045000"])
def test_fast_path_codes_equal_the_general_normaliser(code):
    import duckdb

    from patentq.normalize import install_sql_macros

    con = duckdb.connect()
    install_sql_macros(con)
    assert con.execute("SELECT fq_code(?) IS NOT DISTINCT FROM pq_classification(?)", [code, code]).fetchone()[0]
