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
    predicate: str  # over the docs columns plus w_<column> word lists


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
    guards, keys = [], set()
    units = [("text", leaves) for leaves in texts.values()] + [("node", b) for b in branches]
    for kind, unit in units:
        need = (unit, set()) if kind == "text" else compiler.necessary(unit)
        if need is None:
            guards.append(None)
            continue
        leaf_keys = [(leaf.fields, _key_word(leaf)) for leaf in need[0]]
        keys |= {k for _, k in leaf_keys}
        guards.append((leaf_keys, need[1]))
    canon = _canonical(keys)
    extract: dict = {}
    parts = []
    for (kind, unit), guard in zip(units, guards):
        if kind == "text":
            body = text_regex(unit[0]) if len(unit) == 1 else "(?:" + "|".join(text_regex(t) for t in unit) + ")"
            expr = _on_fields(unit[0].fields, body)
        else:
            expr = compiler.expr(unit, set())
        if guard is None:
            parts.append(expr)
            continue
        tests = set()
        for fields, key in guard[0]:
            word = canon[key]
            for f in fields:
                extract.setdefault(COLUMNS[f], set()).add(word)
                tests.add(f"list_contains(w_{COLUMNS[f]}, {sql_string(word[0])})")
        tests |= {f"{flag} = 1" for flag in guard[1]}
        parts.append(f"CASE WHEN {' OR '.join(sorted(tests))} THEN {expr} ELSE false END")
    regexes = {}
    for column, words in extract.items():
        alts = sorted((w + ("" if stem else r"\b") for w, stem in words), key=lambda a: (-len(a), a))
        regexes[column] = r"\b(?:" + "|".join(alts) + ")"
    return Keyed(regexes, "(" + " OR ".join(parts) + ")")


def keyed_sql(compiler: Compiler, node, docs: str, gate: str | None, select: str) -> str | None:
    """``SELECT <select> FROM`` the gated docs with word lists ``WHERE`` the keyed predicate."""
    form = keyed(compiler, node)
    if form is None:
        return None
    words = ", ".join(f"regexp_extract_all(lower({col}), {sql_string(rx)}, 0) AS w_{col}" for col, rx in form.extract.items())
    inner = f"SELECT d.*{', ' + words if words else ''} FROM ({docs}) d" + (f" WHERE {gate}" if gate else "")
    return f"SELECT {select} FROM ({inner}) g WHERE {form.predicate}"
