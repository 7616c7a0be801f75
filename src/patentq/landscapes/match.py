"""A plain Python matcher for one document: the reference the SQL compiler is tested against,
and the engine behind ``landscape explain`` (which clause matched, on which words or code).

It works on tokens and character positions, not regular expressions, so it is an independent
statement of the same rules: a word is a maximal run of ``[A-Za-z0-9_]``, compared
case-insensitively; a CJK term is a substring; ``+Nw`` means the next operand starts after at
most N other words, in order, ``+Nc`` after at most N characters; ``/N.`` allows either order.
A document has one version per language (``Doc.versions``); a query matches the document when
it matches one version, each version on its own.
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
    language: str = ""  # the language of title/abstract/claims (the primary version)
    versions: tuple = ()  # other language versions: (language, title, abstract, claims)

    def each_version(self) -> list["Doc"]:
        """The primary version, then one document per other language version (codes shared).

        As in ``versions.sql``: a version's field equal to the primary text of that field is left
        out (the text is searched once), and a version left with no text is no version.
        """
        out = [self]
        for language, *values in self.versions:
            title, abstract, claims = ((v or "") if (v or "") != (p or "") else ""
                                       for v, p in zip(values, (self.title, self.abstract, self.claims)))
            if title or abstract or claims:
                out.append(Doc(title, abstract, claims, self.codes, self.tags, (language or "").lower()))
        return out

_BLANKS = " \t\n\r\f\u3000"


def tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text or "")]


def _word_ok(word, token: str) -> bool:
    return token.startswith(word.text) if word.truncated else token == word.text


def _phrase_at(phrase, toks, i) -> bool:
    return i + len(phrase) <= len(toks) and all(_word_ok(w, toks[i + k][0]) for k, w in enumerate(phrase))


def _operand_spans(phrase, text: str, toks) -> list[tuple[int, int]]:
    """(start, end) character offsets of every place a phrase with CJK terms matches: CJK
    terms as substrings, ASCII words as whole tokens, words joined by blanks (CJK neighbours)
    or by at least one non-word character (ASCII neighbours)."""
    lower = text.lower()
    token_at = {start: (tok, end) for tok, start, end in toks}

    def word_at(word, i) -> list[int]:  # ends of ``word`` starting at i
        if word.cjk:
            return [i + len(word.text)] if lower.startswith(word.text, i) else []
        hit = token_at.get(i)
        return [hit[1]] if hit and _word_ok(word, hit[0]) else []

    def starts_after(end, prev, word) -> list[int]:
        if prev.cjk or word.cjk:
            j, out = end, [end]
            while j < len(text) and text[j] in _BLANKS:
                j += 1
                out.append(j)
            return out
        nxt = [s for s in token_at if s > end and not any(_is_word_char(c) for c in text[end:s])]
        return [s for s in nxt if all(not _is_word_char(c) for c in text[end:s])]

    out = []
    for i in range(len(text)):
        ends = word_at(phrase[0], i)
        for prev, word in zip(phrase, phrase[1:]):
            ends = [e2 for e in ends for s in starts_after(e, prev, word) for e2 in word_at(word, s)]
        out += [(i, e) for e in ends]
    return out


def _is_word_char(c: str) -> bool:
    return c.isascii() and (c.isalnum() or c == "_")


def _char_spans(node: Text, text: str, toks) -> list[tuple[int, int]]:
    """Character spans of every place a clause with CJK terms or character gaps matches."""
    def spans(phrase):
        return _operand_spans(phrase, text, toks)

    def gap_ok(a_end, b_start, gap) -> bool:
        n, _, unit = gap
        if unit == "c":
            return 0 <= b_start - a_end <= n
        between = [t for t in toks if t[1] >= a_end and t[2] <= b_start]
        return b_start > a_end and not _is_word_char(text[a_end]) and not _is_word_char(text[b_start - 1]) \
            and len(between) <= n

    ops = node.operands
    if len(ops) == 2 and not node.gaps[0][1]:
        out = []
        for a, b in ((ops[0], ops[1]), (ops[1], ops[0])):
            for s1, e1 in spans(a):
                out += [(s1, e2) for s2, e2 in spans(b) if gap_ok(e1, s2, node.gaps[0])]
        return out
    cur = spans(ops[0])
    for gap, op in zip(node.gaps, ops[1:]):
        nexts = spans(op)
        cur = [(s, e2) for s, e in cur for s2, e2 in nexts if gap_ok(e, s2, gap)]
    return cur


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
    for (n, _, *_unit), op in zip(node.gaps, ops[1:]):
        nexts = starts(op)
        spans = [(s, j + len(op)) for s, e in spans for j in nexts if 0 <= j - e <= n]
    return spans


def text_hits(node: Text, doc: Doc) -> list[tuple[str, str]]:
    """(field, matched text) for every match of the clause in this version of the document."""
    out = []
    if node.langs and doc.language not in node.langs:
        return out
    by_chars = node.cjk or any(g[2] == "c" for g in node.gaps)
    for name in node.fields:
        text = getattr(doc, name) or ""
        toks = tokens(text)
        if by_chars:
            out += [(name, text[s:e]) for s, e in _char_spans(node, text, toks)]
            continue
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
    """Whether the query matches one version of the document."""
    return any(_matches(node, version) for version in doc.each_version())


def _matches(node, doc: Doc) -> bool:
    if isinstance(node, Text):
        return bool(text_hits(node, doc))
    if isinstance(node, Classification):
        return bool(class_hits(node, doc))
    if isinstance(node, Tag):
        return bool(tag_hits(node, doc))
    if isinstance(node, Not):
        return not _matches(node.item, doc)
    if isinstance(node, And):
        return all(_matches(i, doc) for i in node.items)
    if isinstance(node, Or):
        return any(_matches(i, doc) for i in node.items)
    raise TypeError(f"cannot match {node!r}")


def explain(node, doc: Doc) -> list[dict]:
    """Every clause with whether it matched and the evidence (words with field, or codes)."""
    rows = []
    for leaf in leaves(node):
        if isinstance(leaf, Text):
            hits = [f"{f}{'[' + v.language + ']' if v.language else ''}: {t}"
                    for v in doc.each_version() for f, t in text_hits(leaf, v)]
        elif isinstance(leaf, Tag):
            hits = tag_hits(leaf, doc)
        else:
            hits = class_hits(leaf, doc)
        rows.append({"clause": str(leaf), "line": leaf.pos[0], "column": leaf.pos[1],
                     "matched": bool(hits), "evidence": sorted(set(hits))})
    return rows
