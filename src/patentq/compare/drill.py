"""Drill-down: from a group to its families, sorted by the active quality measure, each with
links to Espacenet, Google Patents and Lens by its earliest publication's number (no links on a
synthetic lake: those numbers are made up)."""

from __future__ import annotations

import re
from urllib.parse import quote

from .. import sql
from ..errors import UsageError

#: The quality measures a drill-down can sort by, best first: the first the lake can compute is
#: the default (``measures`` of the comparison's conventions says which).
SORT_MEASURES = {"fwd_cits_5_rel": "cohort", "fwd_cits_5": "fwd_cits_windowed", "quality_index_4": "quality_index_4",
                 "fwd_cits_total": "fwd_cits_total", "claims": "claims"}
LIMIT = 20


def _load(name: str, **params) -> str:
    return sql.load(__name__.rsplit(".", 1)[0], name, **params)


def active_measure(measures: dict) -> str:
    """The first of ``SORT_MEASURES`` whose measure the lake computes (or reports)."""
    status = {v["measure"]: v["status"] for v in measures.values()} if measures else {}
    for column, measure in SORT_MEASURES.items():
        if status.get(measure, "computed") != "absent":
            return column
    return "claims"


def links(publication_number: str | None) -> dict | None:
    """Espacenet, Google Patents and Lens searches for ``US-8926509-B2`` (or ``US8926509``)."""
    if not publication_number:
        return None
    compact = re.sub(r"[^0-9A-Za-z]", "", publication_number)
    return {"espacenet": f"https://worldwide.espacenet.com/patent/search?q=pn%3D{quote(compact)}",
            "google_patents": f"https://patents.google.com/patent/{quote(compact)}/en",
            "lens": f"https://www.lens.org/lens/search/patent/list?q={quote(publication_number)}"}


def group_families(session, groups: list, measure: str, limit: int = LIMIT, synthetic: bool = False) -> dict:
    """``{group: [family, ...]}`` from the measure table ``cmp_x`` that ``compare`` built."""
    if measure not in SORT_MEASURES:
        raise UsageError(f"unknown sort measure {measure!r}", hint=f"choose one of {', '.join(SORT_MEASURES)}")
    if limit < 1 or limit > 10_000:
        raise UsageError(f"bad limit {limit}: out of range", hint="use a value from 1 to 10,000")
    out: dict = {g: [] for g in groups}
    if not groups:
        return out
    rows = session.engine.rows(_load("drill", groups=sql.in_list(groups), order=f"i.{measure}", limit=int(limit)))
    for r in rows:
        r["links"] = None if synthetic else links(r["publication_number"])
        out.setdefault(r["group"], []).append(r)
    return out
