"""``patentq compare``: number vs quality per group, as a table or JSON."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from ..compare import compare, require_tables
from ..compare.conventions import click_options, from_cli
from .options import StageProgress, echo_json, json_option, session_options


def _pct(v):
    return "–" if v is None else f"{100 * v:.1f}%"


def _num(v, digits=2):
    return "–" if v is None else f"{v:,.{digits}f}"


def print_table(result, console: Console | None = None) -> None:
    console = console or Console()
    conv = result.conventions
    title = (f"{conv.get('landscape') or 'all families'} by {conv['by']} ({conv['counting']}, {conv['year_basis']} "
             f"years {conv['years'] and '-'.join(map(str, conv['years'])) or 'all'})")
    t = Table(title=f"number vs quality: {title}")
    q = Table(title="quality indicators (outside = a member at an office other than the group's own and WO; 95% bootstrap intervals: --json)")
    for col in ("group", "families", "share", "rank", "top-10% fam", "QA rank", "shift", "gap pp"):
        t.add_column(col, justify="left" if col == "group" else "right")
    outside = any(r.get("share_outside_group_office") is not None for r in result.rows)
    for col in ("group", "abroad") + (("outside",) if outside else ()) + ("IP5", "triadic", "grant", "cits rel",
                                                                          "top10%", "QI4"):
        q.add_column(col, justify="left" if col == "group" else "right")
    for r in result.rows:
        gap, shift = r.get("number_over_quality_gap"), r.get("rank_shift")
        t.add_row(str(r["group"]), f"{r['families']:,.0f}", _pct(r["share"]), str(r["rank"]),
                  _num(r.get("quality_adjusted_families"), 0), str(r.get("quality_adjusted_rank") or "–"),
                  "–" if shift is None else (f"{shift:+d}" if shift else "0"),
                  "–" if gap is None else f"{100 * gap:+.1f}")
        q.add_row(str(r["group"]), _pct(r.get("share_filed_abroad")),
                  *((_pct(r.get("share_outside_group_office")),) if outside else ()), _pct(r.get("share_ip5")),
                  _pct(r.get("share_triadic")), _pct(r.get("grant_rate")), _num(r.get("mean_fwd_cits_5_rel")),
                  _pct(r.get("share_top10_cohort")), _num(r.get("mean_quality_index_4")))
    console.print(t)
    console.print(q)
    for note in result.notes:
        console.print(f"[dim]note: {note}[/]")
    if result.sensitivity:
        s = Table(title="sensitivity: rank under each convention")
        s.add_column("group")
        for v in result.sensitivity["variants"]:
            s.add_column(v["variant"].replace("-", " ").replace(" counting", ""), justify="right")
        for g in result.sensitivity["groups"]:
            s.add_row(str(g), *[str((v.get("ranks") or {}).get(g) or "–") for v in result.sensitivity["variants"]])
        s.add_row("Kendall tau", *[f"{v['kendall_tau']:.2f}" if v.get("kendall_tau") is not None else "–"
                                   for v in result.sensitivity["variants"]])
        console.print(s)


@click.command("compare")
@session_options
@click_options
@click.option("--sensitivity", is_flag=True, help="Also rank under every alternative convention, with Kendall's tau.")
@json_option
def compare_command(session, sensitivity, as_json, **conventions):
    """Number vs quality per group: families, share and rank next to reach, grant, citations and
    a quality-adjusted count, with bootstrap 95% intervals.

    Families, the landscape, applicant groups and indicators are built first when missing or
    stale (see --no-build)."""
    conv = from_cli(conventions)
    with StageProgress(quiet=as_json) as progress:
        require_tables(session, conv, progress=progress)
        progress("comparing")
        result = compare(session, conv, sensitivity=sensitivity, extras=False)
    if as_json:
        echo_json(result.to_json())
        return
    print_table(result)


def register(main):
    main.add_command(compare_command)
