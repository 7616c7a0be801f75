"""Report sections beyond the main table: what the data can measure (the lake profile), the
families behind each group (drill-down), concentration and the time series with intervals."""

from __future__ import annotations

import math
from html import escape

from .charts import lines


def capability(profile: dict) -> str:
    """The lake's office x year coverage as a heatmap, and each measure's status with its reason."""
    if not profile:
        return "<p class='note'>No lake profile (run <code>patentq lake profile</code>).</p>"
    cells = profile.get("cells") or []
    per_office: dict = {}
    for c in cells:
        per_office[c["office"]] = per_office.get(c["office"], 0) + (c["publications"] or 0)
    offices = sorted(per_office, key=lambda o: -per_office[o])[:15]
    years = sorted({c["year"] for c in cells if c["office"] in offices})
    value = {(c["office"], c["year"]): c["publications"] or 0 for c in cells}
    top = max(value.values(), default=1) or 1
    parts = [f"<p>Publications per office and year (the {len(offices)} largest offices; data end date "
             f"{escape(str(profile.get('end_date') or 'unknown'))}). Darker = more publications (log scale).</p>"]
    if offices and years:
        head = "<th>office</th>" + "".join(f"<th>{y}</th>" for y in years)
        body = ""
        for o in offices:
            row = f"<td>{escape(str(o))}</td>"
            for y in years:
                n = value.get((o, y), 0)
                shade = 0 if not n else 0.15 + 0.85 * math.log1p(n) / math.log1p(top)
                colour = f"rgba(31,119,180,{shade:.2f})"
                ink = "#fff" if shade > 0.6 else "#222"
                row += f"<td style='background:{colour};color:{ink}' title='{o} {y}: {n:,}'>{n:,}</td>"
            body += f"<tr>{row}</tr>"
        parts.append(f"<table class='heat'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    measures = profile.get("measures") or {}
    if measures:
        rows = "".join(f"<tr><td>{escape(m)}</td><td class='status-{escape(v['status'].split()[0])}'>"
                       f"{escape(v['status'])}</td><td style='text-align:left'>{escape(v.get('reason') or '')}</td></tr>"
                       for m, v in measures.items())
        parts.append("<p>Each measure's status on this lake: computed from the data, reported by the source, a "
                     "lower bound, or absent (then left empty everywhere, never estimated from nothing).</p>"
                     f"<table><thead><tr><th>measure</th><th>status</th><th>why</th></tr></thead>"
                     f"<tbody>{rows}</tbody></table>")
    return "".join(parts)


def _num(v, digits=2) -> str:
    if v is None:
        return "–"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (int, float)):
        return f"{v:,.{digits}f}" if isinstance(v, float) else f"{v:,}"
    return escape(str(v))


def drill_down(families: dict, measure: str) -> str:
    """The top families of each group, sorted by the active quality measure, with links."""
    if not families:
        return "<p class='note'>No families listed.</p>"
    out = [f"<p>Each group's families with the highest <code>{escape(measure)}</code> (the active quality "
           "measure). Links search Espacenet, Google Patents and Lens by publication number; there are none for "
           "a synthetic lake.</p>"]
    for group, rows in families.items():
        body = ""
        for f in rows:
            number = escape(str(f.get("publication_number") or f["family_id"]))
            links = f.get("links")
            if links:
                number += "".join(f" <a href='{escape(u)}' rel='noopener noreferrer'>{escape(k.split('_')[0])}</a>"
                                  for k, u in links.items())
            body += (f"<tr><td>{f['position']}</td><td>{number}</td><td style='text-align:left'>"
                     f"{escape((f.get('title') or '')[:90])}</td><td>{_num(f.get('year'))}</td>"
                     f"<td>{_num(f.get(measure))}</td><td>{_num(f.get('top10_cohort'))}</td>"
                     f"<td>{escape(', '.join(f.get('offices') or []))}</td></tr>")
        out.append(f"<details><summary>{escape(str(group))} ({len(rows)} families)</summary><table><thead><tr>"
                   f"<th>#</th><th>publication</th><th>title</th><th>year</th><th>{escape(measure)}</th>"
                   f"<th>top 10%</th><th>offices</th></tr></thead><tbody>{body}</tbody></table></details>")
    return "".join(out)


def concentration(c: dict) -> str:
    if not c or c.get("hhi") is None:
        return "<p class='note'>No known group to measure concentration over.</p>"

    def ci(key, pct):
        got = c.get(f"{key}_ci")
        if not got:
            return ""
        f = (lambda v: f"{100 * v:.1f}%") if pct else (lambda v: f"{v:.3f}")
        return f" [{f(got[0])}, {f(got[1])}]"

    return (f"<p>Over fractional counts of the {c['groups']} known groups (UNKNOWN excluded): "
            f"Herfindahl-Hirschman index <strong>{c['hhi']:.3f}</strong>{ci('hhi', False)}, "
            f"CR4 <strong>{100 * c['cr4']:.1f}%</strong>{ci('cr4', True)}, top-{c['top_k']} share "
            f"<strong>{100 * c['top_k_share']:.1f}%</strong>{ci('top_k_share', True)} (95% bootstrap intervals).</p>")


def series_charts(series: list[dict]) -> dict:
    """Line charts of the gap and of the top-10 % share per year and group."""
    gap: dict = {}
    quality: dict = {}
    for t in series:
        gap.setdefault(t["group"], []).append((t["year"], t.get("number_over_quality_gap")))
        quality.setdefault(t["group"], []).append((t["year"], t.get("share_top10_cohort")))
    return {"time_gap": lines(gap, "year", "gap (count share − QA share)", "Number-over-quality gap per year",
                              ypct=True, signed=True),
            "time_quality": lines(quality, "year", "share of matched families in the top 10%",
                                  "Quality per year: share in the top 10% of the cohort", ypct=True)}


def series_table(series: list[dict], key: str, label: str) -> str:
    """Group x year table of ``key`` with its interval."""
    rows = [t for t in series if t.get(key) is not None]
    if not rows:
        return ""
    years = sorted({t["year"] for t in rows})
    groups = list(dict.fromkeys(t["group"] for t in series))
    val = {(t["group"], t["year"]): t for t in rows}
    head = f"<th>{escape(label)}</th>" + "".join(f"<th>{y}</th>" for y in years)
    body = ""
    for g in groups:
        cells = ""
        for y in years:
            t = val.get((g, y))
            if t is None:
                cells += "<td>–</td>"
                continue
            ci = t.get(f"{key}_ci")
            cells += (f"<td>{100 * t[key]:.1f}%" + (f"<br><small class='note'>[{100 * ci[0]:.1f}, {100 * ci[1]:.1f}]"
                                                   "</small>" if ci else "") + "</td>")
        body += f"<tr><td>{escape(str(g))}</td>{cells}</tr>"
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
