"""PATSTAT and PatentsView context (issue 13): whole citation tables in ``context/`` streamed for
who cites the extract, on fixtures written in the published schemas.

PATSTAT (tests/fixtures/patstat_context): the extract holds families 500 (EP 11, US 12; ALPHA
GMBH, inventor DE) and 600 (CN 13; BETA CO, CN), and 13 cites 11. The whole tables add:
201 (JP, family 700) citing 11 and 202 (US, family 700) citing application 2 (so 12): one
family citing two publications of 500; 301 (DE, family 800, ALPHA GMBH) citing 11; 401 and
402 (family 900, GAMMA, CN) citing 13; 4 (KR, a member of 500 outside the extract) citing 13;
401 also cites 601, outside the extract (left out); and ``tls228`` pairs, of which only
(1000, 500) has no ``tls212`` row: it becomes one citation from 1000's earliest publication 501
to 500's earliest extract publication 11.

PatentsView (tests/fixtures/patentsview_context): the extract holds US 10000001 (ACME, US) and
10000002 (BETA KK, JP), 10000002 citing 10000001. The whole ``g_us_patent_citation`` adds
10500000 (ACME) citing both, 10600000 (GAMMA, DE) citing 10000001 and 9999999 (left out), and
10700000 (DELTA, US) citing 10000001 in 2024.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from patentq import open_lake
from patentq.ingest import ingest

FIX = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def patstat(tmp_path_factory, engine_name):
    path = tmp_path_factory.mktemp(f"psctx-{engine_name}") / "lake"
    ingest("patstat", [FIX / "patstat_context"], path)
    return path


@pytest.fixture(scope="module")
def patentsview(tmp_path_factory, engine_name):
    path = tmp_path_factory.mktemp(f"pvctx-{engine_name}") / "lake"
    ingest("patentsview", [FIX / "patentsview_context"], path)
    return path


def _context(lake):
    con = open_lake(lake).connect()
    docs = con.execute("SELECT publication_number, family_id, country_code, publication_date::VARCHAR, applicant_names, "
                       "applicant_countries, inventor_countries FROM context_documents ORDER BY 1").fetchall()
    cites = con.execute("SELECT citing_publication_number, cited_publication_number, category, origin FROM citations "
                        "WHERE citing_publication_number IN (SELECT publication_number FROM context_documents) "
                        "ORDER BY 1, 2").fetchall()
    return docs, cites


def test_patstat_context_documents_from_tls212_and_tls228(patstat):
    docs, cites = _context(patstat)
    assert docs == [
        ("CN-107000401-A", "900", "CN", "2017-03-01", ["GAMMA LTD"], ["CN"], ["CN"]),
        ("DE-102018000301-A1", "800", "DE", "2018-07-01", ["ALPHA GMBH"], ["DE"], ["DE"]),
        ("JP-2017000201-A", "700", "JP", "2017-07-01", ["SONY CORP"], ["JP"], ["JP"]),
        ("KR-1020170000004-A", "500", "KR", "2017-02-01", ["ALPHA GMBH"], ["DE"], ["DE"]),  # a member of 500
        ("US-2017000402-A1", "900", "US", "2017-09-01", ["GAMMA LTD"], ["CN"], ["CN"]),
        ("US-2018000202-A1", "700", "US", "2018-01-15", ["SONY CORP"], ["JP"], ["JP"]),
        ("US-2019000501-A1", "1000", "US", "2019-05-01", ["DELTA INC"], ["US"], ["US"]),  # tls228 only
    ]
    assert cites == [
        ("CN-107000401-A", "CN-100000013-A", "A", "examiner"),
        ("DE-102018000301-A1", "EP-3000011-A1", "Y", "search report"),
        ("JP-2017000201-A", "EP-3000011-A1", "X", "search report"),
        ("KR-1020170000004-A", "CN-100000013-A", None, "search report"),
        ("US-2017000402-A1", "CN-100000013-A", None, "applicant"),
        ("US-2018000202-A1", "US-2015000012-A1", None, "applicant"),  # cited application 2: its publication
        ("US-2019000501-A1", "EP-3000011-A1", None, None),  # tls228 pair: earliest to earliest
    ]
    con = open_lake(patstat).connect()
    # the extract's own citation stays as it was, and no context document enters the subject tables
    assert con.execute("SELECT count(*) FROM citations WHERE citing_publication_number = 'CN-100000013-A'").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM publications").fetchone()[0] == 3


def test_patentsview_context_from_the_whole_citation_table(patentsview):
    docs, cites = _context(patentsview)
    assert docs == [
        ("US-10500000-B2", "~us-app:US-17000005", "US", "2019-12-03", ["ACME INC"], ["US"], ["US"]),
        ("US-10600000-B1", "~us-app:US-17000006", "US", "2020-03-10", ["GAMMA GMBH"], ["DE"], ["DE"]),
        ("US-10700000-B2", "~us-app:US-18000007", "US", "2024-01-02", ["DELTA LLC"], ["US"], ["US"]),
    ]
    assert cites == [
        ("US-10500000-B2", "US-10000001-B2", None, "applicant"),
        ("US-10500000-B2", "US-10000002-B2", None, "examiner"),
        ("US-10600000-B1", "US-10000001-B2", None, "examiner"),
        ("US-10700000-B2", "US-10000001-B2", None, "examiner"),
    ]


def test_extract_without_context_folder_is_unchanged(tmp_path):
    ingest("patstat", [FIX / "patstat"], tmp_path / "lake")
    assert not open_lake(tmp_path / "lake").lake.has("context_documents")


COLUMNS = ("fwd_cits_total", "fwd_cits_3", "fwd_cits_5", "fwd_cits_7", "fwd_cits_5_xapp", "fwd_cits_5_foreign",
           "fwd_cits_5_xy", "fwd_cits_5_examiner", "fwd_cits_5_applicant", "fwd_cits_5_context")


def _counts(lake, engine, **params) -> dict:
    session = open_lake(lake, engine=engine)
    session.require("family_indicators", **params)
    rows = session.engine.rows(f"SELECT family_id, {', '.join(COLUMNS)} FROM family_indicators")
    return {r["family_id"]: tuple(r[c] for c in COLUMNS) for r in rows}


def test_patstat_counts_hand_computed(patstat, engine_name):
    # 500 (first published 2015-07-01): 600 in the extract (CN, EXA), 700 (JP, X by search report,
    # also applicant-cited), 800 (ALPHA GMBH, DE: self and domestic, Y), 1000 (tls228 only, US):
    # all within 5 years, 800 on the third anniversary. 600 (2016-09-01): 900 (GAMMA, CN: domestic)
    # and 500 itself through its KR member outside the extract (DE: foreign).
    #                total 3y 5y 7y non-self foreign X/Y examiner applicant context
    assert _counts(patstat, engine_name) == {"500": (4, 3, 4, 4, 3, 3, 2, 3, 1, 3), "600": (2, 2, 2, 2, 2, 1, 0, 2, 1, 2)}
    assert _counts(patstat, engine_name, context=False) == {"500": (1, 1, 1, 1, 1, 1, 0, 1, 0, 0),
                                               "600": (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)}


def test_patentsview_counts_hand_computed(patentsview, engine_name):
    # 10000001 (2018-06-19): 10000002 (BETA KK, JP), 10500000 (ACME, US: self, domestic, applicant-
    # cited), 10600000 (GAMMA, DE), 10700000 (2024-01-02: only within 7 years). No categories: X/Y NULL.
    got = _counts(patentsview, engine_name)
    assert sorted(got.values()) == [(1, 1, 1, 1, 1, 1, None, 1, 0, 1), (4, 3, 3, 4, 2, 2, None, 2, 1, 2)]


@pytest.mark.parametrize("bits", [0, 1])
def test_rare_countries_listed_count_as_those_with_bits(tmp_path, engine_name, monkeypatch, bits):
    # family_origin_bits gives the ORIGIN_BITS most named countries a bit and lists the rest per
    # family (*_rare); with no bit (0) or one (1) for the five countries of the fixture, the foreign
    # test runs on the lists and must give the hand-computed counts above
    import patentq.indicators as indicators

    monkeypatch.setattr(indicators, "ORIGIN_BITS", bits)
    ingest("patstat", [FIX / "patstat_context"], tmp_path / "lake")
    assert _counts(tmp_path / "lake", engine_name) == {"500": (4, 3, 4, 4, 3, 3, 2, 3, 1, 3),
                                                       "600": (2, 2, 2, 2, 2, 1, 0, 2, 1, 2)}
    rare = open_lake(tmp_path / "lake").connect().execute(
        "SELECT count(*) FROM family_origin_bits WHERE inv_rare IS NOT NULL").fetchone()[0]
    assert rare > 0
