"""Query → SQL over the canonical tables, in the portable subset (docs/architecture.md).

Text clauses become case-insensitive regular expressions (``regexp_matches``, transpiled to
``RLIKE`` for Spark) over the raw ``title`` / ``abstract`` / ``claims_text`` columns; a word is
a maximal run of ``[A-Za-z0-9_]`` (RE2 and Java ``\\w``), so phrases and proximity skip any
punctuation between words. Classification clauses become one flag per clause, aggregated per
publication from ``classifications`` with ``max(CASE ...)``.

Speed: sibling OR'ed text clauses on the same fields are merged into one alternation, and the
query runs behind a *gate*: a necessary condition built from the tree (an OR needs one of its
branches, an AND any one of its branches, the narrowest chosen), compiled to one alternation
per field plus classification flags. ``gate AND query`` equals ``query``, and the engine
evaluates the detailed clauses only on the few rows that pass the gate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .query import And, Classification, Code, Not, Or, Tag, Text, Word, group_key

COLUMNS = {"title": "title", "abstract": "abstract", "claims": "claims_text"}


# --- text → regular expression ------------------------------------------------------------

#: Between two words of a phrase where one is a CJK term: optional blanks (Korean spaces its
#: words, Chinese and Japanese do not; U+3000 is the ideographic space).
CJK_JOIN = r"[\s\x{3000}]*"


def word_regex(word: Word) -> str:
    if word.cjk:
        return word.text  # a substring: no word boundaries in CJK text
    return word.text + (r"\w*" if word.truncated else r"\b")


def phrase_regex(phrase: tuple, lead: bool = False) -> str:
    """A phrase; ``lead``: start it with ``\b`` when its first word is not a CJK term."""
    out = (r"\b" if lead and not phrase[0].cjk else "") + word_regex(phrase[0])
    for prev, word in zip(phrase, phrase[1:]):
        out += (CJK_JOIN if prev.cjk or word.cjk else r"\W+") + word_regex(word)
    return out


def gap_regex(n: int, unit: str = "w") -> str:
    """Between two operands: ``w``: at least one separator, then up to ``n`` whole words;
    ``c``: up to ``n`` characters of any kind."""
    if unit == "c":
        return r"[\s\S]{0,%d}" % n
    return r"\W+" if n == 0 else r"\W+(?:\w+\W+){0,%d}" % n


def text_regex(node: Text) -> str:
    """The body of the regex for one text clause (without the ``(?i)`` flag)."""
    units = {(tuple(g) + ("w",))[2] for g in node.gaps}
    if not node.cjk and units <= {"w"}:  # words only: the original form
        ops = [phrase_regex(p) for p in node.operands]
        if len(ops) == 2 and not node.gaps[0][1]:
            gap = gap_regex(node.gaps[0][0])
            return rf"\b(?:{ops[0]}{gap}{ops[1]}|{ops[1]}{gap}{ops[0]})"
        out = ops[0]
        for (n, _, *_u), op in zip(node.gaps, ops[1:]):
            out += gap_regex(n) + op
        return r"\b" + out
    # CJK terms or character gaps: each operand carries its own leading \b (ASCII words only)
    ops = [phrase_regex(p, lead=True) for p in node.operands]
    if len(ops) == 2 and not node.gaps[0][1]:
        gap = gap_regex(node.gaps[0][0], node.gaps[0][2])
        return rf"(?:{ops[0]}{gap}{ops[1]}|{ops[1]}{gap}{ops[0]})"
    out = ops[0]
    for (n, _, unit), op in zip(node.gaps, ops[1:]):
        out += gap_regex(n, unit) + op
    return out


def sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def regex_sql(column: str, body: str) -> str:
    return f"regexp_matches({column}, {sql_string('(?i)' + body)})"


# --- classification → SQL condition on one classifications row ----------------------------

def code_condition(code: Code) -> str:
    """A code matches itself and its descendants, where subgroup digits extend the parent's.

    ``G06N3/04`` covers ``G06N3/045`` and ``G06N3/0455``; ``G06N3`` (= ``G06N3/00``) covers every
    ``G06N3/..`` but not ``G06N31/..``; a ``*`` prefix is a plain text prefix (``A4*`` = A41..A47).
    """
    if code.level == "group":
        return f"(code = {sql_string(code.text)} OR code LIKE {sql_string(code.text + '/%')})"
    return f"code LIKE {sql_string(code.text + '%')}"


GROUP_KEY_SQL = ("lpad(regexp_extract(code, '^[A-Z][0-9][0-9][A-Z]([0-9]+)', 1), 4, '0') || '/' || "
                 "regexp_extract(code, '/([0-9]+)$', 1)")


def range_condition(low: Code, high: Code) -> str:
    """``low..high`` inclusive, the end including its descendants.

    Classes and subclasses compare as text (``B01..B07``, ``F21..F24H``); groups compare within
    one subclass with the main group as a number and the subgroup digits as a decimal fraction.
    """
    if low.level not in ("group", "subgroup") and high.level not in ("group", "subgroup"):
        return (f"(code >= {sql_string(low.text)} AND (code <= {sql_string(high.text)} "
                f"OR code LIKE {sql_string(high.text + '%')}))")
    key = GROUP_KEY_SQL
    parts = [f"substr(code, 1, 4) = {sql_string(low.text[:4])}"]
    lo, hi = group_key(low.text), group_key(high.text)
    if low.level == "subgroup":
        parts.append(f"{key} >= {sql_string(lo)}")
    else:
        parts.append(f"{key} >= {sql_string(lo[:5])}")
    if high.level == "subgroup":
        parts.append(f"({key} <= {sql_string(hi)} OR {key} LIKE {sql_string(hi + '%')})")
    else:
        parts.append(f"{key} < {sql_string(hi[:4] + '0')}")  # '/' < '0': every key of that main group
    return "(" + " AND ".join(parts) + ")"


def tag_condition(node: Tag) -> str:
    """A tag as a row of the flags' facts relation (``facts_sql``): scheme ``tag:<scheme>``."""
    cond = f"scheme = {sql_string('tag:' + node.scheme)}"
    return cond + (f" AND code = {sql_string(node.value)}" if node.value else "")


