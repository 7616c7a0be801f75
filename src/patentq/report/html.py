"""The self-contained HTML report: inline CSS and inline SVG, no scripts, no external requests."""

from __future__ import annotations

import datetime as dt
from html import escape

from . import charts
from .sections import (capability, concentration, drill_down, family_definition, no_quality_reason,
                       series_charts, series_table)
from .summary import summary_paragraphs

CSS = """
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{margin-bottom:.2em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:1em 0;font-size:13px}th,td{border:1px solid #ddd;padding:3px 7px;text-align:right}
th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}
.banner{background:#fff3cd;border:1px solid #e0c060;padding:.6em 1em;font-weight:600}
.chart{max-width:100%;height:auto;background:#fff}.tick{font-size:11px;fill:#555}.label{font-size:12px}
.axis{font-size:12px;fill:#333;font-weight:600}.muted{fill:#888;font-size:14px}.note{color:#555}
code{background:#f4f4f4;padding:0 .3em}.scroll{overflow-x:auto;max-width:100%}
tr.unranked td{color:#999}.heat td{padding:2px 4px;font-size:11px;text-align:center}
details{margin:.4em 0}summary{cursor:pointer;font-weight:600}
td.title,th.title{text-align:left}.note.absent{font-style:italic}
.status-computed{color:#1a7f37}.status-absent{color:#b42318}.status-reported,.status-lower{color:#9a6700}
"""

COLUMNS = [
    ("group", "group", None), ("families", "families", "n"), ("share", "share", "p"), ("rank", "rank", "r"),
    ("share_matched", "share (matched)", "p"),
    ("share_filed_abroad", "filed abroad", "p"), ("share_outside_group_office", "outside own office", "p"),
    ("share_ip5", "IP5 (2+)", "p"), ("share_triadic", "triadic", "p"), ("grant_rate", "grant rate", "p"),
    ("mean_fwd_cits_5_rel", "fwd cits 5y rel.", "f"), ("share_top10_cohort", "top 10% cohort", "p"),
    ("mean_quality_index_4", "quality idx 4", "f"), ("mean_claims", "claims", "f"),
    ("quality_adjusted_families", "QA families", "n"), ("quality_adjusted_share", "QA share", "p"),
    ("quality_adjusted_rank", "QA rank", "r"), ("rank_shift", "rank shift", "s"),
    ("number_over_quality_gap", "gap (pp)", "pp"), ("top1_families", "top-1% families", "n"),
    ("top1_share", "top-1% share", "p"), ("rta", "RTA", "f"),
]


def fmt(v, kind=None) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return "–"
    if kind == "p":
        return f"{100 * v:.1f}%"
    if kind == "pp":
        return f"{100 * v:+.1f}"
    if kind == "n":
        return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"
    if kind == "f":
        return f"{v:.2f}"
    if kind == "r":
        return f"{v:.0f}"
    if kind == "s":
        return f"{v:+.0f}" if v else "0"
    if isinstance(v, float):
        return f"{v:,.4g}"
    return escape(str(v))


def _ci(row, key, kind) -> str:
    ci = row.get("qa_share_ci") if key == "quality_adjusted_share" else row.get(f"{key}_ci")
    if not ci or kind not in ("p", "f", "pp", "r", "s"):
        return ""
    lo, hi = (fmt(ci[0], "s"), fmt(ci[1], "s")) if kind == "s" else (fmt(ci[0], kind), fmt(ci[1], kind))
    return f'<br><small class="note">[{lo}, {hi}]</small>'


def table(rows: list[dict], columns=None, with_ci: bool = False) -> str:
    if not rows:
        return '<p class="note">No rows.</p>'
    columns = columns or [(k, k, None) for k in rows[0]]
    head = "".join(f"<th>{escape(label)}</th>" for _, label, _ in columns)
    body = "".join(("<tr class='unranked'>" if r.get("ranked") is False else "<tr>")
                   + "".join(f"<td>{fmt(r.get(k), kind)}{_ci(r, k, kind) if with_ci else ''}</td>"
                             for k, _, kind in columns) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _value(v) -> str:
    """A convention or data-quality value as readable HTML: nested tables and lists, no JSON."""
    if v is None:
        return "–"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, dict):
        return _kv(v) if v else "–"
    if isinstance(v, (list, tuple)):
        if not v:
            return "–"
        if all(isinstance(x, dict) for x in v):
            return table(list(v))
        return escape(", ".join("–" if x is None else str(x) for x in v))
    if isinstance(v, float):
        return fmt(v)
    return escape(str(v))


