"""The same US grant from USPTO XML and from a Google Patents export merges into one invention.

The Google fixture records (tests/fixtures/google/publications.jsonl, lines 1 and 2) were written
from the XML: US-8421615-B2 from the weekly slice ipg130416 (number, IPC, ten citations; that
slice predates CPC in grant XML) and US-8926509-B2 from formats/xml2014 (its main and further CPC codes). The
family ids in the Google records are fixture values.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from conftest import shared_file
from patentq import open_lake

GOOGLE = Path(__file__).parent / "fixtures" / "google" / "publications.jsonl"

pytestmark = pytest.mark.skipif(importlib.util.find_spec("patentq.sources.uspto_xml") is None,
                                reason="patentq.sources.uspto_xml (USPTO XML adapter) not available")


def _lake(cli, path, fmt, *files):
    cli("ingest", fmt, *files, "--lake", path, "--workers", "1")
    return open_lake(path).connect()


def _sets(con, pn):
    classes = con.execute("SELECT scheme, list(DISTINCT code ORDER BY code) FROM classifications "
                          f"WHERE publication_number = '{pn}' GROUP BY 1 ORDER BY 1").fetchall()
    cited = con.execute("SELECT list(DISTINCT cited_publication_number ORDER BY cited_publication_number) "
                        f"FROM citations WHERE citing_publication_number = '{pn}' "
                        "AND cited_publication_number IS NOT NULL").fetchone()[0]
    return dict(classes), cited


@pytest.fixture
def xml_files():
    return (shared_file("uspto-xml/weekly-slices/ipg130416.small.xml"),
            shared_file("uspto-xml/formats/xml2014/US08926509.xml"))


def test_same_number_classifications_and_citations(cli, tmp_path, xml_files):
    xml = _lake(cli, tmp_path / "xml", "uspto-xml", *xml_files)
    google = _lake(cli, tmp_path / "google", "google", GOOGLE)
    for pn in ("US-8421615-B2", "US-8926509-B2"):
        assert xml.execute(f"SELECT count(*) FROM publications WHERE publication_number = '{pn}'").fetchone()[0] == 1
        assert google.execute(f"SELECT count(*) FROM publications WHERE publication_number = '{pn}'").fetchone()[0] == 1
    xml_classes, xml_cited = _sets(xml, "US-8421615-B2")
    google_classes, google_cited = _sets(google, "US-8421615-B2")
    assert xml_classes == google_classes == {"ipc": ["G08B1/08"]}
    assert xml_cited == google_cited
    assert len(google_cited) == 10 and "US-2003050077-A1" in google_cited  # US 2003/0050077 A1 in the XML
    xml_classes, _ = _sets(xml, "US-8926509-B2")
    google_classes, _ = _sets(google, "US-8926509-B2")
    assert xml_classes["cpc"] == google_classes["cpc"]
    assert len(google_classes["cpc"]) == 15  # main-cpc and further-cpc of the grant


def test_families_resolve_the_xml_surrogate_to_the_docdb_id(cli, tmp_path, xml_files):
    if importlib.util.find_spec("patentq.families") is None:
        pytest.skip("patentq.families (the families stage) not available: surrogate resolution cannot be checked")

    lake_dir = tmp_path / "both"
    con = _lake(cli, lake_dir, "uspto-xml", *xml_files)
    assert con.execute("SELECT family_id FROM publications WHERE publication_number = 'US-8421615-B2'").fetchone() == (
        "~us-app:US-12270898",)
    _lake(cli, lake_dir, "google", GOOGLE)
    with open_lake(lake_dir) as session:
        session.require("families")
    con = open_lake(lake_dir).connect()
    assert con.execute("SELECT publication_number, family_id FROM family_members "
                       "WHERE publication_number IN ('US-8421615-B2', 'US-8926509-B2') ORDER BY 1").fetchall() == [
        ("US-8421615-B2", "40642143"), ("US-8926509-B2", "40378676")]
    assert con.execute("SELECT count(*) FROM family_members WHERE family_id IN "
                       "('~us-app:US-12270898', '~us-app:US-12134151')").fetchone()[0] == 0
    assert con.execute("SELECT members FROM families WHERE family_id = '40642143'").fetchone() == (1,)


def test_patentsview_and_uspto_xml_share_number_and_surrogate_family(cli, tmp_path, xml_files):
    """PatentsView has no DOCDB family either: both sources key the grant on its application."""
    pv = Path(__file__).parent / "fixtures" / "patentsview"
    xml = _lake(cli, tmp_path / "xml", "uspto-xml", xml_files[0])
    view = _lake(cli, tmp_path / "pv", "patentsview", pv)
    query = "SELECT publication_number, family_id, application_number FROM publications WHERE publication_number = 'US-8421615-B2'"
    assert xml.execute(query).fetchall() == view.execute(query).fetchall() == [
        ("US-8421615-B2", "~us-app:US-12270898", "US-12270898")]
    assert _sets(xml, "US-8421615-B2")[0]["ipc"] == _sets(view, "US-8421615-B2")[0]["ipc"] == ["G08B1/08"]
