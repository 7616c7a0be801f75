"""The demo pipeline: world → real-format files → a project run by ``patentq run``'s machinery
(the normal adapters, landscape, families, applicant groups, indicators, compare, report),
exactly as a user's own data would go.

The generated source files go to a temporary folder unless ``keep_sources`` is set (they are
about 270 MB for the full 54k-family world); every input is marked synthetic in the manifest,
so reports and the dashboard carry the SYNTHETIC banner.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ... import sql
from . import calibration as cal
from .world import World, generate
from .bias import quality_both_ways
from .export import FILES, write_google_exports
from .writers import write_epoch_csv, write_lens_csv

STAGES = ("generate", "write sources", "ingest", "landscape", "families", "applicants", "indicators", "report")
BIAS_TITLE = ("Quality measured on the export alone (lake-only) vs against the world (citing documents and "
              "population baselines), per inventor country (synthetic world)")
PROJECT_FILE = "patentq.toml"


@dataclass
class DemoResult:
    out: Path
    lake: Path
    report: Path | None
    world: World
    comparison: object = None
    stages: dict = field(default_factory=dict)  # step → "ran" | why not
    seconds: dict = field(default_factory=dict)
    sources: Path | None = None  # where the generated source files are (None: removed)
    #: per inventor country, quality lake-only vs against the population (bias.quality_both_ways)
    quality_bias: list = field(default_factory=list)


def demo_project(out: Path, sources: Path, lens_slice: bool, report: bool, replicates: int, sensitivity: bool):
    """The demo as a project (what ``patentq.toml`` in the demo folder says)."""
    from ...project import Output, Project, Source

    files = [Source("google", [sources / FILES["candidates"]], synthetic=True),
             Source("google-citing", [sources / FILES["citing"]], synthetic=True),
             Source("google-baselines", [sources / FILES["baselines"]], synthetic=True)]
    if lens_slice:
        files.append(Source("lens", [sources / "lens-synthetic-2021.csv"], synthetic=True))
    files.append(Source("epoch", [sources / "epoch-synthetic.csv"], synthetic=True))
    outputs = [Output(out / "report.html", sensitivity=sensitivity, truth=out / "TRUTH-synthetic.json")] if report else []
    return Project(out / PROJECT_FILE, out / "lake", files, landscapes=["genai"], indicators={"landscape": "genai"},
                   compare={"landscape": "genai", "replicates": replicates}, outputs=outputs)


def project_toml(project, keep_sources: bool) -> str:
    """The project file the demo writes beside its lake, so ``patentq run`` can redo it."""
    lines = ["# The patentq demo as a project: `patentq run patentq.toml` in this folder.",
             "# SYNTHETIC DATA: a seeded world calibrated to WIPO's 2024 GenAI landscape."]
    if not keep_sources:
        lines.append("# The source files were generated in a temporary folder and removed (`patentq demo "
                     "--keep-sources` keeps them); the lake holds their content.")
    lines += ["", "[project]", 'lake = "lake"', ""]
    for src in project.sources:
        lines += ["[[sources]]", f"format = {json.dumps(src.format)}",
                  "paths = [" + ", ".join(json.dumps(str(p)) for p in src.paths) + "]", "synthetic = true", ""]
    lines += ["[landscapes]", 'apply = ["genai"]', "", "[indicators]", 'landscape = "genai"', "", "[compare]"]
    lines += [f"{k} = {json.dumps(v)}" for k, v in project.compare.items()] + [""]
    for o in project.outputs:
        lines += ["[[outputs]]", f"report = {json.dumps(o.report.name)}", f"sensitivity = {str(o.sensitivity).lower()}",
                  f"truth = {json.dumps(o.truth.name)}", ""]
    return "\n".join(lines)


def run_demo(out, n_families: int = cal.TOTAL_FAMILIES, seed: int = 2024, progress: Callable | None = None,
             lens_slice: bool = True, report: bool = True, replicates: int = 1000, sensitivity: bool = True,
             keep_sources: bool = False) -> DemoResult:
    """Build ``out/lake`` (fresh) and ``out/report.html`` from a seeded synthetic world."""
    from ...project import run

    out = Path(out)
    for stale in (out / "lake", out / "sources"):
        if stale.exists():
            shutil.rmtree(stale)
    out.mkdir(parents=True, exist_ok=True)
    step = progress or (lambda stage, detail="": None)
    result = DemoResult(out, out / "lake", None, None)  # type: ignore[arg-type]
    clock = time.perf_counter()

    def done(stage, status="ran"):
        nonlocal clock
        result.stages[stage] = status
        result.seconds[stage] = round(time.perf_counter() - clock, 2)
        clock = time.perf_counter()

    step("generate", f"{n_families:,} families, seed {seed}")
    world = result.world = generate(n_families, seed)
    done("generate")
    sources = out / "sources" if keep_sources else Path(tempfile.mkdtemp(prefix="patentq-demo-sources-"))
    try:
        step("write sources", "Google candidates, citing documents and baselines, Lens CSV, Epoch CSV"
             + ("" if keep_sources else " (temporary)"))
        sources.mkdir(parents=True, exist_ok=True)
        write_google_exports(world, sources, seed)
        if lens_slice:
            write_lens_csv(world, sources / "lens-synthetic-2021.csv")
        write_epoch_csv(world, sources / "epoch-synthetic.csv")
        (out / "TRUTH-synthetic.json").write_text(json.dumps(world.truth, indent=2))
        done("write sources")
        project = demo_project(out, sources, lens_slice, report, replicates, sensitivity)
        (out / PROJECT_FILE).write_text(project_toml(project, keep_sources), encoding="utf-8")

        def stage_progress(stage, detail=""):
            name = stage.split()[0]
            step(name if name in STAGES else "ingest", detail or "")

        def extras(session):
            result.quality_bias = quality_both_ways(session)
            return {"Planted model and mode vs landscape categories (synthetic world)": category_truth(session, world),
                    BIAS_TITLE: result.quality_bias}

        ran = run(project, progress=stage_progress, report_extras=extras)
    finally:
        if not keep_sources:
            shutil.rmtree(sources, ignore_errors=True)
    for row in ran.steps:
        result.stages[row["step"]] = "ran" if row["action"] in ("built", "ingested", "written", "recorded") \
            else row["action"]
    if not result.quality_bias:  # no report asked for: the comparison both ways all the same
        from ... import open_lake

        with open_lake(result.lake) as session:
            result.quality_bias = quality_both_ways(session)
    result.seconds["pipeline"] = round(time.perf_counter() - clock, 2)
    result.comparison = ran.comparisons[0] if ran.comparisons else None
    result.report = out / "report.html" if report else None
    result.sources = sources if keep_sources else None
    return result


def category_truth(session, world: World) -> list[dict]:
    """Planted model/mode per family next to the landscape's categories (which may give a family
    several categories per dimension, e.g. an LLM family for images is also "text")."""
    got = {(r["dimension"], r["category"].lower()): r["n"]
           for r in session.engine.rows(sql.load(__name__, "category_truth"))}
    rows = []
    for dim in ("model", "mode"):
        for cat, n in world.truth["counts"][dim].items():
            rows.append({"dimension": dim, "category": cat, "planted families": n,
                         "landscape families": got.get((dim, cat.lower()), 0)})
    return rows