def _kv(data: dict) -> str:
    rows = "".join(f"<tr><td>{escape(str(k).replace('_', ' '))}</td><td style='text-align:left'>{_value(v)}</td></tr>"
                   for k, v in data.items())
    return f"<table><tbody>{rows}</tbody></table>"


#: what each reach share counts, as the report and the dashboard say it
REACH = {"share_filed_abroad": ("share filed abroad", "a member at an office other than the office of first "
                                "filing (WO excluded)"),
         "share_outside_group_office": ("share with a member at another office", "a member at an office other "
                                        "than the group's own (WO excluded)")}


def reach_key(rows) -> str:
    """The reach share the charts draw: filed abroad, or, for sources that name no office of first
    filing (CSET), a member at an office other than the group's own."""
    return ("share_filed_abroad" if any(r.get("share_filed_abroad") is not None for r in rows)
            else "share_outside_group_office")


def interval_kind(c, key: str) -> str:
    """How the 95 % interval of ``key`` is computed, from compare's conventions: proportions
    (0/1 per family) get Wilson's score interval, the rest the bootstrap."""
    from ..compare.measures import RATES

    level = f"{100 * c.conventions.get('level', 0.95):.0f}%"
    proportion = any(r.key == key and r.proportion for r in RATES.values())
    return f"{level} Wilson score intervals" if proportion else f"{level} bootstrap intervals (families resampled)"


def absent_reason(c, key: str) -> str | None:
    """Why measure ``key`` is empty on this lake (the profile's status and reason), or None."""
    m = (c.conventions.get("measures") or {}).get(key) or {}
    if m.get("status") == "absent":
        return m.get("reason") or "its inputs are not in the data"
    return None


def _ranked(rows) -> list[dict]:
    return [r for r in rows if r.get("ranked", True) and r.get("rank") is not None]


def _left_out(rows, kept) -> str | None:
    n = sum(1 for r in rows if r not in kept)
    return (f"{n} unranked group(s) left out (fewer families than --min-families, or UNKNOWN)" if n else None)


def _charts(c) -> dict[str, str]:
    rows = c.rows
    charts.assign_colours([r["group"] for r in rows])
    has_qa = any(r.get("quality_adjusted_rank") for r in rows)
    reach = reach_key(rows)
    reach_label = REACH[reach][0]
    truncated = c.conventions.get("truncated_years") or []
    matched = c.conventions.get("window", "matched") == "matched"
    xkey = "share_matched" if matched else "share"
    if any(r.get("quality_adjusted_share") is not None for r in rows):
        pts = [{"x": r.get(xkey), "y": r.get("quality_adjusted_share"), "size": r["families"], "label": r["group"],
                "x_ci": r.get(f"{xkey}_ci"), "y_ci": r.get("qa_share_ci"), "muted": not r.get("ranked", True)}
               for r in rows]
        xlabel = ("share of families with a complete citation window (matched)" if matched
                  else "share of all families of the window")
        out = {"scatter": charts.scatter(pts, xlabel, "share of the top-10% families (same families)" if matched
                                         else "share of the top-10% families", "Count vs quality (bubble size = families)",
                                         parity=True)}
    else:
        pts = [{"x": r["share"], "y": r.get(reach), "size": r["families"], "label": r["group"],
                "y_ci": r.get(f"{reach}_ci"), "muted": not r.get("ranked", True)} for r in rows]
        out = {"scatter": charts.scatter(pts, "share of families (log scale)", reach_label,
                                         "Count vs quality (bubble size = families)", ypct=True)}
    ranked = _ranked(rows)
    if has_qa:
        base = "rank_matched" if matched else "rank"
        kept = [r for r in ranked if r.get(base) is not None and r.get("quality_adjusted_rank") is not None]
        out["slope"] = charts.slope(kept, base, "quality_adjusted_rank",
                                    "rank by families (matched)" if matched else "rank by families",
                                    "rank by top-10% families", "Rank shift when quality counts",
                                    note=_left_out(rows, kept))
    else:
        # both sides rank the same (ranked) groups: an unranked group has no rank on either side
        kept = sorted([r for r in ranked if r.get(reach) is not None], key=lambda r: -r[reach])
        alt = []
        for r in kept:  # competition ranks: ties share a rank
            tie = next((a for a in alt if a[reach] == r[reach]), None)
            alt.append(dict(r, abroad_rank=tie["abroad_rank"] if tie else len(alt) + 1))
        out["slope"] = charts.slope(alt, "rank", "abroad_rank", "rank by families", f"rank by {reach_label}",
                                    "Rank shift when reach counts (no complete citation windows)",
                                    note=_left_out(rows, kept))
    out["intervals"] = charts.intervals(rows, reach, f"{reach_label.capitalize()}, with {interval_kind(c, reach)}",
                                        f"{reach_label} (of the group's families)")
    series: dict = {}
    for t in c.time_series:
        series.setdefault(t["group"], []).append((t["year"], t["families"]))
    out["time"] = charts.lines(series, "year", "families", "Families per year", truncated=truncated)
    abroad: dict = {}
    for t in c.time_series:
        abroad.setdefault(t["group"], []).append((t["year"], t["share_filed_abroad"]))
    why = absent_reason(c, "share_filed_abroad")
    out["time_abroad"] = charts.lines(abroad, "year", "share filed abroad", "Share filed abroad per year", ypct=True,
                                      truncated=truncated,
                                      empty=f"not measurable on this lake: {why}" if why else "no yearly data")
    if has_qa:
        out.update(series_charts(c.time_series, truncated))
    for dim in sorted({x["dimension"] for x in c.categories}):
        cats = sorted({x["category"] for x in c.categories if x["dimension"] == dim})
        groups = [r["group"] for r in rows[:6]]
        vals = {(x["category"], x["group"]): x["families"] for x in c.categories if x["dimension"] == dim}
        unit = ("families, whole counting (a family counts once per group)"
                if c.conventions.get("counting", "whole") == "whole" else "families, fractional counting")
        out[f"cat:{dim}"] = charts.stacked_bars(cats, groups, lambda a, b, v=vals: v.get((a, b), 0.0),
                                                f"Families by {dim} and group (top 6 groups)", unit)
    if c.notable_models:
        pts = [{"x": r["families"] / max(c.totals.get("families", 1), 1), "y": r["models_per_1000_families"],
                "size": r["families"], "label": r["group"]} for r in c.notable_models
               if r["models_per_1000_families"] is not None]
        out["models"] = charts.scatter(pts, "share of families (log scale)", "notable AI models per 1,000 families",
                                       "Patent families vs notable AI models (Epoch)")
    return out


