"""Ingest under hostile and careless input (issue 17, docs/reliability.md): decompression
bombs stop with exit 3 and an unchanged lake (F4); one malformed record costs only itself in
every CSV-like format (F5); a damaged byte costs neither the file nor the row (F6); unreadable
input is exit 3, not an internal error (F7)."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES, shared_file

from patentq import open_lake
from patentq.lake import Lake

MB = 1 << 20


def snapshot(lake: Path) -> dict:
    return {p.relative_to(lake).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(lake.rglob("*")) if p.is_file()}


def entry(lake_dir: Path, n: int = -1) -> dict:
    return Lake.open(lake_dir).manifest["inputs"][n]


def quarantined(lake_dir: Path, n: int = -1) -> list[dict]:
    e = entry(lake_dir, n)
    return [json.loads(x) for x in (lake_dir / e["quarantine"]).read_text().splitlines()] if e["quarantine"] else []


def scalar(lake_dir: Path, sql: str):
    return open_lake(lake_dir).connect().execute(sql).fetchone()[0]


@pytest.fixture
def lake(cli, tmp_path):
    """A lake holding the example Lens file, to show that a failed ingest leaves it as it was."""
    lake_dir = tmp_path / "lake"
    cli("ingest", "lens", FIXTURES.parent.parent / "examples" / "sample-lens.csv", "--lake", lake_dir)
    return lake_dir


def _repeated(header: str, row: str, size: int) -> bytes:
    block = (row * max(1, (1 << 20) // len(row))).encode()
    return header.encode() + block * (size // len(block) + 1)


CSET_HEADER = "Publication_country,Publication_number,Simple_family_ID,Publication_type,Patent_Type,Priority_Year\n"
CSET_ROW = "US,9000001,100,B2,Granted patent,2015\n"


# --- F4: decompression limits ------------------------------------------------------------------

def test_a_zip_bomb_stops_with_exit_3_and_the_lake_unchanged(cli, lake, tmp_path):
    """80 MB of one repeated CSET row in a zip of ~80 KB: the ratio limit (100:1, checked past
    64 MB) stops it while streaming, before it fills staging or the lake."""
    bomb = tmp_path / "patent_database.csv.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("patent_database.csv", _repeated(CSET_HEADER, CSET_ROW, 80 * MB))
    before = snapshot(lake)
    out = cli("ingest", "cset", bomb, "--lake", lake, expect=3).output
    assert "expands more than 100 times" in out and str(bomb) in out and "--max-expansion" in out
    assert snapshot(lake) == before


def test_a_gzip_bomb_stops_the_same_way(cli, lake, tmp_path):
    line = json.dumps({"publication_number": "US-9000001-B2", "title_localized": [{"text": "x", "language": "en"}]})
    bomb = tmp_path / "export.ndjson.gz"
    bomb.write_bytes(gzip.compress(_repeated("", line + "\n", 80 * MB), compresslevel=1))
    before = snapshot(lake)
    out = cli("ingest", "google", bomb, "--lake", lake, expect=3).output
    assert "expands more than 100 times" in out and snapshot(lake) == before


def test_the_total_size_limit_holds_whatever_the_ratio(cli, lake, tmp_path):
    """Rows that compress only a few times still stop at --max-expanded-size."""
    import random

    rng = random.Random(1)
    rows = "".join(f"US,{rng.randrange(10**9)},{rng.randrange(10**8)},B2,Granted patent,{rng.randrange(1990, 2024)}\n"
                   for _ in range(120_000))
    archive_path = tmp_path / "patent_database.csv.zip"
    with zipfile.ZipFile(archive_path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("patent_database.csv", CSET_HEADER + rows)
    before = snapshot(lake)
    out = cli("ingest", "cset", archive_path, "--lake", lake, "--max-expanded-size", "1MB", expect=3).output
    assert "expands to more than 1.0 MB" in out and snapshot(lake) == before
    cli("ingest", "cset", archive_path, "--lake", lake)  # within the default limits it is ingested
    assert entry(lake)["rows_written"]["publications"] == 120_000


def _grant(number: int, padding: int = 0) -> bytes:
    """A small us-patent-grant document (padding in its abstract makes it as large as asked)."""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<us-patent-grant><us-bibliographic-data-grant>'
            f'<publication-reference><document-id><country>US</country><doc-number>{number}</doc-number>'
            f'<kind>B2</kind><date>20200101</date></document-id></publication-reference>'
            f'<application-reference><document-id><country>US</country><doc-number>1{number}</doc-number>'
            f'<date>20180101</date></document-id></application-reference>'
            f'<invention-title>Title {number}</invention-title></us-bibliographic-data-grant>'
            f'<abstract><p>{"x" * padding}</p></abstract></us-patent-grant>\n').encode()


def test_a_zip_holding_one_huge_xml_document_stops(cli, lake, tmp_path):
    bomb = tmp_path / "ipg200101.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("ipg200101.xml", _grant(10000001, 80 * MB))
    before = snapshot(lake)
    out = cli("ingest", "uspto-xml", bomb, "--lake", lake, expect=3).output
    assert "expands more than 100 times" in out and snapshot(lake) == before


def test_an_xml_document_over_the_size_limit_is_quarantined_with_its_offset(cli, lake_dir, tmp_path):
    docs = [_grant(10000001), _grant(10000002, 3 * MB), _grant(10000003)]
    path = tmp_path / "ipg200101.xml"
    path.write_bytes(b"".join(docs))
    cli("ingest", "uspto-xml", path, "--lake", lake_dir, "--max-document-size", "1MB")
    assert scalar(lake_dir, "SELECT string_agg(publication_number, ' ' ORDER BY 1) FROM publications") == \
        "US-10000001-B2 US-10000003-B2"
    [bad] = quarantined(lake_dir)
    assert bad["where"] == f"byte {len(docs[0])}" and bad["reason"].startswith("document too large: 3,1")
    assert entry(lake_dir)["rows_read"] == 3


# --- F5: one malformed record costs only itself, in every CSV-like format ----------------------

def _cset_rows(n: int) -> list[str]:
    with zipfile.ZipFile(shared_file("cset-ai-patents/patent_database.csv.zip")) as archive:
        with archive.open(archive.namelist()[0]) as handle:
            text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
            return [next(text) for _ in range(n + 1)]


@pytest.mark.parametrize("damage, reason", [
    (lambda cells: cells.__setitem__(1, '"' + cells[1]), "UNTERMINATED QUOTE"),
    (lambda cells: cells.__setitem__(3, "x" * 20_000_000), "RECORD TOO LARGE"),
    (lambda cells: cells.__setitem__(3, "x" * 3_000_000), "CELL TOO LARGE"),
])
def test_cset_one_broken_row_in_2000_is_quarantined_alone(cli, lake_dir, tmp_path, damage, reason):
    """F5: an unterminated quote at line 501 (DuckDB: "Error when sniffing file", exit 3) or a
    20 MB cell: that line is quarantined, the other 1,999 rows are ingested."""
    lines = _cset_rows(2000)
    cells = lines[500].split(",")
    damage(cells)
    lines[500] = ",".join(cells)
    path = tmp_path / "cset.csv"
    path.write_text("".join(lines), encoding="utf-8")
    cli("ingest", "cset", path, "--lake", lake_dir)
    assert entry(lake_dir)["rows_written"]["publications"] == 1999
    [bad] = quarantined(lake_dir)
    assert bad["where"] == 501 and bad["reason"].startswith(reason)
    assert entry(lake_dir)["rows_read"] == 2000
    # the rows keep their own numbers: data row 500 (line 501) is missing, row 501 follows row 499
    refs = {r[0] for r in open_lake(lake_dir).connect().execute("SELECT source_ref FROM publications").fetchall()}
    assert "cset.csv:row 499" in refs and "cset.csv:row 501" in refs and "cset.csv:row 500" not in refs


def test_epoch_unterminated_quote_mid_file_costs_one_record(cli, lake_dir, tmp_path):
    """Epoch cells may span lines; a quote left open is closed by no later line, so only the
    record it opened on is lost and reading starts again on the next line."""
    import csv as csvlib

    text = shared_file("epoch/notable_ai_models_2025-04.csv").read_text(encoding="utf-8")
    lines = io.StringIO(text, newline="").readlines()  # CSV line ends only (not U+2028 inside cells)
    reader, spans = csvlib.reader(lines), []
    for _ in reader:  # the physical lines of each record (cells span lines in this file)
        spans.append(reader.line_num)
    records = len(spans) - 1
    target = next(spans[i] - 1 for i in range(300, records) if spans[i] - spans[i - 1] == 1 and '"' not in lines[spans[i] - 1])
    lines[target] = '"' + lines[target]  # opens a quote at the start of the model name
    path = tmp_path / "epoch.csv"
    path.write_text("".join(lines), encoding="utf-8")
    cli("ingest", "epoch", path, "--lake", lake_dir)
    assert entry(lake_dir)["rows_written"]["notable_models"] == records - 1
    [bad] = quarantined(lake_dir)
    record = next(i for i in range(len(spans)) if spans[i] == target + 1)  # the damaged record's number
    assert bad["where"] == f"record {record}" and bad["reason"].split(":")[0] in ("UNTERMINATED QUOTE", "UNQUOTED VALUE")
    assert entry(lake_dir)["rows_read"] == records


@pytest.mark.parametrize("fmt, fixture, table, line", [
    ("patentsview", "patentsview", "g_patent.tsv", 3),
    ("patstat", "patstat", "tls211_pat_publn.csv", 3),
])
def test_bulk_tables_one_broken_row_is_quarantined_alone(cli, lake_dir, tmp_path, fmt, fixture, table, line):
    folder = tmp_path / fixture
    shutil.copytree(FIXTURES / fixture, folder)
    text = (folder / table).read_text(encoding="utf-8").splitlines(keepends=True)
    n_rows = len(text) - 1
    delim = "\t" if table.endswith(".tsv") else ","
    cells = text[line - 1].split(delim)
    cells[1] = '"' + cells[1].strip('"') + " oops"
    text[line - 1] = delim.join(cells)
    (folder / table).write_text("".join(text), encoding="utf-8")
    cli("ingest", fmt, folder, "--lake", lake_dir)
    [bad] = quarantined(lake_dir)
    assert bad["where"] == f"{table}:{line}" and bad["reason"].split(":")[0] in ("UNTERMINATED QUOTE", "UNQUOTED VALUE")
    assert scalar(lake_dir, "SELECT count(*) FROM publications") >= n_rows - 2  # the rest is read


def test_lens_mixed_line_endings_with_a_broken_quote(cli, lake_dir, tmp_path):
    """F5: LF rows in a CRLF file plus an unterminated quote (DuckDB: "The CSV Parser state
    machine reached an invalid state", exit 3): one row quarantined, with the line it is on,
    and every other row ingested."""
    data = shared_file("lens/jet-engines-2021.csv").read_bytes().split(b"\r\n")
    data[300] = data[300].replace(b",", b',"', 1)
    mixed = b"\r\n".join(data[:200]) + b"\r\n" + b"\n".join(data[200:3000]) + b"\n" + b"\r\n".join(data[3000:])
    path = tmp_path / "mixed.csv"
    path.write_bytes(mixed)
    cli("ingest", "lens", path, "--lake", lake_dir)
    [bad] = quarantined(lake_dir)
    assert bad["where"] == 301 and bad["reason"].startswith("UNTERMINATED QUOTE")
    assert entry(lake_dir)["rows_written"]["publications"] == 3778
    assert scalar(lake_dir, "SELECT count(*) FROM publications WHERE source_ref = 'mixed.csv:302'") == 1


# --- F6: one damaged byte costs neither the file's encoding nor the row ------------------------

def test_lens_invalid_byte_is_replaced_in_its_cell_not_the_file_reread_as_cp1252(cli, lake_dir, tmp_path):
    data = bytearray(shared_file("lens/jet-engines-2021.csv").read_bytes())
    data[700_000:700_000] = b"\xff"
    path = tmp_path / "jet.csv"
    path.write_bytes(bytes(data))
    cli("ingest", "lens", path, "--lake", lake_dir)
    e = entry(lake_dir)
    assert (e["rows_written"]["publications"], e["rejected"], e["repaired"]) == (3779, 0, 1)
    assert not any("cp1252" in n for n in e["notes"])
    assert scalar(lake_dir, "SELECT count(*) FROM parties WHERE name LIKE '%Ã%'") == 0  # no mojibake (was 56)
    assert scalar(lake_dir, "SELECT count(*) FROM publications WHERE title LIKE '%Ã%'") == 0  # (was 61)
    [note] = quarantined(lake_dir)
    line = data[:700_000].count(b"\n") + 1
    assert note["where"] == line and note["repaired"]
    ref = f"jet.csv:{line}"  # the row is kept, the byte replaced in its cell
    assert scalar(lake_dir, f"SELECT count(*) FROM publications WHERE source_ref = '{ref}'") == 1
    row = open_lake(lake_dir).connect().execute(
        f"SELECT p.title, string_agg(n.name, ';') FROM publications p LEFT JOIN parties n USING (publication_number) "
        f"WHERE p.source_ref = '{ref}' GROUP BY p.title").fetchone()
    assert "\ufffd" in " ".join(str(v) for v in row)


# --- F7: unreadable input is exit 3 with a message, never "internal error" ---------------------

def _corrupt_parquet(path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"publication_number": [f"US-{i}-A" for i in range(20000)],
                      "title_localized": [[{"text": "x" * 50, "language": "en"}]] * 20000})
    pq.write_table(table, path, compression="none")
    data = bytearray(path.read_bytes())
    for i in range(1000, len(data) - 2000, 997):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


def _wrong_types(path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"publication_number": ["US-1-A"], "cpc": [1]}), path)


@pytest.mark.parametrize("fmt, name, make, message", [
    ("google", "c.gz", lambda p: p.write_bytes(b"\x1f\x8b\x08\x00" + bytes(range(256)) * 20), "corrupt or truncated gzip"),
    ("google", "corrupt.parquet", _corrupt_parquet, "damaged Parquet data"),
    ("google", "types.parquet", _wrong_types, "cpc (BIGINT)"),
    ("uspto-json", "deep.json", lambda p: p.write_text("[" * 100_000 + "]" * 100_000), "nested too deep"),
    ("lens", "cut.csv", lambda p: p.write_text("#,Jurisdiction,Kind,Publication Number,Lens ID,Priority Nu"),
     "ends inside its header line"),
])
def test_unreadable_input_exits_3_and_leaves_the_lake_unchanged(cli, lake, tmp_path, fmt, name, make, message):
    path = tmp_path / name
    make(path)
    before = snapshot(lake)
    out = cli("ingest", fmt, path, "--lake", lake, expect=3).output
    assert message in out and "internal error" not in out and snapshot(lake) == before


def test_patstat_without_the_optional_publn_lg_column(cli, lake_dir, tmp_path):
    import csv as csvlib

    folder = tmp_path / "patstat"
    shutil.copytree(FIXTURES / "patstat", folder)
    rows = list(csvlib.reader((folder / "tls211_pat_publn.csv").open(newline="")))
    drop = rows[0].index("publn_lg")
    with (folder / "tls211_pat_publn.csv").open("w", newline="") as handle:
        csvlib.writer(handle).writerows([r[:drop] + r[drop + 1:] for r in rows])
    cli("ingest", "patstat", folder, "--lake", lake_dir)
    # the language comes from the title's language then (tls202: English)
    assert scalar(lake_dir, "SELECT language FROM publications WHERE source_ref = 'tls211:5001'") == "en"


# --- what held before, pinned: XML reads no file and expands no entity bomb ------------------

def test_xml_external_entities_read_no_file_and_entity_bombs_are_quarantined(cli, lake_dir, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    xxe = _grant(10000001).replace(b"<us-patent-grant>", f'<!DOCTYPE us-patent-grant [<!ENTITY x SYSTEM '
                                                         f'"file://{secret}">]><us-patent-grant>'.encode(), 1)
    xxe = xxe.replace(b"Title 10000001", b"Title &x;")
    lol = "".join(f'<!ENTITY l{i} "{"&l%d;" % (i - 1) * 10}">' for i in range(1, 10))
    bomb = _grant(10000002).replace(b"<us-patent-grant>", f'<!DOCTYPE us-patent-grant [<!ENTITY l0 "lol">{lol}]>'
                                                          f"<us-patent-grant>".encode(), 1)
    bomb = bomb.replace(b"Title 10000002", b"&l9;")
    path = tmp_path / "ipg.xml"
    path.write_bytes(xxe + bomb + _grant(10000003))
    cli("ingest", "uspto-xml", path, "--lake", lake_dir)
    con = open_lake(lake_dir).connect()
    texts = " ".join(str(v) for row in con.execute("SELECT * FROM publications").fetchall() for v in row)
    assert "TOP-SECRET" not in texts and "lollollol" not in texts
    assert con.execute("SELECT count(*) FROM publications").fetchone()[0] >= 2


@pytest.mark.parametrize("fmt, name", [("uspto-json", "big.json"), ("epo-ops", "big.xml")])
def test_a_response_read_whole_over_the_document_limit_is_refused_before_reading(cli, lake, tmp_path, fmt, name):
    path = tmp_path / name
    path.write_bytes((b'{"patents": [' if fmt == "uspto-json" else b"<a>") + b" " * (2 * MB))
    before = snapshot(lake)
    out = cli("ingest", fmt, path, "--lake", lake, "--max-document-size", "1MB", expect=3).output
    assert "--max-document-size" in out and snapshot(lake) == before


def test_header_names_with_surrounding_white_space_are_found(cli, lake_dir, tmp_path):
    """Found by bench/fuzz.py: a tab before 'Model' passed the adapter's header check (which
    strips names) but DuckDB kept the tab in the column name (a BinderException, exit 1)."""
    path = tmp_path / "models.csv"
    path.write_text("\tModel ,Domain,Organization,Country (from Organization),Publication date\n"
                    "Tiny Model A,Language,Example Lab,\"Germany,France\",2024-05-01\n")
    cli("ingest", "epoch", path, "--lake", lake_dir)
    assert entry(lake_dir)["rows_written"] == {"notable_models": 1}
