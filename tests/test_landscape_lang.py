"""The landscape query language: data-driven cases, parser errors, SQL ≡ reference matcher."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patentq.errors import DefinitionError
from patentq.landscapes import query as q
from patentq.landscapes.compile import Compiler, docs_sql
from patentq.landscapes.keywords import _canonical, keyed_sql
from patentq.landscapes.match import Doc, matches
from patentq.schema import CLASSIFICATIONS, PUBLICATIONS, TEXTS

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "landscapes" / "query_cases.yaml").read_text())["cases"]


def _doc(case) -> Doc:
    codes = []
    for spec in case.get("codes", []):
        parts = spec.split()
        codes.append((parts[0], parts[1], "first" in parts[2:], "inventive" in parts[2:]))
    versions = tuple((tuple(v) + ("", "", ""))[:4] for v in case.get("versions", []))
    return Doc(case.get("title", ""), case.get("abstract", ""), case.get("claims", ""), tuple(codes),
               language=case.get("language", ""), versions=versions)


def load_docs(con, docs: list[Doc]) -> None:
    """Register ``publications`` and ``classifications`` tables holding ``docs`` (P0, P1, ...)."""
    pubs = [{"publication_number": f"P{i}", "family_id": f"F{i}", "title": d.title, "abstract": d.abstract,
             "claims_text": d.claims, "language": d.language or None} for i, d in enumerate(docs)]
    cls = [{"publication_number": f"P{i}", "scheme": s, "code": c, "is_first": f, "is_inventive": inv}
           for i, d in enumerate(docs) for s, c, f, inv in d.codes]
    texts = [{"publication_number": f"P{i}", "field": field, "language": lang, "text": value}
             for i, d in enumerate(docs) for lang, *values in d.versions
             for field, value in zip(("title", "abstract", "claims"), values) if value]
    con.register("pubs_arrow", pa.Table.from_pylist(pubs, schema=PUBLICATIONS))
    con.register("cls_arrow", pa.Table.from_pylist(cls, schema=CLASSIFICATIONS))
    con.register("texts_arrow", pa.Table.from_pylist(texts, schema=TEXTS))
    con.execute("CREATE OR REPLACE TABLE publications AS SELECT * FROM pubs_arrow")
    con.execute("CREATE OR REPLACE TABLE classifications AS SELECT * FROM cls_arrow")
    con.execute("CREATE OR REPLACE TABLE texts AS SELECT * FROM texts_arrow")


def sql_matches(con, query_text: str) -> tuple[set, set]:
    """Publication numbers matched by the WHERE form and by the select-list (CASE) form; the
    keyed form (wide ORs, as membership runs) must agree with the WHERE form."""
    node = q.parse(query_text)
    compiler = Compiler()
    compiled = compiler.compile(node)
    docs = docs_sql(compiled.flags, compiled.fields | {"title"})
    where = {r[0] for r in con.execute(f"SELECT publication_number FROM ({docs}) d WHERE {compiled.prefiltered}").fetchall()}
    case = {r[0] for r in con.execute(f"SELECT publication_number FROM (SELECT publication_number, {compiled.case} AS hit "
                                      f"FROM ({docs}) d) WHERE hit").fetchall()}
    fast = keyed_sql(compiler, node, docs, compiled.gate, "publication_number")
    if fast:
        assert {r[0] for r in con.execute(fast).fetchall()} == where, "keyed form"
    return where, case


@pytest.fixture(scope="module")
def con():
    return duckdb.connect()


def test_enough_cases():
    assert len(CASES) >= 60


@pytest.mark.parametrize("case", CASES, ids=[f"{i}:{c['q']}" for i, c in enumerate(CASES)])
def test_case(con, case):
    doc = _doc(case)
    assert matches(q.parse(case["q"]), doc) is case["match"], "reference matcher"
    load_docs(con, [doc])
    where, in_select = sql_matches(con, case["q"])
    assert (where == {"P0"}) is case["match"], "SQL (WHERE form)"
    assert (in_select == {"P0"}) is case["match"], "SQL (select-list form)"


# --- parser errors carry line and column ----------------------------------------------------

@pytest.mark.parametrize("text, line, column, words", [
    ("a AND", 1, 6, "ends where a term was expected"),
    ("(a OR b", 1, 1, "missing ')'"),
    ("a OR b)", 1, 7, "unbalanced ')'"),
    ("neural +1w", 1, 8, "needs a term or phrase after it"),
    ('"neural net', 1, 1, "unterminated phrase"),
    ("gan OR\n  vae AND\n    cpc:G06Q99X", 3, 9, "not a classification code"),
    ("a OR\n  b ) c", 2, 5, "unbalanced ')'"),
    ("cpc:B07..B01", 1, 5, "is empty"),
    ("cpc:G06N3/02..G06T3/126", 1, 5, "one subclass"),
    ("a /1w b /1w c", 1, 9, "directional"),
    ("a # b", 1, 3, "unexpected character"),
    ("title:", 1, 1, "needs a term"),
    ("", 1, 1, "empty query"),
    ("()", 1, 2, "empty parentheses"),
    ("exact:cpc:G06N3..G06N5", 1, 1, "exact: takes one plain code"),
    ("+1w net", 1, 1, "needs a term before it"),
])
def test_parse_errors(text, line, column, words):
    with pytest.raises(DefinitionError) as info:
        q.parse(text)
    assert (info.value.line, info.value.column) == (line, column), str(info.value)
    assert words in str(info.value)


def test_code_normalisation():
    assert q.parse_code("G06N 3/0450", 1, 1).text == "G06N3/045"
    assert q.parse_code("g06n3/00", 1, 1).text == "G06N3"
    assert q.parse_code("G06N3/4", 1, 1).text == "G06N3/40"
    assert q.parse_code("G06N0003", 1, 1).text == "G06N3"


# --- property: compiled SQL in DuckDB ≡ the token-based reference matcher -------------------

VOCAB = ["neural", "network", "networks", "net", "learn", "learning", "machine", "gan", "image", "a"]
CODES = ["G06N3/045", "G06N3/0455", "G06N3/04", "G06N3/08", "G06N31/00", "G06N20/00", "G06T11/00", "B01D53/00",
         "B07C5/34", "B08B3/00", "G06N3/00", "G06N3/126"]
SEPARATORS = [" ", " ", " ", "-", ", ", ". ", " (", ") ", "/", "  "]

word = st.builds(lambda w, star: w[: max(1, len(w) - star * 2)] + ("*" if star else ""),
                 st.sampled_from(VOCAB), st.booleans())
phrase = st.lists(word, min_size=2, max_size=3).map(lambda ws: '"' + " ".join(ws) + '"')
operand = st.one_of(word, word, phrase)
proximity = st.builds(lambda a, n, b, d: f"{a} {'+' if d else '/'}{n}w {b}", operand, st.integers(0, 2), operand,
                      st.booleans())
chain = st.builds(lambda a, n, b, m, c: f"{a} +{n}w {b} +{m}w {c}", operand, st.integers(0, 2), operand,
                  st.integers(0, 2), operand)
text_clause = st.builds(lambda f, t: f + t, st.sampled_from(["", "", "title:", "abstract:"]),
                        st.one_of(word, phrase, proximity, proximity, chain))
code_clause = st.one_of(
    st.builds(lambda s, c: f"{s}:{c}", st.sampled_from(["cpc", "cpc", "ipc", "inventive:cpc", "first:cpc"]),
              st.sampled_from(["G06N3/045", "G06N3/04", "G06N3", "G06N", "G06", "B01..B07", "G06N3/02..G06N3/126",
                               "G06N3/0*"])),
)
leaf = st.one_of(text_clause, text_clause, text_clause, code_clause)
query_text = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.builds(lambda a, b: f"({a} AND {b})", inner, inner),
        st.builds(lambda a, b: f"({a} OR {b})", inner, inner),
        st.builds(lambda a, b, c: f"({a} OR {b} OR {c})", inner, inner, inner),
        st.builds(lambda a, b: f"{a} {b}", inner, inner),
        st.builds(lambda a: f"NOT {a}", inner),
    ),
    max_leaves=6,
)
text_value = st.lists(st.tuples(st.sampled_from(VOCAB + ["GAN", "Neural", "NETWORK", "of"]), st.sampled_from(SEPARATORS)),
                      max_size=14).map(lambda pairs: "".join(w + s for w, s in pairs))
code_row = st.tuples(st.sampled_from(["cpc", "cpc", "ipc"]), st.sampled_from(CODES), st.booleans(), st.booleans())
document = st.builds(Doc, text_value, text_value, st.just(""), st.lists(code_row, max_size=3).map(tuple))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query_text, st.lists(document, min_size=1, max_size=12))
def test_sql_agrees_with_reference(query, docs):
    agree(query, docs)


def agree(query, docs):
    """The WHERE and select-list SQL select exactly what the reference matcher selects."""
    con = duckdb.connect()
    load_docs(con, docs)
    node = q.parse(query)
    expected = {f"P{i}" for i, d in enumerate(docs) if matches(node, d)}
    where, in_select = sql_matches(con, query)
    assert where == expected
    assert in_select == expected


def test_keys_never_collide():
    canon = _canonical({("gan", False), ("gan", True), ("gans", False), ("cyclegan", True), ("gpt", True),
                        ("gpt4", False), ("deep", False), ("deepfake", True), ("auto", True), ("autoregress", True)})
    assert canon[("gans", False)] == ("gan", True) and canon[("gan", False)] == ("gan", True)
    assert canon[("gpt4", False)] == ("gpt", True) and canon[("autoregress", True)] == ("auto", True)
    assert canon[("deep", False)] == ("deep", False) and canon[("deepfake", True)] == ("deepfake", True)
    assert canon[("cyclegan", True)] == ("cyclegan", True)


def test_keyed_form_is_used_for_wide_ors(con):
    load_docs(con, [Doc("GAN images", ""), Doc("", "a variational autoencoder"), Doc("gallium", "GaN"),
                    Doc("x", "y", "", (("cpc", "G06N3/0475", True, True),))])
    query = "(gan AND image*) OR (variational +1w autoencod*) OR cpc:G06N3/0475 OR (vae AND latent)"
    compiler = Compiler()
    node = q.parse(query)
    compiled = compiler.compile(node)
    fast = keyed_sql(compiler, node, docs_sql(compiled.flags, compiled.fields), compiled.gate, "publication_number")
    assert "regexp_extract_all" in fast and "list_contains(w_abstract, 'variational')" in fast
    assert {r[0] for r in con.execute(fast).fetchall()} == {"P0", "P1", "P3"}


TINY = ["neural", "network", "nets", "of"]
tiny_text = st.lists(st.tuples(st.sampled_from(TINY), st.sampled_from(SEPARATORS)), min_size=2, max_size=12).map(
    lambda pairs: "".join(w + s for w, s in pairs))
tiny_query = st.builds(lambda a, op, n, b: f"{a} {op}{n}w {b}", st.sampled_from(["neural", "net*", "of", '"of neural"']),
                       st.sampled_from(["+", "/"]), st.integers(0, 3), st.sampled_from(["network", "net*", "nets", "of"]))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_query, st.lists(st.builds(Doc, tiny_text, tiny_text), min_size=4, max_size=8))
def test_proximity_distances_agree(query, docs):
    """Dense documents over four words, so every gap size and order occurs."""
    con = duckdb.connect()
    load_docs(con, docs)
    node = q.parse(query)
    where, in_select = sql_matches(con, query)
    assert where == {f"P{i}" for i, d in enumerate(docs) if matches(node, d)}


# --- property: CJK substrings, character gaps and language versions ---------------------------

CJK_VOCAB = ["生成", "模型", "扩散模型", "图像", "gan", "GAN", "net", "생성", "신경망", "ネットワーク"]
CJK_SEPS = ["", "", " ", "的", "、", "-", "　", "(", ") "]
cjk_text = st.lists(st.tuples(st.sampled_from(CJK_VOCAB), st.sampled_from(CJK_SEPS)), max_size=10).map(
    lambda pairs: "".join(w + s for w, s in pairs))
cjk_word = st.sampled_from(["生成", "模型", "扩散模型", "图像", "gan", "gan*", "net", "생성", "신경망", "ネットワーク",
                            '"生成 模型"', '"gan 生成"', '"생성 신경망"'])
cjk_clause = st.one_of(
    cjk_word,
    st.builds(lambda a, op, n, b: f"{a} {op}{n}c {b}", cjk_word, st.sampled_from(["+", "/"]), st.integers(0, 4), cjk_word),
    st.builds(lambda lang, w: f"{lang}:{w}", st.sampled_from(["zh", "ja", "en"]), cjk_word),
)
cjk_query = st.recursive(cjk_clause, lambda inner: st.one_of(
    st.builds(lambda a, b: f"({a} AND {b})", inner, inner), st.builds(lambda a, b: f"({a} OR {b})", inner, inner),
    st.builds(lambda a: f"NOT {a}", inner)), max_leaves=4)
cjk_doc = st.builds(lambda t, a, lang, versions: Doc(t, a, "", (), language=lang, versions=tuple(versions)),
                    cjk_text, cjk_text, st.sampled_from(["", "zh", "en"]),
                    st.lists(st.tuples(st.sampled_from(["zh", "ja"]), cjk_text, cjk_text, st.just("")), max_size=2,
                             unique_by=lambda v: v[0]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cjk_query, st.lists(cjk_doc, min_size=1, max_size=8))
def test_cjk_sql_agrees_with_reference(query, docs):
    agree(query, docs)
