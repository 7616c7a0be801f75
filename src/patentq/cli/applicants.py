"""``patentq applicants``: harmonise applicant names and list the corporate groups."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from .. import harmonize
from ..stages import forget
from .options import StageProgress, echo_json, json_option, session_options


@click.command("applicants")
@session_options
@click.option("--top", type=click.IntRange(0), default=25, show_default=True, help="Show the N largest groups (0: all).")
@click.option("--groups", "group_files", multiple=True, type=click.Path(dir_okay=False, exists=True),
              help="Your own applicant group YAML (repeatable). It is copied into the lake and used by every "
                   f"later harmonisation until --remove-groups; also read from ${harmonize.GROUPS_ENV}.")
@click.option("--remove-groups", "remove", multiple=True, metavar="FILE_NAME",
              help="Stop using a group file recorded with --groups (by its file name).")
@click.option("--rebuild", is_flag=True, help="Harmonise again even if the applicant_groups table is current.")
@click.option("--variants", type=click.IntRange(0), default=5, show_default=True, help="Name variants shown per group.")
@json_option
def applicants_command(session, top, group_files, remove, rebuild, variants, as_json):
    """Harmonise applicant names into corporate groups and list them with their families.

    Names are normalised (legal forms, case, scripts), matched against the curated groups
    (Tencent, Alphabet, Ping An, ...) and your group files, and clustered by spelling. The
    result is the lake's applicant_groups table; every command that needs it rebuilds it when
    the parties or the group files changed.
    """
    lake = session.lake
    if group_files:
        harmonize.record_group_files(lake, group_files)
    if remove:
        harmonize.remove_group_files(lake, remove)
    if rebuild:
        forget(session, "applicant_groups")
    with StageProgress(quiet=as_json) as progress:
        done = session.require("applicant_groups", "families", progress=progress)
    built = any(r["stage"] == "applicants" and r["action"] == "built" for r in done)
    listing = harmonize.group_listing(session, top=top or None)
    meta = lake.derived("applicant_groups")
    if as_json:
        echo_json({"lake": str(lake.path), "names": meta["rows"], "rebuilt": built,
                   "group_files": meta.get("group_files"),
                   "recorded_group_files": harmonize.recorded_group_files(lake), "groups": listing})
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
