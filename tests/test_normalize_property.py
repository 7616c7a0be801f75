"""One normaliser truth (issue 17 F13, docs/reliability.md): the Python rules (``rules.py``), the
DuckDB macros (``pq_*``), their fast paths (``fq_*``) and the Lens fast paths give the same
value for every generated input, Unicode spaces, other scripts' digits and odd letters included.

Before, 2,854 of 25,000 generated cases disagreed: DuckDB's ``\\s`` and ``trim`` miss the
no-break and other Unicode spaces that Python strips (a Lens number split by U+00A0 was
quarantined in SQL and parsed in Python), Python's ``\\d`` takes Arabic-Indic digits, ``str.upper``
turns ``ß`` into ``SS``, and the fast paths took subgroups of any length. Each property runs
inputs in batches (one query per list), derandomized so CI sees the same cases every run;
``PATENTQ_PROPERTY_EXAMPLES=2000`` runs fifty times more.
"""

from __future__ import annotations

import datetime as dt
import os

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patentq import normalize
from patentq.normalize import WHITESPACE, WS_CLASS, install_sql_macros
from patentq.normalize.rules import _upper
from patentq.sources.lens import _code, _date, general_number_sql, publication_number_sql

SETTINGS = settings(max_examples=int(os.environ.get("PATENTQ_PROPERTY_EXAMPLES", 40)), derandomize=True, database=None, deadline=None,
                    suppress_health_check=list(HealthCheck))
SPACES = [" ", "\u00a0", "\u2007", "\u202f", "\u3000", "\u2009", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x85",
          "\u2028", ""]
ODD = ["ß", "ﬁ", "ǰ", "ᾀ", "٣", "７", "é", "İ", "ı", "\u200b", "\ufeff"]  # special casing, other digits, zero width


@pytest.fixture(scope="module")
def con():
    with duckdb.connect() as connection:
        install_sql_macros(connection)
        yield connection


def batch(con, sql: str, *columns):
    """``sql`` (over ``a``, ``b``, ``c``) for each row of the columns, in one query, in order."""
    names = ["a", "b", "c"][:len(columns)]
    unnest = ", ".join(f"unnest(${i + 1}) AS {n}" for i, n in enumerate(names))
    return [r[0] for r in con.execute(f"SELECT {sql} FROM (SELECT {unnest})", list(map(list, columns))).fetchall()]


space = st.sampled_from(SPACES)
odd = st.sampled_from(ODD)
noise = st.one_of(space, odd, st.text(max_size=2))
office = st.sampled_from(["US", "EP", "WO", "CN", "JP", "KR", "DE", "us", "Gb", "XX"])
digits = st.text("0123456789", min_size=1, max_size=13)
kind = st.sampled_from(["", "A", "B1", "B2", "A1", "U", "a1", "S"])


@st.composite
def spelled_number(draw):
    parts = [draw(office), draw(space), draw(st.sampled_from(["", "H", "RE", "D"])), draw(digits),
             draw(st.sampled_from(["", "/", ",", ".", "-"])), draw(space), draw(kind)]
    if draw(st.booleans()):
        parts.insert(draw(st.integers(0, len(parts))), draw(noise))
    return "".join(parts)


@st.composite
def spelled_code(draw):
    parts = [draw(st.sampled_from(["G06N", "g06n", "H04L", "A23L", "Y02E", "B64D"])), draw(space),
             draw(st.text("0123456789", max_size=6)), draw(st.sampled_from(["/", " / ", "", "\u00a0/"])),
             draw(st.text("0123456789", max_size=8)),
             draw(st.sampled_from(["", " (2006.01)", " A", " I", "  20130101", "\u3000A"]))]
    if draw(st.booleans()):
        parts.insert(draw(st.integers(0, len(parts))), draw(noise))
    return "".join(parts)


@st.composite
def spelled_date(draw):
    day = draw(st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))
    text = day.strftime(draw(st.sampled_from(["%Y-%m-%d", "%Y%m%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%Y/%m/%d",
                                              "%d-%m-%Y", "%-d/%-m/%Y", "%Y-%m-%dT10:00:00", "%Y%m00"])))
    return draw(space) + text + draw(space)


def listed(strategy):
    return st.lists(st.one_of(strategy, st.text(max_size=16), st.none()), min_size=1, max_size=100)


def test_whitespace_is_one_set_in_python_and_in_sql(con):
    chars = [chr(c) for c in range(0x3100)]
    assert WHITESPACE == "".join(c for c in chars if c.isspace())
    in_sql = batch(con, f"regexp_matches(a, '[{WS_CLASS}]')", chars)
    assert [c for c, hit in zip(chars, in_sql) if hit] == list(WHITESPACE)
    assert batch(con, "pq_trim(a)", [f"{WHITESPACE}x{WHITESPACE}"]) == ["x"]


def test_upper_case_is_duckdbs_in_python():
    chars = [chr(c) for c in range(0x80, 0x30000) if not 0xD800 <= c < 0xE000]
    with duckdb.connect() as connection:
        expected = connection.execute("SELECT list_transform(?, lambda x: upper(x))", [chars]).fetchone()[0]
    assert [c for c, e in zip(chars, expected) if _upper(c) != e] == []


@SETTINGS
@given(listed(spelled_number()))
def test_publication_number(con, raws):
    python = [normalize.publication_number(r) for r in raws]
    assert batch(con, "pq_publication_number(a)", raws) == python
    fallback = [p or (_upper(r.strip()) if r is not None and r.strip() else None) for p, r in zip(python, raws)]
    assert batch(con, "fq_pn(a)", raws) == fallback  # the fast path keeps what it cannot parse, upper-cased


@SETTINGS
@given(st.lists(st.tuples(st.one_of(office, noise, st.none()),
                          st.one_of(st.builds(lambda s, d, t: s + d + t, space, digits, noise), st.text(max_size=14),
                                    st.none()),
                          st.one_of(kind, noise, st.none())), min_size=1, max_size=100))
def test_publication_number_from_parts(con, rows):
    cc, num, kinds = map(list, zip(*rows))
    python = [normalize.publication_number_from_parts(*row) for row in rows]
    assert batch(con, "pq_publication_number3(a, b, c)", cc, num, kinds) == python
    assert batch(con, "fq_pn3(a, b, c)", cc, num, kinds) == python


@SETTINGS
@given(listed(spelled_number()))
def test_lens_number_fast_path(con, raws):
    """Lens's general rule (``general_number_sql``) goes beyond ``pq_publication_number`` (Display
    Keys, dated corrections); its fast path must give what the general rule gives."""
    assert batch(con, publication_number_sql("a"), raws) == batch(con, general_number_sql("a"), raws)


@SETTINGS
@given(listed(spelled_code()))
def test_classification(con, raws):
    python = [normalize.classification(r) for r in raws]
    assert batch(con, "pq_classification(a)", raws) == python
    assert batch(con, "fq_code(a)", raws) == python
    assert batch(con, _code("a"), raws) == python


@SETTINGS
@given(listed(spelled_date()))
def test_date(con, raws):
    python = [normalize.date(r) for r in raws]
    assert batch(con, "pq_date(a)", raws) == python
    assert batch(con, _date("a"), raws) == python


@SETTINGS
@given(listed(st.builds(lambda a, name, b: a + name + b, space,
                        st.sampled_from(list(normalize.COUNTRY_NAMES) + ["us", "uk", "De", "Türkiye", "RUßIA"]),
                        space)))
def test_country(con, raws):
    assert batch(con, "pq_country(a)", raws) == [normalize.country(r) for r in raws]
