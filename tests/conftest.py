"""Shared test fixtures: the real data folder, fresh lakes, CLI runner."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
#: Spark in tests: tiny tables, so few shuffle partitions (the default 8 is for real data).
os.environ.setdefault("PATENTQ_SPARK_PARTITIONS", "2")
SHARED = Path(os.environ.get("PATENTQ_SHARED_DATA", ROOT.parent / "shared" / "data"))
FIXTURES = Path(__file__).parent / "fixtures"


def shared_file(relative: str) -> Path:
    """A file in ../shared/data; skip the test when absent, unless CI requires the data."""
    path = SHARED / relative
    if not path.exists():
        if os.environ.get("PATENTQ_REQUIRE_SHARED_DATA"):
            pytest.fail(f"required real data file missing: {path}")
        pytest.skip(f"real data not available: {path} (place ../shared/data beside the checkout)")
    return path


@pytest.fixture
def shared():
    return shared_file


@pytest.fixture
def lake_dir(tmp_path):
    return tmp_path / "lake"


@pytest.fixture
def cli():
    """Run the CLI in-process: ``cli("ingest", "lens", path, "--lake", dir)`` → click Result."""
    from patentq.cli import main

    runner = CliRunner()

    def run(*args, expect: int | None = 0):
        result = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
        if expect is not None:
            assert result.exit_code == expect, f"exit {result.exit_code}\n{result.output}"
        return result

    return run


# --- a real browser: Debian's Chromium driven by Playwright (never a downloaded browser) ------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]


@contextlib.contextmanager
def chromium_page():
    """A page in headless Chromium, with console errors and every request URL recorded.

    Yields ``(page, seen)``; ``seen["errors"]`` and ``seen["requests"]`` fill as the page runs.
    """
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed at /usr/bin/chromium (apt-get install chromium)")
    seen = {"errors": [], "requests": []}
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: seen["errors"].append(str(e)))
            page.on("request", lambda r: seen["requests"].append(r.url))
            yield page, seen
        finally:
            browser.close()


# --- every stage test on every engine (ibis-style) ---------------------------------------------

#: The engines stage tests run on. Spark runs in local mode (pyspark + Java 17); its tests carry
#: the ``spark`` marker so ``-m "not spark"`` leaves them out. A gap an engine cannot close is
#: declared where the test is, with ``pytest.mark.xfail(strict=True)`` and its reason.
ENGINES = ["duckdb", pytest.param("spark", marks=pytest.mark.spark)]


@pytest.fixture(scope="module", params=ENGINES)
def engine_name(request):
    """The engine a stage test runs on: every such test runs once per engine, and the expected
    figures are the same (floats to 1e-9), so engine parity needs no test of its own."""
    if request.param == "spark":
        pytest.importorskip("pyspark")
    return request.param
