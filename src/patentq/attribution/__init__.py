"""Attribution: which country or applicant group a family counts for, and with what weight.

``attribution_sql(by, counting)`` returns portable SQL (``.sql`` files beside this module; DuckDB dialect, transpilable to Spark by
sqlglot: no macros, no QUALIFY, no lambdas) yielding one row per (``family_id``, ``group``)
with a ``weight``:

- ``by``:
  - ``inventor-country`` / ``applicant-country``: residence of the family's inventors /
    applicants (``families.inventor_countries`` / ``applicant_countries``, filled across
    members), the WIPO landscape default being inventor country;
  - ``priority-office``: the office of first filing (``families.priority_office``);
  - ``office``: every office where the family has a member, WO and EP included, i.e. where
    protection is sought;
  - ``applicant-group``: the harmonised corporate group of each applicant
    (``applicant_groups``, see ``patentq.harmonize``).
- ``counting``:
  - ``whole``: weight 1 for every group of the family (a family with inventors in CN and US
    counts once for each; totals exceed the number of families);
  - ``fractional``: weights sum to 1 per family. For countries the share is the share of the
    family's distinct inventors (applicants) resident in each country (OECD practice, see
    docs/attribution.md); for offices and applicant groups, an equal split.

Every family of ``families`` gets at least one row: a family with nothing known for ``by`` is
credited to the group ``UNKNOWN`` (weight 1), never dropped. Nothing is stored by default; the
callers (compare, report) aggregate the rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from .. import sql
from ..errors import UsageError

UNKNOWN = "UNKNOWN"


@dataclass(frozen=True)
class Grouping:
    """One way to say which group a family counts for."""

    name: str
    #: The groups are country or office codes (so "filed outside the group's office" means something).
    country_like: bool
    help: str


#: Every grouping, in the order the CLI, the web controls and the docs list them.
GROUPINGS = {g.name: g for g in (
    Grouping("inventor-country", True, "residence of the family's inventors (WIPO's landscape default)"),
    Grouping("applicant-country", True, "residence of the family's applicants"),
    Grouping("priority-office", True, "the office of first filing"),
    Grouping("office", True, "every office where the family has a member (WO and EP included)"),
    Grouping("applicant-group", False, "the harmonised corporate group of each applicant (patentq applicants)"),
)}
BY = tuple(GROUPINGS)
COUNTING = ("whole", "fractional")
#: ``by`` values whose groups are country or office codes (``filed_outside_sql`` needs one).
COUNTRY_BY = tuple(name for name, g in GROUPINGS.items() if g.country_like)
#: The harmonised tables a grouping needs beside ``families`` and ``family_members``.
NEEDS = {"applicant-group": ("applicant_groups",)}


def check(by: str, counting: str = "whole") -> None:
    if by not in GROUPINGS:
        raise UsageError(f"unknown grouping {by!r}", hint=f"choose one of {', '.join(GROUPINGS)}")
    if counting not in COUNTING:
        raise UsageError(f"unknown counting {counting!r}", hint=f"choose one of {', '.join(COUNTING)}")


def _load(name: str, **params) -> str:
    return sql.load(__name__, name, **params)


def attribution_sql(by: str = "inventor-country", counting: str = "whole") -> str:
    """SQL yielding ``(family_id, group, weight)`` over the ``families`` table (module docstring).

    Reads ``families``, ``family_members`` and, for applicant groups, ``applicant_groups``
    (the stages that write them: ``patentq.stages``).
    """
    check(by, counting)
    split = "CAST(1 AS DOUBLE)" if counting == "whole" else "CAST(1 AS DOUBLE) / n.n"
    if by in ("inventor-country", "applicant-country"):
        role = by.split("-")[0]
        if counting == "whole":
            return _load("residence_whole", array_column=f"{role}_countries")
        return _load("residence_fractional", role=sql.literal(role), array_column=f"{role}_countries")
    if by == "priority-office":
        return _load("priority_office")
    if by == "office":
        return _load("office", weight=split)
    from ..harmonize import party_groups_sql

    return _load("applicant_group", weight=split, party_groups=party_groups_sql())


def filed_outside_sql(by: str = "inventor-country", counting: str = "whole") -> str:
    """``attribution_sql`` plus ``filed_outside``: whether the family has a member at an office
    other than the attributed country's own, WO (a PCT application is not protection anywhere
    yet) excluded. EP counts as outside for every country, even EPO member states: the rule is
    kept to "office code ≠ country code" so it means the same everywhere (docs/attribution.md).
    NULL for the ``UNKNOWN`` group. The one spelling of this rule: compare reads it too."""
    if by not in COUNTRY_BY:
        raise UsageError(f"filed-outside needs a country attribution, not {by!r}",
                         hint=f"choose one of {', '.join(COUNTRY_BY)}")
    return _load("filed_outside", attributed=attribution_sql(by, counting))


def needed_tables(by: str) -> tuple[str, ...]:
    """Derived tables a grouping reads (for ``Session.require``)."""
    return ("families",) + NEEDS.get(by, ())


def attribute(session, by: str = "inventor-country", counting: str = "whole", filed_outside: bool = False) -> pa.Table:
    """Run the attribution on the session's lake (small results; for large ones, use the SQL).

    Builds the tables it needs first when they are missing or stale.
    """
    check(by, counting)
    session.require(*needed_tables(by))
    query = filed_outside_sql(by, counting) if filed_outside else attribution_sql(by, counting)
    with session.step("attribution", by):
        return session.engine.query(query + ' ORDER BY family_id, "group"')
