"""``patentq synth``: generate a large canonical lake for scale tests and benchmarks."""

from __future__ import annotations

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..synthetic import scale as synth
from .options import echo_json, json_option


@click.command("synth")
@click.option("--families", type=click.IntRange(1), required=True, help="Number of patent families.")
@click.option("--citations", type=click.IntRange(0), default=None, help="Number of citations (default 10 per family).")
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Lake folder to write.")
@click.option("--seed", type=int, default=42, show_default=True)
@click.option("--context-documents", type=click.IntRange(0), default=0, show_default=True,
              help="Citing documents outside the lake (context), each citing one or two of its families.")
@click.option("--baselines", is_flag=True, help="Also write population baselines for every cohort.")
@json_option
def synth_command(families, citations, out, seed, context_documents, baselines, as_json):
    """Write a synthetic lake of FAMILIES families straight to canonical Parquet (streamed, deterministic)."""
    citations = families * 10 if citations is None else citations
    with Progress(TextColumn("[bold]synth"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True, disable=as_json) as bar:
        task = bar.add_task("synth", total=families)
        result = synth.run(out, families, citations, seed,
                           progress=lambda _s, done, total: bar.update(task, completed=done),
                           context_documents=context_documents, baselines=baselines)
    if as_json:
        echo_json(result)
    else:
        click.echo(f"synthetic lake {result['lake']} in {result['seconds']}s: "
                   + ", ".join(f"{k} {v:,}" for k, v in result.items() if isinstance(v, int)))


def register(main):
    main.add_command(synth_command)
