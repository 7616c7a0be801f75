"""Applicant harmonisation: applicant names → corporate groups (derived table ``applicant_groups``).

Two steps, because each alone is not enough:

1. **Curated groups** (``data/applicant_groups.yaml`` plus the user's files) put subsidiaries
   under their parent: ``DeepMind Technologies`` → Alphabet, ``北京百度网讯科技有限公司`` → Baidu.
   No string similarity can know that.
2. **Clustering** of spelling variants with rapidfuzz, for every other applicant:
   ``ZHEJIANG UNIV`` and ``Zhejiang University`` become one group. Names are compared only
   within blocks that share a key (``names.blocking_keys``), so the work grows with
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
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from .. import sql
from ..errors import UsageError
from .cluster import MAX_TOKEN_EDITS, PREFILTER_SCORE, cluster_normalized, same_applicant
from .groups import GROUPS_ENV, CuratedGroup, CuratedMatcher, group_files, load_groups
from .names import normalize_name

APPLICANT_GROUPS_SCHEMA = pa.schema(
    [("name", pa.string()), ("name_normalized", pa.string()), ("group_name", pa.string()),
     ("group_source", pa.string())]
)
#: Where the lake keeps copies of the user's group files.
GROUP_FILES_FOLDER = "settings/groups"



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
                    out.append(Harmonized(raw, norm, str(curated[norm]), "curated"))
                elif cluster_group:
                    out.append(Harmonized(raw, norm, cluster_group, "curated"))
                else:
                    out.append(Harmonized(raw, norm, representative or raw, "cluster"))
    return sorted(out, key=lambda h: h.name)


def to_arrow(rows: list[Harmonized]) -> pa.Table:
    return pa.Table.from_pylist([vars(r) for r in rows], schema=APPLICANT_GROUPS_SCHEMA)



# --- the lake -------------------------------------------------------------------------------


def party_groups_sql(parties: str = "parties", key: str = "publication_number") -> str:
    """``(publication_number, name, group_name)`` for every applicant: **the** applicant → group
    rule, read by attribution, the self-citation test of the indicators and ``patentq family``.
    ``parties``: the party rows it reads (a table or a subquery with ``key``, ``role``, ``name``
    and ``group_name``), keyed by ``key``."""
    return sql.load(__name__, "party_groups", parties=parties, key=key)


def build(session, recorded: list | None = None, progress=None, **_key_only) -> dict:
    """Harmonise every applicant name of the lake and write ``applicant_groups``.

    The name → group mapping is computed in Python (rapidfuzz) from the distinct names only, so
    it stays small even for a large lake; the table is then written through the engine like
    any derived table. ``recorded``: the user's group files kept in the lake (``record_group_files``),
    then ``$PATENTQ_APPLICANT_GROUPS``, then the built-in list.
    """
    engine = session.engine
    files = [session.lake.path / f["path"] for f in recorded or []]
    with session.step("applicants", "names"):
        names = engine.rows(sql.load(__name__, "names"))
    weights = {r["name"]: int(r["publications"]) for r in names}
    groups = load_groups(files)
    rows = harmonize_names(weights, groups, progress=progress)
    with session.step("applicants", "write"):
        engine.register_arrow("_pq_applicant_groups_new", to_arrow(rows))
        written = engine.write_derived(
            "applicant_groups", "SELECT * FROM _pq_applicant_groups_new",
            group_files=[str(p) for p in group_files(files)], prefilter_score=PREFILTER_SCORE,
            max_token_edits=MAX_TOKEN_EDITS)
    return {"names": written, "groups": len({r.group_name for r in rows}),
            "curated_names": sum(r.group_source == "curated" for r in rows)}


def env_group_files_hash() -> str:
    """The content of the ``$PATENTQ_APPLICANT_GROUPS`` files: part of the stage key."""
    digest = hashlib.sha256()
    for path in [p for p in os.environ.get(GROUPS_ENV, "").split(os.pathsep) if p.strip()]:
        digest.update(Path(path).read_bytes() if Path(path).exists() else b"missing:" + path.encode())
    return digest.hexdigest()[:16]


def recorded_group_files(lake) -> list[dict]:
    """The user's group files kept in the lake: ``[{"name", "path", "sha256"}]``."""
    return list(lake.manifest.get("settings", {}).get("group_files", []))


def record_group_files(lake, files) -> list[dict]:
    """Copy the user's group files into the lake (validated first) and record them, replacing a
    recorded file of the same name. They are used by every later harmonisation until removed."""
    recorded = {f["name"]: f for f in recorded_group_files(lake)}
    load_groups([Path(f) for f in files])  # a bad file fails here, before anything is recorded
    with lake.transaction() as txn:
        for file in files:
            file = Path(file)
            data = file.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            rel = f"{GROUP_FILES_FOLDER}/{digest[:16]}-{file.name}"
            target = txn.staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            recorded[file.name] = {"name": file.name, "path": rel, "sha256": digest, "from": str(file.resolve())}
        txn.settings["group_files"] = list(recorded.values())
    return list(recorded.values())


def remove_group_files(lake, names) -> list[dict]:
    """Stop using recorded group files (by file name)."""
    recorded = recorded_group_files(lake)
    unknown = set(names) - {f["name"] for f in recorded}
    if unknown:
        raise UsageError(f"no recorded group file named {', '.join(sorted(unknown))}",
                         hint="recorded: " + (", ".join(f["name"] for f in recorded) or "none"))
    kept = [f for f in recorded if f["name"] not in set(names)]
    with lake.transaction() as txn:
        txn.settings["group_files"] = kept
    return kept


def group_listing(session, top: int | None = None) -> list[dict]:
    """Groups with their name variants and family counts, largest group first.

    A family counts once per group even when several variants of the group apply for it.
    """
    session.require("applicant_groups", "families")
    engine = session.engine
    with session.step("applicants", "listing"):
        variants = engine.rows(sql.load(__name__, "listing"))
        totals = engine.rows(sql.load(__name__, "totals"))
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


__all__ = ["APPLICANT_GROUPS_SCHEMA", "CuratedGroup", "GROUPS_ENV", "Harmonized", "build", "cluster_normalized",
           "group_listing", "harmonize_names", "load_groups", "normalize_name", "party_groups_sql",
           "record_group_files", "remove_group_files", "same_applicant", "to_arrow"]
