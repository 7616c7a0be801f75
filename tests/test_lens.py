"""Lens.org CSV adapter: the two real layouts (exact counts, spot-checked rows) and fixtures
for intermediate layouts, bare CR + cp1252 + dd/mm/yy, and a broken-quote row.

Expected values were read by eye from the raw files (``../shared/data/lens``).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from conftest import FIXTURES, shared_file
from patentq import open_lake
from patentq.ingest import ingest
from patentq.normalize import surrogate_family_id
from patentq.sources.lens import map_columns

D = dt.date


def _lake(tmp_path, *files):
    lake_path = tmp_path / "lake"
    ingest("lens", list(files), lake_path)
    return open_lake(lake_path)


def _pub(con, pn):
    cur = con.execute("SELECT * FROM publications WHERE publication_number = ?", [pn])
    names = [d[0] for d in cur.description]
    rows = cur.fetchall()
    assert len(rows) == 1, f"{pn}: {len(rows)} rows"
    return dict(zip(names, rows[0]))


def _values(con, sql, *params):
    return [r if len(r) > 1 else r[0] for r in con.execute(sql, list(params)).fetchall()]


@pytest.fixture(scope="module")
def jet(tmp_path_factory):
    return _lake(tmp_path_factory.mktemp("jet"), shared_file("lens/jet-engines-2021.csv")).connect()


@pytest.fixture(scope="module")
def pizza(tmp_path_factory):
    return _lake(tmp_path_factory.mktemp("pizza"), shared_file("lens/pizza-2015.csv"))


def test_jet_engines_2021_counts(jet):
    assert _values(jet, "SELECT count(*), count(DISTINCT publication_number) FROM publications") == [(3779, 3779)]
    offices = dict(_values(jet, "SELECT country_code, count(*) FROM publications GROUP BY 1"))
    assert (offices["CN"], offices["RU"], offices["JP"], offices["US"], offices["WO"]) == (1228, 890, 542, 447, 216)
    # 1,342 'Granted Patent' + 2 'Amended Patent' rows in the file
    assert _values(jet, "SELECT count(*) FROM publications WHERE is_grant") == [1344]
    assert _values(jet, "SELECT count(*) FROM publications WHERE is_grant AND grant_date = publication_date") == [1344]
    # column sums of 'Cited by Patent Count' and 'Cites Patent Count' over the raw file
    assert _values(jet, "SELECT sum(reported_cited_by_count), sum(reported_cites_count) FROM publications") == [
        (13518, 10365)]
    # one row (BE 537620 A, line 1952) has an empty 'Publication Date' in the file
    assert _values(jet, "SELECT source_ref FROM publications WHERE publication_date IS NULL") == [
        "jet-engines-2021.csv:1952"]


def test_jet_engines_granted_row(jet):
    row = _pub(jet, "US-8001762-B2")
    assert row["publication_number_raw"] == "US 8001762 B2"
    assert (row["publication_date"], row["filing_date"], row["priority_date"]) == (D(2011, 8, 23), D(2007, 8, 3), D(2006, 8, 4))
    assert row["is_grant"] is True and row["grant_date"] == D(2011, 8, 23)
    assert (row["reported_cites_count"], row["reported_cited_by_count"]) == (9, 2)
    assert (row["reported_simple_family_size"], row["reported_extended_family_size"]) == (4, 4)
    assert row["application_number"] == "US 89029007 A"
    assert row["family_id"] == surrogate_family_id("lens", "US83547206P")
    assert row["source"] == "lens" and row["source_ref"] == "jet-engines-2021.csv:3"
    assert _values(jet, "SELECT role, seq, name, country_code FROM parties WHERE publication_number = ? "
                        "ORDER BY role, seq", "US-8001762-B2") == [
        ("applicant", 1, "EFREMKIN ARTEM P", None), ("applicant", 2, "EFREMKIN PAVEL V", None),
        ("inventor", 1, "EFREMKIN ARTEM P", None), ("inventor", 2, "EFREMKIN PAVEL V", None)]
    # no CPC in the file for this row, one IPCR code
    assert _values(jet, "SELECT scheme, code, is_first FROM classifications WHERE publication_number = ?",
                   "US-8001762-B2") == [("ipc", "F02C7/08", True)]


def test_jet_engines_application_row(jet):
    row = _pub(jet, "US-2011185700-A1")
    assert row["is_grant"] is False and row["grant_date"] is None
    assert (row["reported_cites_count"], row["reported_cited_by_count"], row["reported_npl_count"]) == (7, 8, 0)
    assert row["title"] == "Jet Engine Bird Diverters"
    assert _values(jet, "SELECT scheme, code FROM classifications WHERE publication_number = ? ORDER BY scheme",
                   "US-2011185700-A1") == [("cpc", "F02C7/055"), ("ipc", "F02C7/055")]


def test_jet_engines_wo_row_priorities_family_and_npl(jet):
    row = _pub(jet, "WO-1995027654-A1")
    assert row["priority_date"] == D(1994, 4, 11) and row["priority_year"] == 1994
    assert row["family_id"] == surrogate_family_id("lens", "US22552194A|US22558594A")
    assert _values(jet, "SELECT priority_number, priority_country, priority_date FROM priorities "
                        "WHERE publication_number = ? ORDER BY 1", "WO-1995027654-A1") == [
        ("US22552194A", "US", D(1994, 4, 11)), ("US22558594A", "US", D(1994, 4, 11))]
    assert _values(jet, "SELECT cited_publication_number, npl_text FROM citations WHERE citing_publication_number = ?",
                   "WO-1995027654-A1") == [(None, "See also references of EP 0702642A4")]


def test_jet_engines_russian_grant_with_many_cpc(jet):
    row = _pub(jet, "RU-2527267-C2")
    assert (row["publication_date"], row["filing_date"], row["priority_date"]) == (D(2014, 8, 27), D(2010, 5, 19), D(2009, 5, 20))
    assert row["is_grant"] and row["reported_simple_family_size"] == 11
    assert _values(jet, "SELECT code FROM classifications WHERE publication_number = ? AND scheme = 'cpc' "
                        "ORDER BY is_first DESC, code", "RU-2527267-C2") == [
        "F03H1/0075", "F03H1/0062", "H01J27/143", "H05H1/54"]
    assert _values(jet, "SELECT count(*) FROM parties WHERE publication_number = ? AND role = 'applicant'",
                   "RU-2527267-C2") == [4]


def test_jet_engines_odd_publication_numbers_are_kept(jet):
    """Corrected documents carry their date; Indian numbers hold letters."""
    got = _values(jet, "SELECT publication_number_raw, publication_number FROM publications "
                       "WHERE publication_number_raw IN ('EP 1357170 B9 20061018', 'IN 2851DE2013 A') ORDER BY 1")
    assert got == [("EP 1357170 B9 20061018", "EP-1357170-B9"), ("IN 2851DE2013 A", "IN-2851DE2013-A")]


def test_pizza_2015_counts_and_encoding_note(pizza):
    con = pizza.connect()
    assert _values(con, "SELECT count(*), count(DISTINCT publication_number) FROM publications") == [(1000, 1000)]
    assert _values(con, "SELECT count(*) FROM publications WHERE country_code = 'US'") == [467]
    # 284 'Granted Patent' + 1 'Ammended Patent'
    assert _values(con, "SELECT count(*) FROM publications WHERE is_grant") == [285]
    assert _values(con, "SELECT sum(reported_cited_by_count) FROM publications") == [5075]
    assert _values(con, "SELECT count(*) FROM publications WHERE reported_cites_count IS NOT NULL") == [0]
    entry = pizza.lake.manifest["inputs"][0]
    assert entry["rows_read"] == 1000 and entry["rejected"] == 0
    assert any("cp1252" in note for note in entry["notes"])


def test_pizza_2015_rows_with_two_digit_years(pizza):
    con = pizza.connect()
    row = _pub(con, "US-2013101709-A1")
    assert (row["publication_date"], row["filing_date"], row["priority_date"]) == (D(2013, 4, 25), D(2012, 10, 22), D(2011, 10, 24))
    assert (row["reported_cited_by_count"], row["reported_simple_family_size"], row["reported_extended_family_size"]) == (3, 2, 2)
    assert row["is_grant"] is False and row["source_ref"] == "pizza-2015.csv:2"
    assert _values(con, "SELECT code, is_first FROM classifications WHERE publication_number = ? AND scheme = 'cpc' "
                        "ORDER BY is_first DESC, code", "US-2013101709-A1") == [("A23L1/0067", True), ("G01G19/00", False)]
    old = _pub(con, "US-3982033-A")
    # 1976 grant; earliest of two priorities (1971-08-24, 1969-11-28)
    assert (old["publication_date"], old["priority_date"], old["grant_date"]) == (D(1976, 9, 21), D(1969, 11, 28), D(1976, 9, 21))
    assert old["reported_cited_by_count"] == 9
    design = _pub(con, "US-D533981-S1")
    assert design["is_grant"] is False and design["publication_date"] == D(2006, 12, 26)
    assert _values(con, "SELECT name FROM parties WHERE publication_number = 'US-5256432-A' AND role = 'inventor' "
                        "ORDER BY seq")[:2] == ["MCDONALD JANE M", "BINGHAM LYNN R"]


def test_intermediate_layout_is_mapped_by_meaning(tmp_path):
    con = _lake(tmp_path, FIXTURES / "lens" / "layout-intermediate.csv").connect()
    us = _pub(con, "US-2023123456-A1")
    assert us["abstract"] == "A method receives a text prompt and denoises a latent."
    assert (us["reported_cited_by_count"], us["reported_cites_count"]) == (5, 12)
    assert us["priority_date"] == D(2021, 9, 30)  # no 'Earliest Priority Date' column: from Priority Numbers
    ep = _pub(con, "EP-4100200-B1")
    assert ep["is_grant"] and ep["grant_date"] == D(2024, 1, 10)
    assert _values(con, "SELECT scheme, code FROM classifications WHERE publication_number = 'EP-4100200-B1' "
                        "ORDER BY scheme") == [("cpc", "G06N3/045"), ("ipc", "G06N3/045")]
    assert _values(con, "SELECT count(*) FROM citations") == [1]


def test_cp1252_bare_cr_two_digit_years(tmp_path):
    lake = _lake(tmp_path, FIXTURES / "lens" / "layout-2015-cp1252-cr.csv")
    con = lake.connect()
    fr = _pub(con, "FR-3012345-A1")
    assert fr["title"] == "Procédé de génération de texte"
    assert fr["publication_date"] == D(2015, 5, 1) and fr["source_ref"] == "layout-2015-cp1252-cr.csv:2"
    assert _values(con, "SELECT name FROM parties WHERE publication_number = 'FR-3012345-A1' ORDER BY role, seq") == [
        "SOCIÉTÉ GÉNÉRATIVE SA", "DUPONT RENÉ", "MÜLLER ANNE"]
    assert _values(con, "SELECT npl_text FROM citations") == ["\u201cNeural text\u201d, J. Gen. 1999"]
    assert _pub(con, "US-D733123-S1")["publication_date"] == D(1998, 6, 30)
    assert _pub(con, "US-8926509-B2")["priority_date"] == D(2012, 9, 12)
    assert any("cp1252" in n for n in lake.lake.manifest["inputs"][0]["notes"])


def test_broken_quote_row_is_quarantined_rest_ingested(tmp_path):
    lake = _lake(tmp_path, FIXTURES / "lens" / "broken-quote.csv")
    con = lake.connect()
    assert _values(con, "SELECT publication_number FROM publications ORDER BY 1") == [
        "CN-115000001-A", "CN-115000002-B", "JP-2023000005-A", "KR-20230000004-A"]
    # rows keep their true line numbers on both sides of the rejected line
    assert [_pub(con, pn)["source_ref"] for pn in ("CN-115000002-B", "KR-20230000004-A", "JP-2023000005-A")] == [
        "broken-quote.csv:3", "broken-quote.csv:5", "broken-quote.csv:6"]
    entry = lake.lake.manifest["inputs"][0]
    assert (entry["rows_read"], entry["rejected"]) == (5, 1)
    records = [json.loads(line) for line in (lake.path / entry["quarantine"]).read_text().splitlines()]
    assert len(records) == 1
    assert records[0]["where"] == 4 and records[0]["file"].endswith("broken-quote.csv")
    assert "US 2023/0000003 A1" in records[0]["raw"] and records[0]["reason"]


def test_unterminated_quote_does_not_swallow_the_rows_after_it(tmp_path):
    """Line 3 opens a quote it never closes (DuckDB would read on to the next quote, two rows
    later); line 4 has a stray quote. Both are quarantined alone; lines 2, 5 and 6 are kept."""
    lake = _lake(tmp_path, FIXTURES / "lens" / "unterminated-quote-cr.csv")
    con = lake.connect()
    assert _values(con, "SELECT publication_number, source_ref FROM publications ORDER BY source_ref") == [
        ("CN-115000001-A", "unterminated-quote-cr.csv:2"), ("KR-20230000004-A", "unterminated-quote-cr.csv:5"),
        ("JP-2023000005-A", "unterminated-quote-cr.csv:6")]
    assert _values(con, "SELECT npl_text FROM citations") == ["Smith, J.: quoted NPL"]
    entry = lake.lake.manifest["inputs"][0]
    assert (entry["rows_read"], entry["rejected"], entry["reject_reasons"]) == (5, 2, {"UNTERMINATED QUOTE": 1, "UNQUOTED VALUE": 1})
    records = [json.loads(line) for line in (lake.path / entry["quarantine"]).read_text().splitlines()]
    assert [r["where"] for r in records] == [3, 4]
    assert records[0]["raw"].startswith("2,CN,B,CN 115000002 B") and "\r" not in records[0]["raw"]


def test_example_file_ingests(tmp_path):
    from conftest import ROOT

    con = _lake(tmp_path, ROOT / "examples" / "sample-lens.csv").connect()
    n, families, offices = con.execute(
        "SELECT count(*), count(DISTINCT family_id), count(DISTINCT country_code) FROM publications").fetchone()
    assert n == 40 and 10 < families < 40 and offices == 6


@pytest.mark.parametrize("header, expected", [
    (["Cited by Patent Count", "Cites Patent Count"], {"cited_by_count": "Cited by Patent Count",
                                                       "cites_count": "Cites Patent Count"}),
    (["Cited Count"], {"cited_by_count": "Cited Count"}),
    (["NPL Citations", "Non-Patent Citations"], {"npl_citations": "NPL Citations"}),
    (["Non-Patent Citations"], {"npl_citations": "Non-Patent Citations"}),
    (["document type", "IPCR Classifications"], {"type": "document type", "ipc": "IPCR Classifications"}),
])
def test_columns_are_found_by_meaning(header, expected):
    assert map_columns(header) == expected


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_spreadsheet_resaved_export_with_other_separator(tmp_path, delimiter):
    """Excel in many locales re-saves CSV with ';' (and ';;' cells get quoted)."""
    import csv

    from conftest import ROOT

    rows = list(csv.reader((ROOT / "examples" / "sample-lens.csv").open(newline="")))
    resaved = tmp_path / "resaved.csv"
    with resaved.open("w", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    lake = _lake(tmp_path, resaved)
    original = _lake(tmp_path / "orig", ROOT / "examples" / "sample-lens.csv")
    got_con, want_con = lake.connect(), original.connect()
    for table in ("publications", "parties", "classifications", "priorities", "citations"):
        sql = f"SELECT * EXCLUDE (source_ref) FROM {table} ORDER BY ALL" if table == "publications" else \
            f"SELECT * FROM {table} ORDER BY ALL"
        got, want = got_con.execute(sql).fetchall(), want_con.execute(sql).fetchall()
        assert got == want and len(got) > 10, table
    assert any(repr(delimiter) in note for note in lake.lake.manifest["inputs"][0]["notes"])


def test_non_utf8_bytes_beyond_the_sniffed_head(tmp_path):
    """The encoding is guessed from the first 64 KiB; a Windows-1252 byte after that makes
    DuckDB's read fail over to transcoding instead of quarantining the row."""
    import csv
    import io

    from conftest import ROOT

    header, *rows = list(csv.reader((ROOT / "examples" / "sample-lens.csv").open(newline="")))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for i in range(400):  # ~140 KB of ASCII first
        row = list(rows[i % len(rows)])
        row[3] = f"US {9000000 + i} B2"
        writer.writerow(row)
    late = list(rows[0])
    late[3], late[12] = "US 9999999 B2", "SOCIÉTÉ GÉNÉRATIVE SA"
    writer.writerow(late)
    data = buf.getvalue().encode("cp1252")
    assert data.index("É".encode("cp1252")) > 65536
    path = tmp_path / "late-cp1252.csv"
    path.write_bytes(data)
    lake = _lake(tmp_path, path)
    con = lake.connect()
    assert _values(con, "SELECT count(*) FROM publications") == [401]
    assert _values(con, "SELECT name FROM parties WHERE publication_number = 'US-9999999-B2' AND role = 'applicant'") == [
        "SOCIÉTÉ GÉNÉRATIVE SA"]
    entry = lake.lake.manifest["inputs"][0]
    assert (entry["rows_read"], entry["rejected"]) == (401, 0)
    assert any("cp1252" in note for note in entry["notes"])


