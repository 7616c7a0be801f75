"""Keyed evaluation of a wide OR query, for speed on large text.

A landscape's membership query is an OR of many branches, each a few regular expressions. Run
naively, every row that passes the gate is scanned once per branch. Instead, one extra pass over
the gated rows (``regexp_extract_all`` on the lower-cased text) lists which *key words* occur;
each branch then runs only where one of its key words (or classification flags) is present.

A key word is a single word or stem a branch cannot match without (see ``compile._gate_word``).
Keys are chosen so no two can match at the same word start (a stem swallows the longer keys it
prefixes), which makes the extraction exact: key k is listed iff some word of the text matches k.
So ``CASE WHEN <keys present> THEN branch ELSE false END`` equals the branch: nothing changes
but the work. (Lower-casing agrees with case-insensitive matching for every ASCII letter; a
handful of exotic characters such as U+017F 'ſ' fold differently.)
"""

from __future__ import annotations

from dataclasses import dataclass

from .compile import COLUMNS, Compiler, _flatten_or, _key_word, flags_cte, regex_sql, sql_string, text_columns, versions_sql
from .query import CJK_RUN, Or, Text, leaves


@dataclass
class Keyed:
    extract: dict  # column → regex whose matches are the key words present
    predicate: object  # SQL over the docs columns plus w_<column> word lists (a list from guarded)


def _canonical(keys: set) -> dict:
    """key → the key it is tested as: a stem absorbs every key it is a prefix of."""
    stems = sorted((k for k in keys if k[1]), key=lambda k: len(k[0]))
    out = {}
    for key in keys:
        owner = next((s for s in stems if key[0].startswith(s[0]) and s != key and len(s[0]) <= len(key[0])), None)
        out[key] = owner or key
    # chains (a stem absorbed by a shorter stem) resolve to the shortest
    for key, owner in out.items():
        while out[owner] != owner:
            owner = out[owner]
        out[key] = owner
    return out


def _cjk(key: tuple) -> bool:
    return bool(CJK_RUN.fullmatch(key[0]))


def _single_words(node) -> set:
    """(word, truncated) of every one-word text clause in ``node``."""
    return {(leaf.operands[0][0].text, leaf.operands[0][0].truncated) for leaf in leaves(node)
            if isinstance(leaf, Text) and len(leaf.operands) == 1 and len(leaf.operands[0]) == 1}


def guarded(compiler: Compiler, nodes: list) -> Keyed:
    """Each node as SQL that runs only where one of its key words or flags is present.

    One-word clauses whose word is its own key are answered from the word lists alone (the
    extraction is exact for them), so most clauses need no regex at all. ``Keyed.predicate`` is
    the list of expressions, one per node.
    """
    needs = [compiler.necessary(n) for n in nodes]
    singles = {w for w in (set().union(*(_single_words(n) for n in nodes)) if nodes else set()) if not _cjk(w)}
    keys = {_key_word(leaf) for need in needs if need for leaf in need[0] if not _cjk(_key_word(leaf))} | singles
    canon = _canonical(keys)
    compiler.listed_words = {k for k in singles if canon[k] == k}
    extract: dict = {}
    for node in nodes:
        for leaf in leaves(node):
            if isinstance(leaf, Text) and len(leaf.operands) == 1 and len(leaf.operands[0]) == 1:
                word = (leaf.operands[0][0].text, leaf.operands[0][0].truncated)
                if word in compiler.listed_words:
                    for f in leaf.fields:
                        extract.setdefault(COLUMNS[f], set()).add(word)
    parts = []
    try:
        for node, need in zip(nodes, needs):
            expr = compiler.expr(node, set())
            if need is None:
                parts.append(expr)
                continue
            tests = {f"{flag} = 1" for flag in need[1]}
            for leaf in need[0]:
                if _cjk(_key_word(leaf)):  # substrings overlap: not extracted, tested with a regex
                    tests |= {regex_sql(COLUMNS[f], _key_word(leaf)[0]) for f in leaf.fields}
                    continue
                word = canon[_key_word(leaf)]
                for f in leaf.fields:
                    extract.setdefault(COLUMNS[f], set()).add(word)
                    tests.add(f"list_contains(w_{COLUMNS[f]}, {sql_string(word[0])})")
            parts.append(expr if expr in tests else f"CASE WHEN {' OR '.join(sorted(tests))} THEN {expr} ELSE false END")
    finally:
        compiler.listed_words = set()
    regexes = {}
    for column, words in extract.items():
        alts = sorted((w + ("" if stem else r"\b") for w, stem in words), key=lambda a: (-len(a), a))
        regexes[column] = r"\b(?:" + "|".join(alts) + ")"
    return Keyed(regexes, parts)