def classification_condition(node: Classification) -> str:
    if node.exact:
        cond = f"code = {sql_string(node.exact_code)}"
    else:
        cond = range_condition(node.low, node.high) if node.high else code_condition(node.low)
    scheme = "scheme IN ('cpc', 'ipc')" if node.scheme == "cls" else f"scheme = {sql_string(node.scheme)}"
    out = f"{scheme} AND {cond}"
    if node.inventive:
        out += " AND coalesce(is_inventive, false)"
    if node.first:
        out += " AND coalesce(is_first, false)"
    return out


# --- boolean structure --------------------------------------------------------------------

@dataclass
class Compiled:
    """A predicate over the ``docs`` relation: text columns plus one 0/1 flag per classification."""

    predicate: str  # the full query
    gate: str | None = None  # a cheap necessary condition (query ⇒ gate); None: not worth it
    flags: dict = field(default_factory=dict)  # flag column → condition on a classifications row
    fields: set = field(default_factory=set)  # text fields read

    @property
    def prefiltered(self) -> str:
        """For WHERE clauses, where DuckDB and Spark evaluate the right side only on survivors."""
        return self.predicate if self.gate is None else f"({self.gate}) AND ({self.predicate})"

    @property
    def case(self) -> str:
        """For select lists (no short-circuit there): the detailed query only where needed."""
        return self.predicate if self.gate is None else f"CASE WHEN {self.gate} THEN {self.predicate} ELSE false END"


