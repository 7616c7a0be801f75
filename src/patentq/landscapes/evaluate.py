"""``landscape evaluate``: precision and recall against analyst labels, with Wilson intervals,
overall, per office and per language, for the rules alone or for the refined membership.

Recall that differs by office or language biases every country comparison built on the
landscape, so the breakdown is part of the result, not an extra. The office of a labelled row
is its ``office`` column (else the publication number's prefix), its language the ``language``
column (else ``?``); a ``fold`` column lets ``--fold`` pick the rows (e.g. ``test``)."""

from __future__ import annotations

import csv
import math

from .. import sql
from ..errors import BadInputError
from .apply import membership_sql, refined_names, stage_sql
from .definition import Definition
from .sample import SAMPLE_SHARES, strata_sizes

TRUE_LABELS = {"1", "y", "yes", "true", "t", "in", "relevant", "x"}
FALSE_LABELS = {"0", "n", "no", "false", "f", "out", "irrelevant", "-"}


def wilson(successes: int, total: int, z: float = 1.959964) -> tuple[float, float] | None:
    """Wilson score interval (95 % by default); None when there is nothing to estimate."""
    if total == 0:
        return None
    p = successes / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return max(0.0, centre - half), min(1.0, centre + half)


def read_labels(path) -> list[dict]:
    """``publication_number`` or ``family_id`` plus ``label`` (1/0, yes/no, true/false, in/out)."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise BadInputError(f"{path}: cannot read the labels CSV ({exc})", hint="pass a UTF-8 CSV file") from exc
    if not rows or "label" not in rows[0] or not ({"publication_number", "family_id"} & set(rows[0])):
        raise BadInputError(f"{path}: a labels CSV needs a 'label' column and 'publication_number' or 'family_id'",
                            hint="start from `patentq landscape sample` and fill in the label column")
    out = []
    for line, row in enumerate(rows, start=2):
        label = (row.get("label") or "").strip().lower()
        if not label:
            continue
        if label not in TRUE_LABELS | FALSE_LABELS:
            raise BadInputError(f"{path}, line {line}: label {row['label']!r} is not yes/no",
                                hint=f"use one of {sorted(TRUE_LABELS)} or {sorted(FALSE_LABELS)}")
        pn = (row.get("publication_number") or "").strip() or None
        out.append({"publication_number": pn,
                    "family_id": (row.get("family_id") or "").strip() or None, "relevant": label in TRUE_LABELS,
                    "stratum": (row.get("stratum") or "").strip() or None,
                    "office": (row.get("office") or (pn or "")[:2]).strip().upper() or "?",
                    "language": (row.get("language") or "").strip().lower() or "?",
                    "fold": (row.get("fold") or "").strip().lower() or None})
    return out


def confusion(pairs) -> dict:
    """``(predicted, relevant)`` pairs → counts, precision and recall with Wilson intervals."""
    tp = fp = fn = tn = 0
    for predicted, relevant in pairs:
        tp += predicted and relevant
        fp += predicted and not relevant
        fn += (not predicted) and relevant
        tn += (not predicted) and not relevant
    return {"labelled": tp + fp + fn + tn, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": tp / (tp + fp) if tp + fp else None, "precision_ci95": wilson(tp, tp + fp),
            "recall": tp / (tp + fn) if tp + fn else None, "recall_ci95": wilson(tp, tp + fn)}


def member_families(defn: Definition, session, which: str = "rules") -> set:
    """The member families: of the rules (computed now) or of the refined membership
    (``landscape_<name>_scores``, built by ``refine``)."""
    if which == "rules":
        return {r["family_id"] for r in session.engine.rows(membership_sql(defn))}
    refined = refined_names(defn.name)[0]
    if session.lake.derived(refined) is None:
        raise BadInputError(f"no refined membership for {defn.name} in this lake",
                            hint=f"run `patentq landscape refine {defn.name} --lake {session.lake.path}` first")
    return {r["family_id"] for r in session.engine.rows(f"SELECT family_id FROM {sql.table_name(refined)}")}


def evaluate(defn: Definition, session, labels: list[dict], which: str = "rules", fold: str | None = None) -> dict:
    """Precision and recall of the membership (``which``: ``rules`` or ``refined``) against
    analyst labels (those of ``fold`` when given), with Wilson intervals, overall, per office
    and per language."""
    engine = session.engine
    if fold:
        labels = [r for r in labels if r.get("fold") == fold.lower()]
    members = member_families(defn, session, which)
    pn_family = {}
    pns = sorted({r["publication_number"] for r in labels if r["publication_number"]})
    if pns:
        for r in engine.rows(stage_sql("labelled_families", numbers=sql.in_list(pns))):
            pn_family[r["publication_number"]] = r["family_id"]
    missing, judged = [], []
    for row in labels:
        family = row["family_id"] or pn_family.get(row["publication_number"])
        if family is None:
            missing.append(row["publication_number"])
            continue
        judged.append((row, family in members))

    def by(key):
        groups: dict = {}
        for row, predicted in judged:
            groups.setdefault(row.get(key) or "?", []).append((predicted, row["relevant"]))
        return {k: confusion(v) for k, v in sorted(groups.items())}

    return {"landscape": defn.name, "definition_hash": defn.hash, "membership": which, "fold": fold,
            **confusion((p, r["relevant"]) for r, p in judged),
            "by_office": by("office"), "by_language": by("language"),
            "errors": [{"publication_number": r["publication_number"], "relevant": r["relevant"], "member": p}
                       for r, p in judged if p != r["relevant"]],
            "not_in_lake": missing, "weighted": weighted(defn, session, labels) if which == "rules" else None}


def weighted(defn: Definition, session, labels: list[dict]) -> dict | None:
    """Population estimates for a labelled ``sample`` (rows carry its ``stratum`` column).

    The sample over-represents members, so plain recall over the labelled rows is biased; each
    stratum's share of relevant families is scaled to the stratum's size in the lake:
    recall = N_in·p_in / Σ N_s·p_s, precision = p_in (only members are predicted relevant).
    """
    strata = {r.get("stratum") for r in labels}
    if not labels or not strata <= set(SAMPLE_SHARES):
        return None
    sizes = strata_sizes(defn, session, 0)
    out = {}
    for name in SAMPLE_SHARES:
        rows = [r for r in labels if r.get("stratum") == name]
        relevant = sum(r["relevant"] for r in rows)
        out[name] = {"population": sizes.get(name, 0), "labelled": len(rows), "relevant": relevant,
                     "share": relevant / len(rows) if rows else None}
    estimated = {k: v["population"] * v["share"] for k, v in out.items() if v["share"] is not None}
    unlabelled = [k for k, v in out.items() if v["share"] is None and v["population"]]
    total = sum(estimated.values())
    return {"strata": out, "precision": out["in"]["share"],
            "recall": estimated.get("in", 0) / total if total and not unlabelled else None,
            "relevant_families": round(total, 1), "unlabelled_strata": unlabelled}
