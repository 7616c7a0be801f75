"""``patentq compare`` and ``patentq report``: number vs quality per group, as a table, JSON or report."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from ..compare import Conventions, compare, parse_years
from ..compare_sql import COUNTINGS, GROUPINGS
from .options import echo_json, engine_option, engine_settings, json_option, lake_option


def convention_options(func):
    """The counting conventions, spelled the same for compare and report."""
    opts = [
        click.option("--landscape", default=None, help="Landscape name (landscape_<name> in the lake); default all families."),
        click.option("--by", type=click.Choice(GROUPINGS), default="inventor-country", show_default=True,
                     help="What a group is."),
        click.option("--counting", type=click.Choice(COUNTINGS), default="whole", show_default=True,
                     help="whole: 1 per group; fractional: weights sum to 1 per family."),
        click.option("--years", default="2014-2023", show_default=True, help="Year window FROM-TO, or 'all'."),
        click.option("--year-basis", type=click.Choice(["publication", "priority"]), default="publication",
                     show_default=True, help="First publication year (WIPO default) or earliest priority year."),
        click.option("--unit", type=click.Choice(["simple", "extended"]), default="simple", show_default=True,
                     help="Family unit for the sensitivity table's baseline."),
        click.option("--top", type=int, default=10, show_default=True, help="Groups shown (0 = all)."),
        click.option("--replicates", type=int, default=1000, show_default=True, help="Bootstrap replicates (0 = none)."),
        click.option("--seed", type=int, default=0, show_default=True, help="Bootstrap seed."),
    ]
    for opt in reversed(opts):
        func = opt(func)
    return func


def _conventions(landscape, by, counting, years, year_basis, unit, top, replicates, seed) -> Conventions:
    return Conventions(landscape=landscape, by=by, counting=counting, years=parse_years(years), year_basis=year_basis,
                       unit=unit, top=top or None, replicates=replicates, seed=seed)


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
@lake_option
@convention_options
@click.option("--sensitivity", is_flag=True, help="Also rank under every alternative convention, with Kendall's tau.")
@json_option
@engine_option
def compare_command(lake_path, landscape, by, counting, years, year_basis, unit, top, replicates, seed, sensitivity,
                    as_json, engine, memory_limit, spark_master):
    """Number vs quality per group: families, share and rank next to reach, grant, citations and
    a quality-adjusted count, with bootstrap 95% intervals."""
    conv = _conventions(landscape, by, counting, years, year_basis, unit, top, replicates, seed)
    result = compare(lake_path, conv, sensitivity=sensitivity, extras=False, engine=engine,
                     **engine_settings(engine, memory_limit, spark_master))
    if as_json:
        echo_json(result.to_json())
        return
    print_table(result)


@click.command("report")
@lake_option
@convention_options
@click.option("--out", "out", type=click.Path(dir_okay=False), default="report.html", show_default=True,
              help="The HTML report to write.")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv", "parquet"]), multiple=True,
              help="Also export every table (repeatable).")
@click.option("--no-sensitivity", is_flag=True, help="Skip the sensitivity table.")
@engine_option
def report_command(lake_path, landscape, by, counting, years, year_basis, unit, top, replicates, seed, out, fmt,
                   no_sensitivity, engine, memory_limit, spark_master):
    """Write a self-contained HTML report (inline SVG charts, opens offline) and optional exports."""
    from ..report import export_tables, write_report

    conv = _conventions(landscape, by, counting, years, year_basis, unit, top, replicates, seed)
    console = Console(stderr=True)
    with console.status("comparing"):
        result = compare(lake_path, conv, sensitivity=not no_sensitivity, engine=engine,
                         **engine_settings(engine, memory_limit, spark_master))
    path = write_report(result, out, synthetic=bool(result.conventions.get("synthetic")))
    click.echo(f"report: {path}")
    for f in fmt:
        for written in export_tables(result, out, f):
            click.echo(f"export: {written}")


def register(main):
    main.add_command(compare_command)
    main.add_command(report_command)
