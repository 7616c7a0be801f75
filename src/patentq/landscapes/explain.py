"""``landscape explain``: why one publication is (or is not) in a landscape, clause by clause.

It uses the Python matcher (``match.py``) on the publication's own text and codes; the tests
hold it equal to the SQL the stage runs.
"""

from __future__ import annotations

from .. import sql
from ..errors import UsageError
from ..normalize import asked_number
from . import match
from .apply import stage_sql
from .definition import OTHERWISE, Definition

def find_publication(session, number: str) -> list[str]:
    """Publication numbers in the lake for what the user typed (with or without kind code)."""
    wanted = asked_number(number)
    rows = session.engine.rows(stage_sql("find_publication", number=sql.literal(wanted),
                                     prefix=sql.literal(wanted + "-%")))
    return [r["publication_number"] for r in rows]


def load_doc(session, pn: str) -> match.Doc:
    """One publication with every language version of its text (``texts``), codes and tags."""
    pubs = session.engine.rows(stage_sql("document", number=sql.literal(pn)))
    codes = session.engine.rows(stage_sql("document_codes", number=sql.literal(pn)))
    tags = session.engine.rows(stage_sql("document_tags", number=sql.literal(pn)))
    texts = session.engine.rows(stage_sql("document_texts", number=sql.literal(pn)))
    first = pubs[0] if pubs else {}
    versions: dict = {}
    for row in texts:
        fields = versions.setdefault((row["language"] or "").lower(), {})
        fields.setdefault(row["field"], row["text"])
    return match.Doc(first.get("title") or "", first.get("abstract") or "", first.get("claims_text") or "",
                     tuple((c["scheme"], c["code"], bool(c["is_first"]), bool(c["is_inventive"])) for c in codes),
                     tuple((t["scheme"], t["tag"]) for t in tags), (first.get("language") or "").lower(),
                     tuple((lang, f.get("title"), f.get("abstract"), f.get("claims")) for lang, f in versions.items()))


def refined_score(defn: Definition, session, pn: str, doc: match.Doc) -> dict | None:
    """The refinement's score of the publication's family and the terms that drove it, when
    ``landscape refine`` has run on this lake (the stored model; nothing is retrained)."""
    from .apply import refined_names
    from .refine import MAX_CHARS, load_model

    stored = load_model(session, defn.name)
    if stored is None:
        return None
    model, meta = stored
    _, _, scores, _ = refined_names(defn.name)
    row = session.engine.rows(stage_sql("document_score", number=sql.literal(pn), scores=scores))
    text = " ".join(f"{v.title} {v.abstract}" for v in doc.each_version())[:MAX_CHARS]
    stored_row = row[0] if row else {}
    return {"family_score": stored_row.get("score"), "member": stored_row.get("member"),
            "publication_score": round(float(model.scores([text])[0]), 4), "terms": model.terms(text),
            "thresholds": meta.get("thresholds"), "model_hash": meta.get("model_hash")}


def explain(defn: Definition, session, number: str) -> dict:
    """Which clauses of the membership query match each publication of ``number``, on which
    words or codes, and the categories it falls in."""
    found = find_publication(session, number)
    if not found:
        raise UsageError(f"publication {number} is not in the lake",
                         hint="give the number as in the lake, e.g. US-8926509-B2 (kind code optional)")
    out = []
    for pn in found:
        doc = load_doc(session, pn)
        cats = {}
        for dim, categories in defn.dimensions.items():
            cats[dim] = {cat: match.matches(node, doc) for cat, node in categories.items() if node != OTHERWISE}
        languages = sorted({v.language or "?" for v in doc.each_version() if match.matches(defn.membership, v)})
        out.append({"publication_number": pn, "member": match.matches(defn.membership, doc),
                    "matched_languages": languages, "clauses": match.explain(defn.membership, doc),
                    "categories": cats, "refined": refined_score(defn, session, pn, doc)})
    return {"landscape": defn.name, "publications": out}


