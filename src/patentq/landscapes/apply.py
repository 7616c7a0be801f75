"""Running a definition over a lake: membership, categories, explain, sample and evaluate.

Everything set-wise runs as SQL inside the engine; only ``explain`` (one publication) uses the
Python matcher, which the tests hold equal to the SQL.

Family level: a family is in the landscape if any of its publications matches the membership
query; its categories are the union of the categories its publications (all of them, not just
the matching ones) fall in. ``otherwise`` categories take the members no other category of
their dimension took.
"""

from __future__ import annotations

import csv
import io
import math

from ..errors import BadInputError, UsageError
from ..normalize import publication_number as normalise_pn
from . import match
from .compile import Compiler, docs_sql, sql_string
from .definition import OTHERWISE, Definition
from .keyed import guarded, keyed_sql, member_docs_sql
from .query import Text, leaves


def table_names(defn: Definition) -> tuple[str, str]:
    return f"landscape_{defn.name}", f"landscape_{defn.name}_categories"


def membership_sql(defn: Definition) -> str:
    """``family_id, matched_publications`` for every family with a matching publication."""
    compiler = Compiler()
    compiled = compiler.compile(defn.membership)
    docs = docs_sql(compiled.flags, compiled.fields)
    select = "family_id, CAST(count(DISTINCT publication_number) AS INTEGER) AS matched_publications"
    fast = keyed_sql(compiler, defn.membership, docs, compiled.gate, select)
    if fast:
        return fast + "\nGROUP BY family_id"
    return f"SELECT {select}\nFROM ({docs}) d\nWHERE {compiled.prefiltered}\nGROUP BY family_id"


def categories_sql(defn: Definition, members: str) -> str | None:
    """``family_id, dimension, category`` for the families of the relation ``members``."""
    compiler = Compiler()
    places, nodes, fields = [], [], set()
    for dim, cats in defn.dimensions.items():
        for cat, node in cats.items():
            if node == OTHERWISE:
                continue
            places.append((dim, cat))
            nodes.append(node)
            fields |= {f for leaf in leaves(node) if isinstance(leaf, Text) for f in leaf.fields}
    if not defn.dimensions:
        return None
    # one pass lists each row's key words; a category's clauses run only where its words occur
    form = guarded(compiler, nodes)
    exprs = form.predicate
    docs = member_docs_sql(compiler.flags, fields, form.extract, members)
    flag_cols = ",\n    ".join(f"max(CASE WHEN {e} THEN 1 ELSE 0 END) AS c{i}" for i, e in enumerate(exprs))
    fam = f"SELECT family_id{',' if flag_cols else ''}\n    {flag_cols}\n  FROM ({docs}) d GROUP BY family_id"
    selects = []
    for dim, cats in defn.dimensions.items():
        mine = [i for i, (d, _) in enumerate(places) if d == dim]
        for cat, node in cats.items():
            if node == OTHERWISE:
                cond = "NOT (" + " OR ".join(f"c{i} = 1" for i in mine) + ")" if mine else "true"
            else:
                cond = f"c{places.index((dim, cat))} = 1"
            selects.append(f"SELECT family_id, {sql_string(dim)} AS dimension, {sql_string(cat)} AS category "
                           f"FROM fam WHERE {cond}")
    return f"WITH fam AS (\n  {fam}\n)\n" + "\nUNION ALL\n".join(selects)


def apply(defn: Definition, engine) -> dict:
    """Write ``landscape_<name>`` and ``landscape_<name>_categories``; return the summary."""
    members, categories = table_names(defn)
    meta = {"definition": defn.name, "definition_hash": defn.hash, "version": defn.version,
            "definition_path": str(defn.path) if defn.path else None, "conventions": defn.conventions}
    engine.write_derived(members, membership_sql(defn), **meta)
    sql = categories_sql(defn, members) or ("SELECT CAST(NULL AS VARCHAR) AS family_id, CAST(NULL AS VARCHAR) AS "
                                             "dimension, CAST(NULL AS VARCHAR) AS category WHERE false")
    engine.write_derived(categories, sql, **meta)
    return summary(defn, engine)


