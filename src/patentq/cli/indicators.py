"""``patentq indicators`` (write families + family_indicators) and ``patentq family`` (show one)."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from ..engines import get_engine
from ..lake import Lake
from .options import echo_json, engine_option, engine_settings, json_option, lake_option


@click.command("indicators")
@lake_option
@click.option("--landscape", default=None, help="Keep only the families of derived table landscape_NAME "
              "(cohorts are still computed over the whole lake).")
@click.option("--latest-date", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date the citation windows are complete up to (default: the lake's latest publication date).")
@click.option("--hall-correction", is_flag=True, help="Apply Hall's N/(N-1) bias correction to generality and originality.")
@click.option("--pending-years", type=int, default=5, show_default=True,
              help="A non-granted family filed less than this many years before --latest-date counts as pending.")
@engine_option
@json_option
def indicators_command(lake_path, landscape, latest_date, hall_correction, pending_years, engine, memory_limit,
                       spark_master, as_json):
    """Build the families table and the family-level quality indicators (docs/indicators.md)."""
    from .. import indicators

    eng = get_engine(engine, Lake.open(lake_path), **engine_settings(engine, memory_limit, spark_master))
    console = Console(stderr=True)
    with console.status("indicators", spinner="dots") as status:
        summary = indicators.run(eng, landscape=landscape, latest_date=latest_date.date() if latest_date else None,
                                 hall_correction=hall_correction, pending_years=pending_years,
                                 progress=lambda step: status.update(f"indicators: {step}"))
    if as_json:
        echo_json(summary)
        return
    out = Console()
    out.print(f"families: {summary['families']:,}; family_indicators: {summary['family_indicators']:,} rows"
              + (f" (landscape {landscape})" if landscape else ""))
    out.print(f"citation windows complete up to {summary['latest_publication_date']}")
    table = Table(title="what stays unknown (after filling from other family members)")
    table.add_column("item")
    table.add_column("families / publications", justify="right")
    for key, value in summary["unknowns"].items():
        if key not in ("families", "publications"):
            table.add_row(key.replace("_", " "), f"{value:,}")
    out.print(table)


MEMBER_COLUMNS = ("publication_number", "country_code", "kind_code", "publication_date", "is_grant", "claims_count")


@click.command("family")
@click.argument("number", metavar="PUBLICATION_NUMBER")
@lake_option
@engine_option
@json_option
def family_command(number, lake_path, engine, memory_limit, spark_master, as_json):
    """Print the family of PUBLICATION_NUMBER: members, every indicator, its cohort, applicant groups."""
    from ..indicators.lookup import family_report

    eng = get_engine(engine, Lake.open(lake_path), **engine_settings(engine, memory_limit, spark_master))
    report = family_report(eng, number)
    if as_json:
        echo_json(report)
        return
    out = Console()
    out.print(f"[bold]family {report['family_id']}[/] ({report['members']} members, offices {', '.join(report['offices'])})")
    members = Table(title="members")
    for col in MEMBER_COLUMNS:
        members.add_column(col)
    for m in report["members_list"]:
        members.add_row(*["" if m[c] is None else str(m[c]) for c in MEMBER_COLUMNS])
    out.print(members)
    values = Table(title="indicators")
    values.add_column("indicator")
    values.add_column("value")
    skip = {"members_list", "applicant_groups", "attribution", "cohort"}
    for key, value in report.items():
        if key not in skip:
            values.add_row(key, "" if value is None else str(value))
    out.print(values)
    groups = ", ".join(g["group_name"] for g in report["applicant_groups"]) or "(none in the lake)"
    out.print(f"applicant groups: {groups}")
    if report["attribution"]:
        for by, rows in report["attribution"].items():
            out.print(f"attribution by {by}: {rows}")


def register(main):
    main.add_command(indicators_command)
    main.add_command(family_command)
