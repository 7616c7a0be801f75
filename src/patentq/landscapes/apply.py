"""Applying a definition to a lake: ``landscape_<name>`` (members) and
``landscape_<name>_categories``, the ``landscape`` stage of ``patentq.stages``.

Everything set-wise runs as SQL inside the engine (the compiler's SQL: ``compile.py`` and
``keywords.py``); ``explain.py`` checks one publication with the Python matcher, which the tests
hold equal to the SQL.

Family level: a family is in the landscape if any of its publications matches the membership
query; its categories are the union of the categories its publications (all of them, not just
the matching ones) fall in. ``otherwise`` categories take the members no other category of
their dimension took.
"""

from __future__ import annotations

from .. import sql
from .compile import Compiler, docs_sql, sql_string
from .definition import OTHERWISE, Definition, load
from .keywords import guarded, keyed_sql, member_docs_sql
from .paths import lake_has, unmatchable_categories
from .query import Text, leaves


def table_names(defn: Definition) -> tuple[str, str]:
    return f"landscape_{defn.name}", f"landscape_{defn.name}_categories"


def refined_names(name: str) -> tuple[str, str, str, str]:
    """The ``refine`` stage's tables: refined members, their categories, scores, model."""
    return (f"landscape_{name}_refined", f"landscape_{name}_refined_categories", f"landscape_{name}_scores",
            f"landscape_{name}_model")


def membership_sql(defn: Definition) -> str:
    """``family_id, matched_publications`` for every family with a matching publication."""
    compiler = Compiler()
    compiled = compiler.compile(defn.membership)
    docs = docs_sql(compiled.flags, compiled.fields)
    select = "family_id, CAST(count(DISTINCT publication_number) AS INTEGER) AS matched_publications"
    fast = keyed_sql(compiler, defn.membership, docs, compiled.gate, select)
    if fast:
        return fast + "\nGROUP BY family_id"
    return stage_sql("membership", select=select, docs=docs, predicate=compiled.prefiltered)


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


def definition_source(defn: Definition) -> str:
    """What the stage registry reloads the definition from: the built-in name or the file path."""
    from .definition import BUILTIN

    if defn.path is None or defn.path.parent == BUILTIN:
        return defn.name
    return str(defn.path)


def build(session, name: str, source: str | None = None, **_key_only) -> dict:
    """The ``landscape`` stage: apply the definition ``source`` (a built-in name or a YAML path;
    default ``name``) and write its tables; return the summary."""
    return write(load(source or name), session)


def write(defn: Definition, session) -> dict:
    """Write ``landscape_<name>`` and ``landscape_<name>_categories``; return the summary."""
    engine = session.engine
    members, categories = table_names(defn)
    meta = {"definition": defn.name, "definition_hash": defn.hash, "version": defn.version,
            "definition_path": str(defn.path) if defn.path else None, "conventions": defn.conventions}
    with session.step("landscape", f"{defn.name} membership"):
        engine.write_derived(members, membership_sql(defn), **meta)
    with session.step("landscape", f"{defn.name} categories"):
        engine.write_derived(categories, categories_sql(defn, members) or stage_sql("no_categories"), **meta)
    return summary(defn, session)


def apply(defn: Definition, session, progress=None) -> dict:
    """Apply ``defn`` through the stage registry (rebuilt only when its definition or inputs
    changed); return the summary, with warnings for paths the lake cannot take (and an error,
    exit 3, when it can take none: ``paths.py``)."""
    from .paths import check

    warnings = check(defn, session)
    built = session.require(table_names(defn)[0], source=definition_source(defn), progress=progress)
    return {**summary(defn, session), "rebuilt": any(r["action"] == "built" for r in built), "warnings": warnings}


def stage_sql(name: str, **params) -> str:
    return sql.load(__name__.rsplit(".", 1)[0], name, **params)


def summary(defn: Definition, session) -> dict:
    engine = session.engine
    members, categories = table_names(defn)
    row = engine.rows(stage_sql("summary", members=members))[0]
    counts = engine.rows(stage_sql("category_counts", categories=categories))
    found = {(r["dimension"], r["category"]): r["families"] for r in counts}
    # a category whose clauses need data the lake lacks is unknown (None), not 0 families
    absent = unmatchable_categories(defn, lake_has(session))
    cats = {dim: {cat: None if cat in absent.get(dim, {}) else found.get((dim, cat), 0) for cat in cs}
            for dim, cs in defn.dimensions.items()}
    return {"landscape": defn.name, "version": defn.version, "definition_hash": defn.hash,
            "families": int(row["families"]), "publications": int(row["publications"]),
            "categories": cats, "categories_not_in_data": absent, "conventions": defn.conventions}


