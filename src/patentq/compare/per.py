"""``--per FILE.csv``: families per unit of a group's population, GDP or R&D spending."""

from __future__ import annotations

import csv
import math

from ..errors import BadInputError


def read_per(path) -> tuple[str, dict]:
    """``group,value`` rows (a header names the value) → (value name, {group: value})."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise BadInputError(f"cannot read --per file {path}: {exc}", hint="give a CSV of group,value") from None
    if len(rows) < 2 or len(rows[0]) < 2:
        raise BadInputError(f"--per file {path} has no rows", hint="write a header (group,population) and one row per group")
    name, values = rows[0][1].strip() or "value", {}
    for line, row in enumerate(rows[1:], start=2):
        if len(row) < 2 or not row[0].strip():
            continue
        try:
            value = float(row[1])
        except ValueError:
            raise BadInputError(f"--per file {path}, line {line}: {row[1]!r} is not a number",
                             hint="the second column holds numbers (population, GDP, R&D spending)") from None
        if not math.isfinite(value) or value <= 0:
            raise BadInputError(f"--per file {path}, line {line}: {value} is not a positive number",
                             hint="values must be positive and finite")
        values[row[0].strip()] = value
    return name, values


def apply_per(rows: list[dict], path) -> str:
    """Add ``per_value``, ``families_per_value`` and ``qa_families_per_value`` to each row; the note."""
    name, values = read_per(path)
    missing = []
    for r in rows:
        value = values.get(str(r["group"]))
        r["per_value"] = value
        r["families_per_value"] = r["families"] / value if value else None
        qa = r.get("quality_adjusted_families")
        r["qa_families_per_value"] = qa / value if value and qa is not None else None
        if value is None and r["group"] != "UNKNOWN":
            missing.append(str(r["group"]))
    note = f"Families per unit of {name} (--per {path})"
    return note + (f"; no {name} for {', '.join(missing)}." if missing else ".")
