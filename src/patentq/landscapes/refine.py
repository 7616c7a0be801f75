"""``landscape refine``: a trained classifier on top of the rules, after Abood & Feltenberger
(2018), "Automated patent landscaping", Artificial Intelligence and Law 26:103–125.

1. **Seed**: the definition's rule members (high precision by design).
2. **Expansion**: families reached from the seed by enriched CPC main groups and by citations
   in both directions, plus those passing the definition's gate (a necessary condition of the
   query: where its false negatives hide). Only subject documents (``publications``) are
   candidates; context documents may inform features but never become members.
3. **Classifier**: ``classifier.py`` (hashed TF-IDF, logistic regression), trained on the lake
   itself: seed families as positives, a seeded random draw of the other families as negatives
   (positive–unlabelled learning). Families in ``holdout`` (e.g. every labelled family of an
   evaluation) never enter training.
4. **Membership**: (rules ∪ candidates with score ≥ t_add) minus rule members with score <
   t_drop. Both thresholds are chosen on labelled families (a validation fold) when labels are
   given: the pair with the highest recall whose precision is at least ``MIN_PRECISION``, ties to
   the fewest changes; without labels the conservative defaults hold and the summary says so.

Tables (the ``refine`` stage, one instance per definition): ``landscape_<name>_refined``
(``family_id``, ``matched_publications``: 0 for families the classifier added),
``landscape_<name>_refined_categories`` (the definition's categories for those families),
``landscape_<name>_scores`` (every scored family: ``score``, ``rule_member``, ``member``,
``reached_by``) and ``landscape_<name>_model`` (IDF and coefficients, for ``explain``). The
manifest records the model's hash, the thresholds and how they were chosen.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from .. import sql
from ..errors import BadInputError
from .apply import categories_sql, refined_names, stage_sql, table_names
from .classifier import Model, train
from .compile import versions_sql
from .definition import Definition, load
from .sample import strata_sql

#: Thresholds are chosen to keep precision at least this high on the labelled families.
MIN_PRECISION = 0.95
#: Without labels: add only near-certain candidates, drop only near-certain rule errors.
DEFAULT_T_ADD, DEFAULT_T_DROP = 0.98, 0.02
NEGATIVES_PER_SEED, MAX_NEGATIVES, MAX_CHARS = 4, 200_000, 3000


def refine(defn: Definition, session, labels: list[dict] | None = None, holdout=(), seed: int = 1,
           t_add: float | None = None, t_drop: float | None = None, embeddings: str | None = None,
           progress=None) -> dict:
    """Train, score and write the refined membership (directly, not through the registry:
    ``patentq landscape refine`` goes through ``session.require``); returns the summary."""
    session.require(table_names(defn)[0], source=_source(defn))
    return write(defn, session, labels=labels, holdout=holdout, seed=seed, t_add=t_add, t_drop=t_drop,
                 embeddings=embeddings, progress=progress)


def _source(defn: Definition) -> str:
    from .apply import definition_source

    return definition_source(defn)


def families(defn: Definition, session, labelled: list[str], seed: int) -> pa.Table:
    engine = session.engine
    members = table_names(defn)[0]
    n_seed = engine.scalar(f"SELECT count(*) FROM {members}") or 0
    if n_seed < 5:
        raise BadInputError(f"landscape {defn.name} has {n_seed} member families: too few seeds to train on",
                            hint="refine needs a lake where the rules find members (at least 5)")
    negatives = int(min(MAX_NEGATIVES, max(1000, NEGATIVES_PER_SEED * n_seed)))
    query = stage_sql("refine_families", strata=strata_sql(defn, seed), min_share=0.1, negatives=negatives,
                      labelled=sql.in_list(labelled), versions=versions_sql({"title", "abstract"}),
                      max_chars=MAX_CHARS)
    with session.step("refine", f"{defn.name} families"):
        return engine.query(query)


def label_families(session, labels: list[dict]) -> dict:
    """Labelled rows → {family_id: relevant} (rows not in the lake are skipped)."""
    pns = sorted({r["publication_number"] for r in labels if r.get("publication_number")})
    pn_family = {}
    if pns:
        rows = session.engine.rows(stage_sql("labelled_families", numbers=sql.in_list(pns)))
        pn_family = {r["publication_number"]: r["family_id"] for r in rows}
    out = {}
    for row in labels:
        family = row.get("family_id") or pn_family.get(row.get("publication_number"))
        if family:
            out[family] = bool(row["relevant"])
    return out


def holdout_families(session, holdout) -> set:
    return set(label_families(session, [{"publication_number": pn, "relevant": False} for pn in holdout]))


def choose_thresholds(scored: dict, rule: set, truth: dict) -> dict:
    """(t_add, t_drop) with the highest recall at precision ≥ MIN_PRECISION on ``truth``; ties
    to the fewest changed labelled families. ``scored``: family → score.

    When no pair reaches MIN_PRECISION (the rules themselves are below it on ``truth`` and no
    drop can mend that), the pair with the highest precision is taken, then the highest recall:
    adding every candidate for recall would only take precision further down."""
    grid_add = [1.01] + [round(x, 2) for x in np.arange(0.99, 0.49, -0.01)]
    grid_drop = [0.0] + [round(x, 2) for x in np.arange(0.01, 0.51, 0.01)]
    fams = list(truth)  # a labelled family neither scored nor a rule member is a miss, not absent
    best = None
    for t_add in grid_add:
        for t_drop in grid_drop:
            tp = fp = fn = changed = 0
            for f in fams:
                s = scored.get(f, 0.0)
                member = (f in rule and s >= t_drop) or (f not in rule and s >= t_add)
                changed += member != (f in rule)
                tp += member and truth[f]
                fp += member and not truth[f]
                fn += (not member) and truth[f]
            precision = tp / (tp + fp) if tp + fp else 1.0
            recall = tp / (tp + fn) if tp + fn else 0.0
            ok = precision >= MIN_PRECISION
            key = (ok, recall, precision, -changed) if ok else (ok, precision, recall, -changed)
            if best is None or key > best[0]:
                best = (key, t_add, t_drop, precision, recall)
    _, t_add, t_drop, precision, recall = best
    return {"t_add": t_add, "t_drop": t_drop, "validation_precision": precision, "validation_recall": recall,
            "validation_families": len(fams), "chosen": "on labels"}


def write(defn: Definition, session, labels=None, holdout=(), seed: int = 1, t_add=None, t_drop=None,
          embeddings=None, progress=None) -> dict:
    engine = session.engine
    labels = labels or []
    truth = label_families(session, labels)
    held = holdout_families(session, holdout) | set(truth)
    table = families(defn, session, sorted(truth), seed)
    fam = table.column("family_id").to_pylist()
    role = table.column("role").to_pylist()
    text = table.column("text").to_pylist()
    reached = table.column("reached_by").to_pylist()
    train_idx = [i for i, (f, r) in enumerate(zip(fam, role)) if r in ("seed", "negative") and f not in held]
    y = np.array([role[i] == "seed" for i in train_idx], dtype=np.int8)
    if y.sum() < 5 or (1 - y).sum() < 5:
        raise BadInputError(f"refine {defn.name}: {int(y.sum())} seed and {int((1 - y).sum())} other families "
                            "left for training after the holdout", hint="hold out fewer families, or use a larger lake")
    if progress:
        progress(f"training on {len(train_idx):,} families ({int(y.sum()):,} seeds)")
    with session.step("refine", f"{defn.name} training"):
        model = train([text[i] for i in train_idx], y, seed, embeddings)
    score_idx, seen = [], set()
    for i, (f, r) in enumerate(zip(fam, role)):
        if r != "negative" and f not in seen:
            seen.add(f)
            score_idx.append(i)
    if progress:
        progress(f"scoring {len(score_idx):,} families")
    with session.step("refine", f"{defn.name} scoring"):
        scores = model.scores([text[i] for i in score_idx])
    scored = {fam[i]: float(s) for i, s in zip(score_idx, scores)}
    rule = {fam[i] for i in score_idx if role[i] == "seed"}
    if t_add is None and t_drop is None and truth:
        chosen = choose_thresholds(scored, rule, truth)
    else:
        chosen = {"t_add": DEFAULT_T_ADD if t_add is None else t_add,
                  "t_drop": DEFAULT_T_DROP if t_drop is None else t_drop,
                  "chosen": "given" if (t_add is not None or t_drop is not None) else "defaults (no labels)"}
    ta, td = chosen["t_add"], chosen["t_drop"]
    member = [(fam[i] in rule and s >= td) or (fam[i] not in rule and s >= ta) for i, s in zip(score_idx, scores)]
    engine.register_arrow("refine_scores_arrow", pa.table({
        "family_id": pa.array([fam[i] for i in score_idx], pa.string()),
        "score": pa.array(scores, pa.float64()),
        "rule_member": pa.array([role[i] == "seed" for i in score_idx], pa.bool_()),
        "member": pa.array(member, pa.bool_()),
        "reached_by": pa.array([reached[i] for i in score_idx], pa.string())}))
    nz = np.flatnonzero(model.coef)
    engine.register_arrow("refine_model_arrow", pa.table({
        "feature": pa.array(np.append(nz, -1), pa.int64()),
        "idf": pa.array(np.append(model.idf[np.minimum(nz, len(model.idf) - 1)], 0), pa.float64()),
        "coef": pa.array(np.append(model.coef[nz], model.intercept), pa.float64())}))
    refined, refined_cats, scores_table, model_table = refined_names(defn.name)
    meta = {"definition": defn.name, "definition_hash": defn.hash, "model_hash": model.hash, "seed": seed,
            "thresholds": chosen, "embeddings": embeddings, "training_families": len(train_idx),
            "seed_families": int(y.sum()), "held_out_families": len(held), "conventions": defn.conventions}
    with session.step("refine", f"{defn.name} write"):
        engine.write_derived(scores_table, stage_sql("refine_scores"), **meta)
        engine.write_derived(model_table, stage_sql("refine_model"), **meta)
        engine.write_derived(refined, stage_sql("refine_members", members=table_names(defn)[0], scores=scores_table),
                             **meta)
        engine.write_derived(refined_cats, categories_sql(defn, refined) or stage_sql("no_categories"), **meta)
    return summary(defn, session)


def summary(defn: Definition, session) -> dict:
    refined, _, scores_table, _ = refined_names(defn.name)
    row = session.engine.rows(stage_sql("refine_summary", scores=scores_table, refined=refined))[0]
    meta = session.lake.derived(refined) or {}
    return {"landscape": defn.name, "model_hash": meta.get("model_hash"), "thresholds": meta.get("thresholds"),
            **{k: int(v or 0) for k, v in row.items()}}


def load_model(session, name: str) -> tuple[Model, dict] | None:
    """The stored model of ``name`` (for explain), or None when refine has not run."""
    _, _, _, model_table = refined_names(name)
    meta = session.lake.derived(model_table)
    if meta is None:
        return None
    from .classifier import CJK_FEATURES, WORD_FEATURES

    rows = session.engine.query(f"SELECT feature, idf, coef FROM {sql.table_name(model_table)}")
    n = WORD_FEATURES + CJK_FEATURES
    idf, coef = np.zeros(n, np.float32), np.zeros(n, np.float32)
    feature, idfs, coefs = (rows.column(c).to_numpy() for c in ("feature", "idf", "coef"))
    intercept = float(coefs[feature == -1][0]) if (feature == -1).any() else 0.0
    keep = (feature >= 0) & (feature < n)
    idf[feature[keep]], coef[feature[keep]] = idfs[keep], coefs[keep]
    idf[idf == 0] = 1.0  # features without a coefficient add nothing to a score
    return Model(idf, coef, intercept, meta.get("embeddings")), meta


def build(session, name: str, source: str | None = None, labels: str | None = None, holdout: str | None = None,
          seed: int = 1, t_add=None, t_drop=None, embeddings=None, **_key_only) -> dict:
    """The ``refine`` stage (``patentq.stages``): labels and holdout are CSV paths (their content
    hash is part of the stage's key)."""
    from .evaluate import read_labels

    defn = load(source or name)
    rows = read_labels(labels) if labels else []
    fold_rows = [r for r in rows if r.get("fold") in (None, "validation")]
    held = [r["publication_number"] for r in read_labels(holdout)] if holdout else []
    return write(defn, session, labels=fold_rows, holdout=held, seed=seed, t_add=t_add, t_drop=t_drop,
                 embeddings=embeddings)