class Compiler:
    """Compiles several queries that share one set of classification flags."""

    def __init__(self):
        self.flags: dict[str, str] = {}
        #: single words answered from the ``w_<column>`` key-word lists instead of a regex (keyed.py)
        self.listed_words: set = set()

    def flag(self, node: Classification | Tag) -> str:
        cond = tag_condition(node) if isinstance(node, Tag) else classification_condition(node)
        for name, existing in self.flags.items():
            if existing == cond:
                return name
        name = f"k{len(self.flags)}"
        self.flags[name] = cond
        return name

    def compile(self, node) -> Compiled:
        fields: set = set()
        predicate = self.expr(node, fields)
        gate = None
        need = self.necessary(node)
        if need is not None and need[0]:
            gate = self.gate_sql(*need)
            if gate.count("regexp_matches(") >= predicate.count("regexp_matches("):
                gate = None  # the query is already one scan per field
        return Compiled(predicate, gate, dict(self.flags), fields)

    def necessary(self, node):
        """(text clauses, flags) one of which holds wherever ``node`` holds; None if unknown.

        OR needs one of its branches; AND needs every branch, so one branch's condition is
        enough: the narrowest is taken (classification flags and multi-word clauses first).
        """
        if isinstance(node, Text):
            return [node], set()
        if isinstance(node, (Classification, Tag)):
            return [], {self.flag(node)}
        if isinstance(node, Or):
            texts, flags = [], set()
            for item in node.items:
                need = self.necessary(item)
                if need is None:
                    return None
                texts += need[0]
                flags |= need[1]
            return texts, flags
        if isinstance(node, And):
            options = [n for n in (self.necessary(i) for i in node.items) if n is not None]
            return min(options, key=_breadth) if options else None
        return None  # NOT: holds almost everywhere

    def gate_sql(self, texts, flags) -> str:
        """One alternation of single words per field set: a clause cannot match without its
        rarest word, and a flat word list keeps the regex automaton small and fast."""
        groups: dict[tuple, list[str]] = {}
        for leaf in texts:
            regex = _gate_word(leaf)
            if regex not in groups.setdefault(leaf.fields, []):
                groups[leaf.fields].append(regex)
        parts = [_on_fields(fs, _alternation(regs)) for fs, regs in sorted(groups.items())]
        return " OR ".join(parts + [f"{f} = 1" for f in sorted(flags)])

    def listed(self, node: Text) -> str | None:
        """``list_contains`` on the key-word lists, when ``node`` is a single listed word."""
        if len(node.operands) != 1 or len(node.operands[0]) != 1 or node.langs:
            return None
        word = node.operands[0][0]
        if (word.text, word.truncated) not in self.listed_words:
            return None
        tests = [f"list_contains(w_{COLUMNS[f]}, {sql_string(word.text)})" for f in node.fields]
        return tests[0] if len(tests) == 1 else "(" + " OR ".join(tests) + ")"

    def expr(self, node, fields: set) -> str:
        if isinstance(node, Text):
            fields.update(node.fields)
            return self.listed(node) or _on_fields(node.fields, text_regex(node), node.langs)
        if isinstance(node, (Classification, Tag)):
            return f"{self.flag(node)} = 1"
        if isinstance(node, Not):
            return f"NOT ({self.expr(node.item, fields)})"
        if isinstance(node, Or):
            parts = self._merged_or(node.items, fields)
            return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"
        if isinstance(node, And):
            # narrowest first: engines stop evaluating an AND at its first false operand
            items = sorted(node.items, key=lambda i: _breadth(self.necessary(i) or ([], set())) if
                           self.necessary(i) is not None else 1e9)
            return "(" + " AND ".join(self.expr(i, fields) for i in items) + ")"
        raise TypeError(f"cannot compile {node!r} (unresolved @reference?)")

    def _merged_or(self, items, fields: set) -> list[str]:
        """OR'ed text clauses over the same fields become one alternation (one scan, not many)."""
        groups: dict[tuple, list[str]] = {}
        parts = []
        for item in _flatten_or(items):
            if isinstance(item, Text) and not self.listed(item):
                groups.setdefault((item.fields, item.langs), []).append(text_regex(item))
                fields.update(item.fields)
            else:
                parts.append(self.expr(item, fields))
        merged = [_on_fields(fs, regs[0] if len(regs) == 1 else "(?:" + "|".join(regs) + ")", langs)
                  for (fs, langs), regs in groups.items()]
        flags = [p for p in parts if "regexp_matches(" not in p]  # cheap first: engines stop at the first true
        # (flags and list look-ups)
        return flags + merged + [p for p in parts if p not in flags]


#: Words in a large share of patent abstracts: a gate built on them would let most rows through.
COMMON_WORDS = frozenset("""
a an and the of to in for with by on or at from as is are be said which that this first second
method system device apparatus unit module means data information signal value process processing
generate generated generating generation generator model models network networks image images
text texts content output input user learning training train trained token tokens code language
neural layer layers feature features control computer program memory based using video audio speech
voice music large small high low new plurality least one two more each such can may
""".split())


def _is_common(word: Word) -> bool:
    if word.cjk:
        return False
    return any(c.startswith(word.text) for c in COMMON_WORDS) if word.truncated else word.text in COMMON_WORDS


def _gate_word(leaf: Text) -> str:
    """The word of a clause least likely to occur elsewhere (not common, then the longest);
    the whole clause when all its words are common."""
    best = _best_word(leaf)
    if _is_common(best):
        return text_regex(leaf)
    if best.cjk:
        return best.text
    return best.text if best.truncated else best.text + r"\b"


def _best_word(leaf: Text) -> Word:
    """The word of a clause least likely to occur elsewhere: not common, ASCII before CJK (an
    ASCII key word is extracted exactly, see keywords.py), whole before truncated, longest."""
    words = [w for phrase in leaf.operands for w in phrase]
    return max(words, key=lambda w: (not _is_common(w), not w.cjk, not w.truncated, len(w.text)))


def _key_word(leaf: Text) -> tuple[str, bool]:
    """(word, truncated): the single word of a clause least likely to occur elsewhere."""
    best = _best_word(leaf)
    return best.text, best.truncated


def _alternation(regs: list[str]) -> str:
    """One regex for a gate's words: ASCII words after one ``\b``, CJK terms (substrings) and
    whole clauses beside them."""
    ascii_words = sorted(r for r in regs if re.match(r"[a-z0-9_]", r))
    rest = sorted(r for r in regs if r not in ascii_words)
    if not rest:
        return r"\b(?:" + "|".join(ascii_words) + ")"
    return "(?:" + "|".join(([r"\b(?:" + "|".join(ascii_words) + ")"] if ascii_words else []) + rest) + ")"


