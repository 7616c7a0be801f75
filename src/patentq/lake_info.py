"""``patentq lake info``: what a lake holds (tables, families, inputs, rejects, derived tables)."""

from __future__ import annotations

from . import sql


def lake_info(session) -> dict:
    lake = session.lake
    families = session.engine.scalar(sql.load("patentq", "lake_families"))
    tables = lake.counts()
    for extra in ("tags", "notable_models"):
        if lake.parts(extra):
            tables[extra] = lake.counts_of(extra)
    return {
        "lake": str(lake.path),
        "schema_version": lake.manifest["schema_version"],
        "patentq_version": lake.manifest.get("patentq_version"),
        "synthetic": lake.is_synthetic(),
        "tables": tables,
        "families": families,
        "rejected": sum(i.get("rejected", 0) for i in lake.manifest["inputs"]),
        "inputs": [
            {
                "file": i["file"],
                "format": i["format"],
                "sha256": i["sha256"],
                "size": i["size"],
                "rows": i["rows_read"],
                "written": i["rows_written"],
                "rejected": i["rejected"],
                "reject_reasons": i.get("reject_reasons", {}),
            }
            for i in lake.manifest["inputs"]
        ],
        "derived": {k: {kk: vv for kk, vv in v.items() if kk != "parts"} for k, v in lake.manifest["derived"].items()},
    }
