"""``patentq run PROJECT.toml``: bring a lake up to date from a project file, then write its outputs.

A project file names the sources (format and paths), the landscapes, the applicant group
files, the indicator options, the comparison conventions and the outputs. ``run`` ingests files
the lake does not hold yet, records the group files, and lets the stage registry rebuild only
what is stale (``stages.py``); an output is rewritten only when what it is computed from
changed. A second ``run`` on an unchanged project does nothing and says so. ``patentq init``
writes a commented example (``EXAMPLE``). Paths in the file are relative to the file.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import __version__
from .errors import BadInputError, UsageError

EXAMPLE = '''\
# A patentq project: `patentq run patentq.toml` brings the lake up to date and writes the
# outputs. Only what changed is redone; a second run on unchanged inputs does nothing.
# Paths are relative to this file.

[project]
lake = "lake"                      # the lake folder (created on the first run)

# One [[sources]] table per format. Files already in the lake (same content) are skipped.
[[sources]]
format = "lens"                    # lens, cset, google, patentsview, patstat, uspto-xml, epo-ops, uspto-json, epoch
paths = ["exports/lens-export.csv"]

# [[sources]]
# format = "cset"
# paths = ["data/patent_database.csv.zip"]

[landscapes]
apply = ["genai"]                  # built-in names (genai, ai) or your own YAML definitions

[applicants]
groups = []                        # your applicant group files (YAML), kept in the lake

[indicators]
# landscape = "genai"              # keep only these families in family_indicators
# hall_correction = false
# pending_years = 5

[compare]                          # the options of `patentq compare` (docs/compare.md)
landscape = "genai"
by = "inventor-country"
years = "2014-2023"

[[outputs]]
report = "report.html"             # the HTML report
formats = []                       # also export its tables: xlsx, csv, parquet
sensitivity = true
'''


@dataclass
class Source:
    format: str
    paths: list[Path]
    synthetic: bool = False


@dataclass
class Output:
    report: Path
    formats: list[str] = field(default_factory=list)
    sensitivity: bool = True
    #: A planted-truth JSON (synthetic worlds only) shown beside the recovered figures.
    truth: Path | None = None


@dataclass
class Project:
    path: Path | None
    lake: Path
    sources: list[Source]
    landscapes: list[str] = field(default_factory=list)
    group_files: list[Path] = field(default_factory=list)
    indicators: dict = field(default_factory=dict)
    compare: dict = field(default_factory=dict)
    outputs: list[Output] = field(default_factory=list)


def load(path) -> Project:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"no project file {path}", hint="write one with `patentq init`") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}", hint="fix the file; `patentq init` writes an example") from None
    return parse(data, path.parent, path)


def parse(data: dict, base: Path, path: Path | None = None) -> Project:
    """A project from its TOML content; relative paths are taken from ``base``."""
    where = str(path or "project")
    known = {"project", "sources", "landscapes", "applicants", "indicators", "compare", "outputs"}
    unknown = set(data) - known
    if unknown:
        raise UsageError(f"{where}: unknown section(s) {', '.join(sorted(unknown))}",
                         hint=f"sections: {', '.join(sorted(known))}")

    def resolve(p) -> Path:
        p = Path(str(p)).expanduser()
        return p if p.is_absolute() else base / p

    sources = []
    for i, src in enumerate(data.get("sources", []), 1):
        if not isinstance(src, dict) or "format" not in src or not src.get("paths"):
            raise UsageError(f"{where}: source {i} needs a format and paths",
                             hint='write [[sources]] with format = "lens" and paths = ["file.csv"]')
        sources.append(Source(src["format"], [resolve(p) for p in src["paths"]], bool(src.get("synthetic"))))
    outputs = [Output(resolve(o["report"]), list(o.get("formats", [])), bool(o.get("sensitivity", True)),
                      resolve(o["truth"]) if o.get("truth") else None)
               for o in data.get("outputs", []) if o.get("report")]
    landscapes = [str(resolve(n)) if str(n).endswith((".yaml", ".yml")) else str(n)
                  for n in data.get("landscapes", {}).get("apply", [])]
    return Project(path, resolve(data.get("project", {}).get("lake", "lake")), sources, landscapes,
                   [resolve(p) for p in data.get("applicants", {}).get("groups", [])],
                   dict(data.get("indicators", {})), dict(data.get("compare", {})), outputs)


@dataclass
class RunReport:
    steps: list[dict] = field(default_factory=list)
    #: The comparisons computed for outputs written in this run.
    comparisons: list = field(default_factory=list)

    def add(self, step: str, action: str, detail: str = "") -> None:
        self.steps.append({"step": step, "action": action, "detail": detail})

    @property
    def changed(self) -> bool:
        return any(s["action"] not in ("current", "skipped") for s in self.steps)


def run(project: Project, progress: Callable[[str, str], None] | None = None, session_settings: dict | None = None,
        engine: str = "duckdb", wait: float | None = None, report_extras: Callable | None = None) -> RunReport:
    """Bring ``project.lake`` up to date and write the outputs whose inputs changed."""
    from .compare import compare, conventions, require_tables
    from .harmonize import record_group_files, recorded_group_files
    from .ingest import ingest
    from .landscapes import load as load_definition
    from .landscapes.apply import definition_source, table_names
    from .report import export_tables, write_report
    from .session import Session

    def say(step: str, detail: str = "") -> None:
        if progress:
            progress(step, detail)

    report = RunReport()
    for src in project.sources:
        present = [p for p in src.paths if p.exists()]
        missing = [p for p in src.paths if not p.exists()]
        for p in missing:
            if not _recorded(project.lake, p):
                raise BadInputError(f"{p}: no such file (source of {src.format} in {project.path or 'the project'})",
                                    hint="check the path in the project file")
        detail = [f"{len(missing)} not found (the lake holds them from an earlier run)"] if missing else []
        if present:
            say("ingest", f"{src.format}: {len(present)} file(s)")
            result = ingest(src.format, present, project.lake, wait=wait, synthetic=src.synthetic)
            action = "ingested" if result.files else "current"
            detail.insert(0, f"{len(result.files)} new, {len(result.skipped)} already in")
            report.add(f"ingest {src.format}", action, "; ".join(detail))
        else:
            report.add(f"ingest {src.format}", "current", "; ".join(detail))
    with Session.open(project.lake, engine, wait=wait, **(session_settings or {})) as session:
        if project.group_files:
            have = {f["sha256"] for f in recorded_group_files(session.lake)}
            new = [p for p in project.group_files if hashlib.sha256(p.read_bytes()).hexdigest() not in have]
            if new:
                record_group_files(session.lake, new)
                report.add("applicant group files", "recorded", ", ".join(p.name for p in new))
        for name in project.landscapes:
            defn = load_definition(name)
            _record(report, session.require(table_names(defn)[0], progress=say, source=definition_source(defn)))
        tables = ["families", "applicant_groups"]
        _record(report, session.require(*tables, progress=say))
        _record(report, session.require("family_indicators", progress=say, **project.indicators))
        conv = conventions(**project.compare)
        require_tables(session, conv, progress=say)
        for out in project.outputs:
            key = _output_key(session, conv, out)
            if out.report.exists() and _output_keys(session.lake).get(str(out.report)) == key:
                report.add(f"report {out.report.name}", "current")
                continue
            say("report", str(out.report))
            comparison = compare(session, conv, sensitivity=out.sensitivity)
            report.comparisons.append(comparison)
            for note in comparison.notes:  # an explicit option the data cannot serve: said here, not only in the report
                if note.startswith("Warning:"):
                    report.add("compare", "warning", note[len("Warning: "):])
            truth = json.loads(out.truth.read_text()) if out.truth else None
            write_report(comparison, out.report, truth=truth,
                         extra_tables=report_extras(session) if report_extras else None)
            written = [str(p) for f in out.formats for p in export_tables(comparison, out.report, f)]
            _remember_output(session.lake, str(out.report), key)
            report.add(f"report {out.report.name}", "written", ", ".join([str(out.report)] + written))
    return report


def _record(report: RunReport, rows: list[dict]) -> None:
    for row in rows:
        name = row["stage"] + (f" {row['instance']}" if row.get("instance") else "")
        if not any(s["step"] == name for s in report.steps):
            report.add(name, row["action"], row.get("reason") or "")


def _recorded(lake_path: Path, file: Path) -> bool:
    manifest = lake_path / "manifest.json"
    if not manifest.exists():
        return False
    inputs = json.loads(manifest.read_text()).get("inputs", [])
    return any(Path(i["file"]).resolve() == file.resolve() for i in inputs)


def _output_key(session, conv, out: Output) -> str:
    derived = session.lake.manifest.get("derived", {})
    keys = {name: meta.get("key") for name, meta in sorted(derived.items()) if meta.get("key")}
    blob = json.dumps({"version": __version__, "conventions": conv.as_dict(), "keys": keys,
                       "inputs": [i["sha256"] for i in session.lake.manifest["inputs"]],
                       "formats": out.formats, "sensitivity": out.sensitivity,
                       "truth": str(out.truth.resolve()) if out.truth else None}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _output_keys(lake) -> dict:
    return dict(lake.manifest.get("settings", {}).get("outputs", {}))


def _remember_output(lake, path: str, key: str) -> None:
    outputs = _output_keys(lake)
    outputs[path] = key
    with lake.transaction() as txn:
        txn.settings["outputs"] = outputs
