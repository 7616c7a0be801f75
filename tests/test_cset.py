"""CSET / 1790 Analytics AI patent database: the published figures (data README) and the
category tags, checked against an independent pass over the zipped CSV with Python's csv module."""

from __future__ import annotations

import collections
import csv
import io
import zipfile

import pytest

from conftest import shared_file
from patentq import open_lake
from patentq.ingest import ingest
from patentq.sources.cset import CATEGORY_SCHEMES

ZIP = "cset-ai-patents/patent_database.csv.zip"


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    path = tmp_path_factory.mktemp("cset") / "lake"
    ingest("cset", [shared_file(ZIP)], path)
    return open_lake(path)


@pytest.fixture(scope="module")
def raw_counts():
    """Tag counts per scheme and grant count, read straight from the zip without patentq."""
    scheme_of = {flag: scheme for scheme, flags in CATEGORY_SCHEMES.items() for flag in flags}
    tags, granted, rows = collections.Counter(), 0, 0
    with zipfile.ZipFile(shared_file(ZIP)) as archive, archive.open("patent_database.csv") as handle:
        reader = csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8", newline=""))
        for row in reader:
            rows += 1
            granted += row["Patent_Type"].lower().startswith("granted")
            for flag, value in row.items():
                if flag in scheme_of and value.lower() == "true":
                    tags[scheme_of[flag]] += 1
    return {"rows": rows, "granted": granted, "tags": dict(tags)}


def test_published_figures(lake):
    con = lake.connect()
    assert lake.lake.counts()["publications"] == 287_532
    assert con.execute("SELECT count(DISTINCT family_id) FROM publications").fetchone()[0] == 155_770
    multi_office = con.execute(
        "SELECT count(*) FROM (SELECT family_id FROM publications GROUP BY family_id "
        "HAVING count(DISTINCT country_code) > 1)").fetchone()[0]
    assert multi_office == 31_887
    info = lake.info()
    assert info["families"] == 155_770 and info["rejected"] == 0
    assert info["inputs"][0]["rows"] == 287_532


def test_every_row_has_a_canonical_number(lake):
    con = lake.connect()
    nulls = con.execute("SELECT count(*) FROM publications WHERE publication_number IS NULL "
                        "OR family_id IS NULL OR country_code IS NULL").fetchone()[0]
    assert nulls == 0
    assert con.execute("SELECT count(*) FROM publications WHERE source_ref NOT LIKE 'patent_database.csv.zip:%'"
                       ).fetchone()[0] == 0


def test_grants_and_tags_match_an_independent_read(lake, raw_counts):
    con = lake.connect()
    assert raw_counts["rows"] == 287_532
    assert con.execute("SELECT count(*) FROM publications WHERE is_grant").fetchone()[0] == raw_counts["granted"]
    got = dict(con.execute("SELECT scheme, count(*) FROM tags GROUP BY scheme").fetchall())
    assert got == raw_counts["tags"]
    assert set(got) == {"cset", "cset_application_field", "cset_functional_application", "cset_ai_technique"}


def test_a_tag_lands_on_its_publication(lake):
    con = lake.connect()
    ml = con.execute("SELECT count(*) FROM tags WHERE scheme = 'cset_ai_technique' AND tag = 'Machine_Learning'"
                     ).fetchone()[0]
    assert ml == 234_042  # rows with Machine_Learning = true in the CSV
    orphans = con.execute("SELECT count(*) FROM tags t LEFT JOIN publications p USING (publication_number) "
                          "WHERE p.publication_number IS NULL").fetchone()[0]
    assert orphans == 0
