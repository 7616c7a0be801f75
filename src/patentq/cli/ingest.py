"""``patentq ingest`` and ``patentq lake info``."""

from __future__ import annotations

import click
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..ingest import ingest
from ..lake import Lake
from ..sources import ADAPTERS
from .options import echo_json, json_option, lake_option


@click.command("ingest")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(list(ADAPTERS)))
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@lake_option
@click.option("--workers", type=int, default=None, help="Processes for formats that parse in parallel.")
@json_option
def ingest_command(fmt, paths, lake_path, workers, as_json):
    """Ingest source files of FORMAT into the lake (created if absent).

    All files of one call are committed together or not at all. Malformed records are
    quarantined with file, line and reason; files already in the lake are skipped.
    """
    console = Console(stderr=True)
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), DownloadColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=as_json) as bar:
        task = bar.add_task(f"ingest {fmt}", total=None)

        def progress(path, done, total):
            bar.update(task, completed=done, total=total, description=f"ingest {fmt}: {path}")

        result = ingest(fmt, paths, lake_path, progress=progress, workers=workers)
    summary = {
        "lake": str(result.lake.path),
        "format": fmt,
        "files": len(result.files),
        "skipped": result.skipped,
        "rows_written": result.rows_written,
        "rejected": result.rejected,
        "seconds": round(result.seconds, 3),
    }
    if as_json:
        echo_json(summary)
        return
    out = Console()
    table = Table(title=f"ingested {len(result.files)} file(s) as {fmt} in {result.seconds:.1f}s")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in sorted(result.rows_written.items()):
        table.add_row(name, f"{rows:,}")
    out.print(table)
    if result.rejected:
        out.print(f"[yellow]{result.rejected:,} record(s) quarantined[/] (see `patentq lake info --lake {result.lake.path}`)")
    for path in result.skipped:
        out.print(f"skipped {path}: already in the lake")
    for entry in result.files:
        for note in entry.get("notes", []):
            out.print(f"note: {entry['file']}: {note}")


@click.group("lake")
def lake_group():
    """Inspect a lake."""


@lake_group.command("info")
@lake_option
@json_option
def lake_info(lake_path, as_json):
    """Rows per table, families, inputs and rejects."""
    info = Lake.open(lake_path).info()
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
    main.add_command(ingest_command)
    main.add_command(lake_group)
