"""The dashboard's own wording, in headless Debian Chromium with canned API answers (no lake, no
server): the reason there is no quality comparison comes from the lake's measure status, a
chart with nothing to draw is one line saying why, the interval footer names Wilson and the
bootstrap, drill-down titles are left-aligned and never just the number, the family lookup
shows the lifetime forward-citation count with its source when there is no 5-year count, and
charts keep their aspect ratio in a wide grid cell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import chromium_page
from patentq.report import charts

pytestmark = pytest.mark.browser

STATIC = Path(__file__).parents[1] / "src" / "patentq" / "web" / "static"
BASE = "http://dashboard.test"
FAMILY = {"family_id": "~lens:US65784810A", "offices": ["US"], "fwd_cits_5": None, "fwd_cits_total": 8,
          "fwd_cits_source": "reported", "members_list": [], "applicant_groups": []}
FAMILIES = {"sorted_by": "fwd_cits_5", "conventions": {}, "families": [
    {"position": 1, "family_id": "~lens:a", "publication_number": "CN-103225552-B", "title": "CN 103225552 B",
     "year": 2015, "offices": ["CN"]},
    {"position": 2, "family_id": "~lens:b", "publication_number": "CN-103498720-A",
     "title": "Pressure Range Liquid Cooled Engine", "year": 2014, "offices": ["CN"]}]}


def _serve(route):
    path = route.request.url[len(BASE):].split("?")[0]
    if path == "/":
        return route.fulfill(body=(STATIC / "index.html").read_text(), content_type="text/html")
    if path.startswith("/static/"):
        name = path[len("/static/"):]
        return route.fulfill(body=(STATIC / name).read_text(),
                             content_type="text/css" if name.endswith(".css") else "application/javascript")
    answers = {"/api/family/US-2011185700-A1": FAMILY, "/api/families": FAMILIES}
    if path in answers:
        return route.fulfill(body=json.dumps(answers[path]), content_type="application/json")
    return route.fulfill(status=404, body=json.dumps({"error": "not here"}), content_type="application/json")


@pytest.fixture(scope="module")
def page():
    with chromium_page() as (page, _):
        page.route(BASE + "/**", _serve)
        page.set_viewport_size({"width": 1400, "height": 900})
        page.goto(BASE + "/")
        page.wait_for_function("() => typeof renderWindowNote === 'function'")
        yield page


def test_no_quality_note_gives_the_lake_profiles_reason(page):
    page.evaluate("""() => renderWindowNote({family_sets: {count: {families: 1293}, quality: {families: 0}},
        measures: {share_top10_cohort: {status: 'absent', reason: 'no patent citation lists'}}})""")
    note = page.inner_text("#window-note")
    assert "not measurable on this lake: no patent citation lists" in note
    assert "No family has a complete citation window" not in note


def test_an_empty_chart_is_one_line_saying_why(page):
    svg = charts.lines({"CN": [(2014, None)]}, "year", "share", "Share filed abroad per year",
                       empty="not measurable on this lake: no office of first filing")
    page.evaluate("svg => { const b = document.createElement('div'); b.id = 'probe'; b.className = 'chart-box'; "
                  "document.body.append(b); putChart(b, svg); }", svg)
    assert page.eval_on_selector_all("#probe svg", "els => els.length") == 0
    assert page.inner_text("#probe") == ("Share filed abroad per year: not measurable on this lake: no office of "
                                         "first filing.")


def test_footer_names_the_intervals_used(page):
    footer = page.inner_text("footer")
    assert "Wilson score" in footer and "bootstrap" in footer
    assert "Intervals: 95% bootstrap, families resampled." not in footer


def test_drill_down_titles(page):
    page.evaluate("() => drillDown('CN', null)")
    page.wait_for_function("() => document.querySelectorAll('#drill-table tbody tr').length === 2")
    cells = page.eval_on_selector_all("#drill-table td.title", "els => els.map(e => [e.textContent, "
                                      "getComputedStyle(e).textAlign])")
    assert cells == [["", "left"], ["Pressure Range Liquid Cooled Engine", "left"]]


def test_family_lookup_shows_the_lifetime_count_and_its_source(page):
    page.fill("#family-number", "US-2011185700-A1")  # the canned API has no /api/lake: call the handler
    page.evaluate("() => lookUpFamily({preventDefault() {}})")
    page.wait_for_selector("#family-result", state="visible")
    facts = page.inner_text("#family-facts")
    assert "forward citations (lifetime)" in facts and "8 (reported by the source; no 5-year count)" in facts
    assert "forward citations (5 y)" not in facts


def test_a_lone_chart_keeps_its_aspect_ratio(page):
    svg = charts.lines({"CN": [(2014, 0.1), (2015, 0.2)]}, "year", "share", "Share filed abroad per year")
    size = page.evaluate("svg => { const b = document.createElement('div'); b.className = 'chart-box'; "
                         "document.getElementById('breakdowns').replaceChildren(b); putChart(b, svg); "
                         "const r = b.querySelector('svg').getBoundingClientRect(); return [r.width, r.height]; }", svg)
    assert size[0] <= 762 and abs(size[0] / size[1] - 720 / 420) < 0.02
