"""What the report's figures say they were computed from: ranked groups only, the measure
status and reasons of the lake profile, the interval each figure uses, truncated years, the
family definition of the lake's source; and that wide tables and crowded labels stay readable.
Built on a hand-made comparison (no lake, no engine): each test is a few milliseconds."""

from __future__ import annotations

import json
import re

from patentq.compare import Comparison
from patentq.report import charts
from patentq.report.html import chart_svgs, render
from patentq.report.sections import capability, drill_down
from patentq.report.summary import summary_paragraphs

ABSENT_CITES = {"status": "absent", "reason": "no patent citation lists (each document's citations, complete, "
                                              "possibly empty)"}
NO_FIRST_FILING = {"status": "absent", "reason": "no office of first filing in the data"}


def _row(group, families, share, rank, abroad, ranked=True, outside=None):
    return {"group": group, "families": families, "share": share, "rank": rank if ranked else None,
            "ranked": ranked, "share_filed_abroad": abroad, "share_filed_abroad_ci": [abroad * 0.9, abroad * 1.1]
            if abroad is not None else None, "share_outside_group_office": outside,
            "share_outside_group_office_ci": [outside * 0.9, min(outside * 1.1, 1)] if outside is not None else None}


def lens_like(tmp_path, fmt="lens", abroad=True) -> Comparison:
    """Four ranked groups and four small unranked ones, no citation lists (as a Lens export)."""
    lake = tmp_path / "lake"
    lake.mkdir(exist_ok=True)
    (lake / "manifest.json").write_text(json.dumps({"schema_version": 2, "inputs": [{"format": fmt}]}))
    a = (lambda v: v) if abroad else (lambda v: None)
    rows = [_row("CN", 791, 0.61, 1, a(0.005), outside=0.005), _row("RU", 212, 0.16, 2, a(0.024), outside=0.024),
            _row("US", 110, 0.085, 3, a(0.218), outside=0.2), _row("JP", 59, 0.046, 4, a(0.237), outside=0.23),
            _row("KR", 25, 0.019, None, a(0.16), False, 0.16), _row("GB", 21, 0.016, None, a(0.76), False, 0.76),
            _row("DE", 13, 0.01, None, a(0.85), False, 0.85), _row("FR", 10, 0.008, None, a(0.9), False, 0.9)]
    measures = {"share_top10_cohort": dict(ABSENT_CITES, measure="cohort"),
                "share_filed_abroad": {"measure": "reach", "status": "lower bound", "reason": "export rows"}
                if abroad else dict(NO_FIRST_FILING, measure="reach")}
    years = range(2014, 2022)
    series = [{"group": g, "year": y, "families": 10.0 + i, "share": 0.1,
               "share_filed_abroad": (1.0 if y == 2021 else 0.2 + 0.001 * i) if abroad else None}
              for i, g in enumerate(["CN", "RU", "US", "JP", "GB"]) for y in years]
    conv = {"by": "priority-office", "counting": "whole", "year_basis": "publication", "years": [2014, 2023],
            "window": "matched", "level": 0.95, "truncated_years": [2021], "data_end_date": "2021-01-21",
            "measures": measures, "lake": str(lake), "unit": "simple", "quality_adjusted_count": "top 10%",
            "family_sets": {"count": {"families": 1293}, "quality": {"families": 0, "years": None},
                            "window": "matched"}}
    cells = [{"office": o, "year": y, "publications": 3} for o in ("CN", "US") for y in range(1902, 2022)]
    families = {"CN": [{"position": 1, "family_id": "~lens:CN1", "publication_number": "CN-103225552-B",
                        "title": "CN 103225552 B", "year": 2014, "offices": ["CN"]},
                       {"position": 2, "family_id": "~lens:CN2", "publication_number": "CN-103498720-A",
                        "title": "Pressure Range Liquid Cooled Engine", "year": 2015, "offices": ["CN"]}]}
    return Comparison(conv, rows, time_series=series, totals={"families": 1293},
                      profile={"end_date": "2021-01-21", "cells": cells, "measures": {}}, families=families)


def test_summary_compares_only_ranked_groups(tmp_path):
    reach = [p for p in summary_paragraphs(lens_like(tmp_path)) if p.startswith("Reach")]
    assert reach == ["Reach: 0.5% of CN's families were filed abroad, against 23.7% of JP's."]


def test_slope_ranks_only_ranked_groups_on_both_sides(tmp_path):
    svg = chart_svgs(lens_like(tmp_path))["slope"]
    labels = re.findall(r'class="label">(\d+)\. (\w+)</text>', svg)
    assert sorted(int(n) for n, _ in labels) == [1, 1, 2, 2, 3, 3, 4, 4]
    assert {g for _, g in labels} == {"CN", "RU", "US", "JP"}
    assert "4 unranked group(s) left out" in svg


