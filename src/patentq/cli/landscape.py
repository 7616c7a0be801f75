"""``patentq landscape``: list, show, check, apply, explain, sample and evaluate landscapes."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from .options import StageProgress, echo_json, json_option, session_options


@click.group("landscape")
def landscape_group():
    """Technology landscapes: which families belong to a field, and to which categories."""


@landscape_group.command("list")
@json_option
def list_command(as_json):
    """The built-in landscape definitions."""
    from ..landscapes import builtin_names, load

    rows = [load(n) for n in builtin_names()]
    if as_json:
        echo_json([{"name": d.name, "version": d.version, "description": d.description,
                    "dimensions": list(d.dimensions), "hash": d.hash} for d in rows])
        return
    table = Table(title="built-in landscapes (or pass a YAML file path as NAME)")
    for col in ("name", "version", "dimensions", "description"):
        table.add_column(col)
    for d in rows:
        table.add_row(d.name, d.version, ", ".join(d.dimensions), d.description.splitlines()[0][:80])
    Console().print(table)


@landscape_group.command("show")
@click.argument("name")
@json_option
def show_command(name, as_json):
    """Print a definition: sources, conventions, membership and category queries, hash."""
    from ..landscapes import load
    from ..landscapes.query import to_text

    d = load(name)
    data = {"name": d.name, "version": d.version, "hash": d.hash, "path": str(d.path), "description": d.description,
            "sources": d.sources, "conventions": d.conventions, "membership": d.texts["membership"].strip(),
            "cpc_prefixes": d.cpc_prefixes(),
            "dimensions": {dim: {c: v if isinstance(v, str) else to_text(v) for c, v in cats.items()}
                           for dim, cats in d.dimensions.items()}}
    if as_json:
        echo_json(data)
        return
    out = Console()
    out.print(f"[bold]{d.name}[/] v{d.version}  hash {d.hash[:16]}  ({d.path})")
    out.print(d.description)
    for src in d.sources:
        out.print(f"  source: {src.get('citation', src) if isinstance(src, dict) else src}")
    out.print(f"conventions: {d.conventions}")
    out.print("[bold]membership[/]:")
    out.print(data["membership"], markup=False)
    for dim, cats in d.dimensions.items():
        out.print(f"[bold]dimension {dim}[/]: {', '.join(cats)}")


@landscape_group.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
def check_command(file):
    """Validate a definition file; errors give the line and column in the file (exit 2)."""
    from ..landscapes import load

    d = load(Path(file))
    n = sum(len(c) for c in d.dimensions.values())
    click.echo(f"ok: {d.name} v{d.version}, {len(d.dimensions)} dimension(s), {n} categories, hash {d.hash[:16]}")


@landscape_group.command("apply")
@click.argument("name")
@session_options
@json_option
def apply_command(name, session, as_json):
    """Write landscape_<name> and landscape_<name>_categories to the lake and summarise them
    (again only when the definition or the lake's data changed)."""
    from ..landscapes import load
    from ..landscapes.apply import apply

    d = load(name)
    with StageProgress(quiet=as_json) as progress:
        progress(f"applying {d.name} on {session.engine_name}")
        result = apply(d, session)
    if as_json:
        echo_json(result)
        return
    out = Console()
    for warning in result["warnings"]:
        out.print(f"[yellow]warning:[/] {warning}", highlight=False)
    out.print(f"[bold]{d.name}[/]: {result['families']:,} families, {result['publications']:,} matching publications "
              f"(definition hash {d.hash[:16]}" + ("" if result["rebuilt"] else "; already current, not rebuilt") + ")")
    for dim, cats in result["categories"].items():
        table = Table(title=f"by {dim}")
        table.add_column("category")
        table.add_column("families", justify="right")
        for cat, count in cats.items():
            table.add_row(cat, f"{count:,}" if count is not None
                          else result["categories_not_in_data"][dim][cat])
        out.print(table)


@landscape_group.command("explain")
@click.argument("name")
@click.argument("publication_number")
@session_options
@json_option
def explain_command(name, publication_number, session, as_json):
    """Which clauses of NAME match PUBLICATION_NUMBER, and on which words or codes."""
    from ..landscapes import load
    from ..landscapes.explain import explain

    result = explain(load(name), session, publication_number)
    if as_json:
        echo_json(result)
        return
    out = Console()
    for pub in result["publications"]:
        verdict = "[green]in[/]" if pub["member"] else "[red]not in[/]"
        langs = f" (matched in: {', '.join(pub['matched_languages'])})" if pub["matched_languages"] else ""
        out.print(f"[bold]{pub['publication_number']}[/] is {verdict} {result['landscape']} by its rules{langs}")
        for row in pub["clauses"]:
            if row["matched"]:
                out.print("  [green]✓[/] ", end="")
                out.print(f"{row['clause']}: " + "; ".join(row["evidence"][:5]), markup=False, highlight=False)
        unmatched = sum(not r["matched"] for r in pub["clauses"])
        out.print(f"  {unmatched} other clause(s) did not match")
        for dim, cats in pub["categories"].items():
            hit = [c for c, ok in cats.items() if ok]
            out.print(f"  {dim}: {', '.join(hit) or '-'}")
        refined = pub.get("refined")
        if refined:
            state = {True: "in", False: "not in", None: "not scored"}[refined["member"]]
            out.print(f"  refined: family score {refined['family_score']} ({state} the refined landscape; "
                      f"t_add {refined['thresholds'].get('t_add')}, t_drop {refined['thresholds'].get('t_drop')}); "
                      "terms: " + ", ".join(f"{t['term']} {t['contribution']:+.2f}" for t in refined["terms"]),
                      markup=False, highlight=False)


@landscape_group.command("sample")
@click.argument("name")
@session_options
@click.option("--n", "n", type=click.IntRange(1), default=200, show_default=True, help="Families to sample.")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same sample.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), default=None, help="CSV file (default: stdout).")
def sample_command(name, session, n, seed, out_path):
    """A stratified random sample (in / near / out) as CSV with an empty label column."""
    from ..landscapes import load
    from ..landscapes.sample import sample_csv

    text = sample_csv(load(name), session, n, seed)
    if out_path:
        Path(out_path).write_text(text, encoding="utf-8")
        click.echo(f"wrote {text.count(chr(10)) - 1} rows to {out_path}", err=True)
    else:
        click.echo(text, nl=False)


