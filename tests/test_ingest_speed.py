"""The fast paths added for ingest speed give exactly what the general rules give.

Lens and CSET ingest skip the general normalisers (``pq_*`` macros, ``trim``, ``unnest`` beside
``generate_subscripts``) for the common spellings. Each fast path is compared here with the
general rule it stands in for, on generated values that mix the common spellings with the
awkward ones (leading zeros, US pre-grant numbers, Unicode spaces, empty list items). No timing
is asserted: ``bench/ingest.py`` measures the speed.
"""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patentq.normalize import install_sql_macros
from patentq.sources.lens import (GRANT_TYPES, _is_grant, _prio_number, _split, _trimmed, general_number_sql,
                                  publication_number_sql)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    install_sql_macros(con)
    yield con
    con.close()


def _one(con, sql, *params):
    return con.execute(sql, list(params)).fetchone()


offices = st.sampled_from(["US", "EP", "WO", "CN", "JP", "KR", "DE", "RU", "IN", "us", " US", "U", ""])
digits = st.text("0123456789", min_size=1, max_size=13)
prefixes = st.sampled_from(["", "", "", "H", "S", "RE", "PI", "US", "JP", "CN", "I", "M"])
kinds = st.sampled_from(["A", "A1", "B2", "C9", "U", "Y1", "", "a1", " B2", "AB", "12"])
us_pregrant = st.builds(lambda y, n: y + "0" + n, st.sampled_from(["1999", "2001", "2011", "2020", "3011"]),
                        st.text("0123456789", min_size=6, max_size=6))


@SETTINGS
@given(cc=offices, prefix=prefixes, number=st.one_of(digits, us_pregrant, st.sampled_from(["1.02E+11", "359CH2013"])),
       kind=st.one_of(st.none(), kinds))
def test_fq_pn3_agrees_with_the_general_macro(con, cc, prefix, number, kind):
    fast, general = _one(con, "SELECT fq_pn3($1, $2, $3), pq_publication_number3($1, $2, $3)", cc, prefix + number, kind)
    assert fast == general


def _lens_cells():
    """Number cells as Lens writes them, plus the spellings only the general rule reads."""
    plain = st.builds(lambda cc, p, n, k: f"{cc} {p}{n} {k}".rstrip(), offices, prefixes, digits, kinds)
    slashed = st.builds(lambda cc, y, n, k: f"{cc} {y}/{n} {k}", offices, st.sampled_from(["1995", "2011", "2020", "3011", "1895", "0123"]),
                        st.text("0123456789", min_size=5, max_size=8), kinds)
    dated = st.builds(lambda cell: cell + " 20061018", plain)
    underscored = st.builds(lambda cell: cell.replace(" ", "_").replace("/", "_"), slashed)
    odd = st.sampled_from(["IN 2851DE2013 A", "EP 1357170 B9 20061018", "AU 2009 351236 B9 20130627", "", " ",
                           "US 2011/0185700", "US 3011/0185700 A1", "US 2011/1185700 A1", "WO 1995/027654 A1 ", "JP H0494442 A", "EA 032399 B1", "XX 000 A"])
    return st.one_of(plain, slashed, dated, underscored, odd)


@SETTINGS
@given(cell=_lens_cells(), jurisdiction=st.sampled_from([None, "US", "IN"]), kind=st.sampled_from([None, "A", "B2"]))
def test_lens_number_fast_path_agrees_with_the_general_rule(con, cell, jurisdiction, kind):
    fast, general = _one(con, f"SELECT {publication_number_sql('$1', '$2', '$3')}, {general_number_sql('$1', '$2', '$3')}",
                         cell, jurisdiction, kind)
    assert fast == general


def test_lens_number_fast_path_on_the_usual_spellings(con):
    cells = ["US 8001762 B2", "US 2011/0185700 A1", "WO 1995/027654 A1", "JP H0494442 A", "EA 032399 B1", "RU 2527267 C2"]
    got = [_one(con, f"SELECT {publication_number_sql('$1')}", cell)[0] for cell in cells]
    assert got == ["US-8001762-B2", "US-2011185700-A1", "WO-1995027654-A1", "JP-H494442-A", "EA-32399-B1", "RU-2527267-C2"]


SPACES = ["", " ", "  ", "\u00a0", "\u3000", "\t"]
text_with_spaces = st.builds(lambda a, s, b: a + s + b, st.sampled_from(SPACES), st.text(min_size=0, max_size=12),
                             st.sampled_from(SPACES))


@SETTINGS
@given(value=st.one_of(st.none(), text_with_spaces))
def test_trim_is_skipped_only_when_it_would_change_nothing(con, value):
    fast, general = _one(con, f"SELECT {_trimmed('$1::VARCHAR')}, trim($1::VARCHAR)", value)
    assert fast == general


@SETTINGS
@given(items=st.lists(st.one_of(text_with_spaces, st.sampled_from(["", "A;B", "EFREMKIN ARTEM P"])), max_size=5))
def test_split_agrees_with_unnest_beside_generate_subscripts(con, items):
    cell = ";;".join(items)
    con.execute("CREATE OR REPLACE TEMP TABLE lens_rows AS SELECT 'XX-1' AS pn, ?::VARCHAR AS cell", [cell])
    fast = con.execute(f"SELECT value, seq FROM ({_split('cell')}) ORDER BY seq").fetchall()
    general = con.execute(
        "SELECT trim(unnest(parts)) AS value, generate_subscripts(parts, 1) AS seq "
        "FROM (SELECT string_split(cell, ';;') AS parts FROM lens_rows WHERE cell <> '') ORDER BY seq").fetchall()
    assert fast == general


@pytest.mark.parametrize("value", ["Granted Patent", "Ammended Patent", "Amended Patent", "Patent Application",
                                   "Limited Patent", " granted patent ", "GRANTED PATENT", "Design Right", "", None])
def test_grant_type_agrees_with_the_lower_trim_rule(con, value):
    fast, general = _one(con, f"SELECT {_is_grant('$1::VARCHAR')}, lower(trim($1::VARCHAR)) IN {GRANT_TYPES}", value)
    assert fast is general


@SETTINGS
@given(claim=st.one_of(st.builds(lambda cc, n, k, d: f"{cc} {n} {k} {d}", offices, digits, kinds,
                                 st.text("0123456789", min_size=0, max_size=9)), st.text(max_size=14)))
def test_priority_number_by_substr_agrees_with_slicing(con, claim):
    """``substr``/``left`` in ``_prio_number`` stand for the ``v[-9]``/``v[:-10]`` slices it used."""
    sliced = "replace(CASE WHEN $1[-9] = ' ' THEN $1[:-10] ELSE $1 END, ' ', '')"
    fast, general = _one(con, f"SELECT {_prio_number('$1')}, {sliced}", claim)
    assert fast == general
