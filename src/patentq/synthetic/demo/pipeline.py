"""The demo pipeline: world → real-format files → the normal adapters → landscape → indicators
→ compare → report, exactly as a user's own data would go.

Stages whose module is missing from this installation are reported and, where the demo can
stand in honestly, replaced by a clearly labelled fallback (e.g. the landscape membership the
world planted); the result says which stages ran for real.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa

from . import calibration as cal
from .world import World, generate
from .writers import write_epoch_csv, write_google_ndjson, write_lens_csv

STAGES = ("generate", "write sources", "ingest", "harmonize", "landscape", "indicators", "compare", "report")


@dataclass
class DemoResult:
    out: Path
    lake: Path
    report: Path | None
    world: World
    comparison: object = None
    stages: dict = field(default_factory=dict)  # stage → "ran" | "fallback: why" | "skipped: why"
    seconds: dict = field(default_factory=dict)


def run_demo(out, n_families: int = cal.TOTAL_FAMILIES, seed: int = 2024, progress: Callable | None = None,
             lens_slice: bool = True, report: bool = True, replicates: int = 1000, sensitivity: bool = True) -> DemoResult:
    """Build ``out/lake`` (fresh) and ``out/report.html`` from a seeded synthetic world."""
    out = Path(out)
    lake_dir, sources = out / "lake", out / "sources"
    for folder in (lake_dir, sources):
        if folder.exists():
            shutil.rmtree(folder)
    sources.mkdir(parents=True)
    step = progress or (lambda stage, detail="": None)
    result = DemoResult(out, lake_dir, None, None)  # type: ignore[arg-type]
    clock = time.perf_counter()

    def done(stage, status="ran"):
        nonlocal clock
        result.stages[stage] = status
        result.seconds[stage] = round(time.perf_counter() - clock, 2)
        clock = time.perf_counter()

    step("generate", f"{n_families:,} families, seed {seed}")
    world = result.world = generate(n_families, seed)
    done("generate")
    step("write sources", "Google NDJSON, Lens CSV, Epoch CSV")
    write_google_ndjson(world, sources / "google-synthetic.ndjson", seed)
    if lens_slice:
        write_lens_csv(world, sources / "lens-synthetic-2021.csv")
    write_epoch_csv(world, sources / "epoch-synthetic.csv")
    (out / "TRUTH-synthetic.json").write_text(json.dumps(world.truth, indent=2))
    done("write sources")
    step("ingest", "through the normal adapters")
    _ingest(lake_dir, sources, lens_slice)
    done("ingest")
    from ..engines import get_engine
    from ..lake import Lake

    engine = get_engine("duckdb", Lake.open(lake_dir))
    step("harmonize", "applicant names → groups")
    done("harmonize", _harmonize(engine))
    step("landscape", "genai")
    done("landscape", _landscape(engine, world))
    step("indicators", "families and family indicators")
    from ..indicators import run as run_indicators

    run_indicators(engine, landscape="genai")
    done("indicators")
    step("compare", "inventor country, 2014-2023")
    from ..compare import Conventions, compare

    conv = Conventions(landscape="genai", replicates=replicates)
    result.comparison = compare(lake_dir, conv, sensitivity=sensitivity)
    result.comparison.notes[0] = (f"SYNTHETIC DEMO DATA: every figure here comes from patentq's seeded demo world "
                                  f"(seed {seed}), not from real patents.")
    result.comparison.conventions["demo_stages"] = result.stages
    done("compare")
    if report:
        step("report", "report.html")
        from ..report import write_report

        result.report = write_report(result.comparison, out / "report.html", synthetic=True, truth=world.truth,
                                     extra_tables={"Planted model and mode vs landscape categories (synthetic world)":
                                                   _category_truth(engine, world)})
        done("report")
    return result


def _ingest(lake_dir: Path, sources: Path, lens_slice: bool) -> None:
    from ..ingest import ingest

    ingest("google", [sources / "google-synthetic.ndjson"], lake_dir)
    if lens_slice:
        ingest("lens", [sources / "lens-synthetic-2021.csv"], lake_dir)
    ingest("epoch", [sources / "epoch-synthetic.csv"], lake_dir)


def _harmonize(engine) -> str:
    try:
        from ..harmonize import harmonize_lake
    except ImportError:
        return "skipped: patentq.harmonize is not installed"
    harmonize_lake(engine)
    return "ran"


def _landscape(engine, world: World) -> str:
    """Apply the built-in ``genai`` definition; without one, write the planted membership."""
    from ..landscapes import builtin_names, load
    from ..landscapes.apply import apply

    if "genai" in builtin_names():
        apply(load("genai"), engine)
        return "ran"
    fam = world.fam
    genai = np.flatnonzero(fam["genai"])
    members = pa.table({"family_id": fam["family_id"][genai].astype(str),
                        "matched_publications": np.ones(len(genai), dtype=np.int64)})
    cats = pa.table({
        "family_id": np.concatenate([fam["family_id"][genai], fam["family_id"][genai]]).astype(str),
        "dimension": np.repeat(np.array(["model", "mode"]), len(genai)),
        "category": np.concatenate([fam["model"][genai], fam["mode"][genai]]).astype(str)})
    con = engine.con
    for name, table in (("landscape_genai", members), ("landscape_genai_categories", cats)):
        con.register(f"_demo_{name}", table)
        engine.write_derived(name, f"SELECT * FROM _demo_{name}", definition="genai (planted by the demo world)",
                             version="demo", definition_hash="planted", synthetic=True)
    return "fallback: no built-in genai definition installed; membership planted by the demo world"


def _category_truth(engine, world: World) -> list[dict]:
    """Planted model/mode per family next to the landscape's categories (which may give a family
    several categories per dimension, e.g. an LLM family for images is also "text")."""
    got = {(r["dimension"], r["category"].lower()): r["n"] for r in engine.query(
        "SELECT dimension, category, count(DISTINCT family_id) AS n FROM landscape_genai_categories "
        "WHERE dimension IN ('model', 'mode') GROUP BY dimension, category").to_pylist()}
    rows = []
    for dim in ("model", "mode"):
        for cat, n in world.truth["counts"][dim].items():
            rows.append({"dimension": dim, "category": cat, "planted families": n,
                         "landscape families": got.get((dim, cat.lower()), 0)})
    return rows
