"""The stage registry: what each stage needs and produces, and when its tables are stale.

A stage turns lake tables into derived tables: ``families``, ``applicants`` (harmonised
applicant groups), ``landscape`` (one instance per definition) and ``indicators``. Each declares
the canonical tables it reads, the stages it needs and the tables it produces. Every derived
table's manifest entry records the **key** it was built under: a hash of

- the stage's code (the ``.py`` and ``.sql`` files of its package, and its data files),
- its parameters (the landscape definition's hash, the user's group files, the indicator
  options),
- the inputs it reads (the sha256 of every ingested file with rows in those tables),
- and the keys of the stages it needs.

A table is current when its recorded key equals the key computed now; otherwise it is stale and
``ensure`` rebuilds it, after its own needs, under the lake's writer lock. A change to the
group files therefore rebuilds ``applicant_groups`` and what depends on it (indicators), and
nothing else. Parameters are sticky: a stage rebuilt because its inputs changed keeps the
parameters it was last built with (``patentq indicators --hall-correction`` stays corrected)
unless the caller passes new ones.

Hints such as "run `patentq indicators` first" are generated here (``hint``), from the same
declarations.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable

from .errors import LakeError, UsageError


@dataclass(frozen=True)
class Stage:
    name: str
    #: How a user runs it by hand ("{instance}" and "{lake}" filled in).
    command: str
    #: Derived tables it writes ("{instance}" filled in for instanced stages).
    produces: tuple[str, ...]
    #: Canonical tables it reads: an ingest into any of them makes it stale.
    reads: tuple[str, ...]
    #: Stages it needs first.
    needs: tuple[str, ...] = ()
    #: Packages (and data files) whose content is part of its key.
    code: tuple[str, ...] = ()
    #: Parameters and their defaults.
    defaults: dict = field(default_factory=dict)

    def tables(self, instance: str | None = None) -> list[str]:
        return [t.format(instance=instance) for t in self.produces]

    def build(self, session, instance: str | None, params: dict) -> dict:
        return _BUILDERS[self.name](session, instance, params)


STAGES: dict[str, Stage] = {
    s.name: s
    for s in (
        Stage("profile", "patentq lake profile --lake {lake}", ("lake_profile",),
              reads=("publications", "parties", "classifications", "citations", "priorities", "tags"),
              code=("patentq.profile", "patentq.capabilities", "patentq.sources")),
        Stage("families", "patentq indicators --lake {lake}", ("family_members", "families", "family_values"),
              reads=("publications", "parties", "classifications", "priorities"),
              code=("patentq.families", "patentq.capabilities", "patentq.sources", "patentq.parts")),
        Stage("applicants", "patentq applicants --lake {lake}", ("applicant_groups",),
              reads=("parties", "context_documents"), code=("patentq.harmonize", "patentq.data:applicant_groups.yaml"),
              defaults={"recorded": [], "env_group_files": None}),
        Stage("landscape", "patentq landscape apply {instance} --lake {lake}",
              ("landscape_{instance}", "landscape_{instance}_categories"),
              reads=("publications", "classifications", "tags", "texts"), code=("patentq.landscapes",),
              defaults={"source": None, "definition_hash": None}),
        # the trained refinement of a landscape (landscapes/refine.py); use it elsewhere as the
        # landscape NAME_refined (e.g. `compare --landscape genai_refined`)
        Stage("refine", "patentq landscape refine {instance} --lake {lake}",
              ("landscape_{instance}_refined", "landscape_{instance}_refined_categories",
               "landscape_{instance}_scores", "landscape_{instance}_model"),
              reads=("publications", "classifications", "tags", "texts", "citations"), needs=("landscape",),
              code=("patentq.landscapes",),
              defaults={"source": None, "definition_hash": None, "labels": None, "labels_hash": None,
                        "holdout": None, "holdout_hash": None, "seed": 1, "t_add": None, "t_drop": None,
                        "embeddings": None}),
        Stage("indicators", "patentq indicators --lake {lake}",
              ("family_indicators", "family_subclasses", "family_citation_targets", "family_citations",
               "family_applicants", "family_shared_applicants", "family_context_members", "family_context_citations", "family_context_shared", "family_origin_bits"),
              reads=("publications", "classifications", "citations", "priorities", "parties", "context_documents",
                     "baselines"),
              needs=("profile", "families", "applicants"),
              code=("patentq.indicators", "patentq.parts", "patentq.data:wipo_ipc_technology_concordance.csv"),
              defaults={"landscape": None, "latest_date": None, "hall_correction": False, "pending_years": 5,
                        "context": True, "cohort_basis": "auto"}),
    )
}


def _build_profile(session, instance, params):
    from .profile import build

    return build(session)


def _build_families(session, instance, params):
    from .families import build

    return build(session)


def _build_applicants(session, instance, params):
    from .harmonize import build

    return build(session, **params)


def _build_landscape(session, instance, params):
    from .landscapes.apply import build

    return build(session, instance, **params)


def _build_refine(session, instance, params):
    from .landscapes.refine import build

    return build(session, instance, **params)


def _build_indicators(session, instance, params):
    from .indicators import build

    return build(session, **params)


_BUILDERS: dict[str, Callable] = {"profile": _build_profile, "families": _build_families, "applicants": _build_applicants,
                                  "landscape": _build_landscape, "refine": _build_refine,
                                  "indicators": _build_indicators}

_LANDSCAPE_TABLE = re.compile(r"^landscape_(?P<name>[A-Za-z0-9_]+?)(?P<cat>_categories)?$")
_REFINED_TABLE = re.compile(r"^landscape_(?P<name>[A-Za-z0-9_]+?)_(?:refined|refined_categories|scores|model)$")


def target(table: str) -> tuple[Stage, str | None]:
    """The stage (and instance) that produces ``table``."""
    for stage in STAGES.values():
        if stage.name not in ("landscape", "refine") and table in stage.produces:
            return stage, None
    match = _REFINED_TABLE.match(table)
    if match:
        return STAGES["refine"], match.group("name")
    match = _LANDSCAPE_TABLE.match(table)
    if match:
        return STAGES["landscape"], match.group("name")
    raise UsageError(f"no stage produces a table named {table!r}",
                     hint="derived tables: " + ", ".join(t for s in STAGES.values() for t in s.produces))


def hint(table: str, lake) -> str:
    """How a user builds ``table`` by hand."""
    stage, instance = target(table)
    return "run `" + stage.command.format(instance=instance or "NAME", lake=lake.path) + "`"


# --- keys ------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _code_hash(code: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for item in code:
        package, _, file = item.partition(":")
        try:
            root = resources.files(package)
        except TypeError:  # a module, not a package
            from importlib.util import find_spec

            spec = find_spec(package)
            origin = Path(str(spec.origin if spec else package))
            root, file = origin.parent, origin.name
        files = [root.joinpath(file)] if file else sorted(
            (p for p in _walk(root) if p.name.endswith((".py", ".sql", ".yaml"))), key=lambda p: str(p))
        for path in files:
            digest.update(str(path).rsplit("patentq", 1)[-1].encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _walk(root):
    for child in root.iterdir():
        if child.is_dir():
            if child.name != "__pycache__":
                yield from _walk(child)
        else:
            yield child


def _inputs_hash(lake, reads: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for entry in lake.manifest.get("inputs", []):
        if set(entry.get("parts", {})) & set(reads):
            digest.update(f"{entry['format']}:{entry['sha256']}\n".encode())
    return digest.hexdigest()[:16]


def recorded(lake, stage: Stage, instance: str | None) -> dict | None:
    """The manifest entry of the stage's first table (where its key and parameters are kept)."""
    return lake.derived(stage.tables(instance)[0])


