"""``patentq run PROJECT.toml`` and ``patentq init``: a whole analysis from one project file."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from ..errors import UsageError
from .options import StageProgress, echo_json, engine_options, engine_settings, json_option, wait_option

DEFAULT_PROJECT = "patentq.toml"


@click.command("run")
@click.argument("project_file", required=False, default=DEFAULT_PROJECT, type=click.Path(dir_okay=False))
@engine_options
@wait_option
@json_option
def run_command(project_file, engine, memory_limit, threads, temp_directory, spark_master, wait, as_json):
    """Bring the project's lake up to date (ingest, landscapes, families, applicant groups,
    indicators) and write its report and exports, redoing only what changed.

    PROJECT_FILE defaults to ./patentq.toml; `patentq init` writes a commented example."""
    from ..project import load, run

    project = load(project_file)
    settings = engine_settings(engine, memory_limit, threads, temp_directory, spark_master)
    with StageProgress(quiet=as_json) as progress:
        result = run(project, progress=progress, session_settings=settings, engine=engine, wait=wait)
    if as_json:
        echo_json({"project": str(project_file), "lake": str(project.lake), "changed": result.changed,
                   "steps": result.steps})
        return
    out = Console()
    table = Table(title=f"patentq run {project_file} (lake {project.lake})")
    for col in ("step", "action", "detail"):
        table.add_column(col)
    for step in result.steps:
        colour = {"built": "green", "written": "green", "ingested": "green", "recorded": "green"}.get(step["action"])
        table.add_row(step["step"], f"[{colour}]{step['action']}[/]" if colour else step["action"], step["detail"])
    out.print(table)
    if not result.changed:
        out.print("nothing to do: the lake and the outputs are up to date")


@click.command("init")
@click.argument("project_file", required=False, default=DEFAULT_PROJECT, type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init_command(project_file, force):
    """Write a commented example project file (default ./patentq.toml) to edit and `patentq run`."""
    from ..project import EXAMPLE

    path = Path(project_file)
    if path.exists() and not force:
        raise UsageError(f"{path} exists", hint="edit it, choose another name, or pass --force")
    path.write_text(EXAMPLE, encoding="utf-8")
    click.echo(f"wrote {path}: edit its [[sources]], then `patentq run {path}`")


def register(main):
    main.add_command(run_command)
    main.add_command(init_command)
