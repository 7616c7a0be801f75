"""Values outside their domain are usage errors (exit 2) with a message, not accepted in
silence nor reported as a bug (issue 17 F15, docs/reliability.md). The web API's HTTP 400 for
the same values lives with the dashboard (tests/test_web.py); a truncated header is F7's
(tests/test_ingest_faults.py)."""

from __future__ import annotations

import pytest
from conftest import ROOT


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    from patentq.ingest import ingest

    path = tmp_path_factory.mktemp("validation") / "lake"
    ingest("lens", [ROOT / "examples" / "sample-lens.csv"], path)
    return path


@pytest.mark.parametrize("args, message", [
    (["export-query", "google", "--landscape", "genai", "--since", "-2016"], "-2016 is not in the range"),
    (["export-query", "google", "--landscape", "genai", "--since", "2020", "--until", "2010"], "is after --until"),
    (["indicators", "--wait", "nan"], "not a number"),
    (["indicators", "--wait", "inf"], "inf is not in the range"),
    (["indicators", "--latest-date", "0001-01-01"], "outside 1800-2200"),
    (["lake", "info", "--memory-limit", "lots"], "bad --memory-limit 'lots'"),
    (["family", "12345"], "'12345' is not a publication number"),
    (["landscape", "explain", "genai", "12345"], "'12345' is not a publication number"),
    (["demo", "--seed", "-1"], "-1 is not in the range"),
    (["ingest", "lens", "x.csv", "--max-expansion", "nan"], "bad --max-expansion nan"),
    (["ingest", "lens", "x.csv", "--max-expansion", "0.5"], "bad --max-expansion 0.5"),
    (["ingest", "lens", "x.csv", "--max-expanded-size", "lots"], "bad --max-expanded-size 'lots'"),
])
def test_out_of_domain_values_are_usage_errors(cli, lake, args, message):
    needs_lake = args[0] in ("indicators", "lake", "family", "landscape", "ingest")
    out = cli(*args, *(["--lake", lake] if needs_lake else []), expect=2).output
    assert message in out and "internal error" not in out


@pytest.mark.parametrize("value", ["abc", "nan", "-1", "1e9"])
def test_a_bad_lock_wait_in_the_environment_is_a_usage_error(cli, lake, monkeypatch, value):
    monkeypatch.setenv("PATENTQ_LOCK_WAIT", value)
    out = cli("indicators", "--rebuild", "--lake", lake, expect=2).output
    assert f"bad $PATENTQ_LOCK_WAIT '{value}'" in out


def test_a_bad_memory_limit_in_the_environment_is_a_usage_error(cli, lake, monkeypatch):
    monkeypatch.setenv("PATENTQ_MEMORY_LIMIT", "plenty")
    assert "bad --memory-limit 'plenty'" in cli("lake", "info", "--lake", lake, expect=2).output