def params_for(lake, stage: Stage, instance: str | None, given: dict | None) -> dict:
    """The parameters to build with: the caller's, else those recorded at the last build, else
    the stage's defaults."""
    params = dict(stage.defaults)
    meta = recorded(lake, stage, instance)
    if meta and isinstance(meta.get("params"), dict):
        params.update({k: v for k, v in meta["params"].items() if k in params})
    if given:  # dates as ISO text: parameters are kept in the (JSON) manifest
        params.update({k: v.isoformat()[:10] if isinstance(v, dt.date) else v for k, v in given.items() if k in params})
    if stage.name == "applicants":  # the lake's recorded group files and the environment's, always live
        from .harmonize import env_group_files_hash, recorded_group_files

        params.update(recorded=recorded_group_files(lake), env_group_files=env_group_files_hash())
    if stage.name in ("landscape", "refine"):  # the definition as it is now: an edited YAML file rebuilds
        params["definition_hash"] = _definition_hash(str(params.get("source") or instance), params)
    if stage.name == "refine":  # the label and holdout files' content, not just their names
        for name in ("labels", "holdout"):
            params[f"{name}_hash"] = _file_hash(params.get(name))
    return params


def _file_hash(path) -> str | None:
    if not path or not Path(path).exists():
        return None
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def _definition_hash(source: str, params: dict) -> str | None:
    from .landscapes import load

    try:
        return load(source).hash
    except UsageError:  # the file is gone: keep what was built from it
        return params.get("definition_hash")


