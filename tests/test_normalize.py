"""Normalisers as data: each case runs through the Python function AND the DuckDB ``pq_*`` macro,
and both must give the expected value (so the two implementations cannot drift apart)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from patentq import normalize

D = dt.date

# (raw, expected canonical form)
PUBLICATION_NUMBERS = [
    ("US 2013/0101709 A1", "US-2013101709-A1"),  # Lens display form of a US pre-grant publication
    ("US20130101709A1", "US-2013101709-A1"),  # 11-digit pre-grant number → DOCDB year + 6 digits
    ("US8926509B2", "US-8926509-B2"),
    ("US-8926509-B2", "US-8926509-B2"),
    ("US 8926509 B2", "US-8926509-B2"),
    ("us 8,926,509 b2", "US-8926509-B2"),
    ("US 2011/0185700 A1", "US-2011185700-A1"),
    ("US 5480107 A", "US-5480107-A"),
    ("US D533981 S1", "US-D533981-S1"),  # design patent
    ("US RE45123 E", "US-RE45123-E"),  # reissue
    ("USRE45123E1", "US-RE45123-E1"),
    ("WO 2019/057956 A1", "WO-2019057956-A1"),
    ("WO2019057956A1", "WO-2019057956-A1"),
    ("EP0702642A4", "EP-702642-A4"),  # leading zeros dropped
    ("EP 0702642", "EP-702642"),  # no kind code
    ("EP 1357170 B9", "EP-1357170-B9"),
    ("GB 0409664 A", "GB-409664-A"),
    ("CN 110991709 B", "CN-110991709-B"),
    ("KR 20150110165 A", "KR-20150110165-A"),
    ("JP 2023000005 A", "JP-2023000005-A"),
    ("JP H07123456 A", "JP-H7123456-A"),
    ("DE 102008028708 A1", "DE-102008028708-A1"),
    ("AU 2009 351236 B9", "AU-2009351236-B9"),
    ("", None),
    ("garbage", None),
    (None, None),
]

CLASSIFICATIONS = [
    ("G06N 3/045", "G06N3/045"),
    ("G06N0003045000", "G06N3/045"),  # fixed-width form (PATSTAT, DOCDB)
    ("G06N3/045", "G06N3/045"),
    ("g06n3/045", "G06N3/045"),
    ("G06N   3/045", "G06N3/045"),
    ("G06N 3/04", "G06N3/04"),
    ("G06N0003000000", "G06N3/00"),  # main group keeps two subgroup digits
    ("G06N0003080000", "G06N3/08"),
    ("G06N3/0475", "G06N3/0475"),
    ("G06N 3/0455 I", "G06N3/0455"),  # CPC inventive/additional qualifier dropped
    ("G06F 17/30 A", "G06F17/30"),
    ("G06N3/08 (2006.01)", "G06N3/08"),  # IPC edition dropped
    ("A23L1/0067", "A23L1/0067"),
    ("B64D27/023", "B64D27/023"),
    ("F02K99/00", "F02K99/00"),
    ("Y02T50/60", "Y02T50/60"),  # CPC Y section
    ("G06N", "G06N"),  # subclass only
    ("G06N 3", "G06N3"),  # main group without subgroup
    ("123", None),
    ("", None),
    (None, None),
]

DATES = [
    ("2011-08-04", D(2011, 8, 4)),  # ISO (Lens 2021, Google, PatentsView)
    ("2011-08-04T00:00:00", D(2011, 8, 4)),
    ("2011-08-04 12:30:00", D(2011, 8, 4)),
    ("20110804", D(2011, 8, 4)),  # USPTO XML, DOCDB
    (20110804, D(2011, 8, 4)),  # Google BigQuery integer dates
    ("19010500", D(1901, 5, 1)),  # USPTO citation dates with day 00
    ("19010000", D(1901, 1, 1)),
    ("25/04/13", D(2013, 4, 25)),  # Lens 2015 dd/mm/yy
    ("30/12/87", D(1987, 12, 30)),  # two-digit year in the past century
    ("7/12/99", D(1999, 12, 7)),
    ("1/2/13", D(2013, 2, 1)),
    ("04/08/2011", D(2011, 8, 4)),
    ("04.08.2011", D(2011, 8, 4)),
    ("2011/08/04", D(2011, 8, 4)),
    ("04-08-2011", D(2011, 8, 4)),
    ("31/02/2011", None),  # no such day
    ("20110231", None),
    ("0", None),
    ("00000000", None),
    ("", None),
    ("garbage", None),
    (None, None),
]

COUNTRIES = [
    ("US", "US"), ("us", "US"), ("  de ", "DE"), ("UK", "GB"), ("gb", "GB"),
    ("United States", "US"), ("U.S.", "US"), ("Germany", "DE"), ("KOREA, REPUBLIC OF", "KR"),
    ("People's Republic of China", "CN"), ("Atlantis", None), ("", None), (None, None),
]


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    normalize.install_sql_macros(connection)
    yield connection
    connection.close()


def _sql(con, macro, raw):
    return con.execute(f"SELECT {macro}(?)", [raw]).fetchone()[0]


@pytest.mark.parametrize("raw, expected", PUBLICATION_NUMBERS)
def test_publication_number(con, raw, expected):
    assert normalize.publication_number(raw) == expected
    assert _sql(con, "pq_publication_number", raw) == expected


def test_three_forms_of_one_number_agree():
    forms = {normalize.publication_number(raw) for raw in ("US 8926509 B2", "US8926509B2", "US-8926509-B2")}
    assert forms == {"US-8926509-B2"}


@pytest.mark.parametrize("cc, number, kind, expected", [
    ("US", "8926509", "B2", "US-8926509-B2"),
    ("us", "US8926509", "B2", "US-8926509-B2"),
    ("EP", "0702642", "A4", "EP-702642-A4"),
    ("US", "20130101709", "A1", "US-2013101709-A1"),
    ("IN", "2851DE2013", "A", "IN-2851DE2013-A"),  # not [prefix]digits: kept compacted
    ("US", "8926509", None, "US-8926509"),
    ("US", "", "B2", None),
    (None, "8926509", "B2", None),
])
def test_publication_number_from_parts(con, cc, number, kind, expected):
    assert normalize.publication_number_from_parts(cc, number, kind) == expected
    got = con.execute("SELECT pq_publication_number3(?, ?, ?)", [cc, number, kind]).fetchone()[0]
    assert got == expected


@pytest.mark.parametrize("pn, base", [("US-8926509-B2", "US-8926509"), ("EP-702642", "EP-702642"), (None, None)])
def test_publication_base(con, pn, base):
    assert normalize.publication_base(pn) == base
    assert _sql(con, "pq_publication_base", pn) == base


@pytest.mark.parametrize("raw, expected", CLASSIFICATIONS)
def test_classification(con, raw, expected):
    assert normalize.classification(raw) == expected
    assert _sql(con, "pq_classification", raw) == expected


@pytest.mark.parametrize("raw, expected", DATES)
def test_date(con, raw, expected):
    assert normalize.date(raw) == expected
    assert _sql(con, "pq_date", raw) == expected


@pytest.mark.parametrize("raw, expected", COUNTRIES)
def test_country(con, raw, expected):
    assert normalize.country(raw) == expected
    assert _sql(con, "pq_country", raw) == expected


def test_every_country_name_is_known_to_sql(con):
    """The SQL macro is generated from ``COUNTRY_NAMES``; check it covers every entry."""
    names = list(normalize.COUNTRY_NAMES.items())
    got = con.execute("SELECT pq_country(n) FROM unnest(?) AS t(n)", [[n for n, _ in names]]).fetchall()
    assert [g[0] for g in got] == [code for _, code in names]


def test_surrogate_family_id():
    assert normalize.surrogate_family_id("lens", "US22552194A|US22558594A") == "~lens:US22552194A|US22558594A"
    assert normalize.surrogate_family_id("lens", "") is None
