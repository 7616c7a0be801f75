"""Shared test fixtures: the real data folder, fresh lakes, CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
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
