"""``patentq indicators`` and ``patentq family`` end to end on the golden lake."""

from __future__ import annotations

import json

from indicators_helpers import build_lake, load_case

from patentq import open_lake

REQUIRED_KEYS = ("offices", "filed_abroad", "granted", "fwd_cits_5", "bwd_cits", "npl_cits", "claims",
                 "quality_index_4", "applicant_groups")


DEMO_LANDSCAPE = """\
name: demo
version: "1"
description: Families A and B of the golden lake.
sources:
  - citation: "patentq tests"
membership: ipc:G06F17 OR (ipc:H04L29 AND NOT ipc:H04L9)
"""


def _lake(tmp_path):
    return build_lake(tmp_path / "lake", load_case("golden_families")["tables"])


def test_family_json_reports_every_required_key(tmp_path, cli):
    lake = _lake(tmp_path)
    cli("indicators", "--lake", lake.path, "--json")
    report = json.loads(cli("family", "US 100 B1", "--lake", lake.path, "--json").output)
    assert report["family_id"] == "A"
    assert [k for k in REQUIRED_KEYS if k not in report] == []
    assert (report["offices"], report["filed_abroad"], report["granted"]) == (["EP", "US", "WO"], True, True)
    assert (report["fwd_cits_5"], report["bwd_cits"], report["npl_cits"], report["claims"]) == (2, 1, 2, 10)
    assert report["applicant_groups"] == [{"group_name": "ACME Corp", "names": ["ACME Corp"], "countries": ["US"]}]
    assert [m["publication_number"] for m in report["members_list"]] == ["US-100-A1", "EP-100-A1", "WO-100-A1",
                                                                         "US-100-B1"]
    assert report["cohort"] == {"priority_year": 2008, "field": 6, "field_name": "Computer technology", "size": 1,
                                "mean_fwd_cits_5": 2.0}
    assert 0 <= report["quality_index_4"] <= 1
    shares = report["attribution"]["priority-office"]
    assert [(r["group"], r["weight"]) for r in shares] == [("US", 1.0)]
    assert sum(r["weight"] for r in report["attribution"]["office"]) == 1.0


def test_family_found_by_number_without_kind_and_printed_as_text(tmp_path, cli):
    lake = _lake(tmp_path)
    cli("indicators", "--lake", lake.path)
    out = cli("family", "JP300", "--lake", lake.path).output
    assert "family C" in out and "fwd_cits_5" in out and "applicant groups: Other KK" in out


def test_family_builds_what_it_needs_and_unknown_number_is_a_usage_error(tmp_path, cli):
    lake = _lake(tmp_path)
    # the stage registry builds families, applicant groups and indicators for `patentq family`;
    # told not to build (--no-build), it says what is missing and how to build it
    assert "patentq indicators" in cli("family", "US-100-B1", "--lake", lake.path, "--no-build", expect=3).output
    assert "family A" in cli("family", "US-100-B1", "--lake", lake.path).output
    cli("indicators", "--lake", lake.path)
    assert "not in the lake" in cli("family", "US-424242-B1", "--lake", lake.path, expect=2).output
    assert "no lake" in cli("indicators", "--lake", tmp_path / "nothing", expect=3).output


def test_landscape_restricts_rows_but_not_cohorts(tmp_path, cli):
    lake = _lake(tmp_path)
    # a landscape is a definition applied through the registry: A (EP-100-A1, G06F17) and B
    # (CN-200-A, H04L29 without F's H04L9)
    demo = tmp_path / "demo.yaml"
    demo.write_text(DEMO_LANDSCAPE)
    cli("landscape", "apply", demo, "--lake", lake.path)
    cli("indicators", "--lake", lake.path, "--landscape", "demo")
    rows = open_lake(lake.path).arrow("family_indicators").to_pylist()
    assert sorted(r["family_id"] for r in rows) == ["A", "B"]
    full = open_lake(lake.path).arrow("families").num_rows
    assert full == 10  # families stay whole-lake
    # --landscape NAME is a definition the registry applies when needed: an unknown one is named as such
    assert "no landscape named 'other'" in cli("indicators", "--lake", lake.path, "--landscape", "other", expect=2).output


def test_family_lookup_prefers_the_exact_number_then_the_smallest_family(tmp_path, cli):
    """A base number in two families (US-100 in A and in Z): the exact number decides, and a
    number without kind goes to the smallest family id, the same answer on every call."""
    tables = load_case("golden_families")["tables"]
    tables["publications"].append({"publication_number": "US-100-E9", "family_id": "Z", "country_code": "US",
                                   "kind_code": "E9", "publication_date": "2012-01-01"})
    lake = build_lake(tmp_path / "lake", tables)
    cli("indicators", "--lake", lake.path)
    assert json.loads(cli("family", "US-100-E9", "--lake", lake.path, "--json").output)["family_id"] == "Z"
    assert {json.loads(cli("family", "US100", "--lake", lake.path, "--json").output)["family_id"]
            for _ in range(3)} == {"A"}
