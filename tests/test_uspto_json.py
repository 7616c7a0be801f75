"""USPTO JSON adapter on the real PPUBS and Open Data Portal responses in ../shared/data/uspto-json."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from conftest import FIXTURES, shared_file

from patentq.lake import Lake
from patentq import open_lake

DIR = "uspto-json/"
BIBLIO = DIR + "ppubs_biblio_2023-10-31.json"


def snapshot(lake: Path) -> dict:
    return {p.relative_to(lake).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(lake.rglob("*")) if p.is_file()}


def ingest(cli, lake_dir, *names) -> dict:
    paths = [shared_file(DIR + n) for n in names]
    return json.loads(cli("ingest", "uspto-json", *paths, "--lake", lake_dir, "--json").output)


def rows(lake_dir, sql: str) -> list[tuple]:
    return open_lake(lake_dir).connect().execute(sql).fetchall()


def test_biblio_file_has_129_grants_18_in_g06n(cli, lake_dir):
    raw = json.loads(shared_file(BIBLIO).read_text())["patents"]
    summary = ingest(cli, lake_dir, "ppubs_biblio_2023-10-31.json")
    assert summary["rows_written"]["publications"] == 129 == len(raw)
    assert rows(lake_dir, "SELECT count(DISTINCT publication_number), min(publication_date), max(publication_date), "
                          "count(*) FILTER (is_grant AND kind_code = 'B1'), min(publication_number), "
                          "max(publication_number) FROM publications") == [
        (129, dt.date(2023, 10, 31), dt.date(2023, 10, 31), 129, "US-11800845-B1", "US-11805386-B1")]
    g06n = rows(lake_dir, "SELECT count(DISTINCT publication_number) FROM classifications "
                          "WHERE scheme = 'cpc' AND code LIKE 'G06N%'")[0][0]
    flattened = [f"{p.get('cpcInventiveFlattened') or ''};{p.get('cpcAdditionalFlattened') or ''}" for p in raw]
    assert g06n == 18 == sum(any(c.startswith("G06N") for c in f.split(";")) for f in flattened)
    # cited US documents: the distinct urpn entries of each record
    assert summary["rows_written"]["citations"] == sum(len(set(p["urpn"])) for p in raw) == 7206


def test_biblio_titles_applicants_and_surrogate_families(cli, lake_dir):
    ingest(cli, lake_dir, "ppubs_biblio_2023-10-31.json")
    assert rows(lake_dir, "SELECT title, application_number, family_id, filing_date FROM publications "
                          "WHERE publication_number = 'US-11803561-B1'") == [
        ("Approximation query", "US-14231597", "~us-app:US-14231597", dt.date(2014, 3, 31))]
    assert rows(lake_dir, "SELECT title FROM publications WHERE publication_number = 'US-11805139-B1'") == [
        ("Multiclass classification system with accumulator-based arbitration",)]
    # PPUBS gives these grants 13-digit placeholder family ids, not DOCDB ones: every family is a surrogate
    assert rows(lake_dir, "SELECT count(DISTINCT family_id), count(*) FILTER (family_id LIKE '~us-app:%') "
                          "FROM publications") == [(129, 129)]
    assert rows(lake_dir, "SELECT name, count(*) FROM parties WHERE role = 'applicant' GROUP BY 1 "
                          "ORDER BY 2 DESC, 1 LIMIT 3") == [
        ("Amazon Technologies, Inc.", 19), ("Apple Inc.", 7), ("Wells Fargo Bank, N.A.", 5)]
    # search results carry no addresses and only the first inventor: applicants without countries
    assert rows(lake_dir, "SELECT count(*), count(country_code), count(*) FILTER (role = 'inventor') FROM parties") \
        == [(132, 0, 0)]
    assert rows(lake_dir, "SELECT scheme, code, is_first, is_inventive FROM classifications "
                          "WHERE publication_number = 'US-11803561-B1' ORDER BY scheme, NOT is_first") == [
        ("cpc", "G06F16/313", True, True), ("cpc", "G06F16/2462", False, True),
        ("ipc", "G06F16/2458", True, None), ("ipc", "G06F16/31", False, None)]


def test_full_documents_inventor_countries_claims_and_references(cli, lake_dir):
    summary = ingest(cli, lake_dir, "ppubs_document.json")
    assert summary["rows_written"]["publications"] == 31
    assert rows(lake_dir, "SELECT family_id, application_number, claims_count, is_grant, grant_date "
                          "FROM publications WHERE publication_number = 'US-6103599-A'") == [
        ("26732223", "US-09089931", 28, True, dt.date(2000, 8, 15))]
    # US residents have country "N/A" and a state in PPUBS: they are US
    assert rows(lake_dir, "SELECT role, name, country_code FROM parties WHERE publication_number = 'US-6103599-A' "
                          "ORDER BY role DESC, seq") == [
        ("inventor", "Henley; Francois J.", "US"), ("inventor", "Cheung; Nathan", "US"),
        ("applicant", "Silicon Genesis Corporation", "US")]
    assert rows(lake_dir, "SELECT role, country_code, count(*) FROM parties "
                          "WHERE publication_number = 'US-2023007979-A1' GROUP BY ALL ORDER BY ALL") == [
        ("applicant", "CH", 1), ("inventor", "CH", 2), ("inventor", "GB", 1)]
    assert rows(lake_dir, "SELECT cited_publication_number FROM citations WHERE citing_publication_number = "
                          "'US-6103599-A' AND cited_publication_number NOT LIKE 'US-%' ORDER BY 1") == [
        ("EP-379828",), ("EP-459177",), ("GB-2231197",), ("JP-193904",)]
    assert rows(lake_dir, "SELECT count(*) FROM citations WHERE citing_publication_number = 'US-6103599-A' "
                          "AND npl_text IS NOT NULL") == [(4,)]
    assert rows(lake_dir, "SELECT priority_number, priority_country, priority_date FROM priorities "
                          "WHERE publication_number = 'US-11556547-B2'") == [
        ("JP2020-050222", "JP", dt.date(2020, 3, 19))]
    # pre-grant publications: DOCDB number form, DOCDB family ids, not grants
    assert rows(lake_dir, "SELECT family_id, is_grant, priority_date FROM publications "
                          "WHERE publication_number = 'US-2023009372-A1'") == [("54359196", False, dt.date(2014, 4, 29))]


def test_forward_citation_list_points_to_us6103599(cli, lake_dir):
    ingest(cli, lake_dir, "TestPatents.test_can_get_forward_references__08.json")
    assert rows(lake_dir, "SELECT count(*), count(DISTINCT citing_publication_number) FROM citations "
                          "WHERE cited_publication_number = 'US-6103599'") == [(138, 138)]
    assert rows(lake_dir, "SELECT count(*) FROM publications") == [(138,)]


def test_open_data_portal_application(cli, lake_dir):
    ingest(cli, lake_dir, "application.json")
    assert rows(lake_dir, "SELECT publication_number, application_number, family_id, publication_date, filing_date, "
                          "priority_date, is_grant, title FROM publications") == [
        ("US-2017071586-A1", "US-15123456", "~us-app:US-15123456", dt.date(2017, 3, 16), dt.date(2016, 9, 2),
         dt.date(2014, 4, 23), False, "TONGUE RETRACTORS FOR FRENOTOMIES")]
    assert rows(lake_dir, "SELECT role, name, country_code FROM parties ORDER BY role") == [
        ("applicant", "The General Hospital Corporation", "US"), ("inventor", "Marvin Wang", "US")]
    assert rows(lake_dir, "SELECT code FROM classifications ORDER BY code") == [
        ("A61B13/00",), ("A61B17/02",), ("A61B17/24",), ("A61B17/244",), ("A61B2017/00814",), ("A61B2017/320052",)]
    assert rows(lake_dir, "SELECT priority_number, priority_country FROM priorities ORDER BY 1") == [
        ("61983088", "US"), ("PCT/US15/27322", "WO")]


def test_responses_without_publications_are_noted(cli, lake_dir):
    names = ["TestPatents.test_can_get_forward_references__00.json", "search.json", "foreign_priority.json",
             "continuity.json"]
    ingest(cli, lake_dir, *names)
    notes = {Path(i["file"]).name: i["notes"] for i in Lake.open(lake_dir).manifest["inputs"]}
    assert notes["TestPatents.test_can_get_forward_references__00.json"] == [
        "PPUBS search request (query echo without documents): nothing ingested"]
    assert notes["search.json"][0].startswith("25 of 25 application records name no publication")
    assert notes["foreign_priority.json"][0].startswith("1 of 1 application records name no publication")
    assert Lake.open(lake_dir).counts()["publications"] == 0


def test_malformed_records_are_quarantined(cli, lake_dir):
    for name, written in (("malformed_results.json", 1), ("malformed_odp.json", 1)):
        result = cli("ingest", "uspto-json", FIXTURES / "uspto_json" / name, "--lake", lake_dir, "--json")
        summary = json.loads(result.output)
        assert (summary["rows_written"]["publications"], summary["rejected"]) == (written, 2)
    quarantine = [json.loads(line) for f in sorted((lake_dir / "quarantine").glob("*.jsonl")) for line in f.open()]
    assert sorted((q["where"], q["reason"]) for q in quarantine) == [
        ("$.patentBag[1]", "application record is not a JSON object"),
        ("$.patentBag[2]", "unreadable publication number 'publication pending'"),
        ("$.patents[1]", "record without a valid guid (publication number)"),
        ("$.patents[2]", "malformed PPUBS record: cpcInventiveFlattened should be a ';'-separated string, got list"),
    ]
    assert rows(lake_dir, "SELECT publication_number, family_id, title FROM publications ORDER BY 1") == [
        ("US-11900001-B2", "81234567", "Attention-based neural network"),
        ("US-2022012345-A1", "~us-app:US-17000002", "LANGUAGE MODEL COMPRESSION")]
    assert rows(lake_dir, "SELECT name, country_code FROM parties WHERE publication_number = 'US-2022012345-A1' "
                          "ORDER BY role") == [("Example Labs Lda", "PT"), ("Ana Example", "PT")]
    assert rows(lake_dir, "SELECT cited_publication_number FROM citations ORDER BY 1") == [
        ("US-10000001",), ("US-2020123456",)]


@pytest.mark.parametrize("case", ["empty", "binary", "truncated", "not_json", "unknown_layout"])
def test_unreadable_files_exit_3_and_leave_the_lake_unchanged(cli, lake_dir, tmp_path, case):
    cli("ingest", "uspto-json", FIXTURES / "uspto_json" / "malformed_odp.json", "--lake", lake_dir)
    before = snapshot(lake_dir)
    bad = tmp_path / f"{case}.json"
    if case == "empty":
        bad.write_text("")
    elif case == "binary":
        bad.write_bytes(b"\x1f\x8b\x08\x00" + bytes(range(256)))
    elif case == "truncated":
        data = shared_file(DIR + "ppubs_document.json").read_bytes()
        bad.write_bytes(data[: len(data) // 3])
    elif case == "not_json":
        bad.write_text("<html><body>Service Unavailable</body></html>")
    else:
        bad.write_text('{"results": [{"id": 1}]}')
    result = cli("ingest", "uspto-json", shared_file(DIR + "biblio.json"), bad, "--lake", lake_dir, expect=3)
    assert str(bad) in result.output
    assert snapshot(lake_dir) == before
