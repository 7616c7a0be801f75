"""The dashboard in headless Debian Chromium (Playwright, never a downloaded browser): it loads,
shows the lake and definition it came from, redraws the table when the grouping changes, draws
every chart as a non-empty SVG, looks up a family, shows a bad parameter's hint, logs no console
error and sends no request beyond 127.0.0.1."""

from __future__ import annotations


import pytest

from patentq import open_lake
from patentq.compare import Conventions, compare
from patentq.lake import Lake
from conftest import chromium_page
from web_helpers import build_demo_lake, running

pytestmark = pytest.mark.browser

CHARTS = """() => [...document.querySelectorAll('#main-charts .chart-box svg')].map(e => ({
  chart: e.parentElement.dataset.chart, shapes: e.querySelectorAll('circle,path,rect,line').length,
  w: e.getBoundingClientRect().width, h: e.getBoundingClientRect().height}))"""
GROUPS = "() => [...document.querySelectorAll('#compare-table tbody tr td:first-child')].map(td => td.textContent)"


def wait_for_groups(page, expected: list[str]) -> None:
    """Until the table's first column lists exactly ``expected``, in order."""
    page.wait_for_function(f"want => JSON.stringify(({GROUPS})()) === JSON.stringify(want)", arg=expected)


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    return build_demo_lake(tmp_path_factory.mktemp("webui"))


@pytest.fixture
def browser_page():
    with chromium_page() as (page, seen):
        page.set_default_timeout(60_000)
        yield page, seen


def groups_of(lake, **conv) -> list[str]:
    return [str(r["group"]) for r in compare(open_lake(lake), Conventions(landscape="genai", **conv), extras=False).rows]