def chart_svgs(c) -> dict[str, str]:
    """Every chart of the report for comparison ``c``, by name (``scatter``, ``slope``, ``intervals``,
    ``time``, ``time_abroad``, ``cat:<dimension>``, ``models``); the web dashboard serves these."""
    return _charts(c)


def _pivot(series: list[dict], key: str, kind: str) -> str:
    """Group × year table of ``key``."""
    if not series:
        return ""
    years = sorted({t["year"] for t in series})
    groups = list(dict.fromkeys(t["group"] for t in series))
    val = {(t["group"], t["year"]): t.get(key) for t in series}
    head = f"<th>{escape(key)}</th>" + "".join(f"<th>{y}</th>" for y in years)
    body = "".join(f"<tr><td>{escape(str(g))}</td>" + "".join(f"<td>{fmt(val.get((g, y)), kind)}</td>" for y in years)
                   + "</tr>" for g in groups)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _sensitivity(sens) -> str:
    if not sens:
        return '<p class="note">Not computed (run with --sensitivity).</p>'
    head = "<th>group</th>" + "".join(f"<th>{escape(v['variant'])}</th>" for v in sens["variants"])
    body = ""
    for g in sens["groups"]:
        cells = "".join(
            f"<td>{v['ranks'].get(g) or '–'} <small class='note'>({fmt(v['families'].get(g), 'n')})</small></td>"
            if v["available"] else "<td>–</td>" for v in sens["variants"])
        body += f"<tr><td>{escape(str(g))}</td>{cells}</tr>"
    tau = "".join(f"<td>{'%.2f' % v['kendall_tau'] if v.get('kendall_tau') is not None else escape(v.get('note') or '–')}</td>"
                  for v in sens["variants"])
    body += f"<tr><th>Kendall's tau</th>{tau}</tr>"
    return (f"<p>Rank (families) of each group under each convention.</p><div class='scroll'><table><thead><tr>{head}"
            f"</tr></thead><tbody>{body}</tbody></table></div>")


