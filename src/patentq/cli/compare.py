"""``patentq compare``: number vs quality per group, as a table or JSON; ``--families GROUP``
lists a group's families sorted by the active quality measure."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from ..compare import compare, families_of, require_tables
from ..compare.conventions import click_options, from_cli
from ..compare.drill import SORT_MEASURES
from .options import StageProgress, echo_json, json_option, session_options


def _pct(v):
    return "–" if v is None else f"{100 * v:.1f}%"


def _num(v, digits=2):
    return "–" if v is None else f"{v:,.{digits}f}"


def _ci(row, key, kind, show):
    """`` [lo, hi]`` after a value when ``--ci`` is on (formatted as the report formats them)."""
    from ..report.html import fmt

    ci = row.get(f"{key}_ci")
    if not show or not ci:
        return ""
    return f" [{fmt(ci[0], kind)}, {fmt(ci[1], kind)}]"


def _rank(v):
    return "–" if v is None else str(v)


def _shift(v):
    return "–" if v is None else (f"{v:+d}" if v else "0")


def years_text(conv: dict) -> str:
    """The window as asked and the data's actual range in it: ``2014-2023 (data 2014-2021, to
    2021-01-21)``, ``all (data 1983-2020, to 2020-08-13)``."""
    asked = "-".join(map(str, conv["years"])) if conv.get("years") else "all"
    have = conv.get("data_years")
    parts = [f"data {have[0]}-{have[1]}" if have and have[0] != have[1] else f"data {have[0]}" if have else None,
             f"to {conv['data_end_date']}" if conv.get("data_end_date") else None]
    parts = [p for p in parts if p]
    return asked + (f" ({', '.join(parts)})" if parts else "")


def print_table(result, console: Console | None = None, ci: bool = False) -> None:
    console = console or Console()
    conv = result.conventions
    matched = conv.get("window", "matched") == "matched"
    title = (f"{conv.get('landscape') or 'all families'} by {conv['by']} ({conv['counting']}, {conv['year_basis']} "
             f"years {years_text(conv)}, window {conv.get('window')})")
    t = Table(title=f"number vs quality: {title}",
              caption="95% intervals in brackets (--ci); greyed rows are unranked (--min-families, --unknown)"
              if ci else "add --ci for 95% intervals; greyed rows are unranked (--min-families, --unknown)")
    count_head = "matched share" if matched else "share"
    for col in ("group", "families", "share", "rank", count_head if matched else None, "top-10% fam", "QA share",
                "QA rank", "shift", "gap pp", "RTA"):
        if col:
            t.add_column(col, justify="left" if col == "group" else "right")
    q = Table(title="quality indicators (outside = a member at an office other than the group's own and WO; "
                    "reach shares count families whole)")
    outside = any(r.get("share_outside_group_office") is not None for r in result.rows)
    # the lifetime count and claims: shown when the lake has them (Lens has no other citation measure)
    totals = any(r.get("mean_fwd_cits_total") is not None for r in result.rows)
    claims = any(r.get("mean_claims") is not None for r in result.rows)
    for col in (("group", "abroad") + (("outside",) if outside else ()) + ("IP5", "triadic", "grant", "cits rel")
                + (("cits total",) if totals else ()) + ("top10%", "top1%", "QI4") + (("claims",) if claims else ())):
        q.add_column(col, justify="left" if col == "group" else "right")
    for r in result.rows:
        style = None if r.get("ranked", True) else "dim"
        cells = [str(r["group"]), f"{r['families']:,.0f}", _pct(r["share"]) + _ci(r, "share", "p", ci),
                 _rank(r["rank"]) + _ci(r, "rank", "r", ci)]
        if matched:
            cells.append(_pct(r.get("share_matched")) + _ci(r, "share_matched", "p", ci))
        qa_share_ci = {"quality_adjusted_share_ci": r.get("qa_share_ci")}
        cells += [_num(r.get("quality_adjusted_families"), 0),
                  _pct(r.get("quality_adjusted_share")) + _ci(qa_share_ci, "quality_adjusted_share", "p", ci),
                  _rank(r.get("quality_adjusted_rank")) + _ci(r, "quality_adjusted_rank", "r", ci),
                  _shift(r.get("rank_shift")) + _ci(r, "rank_shift", "r", ci),
                  ("–" if r.get("number_over_quality_gap") is None else f"{100 * r['number_over_quality_gap']:+.1f}")
                  + _ci(r, "number_over_quality_gap", "pp", ci),
                  _num(r.get("rta")) + _ci(r, "rta", "f", ci)]
        t.add_row(*cells, style=style)
        q.add_row(str(r["group"]), _pct(r.get("share_filed_abroad")) + _ci(r, "share_filed_abroad", "p", ci),
                  *((_pct(r.get("share_outside_group_office")),) if outside else ()), _pct(r.get("share_ip5")),
                  _pct(r.get("share_triadic")), _pct(r.get("grant_rate")) + _ci(r, "grant_rate", "p", ci),
                  _num(r.get("mean_fwd_cits_5_rel")) + _ci(r, "mean_fwd_cits_5_rel", "f", ci),
                  *((_num(r.get("mean_fwd_cits_total"), 1) + _ci(r, "mean_fwd_cits_total", "f", ci),) if totals else ()),
                  _pct(r.get("share_top10_cohort")) + _ci(r, "share_top10_cohort", "p", ci),
                  _pct(r.get("share_top1_cohort")), _num(r.get("mean_quality_index_4")),
                  *((_num(r.get("mean_claims"), 1) + _ci(r, "mean_claims", "f", ci),) if claims else ()), style=style)
    console.print(t)
    console.print(q)
    c = result.concentration or {}
    if c.get("hhi") is not None:
        console.print(f"concentration ({c['groups']} known groups, fractional counts, UNKNOWN excluded): "
                      f"HHI {c['hhi']:.3f}{_ci(c, 'hhi', 'f', ci)}, CR4 {_pct(c['cr4'])}{_ci(c, 'cr4', 'p', ci)}, "
                      f"top-{c['top_k']} {_pct(c['top_k_share'])}{_ci(c, 'top_k_share', 'p', ci)}")
    elif c:
        console.print(f"concentration: HHI –, CR4 – ({c.get('reason') or 'no known group'})")
    for note in result.notes:
        console.print(f"[dim]note: {note}[/]")
    if result.sensitivity:
        variants = result.sensitivity["variants"]
        for title, shown in (("sensitivity: rank under each convention", [v for v in variants if "quality" not in v]),
                             ("sensitivity: rank by quality-adjusted families under each --quality basis",
                              [v for v in variants if "quality" in v])):
            if not shown:
                continue
            s = Table(title=title)
            s.add_column("group")
            for v in shown:
                s.add_column(v["variant"].replace("-", " ").replace(" counting", ""), justify="right")
            for g in result.sensitivity["groups"]:
                s.add_row(str(g), *[str((v.get("ranks") or {}).get(g) or "–") if v.get("available", True) else "n/m"
                                    for v in shown])
            s.add_row("Kendall tau", *[f"{v['kendall_tau']:.2f}" if v.get("kendall_tau") is not None else
                                       "n/m" if not v.get("available", True) else "–" for v in shown])
            missing = [v for v in shown if not v.get("available", True)]
            if missing:
                why: dict = {}
                for v in missing:
                    why.setdefault(v.get("note") or "not measurable", []).append(v["variant"])
                s.caption = "n/m = " + "; ".join(f"{', '.join(names)}: {note}" for note, names in why.items())
            s.caption = ((s.caption + ". ") if s.caption else "") + ("– = unranked (UNKNOWN, or fewer than "
                                                                       "--min-families families), as in the main table")
            console.print(s)
        gaps = result.sensitivity.get("gap_by_window") or {}
        if gaps:
            g = Table(title="gap (pp) under --window matched and all")
            for col in ("group", "matched", "all"):
                g.add_column(col, justify="left" if col == "group" else "right")
            for group, v in gaps.items():
                g.add_row(group, *["–" if v[k] is None else f"{100 * v[k]:+.1f}" for k in ("matched", "all")])
            console.print(g)


def print_families(listing: dict, console: Console | None = None) -> None:
    console = console or Console()
    t = Table(title=f"families of {listing['group']} sorted by {listing['sorted_by']}",
              caption=f"sorted by {listing.get('sorted_by_why') or listing['sorted_by']}")
    for col in ("#", "publication", "year", "title", listing["sorted_by"], "top10%", "offices", "link"):
        t.add_column(col, justify="right" if col in ("#", "year", listing["sorted_by"]) else "left")
    for f in listing["families"]:
        value = f.get(listing["sorted_by"])
        t.add_row(str(f["position"]), str(f["publication_number"] or f["family_id"]), str(f["year"] or "–"),
                  (f["title"] or "")[:60], "–" if value is None else f"{value:,.2f}",
                  {True: "yes", False: "no"}.get(f.get("top10_cohort"), "–"), ", ".join(f.get("offices") or []),
                  (f.get("links") or {}).get("espacenet", "– (synthetic)"))
    console.print(t)


@click.command("compare")
@session_options
@click_options
@click.option("--sensitivity", is_flag=True, help="Also rank under every alternative convention, with Kendall's tau.")
@click.option("--ci", is_flag=True, help="Print 95% intervals in the table.")
@click.option("--families", "families_group", metavar="GROUP", default=None,
              help="List GROUP's families sorted by the active quality measure instead of the table.")
@click.option("--sort-by", type=click.Choice(list(SORT_MEASURES)), default=None,
              help="With --families: the measure to sort by (default: the first the lake can compute).")
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True,
              help="With --families: how many families.")
@json_option
def compare_command(session, sensitivity, ci, families_group, sort_by, limit, as_json, **conventions):
    """Number vs quality per group: families, share and rank next to reach, grant, citations and
    a quality-adjusted count over matched families, with 95% intervals (bootstrap, Wilson for
    proportions).

    Families, the landscape, applicant groups and indicators are built first when missing or
    stale (see --no-build)."""
    conv = from_cli(conventions)
    with StageProgress(quiet=as_json) as progress:
        require_tables(session, conv, progress=progress)
        progress("comparing")
        if families_group is not None:
            listing = families_of(session, conv, families_group, sort_by, limit)
        else:
            result = compare(session, conv, sensitivity=sensitivity, extras=False)
    if families_group is not None:
        if as_json:
            echo_json(listing)
        else:
            print_families(listing)
        return
    if as_json:
        echo_json(result.to_json())
        return
    print_table(result, ci=ci)


def register(main):
    main.add_command(compare_command)
