"""``patentq lake``: what a lake holds."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from .options import echo_json, json_option, session_options


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


def register(main):
    main.add_command(lake_group)
