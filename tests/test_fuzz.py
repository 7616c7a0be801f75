"""Every parser under a fixed-seed few hundred fuzz cases (issue 17, docs/reliability.md):
no untyped exception escapes an adapter, and records read = rows written + quarantined +
skipped with a reason. ``bench/fuzz.py`` runs the same with 10,000 cases per parser."""

from __future__ import annotations

import importlib.util
import sys

import pytest
from conftest import ROOT

spec = importlib.util.spec_from_file_location("patentq_bench_fuzz", ROOT / "bench" / "fuzz.py")
fuzz = sys.modules[spec.name] = importlib.util.module_from_spec(spec)  # dataclasses look their module up
spec.loader.exec_module(fuzz)

CASES = 200


@pytest.mark.slow
@pytest.mark.parametrize("fmt", list(fuzz.targets()))
def test_fuzzed_input_is_ingested_or_refused_and_every_record_is_accounted_for(fmt, tmp_path):
    stats = fuzz.fuzz(fmt, CASES, seed_value=0, workdir=tmp_path)
    assert stats.cases >= CASES
    assert stats.ingested and stats.refused  # the damage reaches both outcomes
