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
    """The first of ``SORT_MEASURES`` whose measure the lake computes (or reports), from a
    comparison's ``conventions["measures"]`` (rate key → measure and status) or the profile's
    measures (measure → status)."""
    return drill_choice(statuses(measures))["sort_by"]


def statuses(measures: dict) -> dict:
    """measure → {"status", "reason"} from either form of ``active_measure``'s argument."""
    out = {}
    for key, value in (measures or {}).items():
        out[value.get("measure", key)] = value
    return out


def drill_choice(statuses: dict) -> dict:
    """``{"sort_by", "measure", "status", "why"}``: the first of ``SORT_MEASURES`` whose measure
    is not absent in ``statuses`` (measure → {"status", "reason"}, the lake profile's); a measure
    ``statuses`` does not name counts as present. ``why`` says what it sorted on and why not the
    measures before it (a windowed citation measure is absent where the lake has no citation
    lists: Lens sorts on the lifetime count it reports)."""
    skipped = []
    for column, measure in SORT_MEASURES.items():
        got = statuses.get(measure) or {"status": "computed", "reason": ""}
        if got["status"] != "absent":
            why = f"{column}: {measure} is {got['status']}" + (f" ({got['reason']})" if got.get("reason") else "")
            if skipped:
                why += "; not " + "; not ".join(skipped)
            return {"sort_by": column, "measure": measure, "status": got["status"], "why": why}
        skipped.append(f"{column} ({measure} absent: {got.get('reason') or 'its inputs are missing'})")
    return {"sort_by": "claims", "measure": "claims", "status": "absent",
            "why": "claims, although no quality measure is measurable here: " + "; ".join(skipped)}


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
