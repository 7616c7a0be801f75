"""Exports of every table behind a report: CSV and Parquet (one file per table) or one XLSX
workbook (one sheet per table). Text cells of CSV and XLSX go through ``spreadsheet.safe_row``
(no formula injection); Parquet keeps the data as it is."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa

from ..errors import MissingDependencyError, UsageError
from ..spreadsheet import safe_row

FORMATS = ("csv", "parquet", "xlsx")


def _flat(value):
    """Lists and dicts (intervals, conventions) as JSON text so every format can hold them."""
    return json.dumps(value, default=str) if isinstance(value, (list, dict)) else value


def _ci_columns(rows: list[dict]) -> list[dict]:
    out = []
    for r in rows:
        flat = {}
        for k, v in r.items():
            if k.endswith("_ci"):
                flat[f"{k}_low"], flat[f"{k}_high"] = (v[0], v[1]) if v else (None, None)
            else:
                flat[k] = _flat(v)
        out.append(flat)
    return out


def tables_of(comparison) -> dict[str, list[dict]]:
    """Every table of a comparison as rows of scalars."""
    tables = {
        "comparison": _ci_columns(comparison.rows),
        "time_series": _ci_columns(comparison.time_series),
        "categories": comparison.categories,
        "notable_models": comparison.notable_models,
        "conventions": [{"key": k, "value": str(_flat(v))} for k, v in comparison.conventions.items()],
        "notes": [{"note": n} for n in comparison.notes],
        "data_quality": [{"key": k, "value": str(_flat(v))} for k, v in comparison.data_quality.items()],
        "concentration": _ci_columns([comparison.concentration]) if comparison.concentration else [],
        "families": [{k: _flat(v) for k, v in f.items()} for rows in (comparison.families or {}).values()
                     for f in rows],
    }
    if comparison.sensitivity:
        tables["sensitivity"] = [
            {"variant": v["variant"], "by": v["by"], "counting": v["counting"], "unit": v["unit"],
             "year_basis": v["year_basis"], "group": g, "families": (v.get("families") or {}).get(g),
             "rank": (v.get("ranks") or {}).get(g), "kendall_tau": v.get("kendall_tau"), "note": v.get("note")}
            for v in comparison.sensitivity["variants"] for g in comparison.sensitivity["groups"]]
    return tables


def _arrow(rows: list[dict], spreadsheet: bool = False) -> pa.Table:
    if not rows:
        return pa.table({"empty": pa.array([], pa.string())})
    keys = list(dict.fromkeys(k for r in rows for k in r))
    rows = [safe_row(r) for r in rows] if spreadsheet else rows
    return pa.Table.from_pylist([{k: r.get(k) for k in keys} for r in rows])


def csv_bytes(rows: list[dict]) -> bytes:
    """One table of ``tables_of`` as CSV text, written exactly as ``export_tables`` writes its files
    (the web dashboard serves these)."""
    import io

    import pyarrow.csv as pacsv

    buffer = io.BytesIO()
    pacsv.write_csv(_arrow(rows, spreadsheet=True), buffer)
    return buffer.getvalue()


def export_tables(comparison, out, fmt: str) -> list[Path]:
    """Write every table; ``out`` is the report path whose stem names the files. Returns the files."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}", hint=f"choose one of {', '.join(FORMATS)}")
    out = Path(out)
    stem = out.with_suffix("")
    tables = tables_of(comparison)
    written = []
    if fmt == "xlsx":
        try:
            import openpyxl  # noqa: F401  (pandas' xlsx writer)
        except ImportError as exc:
            raise MissingDependencyError("xlsx export needs openpyxl", hint="pip install openpyxl") from exc
        target = stem.with_suffix(".xlsx")
        import pandas as pd

        with pd.ExcelWriter(target, engine="openpyxl") as xl:
            for name, rows in tables.items():
                _arrow(rows, spreadsheet=True).to_pandas().to_excel(xl, sheet_name=name[:31], index=False)
        return [target]
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    for name, rows in tables.items():
        target = Path(f"{stem}_{name}.{fmt}")
        table = _arrow(rows, spreadsheet=fmt == "csv")
        if fmt == "csv":
            pacsv.write_csv(table, target)
        else:
            pq.write_table(table, target)
        written.append(target)
    return written
