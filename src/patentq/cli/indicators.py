"""``patentq indicators``: build families and the family-level quality indicators."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from .options import StageProgress, echo_json, json_option, session_options


@click.command("indicators")
@session_options
@click.option("--landscape", default=None, help="Keep only the families of derived table landscape_NAME "
              "(cohorts are still computed over the whole lake).")
@click.option("--latest-date", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date the citation windows are complete up to (default: the lake's latest publication date).")
@click.option("--hall-correction", is_flag=True, help="Apply Hall's N/(N-1) bias correction to generality and originality.")
@click.option("--pending-years", type=click.IntRange(0, 50), default=5, show_default=True,
              help="A non-granted family filed less than this many years before --latest-date counts as pending.")
@click.option("--context/--no-context", default=True, show_default=True,
              help="Count the lake's citing documents from outside the export (context) as citing families.")
@click.option("--cohort-basis", type=click.Choice(["auto", "population", "lake"]), default="auto", show_default=True,
              help="Cohorts against the population baselines the lake holds (auto: where it holds them) or the "
                   "lake's own families.")
@click.option("--rebuild", is_flag=True, help="Build again even when the tables are current.")
@json_option
def indicators_command(session, landscape, latest_date, hall_correction, pending_years, context, cohort_basis,
                       rebuild, as_json):
    """Build the families table and the family-level quality indicators (docs/indicators.md).

    Families and applicant groups are built first when missing or stale; nothing is rebuilt
    when the lake and the options have not changed since the last build.
    """
    from ..errors import UsageError
    from ..stages import forget

    if latest_date and not 1800 <= latest_date.year <= 2200:
        raise UsageError(f"bad --latest-date {latest_date.date()}: outside 1800-2200", hint="e.g. --latest-date 2024-12-31")
    params = {"landscape": landscape, "latest_date": latest_date.date().isoformat() if latest_date else None,
              "hall_correction": hall_correction, "pending_years": pending_years, "context": context,
              "cohort_basis": cohort_basis}
    if rebuild:
        forget(session, "family_indicators")
    with StageProgress(quiet=as_json) as progress:
        done = session.require("family_indicators", progress=progress, **params)
    meta = session.lake.derived("family_indicators") or {}
    fam = session.lake.derived("families") or {}
    summary = {"families": (fam.get("unknowns") or {}).get("families"), "family_indicators": meta.get("rows"),
               "latest_publication_date": meta.get("latest_publication_date"), "landscape": meta.get("landscape"),
               "unknowns": fam.get("unknowns") or {}, "forward_basis": meta.get("forward_basis"),
               "context_documents": meta.get("context_documents"), "cohort_basis": meta.get("cohort_basis"),
               "stages": [{k: v for k, v in r.items() if k != "summary"} for r in done]}
    if as_json:
        echo_json(summary)
        return
    out = Console()
    built = [r["stage"] for r in summary["stages"] if r["action"] == "built"]
    out.print(f"families: {summary['families']:,}; family_indicators: {summary['family_indicators']:,} rows"
              + (f" (landscape {summary['landscape']})" if summary["landscape"] else "")
              + (f"; built: {', '.join(built)}" if built else "; already current, nothing rebuilt"))
    out.print(f"citation windows complete up to {summary['latest_publication_date']}")
    if summary["forward_basis"] == "world":
        out.print(f"forward citations count {summary['context_documents']:,} citing documents from outside the export")
    population = sorted(m for m, b in (summary["cohort_basis"] or {}).items() if b == "population")
    if population:
        out.print("cohorts against the population baselines for: " + ", ".join(population))
    table = Table(title="what stays unknown (after filling from other family members)")
    table.add_column("item")
    table.add_column("families / publications", justify="right")
    for key, value in summary["unknowns"].items():
        if key not in ("families", "publications"):
            table.add_row(key.replace("_", " "), f"{value:,}")
    out.print(table)


def register(main):
    main.add_command(indicators_command)
