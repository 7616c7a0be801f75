"""Which paths into a landscape a lake can take: a definition needs text, codes or tags.

A membership query is an OR of paths (``@classes OR @keywords OR @cset_flags``). Each path
needs some data: words need titles or abstracts, codes need CPC or IPC classifications, tags
need the source's own categories. Applied to a lake that lacks what a path needs, the path
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
    """The kinds of data present: ``title``, ``abstract``, ``claims_text``, ``cpc``, ``ipc``, and
    ``tag:<scheme>`` for every tag scheme."""
    row = session.engine.rows(sql.load("patentq.landscapes", "data_kinds"))[0]
    have = {k for k, v in row.items() if v}
    have |= {f"tag:{r['scheme']}" for r in session.engine.rows(sql.load("patentq.landscapes", "tag_schemes"))}
    return have


def needs(node) -> str:
    """What a clause needs, in words."""
    if isinstance(node, q.Text):
        return " or ".join(f"{f} text" for f in node.fields)
    if isinstance(node, q.Classification):
        return {"cpc": "CPC codes", "ipc": "IPC codes", "cls": "CPC or IPC codes"}[node.scheme]
    if isinstance(node, q.Tag):
        return f"{node.scheme} tags"
    return "its clauses' data"


def can_match(node, have: set[str]) -> bool:
    if isinstance(node, q.Text):
        return any(TEXT_NEEDS[f] in have for f in node.fields)
    if isinstance(node, q.Classification):
        return bool({"cpc", "ipc"} & have) if node.scheme == "cls" else node.scheme in have
    if isinstance(node, q.Tag):
        return f"tag:{node.scheme}" in have
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


def check(defn: Definition, session) -> list[str]:
    """Warnings for paths the lake cannot take; raises ``BadInputError`` when it can take none."""
    have = lake_has(session)
    warnings, usable = [], []
    for name, node in paths(defn):
        if can_match(node, have):
            usable.append(name)
        else:
            warnings.append(f"path {name} of {defn.name} can match nothing here: this lake has no "
                            + ", no ".join(_missing(node, have)))
    if not usable:
        lacking = sorted({m for _, node in paths(defn) for m in _missing(node, have)})
        raise BadInputError(
            f"landscape {defn.name} can match nothing in {session.lake.path}: it needs {' or '.join(lacking)}, "
            f"and the lake has none",
            hint="ingest a source that carries them (e.g. Lens or Google exports have titles and CPC codes; "
                 "`patentq lake profile` shows what this lake holds), or use a definition whose paths fit it "
                 "(the built-in ai takes CSET's own tags)")
    return warnings
