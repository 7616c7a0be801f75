"""USPTO full-text XML adapter: exact figures on the real weekly slices, every real single and
format file's outcome, spot checks against values read in the raw XML, and bad input."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES, shared_file

from patentq.lake import Lake
from patentq.sources.uspto_xml_map import old_ipc
from patentq.sources.uspto_xml_split import split_stream
from patentq import open_lake

FIX = FIXTURES / "uspto_xml"
WEEKLY = "uspto-xml/weekly-slices"
WEEKLY_FILES = ["ipg050104", "ipg060103", "ipg070102", "ipg080101", "ipg090106", "ipg100105", "ipg110104",
                "ipg120103", "ipg130416"]


def weekly_paths() -> list[Path]:
    return [shared_file(f"{WEEKLY}/{name}.small.xml") for name in WEEKLY_FILES]


def snapshot(lake: Path) -> dict:
    return {p.relative_to(lake).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(lake.rglob("*")) if p.is_file()}


def rows(lake_dir, sql: str) -> list[tuple]:
    return open_lake(lake_dir).connect().execute(sql).fetchall()


@pytest.fixture(scope="module")
def weekly_lake(tmp_path_factory):
    """The nine weekly slices ingested once (in parallel) for the read-only tests below."""
    from patentq.ingest import ingest

    lake = tmp_path_factory.mktemp("uspto") / "lake"
    ingest("uspto-xml", weekly_paths() + [shared_file("uspto-xml/formats/xml2014/US08930553.xml"),
                                          shared_file("uspto-xml/formats/xml2014/US08926509.xml"),
                                          shared_file("uspto-xml/single/pa040101.two.xml")], lake, workers=2)
    return lake


# --- exact figures --------------------------------------------------------------------------

def test_weekly_slices_225_grants_5122_patent_citations_3150_claims(cli, lake_dir):
    result = cli("ingest", "uspto-xml", *weekly_paths(), "--lake", lake_dir, "--json")
    summary = json.loads(result.output)
    assert summary["rows_written"]["publications"] == 225
    assert summary["rejected"] == 0
    assert rows(lake_dir, "SELECT count(*) FROM citations WHERE cited_publication_number IS NOT NULL") == [(5122,)]
    assert rows(lake_dir, "SELECT count(*) FROM citations WHERE npl_text IS NOT NULL") == [(970,)]
    assert rows(lake_dir, "SELECT sum(claims_count), count(DISTINCT publication_number), bool_and(is_grant), "
                          "count(*) FILTER (WHERE grant_date = publication_date) FROM publications") == [(3150, 225, True, 225)]
    assert rows(lake_dir, "SELECT origin, count(*) FROM citations WHERE cited_publication_number IS NOT NULL "
                          "GROUP BY 1 ORDER BY 1") == [("applicant", 798), ("examiner", 1522), ("other", 2802)]
    info = open_lake(lake_dir).info()
    assert info["families"] == 225
    notes = [n for e in Lake.open(lake_dir).manifest["inputs"] for n in e["notes"]]
    assert sorted(notes) == ["skipped 1 sequence listing document(s) <sequence-cwu>: no bibliographic data",
                             "skipped 2 sequence listing document(s) <sequence-cwu>: no bibliographic data",
                             "skipped 2 sequence listing document(s) <sequence-cwu>: no bibliographic data"]


def test_parallel_ingest_equals_one_worker(cli, tmp_path):
    tables = ["publications", "parties", "classifications", "citations", "priorities"]
    contents = []
    for workers in (1, 2):
        lake = tmp_path / f"lake{workers}"
        cli("ingest", "uspto-xml", *weekly_paths(), "--lake", lake, "--workers", workers)
        con = open_lake(lake).connect()
        contents.append({t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables})
    assert contents[0] == contents[1]
    assert len(contents[0]["citations"]) == 6092


# --- spot checks against the raw XML ----------------------------------------------------------

def test_v40_grant_without_assignee(weekly_lake):
    """ipg050104 byte 0: US06836899 B1, applicant-inventor layout, old fixed-width IPC."""
    assert rows(weekly_lake, "SELECT kind_code, application_number, family_id, publication_date, filing_date, "
                             "grant_date, title, claims_count, source_ref FROM publications "
                             "WHERE publication_number = 'US-6836899-B1'") == [
        ("B1", "US-10339710", "~us-app:US-10339710", dt.date(2005, 1, 4), dt.date(2003, 1, 9), dt.date(2005, 1, 4),
         "Device for detachably holding an absorbent napkin across the torso", 23, "ipg050104.small.xml:byte 0")]
    assert rows(weekly_lake, "SELECT role, name, country_code FROM parties WHERE publication_number = 'US-6836899-B1' "
                             "ORDER BY role") == [("applicant", "Samuel G. Glasmire", "US"),
                                                  ("inventor", "Samuel G. Glasmire", "US")]
    assert rows(weekly_lake, "SELECT scheme, code, is_first FROM classifications "
                             "WHERE publication_number = 'US-6836899-B1'") == [("ipc", "A45F5/04", True)]
    first = rows(weekly_lake, "SELECT cited_publication_number, origin FROM citations "
                              "WHERE citing_publication_number = 'US-6836899-B1' LIMIT 2")
    assert first == [("US-675108-A", "examiner"), ("US-1483338-A", "examiner")]


def test_foreign_priority_sets_priority_date(weekly_lake):
    """ipg050104: US06836979 'Shoe structure', Italian priority BG2002A000039 of 2002-11-27."""
    assert rows(weekly_lake, "SELECT filing_date, priority_date, priority_year FROM publications "
                             "WHERE publication_number = 'US-6836979-B2'") == [(dt.date(2003, 5, 10), dt.date(2002, 11, 27), 2002)]
    assert rows(weekly_lake, "SELECT priority_number, priority_country, priority_date FROM priorities "
                             "WHERE publication_number = 'US-6836979-B2'") == [("ITBG2002A000039", "IT", dt.date(2002, 11, 27))]
    assert rows(weekly_lake, "SELECT DISTINCT country_code FROM parties WHERE publication_number = 'US-6836979-B2'") == [("IT",)]


def test_v45_grant_assignee_inventor_countries_and_citation_origins(weekly_lake):
    """formats/xml2014/US08930553: IBM (Armonk, US), inventors in Rehovot IL and Lexington US."""
    assert rows(weekly_lake, "SELECT role, seq, name, country_code FROM parties "
                             "WHERE publication_number = 'US-8930553-B2' ORDER BY role, seq") == [
        ("applicant", 1, "International Business Machines Corporation", "US"),
        ("inventor", 1, "Nitzan Nissim", "IL"), ("inventor", 2, "Brian Pulito", "US"), ("inventor", 3, "Asaf Zinger", "IL")]
    assert rows(weekly_lake, "SELECT scheme, code, is_first, is_inventive FROM classifications "
                             "WHERE publication_number = 'US-8930553-B2'") == [("ipc", "G06F15/16", True, True)]
    cited = dict(rows(weekly_lake, "SELECT cited_publication_number, origin FROM citations "
                                   "WHERE citing_publication_number = 'US-8930553-B2' AND cited_publication_number IS NOT NULL"))
    assert len(cited) == 16
    assert cited["US-7844851-B2"] == "applicant"
    assert cited["US-2007140112-A1"] == "applicant"  # doc-number 2007/0140112
    assert cited["US-2007220302-A1"] == "examiner"
    npl = rows(weekly_lake, "SELECT npl_text FROM citations WHERE citing_publication_number = 'US-8930553-B2' "
                            "AND npl_text IS NOT NULL")
    assert len(npl) == 5
    assert npl[0][0].startswith("Rosenberg, J. \u201cReconsituting Call State in SIP User Agents\u201d")


def test_cpc_main_and_further_and_provisional_priority(weekly_lake):
    """formats/xml2014/US08926509: main CPC A61B 5/0205, provisional 60/968,023 of 2007-08-24."""
    cpc = rows(weekly_lake, "SELECT code, is_first FROM classifications WHERE publication_number = 'US-8926509-B2' "
                            "AND scheme = 'cpc' AND is_first")
    assert cpc == [("A61B5/0205", True)]
    assert ("A61B5/0024", False) in rows(weekly_lake, "SELECT code, is_first FROM classifications "
                                                      "WHERE publication_number = 'US-8926509-B2'")
    assert rows(weekly_lake, "SELECT priority_number, priority_date FROM priorities "
                             "WHERE publication_number = 'US-8926509-B2'") == [("US60968023", dt.date(2007, 8, 24))]
    assert rows(weekly_lake, "SELECT priority_date FROM publications WHERE publication_number = 'US-8926509-B2'") == [
        (dt.date(2007, 8, 24),)]


def test_foreign_cited_documents_keep_their_office(cli, lake_dir):
    """Cited-document offices in the weekly slices, counted with a regex on the raw XML:
    US 4,262, JP 343, WO 207, EP 163, DE 55, GB 29, KR 28, CN 16. Placeholder kinds (00) dropped."""
    cli("ingest", "uspto-xml", *weekly_paths(), "--lake", lake_dir)
    offices = rows(lake_dir, "SELECT split_part(cited_publication_number, '-', 1), count(*) FROM citations "
                             "WHERE cited_publication_number IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 8")
    assert offices == [("US", 4262), ("JP", 343), ("WO", 207), ("EP", 163), ("DE", 55), ("GB", 29), ("KR", 28),
                       ("CN", 16)]
    assert rows(lake_dir, "SELECT count(*) FROM citations WHERE cited_publication_number LIKE '%-00'") == [(0,)]


def test_design_grants_and_v43_applicant(weekly_lake):
    """ipg130416 byte 0 is design US D680087 'Television set' (kind S1 in the XML, S as cited)."""
    assert rows(weekly_lake, "SELECT publication_number, kind_code, title, claims_count FROM publications "
                             "WHERE source_ref = 'ipg130416.small.xml:byte 0'") == [("US-D680087-S", "S", "Television set", 1)]


def test_2004_pap_application(weekly_lake):
    """single/pa040101.two.xml: pap-v16 US 20040000002 A1."""
    assert rows(weekly_lake, "SELECT publication_number, is_grant, grant_date, application_number, filing_date, title "
                             "FROM publications WHERE publication_number LIKE 'US-2004%'") == [
        ("US-2004000002-A1", False, None, "US-10189364", dt.date(2002, 6, 27), "Garment for preventing muscle strain")]
    assert rows(weekly_lake, "SELECT role, name, country_code FROM parties WHERE publication_number = 'US-2004000002-A1' "
                             "ORDER BY role") == [("applicant", "Hill-Rom Services, Inc.", None),
                                                  ("inventor", "Scott Hollander", "US")]
    assert rows(weekly_lake, "SELECT code FROM classifications WHERE publication_number = 'US-2004000002-A1'") == [("A41B1/00",)]


# --- every real single and format file ------------------------------------------------------

# file → (publications, rejected, notes) or the start of the error message (exit 3).
SEQ_NOTE = ["skipped 1 sequence listing document(s) <sequence-cwu>: no bibliographic data"]
OUTCOMES = {
    **{f"single/{y}_{i}.xml": (1, 0, []) for y in (2009, 2010, 2011, 2012) for i in range(1, 11)},
    "single/basic.xml": "is not USPTO patent XML (its first element is <a>)",
    "single/ipa061228.one.xml": (1, 0, []),
    "single/ipa130117.one.xml": (2, 0, []),
    "single/ipg100824-hyphenated.xml": (1, 0, []),
    "single/ipg120327.18.xml": (18, 0, []),
    "single/ipg120327.one.xml": (1, 0, []),
    "single/ipg120327.two.xml": (2, 0, []),
    "single/pa040101.two.xml": (1, 0, []),
    **{f"single/patent_{n}_parsed_.xml": (1, 0, [])
       for n in ("one", "three", "four", "five", "six", "seven", "eight", "nine", "ten")},
    **{f"single/patent_{n}_unparsed_dna.xml": (0, 0, SEQ_NOTE) for n in ("one", "five", "seven", "eight", "nine", "ten")},
    "single/patent_six_unparsed_.xml": (0, 0, SEQ_NOTE),
    "single/patent_two_unparsed_.xml": (1, 0, []),
    "single/patent_three_unparsed_.xml": (1, 0, []),
    "single/patent_four_unparsed_.xml": (1, 0, []),
    "formats/xml2004/US06859910.xml": (1, 0, []),
    "formats/xml2004/US06970935.xml": (1, 0, []),
    "formats/xml2006/US07272630B2.xml": (1, 0, []),
    "formats/xml2014/US08926509.xml": (1, 0, []),
    "formats/xml2014/US08927118.xml": (1, 0, []),
    "formats/xml2014/US08930553.xml": (1, 0, []),
    "formats/xmlApp2004/US20050004437A1.xml": (1, 0, []),
    "formats/xmlApp2004/US20050004974A1.xml": (1, 0, []),
    "formats/xml4ip/sample_XML4IP.ZIP": "XML4IP file-wrapper document (not a publication)",
    "formats/pap/US20010000044A1.xml": (1, 0, []),
    "formats/pap/US20010000943A1.xml": (1, 0, []),
    "formats/pap/US20010009014A1.xml": (1, 0, []),
    "formats/sgml/US06336130.xml": "USPTO grant XML v2.4/v2.5 (ST.32, root PATDOC",
    "formats/sgml/US06337117.xml": "USPTO grant XML v2.4/v2.5 (ST.32, root PATDOC",
    "formats/sgml/USD435854S1.xml": "USPTO grant XML v2.4/v2.5 (ST.32, root PATDOC",
    "formats/greenbook/US03932709.greenbook": "USPTO APS 'Green Book' text",
    "formats/greenbook/US03937375.greenbook": "USPTO APS 'Green Book' text",
    "formats/greenbook/US04347903.greenbook": "USPTO APS 'Green Book' text",
    "formats/css_brs/css_brs_sample.txt": "a USPTO BRS text export",
}


def test_outcome_table_covers_every_file():
    root = shared_file("uspto-xml/single").parent
    present = {p.relative_to(root).as_posix() for p in root.glob("single/*")} | \
              {p.relative_to(root).as_posix() for p in root.glob("formats/*/*")}
    assert present == set(OUTCOMES)


@pytest.mark.parametrize("relative", sorted(OUTCOMES))
def test_each_single_and_format_file_parses_or_is_refused_with_a_reason(relative, cli, tmp_path):
    path = shared_file(f"uspto-xml/{relative}")
    expected = OUTCOMES[relative]
    lake = tmp_path / "lake"
    if isinstance(expected, str):
        result = cli("ingest", "uspto-xml", path, "--lake", lake, expect=3)
        assert expected in result.output
        assert not lake.exists()
        return
    cli("ingest", "uspto-xml", path, "--lake", lake, "--workers", 1)
    entry = Lake.open(lake).manifest["inputs"][0]
    assert (entry["rows_written"].get("publications", 0), entry["rejected"], entry["notes"]) == expected
    if expected[0]:
        assert rows(lake, "SELECT count(*) FROM publications WHERE title IS NULL OR publication_date IS NULL "
                          "OR application_number IS NULL") == [(0,)]


def test_eighteen_design_grants(cli, lake_dir):
    cli("ingest", "uspto-xml", shared_file("uspto-xml/single/ipg120327.18.xml"), "--lake", lake_dir)
    assert rows(lake_dir, "SELECT count(*), count(*) FILTER (WHERE publication_number LIKE 'US-D%-S' AND is_grant "
                          "AND claims_count = 1), min(publication_date), max(publication_date) FROM publications") == [
        (18, 18, dt.date(2012, 3, 27), dt.date(2012, 3, 27))]


# --- the hand-written fixtures: entities, layouts, streaming ------------------------------------

def test_fixture_v44_entities_and_every_table(cli, lake_dir):
    cli("ingest", "uspto-xml", FIX / "grant_v44.xml", "--lake", lake_dir)
    pub = open_lake(lake_dir).arrow("publications").to_pylist()[0]
    assert pub["publication_number"] == "US-9999001-B2"
    assert pub["title"] == "Training \u201cdeep\u201d networks & checking them"
    assert pub["abstract"] == "A network is trained [quickly] and then checked."
    assert pub["claims_count"] == 3
    assert pub["claims_text"].splitlines()[1] == "2. The method of claim 1, further comprising checking it."
    assert (pub["priority_date"], pub["filing_date"]) == (dt.date(2013, 2, 1), dt.date(2014, 2, 3))
    assert rows(lake_dir, "SELECT cited_publication_number, origin FROM citations ORDER BY 1 NULLS LAST") == [
        ("DE-4411223", "applicant"), ("JP-2005123456-A", "applicant"), ("US-8000000-B2", "examiner"),
        ("WO-2010012345-A1", "other"), (None, "examiner")]
    assert rows(lake_dir, "SELECT npl_text FROM citations WHERE npl_text IS NOT NULL") == [
        ("Smith, \u201cNeural networks & friends\u201d, J. Test. 2012.",)]
    assert rows(lake_dir, "SELECT scheme, code, is_first, is_inventive FROM classifications ORDER BY 1, 2") == [
        ("cpc", "G06N3/0454", False, False), ("cpc", "G06N3/08", True, True), ("ipc", "G06N3/08", True, True)]
    assert rows(lake_dir, "SELECT role, seq, name, country_code FROM parties ORDER BY role, seq") == [
        ("applicant", 1, "Acme Widgets & Co. GmbH", "DE"), ("inventor", 1, "Anna Schmidt", "DE"),
        ("inventor", 2, "Bo Li", "CN")]
    assert rows(lake_dir, "SELECT priority_number, priority_country FROM priorities") == [("DE102013201234.5", "DE")]


def weekly_fixture(tmp_path: Path, truncate_middle: bool = False) -> tuple[Path, list[int]]:
    """A weekly-style file: v4.4 grant, v4.0 grant (optionally cut short), sequence listing, v4.4 again
    renumbered. Returns the path and each document's byte offset."""
    a = (FIX / "grant_v44.xml").read_bytes()
    b = (FIX / "grant_v40.xml").read_bytes()
    c = (FIX / "sequence.xml").read_bytes()
    d = a.replace(b"09999001", b"09999003").replace(b"14123456", b"14123999")
    if truncate_middle:
        b = b[: len(b) // 2]
    parts = [a, b, c, d]
    offsets = [sum(len(p) for p in parts[:i]) for i in range(len(parts))]
    path = tmp_path / "ipg160301.xml"
    path.write_bytes(b"".join(parts))
    return path, offsets


def test_truncated_document_is_quarantined_with_its_offset(cli, tmp_path):
    path, offsets = weekly_fixture(tmp_path, truncate_middle=True)
    lake = tmp_path / "lake"
    result = cli("ingest", "uspto-xml", path, "--lake", lake, "--json")
    assert json.loads(result.output)["rejected"] == 1
    assert rows(lake, "SELECT publication_number, source_ref FROM publications ORDER BY 1") == [
        ("US-9999001-B2", f"ipg160301.xml:byte {offsets[0]}"), ("US-9999003-B2", f"ipg160301.xml:byte {offsets[3]}")]
    entry = Lake.open(lake).manifest["inputs"][0]
    quarantined = [json.loads(line) for line in (lake / entry["quarantine"]).read_text().splitlines()]
    assert len(quarantined) == 1
    assert quarantined[0]["where"] == f"byte {offsets[1]}"
    assert quarantined[0]["reason"].startswith("not well-formed XML")
    assert quarantined[0]["raw"].startswith("<?xml") and "US06999002" in quarantined[0]["raw"]


def test_weekly_fixture_whole_old_layout_and_small_blocks(cli, tmp_path):
    path, offsets = weekly_fixture(tmp_path)
    for block in (7, 64, 1 << 20):  # declarations split across read blocks must not matter
        docs = list(split_stream(io.BytesIO(path.read_bytes()), block=block))
        assert [o for o, _ in docs] == offsets
        assert b"".join(d for _, d in docs) == path.read_bytes()
    lake = tmp_path / "lake"
    cli("ingest", "uspto-xml", path, "--lake", lake)
    assert rows(lake, "SELECT role, name, country_code FROM parties WHERE publication_number = 'US-6999002-B1' "
                      "ORDER BY role") == [("applicant", "Maria Rossi", "IT"), ("inventor", "Maria Rossi", "IT")]
    assert rows(lake, "SELECT code, is_first FROM classifications WHERE publication_number = 'US-6999002-B1' "
                      "ORDER BY 1") == [("A45F5/04", True), ("H01L31/107", False)]
    assert Lake.open(lake).manifest["inputs"][0]["notes"] == [
        "skipped 1 sequence listing document(s) <sequence-cwu>: no bibliographic data"]


def test_zipped_weekly_file_reads_like_the_plain_one(cli, tmp_path):
    path, offsets = weekly_fixture(tmp_path)
    zipped = tmp_path / "ipg160301.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(path, "ipg160301.xml")
    lake = tmp_path / "lake"
    cli("ingest", "uspto-xml", zipped, "--lake", lake)
    assert rows(lake, "SELECT publication_number, source_ref FROM publications ORDER BY 1") == [
        ("US-6999002-B1", f"ipg160301.zip!ipg160301.xml:byte {offsets[1]}"),
        ("US-9999001-B2", "ipg160301.zip!ipg160301.xml:byte 0"),
        ("US-9999003-B2", f"ipg160301.zip!ipg160301.xml:byte {offsets[3]}")]


def test_duplicate_document_in_one_file_is_quarantined(cli, tmp_path):
    path = tmp_path / "dup.xml"
    path.write_bytes((FIX / "grant_v44.xml").read_bytes() * 2)
    lake = tmp_path / "lake"
    result = cli("ingest", "uspto-xml", path, "--lake", lake, "--json")
    assert json.loads(result.output)["rows_written"]["publications"] == 1
    assert Lake.open(lake).manifest["inputs"][0]["reject_reasons"] == {"duplicate document": 1}


@pytest.mark.parametrize("content, message", [
    (bytes(range(256)) * 40, "is a binary file"),
    (b"", "is empty"),
    (b"publication_number,title\nUS-1-B1,Widget\n", "is not XML"),
    (b"<!DOCTYPE html>\n<html><head><title>Not found</title></head><body>404</body></html>\n",
     "is not USPTO patent XML (its first element is <html>)"),
])
def test_unreadable_file_exits_3_and_leaves_the_lake_unchanged(content, message, cli, tmp_path):
    lake = tmp_path / "lake"
    cli("ingest", "uspto-xml", FIX / "grant_v40.xml", "--lake", lake)
    before = snapshot(lake)
    bad = tmp_path / "ipg-bad.xml"
    bad.write_bytes(content)
    result = cli("ingest", "uspto-xml", FIX / "grant_v44.xml", bad, "--lake", lake, expect=3)
    assert message in result.output and "ipg-bad.xml" in result.output
    assert snapshot(lake) == before
    assert Lake.open(lake).counts()["publications"] == 1


@pytest.mark.parametrize("raw, code", [
    ("A45F  504", "A45F5/04"), ("H01L 31107", "H01L31/107"), ("C07C24900", "C07C249/00"),
    ("G06F015/16", "G06F15/16"), ("A43B 1314", "A43B13/14"), ("G06N", "G06N"), ("", None), ("junk text", None),
])
def test_old_fixed_width_ipc(raw, code):
    assert old_ipc(raw) == code


def test_document_cut_inside_its_description_is_still_quarantined(cli, tmp_path):
    """The parser skips ``<description>`` for speed; a document cut short inside it must still fail."""
    good = (FIX / "grant_v40.xml").read_bytes()
    grant = (FIX / "grant_v44.xml").read_bytes()
    cut = grant[: grant.index(b"Long description")]
    path = tmp_path / "cut.xml"
    path.write_bytes(good + cut)
    lake = tmp_path / "lake"
    cli("ingest", "uspto-xml", path, "--lake", lake)
    entry = Lake.open(lake).manifest["inputs"][0]
    assert (entry["rows_written"]["publications"], entry["rejected"]) == (1, 1)
    quarantined = json.loads((lake / entry["quarantine"]).read_text())
    assert quarantined["where"] == f"byte {len(good)}"


def test_2001_pap_foreign_priority_and_inventor_applicants(cli, lake_dir):
    """formats/pap: US20010000943A1 (pap-v15, Idemitsu, JP priority 11-097727 of 1999-04-05) and
    US20010009014A1 (no assignee, so the inventors are the applicants)."""
    cli("ingest", "uspto-xml", shared_file("uspto-xml/formats/pap/US20010000943A1.xml"),
        shared_file("uspto-xml/formats/pap/US20010009014A1.xml"), "--lake", lake_dir)
    assert rows(lake_dir, "SELECT publication_date, filing_date, priority_date, claims_count FROM publications "
                          "WHERE publication_number = 'US-2001000943-A1'") == [
        (dt.date(2001, 5, 10), dt.date(2000, 12, 4), dt.date(1999, 4, 5), 13)]
    assert rows(lake_dir, "SELECT priority_number, priority_country FROM priorities") == [("JP11-097727", "JP")]
    assert rows(lake_dir, "SELECT role, name, country_code FROM parties WHERE publication_number = 'US-2001000943-A1' "
                          "ORDER BY role, seq") == [("applicant", "IDEMITSU KOSAN CO., LTD.", None),
                                                    ("inventor", "Kenichi Fukuoka", "JP"), ("inventor", "Mitsura Eida", "JP")]
    assert rows(lake_dir, "SELECT role, name, country_code FROM parties WHERE publication_number = 'US-2001009014-A1' "
                          "ORDER BY role, seq") == [("applicant", "James Savage", "US"), ("applicant", "Sophie Muller", "US"),
                                                    ("inventor", "James Savage", "US"), ("inventor", "Sophie Muller", "US")]


def test_unresolvable_external_entities_and_long_doctype_do_not_crash(cli, tmp_path):
    """DTDs and external entities named by a document are never fetched or resolved."""
    grant = (FIX / "grant_v44.xml").read_bytes()
    entities = b"".join(b'<!ENTITY img%05d.TIF SYSTEM "img%05d.TIF" NDATA TIF>\n' % (i, i) for i in range(2000))
    grant = grant.replace(b"<!ENTITY US09999001", b'<!ENTITY chem SYSTEM "/nonexistent/chem.ent">\n' + entities
                          + b"<!ENTITY US09999001")
    grant = grant.replace(b"checking them</invention-title>", b"checking &chem; them</invention-title>")
    assert grant.index(b"<us-patent-grant ") > 65536  # the root is beyond the sniffed sample
    path = tmp_path / "entities.xml"
    path.write_bytes(grant)
    lake = tmp_path / "lake"
    cli("ingest", "uspto-xml", path, "--lake", lake)
    assert rows(lake, "SELECT title FROM publications") == [("Training \u201cdeep\u201d networks & checking &chem; them",)]