def summary(defn: Definition, engine) -> dict:
    members, categories = table_names(defn)
    row = engine.query(f"SELECT count(*) AS families, coalesce(sum(matched_publications), 0) AS publications "
                       f"FROM {members}").to_pylist()[0]
    counts = engine.query(f"SELECT dimension, category, count(DISTINCT family_id) AS families FROM {categories} "
                          f"GROUP BY dimension, category").to_pylist()
    found = {(r["dimension"], r["category"]): r["families"] for r in counts}
    cats = {dim: {cat: found.get((dim, cat), 0) for cat in cs} for dim, cs in defn.dimensions.items()}
    return {"landscape": defn.name, "version": defn.version, "definition_hash": defn.hash,
            "families": int(row["families"]), "publications": int(row["publications"]),
            "categories": cats, "conventions": defn.conventions}


# --- explain ------------------------------------------------------------------------------

def find_publication(engine, number: str) -> list[str]:
    """Publication numbers in the lake for what the user typed (with or without kind code)."""
    wanted = normalise_pn(number) or number.strip().upper()
    rows = engine.query(f"SELECT DISTINCT publication_number FROM publications WHERE publication_number = "
                        f"{sql_string(wanted)} OR publication_number LIKE {sql_string(wanted + '-%')} "
                        f"ORDER BY publication_number").to_pylist()
    return [r["publication_number"] for r in rows]


def load_doc(engine, pn: str) -> match.Doc:
    pubs = engine.query(f"SELECT title, abstract, claims_text FROM publications WHERE publication_number = "
                        f"{sql_string(pn)}").to_pylist()
    codes = engine.query(f"SELECT scheme, code, is_first, is_inventive FROM classifications WHERE "
                         f"publication_number = {sql_string(pn)}").to_pylist()
    first = pubs[0] if pubs else {}
    return match.Doc(first.get("title") or "", first.get("abstract") or "", first.get("claims_text") or "",
                     tuple((c["scheme"], c["code"], bool(c["is_first"]), bool(c["is_inventive"])) for c in codes))


def explain(defn: Definition, engine, number: str) -> dict:
    found = find_publication(engine, number)
    if not found:
        raise UsageError(f"publication {number} is not in the lake",
                         hint="give the number as in the lake, e.g. US-8926509-B2 (kind code optional)")
    out = []
    for pn in found:
        doc = load_doc(engine, pn)
        cats = {}
        for dim, categories in defn.dimensions.items():
            cats[dim] = {cat: match.matches(node, doc) for cat, node in categories.items() if node != OTHERWISE}
        out.append({"publication_number": pn, "member": match.matches(defn.membership, doc),
                    "clauses": match.explain(defn.membership, doc), "categories": cats})
    return {"landscape": defn.name, "publications": out}


# --- sample -------------------------------------------------------------------------------

SAMPLE_SHARES = {"in": 0.5, "near": 0.3, "out": 0.2}


def _strata_sql(defn: Definition, seed: int) -> str:
    """Families with their stratum and a seeded random draw.

    Strata: ``in`` (members), ``near`` (not members, but passing the query's necessary condition,
    the gate: where false negatives hide) and ``out`` (the rest). The draw is a
    hash of seed and family id, so the same seed gives the same sample on any engine.
    """
    compiled = Compiler().compile(defn.membership)
    near = compiled.gate or compiled.predicate
    docs = docs_sql(compiled.flags, compiled.fields | {"title", "abstract"})
    return f"""
WITH d AS ({docs}),
tagged AS (
  SELECT family_id, publication_number, title, abstract,
         CASE WHEN {compiled.prefiltered} THEN 1 ELSE 0 END AS hit,
         CASE WHEN {near} THEN 1 ELSE 0 END AS near
  FROM d
),
fam AS (
  SELECT family_id, max(hit) AS hit, max(near) AS near, min(publication_number) AS publication_number
  FROM tagged GROUP BY family_id
),
strata AS (
  SELECT family_id, publication_number,
         CASE WHEN hit = 1 THEN 'in' WHEN near = 1 THEN 'near' ELSE 'out' END AS stratum,
         md5(concat({sql_string(str(seed))}, family_id)) AS draw
  FROM fam
)"""


