"""Defaults that fit the data, said out loud.

The comparison's defaults follow WIPO's landscape reports (inventor country, first publication
year, 2014-2023). On a lake that cannot serve them they would give an empty or an ``UNKNOWN
100 %`` answer, so ``auto`` (the default of ``--by``, ``--year-basis`` and ``--years``) moves:

- the year basis to the priority year when most families have no publication date (CSET);
- the window to the data's own years when 2014-2023 holds none of them (USPTO slices 2005-2013);
- the grouping to the first of inventor country, applicant country, priority office, office
  that at least half the families of the window have (Lens and CSET give no inventor country).

Every move is returned with its reason; ``compare`` puts them in the conventions and notes, and
the CLI, the report and the dashboard print them. An explicit option always wins, but an
explicit grouping that less than half the families have is warned about (``warning`` entries). Years whose
counts are still growing when the data ends (publication lag) are flagged as truncated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from .. import sql

WIPO_YEARS = (2014, 2023)
#: The order in which a grouping is tried, with the ``families`` column that must be known.
GROUPING_ORDER = (("inventor-country", "inventor_countries"), ("applicant-country", "applicant_countries"),
                  ("priority-office", "priority_office"), ("office", "offices"))
COVERAGE = 0.5
#: Months after the end of a year before its counts are complete: applications are published
#: 18 months after priority and members abroad enter at 30 months (PCT national phase).
LAG_MONTHS = {"priority": 30, "publication": 0}


def _load(name: str, **params) -> str:
    return sql.load(__name__.rsplit(".", 1)[0], name, **params)


def resolve(session, conv):
    """``(conventions with every auto replaced, [{"option", "value", "why"}])``."""
    chosen = []
    engine = session.engine
    landscape_join = (f"JOIN {sql.table_name('landscape_' + conv.landscape)} l ON l.family_id = f.family_id"
                      if conv.landscape else "")
    if conv.year_basis == "auto":
        shares = engine.rows(_load("year_coverage", landscape_join=landscape_join))[0]
        if (shares["families"] or 0) and (shares["with_publication_year"] or 0) < COVERAGE * shares["families"]:
            conv = replace(conv, year_basis="priority")
            chosen.append({"option": "year-basis", "value": "priority",
                           "why": f"only {_pct(shares['with_publication_year'], shares['families'])} of the families "
                                  "have a publication date"})
        else:
            conv = replace(conv, year_basis="publication")
    if conv.years == "auto":
        year = "first_publication_year" if conv.year_basis == "publication" else "priority_year"
        span = engine.rows(_load("year_span", year=year, landscape_join=landscape_join,
                                 lo=WIPO_YEARS[0], hi=WIPO_YEARS[1]))[0]
        if span["in_window"] or not span["families"]:
            conv = replace(conv, years=WIPO_YEARS)
        elif span["first"] is not None:
            conv = replace(conv, years=(int(span["first"]), int(span["last"])))
            chosen.append({"option": "years", "value": f"{span['first']}-{span['last']}",
                           "why": f"no family has a {conv.year_basis} year in {WIPO_YEARS[0]}-{WIPO_YEARS[1]}; "
                                  "the window is the data's own years"})
        else:
            conv = replace(conv, years=None)
            chosen.append({"option": "years", "value": "all", "why": f"no family has a {conv.year_basis} year"})
    if conv.by == "auto":
        coverage = _grouping_coverage(session, conv, landscape_join)
        pick = next((by for by, _ in GROUPING_ORDER if coverage[by] >= COVERAGE), "office")
        conv = replace(conv, by=pick)
        if pick != "inventor-country":
            order = [by for by, _ in GROUPING_ORDER]
            tried = order[: order.index(pick) + 1]
            chosen.append({"option": "by", "value": pick,
                           "why": "the first grouping that at least half the families have, "
                                  + ("in the window and in " if conv.years else "in ")
                                  + f"all the {_whose(conv)} families (known for "
                                  + ", ".join(f"{by} {100 * coverage[by]:.0f} %" for by in tried) + ")"})
    elif conv.by in dict(GROUPING_ORDER):
        share = _grouping_coverage(session, conv, landscape_join, whole=False)[conv.by]
        if share < COVERAGE:
            chosen.append({"option": "by", "value": conv.by, "warning": True, "coverage": share,
                           "why": f"only {100 * share:.0f} % of the families of the window have "
                                  f"{_NEEDS[conv.by]}; the others are in UNKNOWN"
                                  + (", so no group is known" if share == 0 else "")})
    return conv, chosen


#: What each grouping needs, as the warning about an explicit grouping says it.
_NEEDS = {"inventor-country": "an inventor country", "applicant-country": "an applicant country",
          "priority-office": "a priority office", "office": "a publishing office"}


def _whose(conv) -> str:
    return "landscape's" if conv.landscape else "lake's"


def _grouping_coverage(session, conv, landscape_join: str, whole: bool = True) -> dict:
    """Each grouping's share of known families: of the window's families, and (``whole``) the
    lower of that and its share of all the lake's (landscape's) families."""
    year = "f.first_publication_year" if conv.year_basis == "publication" else "f.priority_year"
    where = f"WHERE {year} BETWEEN {int(conv.years[0])} AND {int(conv.years[1])}" if conv.years else ""
    shares = []
    for scope in ([where, ""] if whole and where else [where]):
        row = session.engine.rows(_load("grouping_coverage", landscape_join=landscape_join, where=scope))[0]
        n = row["families"] or 0
        shares.append({by: (row[col] or 0) / n if n else 0.0 for by, col in GROUPING_ORDER})
    return {by: min(s[by] for s in shares) for by, _ in GROUPING_ORDER}


def window_coverage(session, conv) -> dict:
    """How many of the lake's (landscape's) families the year window keeps: ``families``,
    ``in_window``, ``no_year`` (none on the year basis), ``outside`` (a year outside the
    window) and the data's ``first`` and ``last`` year on the basis."""
    landscape_join = (f"JOIN {sql.table_name('landscape_' + conv.landscape)} l ON l.family_id = f.family_id"
                      if conv.landscape else "")
    year = "first_publication_year" if conv.year_basis == "publication" else "priority_year"
    lo, hi = conv.years if conv.years else (-10**6, 10**6)
    row = session.engine.rows(_load("year_span", year=year, landscape_join=landscape_join, lo=int(lo), hi=int(hi)))[0]
    families, with_year = int(row["families"] or 0), int(row["with_year"] or 0)
    in_window = int(row["in_window"] or 0) if conv.years else families
    return {"families": families, "in_window": in_window, "no_year": families - with_year,
            "outside": with_year - int(row["in_window"] or 0) if conv.years else 0,
            "first": row["first"], "last": row["last"], "year_basis": conv.year_basis,
            "of": "landscape" if conv.landscape else "lake"}


def truncated_years(end: dt.date | None, year_basis: str, years: tuple[int, int] | None) -> list[int]:
    """Years of the window whose counts are not complete when the data ends: the year plus
    ``LAG_MONTHS`` has not passed by the end date."""
    if end is None or not years:
        return []
    out = []
    for year in range(years[0], min(years[1], end.year) + 1):
        months = (year + 1) * 12 + LAG_MONTHS[year_basis]  # the first day counts are complete
        if end + dt.timedelta(days=1) < dt.date(months // 12, months % 12 + 1, 1):
            out.append(year)
    return out


def _pct(part, whole) -> str:
    return f"{100 * (part or 0) / whole:.0f} %" if whole else "0 %"
