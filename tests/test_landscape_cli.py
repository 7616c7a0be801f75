"""``patentq landscape`` commands and definition files (validation with file line and column)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from patentq import open_lake
from patentq.errors import DefinitionError
from patentq.landscapes import builtin_names, load, loads
from patentq.landscapes.sample import allocate, strata_sql
from test_landscape_genai import DOCS, make_lake

GOOD = """\
name: mini
version: "1"
description: A small landscape for tests.
sources:
  - citation: "patentq tests"
concepts:
  gan: '"generative adversarial" +1w net* OR cyclegan*'
membership: |
  @gan
  OR (diffusion /1w model* AND denois*)
dimensions:
  model:
    GAN: "@gan"
    rest: otherwise
"""


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "lake"
    make_lake(path, DOCS)
    return path


def test_builtins_load():
    assert builtin_names() == ["ai", "genai"]
    genai = load("genai")
    assert "G06N3/0475" in genai.cpc_prefixes() and "G06N3/094" in genai.cpc_prefixes()
    assert list(genai.dimensions) == ["model", "mode", "application"]
    assert len(genai.dimensions["application"]) == 21
    ai = load("ai")
    assert {"G06N5/", "G06N20/", "G06N3/", "Y10S706/"} <= set(ai.cpc_prefixes())
    assert list(ai.dimensions) == ["ai_technique", "functional_application", "application_field"]
    assert [len(c) for c in ai.dimensions.values()] == [7, 10, 19]


def test_hash_ignores_layout_but_not_content():
    a = loads(GOOD)
    assert loads("# a comment\n" + GOOD).hash == a.hash
    assert loads(GOOD.replace("denois*", "denoising")).hash != a.hash


@pytest.mark.parametrize("text, line, column, words", [
    (GOOD.replace("  OR (diffusion /1w model* AND denois*)", "  OR (diffusion /1w model* AND denois*"), 10, 6,
     "membership: missing ')'"),
    (GOOD.replace("@gan\n  OR", "@gan\n  OR cpc:G06Q99X"), 10, 10, "not a classification code"),
    (GOOD.replace("GAN: \"@gan\"", "GAN: \"@gan AND\""), 13, 19, "model/GAN"),
    (GOOD.replace("GAN: \"@gan\"", "GAN: \"@gann\""), 13, 11, "unknown concept @gann"),
    (GOOD.replace("'\"generative", "'(\"generative"), 7, 9, "concepts/gan: missing ')'"),
    (GOOD.replace("name: mini", "name: Mini Landscape"), 1, 7, "must be lower case"),
    (GOOD.replace("version: \"1\"\n", ""), 1, 1, "missing version"),
    (GOOD + "colour: blue\n", 15, 1, "unknown field 'colour'"),
    (GOOD.replace("sources:", "sources: [\n"), 6, 3, "not valid YAML"),
    (GOOD.replace("    rest: otherwise", "    rest: otherwise\n    loop: \"@loop\"")
         .replace("concepts:\n", "concepts:\n  loop: '@loop OR x'\n"), 7, 10, "refers to itself"),
])
def test_definition_errors_point_into_the_file(text, line, column, words):
    with pytest.raises(DefinitionError) as info:
        loads(text)
    assert words in str(info.value)
    assert (info.value.line, info.value.column) == (line, column), str(info.value)


def test_check_command(cli, tmp_path):
    good = tmp_path / "mini.yaml"
    good.write_text(GOOD)
    assert "ok: mini v1, 1 dimension(s), 2 categories" in cli("landscape", "check", good).output
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("denois*)", "denois* +2w)"))
    result = cli("landscape", "check", bad, expect=2)
    assert "line 10, column 40" in result.output and "needs a term or phrase" in result.output
    cli("landscape", "check", tmp_path / "absent.yaml", expect=2)


def test_list_and_show(cli):
    listed = json.loads(cli("landscape", "list", "--json").output)
    assert [d["name"] for d in listed] == ["ai", "genai"]
    shown = json.loads(cli("landscape", "show", "genai", "--json").output)
    assert shown["hash"] == load("genai").hash and "G06N3/0475" in shown["membership"]
    assert "WIPO" in shown["sources"][0]["citation"]
    assert "dimension model" in cli("landscape", "show", "genai").output
    cli("landscape", "show", "nosuch", expect=2)


def test_apply_user_file_and_json_summary(cli, lake, tmp_path):
    path = tmp_path / "mini.yaml"
    path.write_text(GOOD)
    out = json.loads(cli("landscape", "apply", path, "--lake", lake, "--json").output)
    # GAN docs with the phrase or CycleGAN (0, 1, 3; 2 says only "GAN"), diffusion + denoising (9, 12)
    # (10: "diffusion probabilistic model" has one word between, within /1w)
    assert (out["families"], out["publications"]) == (6, 6)
    assert out["categories"] == {"model": {"GAN": 3, "rest": 3}}
    text = cli("landscape", "apply", "genai", "--lake", lake, "--engine", "duckdb").output
    assert "genai: 29 families" in text


def test_explain_command(cli, lake):
    out = cli("landscape", "explain", "genai", "XX-9-A1", "--lake", lake).output
    assert "is in genai" in out and '"latent diffusion"' in out and "title: latent diffusion" in out
    cli("landscape", "explain", "genai", "US-1-B1", "--lake", lake, expect=2)


def test_sample_is_stratified_and_seeded(cli, lake, tmp_path):
    first = cli("landscape", "sample", "genai", "--lake", lake, "--n", "20", "--seed", "7").output
    again = cli("landscape", "sample", "genai", "--lake", lake, "--n", "20", "--seed", "7").output
    other = cli("landscape", "sample", "genai", "--lake", lake, "--n", "20", "--seed", "8").output
    assert first == again and first != other
    assert allocate(200, {"in": 500, "near": 30, "out": 1000}) == {"in": 122, "near": 30, "out": 48}
    assert allocate(10, {"in": 3}) == {"in": 3, "near": 0, "out": 0}
    rows = list(csv.DictReader(io.StringIO(first)))
    strata = {s: sum(r["stratum"] == s for r in rows) for s in ("in", "near", "out")}
    # 29 members; the 15 others split into near (passing genai's gate) and out; quotas follow the sizes
    sizes = {r["stratum"]: r["n"] for r in open_lake(lake).query(
        strata_sql(load("genai"), 7) + "\nSELECT stratum, count(*) AS n FROM strata GROUP BY stratum").to_pylist()}
    assert sizes["in"] == 29 and sizes["near"] + sizes.get("out", 0) == 15
    assert strata == allocate(20, sizes) and strata["in"] >= 10
    assert all(r["label"] == "" for r in rows) and len({r["family_id"] for r in rows}) == 20


def test_evaluate_command(cli, lake, tmp_path):
    labels = tmp_path / "labels.csv"
    lines = ["publication_number,label"] + [f"XX-{i}-A1,{'yes' if d[3] else 'no'}" for i, d in enumerate(DOCS)]
    labels.write_text("\n".join(lines + ["US-1-B1,yes"]) + "\n")
    out = json.loads(cli("landscape", "evaluate", "genai", "--lake", lake, "--labels", labels, "--json").output)
    assert (out["tp"], out["fp"], out["fn"], out["tn"]) == (29, 0, 0, 15)
    assert out["not_in_lake"] == ["US-1-B1"]
    text = cli("landscape", "evaluate", "genai", "--lake", lake, "--labels", labels).output
    assert "precision 1.000 (95% CI 0.883–1.000)" in text
    bad = tmp_path / "bad.csv"
    bad.write_text("publication_number,label\nXX-1-A1,maybe\n")
    assert "line 2" in cli("landscape", "evaluate", "genai", "--lake", lake, "--labels", bad, expect=3).output


def test_evaluate_a_labelled_sample_weights_the_strata(cli, lake, tmp_path):
    """Label the sample with the test's truth: recall is scaled back to the lake's strata."""
    truth = {f"XX-{i}-A1": d[3] for i, d in enumerate(DOCS)}
    rows = list(csv.DictReader(io.StringIO(cli("landscape", "sample", "genai", "--lake", lake, "--n", "20").output)))
    for row in rows:
        row["label"] = "yes" if truth[row["publication_number"]] else "no"
    path = tmp_path / "labelled.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = json.loads(cli("landscape", "evaluate", "genai", "--lake", lake, "--labels", path, "--json").output)
    w = out["weighted"]
    assert w["precision"] == 1.0 and w["strata"]["in"]["population"] == 29
    # a missed GenAI family would sit in a non-member stratum; the estimate scales it up
    missed = {s: sum(truth[r["publication_number"]] for r in rows if r["stratum"] == s) for s in ("near", "out")}
    expected_relevant = 29 + sum(w["strata"][s]["population"] * missed[s] / w["strata"][s]["labelled"]
                                 for s in ("near", "out") if w["strata"][s]["labelled"])
    assert w["relevant_families"] == pytest.approx(expected_relevant, abs=0.1)
    assert w["recall"] == pytest.approx(29 / expected_relevant)
    assert "population-weighted" in cli("landscape", "evaluate", "genai", "--lake", lake, "--labels", path).output