def _breadth(need) -> float:
    """A rough guess of how many documents a necessary condition lets through (lower: fewer).

    Multi-word clauses and classification flags are narrow; a single common word is broad.
    """
    texts, flags = need
    score = 0.5 * len(flags)
    for leaf in texts:
        words = [w for phrase in leaf.operands for w in phrase]
        if len(words) > 1:
            score += 1
            continue
        score += 20 if _is_common(words[0]) else 4 if words[0].truncated or len(words[0].text) < 3 else 3
    return score


def _flatten_or(items):
    for item in items:
        if isinstance(item, Or):
            yield from _flatten_or(item.items)
        else:
            yield item


def _on_fields(fields: tuple, body: str, langs: tuple = ()) -> str:
    parts = [regex_sql(COLUMNS[f], body) for f in fields]
    out = parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"
    if langs:  # only the language versions named (docs.language: the version's language)
        out = f"(language IN ({', '.join(sql_string(lang) for lang in langs)}) AND {out})"
    return out


def flags_cte(flags: dict, only: str | None = None) -> str:
    """One row per publication with a 0/1 column per classification clause; ``only``: a query
    of the publication numbers wanted (the rest of the table is skipped before the CASEs)."""
    cols = ",\n    ".join(f"max(CASE WHEN {cond} THEN 1 ELSE 0 END) AS {name}" for name, cond in flags.items())
    if only:
        # the wanted publications' rows only, and no filter on the clauses: DuckDB would run such
        # a filter on every row of the table before the semi join (at 30M families, 77M rows
        # through ~80 prefix tests, where the join leaves 9M); a row of 0s joins like no row
        wanted = f"publication_number IN ({only})"
    else:
        # only rows some clause wants: a small table to join (publications without one get 0s)
        wanted = " OR ".join(f"({cond})" for cond in flags.values())
    return (f"SELECT publication_number,\n    {cols}\n  FROM {facts_sql(flags)}\n  WHERE {wanted}\n"
            f"  GROUP BY publication_number")


def facts_sql(flags: dict) -> str:
    """What flags are computed over: ``classifications``, plus the ``tags`` (as scheme
    ``tag:<scheme>``, lower-cased value in ``code``) when a clause asks for a tag."""
    if not any("'tag:" in cond for cond in flags.values()):
        return "classifications"
    return ("(SELECT publication_number, scheme, code, is_first, is_inventive FROM classifications UNION ALL "
            "SELECT publication_number, 'tag:' || lower(scheme) AS scheme, lower(tag) AS code, false AS is_first, "
            "false AS is_inventive FROM tags) facts")


def text_columns(fields: set) -> list[str]:
    """The columns a docs relation carries from the text versions ``p`` (``versions_sql``):
    number, family, language, and each text column a clause searches, with empty strings for
    missing text."""
    return ["p.publication_number", "p.family_id", "p.language"] + [
        f"coalesce(p.{COLUMNS[f]}, '') AS {COLUMNS[f]}" for f in ("title", "abstract", "claims") if f in fields]


def versions_sql(fields: set) -> str:
    """Every language version of the publications' texts (``versions.sql``): one row per
    publication × language with the text columns of ``fields``."""
    from .. import sql

    names = [f for f in ("title", "abstract", "claims") if f in fields] or ["title"]
    columns = ", ".join(COLUMNS[f] for f in names)
    pivot = ", ".join(f"max(CASE WHEN t.field = {sql_string(f)} THEN t.text END) AS {COLUMNS[f]}" for f in names)
    same = " OR ".join(f"(t.field = {sql_string(f)} AND t.text = coalesce(p.{COLUMNS[f]}, ''))" for f in names)
    return sql.load("patentq.landscapes", "versions", columns=columns, pivot=pivot,
                    fields=", ".join(sql_string(f) for f in names), same=same)


def docs_sql(flags: dict, fields: set, where: str | None = None, join: str = "") -> str:
    """Every text version of the publications (``versions_sql``) with empty strings for missing
    text and the classification flags joined."""
    cols = text_columns(fields) + [f"coalesce(c.{name}, 0) AS {name}" for name in flags]
    sql = f"SELECT {', '.join(cols)}\n  FROM ({versions_sql(fields)}) p {join}"
    if flags:
        sql += f"\n  LEFT JOIN ({flags_cte(flags)}) c ON c.publication_number = p.publication_number"
    sql += "\n  WHERE p.family_id IS NOT NULL" + (f" AND ({where})" if where else "")
    return sql
