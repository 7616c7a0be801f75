"""Measure a landscape on the repository's labelled evaluation set (rules alone and refined).

    python scripts/landscape_eval.py                       # genai, test fold, rules and refined
    python scripts/landscape_eval.py --fold validation --errors
    python scripts/landscape_eval.py --no-refine --json

It writes the labelled documents (tests/fixtures/landscape_eval/genai_eval.csv) into a fresh
lake under a temporary folder (``--lake`` to keep it), beside real unlabelled background text
when ``../shared/data`` is there (Lens exports: jet engines, pizza), applies the definition,
runs ``landscape refine`` with the validation fold as the threshold labels and the validation
and test documents held out of training, and prints precision and recall with 95 % Wilson
intervals overall, per office and per language. Only the fold asked for is reported; the test
fold is never used for anything but this report.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "tests" / "fixtures" / "landscape_eval" / "genai_eval.csv"


def background(lake_path: Path) -> None:
    """Real unlabelled text beside the labelled set (skipped when ../shared/data is absent)."""
    from patentq.ingest import ingest

    shared = Path(os.environ.get("PATENTQ_SHARED_DATA") or ROOT.parent / "shared" / "data")
    files = [p for p in (shared / "lens" / "jet-engines-2021.csv", shared / "lens" / "pizza-2015.csv") if p.exists()]
    if files:
        ingest("lens", [str(p) for p in files], lake_path, workers=1)


def fmt(value, ci) -> str:
    return "n/a" if value is None else f"{value:.3f} ({ci[0]:.3f}–{ci[1]:.3f})"


def table(results: dict) -> str:
    lines = ["| membership | group | n | tp | fp | fn | precision (95% CI) | recall (95% CI) |", "|---|---|---|---|---|---|---|---|"]
    for which, res in results.items():
        rows = [("all", res)] + [(f"office {k}", v) for k, v in res["by_office"].items()] + \
            [(f"language {k}", v) for k, v in res["by_language"].items()]
        for name, r in rows:
            lines.append(f"| {which} | {name} | {r['labelled']} | {r['tp']} | {r['fp']} | {r['fn']} | "
                         f"{fmt(r['precision'], r['precision_ci95'])} | {fmt(r['recall'], r['recall_ci95'])} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--landscape", default="genai")
    parser.add_argument("--fold", default="test", choices=["train", "validation", "test"])
    parser.add_argument("--lake", default=None, help="keep the lake here (default: a temporary folder)")
    parser.add_argument("--no-refine", action="store_true")
    parser.add_argument("--no-background", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--errors", action="store_true", help="list the misclassified documents of the fold")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from patentq import open_lake
    from patentq.landscapes import load
    from patentq.landscapes.apply import apply
    from patentq.landscapes.evaluate import evaluate, read_labels
    from patentq.landscapes.labelled import read_rows, write_lake

    with tempfile.TemporaryDirectory() as tmp:
        lake_path = Path(args.lake or Path(tmp) / "lake")
        write_lake(read_rows(EVAL), lake_path, source="genai_eval")
        if not args.no_background:
            background(lake_path)
        defn = load(args.landscape)
        labels = read_labels(EVAL)
        with open_lake(lake_path) as session:
            apply(defn, session)
            results = {"rules": evaluate(defn, session, labels, "rules", args.fold)}
            if not args.no_refine:
                from patentq.landscapes.refine import refine

                held_out = {r["publication_number"] for r in labels if r["fold"] in ("validation", "test")}
                refine(defn, session, labels=[r for r in labels if r["fold"] == "validation"],
                       holdout=sorted(held_out), seed=args.seed)
                results["refined"] = evaluate(defn, session, labels, "refined", args.fold)
    if args.json:
        print(json.dumps(results, indent=2, default=str))
        return 0
    print(f"{args.landscape}, fold {args.fold}:")
    print(table(results))
    if args.errors:
        text = {r["publication_number"]: r for r in read_rows(EVAL)}
        for which, res in results.items():
            for e in res["errors"]:
                r = text[e["publication_number"]]
                print(f"{which} {'FN' if e['relevant'] else 'FP'} {r['publication_number']} [{r['language']}, "
                      f"{r['stratum']}] {r['title'][:90]} | {r['abstract'][:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