def render(c, synthetic: bool = False, truth: dict | None = None, extra_tables: dict | None = None) -> str:
    conv = c.conventions
    title = f"patentq: number vs quality — {conv.get('landscape') or 'all families'} by {conv['by']}"
    figs = _charts(c)
    reach = reach_key(c.rows)
    banner = ('<p class="banner">SYNTHETIC DATA — this report was produced from patentq\'s seeded demo world. '
              'No figure in it describes real patents.</p>') if synthetic else ""
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}</title>"
             f"<meta name='viewport' content='width=device-width, initial-scale=1'><style>{CSS}</style></head><body>",
             banner, f"<h1>{escape(title)}</h1>",
             f"<p class='note'>Generated {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC by patentq "
             f"{escape(str(conv.get('patentq_version')))} from lake <code>{escape(str(conv.get('lake_manifest_hash')))}</code>.</p>",
             "<h2 id='summary'>Summary</h2>", "".join(f"<p>{escape(p)}</p>" for p in summary_paragraphs(c)),
             "<h2 id='table'>Count and quality by group</h2>",
             "<p class='note'>95% intervals in brackets: Wilson score intervals for the proportions (filed abroad, "
             "outside own office, IP5, triadic, grant rate, top 10% cohort, top-1% share); bootstrap intervals (families "
             "resampled) for shares, ranks, rank shift, gap and the means. QA = quality-adjusted: "
             f"{escape(conv.get('quality_adjusted_count', ''))}. Gap = share of families minus QA share, in percentage points.</p>",
             _scroll(table(c.rows, COLUMNS, with_ci=True)),
             "<h3>Concentration</h3>", concentration(c.concentration),
             "<h2 id='scatter'>Count vs quality</h2>", _window_note(c), figs["scatter"],
             "<h2 id='slope'>Rank shift</h2>",
             "<p class='note'>Bars at each end: 95% bootstrap intervals of the rank (families resampled jointly).</p>",
             figs["slope"],
             f"<h3 id='abroad'>{escape(REACH[reach][0].capitalize())}</h3>",
             f"<p class='note'>Each group's share of families with {escape(REACH[reach][1])}, whole counting, "
             f"with {escape(interval_kind(c, reach))}.{_reach_fallback(c, reach)}</p>", figs["intervals"],
             "<h2 id='time'>Time series</h2>", _truncated_note(c), figs["time"], *_abroad_per_year(c, figs),
             figs.get("time_gap", ""), figs.get("time_quality", ""),
             _scroll(_pivot(c.time_series, "families", "n")),
             _scroll(series_table(c.time_series, "share", "share of families")),
             _scroll(series_table(c.time_series, "number_over_quality_gap", "gap")),
             _scroll(series_table(c.time_series, "share_top10_cohort", "in the top 10%")),
             "<h2 id='categories'>Category breakdowns</h2>",
             "".join(f"<h3>{escape(k[4:])}</h3>" + v for k, v in figs.items() if k.startswith("cat:")) or "<p class='note'>This landscape has no categories.</p>",
             "<h2 id='sensitivity'>Sensitivity to the counting convention</h2>", _sensitivity(c.sensitivity),
             "<h2 id='models'>Notable AI models</h2>"]
    if c.notable_models:
        parts += ["<p class='note'>Notable AI models from Epoch AI (CC BY 4.0) published in the same years, set "
                  "against the group's patent families.</p>", figs["models"],
                  table(c.notable_models, [("group", "group", None), ("families", "families", "n"),
                                           ("notable_models", "notable models", None),
                                           ("models_per_1000_families", "models / 1,000 families", "f"),
                                           ("quality_adjusted_families", "QA families", "n"),
                                           ("share_filed_abroad", "filed abroad", "p")])]
    else:
        parts.append("<p class='note'>No notable_models table in this lake, or a grouping it cannot be matched to.</p>")
    for name, rows in (extra_tables or {}).items():
        parts += [f"<h2>{escape(name)}</h2>", table(rows)]
    if truth and conv.get("by") == "inventor-country":
        parts += ["<h2 id='truth'>Planted truth vs recovered (synthetic world)</h2>", _truth_table(c, truth)]
    measure = _drill_measure(c)
    parts += ["<h2 id='families'>Families behind each group</h2>", drill_down(c.families, measure),
              "<h2 id='capability'>What this data can measure</h2>", capability(c.profile, conv.get("years")),
              "<h2 id='methodology'>Methodology</h2>",
              f"<p>Unit: patent family. {escape(family_definition(conv))} Conventions of this report:</p>",
              _kv({k: v for k, v in conv.items() if k not in ("demo_stages",)}),
              "<h2 id='data-quality'>Data quality</h2>", _kv(c.data_quality), "</body></html>"]
    return "".join(parts)


