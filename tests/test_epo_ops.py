"""EPO OPS adapter on the real OPS responses in ../shared/data/epo-ops.

The expected values below were read off the XML by hand (docdb publication numbers, the
``family-id`` attributes, ``[CC]`` suffixes of epodoc party names, CPC parts, citations).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from conftest import FIXTURES, shared_file

from patentq.lake import Lake
from patentq import open_lake

OPS = "epo-ops/"


def snapshot(lake: Path) -> dict:
    return {p.relative_to(lake).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(lake.rglob("*")) if p.is_file()}


def ingest(cli, lake_dir, *names) -> dict:
    paths = [shared_file(OPS + n) for n in names]
    return json.loads(cli("ingest", "epo-ops", *paths, "--lake", lake_dir, "--json").output)


def rows(lake_dir, sql: str) -> list[tuple]:
    return open_lake(lake_dir).connect().execute(sql).fetchall()


def test_full_cycle_exchange_documents(cli, lake_dir):
    summary = ingest(cli, lake_dir, "full_cycle_example.xml")
    assert summary["rows_written"] == {"publications": 2, "priorities": 2, "parties": 4,
                                       "classifications": 14, "citations": 3, "texts": 7}
    pubs = rows(lake_dir, "SELECT publication_number, family_id, application_number, publication_date, filing_date, "
                          "priority_date, is_grant, grant_date, title FROM publications ORDER BY 1")
    title = "Apparatus for manufacturing green bricks for the brick manufacturing industry"
    assert pubs == [
        ("EP-1000000-A1", "19768124", "EP-99203729", dt.date(2000, 5, 17), dt.date(1999, 11, 8),
         dt.date(1998, 11, 12), False, None, title),
        ("EP-1000000-B1", "19768124", "EP-99203729", dt.date(2003, 2, 12), dt.date(1999, 11, 8),
         dt.date(1998, 11, 12), True, dt.date(2003, 2, 12), title),
    ]
    assert rows(lake_dir, "SELECT role, name, country_code FROM parties WHERE publication_number = 'EP-1000000-B1' "
                          "ORDER BY role") == [
        ("applicant", "BEHEERMIJ DE BOER NIJMEGEN BV", "NL"), ("inventor", "KOSMAN WILHELMUS JACOBUS MARIA", "NL")]
    # CPC repeated once per allocating office (US, EP) is kept once
    assert rows(lake_dir, "SELECT scheme, code, is_first, is_inventive FROM classifications "
                          "WHERE publication_number = 'EP-1000000-A1' ORDER BY scheme, code") == [
        ("cpc", "B28B1/29", True, True), ("cpc", "B28B5/022", False, True), ("cpc", "B28B7/0064", False, True),
        ("ipc", "B28B1/29", True, True), ("ipc", "B28B5/02", False, True), ("ipc", "B28B7/00", False, True),
        ("ipc", "H02P6/08", False, True)]
    assert rows(lake_dir, "SELECT citing_publication_number, cited_publication_number, category, origin "
                          "FROM citations ORDER BY 2") == [
        ("EP-1000000-A1", "DE-3546191-A1", "A", "search report"),
        ("EP-1000000-A1", "EP-680812-A1", "A", "search report"),
        ("EP-1000000-A1", "NL-9400663-A", "A", "search report")]
    assert rows(lake_dir, "SELECT DISTINCT priority_number, priority_country, priority_date FROM priorities") == [
        ("NL19981010536", "NL", dt.date(1998, 11, 12))]


def test_inpadoc_family_has_six_members(cli, lake_dir):
    summary = ingest(cli, lake_dir, "inpadoc_family_EP1000000.xml")
    assert summary["rows_written"]["publications"] == 6
    pubs = rows(lake_dir, "SELECT publication_number, family_id, extended_family_id, publication_date, is_grant "
                          "FROM publications ORDER BY 1")
    assert pubs == [
        ("AT-232441-T", "19768124", "~inpadoc:19768124", dt.date(2003, 2, 15), False),
        ("DE-69905327-D1", "19768124", "~inpadoc:19768124", dt.date(2003, 3, 20), False),
        ("EP-1000000-A1", "19768124", "~inpadoc:19768124", dt.date(2000, 5, 17), False),
        ("EP-1000000-B1", "19768124", "~inpadoc:19768124", dt.date(2003, 2, 12), True),
        ("NL-1010536-C2", "19768124", "~inpadoc:19768124", dt.date(2000, 5, 15), True),
        ("US-6093011-A", "19768124", "~inpadoc:19768124", dt.date(2000, 7, 25), True),
    ]
    assert rows(lake_dir, "SELECT count(*), count(DISTINCT priority_number), min(priority_number) FROM priorities") == [
        (6, 1, "NL1010536")]


def test_family_from_result_has_twenty_members_in_one_family(cli, lake_dir):
    ingest(cli, lake_dir, "ops_TestPublished.test_get_family_from_result__01.xml")
    assert rows(lake_dir, "SELECT count(*), count(DISTINCT family_id), min(family_id), sum(is_grant::INT), "
                          "min(priority_date) FROM publications") == [(20, 1, "40799763", 8, dt.date(2007, 12, 27))]
    offices = rows(lake_dir, "SELECT country_code, count(*) FROM publications GROUP BY 1 ORDER BY 1")
    assert offices == [("CN", 4), ("EP", 2), ("JP", 2), ("TW", 2), ("US", 8), ("WO", 2)]


def test_wo_biblio_parties_with_country_suffix_and_english_title(cli, lake_dir):
    ingest(cli, lake_dir, "ops_TestPublished.test_get_biblio_from_wo__00.xml")
    assert rows(lake_dir, "SELECT publication_number, family_id, application_number, title FROM publications") == [
        ("WO-2009085664-A2", "40799763", "US-2008086599", "RELEVANCY SORTING OF USERS BROWSER HISTORY")]
    assert rows(lake_dir, "SELECT role, seq, name, country_code FROM parties ORDER BY role, seq") == [
        ("applicant", 1, "MICROSOFT CORP", "US"),
        ("inventor", 1, "VAUGHAN CHRISTOPHER M", "US"), ("inventor", 2, "WALLACE OLIVER", "US"),
        ("inventor", 3, "YEUNG CARLOS", "US"), ("inventor", 4, "GUPTA AMIT", "US"),
        ("inventor", 5, "MARLE CHRISTOPHE", "US")]
    assert rows(lake_dir, "SELECT scheme, code FROM classifications ORDER BY 1, 2") == [
        ("cpc", "G06F16/24578"), ("cpc", "G06F16/248"), ("cpc", "G06F16/955"), ("cpc", "G06F16/957"),
        ("ipc", "G06F15/00"), ("ipc", "G06F15/16")]


def test_patent_and_npl_citations_with_categories(cli, lake_dir):
    ingest(cli, lake_dir, "ops_TestPublished.test_can_handle_single_item_ipc_classes__00.xml")
    assert rows(lake_dir, "SELECT publication_number, family_id, priority_date FROM publications") == [
        ("WO-2020081771-A1", "70284791", dt.date(2018, 10, 17))]
    cits = rows(lake_dir, "SELECT cited_publication_number, left(npl_text, 40), category, origin FROM citations "
                          "ORDER BY category")
    assert cits == [
        ("JP-H6279146-A", None, "A", "search report"),
        (None, '- "Aqua nu filtration system LTD", IN -D', "X", "search report"),
        (None, "- DISCOVER NATURAL FIBRES, URL: http://w", "Y", "search report")]
    assert rows(lake_dir, "SELECT count(*) FILTER (scheme = 'cpc'), count(*) FILTER (scheme = 'ipc'), "
                          "count(*) FILTER (is_first) FROM classifications") == [(25, 6, 2)]
    assert rows(lake_dir, "SELECT name, country_code FROM parties WHERE role = 'applicant'") == [
        ("UWM RES FOUNDATION INC", "US")]


def test_biblio_examples(cli, lake_dir):
    ingest(cli, lake_dir, "biblio_example.xml", "biblio_example_2.xml", "biblio_example_3.xml", "biblio_example_4.xml")
    assert rows(lake_dir, "SELECT publication_number, family_id FROM publications ORDER BY 1") == [
        ("AU-2013290010-A1", "49448571"), ("JP-2005533465-A", "30117972"),
        ("US-2006142694-A1", "35840242"), ("US-2012116137-A1", "46020268")]
    per_pub = rows(lake_dir, "SELECT citing_publication_number, count(*), count(category), min(origin) "
                             "FROM citations GROUP BY 1 ORDER BY 1")
    assert per_pub == [("JP-2005533465-A", 2, 0, "examiner"), ("US-2006142694-A1", 99, 0, "search report"),
                       ("US-2012116137-A1", 6, 0, "search report")]
    # the AU document only has epodoc names without [CC] and original names: no countries
    assert rows(lake_dir, "SELECT count(*), count(country_code) FROM parties "
                          "WHERE publication_number = 'AU-2013290010-A1'") == [(4, 0)]
    assert rows(lake_dir, "SELECT name, country_code FROM parties WHERE publication_number = 'US-2006142694-A1' "
                          "ORDER BY role, seq") == [
        ("ST. JUDE MEDICAL, ATRIAL FIBRILLATION DIVISION, INC", None), ("BEDNAREK MICHAEL C", "US"),
        ("WILKOWSKE ERIC J", "US"), ("STEHR RICHARD E", "US"), ("BUTLER WILLIAM E", "US")]
    assert rows(lake_dir, "SELECT code, is_first FROM classifications WHERE publication_number = 'AU-2013290010-A1' "
                          "AND scheme = 'cpc' ORDER BY code") == [
        ("C07C1/047", True), ("C10G2300/1022", False), ("C10G2400/30", False), ("C10L1/04", False),
        ("C10L2200/00", False), ("C10L2200/04", False)]


def test_search_results_give_numbers_and_family_ids(cli, lake_dir):
    summary = ingest(cli, lake_dir, "search_example.xml", "ops_TestSearchApi.test_search__00.xml")
    assert summary["rows_written"] == {"publications": 115}
    assert rows(lake_dir, "SELECT count(DISTINCT family_id) FROM publications WHERE source_ref LIKE 'search_example%'") \
        == [(12,)]
    assert rows(lake_dir, "SELECT family_id FROM publications WHERE publication_number = 'US-2021381337-A1'") == [
        ("40674565",)]


def test_responses_without_biblio_are_noted_not_errors(cli, lake_dir):
    names = ["claims_example.xml", "description_example.xml", "image_example.xml"]
    ingest(cli, lake_dir, *names)
    info = Lake.open(lake_dir).manifest["inputs"]
    notes = {Path(i["file"]).name: i["notes"] for i in info}
    assert notes["claims_example.xml"] == [
        "claims response for EP-1000000-A1 (11 claim texts): no bibliographic record, nothing ingested; "
        "ingest its biblio response for the publication"]
    assert notes["description_example.xml"][0].startswith("description response for EP-1000000-A1")
    assert notes["image_example.xml"] == ["image inquiry response: lists page images only, nothing ingested"]
    assert all(i["rows_written"] == {} for i in info)


def test_malformed_documents_are_quarantined(cli, lake_dir):
    result = cli("ingest", "epo-ops", FIXTURES / "epo_ops" / "malformed_records.xml", "--lake", lake_dir, "--json")
    assert json.loads(result.output)["rejected"] == 2
    quarantine = [json.loads(line) for f in (lake_dir / "quarantine").glob("*.jsonl") for line in f.open()]
    assert [(q["where"], q["reason"]) for q in quarantine] == [
        (52, "exchange document not found"),
        (53, "exchange document without publication number or bibliographic data")]
    assert rows(lake_dir, "SELECT role, name, country_code FROM parties ORDER BY role") == [
        ("applicant", "EXAMPLE NEURAL GMBH", "DE"), ("inventor", "MUSTER, Erika", "AT")]
    assert rows(lake_dir, "SELECT cited_publication_number, category, origin FROM citations ORDER BY 1") == [
        ("US-8926509-B2", "X", "opposition"), ("WO-2015123456", "Y", "examiner")]


@pytest.mark.parametrize("case", ["empty", "binary", "truncated", "json", "not_ops"])
def test_unreadable_files_exit_3_and_leave_the_lake_unchanged(cli, lake_dir, tmp_path, case):
    cli("ingest", "epo-ops", FIXTURES / "epo_ops" / "malformed_records.xml", "--lake", lake_dir)
    before = snapshot(lake_dir)
    bad = tmp_path / f"{case}.xml"
    if case == "empty":
        bad.write_text("  \n")
    elif case == "binary":
        bad.write_bytes(b"PK\x03\x04\x00\x00" + bytes(range(256)))
    elif case == "truncated":
        data = shared_file(OPS + "full_cycle_example.xml").read_bytes()
        bad.write_bytes(data[: len(data) // 2])
    elif case == "json":
        bad = shared_file(OPS + "search_result.xml")  # a JSON conversion saved with an .xml name
    else:
        bad = FIXTURES / "epo_ops" / "not_ops.xml"
    # a bad file among good ones aborts the whole call: nothing of it is committed
    result = cli("ingest", "epo-ops", shared_file(OPS + "biblio_example_3.xml"), bad, "--lake", lake_dir, expect=3)
    assert str(bad) in result.output
    assert snapshot(lake_dir) == before


def test_search_results_with_biblio(cli, lake_dir):
    cli("ingest", "epo-ops", FIXTURES / "epo_ops" / "search_with_biblio.xml", "--lake", lake_dir)
    assert rows(lake_dir, "SELECT publication_number, family_id, publication_date, is_grant, title "
                          "FROM publications ORDER BY 1") == [
        ("CN-116000001-A", "80000001", dt.date(2023, 4, 4), False, "示例"),
        ("KR-102500001-B1", "80000002", dt.date(2023, 2, 20), True, "Example")]
    assert rows(lake_dir, "SELECT scheme, code, is_first, is_inventive FROM classifications") == [
        ("cpc", "G06N3/045", True, True)]
    assert rows(lake_dir, "SELECT name, country_code FROM parties") == [("EXAMPLE TECH CO LTD", "CN")]


def test_every_title_and_abstract_language_in_texts(cli, lake_dir):
    """OPS gives the title in German, French and English: each is a texts row with its language."""
    ingest(cli, lake_dir, "ep1000000_full_cycle_result.xml")
    got = rows(lake_dir, "SELECT publication_number, field, language, left(text, 30), source FROM texts "
                         "WHERE publication_number = 'EP-1000000-A1' ORDER BY field, language")
    assert got == [
        ("EP-1000000-A1", "abstract", "en", rows(lake_dir, "SELECT left(abstract, 30) FROM publications "
                                                          "WHERE publication_number = 'EP-1000000-A1'")[0][0], "epo-ops"),
        ("EP-1000000-A1", "title", "de", "Vorrichtung zur Herstellung vo", "epo-ops"),
        ("EP-1000000-A1", "title", "en", "Apparatus for manufacturing gr", "epo-ops"),
        ("EP-1000000-A1", "title", "fr", "Dispositif pour la fabrication", "epo-ops"),
    ]