def key_parts(lake, stage: Stage, instance: str | None, params: dict) -> dict:
    """What a stage's key is made of, each part hashed: recorded beside the key, so a stale
    table can say which part changed."""
    upstream = {}
    for need in needs_of(stage, params, instance):
        need_stage, need_instance = need
        meta = recorded(lake, need_stage, need_instance)
        upstream[f"{need_stage.name}:{need_instance}"] = meta.get("key") if meta else None
    return {"code": _code_hash(stage.code), "params": _hash(params), "inputs": _inputs_hash(lake, stage.reads),
            "upstream": _hash(upstream), "upstream_keys": upstream}


def _hash(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]


def key(lake, stage: Stage, instance: str | None, params: dict) -> str:
    parts = key_parts(lake, stage, instance, params)
    return _hash({"stage": stage.name, "instance": instance, **{k: v for k, v in parts.items() if k != "upstream_keys"}})


def needs_of(stage: Stage, params: dict, instance: str | None = None) -> list[tuple[Stage, str | None]]:
    if stage.name == "refine":  # the rules of the same definition first
        return [(STAGES["landscape"], instance)]
    out: list[tuple[Stage, str | None]] = [(STAGES[n], None) for n in stage.needs]
    if stage.name == "indicators" and params.get("landscape"):
        out.append(target("landscape_" + params["landscape"]))
    return out


def is_current(lake, stage: Stage, instance: str | None, params: dict) -> bool:
    metas = [lake.derived(t) for t in stage.tables(instance)]
    if not all(metas):
        return False
    return all(m.get("key") == key(lake, stage, instance, params) for m in metas)


# --- building --------------------------------------------------------------------------------

def status(session, tables, **params) -> list[dict]:
    """What ``ensure`` would do for ``tables``: one row per stage, ``current`` or why it is stale."""
    rows: list[dict] = []
    _visit(session, _targets(tables, params), rows, build=False, progress=None)
    return rows


def ensure(session, tables, progress=None, **params) -> list[dict]:
    """Build every stage ``tables`` need that is missing or stale, in dependency order.

    ``params`` go to the stages that take them (``landscape=...`` to indicators, ...). Returns
    one row per stage visited: ``{"stage", "instance", "action": "current" | "built", "reason"}``.
    Nothing is locked when everything is current, so a read-only lake can still be read.
    """
    lake = session.lake
    targets = _targets(tables, params)
    plan: list[dict] = []
    _visit(session, targets, plan, build=False, progress=None)
    if all(row["action"] == "current" for row in plan):
        return plan
    if not session.build:
        stale = [row for row in plan if row["action"] != "current"]
        first = stale[0]
        table = STAGES[first["stage"]].tables(first["instance"])[0]
        raise LakeError(f"the lake {lake.path} has {first['reason']} ({table}), and building was turned off",
                        hint=f"{hint(table, lake)}, or drop --no-build")
    done: list[dict] = []
    with lake.writer(session.wait):
        session.sync()
        _visit(session, targets, done, build=True, progress=progress)
    return done