def _scroll(html: str) -> str:
    """A wide table scrolls inside its own box instead of widening the page."""
    return f"<div class='scroll'>{html}</div>" if html else ""


def _reach_fallback(c, reach: str) -> str:
    if reach == "share_filed_abroad":
        return ""
    why = absent_reason(c, "share_filed_abroad")
    return (" The share filed abroad is not measurable on this lake" + (f" ({escape(why)})" if why else "")
            + ", so reach is measured against the group's own office.")


def _truncated_note(c) -> str:
    cut = c.conventions.get("truncated_years") or []
    if not cut:
        return ""
    years = ", ".join(str(y) for y in cut)
    return (f"<p class='note'>Shaded in the charts: {escape(years)}, truncated (the data end "
            f"{escape(str(c.conventions.get('data_end_date') or 'before'))}, before those years' families are all "
            "published); their counts are too low and their shares rest on few families.</p>")


def _abroad_per_year(c, figs) -> list[str]:
    """The share filed abroad per year as a chart and table, or one line saying why it is absent."""
    if not any(t.get("share_filed_abroad") is not None for t in c.time_series):
        why = absent_reason(c, "share_filed_abroad")
        return [f"<p class='note absent'>Share filed abroad per year: not measurable on this lake"
                f"{': ' + escape(why) if why else ' (no family with a known office of first filing)'}.</p>"]
    return ["<p class='note'>The share filed abroad of the most recent years is understated: members at other "
            "offices are published up to about 30 months after the priority date.</p>", figs["time_abroad"],
            _scroll(_pivot(c.time_series, "share_filed_abroad", "p"))]


def _window_note(c) -> str:
    sets = c.conventions.get("family_sets") or {}
    count, quality = sets.get("count") or {}, sets.get("quality") or {}
    if not quality.get("families"):
        return f"<p class='note'>{escape(no_quality_reason(c.conventions))}</p>"
    if sets.get("window") == "matched":
        return (f"<p class='note matched-window'>Matched families: both axes count the {quality['families']:,} "
                f"families with a complete 5-year citation window (years {quality['years'][0]}–{quality['years'][1]}), "
                f"not all {count['families']:,}: a group that grew recently is not penalised for citations its newest "
                "families cannot have yet. Bars: 95% intervals. Above the diagonal = more quality than count.</p>")
    return (f"<p class='note matched-window'>--window all: the count share is over all {count['families']:,} "
            f"families, the quality share over the {quality['families']:,} with a complete window.</p>")


def _drill_measure(c) -> str:
    from ..compare.drill import active_measure

    return active_measure(c.conventions.get("measures") or {})


def _truth_table(c, truth: dict) -> str:
    planted = truth["counts"]["inventor_country"]
    got = {r["group"]: r["families"] for r in c.rows}
    rows = [{"group": g, "planted families": n, "recovered families": got.get("UNKNOWN" if g == "unknown" else g)}
            for g, n in planted.items() if ("UNKNOWN" if g == "unknown" else g) in got]
    out = table(rows, [("group", "group", None), ("planted families", "planted families", "n"),
                       ("recovered families", "recovered families", "n")])
    quality = (truth.get("planted") or {}).get("quality")
    if quality and c.conventions.get("window") == "matched":
        by_group = {r["group"]: r for r in c.rows}
        rows = [{"group": g, "planted QA share": quality["quality_adjusted_share"][g],
                 "quality_adjusted_share": by_group[g].get("quality_adjusted_share"),
                 "qa_share_ci": by_group[g].get("qa_share_ci"),
                 "planted gap": quality["number_over_quality_gap"][g],
                 "number_over_quality_gap": by_group[g].get("number_over_quality_gap"),
                 "number_over_quality_gap_ci": by_group[g].get("number_over_quality_gap_ci")}
                for g in quality["quality_adjusted_share"] if g in by_group]
        out += (f"<p>Planted quality (the expected value over {quality['worlds']} seeded worlds of "
                f"{quality['families']:,} families, <code>bench/calibration.py</code>) against this world's estimate "
                "and its 95% interval, over the matched families.</p>"
                + table(rows, [("group", "group", None), ("planted QA share", "planted QA share", "p"),
                               ("quality_adjusted_share", "estimated QA share", "p"),
                               ("planted gap", "planted gap (pp)", "pp"),
                               ("number_over_quality_gap", "estimated gap (pp)", "pp")], with_ci=True))
    return out
