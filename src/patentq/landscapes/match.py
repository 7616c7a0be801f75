"""A plain Python matcher for one document: the reference the SQL compiler is tested against,
and the engine behind ``landscape explain`` (which clause matched, on which words or code).

It works on tokens, not regular expressions, so it is an independent statement of the same
rules: a word is a maximal run of ``[A-Za-z0-9_]``, compared case-insensitively; ``+Nw`` means
the next operand starts after at most N other words, in order; ``/Nw`` allows either order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .query import And, Classification, Code, Not, Or, Tag, Text, group_key, leaves

_WORD = re.compile(r"[A-Za-z0-9_]+")


@dataclass
class Doc:
    title: str = ""
    abstract: str = ""
    claims: str = ""
    codes: tuple = ()  # (scheme, code, is_first, is_inventive)
    tags: tuple = ()  # (scheme, tag)


def tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text or "")]


def _word_ok(word, token: str) -> bool:
    return token.startswith(word.text) if word.truncated else token == word.text


def _phrase_at(phrase, toks, i) -> bool:
    return i + len(phrase) <= len(toks) and all(_word_ok(w, toks[i + k][0]) for k, w in enumerate(phrase))


def _chain_spans(node: Text, toks) -> list[tuple[int, int]]:
    """(first token, last token + 1) of every place the clause matches."""
    def starts(phrase):
        return [i for i in range(len(toks)) if _phrase_at(phrase, toks, i)]

    ops = node.operands
    if len(ops) == 2 and not node.gaps[0][1]:
        n = node.gaps[0][0]
        out = []
        for a, b in ((ops[0], ops[1]), (ops[1], ops[0])):
            for i in starts(a):
                for j in starts(b):
                    if 0 <= j - (i + len(a)) <= n:
                        out.append((i, j + len(b)))
        return out
    spans = [(i, i + len(ops[0])) for i in starts(ops[0])]
    for (n, _), op in zip(node.gaps, ops[1:]):
        nexts = starts(op)
        spans = [(s, j + len(op)) for s, e in spans for j in nexts if 0 <= j - e <= n]
    return spans


def text_hits(node: Text, doc: Doc) -> list[tuple[str, str]]:
    """(field, matched text) for every match of the clause."""
    out = []
    for name in node.fields:
        text = getattr(doc, name) or ""
        toks = tokens(text)
        for s, e in _chain_spans(node, toks):
            out.append((name, text[toks[s][1]:toks[e - 1][2]]))
    return out


def code_matches(code: Code, value: str) -> bool:
    if code.star or code.level in ("section", "class", "subclass", "subgroup"):
        return value.startswith(code.text)
    return value == code.text or value.startswith(code.text + "/")


def range_matches(low: Code, high: Code, value: str) -> bool:
    if low.level not in ("group", "subgroup") and high.level not in ("group", "subgroup"):
        return value >= low.text and (value <= high.text or value.startswith(high.text))
    if value[:4] != low.text[:4]:
        return False
    key, lo, hi = group_key(value), group_key(low.text), group_key(high.text)
    ok_low = key >= lo if low.level == "subgroup" else key[:4] >= lo[:4]
    ok_high = (key <= hi or key.startswith(hi)) if high.level == "subgroup" else key[:4] <= hi[:4]
    return ok_low and ok_high


def class_hits(node: Classification, doc: Doc) -> list[str]:
    out = []
    for scheme, code, is_first, is_inventive in doc.codes:
        if (scheme != node.scheme and not (node.scheme == "cls" and scheme in ("cpc", "ipc"))) or (node.first and not is_first) or (node.inventive and not is_inventive):
            continue
        if node.exact:
            ok = code == node.exact_code
        else:
            ok = range_matches(node.low, node.high, code) if node.high else code_matches(node.low, code)
        if ok:
            out.append(code)
    return out


def tag_hits(node: Tag, doc: Doc) -> list[str]:
    return [f"{scheme}={tag}" for scheme, tag in doc.tags
            if scheme.lower() == node.scheme and (node.value is None or tag.lower() == node.value)]


def matches(node, doc: Doc) -> bool:
    if isinstance(node, Text):
        return bool(text_hits(node, doc))
    if isinstance(node, Classification):
        return bool(class_hits(node, doc))
    if isinstance(node, Tag):
        return bool(tag_hits(node, doc))
    if isinstance(node, Not):
        return not matches(node.item, doc)
    if isinstance(node, And):
        return all(matches(i, doc) for i in node.items)
    if isinstance(node, Or):
        return any(matches(i, doc) for i in node.items)
    raise TypeError(f"cannot match {node!r}")


def explain(node, doc: Doc) -> list[dict]:
    """Every clause with whether it matched and the evidence (words with field, or codes)."""
    rows = []
    for leaf in leaves(node):
        if isinstance(leaf, Text):
            hits = [f"{f}: {t}" for f, t in text_hits(leaf, doc)]
        elif isinstance(leaf, Tag):
            hits = tag_hits(leaf, doc)
        else:
            hits = class_hits(leaf, doc)
        rows.append({"clause": str(leaf), "line": leaf.pos[0], "column": leaf.pos[1],
                     "matched": bool(hits), "evidence": sorted(set(hits))})
    return rows
