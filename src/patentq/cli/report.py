"""``patentq report``: the comparison as one self-contained HTML report, and exports."""

from __future__ import annotations

import click

from ..compare import compare
from ..compare.conventions import click_options, from_cli
from .options import StageProgress, session_options


@click.command("report")
@session_options
@click_options
@click.option("--out", "out", type=click.Path(dir_okay=False), default="report.html", show_default=True,
              help="The HTML report to write.")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv", "parquet"]), multiple=True,
              help="Also export every table (repeatable).")
@click.option("--no-sensitivity", is_flag=True, help="Skip the sensitivity table.")
def report_command(session, out, fmt, no_sensitivity, **conventions):
    """Write a self-contained HTML report (inline SVG charts, opens offline) and optional exports."""
    from ..compare import require_tables
    from ..report import export_tables, write_report

    conv = from_cli(conventions)
    with StageProgress() as progress:
        require_tables(session, conv, progress=progress)
        progress("comparing")
        result = compare(session, conv, sensitivity=not no_sensitivity)
    path = write_report(result, out)
    click.echo(f"report: {path}")
    for f in fmt:
        for written in export_tables(result, out, f):
            click.echo(f"export: {written}")


def register(main):
    main.add_command(report_command)
