"""What ``patentq demo`` prints fits an 80-column terminal (no number cut to "38,…"), and DuckDB
draws no progress bars of its own over the CLI's progress."""

from __future__ import annotations

import io

from rich.console import Console

from patentq.cli import demo as demo_cli
from patentq.compare import Comparison
from patentq.engines import get_engine
from patentq.lake import Lake


def _rows():
    rows = []
    for i, (g, n) in enumerate([("CN", 38210.0), ("US", 6276.0), ("KR", 4155.0), ("UNKNOWN", 400.0)]):
        ranked = g != "UNKNOWN"
        rows.append({"group": g, "families": n, "share": n / 54000, "rank": i + 1 if ranked else None, "ranked": ranked,
                     "share_matched": 0.459, "quality_adjusted_families": 473.0, "quality_adjusted_share": 0.247,
                     "quality_adjusted_rank": 2 if ranked else None, "rank_shift": -1 if ranked else None,
                     "number_over_quality_gap": 0.2123, "rta": 1.114, "share_filed_abroad": 0.059,
                     "share_outside_group_office": 0.067, "share_ip5": 0.053, "share_triadic": 0.008,
                     "grant_rate": 0.588, "mean_fwd_cits_5_rel": 1.29, "share_top10_cohort": 0.108,
                     "share_top1_cohort": 0.003, "mean_quality_index_4": 0.34})
    return rows


def _printed(write) -> str:
    out = io.StringIO()
    write(Console(file=out, width=80, force_terminal=False, color_system=None))
    return out.getvalue()


def test_headline_fits_80_columns():
    conv = {"landscape": "genai", "by": "inventor-country", "counting": "whole", "year_basis": "publication",
            "years": [2014, 2023], "window": "matched"}
    result = Comparison(conv, _rows(), notes=["a note"], concentration={"groups": 16, "hhi": 0.5, "cr4": 0.931,
                                                                        "top_k": 10, "top_k_share": 0.989},
                        sensitivity={"variants": [{"variant": "baseline", "kendall_tau": 1.0},
                                                  {"variant": "applicant-country", "kendall_tau": 0.87}]})
    text = _printed(lambda c: demo_cli.print_headline(result, c))
    assert "…" not in text and max(len(line) for line in text.splitlines()) <= 80
    assert "38,210" in text and "70.8%" in text and "+21.2" in text and "UNKNOWN" in text
    assert "applicant-country 0.87" in text


def test_bias_table_fits_80_columns():
    rows = [{"group": "UNKNOWN", "families": 38210.0, "fwd5 rel, lake-only": 0.579, "fwd5 rel, population": 1.288,
             "QA share, lake-only": 0.196, "QA share, population": 0.247, "QA rank, lake-only": 2,
             "QA rank, population": 2, "rel bias": -0.709, "QA share bias (points)": -5.123}]
    text = _printed(lambda c: demo_cli._print_bias(rows, c))
    assert "…" not in text and max(len(line) for line in text.splitlines()) <= 80
    assert "38,210" in text and "-5.123" in text


def test_duckdb_draws_no_progress_bar(tmp_path):
    import duckdb

    # as in a terminal, where DuckDB turns its bar on by default
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = true")
    engine = get_engine("duckdb", Lake.create(tmp_path / "lake"), con=con)
    assert engine.con.execute("SELECT current_setting('enable_progress_bar')").fetchone()[0] is False
