"""How far lake-only quality is from the world's: the demo's comparison both ways.

A user who ingests only the candidate export counts forward citations from other candidates
and compares each family with the export's own families of its cohort. The demo holds the
citing documents and the baselines too, so it computes the comparison twice on the same lake:

- **lake-only**: ``family_indicators`` with ``context=False, cohort_basis="lake"``;
- **population**: with the context documents and the population baselines (the default), which
  equals the world's truth (``tests/test_demo_quality.py``).

Per inventor country (``group``), the table gives each basis' mean 5-year relative citations,
share of the quality-adjusted (top 10 %) families and rank by it, and the differences (lake-only
minus population): the size of the bias a lake-only computation carries.
"""

from __future__ import annotations

from pathlib import Path

from ...compare import compare, conventions

BASES = {"lake-only": {"context": False, "cohort_basis": "lake"},
         "population": {"context": True, "cohort_basis": "auto"}}


def _by_country(session, landscape: str, params: dict, quality: str = "fwd5") -> dict:
    session.require("family_indicators", landscape=landscape, **params)
    result = compare(session, conventions(landscape=landscape, by="inventor-country", top=0, replicates=0,
                                          quality=quality), extras=False)
    return {r["group"]: r for r in result.rows}


def quality_both_ways(session, landscape: str = "genai", top: int = 10) -> list[dict]:
    """One row per inventor country (the ``top`` largest): lake-only vs population quality.

    The lake-only indicators are built in a copy of the lake, so the lake (and the manifest hash
    a report names) stays as the population comparison left it."""
    import shutil
    import tempfile

    from ... import open_lake

    runs = {"population": _by_country(session, landscape, BASES["population"])}
    with tempfile.TemporaryDirectory(prefix="patentq-lake-only-") as tmp:
        copy = Path(tmp) / "lake"
        shutil.copytree(session.lake.path, copy, ignore=shutil.ignore_patterns(".lock", ".staging-*", ".tmp"))
        with open_lake(copy) as alone:
            runs["lake-only"] = _by_country(alone, landscape, BASES["lake-only"])
    lake, world = runs["lake-only"], runs["population"]
    groups = sorted(world, key=lambda g: (-world[g]["families"], str(g)))[:top]
    rows = []
    for g in groups:
        a, b = lake.get(g, {}), world[g]
        rows.append({
            "group": g, "families": b["families"],
            "fwd5 rel, lake-only": a.get("mean_fwd_cits_5_rel"), "fwd5 rel, population": b.get("mean_fwd_cits_5_rel"),
            "QA share, lake-only": a.get("quality_adjusted_share"),
            "QA share, population": b.get("quality_adjusted_share"),
            "QA rank, lake-only": a.get("quality_adjusted_rank"), "QA rank, population": b.get("quality_adjusted_rank"),
            "rel bias": _diff(a.get("mean_fwd_cits_5_rel"), b.get("mean_fwd_cits_5_rel")),
            "QA share bias (points)": _diff(a.get("quality_adjusted_share"), b.get("quality_adjusted_share"), 100),
        })
    return rows


def _diff(a, b, scale: float = 1.0):
    return None if a is None or b is None else round(scale * (a - b), 4)
