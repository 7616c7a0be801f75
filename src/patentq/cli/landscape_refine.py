"""``patentq landscape refine`` and ``patentq landscape compare``: the trained refinement of a
landscape, and how two definitions of a field differ in members and rankings."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from .landscape import landscape_group
from .options import StageProgress, echo_json, json_option, session_options


@landscape_group.command("refine")
@click.argument("name")
@session_options
@click.option("--labels", "labels_path", type=click.Path(dir_okay=False, exists=True), default=None,
              help="Labelled CSV (publication_number, label[, fold]) to choose the thresholds on: its "
                   "validation fold when it has a fold column, else every row.")
@click.option("--holdout", "holdout_path", type=click.Path(dir_okay=False, exists=True), default=None,
              help="CSV of publication_number never to train on (e.g. an evaluation set).")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same model.")
@click.option("--t-add", type=click.FloatRange(0, 1.01), default=None, help="Add non-members scoring at least this.")
@click.option("--t-drop", type=click.FloatRange(0, 1), default=None, help="Drop rule members scoring below this.")
@click.option("--embeddings", type=click.Path(file_okay=False, exists=True), default=None,
              help="Local sentence-embedding model folder for extra features (optional; never downloaded).")
@json_option
def refine_command(name, session, labels_path, holdout_path, seed, t_add, t_drop, embeddings, as_json):
    """Train a classifier on the rules' members and write landscape_<name>_refined (use it as the
    landscape NAME_refined), landscape_<name>_scores and the model (docs/landscapes.md)."""
    from ..landscapes import load
    from ..landscapes.apply import definition_source
    from ..landscapes.apply import refined_names
    from ..landscapes.refine import summary

    d = load(name)
    params = {"source": definition_source(d), "labels": labels_path, "holdout": holdout_path, "seed": seed,
              "t_add": t_add, "t_drop": t_drop, "embeddings": embeddings}
    with StageProgress(quiet=as_json) as progress:
        built = session.require(refined_names(d.name)[0], progress=progress, **params)
    result = {**summary(d, session), "rebuilt": any(r["action"] == "built" and r["stage"] == "refine" for r in built)}
    if as_json:
        echo_json(result)
        return
    t = result["thresholds"] or {}
    click.echo(f"{d.name} refined: {result['families']:,} families ({result['rule_members']:,} by the rules, "
               f"+{result['added']:,} added, -{result['dropped']:,} dropped; {result['scored']:,} scored); "
               f"t_add {t.get('t_add')}, t_drop {t.get('t_drop')} ({t.get('chosen')}); model {str(result['model_hash'])[:16]}"
               + ("" if result["rebuilt"] else " (already current)"))


@landscape_group.command("compare")
@click.argument("a")
@click.argument("b")
@session_options
@json_option
def compare_command(a, b, session, as_json):
    """Overlap of two landscapes and the Kendall tau of their country and applicant rankings.
    A and B: NAME (rules), NAME_refined, cpc:NAME (CPC-only), tag:SCHEME (e.g. tag:cset)."""
    from ..landscapes.overlap import compare

    result = compare(session, a, b)
    if as_json:
        echo_json(result)
        return
    out = Console()
    out.print(f"{a}: {result['families_a']:,} families; {b}: {result['families_b']:,}; both {result['both']:,}, "
              f"only {a} {result['only_a']:,}, only {b} {result['only_b']:,} (Jaccard {result['jaccard']})",
              highlight=False)
    table = Table(title="rankings (top 20 of each side)")
    for col in ("grouping", "Kendall tau", "groups", f"top of {a}", f"top of {b}"):
        table.add_column(col)
    for by, r in result["rankings"].items():
        table.add_row(by, str(r["tau"]), str(r["groups"]), ", ".join(r.get("top_a", [])), ", ".join(r.get("top_b", [])))
    out.print(table)


def register(main):  # the commands join the landscape group when this module is imported
    return None
