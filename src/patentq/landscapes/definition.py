"""Landscape definitions: YAML files with a membership query, category dimensions and sources.

A definition is data a user can read, version and diff. Loading validates every query and
reports errors with the line and column *in the YAML file*, so an analyst can jump to them.
The hash recorded with every derived table covers the parsed content (not comments or
layout), so two runs with the same hash used the same definition.

File layout (see docs/landscapes.md)::

    name: genai
    version: "2024.1"
    description: ...
    sources: [{citation: ..., url: ...}]
    conventions: {unit: family, year: first_publication_year, years: [2014, 2023]}
    concepts: {gan: <query>, ...}       # optional named sub-queries, used as @gan
    membership: <query>
    dimensions: {model: {GAN: <query>, other: otherwise}}
"""

from __future__ import annotations

import hashlib
import json
import re
import string
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import DefinitionError, UsageError
from . import query as q

BUILTIN = Path(__file__).parent / "definitions"
OTHERWISE = "otherwise"  # a category holding the members that no other category of its dimension took
REQUIRED = ("name", "version", "description", "sources", "membership")
KNOWN = set(REQUIRED) | {"dimensions", "conventions", "concepts", "notes"}


@dataclass
class Definition:
    name: str
    version: str
    description: str
    sources: list
    membership: object  # query AST with @references resolved
    dimensions: dict = field(default_factory=dict)  # dimension → category → AST or OTHERWISE
    conventions: dict = field(default_factory=dict)
    concepts: dict = field(default_factory=dict)
    texts: dict = field(default_factory=dict)  # query source text by place (membership, dim/cat)
    path: Path | None = None
    hash: str = ""

    def cpc_prefixes(self) -> list[str]:
        """CPC code prefixes of the membership query, for ``LIKE 'prefix%'`` pre-selection.

        Main groups end in ``/`` (``G06N3/``) so they cannot catch ``G06N31``; a group range
        gives its subclass's or group's common prefix (a superset: apply the landscape after).
        """
        out = set()
        for leaf in q.leaves(self.membership):
            if isinstance(leaf, q.Classification) and leaf.scheme in ("cpc", "cls"):
                out.update({leaf.exact_code} if leaf.exact else _prefixes(leaf))
        return sorted(out)

    def keyword_regex(self) -> str | None:
        """A regular expression (RE2, case-insensitive) that every publication the membership can
        take *by its text* matches in a title or abstract, in any language: the gate of the
        query (``compile.Compiler.necessary``), tags counted as absent. With ``cpc_prefixes``
        it makes an export prefilter that keeps every member: ``cpc OR keywords``. None when
        the query has no such condition (a top-level NOT) or no text at all."""
        from .compile import _alternation, _gate_word

        need = _ExportCompiler().necessary(self.membership)
        if need is None or not need[0]:
            return None
        words = sorted({_gate_word(leaf) for leaf in need[0]})
        return "(?i)" + _alternation(words)

    def categories(self) -> list[tuple[str, str]]:
        return [(d, c) for d, cats in self.dimensions.items() for c in cats]


def _export_compiler():
    from .compile import Compiler

    class ExportCompiler(Compiler):
        """Tags (a source's own categories) never occur in a provider's export: they hold nowhere."""

        def necessary(self, node):
            if isinstance(node, q.Tag):
                return [], set()
            return super().necessary(node)

    return ExportCompiler()


def _ExportCompiler():  # noqa: N802 - reads like the class it returns
    return _export_compiler()


def _prefixes(leaf: q.Classification) -> set[str]:
    low, high = leaf.low, leaf.high
    if high is None:
        return {low.text + "/" if low.level == "group" else low.text}
    if low.level in ("group", "subgroup") or high.level in ("group", "subgroup"):
        lg, hg = q.group_key(low.text)[:4], q.group_key(high.text)[:4]
        return {low.text[:4] + str(int(lg)) + "/"} if lg == hg else {low.text[:4]}
    common = len(low.text)
    if len(low.text) == len(high.text) == 3 and low.text[:1] == high.text[:1]:
        return {low.text[0] + f"{n:02d}" for n in range(int(low.text[1:3]), int(high.text[1:3]) + 1)}
    if len(low.text) == len(high.text) == 4 and low.text[:3] == high.text[:3]:
        letters = string.ascii_uppercase
        return {low.text[:3] + c for c in letters[letters.index(low.text[3]):letters.index(high.text[3]) + 1]}
    prefix = ""
    for a, b in zip(low.text, high.text):
        if a != b:
            break
        prefix += a
    return {prefix or low.text[:1]} if common else set()


# --- loading ------------------------------------------------------------------------------

class _Positions:
    """Where each scalar of the YAML document starts, to map query errors to file lines."""

    def __init__(self, text: str):
        self.marks = {}
        self.lines = text.splitlines()
        try:
            root = yaml.compose(text)
        except yaml.YAMLError:
            root = None
        self._visit(root, ())

    def _visit(self, node, path):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                self._visit(value, path + (key.value,))
        elif isinstance(node, yaml.ScalarNode):
            self.marks[path] = node

    def locate(self, path, line: int, col: int) -> tuple[int, int]:
        """A 1-based (line, column) inside the scalar at ``path`` → 1-based in the file."""
        node = self.marks.get(path)
        if node is None:
            return line, col
        start = node.start_mark
        if node.style in ("|", ">"):
            # a block scalar starts on the next line, indented like its first content line
            body = start.line + 1  # 0-based index of the first content line
            indent = 0
            if body < len(self.lines):
                indent = len(self.lines[body]) - len(self.lines[body].lstrip())
            return body + line, indent + col
        quote = 1 if node.style in ("'", '"') else 0
        return start.line + line, (start.column + quote + col) if line == 1 else col


