"""``patentq demo``: the whole pipeline on a seeded synthetic GenAI world, on a fresh machine."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ..synthetic.demo.calibration import TOTAL_FAMILIES
from ..synthetic.demo.pipeline import STAGES, run_demo
from .compare import print_table


@click.command("demo")
@click.option("--families", type=int, default=TOTAL_FAMILIES, show_default=True,
              help="GenAI families in the world (calibrated counts scale proportionally; at least 500).")
@click.option("--out", type=click.Path(file_okay=False), default="patentq-demo", show_default=True,
              help="Folder for lake/, patentq.toml and report.html (the lake is replaced).")
@click.option("--seed", type=click.IntRange(0), default=2024, show_default=True, help="World seed: same seed, same world.")
@click.option("--replicates", type=click.IntRange(0), default=1000, show_default=True, help="Bootstrap replicates.")
@click.option("--keep-sources", is_flag=True,
              help="Keep the generated source files in OUT/sources (about 270 MB at the default size); by "
                   "default they are written to a temporary folder and removed once ingested.")
def demo_command(families, out, seed, replicates, keep_sources):
    """Generate a synthetic GenAI patent world calibrated to WIPO's 2024 landscape, write it as
    Google/Lens/Epoch source files (the Google candidate export, its citing documents and the
    population baselines), run them as a project (ingest → landscape → indicators → compare →
    report, the machinery of `patentq run`), and print the comparison, and the quality
    comparison both ways (the export alone vs against the world). Everything it produces is
    marked SYNTHETIC."""
    if families < 500:
        raise click.BadParameter("the demo world needs at least 500 families", param_hint="--families")
    console = Console(stderr=True)
    with Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), TextColumn("{task.fields[detail]}"),
                  TimeElapsedColumn(), console=console, transient=False) as bar:
        task = bar.add_task("demo", total=len(STAGES), detail="")

        def progress(stage, detail=""):
            bar.update(task, description=stage, detail=detail,
                       completed=STAGES.index(stage) if stage in STAGES else None)

        result = run_demo(Path(out), families, seed, progress=progress, replicates=replicates,
                          keep_sources=keep_sources)
        bar.update(task, description="done", detail="", completed=len(STAGES))
    out_console = Console()
    out_console.print("[bold yellow]SYNTHETIC DATA[/] - patentq demo world, not real patents")
    print_table(result.comparison, out_console)
    _print_bias(result.quality_bias, out_console)
    fallbacks = {k: v for k, v in result.stages.items() if v != "ran"}
    for stage, status in fallbacks.items():
        out_console.print(f"[yellow]{stage}: {status}[/]")
    out_console.print("stages: " + ", ".join(f"{k} {v:.1f}s" for k, v in result.seconds.items()))
    out_console.print(f"lake: {result.lake}")
    out_console.print(f"report: {result.report}")
    out_console.print(f"project: {Path(out) / 'patentq.toml'} (rerun with `patentq run`)"
                      + (f"; sources: {result.sources}" if result.sources else
                         "; the generated source files were temporary (--keep-sources keeps them)"))


def _print_bias(rows: list[dict], console) -> None:
    """The comparison both ways: quality on the export alone vs against the world."""
    from rich.table import Table

    if not rows:
        return
    table = Table(title="Quality on the export alone (lake-only) vs against the world (population): the bias")
    for key in rows[0]:
        table.add_column(key, justify="left" if key == "group" else "right")
    for row in rows:
        table.add_row(*("–" if v is None else f"{v:,.0f}" if k == "families" else f"{v:.3f}" if isinstance(v, float)
                        else str(v) for k, v in row.items()))
    console.print(table)


def register(main):
    main.add_command(demo_command)
