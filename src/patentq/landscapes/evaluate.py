"""``landscape evaluate``: precision and recall against analyst labels, with Wilson intervals."""

from __future__ import annotations

import csv
import math

from .. import sql
from ..errors import BadInputError
from .apply import stage_sql, membership_sql
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
        out.append({"publication_number": (row.get("publication_number") or "").strip() or None,
                    "family_id": (row.get("family_id") or "").strip() or None, "relevant": label in TRUE_LABELS,
                    "stratum": (row.get("stratum") or "").strip() or None})
    return out


def evaluate(defn: Definition, session, labels: list[dict]) -> dict:
    """Precision and recall of the membership against analyst labels, with Wilson intervals."""
    engine = session.engine
    members = {r["family_id"] for r in engine.rows(membership_sql(defn))}
    pn_family = {}
    pns = sorted({r["publication_number"] for r in labels if r["publication_number"]})
    if pns:
        for r in engine.rows(stage_sql("labelled_families", numbers=sql.in_list(pns))):
            pn_family[r["publication_number"]] = r["family_id"]
    tp = fp = fn = tn = 0
    missing = []
    for row in labels:
        family = row["family_id"] or pn_family.get(row["publication_number"])
        if family is None:
            missing.append(row["publication_number"])
            continue
        predicted = family in members
        tp += predicted and row["relevant"]
        fp += predicted and not row["relevant"]
        fn += (not predicted) and row["relevant"]
        tn += (not predicted) and not row["relevant"]
    return {"landscape": defn.name, "definition_hash": defn.hash, "labelled": tp + fp + fn + tn,
            "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": tp / (tp + fp) if tp + fp else None, "precision_ci95": wilson(tp, tp + fp),
            "recall": tp / (tp + fn) if tp + fn else None, "recall_ci95": wilson(tp, tp + fn),
            "not_in_lake": missing, "weighted": weighted(defn, session, labels)}


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