def _targets(tables, params) -> list[tuple[Stage, str | None, dict]]:
    out: list[tuple[Stage, str | None, dict]] = []
    for table in tables:
        stage, instance = target(table)
        if not any(s is stage and i == instance for s, i, _ in out):
            out.append((stage, instance, params))
    return out


def _visit(session, targets, rows: list[dict], build: bool, progress) -> None:
    seen: set[tuple[str, str | None]] = {(r["stage"], r["instance"]) for r in rows}
    for stage, instance, given in targets:
        if (stage.name, instance) in seen:
            continue
        lake = session.lake
        params = params_for(lake, stage, instance, given)
        source = {"source": params["source"]} if stage.name == "refine" and params.get("source") else {}
        _visit(session, [(s, i, source if s.name == "landscape" else {}) for s, i in needs_of(stage, params, instance)],
               rows, build, progress)
        seen |= {(r["stage"], r["instance"]) for r in rows}
        if is_current(lake, stage, instance, params):
            rows.append({"stage": stage.name, "instance": instance, "action": "current", "reason": None})
        else:
            reason = _reason(lake, stage, instance)
            if build:
                if progress:
                    progress(stage.name if instance is None else f"{stage.name} {instance}", reason)
                summary = _run(session, stage, instance, params)
                rows.append({"stage": stage.name, "instance": instance, "action": "built", "reason": reason,
                             "summary": summary})
            else:
                rows.append({"stage": stage.name, "instance": instance, "action": "stale", "reason": reason})
        seen.add((stage.name, instance))


def _reason(lake, stage: Stage, instance: str | None) -> str:
    metas = [lake.derived(t) for t in stage.tables(instance)]
    if not any(metas):
        return f"no {stage.tables(instance)[0]} table yet"
    if not all(metas):
        return f"an incomplete {stage.name} build"
    table = stage.tables(instance)[0]
    before = metas[0].get("key_parts")
    if not before or not metas[0].get("key"):
        return f"{table} is out of date"
    now = key_parts(lake, stage, instance, params_for(lake, stage, instance, None))
    why = {"inputs": "new or changed input files", "params": "other parameters or definition",
           "code": "a newer patentq", "upstream": "tables it is built from were rebuilt"}
    changed = [why[k] for k in ("inputs", "params", "upstream", "code") if before.get(k) != now.get(k)]
    return f"{table} is out of date ({', '.join(changed) or 'rebuild asked for'})"


def _run(session, stage: Stage, instance: str | None, params: dict) -> dict:
    """Build one stage and stamp each table it wrote with the stage's key and parameters."""
    lake = session.lake
    summary = stage.build(session, instance, params) or {}
    stamp = {"stage": stage.name, "key": key(lake, stage, instance, params), "params": params,
             "key_parts": key_parts(lake, stage, instance, params)}
    with lake.transaction() as txn:
        for table in stage.tables(instance):
            if lake.derived(table) is None:
                raise LakeError(f"stage {stage.name} did not write {table}",
                                hint="this is a bug in patentq; report it")
            txn.stamps[table] = dict(stamp)
    session.sync()
    return summary


def forget(session, table: str | None = None) -> None:
    """Mark the stage that produces ``table`` stale, so the next ``ensure`` rebuilds it
    (``--rebuild``); with no table, every derived table of the lake (a benchmark that must time
    whole builds)."""
    produced_by = target(table) if table is not None else None
    lake = session.lake
    with lake.transaction(session.wait) as txn:  # the manifest as it is under the lock
        if produced_by:
            stage, instance = produced_by
            tables = stage.tables(instance)
        else:
            tables = list(lake.manifest.get("derived", {}))
        for name in tables:
            if lake.derived(name) is not None:
                txn.stamps[name] = {"key": None}