def allocate(n: int, available: dict) -> dict:
    """Split ``n`` over the strata by ``SAMPLE_SHARES``; what a small stratum cannot take goes to the others."""
    quotas = {k: 0 for k in SAMPLE_SHARES}
    left = min(n, sum(available.get(k, 0) for k in SAMPLE_SHARES))
    while left > 0:
        open_ = [k for k in SAMPLE_SHARES if quotas[k] < available.get(k, 0)]
        total = sum(SAMPLE_SHARES[k] for k in open_)
        step = {k: max(1, int(left * SAMPLE_SHARES[k] / total)) if left >= len(open_) else 1 for k in open_}
        for k in open_:
            take = min(step[k], available.get(k, 0) - quotas[k], left)
            quotas[k] += take
            left -= take
            if left == 0:
                break
    return quotas


def sample_csv(defn: Definition, engine, n: int, seed: int) -> str:
    """A stratified random sample of families, one publication each, for analysts to label."""
    strata = _strata_sql(defn, seed)
    sizes = {r["stratum"]: r["n"] for r in engine.query(f"{strata}\nSELECT stratum, count(*) AS n FROM strata "
                                                         f"GROUP BY stratum").to_pylist()}
    quotas = allocate(n, sizes)
    sql = f"""{strata},
ranked AS (SELECT *, row_number() OVER (PARTITION BY stratum ORDER BY draw, family_id) AS k FROM strata)
SELECT r.stratum, r.family_id, r.publication_number, t.title, t.abstract, '' AS label
FROM ranked r JOIN tagged t ON t.publication_number = r.publication_number AND t.family_id = r.family_id
WHERE {' OR '.join(f"(r.stratum = '{k}' AND r.k <= {v})" for k, v in quotas.items())}
ORDER BY r.stratum, r.k"""
    rows = engine.query(sql).to_pylist()
    seen, out = set(), io.StringIO()
    writer = csv.DictWriter(out, ["stratum", "family_id", "publication_number", "title", "abstract", "label"])
    writer.writeheader()
    for row in rows:
        if row["publication_number"] not in seen:  # a publication ingested from two sources
            seen.add(row["publication_number"])
            writer.writerow(row)
    return out.getvalue()


# --- evaluate -----------------------------------------------------------------------------

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


def evaluate(defn: Definition, engine, labels: list[dict]) -> dict:
    """Precision and recall of the membership against analyst labels, with Wilson intervals."""
    members = {r["family_id"] for r in engine.query(membership_sql(defn)).to_pylist()}
    pn_family = {}
    pns = sorted({r["publication_number"] for r in labels if r["publication_number"]})
    if pns:
        listed = ", ".join(sql_string(p) for p in pns)
        for r in engine.query(f"SELECT publication_number, family_id FROM publications "
                              f"WHERE publication_number IN ({listed})").to_pylist():
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
            "not_in_lake": missing, "weighted": weighted(defn, engine, labels)}


def weighted(defn: Definition, engine, labels: list[dict]) -> dict | None:
    """Population estimates for a labelled ``sample`` (rows carry its ``stratum`` column).

    The sample over-represents members, so plain recall over the labelled rows is biased; each
    stratum's share of relevant families is scaled to the stratum's size in the lake:
    recall = N_in·p_in / Σ N_s·p_s, precision = p_in (only members are predicted relevant).
    """
    strata = {r.get("stratum") for r in labels}
    if not labels or not strata <= set(SAMPLE_SHARES):
        return None
    sizes = {r["stratum"]: r["n"] for r in engine.query(
        f"{_strata_sql(defn, 0)}\nSELECT stratum, count(*) AS n FROM strata GROUP BY stratum").to_pylist()}
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
