"""``ai`` and ``genai`` on real USPTO data: the exact documents that match are pinned."""

from __future__ import annotations

import json

import pytest

from conftest import shared_file
from patentq import open_lake
from patentq.lake import Lake

pytestmark = pytest.mark.shared_data

# ppubs_biblio_2023-10-31.json: 129 US grants of 2023-10-31 (titles, CPC/IPC; no abstracts).
# 18 carry a G06N code; 4 more match through other codes of the CSET list (G05D1/0088 autonomous
# vehicles using AI, G06T2207/2008x) or a keyword in the title.
AI_2023_10_31 = [
    "US-11802831-B1", "US-11803058-B1", "US-11803188-B1", "US-11803556-B1", "US-11803617-B1", "US-11803708-B1",
    "US-11803736-B1", "US-11803753-B1", "US-11803760-B1", "US-11803766-B1", "US-11803767-B1", "US-11803815-B1",
    "US-11803852-B1", "US-11803917-B1", "US-11803925-B1", "US-11803955-B1", "US-11804038-B1", "US-11804042-B1",
    "US-11804050-B1", "US-11804136-B1", "US-11804143-B1", "US-11805139-B1",
]


@pytest.fixture(scope="module")
def json_lake(tmp_path_factory):
    from patentq.ingest import ingest

    path = tmp_path_factory.mktemp("ppubs") / "lake"
    ingest("uspto-json", [shared_file("uspto-json/ppubs_biblio_2023-10-31.json")], path)
    return path


@pytest.fixture(scope="module")
def xml_lake(tmp_path_factory):
    from patentq.ingest import ingest

    folder = shared_file("uspto-xml/weekly-slices")
    path = tmp_path_factory.mktemp("slices") / "lake"
    ingest("uspto-xml", sorted(folder.glob("*.xml")), path)
    return path


def matched(lake_path, name) -> list[str]:
    rows = open_lake(lake_path).query(f"SELECT DISTINCT p.publication_number FROM publications p JOIN landscape_{name} l "
                        f"ON l.family_id = p.family_id ORDER BY 1").to_pylist()
    return [r["publication_number"] for r in rows]


def test_ai_on_ppubs_biblio(cli, json_lake):
    out = json.loads(cli("landscape", "apply", "ai", "--lake", json_lake, "--json").output)
    assert (out["families"], out["publications"]) == (22, 22)
    assert matched(json_lake, "ai") == AI_2023_10_31
    # every document with a G06N code is in; none without a listed code or keyword
    g06n = {r["publication_number"] for r in open_lake(json_lake).query(
        "SELECT DISTINCT publication_number FROM classifications WHERE code LIKE 'G06N%'").to_pylist()}
    assert len(g06n) == 18 and g06n <= set(AI_2023_10_31)
    assert out["categories"]["ai_technique"] == {
        "Logic_Programming": 4, "Fuzzy_Logic": 1, "Probabilistic_Reasoning": 1, "Ontology_Engineering": 0,
        "Machine_Learning": 15, "Search_Methods": 0, "Generic_and_Unspecified": 3}
    explained = json.loads(cli("landscape", "explain", "ai", "US-11802831", "--lake", json_lake, "--json").output)
    hits = [(c["clause"], c["evidence"]) for c in explained["publications"][0]["clauses"] if c["matched"]]
    assert hits == [("cpc:G05D1/0088", ["G05D1/0088"])]
    explained = json.loads(cli("landscape", "explain", "ai", "US-11803815-B1", "--lake", json_lake, "--json").output)
    hits = [(c["clause"], c["evidence"]) for c in explained["publications"][0]["clauses"] if c["matched"]]
    assert hits == [("cpc:G06N20", ["G06N20/00"]), ("machine* /1w learn*", ["title[en]: machine learning"])]


def test_genai_on_ppubs_biblio(cli, json_lake):
    out = json.loads(cli("landscape", "apply", "genai", "--lake", json_lake, "--json").output)
    assert out["families"] == 0  # titles only, and none of the 18 G06N grants is generative


def test_ai_on_weekly_slices(cli, xml_lake):
    info = Lake.open(xml_lake).counts()
    assert info["publications"] == 225
    out = json.loads(cli("landscape", "apply", "ai", "--lake", xml_lake, "--json").output)
    # 2005-2013 grants of all fields, IPC only: no AI code of the CSET list, no AI keyword in
    # any title or abstract (the closest are G06K9 image-recognition codes, not in the universe)
    assert (out["families"], out["publications"]) == (0, 0)
    assert matched(xml_lake, "ai") == []
    vision = open_lake(xml_lake).query("SELECT count(DISTINCT publication_number) AS n FROM classifications "
                          "WHERE code LIKE 'G06K9%'").to_pylist()[0]["n"]
    assert vision == 5