@landscape_group.command("evaluate")
@click.argument("name")
@session_options
@click.option("--labels", "labels_path", required=True, type=click.Path(dir_okay=False),
              help="CSV with publication_number (or family_id) and label (yes/no); optional office, language, fold.")
@click.option("--fold", default=None, help="Only the labelled rows of this fold (e.g. test).")
@click.option("--refined", is_flag=True, help="Evaluate the refined membership (landscape refine) instead of the rules.")
@json_option
def evaluate_command(name, session, labels_path, fold, refined, as_json):
    """Precision and recall against analyst labels, with 95% Wilson intervals, overall, per
    office and per language."""
    from ..landscapes import load
    from ..landscapes.evaluate import evaluate, read_labels

    result = evaluate(load(name), session, read_labels(labels_path), "refined" if refined else "rules", fold)
    if as_json:
        echo_json(result)
        return

    def fmt(value, ci):
        return "n/a" if value is None else f"{value:.3f} (95% CI {ci[0]:.3f}–{ci[1]:.3f})"

    click.echo(f"{result['landscape']}: {result['labelled']} labelled (tp {result['tp']}, fp {result['fp']}, "
               f"fn {result['fn']}, tn {result['tn']})")
    click.echo(f"precision {fmt(result['precision'], result['precision_ci95'])}")
    click.echo(f"recall    {fmt(result['recall'], result['recall_ci95'])}")
    for key in ("by_office", "by_language"):
        for group, r in result[key].items():
            click.echo(f"  {key[3:]} {group}: n {r['labelled']}, precision {fmt(r['precision'], r['precision_ci95'])}, "
                       f"recall {fmt(r['recall'], r['recall_ci95'])}")
    w = result["weighted"]
    if w:
        rec = "n/a (a stratum with families has no labels)" if w["recall"] is None else f"{w['recall']:.3f}"
        click.echo(f"population-weighted (by sample stratum): precision {w['precision']:.3f}, recall {rec}, "
                   f"~{w['relevant_families']:,} relevant families")
    if result["not_in_lake"]:
        click.echo(f"{len(result['not_in_lake'])} labelled publication(s) not in the lake, ignored", err=True)


def register(main):
    main.add_command(landscape_group)
