"""Export queries users run at the data provider, shipped as package files (``*.sql``).

``google_export_query`` fills the BigQuery template with a landscape's CPC prefixes; the
template and its use are documented in docs/bigquery.md.
"""

from __future__ import annotations

import re
import string
from importlib import resources

from ...errors import UsageError

#: Used only when ``patentq.landscapes`` has no definition of that name (docs/bigquery.md). GenAI:
#: CPC groups whose scheme titles name generative models (CPC scheme, cooperativepatentclassification.org):
#: G06N3/0475 generative networks, G06N3/0455 auto-encoder / encoder-decoder networks, G06N3/047
#: probabilistic or stochastic networks, G06N3/094 adversarial learning, G06N3/045 combinations of
#: networks, G06F40/56 natural language generation, G10L13 speech synthesis, G06T11/00 2D image
#: generation, G06T13 animation. A CPC-only approximation, not WIPO's keyword + CPC GenAI query.
FALLBACK_CPC_PREFIXES = {
    "genai": ["G06N3/0475", "G06N3/0455", "G06N3/047", "G06N3/094", "G06N3/045",
              "G06F40/56", "G10L13/", "G06T11/00", "G06T13/"],
}

_PREFIX = re.compile(r"^[A-HY]\d\d[A-Z](\d{1,4}(/\d*)?)?$")


def template(name: str = "google_publications.sql") -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


#: What the keyword prefilter costs, stated in the query (BigQuery bills the referenced columns).
KEYWORD_NOTE = """-- Keyword prefilter: a publication is also kept when a title or abstract, in any of its
-- languages (title_localized, abstract_localized), matches the landscape's keyword gate, so
-- documents the definition finds by words alone reach the lake; patentq applies the full
-- definition after ingest. Extra bytes billed: 0 (the query reads both columns anyway,
-- and BigQuery bills the referenced columns of every row whatever the WHERE clause keeps); it
-- does return more rows than the CPC prefixes alone.
"""


def candidate_conditions(prefixes: list[str], keywords: str | None = None) -> tuple[list[str], str, str]:
    """The checked, de-duplicated prefixes, the BigQuery condition on ``c.code`` selecting them and
    the keyword condition (empty without ``keywords``): what makes a candidate, in every query
    that needs the candidates (the citing-documents query repeats them)."""
    clean = sorted({p.replace(" ", "").upper() for p in prefixes})
    bad = [p for p in clean if not _PREFIX.match(p)]
    if bad or (not clean and not keywords):
        raise UsageError(f"not CPC code prefixes: {bad or 'none given'}",
                         hint="give prefixes like G06N3/0475, G06N3/ or G10L")
    clean = [p for p in clean if not any(p != q and p.startswith(q) for q in clean)]  # G06N3/ covers G06N3/045
    condition = "\n       OR ".join(f"STARTS_WITH(c.code, '{p}')" for p in clean) or "FALSE"
    keyword_condition = ""
    if keywords:
        regex = keywords.replace("\\", "\\\\").replace("'", "\\'")
        keyword_condition = "".join(
            f"\n  OR EXISTS (SELECT 1 FROM UNNEST(p.{col}) AS t WHERE REGEXP_CONTAINS(t.text, '{regex}'))"
            for col in ("title_localized", "abstract_localized"))
    return clean, condition, keyword_condition


def date_condition(since: int | None, until: int | None) -> str:
    dates = ""
    if since:
        dates += f"\n  AND p.publication_date >= {int(since)}0101"
    if until:
        dates += f"\n  AND p.publication_date <= {int(until)}1231"
    return dates


def google_export_query(prefixes: list[str], landscape: str = "custom", claims: bool = True,
                        since: int | None = None, until: int | None = None, keywords: str | None = None) -> str:
    """The BigQuery export query restricted to publications carrying a CPC code with one of
    ``prefixes`` or, with ``keywords`` (an RE2 regex, ``Definition.keyword_regex``), a title or
    abstract in any language that matches it."""
    clean, condition, keyword_condition = candidate_conditions(prefixes, keywords)
    return string.Template(template()).substitute(
        landscape=landscape, n_prefixes=len(clean), cpc_condition=condition, date_condition=date_condition(since, until),
        keyword_condition=keyword_condition, keyword_note=KEYWORD_NOTE if keywords else "",
        claims_column="\n  claims_localized," if claims else "")