def test_dashboard_end_to_end(lake, browser_page):
    page, seen = browser_page
    opened = Lake.open(lake)
    definition_hash = opened.manifest["derived"]["landscape_genai"]["definition_hash"]
    with running(lake) as (base, _):
        page.goto(base + "/?replicates=0")  # the dashboard opens on all families, not the first landscape
        page.wait_for_function("() => document.querySelectorAll('#by option').length > 0")
        assert page.input_value("#landscape") == ""
        page.goto(base + "/?landscape=genai&replicates=200&min-families=5")
        expected = groups_of(lake, replicates=200, min_families=5)
        wait_for_groups(page, expected)
        page.wait_for_function("() => document.querySelectorAll('#main-charts .chart-box svg').length === 4")
        page.wait_for_function("() => document.querySelectorAll('#sensitivity-table tbody tr').length > 1")
        # provenance: which lake, which definition, synthetic
        assert page.inner_text("#lake-hash") == opened.manifest_hash()
        assert definition_hash[:12] in page.inner_text("#definition")
        assert page.is_visible("#synthetic") and "SYNTHETIC DATA" in page.inner_text("#synthetic")
        # the control keeps the default "auto"; on this lake it is WIPO's inventor country, 2014-2023
        assert page.input_value("#landscape") == "genai" and page.input_value("#by") == "auto"
        assert page.input_value("#window") == "matched" and page.input_value("#min-families") == "5"
        assert "Grouped by inventor-country" in page.inner_text("#conventions")
        assert "years 2014–2023" in page.inner_text("#conventions")
        lead = compare(open_lake(lake), Conventions(landscape="genai", replicates=200, min_families=5),
                       extras=False).rows[0]
        first_row = page.eval_on_selector("#compare-table tbody tr", "tr => [...tr.cells].map(c => c.textContent)")
        assert first_row[1] == f"{lead['families']:,.0f}"
        assert first_row[2].startswith(f"{100 * lead['share']:.1f}%[")  # share with its interval below
        charts = page.evaluate(CHARTS)
        assert [c["chart"] for c in charts] == ["scatter", "slope", "intervals", "time"]
        assert all(c["shapes"] > 3 and c["w"] > 100 and c["h"] > 50 for c in charts), charts
        captions = page.eval_on_selector_all("#main-charts .caption", "els => els.map(e => e.textContent)")
        assert captions[:2] == ["Count vs quality (bubble size = families)", "Rank shift when quality counts"]
        # issue 15: the matched-window note, error bars in the scatter and the rank-shift chart
        assert "Matched families" in page.inner_text("#window-note")
        bars = page.evaluate("() => ['scatter', 'slope'].map(c => "
                             "document.querySelectorAll(`#chart-${c} svg line.errorbar`).length)")
        assert all(n > 0 for n in bars), bars
        # drill-down: a click on a group lists its families (no links: the lake is synthetic)
        page.click("#compare-table tbody tr:first-child")
        page.wait_for_function("() => document.querySelectorAll('#drill-table tbody tr').length > 0")
        assert page.inner_text("#drill-group") == expected[0] and "synthetic" in page.inner_text("#drill-note")
        assert page.eval_on_selector_all("#drill-table a", "els => els.length") == 0
        # breakdowns: the report's other charts, one per landscape category dimension
        dimensions = [r[0] for r in open_lake(lake).connect().execute(
            "SELECT DISTINCT dimension FROM landscape_genai_categories ORDER BY 1").fetchall()]
        page.wait_for_function("n => document.querySelectorAll('#breakdowns svg').length === n",
                               arg=len(dimensions) + 4)
        shown = page.eval_on_selector_all("#breakdowns .chart-box", "els => els.map(e => e.dataset.chart)")
        assert shown == ["time_abroad", "time_gap", "time_quality"] + [f"cat:{d}" for d in dimensions] + ["models"]  # Epoch models vs families
        assert all(n > 3 for n in page.eval_on_selector_all(
            "#breakdowns svg", "els => els.map(e => e.querySelectorAll('circle,path,rect,line').length)"))

        # change the grouping: the table and the charts follow
        page.select_option("#by", "applicant-group")
        expected = groups_of(lake, by="applicant-group", replicates=200, min_families=5)
        assert expected != groups_of(lake, replicates=200, min_families=5)
        wait_for_groups(page, expected)
        page.wait_for_function("() => location.search.includes('by=applicant-group')")
        page.wait_for_function(f"() => document.querySelector('#chart-scatter').textContent.includes({expected[0]!r})")
        assert all(c["shapes"] > 3 for c in page.evaluate(CHARTS))
        assert "applicant-group" in page.inner_text("#conventions")
        assert page.get_attribute("#csv-link", "href").startswith("/api/export/comparison.csv?")
        assert "by=applicant-group" in page.get_attribute("#json-link", "href")

        # family lookup
        number, family_id = open_lake(lake).connect().execute(
            "SELECT publication_number, family_id FROM family_members WHERE family_id IN "
            "(SELECT family_id FROM family_indicators) ORDER BY publication_number LIMIT 1").fetchone()
        page.fill("#family-number", number)
        page.click("#family-form button")
        page.wait_for_selector("#family-result", state="visible")
        assert family_id in page.inner_text("#family-facts")
        assert number in page.inner_text("#family-members")
        assert seen["errors"] == []

        # a bad year range: the API's error and hint are shown, the page keeps working
        page.fill("#years", "2023-2014")
        page.click("#controls button")
        page.wait_for_selector("#error", state="visible")
        assert "reversed" in page.inner_text("#error") and "hint:" in page.inner_text("#error")
        assert all("400" in e for e in seen["errors"]), seen["errors"]  # only the failed request is logged
    assert seen["requests"] and all(u.startswith(base + "/") for u in seen["requests"]), seen["requests"]


def test_dashboard_reopens_a_shared_link(lake, browser_page):
    """The URL holds the conventions, so a link reproduces the view."""
    page, seen = browser_page
    # computed first: without a landscape, compare builds indicators for every family, and the
    # server (another thread) then finds them built instead of waiting for this thread's writer lock
    expected = [str(r["group"]) for r in compare(open_lake(lake), Conventions(by="office", counting="fractional",
                                                                              years=None, top=4, replicates=50),
                                                 extras=False).rows]
    with running(lake) as (base, _):
        page.goto(base + "/?landscape=&by=office&counting=fractional&years=all&year-basis=publication&top=4"
                         "&replicates=50")
        wait_for_groups(page, expected)
        assert page.input_value("#counting") == "fractional" and page.input_value("#landscape") == ""
        assert "all families" in page.inner_text("#definition")
        page.wait_for_function("() => document.querySelectorAll('#main-charts .chart-box svg').length === 4")
    assert seen["errors"] == []
    assert all(u.startswith(base + "/") for u in seen["requests"]), seen["requests"]
