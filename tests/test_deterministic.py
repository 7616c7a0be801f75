"""The same command on the same lake prints the same floats (issue 17 F16, docs/reliability.md).

DuckDB adds doubles in the order its threads finish, so a plain ``sum`` of fractional weights
changed in the last digits from run to run (on this demo lake, six runs of the command below
gave four different outputs). Sums of weights are now exact (``sql.exact_sum``)."""

from __future__ import annotations

import pytest

from patentq.synthetic.demo.pipeline import run_demo


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    return run_demo(tmp_path_factory.mktemp("det"), 5000, 11, report=False, replicates=0, sensitivity=False).lake


@pytest.mark.slow
def test_compare_json_is_the_same_every_run(cli, lake):
    args = ("compare", "--lake", lake, "--landscape", "genai", "--counting", "fractional", "--sensitivity",
            "--replicates", "100", "--json")
    outputs = {cli(*args).output for _ in range(6)}
    assert len(outputs) == 1