def keyed(compiler: Compiler, node) -> Keyed | None:
    """The keyed form of ``node`` when it is a wide OR; None when not worth it."""
    if not isinstance(node, Or):
        return None
    branches, texts = [], {}
    for item in _flatten_or(node.items):
        if isinstance(item, Text):
            texts.setdefault(item.fields, []).append(item)
        else:
            branches.append(item)
    if len(branches) + len(texts) < 3:
        return None
    form = guarded(compiler, _text_units(texts) + branches)
    return Keyed(form.extract, "(" + " OR ".join(form.predicate) + ")")


def _text_units(texts: dict) -> list:
    """OR'ed text clauses as units: one-word clauses together (list look-ups, no regex), the
    others grouped by key word so each group's alternation runs only where its key occurs."""
    units = []
    for group in texts.values():
        single = [t for t in group if len(t.operands) == 1 and len(t.operands[0]) == 1]
        by_key: dict = {}
        for t in group:
            if t not in single:
                by_key.setdefault(_key_word(t), []).append(t)
        for g in ([single] if single else []) + list(by_key.values()):
            units.append(Or(tuple(g), g[0].pos) if len(g) > 1 else g[0])
    return units


def word_lists(extract: dict, source: str = "{col}") -> list[str]:
    """A ``w_<column>`` column per text column: the key words present, in order (``source``
    spells the text column, ``{col}`` standing for its name)."""
    return [f"regexp_extract_all(lower({source.format(col=col)}), {sql_string(rx)}, 0) AS w_{col}"
            for col, rx in extract.items()]


def with_words(docs: str, extract: dict, where: str | None = None) -> str:
    """``docs`` plus a ``w_<column>`` list of the key words present, per text column."""
    words = ", ".join(word_lists(extract))
    return f"SELECT d.*{', ' + words if words else ''} FROM ({docs}) d" + (f" WHERE {where}" if where else "")


def member_docs_sql(flags: dict, fields: set, extract: dict, members: str) -> str:
    """The publications of the families in ``members``: text columns, ``w_<column>`` key-word
    lists and classification flags (the ``docs`` relation for the categories pass).

    The word lists are computed *below* the join with the flags. Computed above it (as
    ``with_words(docs_sql(...))`` does), DuckDB merges that projection into the aggregate over it
    and re-runs ``regexp_extract_all`` at every ``list_contains`` (docs/performance-notes.md). The
    flags are aggregated for these publications only, not over the
    whole ``classifications`` table (docs/scale.md, "Landscape at scale").
    """
    cols = text_columns(fields) + word_lists(extract, "coalesce(p.{col}, '')")
    join = f"JOIN {members} m ON m.family_id = p.family_id"
    sql = f"SELECT {', '.join(cols)}\n  FROM ({versions_sql(fields)}) p {join}\n  WHERE p.family_id IS NOT NULL"
    if not flags:
        return sql
    pubs = f"SELECT p.publication_number FROM publications p {join}"
    flag_cols = ", ".join(f"coalesce(c.{name}, 0) AS {name}" for name in flags)
    return (f"SELECT d.*, {flag_cols}\n  FROM ({sql}) d\n  LEFT JOIN ({flags_cte(flags, pubs)}) c "
            f"ON c.publication_number = d.publication_number")


def keyed_sql(compiler: Compiler, node, docs: str, gate: str | None, select: str) -> str | None:
    """``SELECT <select> FROM`` the gated docs with word lists ``WHERE`` the keyed predicate."""
    form = keyed(compiler, node)
    if form is None:
        return None
    return f"SELECT {select} FROM ({with_words(docs, form.extract, gate)}) g WHERE {form.predicate}"
