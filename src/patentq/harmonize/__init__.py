"""Applicant harmonisation: applicant names → corporate groups (derived table ``applicant_groups``).

Two steps, because each alone is not enough:

1. **Curated groups** (``data/applicant_groups.yaml`` plus the user's files) put subsidiaries
   under their parent: ``DeepMind Technologies`` → Alphabet, ``北京百度网讯科技有限公司`` → Baidu.
   No string similarity can know that.
2. **Clustering** of spelling variants with rapidfuzz, for every other applicant:
   ``ZHEJIANG UNIV`` and ``Zhejiang University`` become one group. Names are compared only
   within blocks that share a key (``harmonize_names.blocking_keys``), so the work grows with
   the block sizes, not with the square of all names. The similarity rule is strict on purpose
   (see ``same_applicant``): a wrong merge inflates a group, a missed one only splits it, and the
   big applicants that matter most are covered by the curated list anyway.

A cluster that contains curated names passes its curated group to its uncurated variants
(``Tencnet Technology`` typo → Tencent); other clusters are named after their most frequent
raw spelling.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pyarrow as pa
import yaml
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .errors import BadInputError, UsageError
from .harmonize_names import (
    _LOCATIONS, _TOKEN_VARIANTS, GENERIC_TOKENS, blocking_keys, compact, has_cjk, normalize_name, simplify_chinese,
)

#: Environment variable listing extra group files (separated by ``os.pathsep``).
GROUPS_ENV = "PATENTQ_APPLICANT_GROUPS"
#: Candidate pairs need at least this ``token_sort_ratio`` before the strict token check.
PREFILTER_SCORE = 80
#: Two differing tokens are spelling variants within this many edits (``tencnet``/``tencent``:
#: one transposition; ``southeast``/``southwest`` and ``northeastern``/``northwestern``: two, so
#: different). Tuned on the labelled pairs in tests/fixtures/harmonize/name_pairs.csv, where
#: allowing two edits in long words merged Northeastern and Northwestern University.
MAX_TOKEN_EDITS = 1
#: Blocks larger than this are compared only on their token key (a compact-prefix block of
#: that size is a generic prefix such as ``univ``).
MAX_BLOCK = 5000
#: Core-token blocks up to this size are compared pair by pair without the prefilter.
EXHAUSTIVE_BLOCK = 100

#: Ordinary words, where a one-letter difference is a typo rather than another name.
VOCABULARY = GENERIC_TOKENS | set(_TOKEN_VARIANTS.values())

APPLICANT_GROUPS_SCHEMA = pa.schema(
    [("name", pa.string()), ("name_normalized", pa.string()), ("group_name", pa.string()),
     ("group_source", pa.string())]
)


# --- curated groups -----------------------------------------------------------------------


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


# --- clustering -----------------------------------------------------------------------------


def same_applicant(a: str, b: str) -> bool:
    """Whether two normalised names are spellings of one applicant.

    Same compact form (``jiao tong`` / ``jiaotong``) or the same tokens in another order
    (``university zhejiang``) count as the same. Otherwise the tokens the names do not share
    must pair up one to one as spelling variants (``MAX_TOKEN_EDITS``, same first letter,
    neither a place name, so ``Hangzhou X`` ≠ ``Changzhou X``). An extra token on one side means
    a different applicant: ``Zhejiang University`` ≠ ``Zhejiang University of Technology``.
    A place name that the other name lacks is ignored when a distinctive word remains
    (``megvii beijing technology`` = ``megvii technology``, ``beijing anbei technology`` =
    ``anbei technology``); two different places make two applicants (``university beijing
    forestry`` ≠ ``university nanjing forestry``, ``xian jiaotong`` ≠ ``beijing jiaotong``).
    CJK names must agree exactly after normalisation: one character changes the entity
    (浙江大学 ≠ 浙江工业大学).
    """
    if a == b or compact(a) == compact(b):
        return bool(a)
    if has_cjk(a) or has_cjk(b):
        return False
    ta, tb = a.split(), b.split()
    if _same_tokens(ta, tb):
        return True
    places_a, places_b = _places(ta), _places(tb)
    if not (places_a <= places_b or places_b <= places_a):  # UNIV BEIJING FORESTRY ≠ UNIV NANJING FORESTRY
        return False
    return _same_tokens(_without_places(ta), _without_places(tb))


def _places(tokens: list[str]) -> set[str]:
    return {t for t in tokens if t in _LOCATIONS}


def _same_tokens(ta: list[str], tb: list[str]) -> bool:
    only_a = [t for t in ta if t not in set(tb)]
    only_b = [t for t in tb if t not in set(ta)]
    if not only_a and not only_b:  # same tokens, another order or repeated
        return True
    if "".join(only_a) == "".join(only_b):
        return True
    if len(only_a) != len(only_b) or len(only_a) > 2 or len(only_a) * 2 > max(len(ta), len(tb)):
        return False
    remaining = list(only_b)
    for token in only_a:
        match = next((o for o in remaining if _spelling_variant(token, o)), None)
        if match is None:
            return False
        remaining.remove(match)
    return True


def _without_places(tokens: list[str]) -> list[str]:
    """Drop place names (DOCDB flattens ``Megvii (Beijing) Technology`` to ``MEGVII BEIJING
    TECH``; ``Beijing Anbei Technology`` is also filed as ``Anbei Technology (Beijing)``), but
    only when a distinctive word remains: ``UNIV DALIAN TECH`` must not become ``university
    technology``."""
    kept = [t for t in tokens if t not in _LOCATIONS]
    return kept if any(t not in GENERIC_TOKENS for t in kept) else tokens


def _spelling_variant(x: str, y: str) -> bool:
    """A typo-sized difference between two differing tokens.

    In ordinary words (``technology``, ``electronics``: the generic vocabulary) one edit is a
    typo. In a distinctive word only a swap of two adjacent letters is (``tencnet``): one
    substituted, added or dropped letter is how different Pinyin names differ (``hongtai`` /
    ``tongtai``, ``zhongxing`` / ``zhongxin``). Optimal string alignment distance counts a swap
    as one edit; a ratio would not do, since ``southeast``/``southwest`` scores 89 yet differs
    by two edits."""
    if x[0] != y[0] or x in _LOCATIONS or y in _LOCATIONS or min(len(x), len(y)) < 4:
        return False
    if any(c.isdigit() for c in x + y) or OSA.distance(x, y) > MAX_TOKEN_EDITS:
        return False
    if x in VOCABULARY or y in VOCABULARY:
        return True
    return len(x) == len(y) and sorted(x) == sorted(y)


class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


def cluster_normalized(names: list[str], progress=None) -> list[int]:
    """Cluster ids for distinct normalised names (index of the cluster's first member).

    Blocking: names are compared only with names sharing a blocking key; within a block,
    rapidfuzz ``cdist`` (C++) prefilters pairs by ``token_sort_ratio`` and ``same_applicant``
    decides. ``progress(done, total)`` is called per block.
    """
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, name in enumerate(names):
        for key in blocking_keys(name):
            blocks[key].append(i)
    uf = _UnionFind(len(names))
    todo = [(k, m) for k, m in blocks.items() if len(m) > 1 and (len(m) <= MAX_BLOCK or k.startswith("t:"))]
    for done, (key, members) in enumerate(todo, 1):
        for i, j in _candidate_pairs([names[m] for m in members], exhaustive=key.startswith("n:")):
            a, b = members[i], members[j]
            if uf.find(a) != uf.find(b) and same_applicant(names[a], names[b]):
                uf.union(a, b)
        if progress:
            progress(done, len(todo))
    return [uf.find(i) for i in range(len(names))]


def _candidate_pairs(block: list[str], exhaustive: bool = False):
    """Index pairs worth checking. Small blocks on the distinctive core (``n:`` keys) are
    checked pair by pair, since reordered generic words score low on every ratio."""
    if len(block) == 2 or (exhaustive and len(block) <= EXHAUSTIVE_BLOCK):
        yield from ((i, j) for i in range(len(block)) for j in range(i + 1, len(block)))
        return
    scores = process.cdist(block, block, scorer=fuzz.token_sort_ratio, score_cutoff=PREFILTER_SCORE,
                           dtype=np.uint8, workers=1)
    compacts = [compact(n) for n in block]
    rows, cols = np.nonzero(np.triu(scores, k=1))
    yield from zip(rows.tolist(), cols.tolist())
    seen = defaultdict(list)  # same compact form scores low when tokens split differently
    for i, c in enumerate(compacts):
        seen[c].append(i)
    for idx in seen.values():
        yield from ((idx[0], j) for j in idx[1:])


# --- names → groups -------------------------------------------------------------------------


@dataclass
class Harmonized:
    name: str
    name_normalized: str
    group_name: str
    group_source: str  # curated | cluster


def harmonize_names(names: dict[str, int] | list[str], groups: list[CuratedGroup] | None = None,
                    progress=None) -> list[Harmonized]:
    """Assign a group to every raw name. ``names`` maps raw name → weight (publications), used
    to pick a cluster's representative spelling (most frequent, then shortest, then A–Z)."""
    weights = dict(names) if isinstance(names, dict) else {n: 1 for n in names}
    groups = load_groups() if groups is None else groups
    raw_by_norm: dict[str, list[str]] = defaultdict(list)
    for raw in weights:
        raw_by_norm[normalize_name(raw)].append(raw)
    distinct = sorted(raw_by_norm)
    clusters = cluster_normalized(distinct, progress=progress)
    matcher = CuratedMatcher(groups)
    curated = {n: matcher(n) for n in distinct}
    members: dict[int, list[str]] = defaultdict(list)
    for norm, cid in zip(distinct, clusters):
        members[cid].append(norm)
    out = []
    for cid, norms in members.items():
        inherited = Counter(curated[n] for n in norms if curated[n])
        cluster_group = inherited.most_common(1)[0][0] if len(inherited) == 1 else None
        raws = [r for n in norms if not curated[n] for r in raw_by_norm[n]]
        representative = min(raws, key=lambda r: (-weights[r], len(r), r)) if raws else None
        for norm in norms:
            for raw in raw_by_norm[norm]:
                if not norm:  # nothing but punctuation or legal forms: keep the name as given
                    out.append(Harmonized(raw, norm, raw.strip() or raw, "cluster"))
                elif curated[norm]:
                    out.append(Harmonized(raw, norm, curated[norm], "curated"))
                elif cluster_group:
                    out.append(Harmonized(raw, norm, cluster_group, "curated"))
                else:
                    out.append(Harmonized(raw, norm, representative, "cluster"))
    return sorted(out, key=lambda h: h.name)


def to_arrow(rows: list[Harmonized]) -> pa.Table:
    return pa.Table.from_pylist([vars(r) for r in rows], schema=APPLICANT_GROUPS_SCHEMA)


# --- the lake -------------------------------------------------------------------------------

APPLICANT_NAMES_SQL = """
SELECT name, count(DISTINCT publication_number) AS publications
FROM parties
WHERE role = 'applicant' AND name IS NOT NULL
GROUP BY name
"""


@dataclass
class HarmonizeResult:
    rows: int
    groups: int
    curated_names: int
    meta: dict


def parties_fingerprint(lake) -> str:
    """Changes whenever the lake's ``parties`` files change, so a stale table is noticed."""
    parts = sorted(p.relative_to(lake.path).as_posix() for p in lake.parts("parties"))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def harmonize_lake(engine, group_files_extra=None, progress=None) -> HarmonizeResult:
    """Harmonise every applicant name in the lake's ``parties`` and write ``applicant_groups``.

    The name → group mapping is computed in Python (rapidfuzz) from the distinct names only, so
    it stays small even for a large lake; the table is then written through the engine like
    any derived table, with the group files' fingerprint in the manifest.
    """
    names = engine.query(APPLICANT_NAMES_SQL).to_pylist()
    weights = {r["name"]: int(r["publications"]) for r in names}
    groups = load_groups(group_files_extra)
    rows = harmonize_names(weights, groups, progress=progress)
    table = to_arrow(rows)
    _register(engine, "_pq_applicant_groups_new", table)
    meta = {
        "groups_fingerprint": groups_fingerprint(group_files_extra),
        "parties_fingerprint": parties_fingerprint(engine.lake),
        "group_files": [str(p) for p in group_files(group_files_extra)],
        "prefilter_score": PREFILTER_SCORE,
        "max_token_edits": MAX_TOKEN_EDITS,
    }
    written = engine.write_derived("applicant_groups", "SELECT * FROM _pq_applicant_groups_new", **meta)
    return HarmonizeResult(written, len({r.group_name for r in rows}),
                           sum(r.group_source == "curated" for r in rows), meta)


def is_current(lake, group_files_extra=None) -> bool:
    """Whether the lake's ``applicant_groups`` matches its parties and the group files."""
    meta = lake.manifest.get("derived", {}).get("applicant_groups")
    return bool(meta) and meta.get("groups_fingerprint") == groups_fingerprint(group_files_extra) \
        and meta.get("parties_fingerprint") == parties_fingerprint(lake)


def _register(engine, name: str, table: pa.Table) -> None:
    """Make a small Arrow table visible to the engine's SQL as a view.

    DuckDB registers Arrow directly, Spark gets a DataFrame; any other engine a portable
    VALUES list.
    """
    if hasattr(engine, "register_arrow"):
        engine.register_arrow(name, table)
        return
    con = getattr(engine, "con", None)
    if con is not None and hasattr(con, "register"):
        con.register(name, table)
        return
    spark = getattr(engine, "spark", None)
    if spark is not None and table.num_rows:
        spark.createDataFrame(table.to_pandas()).createOrReplaceTempView(name)
        return
    cols = table.schema.names
    if table.num_rows == 0:
        select = ", ".join(f"CAST(NULL AS VARCHAR) AS {c}" for c in cols)
        engine.create_view(name, f"SELECT {select} WHERE 1 = 0")
        return

    def literal(value):
        return "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"

    values = ",\n".join("(" + ", ".join(literal(v) for v in row.values()) + ")" for row in table.to_pylist())
    engine.create_view(name, f"SELECT * FROM (VALUES {values}) AS t({', '.join(cols)})")


GROUP_LISTING_SQL = """
WITH members AS ({members}),
applicant_families AS (
  SELECT DISTINCT g.group_name, g.group_source, pt.name, m.family_id
  FROM parties pt
  JOIN applicant_groups g ON g.name = pt.name
  JOIN members m ON m.publication_number = pt.publication_number
  WHERE pt.role = 'applicant'
)
SELECT group_name, max(group_source) AS group_source, name, count(DISTINCT family_id) AS families
FROM applicant_families
GROUP BY group_name, name
"""

GROUP_TOTALS_SQL = """
WITH members AS ({members})
SELECT g.group_name, count(DISTINCT m.family_id) AS families
FROM parties pt
JOIN applicant_groups g ON g.name = pt.name
JOIN members m ON m.publication_number = pt.publication_number
WHERE pt.role = 'applicant'
GROUP BY g.group_name
"""


def group_listing(engine, top: int | None = None) -> list[dict]:
    """Groups with their name variants and family counts, largest group first.

    A family counts once per group even when several variants of the group apply for it.
    Families are the resolved ones of ``family_members`` when the lake has that table.
    """
    from .attribution import member_families_sql, members_table

    members = member_families_sql(members_table(engine.lake))
    variants = engine.query(GROUP_LISTING_SQL.format(members=members)).to_pylist()
    totals = engine.query(GROUP_TOTALS_SQL.format(members=members)).to_pylist()
    by_group: dict[str, dict] = {}
    for t in totals:
        by_group[t["group_name"]] = {"group": t["group_name"], "families": int(t["families"]),
                                     "source": None, "variants": []}
    for v in variants:
        entry = by_group[v["group_name"]]
        entry["source"] = "curated" if v["group_source"] == "curated" or entry["source"] == "curated" \
            else v["group_source"]
        entry["variants"].append({"name": v["name"], "families": int(v["families"])})
    listing = sorted(by_group.values(), key=lambda g: (-g["families"], g["group"]))
    for entry in listing:
        entry["variants"].sort(key=lambda v: (-v["families"], v["name"]))
    return listing[:top] if top else listing
