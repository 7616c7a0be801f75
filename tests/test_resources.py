"""Resource failures are not bugs (issue 18): out of memory exits 3 with the stage and step, the
limits in force and the options that help, and the lake stays as it was."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from patentq.synthetic import scale


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    path = tmp_path_factory.mktemp("oom") / "lake"
    scale.run(path, 20_000, 200_000, seed=3)
    return path


def test_out_of_memory_exits_3_naming_stage_limits_and_what_helps(lake):
    before = (lake / "manifest.json").read_bytes()
    out = subprocess.run([sys.executable, "-m", "patentq.cli", "indicators", "--lake", str(lake),
                          "--memory-limit", "8MB", "--threads", "1"], capture_output=True, text=True, timeout=600)
    assert out.returncode == 3, out.stderr
    err = out.stderr
    assert "out of memory" in err and "this is a bug" not in err
    assert "error: profile/coverage:" in err or "error: families/" in err or "error: indicators/" in err
    for words in ("memory limit 8MB", "threads 1", "spill folder", "free", "--memory-limit", "PATENTQ_MEMORY_LIMIT",
                  "--threads", "--temp-directory", "The lake is unchanged"):
        assert words in err, words
    assert (lake / "manifest.json").read_bytes() == before
    assert json.loads(before)["derived"] == {}


def test_a_lake_without_indicators_gives_no_quality_columns_when_building_is_off(lake):
    out = subprocess.run([sys.executable, "-m", "patentq.cli", "compare", "--lake", str(lake), "--no-build",
                          "--json"], capture_output=True, text=True, timeout=600)
    assert out.returncode == 3 and not out.stdout
    assert "building was turned off" in out.stderr and "drop --no-build" in out.stderr
