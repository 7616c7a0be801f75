"""Report sections beyond the main table: what the data can measure (the lake profile), the
families behind each group (drill-down), concentration and the time series with intervals."""

from __future__ import annotations

import math
from html import escape

from .charts import lines


def _year_columns(years: list[int], window) -> list[tuple[str, set]]:
    """The heatmap's columns: each year of the comparison's window, earlier years folded into one
    "before" column and later ones into "after" (without a window: the last 12 years)."""
    if not years:
        return []
    lo, hi = (window[0], window[1]) if window else (max(min(years), max(years) - 11), max(years))
    cols = []
    early = {y for y in years if y < lo}
    if early:
        cols.append((f"before {lo}", early))
    cols += [(str(y), {y}) for y in years if lo <= y <= hi]
    late = {y for y in years if y > hi}
    if late:
        cols.append((f"after {hi}", late))
    return cols


def capability(profile: dict, window=None) -> str:
    """The lake's office x year coverage as a heatmap (the comparison's ``window`` of years, earlier
    and later ones folded), and each measure's status with its reason."""
    if not profile:
        return "<p class='note'>No lake profile (run <code>patentq lake profile</code>).</p>"
    cells = profile.get("cells") or []
    per_office: dict = {}
    for c in cells:
        per_office[c["office"]] = per_office.get(c["office"], 0) + (c["publications"] or 0)
    offices = sorted(per_office, key=lambda o: -per_office[o])[:15]
    cols = _year_columns(sorted({c["year"] for c in cells if c["office"] in offices}), window)
    value: dict = {}
    for c in cells:
        for name, ys in cols:
            if c["year"] in ys:
                value[(c["office"], name)] = value.get((c["office"], name), 0) + (c["publications"] or 0)
    top = max(value.values(), default=1) or 1
    parts = [f"<p>Publications per office and year (the {len(offices)} largest offices; data end date "
             f"{escape(str(profile.get('end_date') or 'unknown'))}). Darker = more publications (log scale).</p>"]
    if offices and cols:
        head = "<th>office</th>" + "".join(f"<th>{escape(name)}</th>" for name, _ in cols)
        body = ""
        for o in offices:
            row = f"<td>{escape(str(o))}</td>"
            for name, _ in cols:
                n = value.get((o, name), 0)
                shade = 0 if not n else 0.15 + 0.85 * math.log1p(n) / math.log1p(top)
                colour = f"rgba(31,119,180,{shade:.2f})"
                ink = "#fff" if shade > 0.6 else "#222"
                row += (f"<td style='background:{colour};color:{ink}' title='{escape(str(o))} {escape(name)}: "
                        f"{n:,}'>{n:,}</td>")
            body += f"<tr>{row}</tr>"
        parts.append(f"<div class='scroll'><table class='heat'><thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
                     "</table></div>")
    measures = profile.get("measures") or {}
    if measures:
        rows = "".join(f"<tr><td>{escape(m)}</td><td class='status-{escape(v['status'].split()[0])}'>"
                       f"{escape(v['status'])}</td><td style='text-align:left'>{escape(v.get('reason') or '')}</td></tr>"
                       for m, v in measures.items())
        parts.append("<p>Each measure's status on this lake: computed from the data, reported by the source, a "
                     "lower bound, or absent (then left empty everywhere, never estimated from nothing).</p>"
                     f"<table><thead><tr><th>measure</th><th>status</th><th class='title'>why</th></tr></thead>"
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


def known_title(f: dict) -> str:
    """The family's title, or '' when the data give none: some exports put the publication number
    where the title should be (Lens: "CN 103225552 B" for a CN document without an English title)."""
    title = (f.get("title") or "").strip()
    squash = lambda s: "".join(ch for ch in str(s or "").upper() if ch.isalnum())  # noqa: E731
    number = squash(f.get("publication_number"))
    if title and number and (squash(title) == number or number.startswith(squash(title))):
        return ""
    return title


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
            body += (f"<tr><td>{f['position']}</td><td>{number}</td><td class='title'>"
                     f"{escape(known_title(f)[:90])}</td><td>{f.get('year') or '–'}</td>"
                     f"<td>{_num(f.get(measure))}</td><td>{_num(f.get('top10_cohort'))}</td>"
                     f"<td>{escape(', '.join(f.get('offices') or []))}</td></tr>")
        out.append(f"<details><summary>{escape(str(group))} ({len(rows)} families)</summary><div class='scroll'>"
                   f"<table class='drill'><thead><tr><th>#</th><th>publication</th><th class='title'>title</th>"
                   f"<th>year</th><th>{escape(measure)}</th><th>top 10%</th><th>offices</th></tr></thead>"
                   f"<tbody>{body}</tbody></table></div></details>")
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


def series_charts(series: list[dict], truncated=()) -> dict:
    """Line charts of the gap and of the top-10 % share per year and group (``truncated`` years shaded)."""
    gap: dict = {}
    quality: dict = {}
    for t in series:
        gap.setdefault(t["group"], []).append((t["year"], t.get("number_over_quality_gap")))
        quality.setdefault(t["group"], []).append((t["year"], t.get("share_top10_cohort")))
    return {"time_gap": lines(gap, "year", "gap (count share − QA share)", "Number-over-quality gap per year",
                              ypct=True, signed=True, truncated=truncated),
            "time_quality": lines(quality, "year", "share of matched families in the top 10%",
                                  "Quality per year: share in the top 10% of the cohort", ypct=True,
                                  truncated=truncated)}


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


def no_quality_reason(conv: dict) -> str:
    """Why there is no quality-adjusted comparison, from the measure status the lake profile gives
    (compare's ``measures``), not a fixed sentence."""
    m = (conv.get("measures") or {}).get("share_top10_cohort") or {}
    if m.get("status") == "absent":
        return (f"No quality-adjusted comparison: the cohort measures (top 10% by 5-year forward citations) are "
                f"not measurable on this lake: {m.get('reason') or 'their inputs are not in the data'}. "
                "The charts set count against reach instead.")
    end = conv.get("data_end_date")
    return ("No family has a complete 5-year citation window" + (f" by the data end date {end}" if end else "")
            + ": no quality-adjusted comparison; the charts set count against reach instead.")


#: how each source format's family id is made (``sources``), when the source gives no DOCDB id
STAND_IN = {
    "lens": "Lens exports carry no family id: patentq's stand-in ~lens:<sorted priority numbers> groups the "
            "documents sharing the same priority numbers (the DOCDB simple-family rule, over the rows the export holds)",
    "uspto-xml": "USPTO full text carries no family id: patentq's stand-in ~us-app:<application number> is one US "
                 "application and its publications",
    "uspto-json": "the USPTO family identifier where given, else patentq's stand-in ~us-app:<application number>",
    "patentsview": "PatentsView carries no family id: patentq's stand-in ~us-app:<application number> is one US "
                   "application and its publications",
}


def family_definition(conv: dict) -> str:
    """What a family is in this report, per source of the lake (its manifest's input formats and
    each adapter's declared provision of DOCDB family ids)."""
    import json
    from pathlib import Path

    from ..capabilities import adapter_provides

    formats: list[str] = []
    try:
        manifest = json.loads((Path(conv.get("lake") or "") / "manifest.json").read_text())
        formats = list(dict.fromkeys(i["format"] for i in manifest.get("inputs", []) if i.get("format")))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    formats = [f for f in formats if f not in ("epoch", "google-citing", "google-baselines")]
    if not formats:
        return "Family definition: the DOCDB simple family id the source gives."
    parts = []
    for f in formats:
        if f in STAND_IN:
            parts.append(f"{f}: {STAND_IN[f]}")
        elif adapter_provides(f).get("family_id") == "yes":
            parts.append(f"{f}: the DOCDB simple family id the source gives")
        else:
            parts.append(f"{f}: the family id the source gives")
    text = "Family definition by source: " + "; ".join(parts) + "."
    if any(f in STAND_IN for f in formats):
        text += " A stand-in id is replaced by a DOCDB id when another source in the lake gives one for the same publication."
    return text
