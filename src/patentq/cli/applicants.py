"""``patentq applicants``: harmonise applicant names and list the corporate groups."""

from __future__ import annotations

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .. import harmonize
from ..engines import get_engine
from ..lake import Lake
from .options import echo_json, engine_option, engine_settings, json_option, lake_option


@click.command("applicants")
@lake_option
@click.option("--top", type=int, default=25, show_default=True, help="Show the N largest groups (0: all).")
@click.option("--groups", "group_files", multiple=True, type=click.Path(dir_okay=False),
              help=f"Your own applicant group YAML (repeatable); also read from ${harmonize.GROUPS_ENV}.")
@click.option("--rebuild", is_flag=True, help="Harmonise again even if the applicant_groups table is current.")
@click.option("--variants", type=int, default=5, show_default=True, help="Name variants shown per group.")
@engine_option
@json_option
def applicants_command(lake_path, top, group_files, rebuild, variants, engine, memory_limit, spark_master, as_json):
    """Harmonise applicant names into corporate groups and list them with their families.

    Names are normalised (legal forms, case, scripts), matched against the curated groups
    (Tencent, Alphabet, Ping An, ...) and your --groups files, and clustered by spelling. The
    result is the lake's applicant_groups table; it is rebuilt when the parties or the group
    files changed.
    """
    lake = Lake.open(lake_path)
    eng = get_engine(engine, lake, **engine_settings(engine, memory_limit, spark_master))
    built = None
    if rebuild or not harmonize.is_current(lake, group_files):
        with Progress(TextColumn("[bold]harmonise applicants"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=Console(stderr=True), transient=True, disable=as_json) as bar:
            task = bar.add_task("blocks", total=None)
            built = harmonize.harmonize_lake(
                eng, group_files, progress=lambda done, total: bar.update(task, completed=done, total=total))
    listing = harmonize.group_listing(eng, top=top or None)
    meta = lake.manifest["derived"]["applicant_groups"]
    if as_json:
        echo_json({"lake": str(lake.path), "names": meta["rows"], "rebuilt": built is not None,
                   "group_files": meta.get("group_files"), "groups": listing})
        return
    out = Console()
    if not meta["rows"]:
        out.print(f"no applicant names in {lake.path}: its sources carry none (e.g. CSET); "
                  "ingest a source with applicants (Lens, USPTO, EPO OPS, PATSTAT)")
        return
    table = Table(title=f"applicant groups in {lake.path} ({meta['rows']:,} names"
                        + (", rebuilt)" if built else ")"))
    table.add_column("group")
    table.add_column("families", justify="right")
    table.add_column("source")
    table.add_column("name variants (families)")
    for group in listing:
        shown = group["variants"][:variants]
        more = len(group["variants"]) - len(shown)
        names = "; ".join(f"{v['name']} ({v['families']:,})" for v in shown) + (f"; +{more} more" if more else "")
        table.add_row(group["group"], f"{group['families']:,}", group["source"] or "", names)
    out.print(table)


def register(main):
    main.add_command(applicants_command)
