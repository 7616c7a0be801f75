"""Which paths into a landscape a lake can take: a definition needs text, codes or tags.

A membership query is an OR of paths (``@classes OR @keywords OR @cset_flags``). Each path
needs some data: words need titles or abstracts, CJK terms need Chinese, Japanese or Korean
text (a lake whose texts are all in other languages cannot match them: an English-only export,
or one whose adapter kept English only), a language-tagged clause (``zh:``) needs text in that
language, codes need CPC or IPC classifications, tags need the source's own categories. Applied to a lake that lacks what a path needs, the path
matches nothing: ``apply`` warns, naming it, and when no path can match at all it stops (exit 3)
naming what is missing and what would work, instead of writing an empty landscape.
"""

from __future__ import annotations

from .. import sql
from ..errors import BadInputError
from . import query as q
from .definition import Definition

#: What the lake must hold for a clause to be able to match: field of capabilities.FIELDS.
TEXT_NEEDS = {"title": "title", "abstract": "abstract", "claims": "claims_text"}


def lake_has(session) -> set[str]:
    """The kinds of data present: ``title``, ``abstract``, ``claims_text``, ``cpc``, ``ipc``,
    ``tag:<scheme>`` for every tag scheme, ``lang:<code>`` for every text language and
    ``unknown_language`` when some text has none recorded."""
    row = session.engine.rows(sql.load("patentq.landscapes", "data_kinds"))[0]
    have = {k for k, v in row.items() if v}
    have |= {f"tag:{r['scheme']}" for r in session.engine.rows(sql.load("patentq.landscapes", "tag_schemes"))}
    have |= {f"tag:{r['scheme']}={r['tag']}" for r in session.engine.rows(sql.load("patentq.landscapes", "tag_values"))}
    have |= {f"lang:{r['language']}" for r in session.engine.rows(sql.load("patentq.landscapes", "text_languages"))}
    return have


CJK_LANGUAGES = ("zh", "ja", "ko")


def _languages_ok(node: q.Text, have: set[str]) -> bool:
    """A language-tagged or CJK clause needs text in its languages (or of unknown language)."""
    wanted = node.langs or (CJK_LANGUAGES if node.cjk else ())
    return not wanted or "unknown_language" in have or any(f"lang:{lang}" in have for lang in wanted)


def needs(node) -> str:
    """What a clause needs, in words."""
    if isinstance(node, q.Text):
        langs = "/".join(node.langs or (CJK_LANGUAGES if node.cjk else ()))
        return " or ".join(f"{f} text" for f in node.fields) + (f" in {langs}" if langs else "")
    if isinstance(node, q.Classification):
        return {"cpc": "CPC codes", "ipc": "IPC codes", "cls": "CPC or IPC codes"}[node.scheme]
    if isinstance(node, q.Tag):
        return f"{node.scheme}={node.value} tags" if node.value else f"{node.scheme} tags"
    return "its clauses' data"


def can_match(node, have: set[str]) -> bool:
    if isinstance(node, q.Text):
        return any(TEXT_NEEDS[f] in have for f in node.fields) and _languages_ok(node, have)
    if isinstance(node, q.Classification):
        return bool({"cpc", "ipc"} & have) if node.scheme == "cls" else node.scheme in have
    if isinstance(node, q.Tag):
        # a value the source's tags never take matches nothing (CSET's zip has no Life_Sciences
        # column though its field descriptions list one); values unknown: the scheme decides
        scheme = f"tag:{node.scheme.lower()}"
        if node.value is None or not any(h.startswith(scheme + "=") for h in have):
            return scheme in have
        return f"{scheme}={node.value.lower()}" in have
    if isinstance(node, q.Or):
        return any(can_match(i, have) for i in node.items)
    if isinstance(node, q.And):
        return all(can_match(i, have) for i in node.items if not isinstance(i, q.Not))
    return True  # NOT holds wherever its clause cannot match


def _missing(node, have: set[str]) -> list[str]:
    """The needs of the leaves of ``node`` that the lake lacks (deduplicated, in order)."""
    out: list[str] = []
    for leaf in q.leaves(node):
        if not can_match(leaf, have) and needs(leaf) not in out:
            out.append(needs(leaf))
    return out


def paths(defn: Definition) -> list[tuple[str, object]]:
    """The top-level OR branches of the membership, named after their concept where they are one."""
    items = defn.membership.items if isinstance(defn.membership, q.Or) else (defn.membership,)
    names = {id(v): k for k, v in defn.concepts.items()}
    by_value = {v: k for k, v in defn.concepts.items()}
    out = []
    for item in items:
        name = names.get(id(item)) or by_value.get(item)
        out.append((f"@{name}" if name else q.to_text(item)[:60], item))
    return out


def unmatchable_categories(defn: Definition, have: set[str]) -> dict[str, dict[str, str]]:
    """dimension → category → what it needs and the lake lacks, for the categories whose clauses
    can match nothing in this lake: their count is unknown ("not in the data"), not 0."""
    from .definition import OTHERWISE

    out: dict[str, dict[str, str]] = {}
    for dim, cats in defn.dimensions.items():
        for cat, node in cats.items():
            if node != OTHERWISE and not can_match(node, have):
                out.setdefault(dim, {})[cat] = "not in the data: no " + ", no ".join(_missing(node, have))
    return out


def check(defn: Definition, session) -> list[str]:
    """Warnings for paths the lake cannot take; raises ``BadInputError`` when it can take none."""
    have = lake_has(session)
    usable, unusable = [], {}
    for name, node in paths(defn):
        if can_match(node, have):
            usable.append(name)
        else:  # paths lacking the same data share one warning (e.g. every CJK path)
            unusable.setdefault(", no ".join(_missing(node, have)), []).append(name)
    warnings = [f"path{'s' if len(names) > 1 else ''} {', '.join(names)} of {defn.name} can match nothing here: "
                f"this lake has no {missing}" for missing, names in unusable.items()]
    if not usable:
        lacking = sorted({m for _, node in paths(defn) for m in _missing(node, have)})
        raise BadInputError(
            f"landscape {defn.name} can match nothing in {session.lake.path}: it needs {' or '.join(lacking)}, "
            f"and the lake has none",
            hint="ingest a source that carries them (e.g. Lens or Google exports have titles and CPC codes; "
                 "`patentq lake profile` shows what this lake holds), or use a definition whose paths fit it "
                 "(the built-in ai takes CSET's own tags)")
    return warnings
