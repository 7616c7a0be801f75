"""The report: one self-contained HTML file (inline SVG, no scripts, no CDN) and table exports."""

from __future__ import annotations

from pathlib import Path

from .export import export_tables, tables_of
from .html import render


def write_report(comparison, out, synthetic: bool | None = None, truth: dict | None = None,
                 extra_tables: dict | None = None) -> Path:
    """Write the HTML report for ``comparison`` to ``out`` (atomically) and return its path.

    ``synthetic`` defaults to what the comparison's lake says (``Lake.is_synthetic``)."""
    if synthetic is None:
        synthetic = bool(comparison.conventions.get("synthetic"))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(render(comparison, synthetic=synthetic, truth=truth, extra_tables=extra_tables), encoding="utf-8")
    tmp.replace(out)
    return out


__all__ = ["write_report", "export_tables", "tables_of"]
