"""The HTML report opens offline in headless Debian Chromium with no console errors, every
chart renders a non-empty SVG, it fetches nothing, and the exports hold every table."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from compare_helpers import build_lake
from conftest import chromium_page
from patentq import open_lake
from patentq.compare import Conventions, compare
from patentq.synthetic.demo.pipeline import run_demo
from patentq.lake import Lake
from patentq.report import export_tables, tables_of, write_report

SECTIONS = ["summary", "table", "scatter", "slope", "time", "categories", "sensitivity", "models", "families",
            "capability", "methodology", "data-quality"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return run_demo(tmp_path_factory.mktemp("rep"), 1200, 3, replicates=200)


def open_in_chromium(path: Path) -> dict:
    with chromium_page() as (page, seen):
        page.goto(path.resolve().as_uri())
        page.wait_for_load_state("load")
        seen["charts"] = page.eval_on_selector_all(
            "svg.chart", "els => els.map(e => ({shapes: e.querySelectorAll('circle,path,rect,line').length, "
                         "w: e.getBoundingClientRect().width, h: e.getBoundingClientRect().height, "
                         "title: e.getAttribute('aria-label')}))")
        seen["ids"] = page.eval_on_selector_all("h2[id]", "els => els.map(e => e.id)")
        seen["h3"] = page.eval_on_selector_all("h3", "els => els.map(e => e.textContent)")
        seen["errorbars"] = page.eval_on_selector_all("svg line.errorbar", "els => els.length")
        seen["text"] = page.inner_text("body")
    return seen


@pytest.mark.browser
def test_demo_report_renders_offline(demo):
    seen = open_in_chromium(demo.report)
    assert seen["errors"] == []
    assert all(u.startswith("file://") for u in seen["requests"]), seen["requests"]
    assert len(seen["charts"]) >= 7
    for chart in seen["charts"]:
        assert chart["shapes"] > 3 and chart["w"] > 100 and chart["h"] > 100, chart
    assert set(SECTIONS) <= set(seen["ids"])
    text = seen["text"]
    assert "SYNTHETIC DATA" in text and Lake.open(demo.lake).manifest_hash() in text
    assert demo.comparison.conventions["landscape_definition"]["definition_hash"] in text
    assert "Planted truth vs recovered" in text
    # issue 15: the matched-window note, headings, no raw JSON or None, drill-down, what the data can measure
    assert "Matched families: both axes count the" in text and "Share filed abroad" in seen["h3"]
    assert "None" not in text and '{"' not in text
    assert "Families behind each group" in text and "no links" not in text.lower().split("families behind")[0]
    assert "What this data can measure" in text and "computed" in text and "Publications per office and year" in text
    assert seen["errorbars"] > 10  # the scatter and the rank-shift chart carry 95 % intervals


@pytest.mark.browser
def test_report_without_citations_still_draws_every_chart(tmp_path):
    from compare_helpers import load_fixture

    data = load_fixture()
    for f in data["families"]:
        f["ind"]["window_complete_5"] = False
    build_lake(tmp_path / "lake", data)
    result = compare(open_lake(tmp_path / "lake"), Conventions(landscape="t", replicates=50, min_families=0),
                     sensitivity=True)
    seen = open_in_chromium(write_report(result, tmp_path / "r.html"))
    assert seen["errors"] == [] and all(c["shapes"] > 0 for c in seen["charts"])
    assert "rank by share filed abroad" in (tmp_path / "r.html").read_text()


def test_exports_hold_every_table(demo, tmp_path):
    tables = tables_of(demo.comparison)
    assert {"comparison", "time_series", "categories", "notable_models", "sensitivity", "conventions",
            "data_quality"} <= set(tables)
    files = export_tables(demo.comparison, tmp_path / "r.html", "parquet")
    assert {f.name for f in files} == {f"r_{name}.parquet" for name in tables}
    comparison = pq.read_table(tmp_path / "r_comparison.parquet")
    assert comparison.num_rows == len(demo.comparison.rows)
    assert "share_filed_abroad_ci_low" in comparison.column_names
    xlsx = export_tables(demo.comparison, tmp_path / "r.html", "xlsx")[0]
    import openpyxl

    assert set(openpyxl.load_workbook(xlsx).sheetnames) == set(tables)


def test_cli_report(demo, tmp_path, cli):
    out = tmp_path / "cli.html"
    res = cli("report", "--lake", demo.lake, "--landscape", "genai", "--out", out, "--format", "csv",
              "--replicates", "50")
    assert f"report: {out}" in res.output and out.exists()
    assert (tmp_path / "cli_comparison.csv").read_text().startswith("\"group\",\"families\",\"share\"")
    assert "SYNTHETIC DATA" in out.read_text()  # inputs are the demo's synthetic files