def load(name_or_path) -> Definition:
    """A built-in definition by name (``genai``, ``ai``) or a YAML file by path."""
    path = Path(name_or_path)
    if not path.suffix and not path.exists():
        path = BUILTIN / f"{name_or_path}.yaml"
        if not path.exists():
            raise UsageError(f"no landscape named {name_or_path!r}",
                             hint=f"built-in: {', '.join(builtin_names())}; or pass a YAML file path")
    if not path.exists():
        raise UsageError(f"{path}: no such definition file", hint="check the path")
    return loads(path.read_text(encoding="utf-8"), path)


def builtin_names() -> list[str]:
    return sorted(p.stem for p in BUILTIN.glob("*.yaml"))


def loads(text: str, path: Path | None = None) -> Definition:
    where = str(path) if path else "definition"
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DefinitionError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}",
                              mark.line + 1 if mark else None, mark.column + 1 if mark else None) from exc
    if not isinstance(data, dict):
        raise DefinitionError(f"{where}: a definition is a YAML mapping with {', '.join(REQUIRED)}", 1, 1)
    pos = _Positions(text)
    missing = [k for k in REQUIRED if not data.get(k)]
    if missing:
        raise DefinitionError(f"{where}: missing {', '.join(missing)}", 1, 1,
                              hint="see docs/landscapes.md for the fields of a definition")
    unknown = sorted(set(data) - KNOWN)
    if unknown:
        node = pos.marks.get((unknown[0],))
        line = node.start_mark.line + 1 if node else 1
        raise DefinitionError(f"{where}: unknown field {unknown[0]!r}", line, 1, hint=f"fields: {', '.join(sorted(KNOWN))}")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", str(data["name"])):
        raise DefinitionError(f"{where}: name {data['name']!r} must be lower case letters, digits and '_'",
                              *_line_of(pos, ("name",)), hint="it names the tables landscape_<name>")
    texts: dict = {}

    def parse_at(place: tuple, value):
        if not isinstance(value, str) or not value.strip():
            raise DefinitionError(f"{where}: {'/'.join(place)} must be a query string", *_line_of(pos, place))
        texts["/".join(place)] = value
        try:
            return q.parse(value)
        except DefinitionError as exc:
            line, col = pos.locate(place, exc.line or 1, exc.column or 1)
            message = str(exc.args[0]).rsplit(" (line", 1)[0]
            raise DefinitionError(f"{where}: {'/'.join(place)}: {message}", line, col, hint=exc.hint) from None

    concepts = {k: parse_at(("concepts", k), v) for k, v in (data.get("concepts") or {}).items()}
    resolved: dict = {}

    def resolve(node, place, trail=()):
        if isinstance(node, q.Ref):
            if node.name not in concepts:
                raise DefinitionError(f"{where}: {'/'.join(place)}: unknown concept @{node.name}",
                                      *pos.locate(place, *node.pos),
                                      hint=f"define it under concepts: ({', '.join(sorted(concepts)) or 'none yet'})")
            if node.name in trail:
                raise DefinitionError(f"{where}: concept @{node.name} refers to itself", *pos.locate(place, *node.pos))
            if node.name not in resolved:
                resolved[node.name] = resolve(concepts[node.name], ("concepts", node.name), trail + (node.name,))
            return resolved[node.name]
        if isinstance(node, (q.And, q.Or)):
            return type(node)(tuple(resolve(i, place, trail) for i in node.items), node.pos)
        if isinstance(node, q.Not):
            return q.Not(resolve(node.item, place, trail), node.pos)
        return node

    membership = resolve(parse_at(("membership",), data["membership"]), ("membership",))
    dimensions: dict = {}
    for dim, cats in (data.get("dimensions") or {}).items():
        if not isinstance(cats, dict) or not cats:
            raise DefinitionError(f"{where}: dimension {dim!r} must map category names to queries",
                                  *_line_of(pos, ("dimensions", dim)))
        dimensions[str(dim)] = {}
        for cat, value in cats.items():
            if isinstance(value, str) and value.strip() == OTHERWISE:
                dimensions[str(dim)][str(cat)] = OTHERWISE
            else:
                dimensions[str(dim)][str(cat)] = resolve(parse_at(("dimensions", dim, cat), value),
                                                         ("dimensions", dim, cat))
    conventions = data.get("conventions") or {}
    canonical = {
        "name": data["name"], "version": str(data["version"]),
        "membership": q.to_text(membership),
        "dimensions": {d: {c: v if v == OTHERWISE else q.to_text(v) for c, v in cats.items()}
                       for d, cats in dimensions.items()},
        "conventions": conventions,
    }
    digest = hashlib.sha256(json.dumps(canonical, sort_keys=True, default=str).encode()).hexdigest()
    return Definition(
        name=str(data["name"]), version=str(data["version"]), description=str(data["description"]).strip(),
        sources=list(data["sources"]), membership=membership, dimensions=dimensions,
        conventions=conventions, concepts=resolved, texts=texts, path=path, hash=digest,
    )


def _line_of(pos: _Positions, place) -> tuple[int, int]:
    node = pos.marks.get(place)
    return (node.start_mark.line + 1, node.start_mark.column + 1) if node else (1, 1)
