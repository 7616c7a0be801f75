"""Curated applicant groups: subsidiaries under their parent, from YAML files.

``data/applicant_groups.yaml`` (built in) plus the user's files (``patentq applicants --groups``,
recorded in the lake and kept until removed, and ``$PATENTQ_APPLICANT_GROUPS``) put
``DeepMind Technologies`` under Alphabet and ``北京百度网讯科技有限公司`` under Baidu: no string
similarity can know that.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from ..errors import BadInputError, UsageError
from .names import normalize_name, simplify_chinese

#: Environment variable listing extra group files (separated by ``os.pathsep``).
GROUPS_ENV = "PATENTQ_APPLICANT_GROUPS"



@dataclass
class CuratedGroup:
    name: str
    country: str | None = None
    names: set[str] = field(default_factory=set)
    patterns: list[re.Pattern] = field(default_factory=list)
    exclude: list[re.Pattern] = field(default_factory=list)
    origin: str = ""

    def matches(self, normalized: str) -> bool:
        if not normalized or any(p.search(normalized) for p in self.exclude):
            return False
        return normalized in self.names or any(p.search(normalized) for p in self.patterns)


def builtin_groups_path() -> Path:
    return Path(str(resources.files("patentq") / "data" / "applicant_groups.yaml"))


def group_files(extra: list | tuple | None = None) -> list[Path]:
    """The group files in priority order: ``extra`` (CLI), then ``$PATENTQ_APPLICANT_GROUPS``,
    then the built-in list."""
    env = [p for p in os.environ.get(GROUPS_ENV, "").split(os.pathsep) if p.strip()]
    return [Path(p) for p in (list(extra or []) + env)] + [builtin_groups_path()]


def _compile(pattern: str, path: Path, group: str) -> re.Pattern:
    """Compile a pattern written for normalised names (traditional Chinese simplified, as the
    names are)."""
    try:
        return re.compile(simplify_chinese(str(pattern)))
    except re.error as exc:
        raise UsageError(f"{path}: group {group!r}: bad pattern {pattern!r}: {exc}",
                         hint="fix the regular expression (Python syntax) in that file") from exc


def _read_group_file(path: Path) -> list[CuratedGroup]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BadInputError(f"cannot read applicant group file {path}: {exc}",
                            hint=f"check the path given with --groups or in ${GROUPS_ENV}") from exc
    except yaml.YAMLError as exc:
        raise BadInputError(f"applicant group file {path} is not valid YAML: {exc}",
                            hint="fix the YAML; see src/patentq/data/applicant_groups.yaml for the shape") from exc
    entries = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise BadInputError(f"applicant group file {path} has no 'groups:' list",
                            hint="write `groups:` followed by entries with name, names and/or patterns")
    groups = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not str(entry.get("name") or "").strip():
            raise BadInputError(f"{path}: group entry {i + 1} has no name",
                                hint="give every entry a `name:` and `names:` and/or `patterns:`")
        name = str(entry["name"]).strip()
        groups.append(CuratedGroup(
            name=name,
            country=entry.get("country"),
            names={normalize_name(n) for n in entry.get("names") or []} - {""},
            patterns=[_compile(p, path, name) for p in entry.get("patterns") or []],
            exclude=[_compile(p, path, name) for p in entry.get("exclude") or []],
            origin=str(path),
        ))
    return groups


def load_groups(extra_files: list | tuple | None = None) -> list[CuratedGroup]:
    """Curated groups from every group file; a later file's group of the same name extends the
    earlier one (its names and patterns are added, the earlier priority is kept)."""
    merged: dict[str, CuratedGroup] = {}
    for path in group_files(extra_files):
        for group in _read_group_file(path):
            if group.name in merged:
                known = merged[group.name]
                known.names |= group.names
                known.patterns += group.patterns
                known.exclude += group.exclude
            else:
                merged[group.name] = group
    return list(merged.values())


def groups_fingerprint(extra_files: list | tuple | None = None) -> str:
    """A hash of every group file's content, in priority order."""
    digest = hashlib.sha256()
    for path in group_files(extra_files):
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:16]


def curated_group(normalized: str, groups: list[CuratedGroup]) -> str | None:
    """The first group (in priority order) whose names or patterns match, else None."""
    for group in groups:
        if group.matches(normalized):
            return group.name
    return None


class CuratedMatcher:
    """``curated_group`` for many names: one combined regex rejects most names in one search,
    and only names it hits are checked group by group (priority and vetoes unchanged)."""

    def __init__(self, groups: list[CuratedGroup]):
        self.groups = groups
        self.names = {n for g in groups for n in g.names}
        patterns = [p.pattern for g in groups for p in g.patterns]
        self.any = re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None

    def __call__(self, normalized: str) -> str | None:
        if normalized in self.names or (self.any is not None and self.any.search(normalized)):
            return curated_group(normalized, self.groups)
        return None


