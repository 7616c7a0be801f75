"""The hand-written benchmark floor (bench/landscape_floor.py) selects what the stage selects.

``bench/scale.py`` compares ``landscape apply genai`` with that one DuckDB query and refuses to
print a ratio when their counts differ; these tests hold the two equal on the labelled genai
documents (every model family, near misses, NOT gallium) and on a small synthetic lake, so a
change to the definition or the compiler that the floor does not follow fails here first.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from patentq import open_lake
from patentq.errors import BadInputError
from patentq.landscapes import load
from patentq.landscapes.apply import apply, categories_sql, write
from patentq.synthetic.scale import generate

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))
from landscape_floor import floor_sql  # noqa: E402

#: The definition the floor was written from (bench/genai_floor.yaml; the built-in moves on).
FLOOR = BENCH / "genai_floor.yaml"
from test_landscape_genai import DOCS, make_lake  # noqa: E402


def stage_counts(engine) -> tuple:
    return tuple(engine.con.execute(
        "SELECT (SELECT count(*) FROM landscape_genai), (SELECT sum(matched_publications) FROM landscape_genai), "
        "(SELECT count(*) FROM landscape_genai_categories)").fetchone())


def test_floor_equals_the_stage_on_the_labelled_documents(tmp_path):
    session = open_lake(make_lake(tmp_path / "lake", DOCS).path)
    apply(load(FLOOR), session)
    engine = session.engine
    floor = tuple(engine.con.execute(floor_sql()).fetchone())
    assert stage_counts(engine) == (27, 27, 69)
    assert floor == (27, 27, 69)


def test_floor_categories_equal_the_stage_row_by_row(tmp_path):
    session = open_lake(make_lake(tmp_path / "lake", DOCS).path)
    apply(load(FLOOR), session)
    engine = session.engine
    cats_cte = floor_sql().split("SELECT (SELECT count(*) FROM hit)")[0]
    floor_rows = set(engine.con.execute(cats_cte + "SELECT * FROM cats").fetchall())
    stage_rows = set(engine.con.execute("SELECT family_id, dimension, category FROM landscape_genai_categories")
                     .fetchall())
    assert floor_rows == stage_rows and len(stage_rows) == 69


def test_floor_equals_the_stage_on_a_synthetic_lake(tmp_path):
    lake = generate(tmp_path / "synth", families=20_000, citations=1_000, seed=42)
    session = open_lake(lake.path)
    apply(load(FLOOR), session)
    engine = session.engine
    counts = stage_counts(engine)
    assert tuple(engine.con.execute(floor_sql()).fetchone()) == counts
    assert 0.08 * 20_000 < counts[0] < 0.16 * 20_000  # about 12% of the families are GenAI-like


def test_categories_compute_word_lists_once_below_the_flags_join():
    """The key-word lists sit in the publications subquery, under the join with the flags:
    above it DuckDB inlined ``regexp_extract_all`` into every ``list_contains`` (6× the CPU)."""
    sql = categories_sql(load(FLOOR), "landscape_genai")
    assert sql.count("regexp_extract_all(") == 2  # title and abstract, once each
    inner = sql.index("FROM publications p JOIN landscape_genai m")
    assert all(inner > pos for pos in (sql.index("AS w_title"), sql.index("AS w_abstract")))
    assert sql.index("AS w_abstract") > sql.index("SELECT p.publication_number, p.family_id")
    assert "publication_number IN (SELECT p.publication_number FROM publications p JOIN landscape_genai m" in sql


def test_floor_on_an_empty_lake(tmp_path):
    session = open_lake(make_lake(tmp_path / "lake", []).path)
    # applying refuses a lake no path of the definition can match (paths.check, exit 3) ...
    with pytest.raises(BadInputError, match="can match nothing"):
        apply(load(FLOOR), session)
    # ... so the stage's writer itself runs: its SQL on no rows still equals the floor's
    write(load(FLOOR), session)
    engine = session.engine
    assert tuple(engine.con.execute(floor_sql()).fetchone()) == (0, None, 0) == stage_counts(engine)


def generated_docs(n: int, seed: int = 7) -> list:
    """Documents drawn from every word and code the genai definition names (stems given
    endings, near-miss words such as gallium), so most clauses of the floor are exercised."""
    import random

    from patentq.landscapes.definition import OTHERWISE
    from patentq.landscapes.query import Classification, Text, leaves

    defn = load(FLOOR)
    nodes = [defn.membership] + [n for cats in defn.dimensions.values() for n in cats.values() if n != OTHERWISE]
    words, codes = set(), set()
    for leaf in (leaf for node in nodes for leaf in leaves(node)):
        if isinstance(leaf, Text):
            words |= {(w.text, w.truncated) for phrase in leaf.operands for w in phrase}
        elif isinstance(leaf, Classification):
            codes |= {c.text for c in (leaf.low, leaf.high) if c}
    words, codes = sorted(words), sorted(codes)
    rng = random.Random(seed)

    def text(k):
        out = []
        for _ in range(k):
            word, stem = rng.choice(words) if rng.random() < 0.7 else (rng.choice(["a", "the", "of", "gallium",
                                                                                  "system", "to", "model"]), False)
            out.append(word + (rng.choice(["", "s", "ing", "ed", "ors"]) if stem else "") + rng.choice(
                [" ", " ", " ", "-", ", "]))
        return "".join(out).strip(" ,-").capitalize()

    def code(c):
        return c + rng.choice(["/00", "/12", "/045"]) if "/" not in c and len(c) > 4 else c + rng.choice(["", "5", "0/1"])

    return [(text(rng.randint(2, 6)), text(rng.randint(4, 14)), [code(rng.choice(codes)) for _ in range(rng.randint(0, 3))],
             None) for _ in range(n)]


def test_floor_equals_the_stage_row_by_row_on_generated_documents(tmp_path):
    session = open_lake(make_lake(tmp_path / "lake", generated_docs(3000)).path)
    apply(load(FLOOR), session)
    engine = session.engine
    head = floor_sql().split("SELECT (SELECT count(*) FROM hit)")[0]
    members = set(engine.con.execute(head + "SELECT family_id, matched FROM hit").fetchall())
    assert members == set(engine.con.execute("SELECT family_id, matched_publications FROM landscape_genai").fetchall())
    floor_rows = set(engine.con.execute(head + "SELECT * FROM cats").fetchall())
    stage_rows = set(engine.con.execute("SELECT family_id, dimension, category FROM landscape_genai_categories")
                     .fetchall())
    assert floor_rows == stage_rows
    assert 300 < len(members) < 2700 and len({c for _, d, c in stage_rows if d == "application"}) >= 15
