"""``patentq demo``: the whole pipeline on a seeded synthetic GenAI world, on a fresh machine."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ..synthetic.demo.calibration import TOTAL_FAMILIES
from ..synthetic.demo.pipeline import STAGES, run_demo


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
    print_headline(result.comparison, out_console)
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


def _table(title: str, columns: list[str]):
    """A table that fits 80 columns: no vertical rules, one space between columns."""
    from rich import box
    from rich.table import Table

    table = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1), collapse_padding=True,
                  title_justify="left")
    for col in columns:
        table.add_column(col, justify="left" if col == "group" else "right", no_wrap=True)
    return table


def print_headline(result, console) -> None:
    """The demo's comparison in 80 columns: the count and quality table, reach and citation
    indicators, concentration, notes and the sensitivity as one line of Kendall's tau (the report
    has every column, interval and table)."""
    from .compare import _num, _pct, _rank, _shift

    conv = result.conventions
    years = "-".join(map(str, conv["years"])) if conv.get("years") else "all"
    head = _table(f"number vs quality: {conv.get('landscape') or 'all families'} by {conv['by']}, "
                  f"{conv['counting']}, {conv['year_basis']} years {years}, window {conv.get('window')}",
                  ["group", "fam", "share", "rank", "match", "top10", "QA sh", "QA rk", "shift", "gap", "RTA"])
    quality = _table("quality indicators (reach shares count families whole)",
                     ["group", "abroad", "outside", "IP5", "triad", "grant", "cits", "top10", "top1", "QI4"])
    for r in result.rows:
        style = None if r.get("ranked", True) else "dim"
        group = str(r["group"])[:10]
        gap = r.get("number_over_quality_gap")
        head.add_row(group, f"{r['families']:,.0f}", _pct(r["share"]), _rank(r["rank"]), _pct(r.get("share_matched")),
                     _num(r.get("quality_adjusted_families"), 0), _pct(r.get("quality_adjusted_share")),
                     _rank(r.get("quality_adjusted_rank")), _shift(r.get("rank_shift")),
                     "–" if gap is None else f"{100 * gap:+.1f}", _num(r.get("rta")), style=style)
        quality.add_row(group, _pct(r.get("share_filed_abroad")), _pct(r.get("share_outside_group_office")),
                        _pct(r.get("share_ip5")), _pct(r.get("share_triadic")), _pct(r.get("grant_rate")),
                        _num(r.get("mean_fwd_cits_5_rel")), _pct(r.get("share_top10_cohort")),
                        _pct(r.get("share_top1_cohort")), _num(r.get("mean_quality_index_4")), style=style)
    console.print(head)
    console.print("fam = families; match = share of the families with a complete citation window; top10 = "
                  "families in the top 10% of their cohort (QA families); QA sh, QA rk = their share and rank; gap = "
                  "match minus QA share, pp; dim rows are unranked")
    console.print(quality)
    console.print("abroad = filed abroad; outside = a member outside the group's own office; triad = triadic; "
                  "grant = grant rate; cits = 5-year forward citations relative to the cohort; top10, top1 = share "
                  "in the top 10%, 1% of the cohort; QI4 = quality index")
    c = result.concentration or {}
    if c.get("hhi") is not None:
        console.print(f"concentration ({c['groups']} known groups, fractional counts, UNKNOWN excluded): "
                      f"HHI {c['hhi']:.3f}, CR4 {_pct(c['cr4'])}, top-{c['top_k']} {_pct(c['top_k_share'])}")
    for note in result.notes:
        console.print(f"[dim]note: {note}[/]")
    variants = [v for v in (result.sensitivity or {}).get("variants", []) if v["variant"] != "baseline"]
    if variants:
        console.print("sensitivity, Kendall's tau of the ranking against the baseline: " + ", ".join(
            f"{v['variant']} {v['kendall_tau']:.2f}" if v.get("kendall_tau") is not None else f"{v['variant']} –"
            for v in variants) + " (every rank in the report)")


#: the bias table's columns, short enough for 80 columns (L = lake-only, P = population)
SHORT = {"families": "fam", "fwd5 rel, lake-only": "rel L", "fwd5 rel, population": "rel P",
         "QA share, lake-only": "QA L", "QA share, population": "QA P", "QA rank, lake-only": "rk L",
         "QA rank, population": "rk P", "rel bias": "rel bias", "QA share bias (points)": "QA bias"}


def _print_bias(rows: list[dict], console) -> None:
    """The comparison both ways: quality on the export alone vs against the world."""
    if not rows:
        return
    table = _table("Quality on the export alone (L, lake-only) vs against the world (P, population): the bias",
                   [SHORT.get(k, k) for k in rows[0]])
    for row in rows:
        table.add_row(*("–" if v is None else f"{v:,.0f}" if k == "families" else f"{v:.3f}" if isinstance(v, float)
                        else str(v) for k, v in row.items()))
    console.print(table)
    console.print("rel = mean 5-year forward citations relative to the cohort; QA = quality-adjusted share; rk = its "
                  "rank; QA bias in percentage points")


def register(main):
    main.add_command(demo_command)