def test_no_quality_note_gives_the_profiles_reason(tmp_path):
    html = render(lens_like(tmp_path))
    assert "No family has a complete citation window: quality is reach" not in html
    assert "not measurable on this lake: no patent citation lists" in html


def test_reach_heading_follows_the_measure_and_absent_years_say_why(tmp_path):
    c = lens_like(tmp_path, fmt="cset", abroad=False)
    html = render(c)
    assert "<h3 id='abroad'>Share with a member at another office</h3>" in html
    assert "Share filed abroad per year: not measurable on this lake: no office of first filing in the data" in html
    assert "no yearly data" not in html and "share_filed_abroad</th>" not in html  # no empty chart, no table of dashes
    assert "not measurable on this lake: no office of first filing" in chart_svgs(c)["time_abroad"]


def test_interval_charts_name_the_interval_they_use(tmp_path):
    svg = chart_svgs(lens_like(tmp_path))["intervals"]
    assert "with 95% Wilson score intervals" in svg and "bootstrap" not in svg
    html = render(lens_like(tmp_path))
    assert "Wilson score intervals for the proportions" in html


def test_truncated_years_are_shaded(tmp_path):
    figs = chart_svgs(lens_like(tmp_path))
    for name in ("time", "time_abroad"):
        assert figs[name].count('class="truncated"') == 1 and "2021: truncated" in figs[name]
        assert 'stroke-dasharray="4 3"' in figs[name]
    assert "Shaded in the charts: 2021, truncated" in render(lens_like(tmp_path))


def test_family_definition_follows_the_source(tmp_path):
    from patentq.report.sections import family_definition

    lens = family_definition(lens_like(tmp_path).conventions)
    assert "~lens:" in lens and "DOCDB simple family id the source gives" not in lens
    cset = family_definition(lens_like(tmp_path, fmt="cset").conventions)
    assert "cset: the DOCDB simple family id the source gives" in cset and "~" not in cset
    assert "DOCDB simple family unless stated" not in render(lens_like(tmp_path))


def test_wide_tables_scroll_and_the_heatmap_keeps_to_the_window(tmp_path):
    c = lens_like(tmp_path)
    html = render(c)
    assert "<div class='scroll'><table><thead><tr><th>group</th>" in html and ".scroll{overflow-x:auto" in html
    heat = capability(c.profile, [2014, 2023])
    heads = re.findall(r"<th>([^<]+)</th>", heat)
    assert heads[:3] == ["office", "before 2014", "2014"] and "1902" not in heads and heads[-1] == "2021"
    assert "<div class='scroll'><table class='heat'>" in heat


def test_drill_down_years_and_titles(tmp_path):
    html = drill_down(lens_like(tmp_path).families, "fwd_cits_5")
    assert "2,014" not in html and "<td>2014</td>" in html
    assert "CN 103225552 B" not in html  # the number in the title column is no title
    assert "<td class='title'>Pressure Range Liquid Cooled Engine</td>" in html
    assert "th.title" in render(lens_like(tmp_path))  # titles left-aligned


def test_end_labels_are_spread_apart():
    svg = charts.lines({"CN": [(2019, 1.0), (2020, 0.01)], "RU": [(2019, 1.0), (2020, 0.0)],
                        "JP": [(2019, 1.0), (2020, 0.02)]}, "year", "share", "t", ypct=True)
    ys = sorted(float(y) for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)" class="label"', svg))
    assert len(ys) == 3 and all(b - a >= 13 for a, b in zip(ys, ys[1:]))


def test_rank_whiskers_do_not_share_a_line():
    rows = [{"group": g, "a": i + 1, "b": 4 - i, "a_ci": [1, 4], "b_ci": [1, 4]} for i, g in enumerate("WXYZ")]
    svg = charts.slope(rows, "a", "b", "l", "r", "t")
    xs = re.findall(r'class="errorbar" x1="([\d.]+)"', svg)
    assert len(xs) == 8 and len(set(xs)) == 8


def test_category_bars_say_how_families_are_counted(tmp_path):
    """Under whole counting a family with two groups sits in two bars: the axis says so."""
    c = lens_like(tmp_path)
    c.categories = [{"dimension": "model", "category": "GAN", "group": g, "families": 5.0} for g in ("CN", "RU")]
    svg = chart_svgs(c)["cat:model"]
    assert "whole counting (a family counts once per group)" in svg
    c.conventions["counting"] = "fractional"
    assert "families, fractional counting" in chart_svgs(c)["cat:model"]
