"""The counting conventions of a comparison, declared once.

``Conventions`` is a dataclass whose fields carry their own metadata (help text, choices, the
text form users type). That one declaration generates the ``compare`` and ``report`` command
options (``click_options``), parses the dashboard's URL parameters (``from_query``), builds
``Conventions`` from Python keywords (``conventions``) and writes the table in docs/compare.md
(``docs_table``; a test holds the docs equal to it). The CLI, the web API and the Python API
therefore share defaults and validation and cannot drift apart.
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass, field
from typing import Any

from ..attribution import COUNTING, GROUPINGS
from ..errors import UsageError

QUALITY_ADJUSTED = ("families in the top 10% of their cohort (priority year x WIPO field) by 5-year forward "
                    "citations, over families with a complete 5-year window")
#: ``--quality``: the basis of the quality-adjusted count (the family_indicators flag, what it counts).
QUALITY_BASES = {
    "fwd5": ("top10_cohort", QUALITY_ADJUSTED),
    "fwd5-foreign": ("top10_cohort_foreign", "families in the top 10% of their cohort by 5-year forward citations "
                     "from families sharing no inventor country with them, over families with a complete 5-year window"),
    "fwd5-nonself": ("top10_cohort_xapp", "families in the top 10% of their cohort by 5-year forward citations "
                     "from other applicants, over families with a complete 5-year window"),
    "qi4": ("top10_cohort_qi4", "families in the top 10% of their cohort by the OECD composite quality index of 4 "
            "components, over families with a complete 5-year window"),
    "qi6": ("top10_cohort_qi6", "families in the top 10% of their cohort by the OECD composite quality index of 6 "
            "components, over families with a complete 5-year window"),
}
YEAR_BASES = ("publication", "priority")
UNITS = ("simple", "extended")
WINDOWS = ("matched", "all")
UNKNOWN_POLICIES = ("show", "rank", "hide")
#: Below this many families a group is shown greyed and unranked (``--min-families``).
MIN_FAMILIES = 30
#: The dashboard caps the bootstrap, so one request cannot hold the server for minutes.
MAX_WEB_REPLICATES = 10_000


AUTO = "auto"


def parse_years(text) -> tuple[int, int] | None | str:
    """``2014-2023`` → (2014, 2023); ``all`` or empty → no window; ``auto`` stays (WIPO's
    2014-2023, or the data's years when it holds none: ``compare.defaults``); a pair passes."""
    if text == AUTO:
        return AUTO
    if text is None or text == "" or text == "all":
        return None
    if isinstance(text, (tuple, list)):
        years = (int(text[0]), int(text[1]))
    else:
        try:
            lo, _, hi = str(text).partition("-")
            years = (int(lo), int(hi or lo))
        except ValueError as exc:
            raise UsageError(f"bad --years {text!r}", hint="write a range such as 2014-2023, or all") from exc
    if years[0] > years[1]:
        raise UsageError(f"bad --years {text!r}: the range is reversed", hint="write it as FROM-TO, e.g. 2014-2023")
    if years[0] < 1800 or years[1] > 2200:
        raise UsageError(f"bad --years {text!r}: outside 1800-2200", hint="write a range such as 2014-2023, or all")
    return years


def _years_text(years) -> str:
    if years == AUTO:
        return AUTO
    return "all" if not years else f"{years[0]}-{years[1]}"


def option(default, help: str, choices=None, minimum: int | None = None, web_maximum: int | None = None,
           parse=None, show=None, zero_is_none: bool = False, web: bool = True):
    """A ``Conventions`` field with the metadata that drives the CLI, the web API and the docs
    (``web=False``: a CLI and Python option only, e.g. a path the server must not read)."""
    meta = {"help": help, "choices": tuple(choices) if choices else None, "minimum": minimum,
            "web_maximum": web_maximum, "parse": parse, "show": show, "zero_is_none": zero_is_none, "web": web}
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda: default, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass
class Conventions:
    """Every counting choice of a comparison; printed with every result."""

    landscape: str | None = option(None, "Landscape name (landscape_<name> in the lake); default all families.")
    by: str = option(AUTO, "What a group is. auto: inventor-country (WIPO), else the first of applicant-country, "
                           "priority-office, office that half the families have.", choices=(AUTO, *GROUPINGS))
    counting: str = option("whole", "whole: 1 per group; fractional: weights sum to 1 per family.", choices=COUNTING)
    years: tuple[int, int] | None | str = option(AUTO, "Year window FROM-TO, or 'all'. auto: 2014-2023 (WIPO), "
                                                       "or the data's years when none falls there.",
                                                 parse=parse_years, show=_years_text)
    year_basis: str = option(AUTO, "First publication year (WIPO default) or earliest priority year. auto: "
                                   "publication, or priority when most families have no publication date.",
                             choices=(AUTO, *YEAR_BASES))
    unit: str = option("simple", "Family unit for the sensitivity table's baseline.", choices=UNITS)
    quality: str = option("fwd5", "Quality basis of the quality-adjusted count, rank shift and gap: the top 10% of "
                                  "the cohort by 5-year citations (fwd5), by citations from abroad (fwd5-foreign), "
                                  "from other applicants (fwd5-nonself), or by the composite index (qi4, qi6).",
                          choices=tuple(QUALITY_BASES))
    top: int | None = option(10, "Groups shown (0 = all).", minimum=0, zero_is_none=True, web_maximum=100_000)
    replicates: int = option(1000, "Bootstrap replicates (0 = none).", minimum=0, web_maximum=MAX_WEB_REPLICATES)
    seed: int = option(0, "Bootstrap seed.", minimum=0, web_maximum=2**32 - 1)
    window: str = option("matched", "Families the count is set against quality over. matched: only families whose "
                                    "quality is observable (complete 5-year citation window) for the gap, rank shift, "
                                    "QA share and scatter; all: every family of --years.", choices=WINDOWS)
    min_families: int = option(MIN_FAMILIES, "Groups with fewer families are shown greyed and unranked.", minimum=0,
                               web_maximum=10**9)
    unknown: str = option("show", "The UNKNOWN group: show (unranked), rank (like any group) or hide.",
                          choices=UNKNOWN_POLICIES)
    per: str | None = option(None, "CSV of group,value (population, GDP, R&D spending): families per unit of value.",
                             web=False)
    level: float = field(default=0.95, metadata={"internal": True})

    def as_dict(self) -> dict:
        data = asdict(self)
        data["years"] = list(self.years) if isinstance(self.years, tuple) else self.years
        data["quality_adjusted_count"] = QUALITY_BASES.get(self.quality, QUALITY_BASES["fwd5"])[1]
        data["citation_window_years"] = 5
        data["ip5_definition"] = "members at two or more IP5 offices (US, EP, JP, KR, CN)"
        data["grant_rate_definition"] = "granted families / families granted or no longer pending"
        data["reach_counting"] = ("whole: reach shares (filed abroad, outside the group's office, IP5, triadic) count "
                                  "each family once per group whatever --counting says (docs/compare.md)")
        data["concentration_counting"] = ("fractional counts (under whole counting each family split equally among "
                                          "its groups), UNKNOWN excluded")
        data["proportion_intervals"] = ("Wilson score interval over the group's families with a value (Kish "
                                        "effective number under fractional weights)")
        data["headline_intervals"] = ("bootstrap, families resampled jointly (Poisson weights): shares, ranks, rank "
                                      "shift, gap, RTA, HHI, CR4; means of continuous measures per group")
        return data

    def key(self) -> tuple:
        return dataclasses.astuple(self)


def user_fields(web: bool = False) -> list[dataclasses.Field]:
    """The fields users set (everything but internal ones), in declaration order; ``web``: only
    those the dashboard's URL may set."""
    return [f for f in dataclasses.fields(Conventions) if not f.metadata.get("internal")
            and (not web or f.metadata.get("web", True))]


def flag(f: dataclasses.Field) -> str:
    return "--" + f.name.replace("_", "-")


def _default_text(f: dataclasses.Field) -> str:
    default = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[misc]
    show = f.metadata.get("show")
    return show(default) if show else ("" if default is None else str(default))


def parse_value(f: dataclasses.Field, value: Any, web: bool = False):
    """A user value (text from the CLI or a URL, or a Python value) → the field's value, checked."""
    meta = f.metadata
    name = f.name.replace("_", "-") if web else flag(f)  # as the user spelled it: URL parameter or option
    if meta.get("parse"):
        return meta["parse"](value)
    if meta.get("choices"):
        if value not in meta["choices"]:
            raise UsageError(f"unknown {name} {value!r}", hint=f"choose one of {', '.join(meta['choices'])}")
        return value
    if isinstance(f.default, int) and not isinstance(f.default, bool) or f.name in ("top",):
        if value is None and meta.get("zero_is_none"):
            return None
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise UsageError(f"bad {name} {value!r}: not a whole number",
                             hint=f"write e.g. {name}{'=' if web else ' '}{_default_text(f)}") from None
        limit = meta.get("web_maximum") if web else None
        if (meta.get("minimum") is not None and number < meta["minimum"]) or (limit is not None and number > limit):
            raise UsageError(f"bad {name} {number}: out of range",
                             hint=f"use a value from {meta.get('minimum', 0)}"
                                  + (f" to {limit:,}" if limit is not None else " upwards"))
        return None if number == 0 and meta.get("zero_is_none") else number
    if value in ("", None):
        return None
    return str(value)


def conventions(**options: Any) -> Conventions:
    """``Conventions`` from Python keywords (``by="applicant-group"``, ``years="2014-2023"`` or
    ``(2014, 2023)``); unknown keywords are an error, as in the CLI."""
    names = {f.name: f for f in user_fields()}
    unknown = set(options) - set(names)
    if unknown:
        raise UsageError(f"unknown comparison option(s) {', '.join(sorted(unknown))}",
                         hint=f"options: {', '.join(names)}")
    values = {k: parse_value(names[k], v) for k, v in options.items()}
    return Conventions(**values)


def from_query(query: dict[str, list[str]]) -> Conventions:
    """URL query (as ``urllib.parse.parse_qs`` gives it) → ``Conventions``, validated like the
    CLI; parameters are spelled like the CLI options (``year-basis`` or ``year_basis``)."""
    names = {f.name.replace("_", "-"): f for f in user_fields(web=True)}
    values = {}
    for raw, given in query.items():
        name = raw.replace("_", "-")
        if name not in names:
            raise UsageError(f"unknown parameter {raw!r}", hint=f"parameters are {', '.join(names)}")
        if len(given) != 1:
            raise UsageError(f"parameter {raw!r} given {len(given)} times", hint="give each parameter once")
        values[names[name].name] = parse_value(names[name], given[0], web=True)
    return Conventions(**values)


def web_defaults() -> dict:
    """The defaults as the dashboard's controls show them (``/api/options``)."""
    return {f.name.replace("_", "-"): (f.metadata.get("show") or (lambda v: v))(
        f.default if f.default is not dataclasses.MISSING else None) for f in user_fields(web=True)}


def choices() -> dict:
    return {f.name.replace("_", "-"): list(f.metadata["choices"]) for f in user_fields(web=True)
            if f.metadata.get("choices")}


def click_options(func):
    """Decorate a click command with one option per convention (``compare`` and ``report``);
    the command receives them as keywords and calls ``from_cli(**kwargs)``."""
    import click

    for f in reversed(user_fields()):
        meta = f.metadata
        kwargs: dict[str, Any] = {"help": meta["help"], "show_default": True, "default": _default_text(f) or None}
        if meta.get("choices"):
            kwargs["type"] = click.Choice(meta["choices"])
        elif isinstance(f.default, int) and not isinstance(f.default, bool):
            kwargs["type"] = click.IntRange(meta.get("minimum"))
        if f.default is None and not meta.get("choices"):
            kwargs["show_default"] = False
        func = click.option(flag(f), f.name, **kwargs)(func)
    return func


def from_cli(values: dict) -> Conventions:
    """The click values of ``click_options`` → ``Conventions``."""
    return Conventions(**{f.name: parse_value(f, values[f.name]) for f in user_fields() if f.name in values})


def docs_table() -> str:
    """The options table of docs/compare.md (generated; ``tests/test_docs.py`` checks it)."""
    lines = ["| option | web parameter | default | values | what it means |", "|---|---|---|---|---|"]
    for f in user_fields():
        meta = f.metadata
        values = ", ".join(meta["choices"]) if meta.get("choices") else (
            "integer" + (f" ≥ {meta['minimum']}" if meta.get("minimum") is not None else "")
            + (f" (web ≤ {meta['web_maximum']:,})" if meta.get("web_maximum") else "")
            if isinstance(f.default, int) and not isinstance(f.default, bool) else "text")
        web = f"`{f.name.replace('_', '-')}`" if meta.get("web", True) else "(CLI and Python only)"
        lines.append(f"| `{flag(f)}` | {web} | `{_default_text(f) or '(none)'}` | {values} | "
                     f"{meta['help']} |")
    return "\n".join(lines)
