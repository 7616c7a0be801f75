"""``patentq lake``: what a lake holds."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from .options import StageProgress, echo_json, json_option, session_options


@click.group("lake")
def lake_group():
    """Inspect a lake."""


@lake_group.command("info")
@session_options
@json_option
def lake_info(session, as_json):
    """Rows per table, families, inputs and rejects."""
    info = session.info()
    if as_json:
        echo_json(info)
        return
    out = Console()
    out.print(f"lake {info['lake']} (schema v{info['schema_version']}, patentq {info['patentq_version']})")
    table = Table()
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in info["tables"].items():
        table.add_row(name, f"{rows:,}")
    table.add_row("[bold]families", f"{info['families']:,}")
    out.print(table)
    inputs = Table(title="inputs")
    for col in ("file", "format", "rows", "rejected"):
        inputs.add_column(col)
    for entry in info["inputs"]:
        inputs.add_row(entry["file"], entry["format"], f"{entry['rows']:,}", f"{entry['rejected']:,}")
    out.print(inputs)
    if info["derived"]:
        out.print("derived: " + ", ".join(f"{k} ({v.get('rows', '?'):,} rows)" for k, v in info["derived"].items()))


@lake_group.command("profile")
@session_options
@json_option
def lake_profile(session, as_json):
    """What the lake's data holds (coverage of every field, per office and year) and so which
    measures it can compute, report, bound from below, or not at all."""
    from ..profile import profile

    with StageProgress(quiet=as_json) as progress:
        session.require("lake_profile", progress=progress)
    data = profile(session)
    if as_json:
        echo_json(data)
        return
    out = Console()
    years = "-".join(map(str, data["years"])) if data["years"] else "no years"
    out.print(f"lake {data['lake']}: {data['publications']:,} publications, {years}, "
              f"data ends {data['end_date'] or 'unknown'}")
    fields = Table(title="coverage (share of publications carrying each field; grant_date: share of grants)")
    for col in ("field", "with it", "share", "what"):
        fields.add_column(col, justify="right" if col in ("with it", "share") else "left")
    for name, cov in data["fields"].items():
        share = cov["share"] or 0
        colour = "green" if share >= 0.5 else "yellow" if share > 0 else "red"
        of = "" if cov.get("base", "publications") == "publications" else f" of {cov['publications']:,} {cov['base']}"
        fields.add_row(name, f"{cov['present']:,}", f"[{colour}]{100 * share:.1f}%[/]{of}", cov["about"])
    out.print(fields)
    measures = Table(title="what this data can measure")
    for col in ("measure", "status", "why"):
        measures.add_column(col)
    for name, m in data["measures"].items():
        colour = {"computed": "green", "reported": "cyan", "lower bound": "yellow", "absent": "red"}[m["status"]]
        measures.add_row(name, f"[{colour}]{m['status']}[/]", m["reason"])
    out.print(measures)
    by = Table(title="by office and year (publications; share with inventor country / CPC or IPC / citations)")
    for col in ("office", "year", "publications", "inventor country", "CPC/IPC", "citation lists"):
        by.add_column(col, justify="left" if col == "office" else "right")
    for r in data["by_office_year"][:60]:
        n = r["publications"] or 1
        by.add_row(str(r["office"]), str(r["year"]), f"{r['publications']:,}", f"{100 * r['inventor_country'] / n:.0f}%",
                   f"{100 * max(r['cpc'], r['ipc']) / n:.0f}%", f"{100 * r['citation_list'] / n:.0f}%")
    out.print(by)
    if len(data["by_office_year"]) > 60:
        out.print(f"(first 60 of {len(data['by_office_year'])} office-years; --json has all)")


@lake_group.command("upgrade")
@session_options
def lake_upgrade(session):
    """Record the current schema version in an older lake (v1 → v2 adds tables only; nothing is
    rewritten). v1 lakes are read as they are without it."""
    before, after = session.lake.upgrade()
    click.echo(f"lake {session.lake.path}: schema v{before} → v{after}" if before != after
               else f"lake {session.lake.path} is already schema v{after}")


def register(main):
    main.add_command(lake_group)
