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

from .compile import COLUMNS, Compiler, _flatten_or, _key_word, _on_fields, sql_string, text_regex
from .query import Or, Text


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


def guarded(compiler: Compiler, units: list) -> Keyed:
    """``units``: (expression, necessary condition or None). Each expression is wrapped so it runs
    only where one of its key words or flags is present; ``Keyed.predicate`` is a list here."""
    keys = {_key_word(leaf) for _, need in units if need for leaf in need[0]}
    canon = _canonical(keys)
    extract: dict = {}
    parts = []
    for expr, need in units:
        if need is None:
            parts.append(expr)
            continue
        tests = {f"{flag} = 1" for flag in need[1]}
        for leaf in need[0]:
            word = canon[_key_word(leaf)]
            for f in leaf.fields:
                extract.setdefault(COLUMNS[f], set()).add(word)
                tests.add(f"list_contains(w_{COLUMNS[f]}, {sql_string(word[0])})")
        parts.append(f"CASE WHEN {' OR '.join(sorted(tests))} THEN {expr} ELSE false END")
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
    units = []
    for leaves in texts.values():
        body = text_regex(leaves[0]) if len(leaves) == 1 else "(?:" + "|".join(text_regex(t) for t in leaves) + ")"
        units.append((_on_fields(leaves[0].fields, body), (leaves, set())))
    units += [(compiler.expr(b, set()), compiler.necessary(b)) for b in branches]
    form = guarded(compiler, units)
    return Keyed(form.extract, "(" + " OR ".join(form.predicate) + ")")


def with_words(docs: str, extract: dict, where: str | None = None) -> str:
    """``docs`` plus a ``w_<column>`` list of the key words present, per text column."""
    words = ", ".join(f"regexp_extract_all(lower({col}), {sql_string(rx)}, 0) AS w_{col}" for col, rx in extract.items())
    return f"SELECT d.*{', ' + words if words else ''} FROM ({docs}) d" + (f" WHERE {where}" if where else "")


def keyed_sql(compiler: Compiler, node, docs: str, gate: str | None, select: str) -> str | None:
    """``SELECT <select> FROM`` the gated docs with word lists ``WHERE`` the keyed predicate."""
    form = keyed(compiler, node)
    if form is None:
        return None
    return f"SELECT {select} FROM ({with_words(docs, form.extract, gate)}) g WHERE {form.predicate}"