@pytest.mark.parametrize("raw", ["G06N3/045", "G06N 3/045", "G06N0003045000", "G06N3/00", "G06N3/100", "G06N3/0",
                                 "A23L1/0067", "F02K99/00", "G06N3/0475", "G06N", "G06N3", "g06n3/045", "B64D27/023",
                                 "H04L29/06 (2006.01)", "123", ""])
def test_classification_fast_path_agrees_with_the_macro(tmp_path, raw):
    from patentq.sources.base import Sink
    from patentq.sources.lens import _code

    sink = Sink(tmp_path, "x", tmp_path / "none.csv", "lens")
    try:
        fast, macro = sink.con.execute(f"SELECT {_code('$1')}, pq_classification($1)", [raw]).fetchone()
    finally:
        sink.close()
    assert fast == macro


@pytest.mark.parametrize("raw", ["2011-08-04", "2011-02-31", "25/04/13", "20110804", "", None])
def test_date_fast_path_agrees_with_the_macro(tmp_path, raw):
    from patentq.sources.base import Sink
    from patentq.sources.lens import _date

    sink = Sink(tmp_path, "x", tmp_path / "none.csv", "lens")
    try:
        fast, macro = sink.con.execute(f"SELECT {_date('$1::VARCHAR')}, pq_date($1::VARCHAR)", [raw]).fetchone()
    finally:
        sink.close()
    assert fast == macro


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_broken_quote_with_other_line_endings(tmp_path, ending):
    lines = [line for line in (FIXTURES / "lens" / "broken-quote.csv").read_text().split("\n") if line]
    path = tmp_path / "endings.csv"
    path.write_text(ending.join(lines) + ending, newline="")
    lake = _lake(tmp_path, path)
    entry = lake.lake.manifest["inputs"][0]
    assert (entry["rows_read"], entry["rejected"]) == (5, 1)
    record = json.loads((lake.path / entry["quarantine"]).read_text())
    assert record["where"] == 4 and record["raw"] == lines[3]
    assert _values(lake.connect(), "SELECT source_ref FROM publications ORDER BY 1") == [
        "endings.csv:2", "endings.csv:3", "endings.csv:5", "endings.csv:6"]
