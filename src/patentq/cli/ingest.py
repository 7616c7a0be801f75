"""``patentq ingest``: read source files into the lake."""

from __future__ import annotations

import click
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..ingest import ingest
from ..sources import ADAPTERS
from ..sources.limits import Limits, parse_size
from .options import echo_json, json_option, lake_option, wait_option


@click.command("ingest")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(list(ADAPTERS)))
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@lake_option
@click.option("--workers", type=click.IntRange(1), default=None, help="Processes for formats that parse in parallel.")
@click.option("--max-expansion", type=float, default=Limits.max_expansion, show_default=True,
              help="Stop (exit 3) when a zip or gzip expands more than this many times its size "
                   "(checked past 64 MB expanded).")
@click.option("--max-expanded-size", default="64GB", show_default=True,
              help="Stop (exit 3) when one compressed input expands beyond this size.")
@click.option("--max-document-size", default="256MB", show_default=True,
              help="Quarantine an XML document larger than this instead of reading it.")
@wait_option
@json_option
def ingest_command(fmt, paths, lake_path, workers, max_expansion, max_expanded_size, max_document_size, wait, as_json):
    """Ingest source files of FORMAT into the lake (created if absent).

    All files of one call are committed together or not at all. Malformed records are
    quarantined with file, line and reason; files already in the lake are skipped.
    """
    limits = Limits(max_expansion=max_expansion, max_expanded=parse_size(max_expanded_size, "--max-expanded-size"),
                    max_document=parse_size(max_document_size, "--max-document-size"))
    console = Console(stderr=True)
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), DownloadColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=as_json) as bar:
        task = bar.add_task(f"ingest {fmt}", total=None)

        def progress(path, done, total):
            bar.update(task, completed=done, total=total, description=f"ingest {fmt}: {path}")

        result = ingest(fmt, paths, lake_path, progress=progress, workers=workers, wait=wait, limits=limits)
    from ..profile import profile
    from ..session import Session

    with Session.open(result.lake.path, wait=wait) as session:  # the capability profile, recorded at ingest
        session.require("lake_profile")
        measures = profile(session)["measures"]
    missing = {m: v["reason"] for m, v in measures.items() if v["status"] == "absent"}
    # files read that held nothing to ingest (an OPS claims or image response): not "ingested"
    empty = [e["file"] for e in result.files if not sum((e.get("rows_written") or {}).values())]
    summary = {
        "lake": str(result.lake.path),
        "format": fmt,
        "files": len(result.files),
        "files_with_rows": len(result.files) - len(empty),
        "files_without_rows": empty,
        "skipped": result.skipped,
        "rows_written": result.rows_written,
        "rejected": result.rejected,
        "refused": result.refused,
        "seconds": round(result.seconds, 3),
        "measures": {m: v["status"] for m, v in measures.items()},
    }
    if as_json:
        echo_json(summary)
        return
    out = Console()
    done = len(result.files) - len(empty)
    title = f"ingested {done} file{'' if done == 1 else 's'} as {fmt} in {result.seconds:.1f}s"
    if empty:
        title += f"; {len(empty)} more read with nothing to ingest (see the notes)"
    table = Table(title=title)
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in sorted(result.rows_written.items()):
        table.add_row(name, f"{rows:,}")
    out.print(table)
    if result.rejected:
        out.print(f"[yellow]{result.rejected:,} record(s) quarantined[/] (see `patentq lake info --lake {result.lake.path}`)")
    for path in result.skipped:
        out.print(f"skipped {path}: already in the lake")
    for refused in result.refused:
        out.print(f"[yellow]refused {refused['file']}[/]: {refused['reason']} (found in a folder; not ingested)",
                  highlight=False)
    for entry in result.files:
        for note in entry.get("notes", []):
            out.print(f"note: {entry['file']}: {note}")
    if missing:
        out.print(f"[yellow]this lake cannot measure[/]: {', '.join(missing)} "
                  f"(`patentq lake profile --lake {result.lake.path}` says why)")


def register(main):
    main.add_command(ingest_command)
