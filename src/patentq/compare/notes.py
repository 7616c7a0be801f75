"""The notes printed under a comparison: defaults the data moved, truncated years, what the
lake cannot measure, the family sets behind each figure, and who is ranked."""

from __future__ import annotations

from .conventions import Conventions
from .measures import RATES


def default_notes(chosen: list[dict], truncated: list[int], end, window: dict | None = None) -> list[str]:
    notes = [f"Warning: --{c['option']} {c['value']} was asked for, but {c['why']}; `patentq lake profile` shows "
             "what the data holds." if c.get("warning") else
             f"Default moved to fit the data: --{c['option']} {c['value']} ({c['why']}); pass --{c['option']} "
             "to choose." for c in chosen]
    if window:
        notes.append(window_note(window))
    if truncated:
        years = f"Year {truncated[0]} is" if len(truncated) == 1 else f"Years {', '.join(map(str, truncated))} are"
        notes.append(f"{years} truncated: the data ends {end.isoformat()}, before "
                     "their filings are all published (18 months) and their families complete (30 months); "
                     "their counts are too low.")
    return notes


def window_note(w: dict) -> str:
    """How many of the lake's (landscape's) families the year window leaves out, and why."""
    basis, of = w["year_basis"], w["of"]
    if w["years"] is None:
        text = f"--years all: every one of the {of}'s {w['families']:,} families counts"
        if w["no_year"]:
            text += (f"; {w['no_year']:,} of them have no {basis} year, so they count in families and shares but "
                     "in no year of the time series")
        return text + "."
    lo, hi = w["years"]
    text = f"The window {lo}-{hi} ({basis} years) holds {w['in_window']:,} of the {of}'s {w['families']:,} families"
    left = [f"{w['outside']:,} {_has(w['outside'])} a {basis} year outside it" if w["outside"] else None,
            f"{w['no_year']:,} {_has(w['no_year'])} no {basis} year" if w["no_year"] else None]
    left = [x for x in left if x]
    if left:
        text += "; left out: " + " and ".join(left) + " (--years all keeps every family)"
    return text + "."


def _has(n: int) -> str:
    return "has" if n == 1 else "have"


#: Why a rate whose measure's inputs are present still has no value for any compared family.
EMPTY_WHY = {
    "share_filed_abroad": "no compared family has a priority office, and filed abroad is defined against it (a "
                          "member at an office other than the first-filing office); 'outside' "
                          "(share_outside_group_office: a member at an office other than the group's own) is the "
                          "reach measure that needs none",
    "share_outside_group_office": "it is measured against the group's own country or office, and no compared "
                                  "family has a known group",
    "grant_rate": "no compared family's fate is known: each is still pending (neither granted nor past the "
                  "pending years before the data ends)",
}


def measures_the_lake_can(session, rows: list[dict], prof: dict | None = None, measured: dict | None = None,
                          conv: Conventions | None = None) -> tuple[dict, list[str]]:
    """Each rate's status on this lake (``capabilities``: computed / reported / lower bound /
    absent, with the reason). A rate whose measure the lake cannot compute is NULL in every row,
    never a number built from nothing; reported and lower-bound rates are said so. ``measured``
    (families with a value per rate key): a rate no compared family has a value of is absent
    too, with its own reason (filed abroad needs the priority office: CSET has none). The
    windowed citation count (``fwd_cits_5``, the drill-down's second measure) is listed too."""
    from ..profile import profile

    status = (prof or profile(session))["measures"]
    out, notes, empty = {}, [], []
    for rate in RATES.values():
        if rate.measure is None:
            continue
        got = dict(status[rate.measure])
        if (got["status"] != "absent" and measured is not None and not measured.get(rate.key)
                and rate.measure != "cohort" and (rate.key != "share_outside_group_office" or _country_like(conv))):
            got = {"status": "absent", "reason": EMPTY_WHY.get(rate.key, "no compared family has a value")}
            empty.append(rate.key)
        out[rate.key] = {"measure": rate.measure, **got}
        if got["status"] == "absent":
            for row in rows:
                row[rate.key] = None
                row.pop(f"{rate.key}_ci", None)
    out["fwd_cits_5"] = {"measure": "fwd_cits_windowed", **status["fwd_cits_windowed"]}
    absent = sorted({v["measure"] for k, v in out.items() if v["status"] == "absent" and k not in empty})
    if absent:
        notes.append("Not measurable on this lake, so left empty: " + "; ".join(
            f"{m} ({status[m]['reason']})" for m in absent) + ".")
    if empty:
        notes.append("Not measurable on this lake's compared families, so left empty although the inputs of its "
                     "measure are present: " + "; ".join(f"{k} ({out[k]['reason']})" for k in empty) + ".")
    if status["reach"]["status"] == "lower bound":
        lower = [r for r in rows if (r.get("share_reach_lower_bound") or 0) > 0]
        share = f" for up to {100 * max(r['share_reach_lower_bound'] for r in lower):.0f} % of a group's families" \
            if lower else ""
        notes.append(f"Reach (filed abroad, outside the group's office, IP5, triadic) is a lower bound{share}: "
                     f"{status['reach']['reason']}.")
    if status["fwd_cits_total"]["status"] == "reported":
        notes.append("mean_fwd_cits_total is the lifetime forward-citation count the source reports "
                     "(e.g. Lens \"Cited by Patent Count\"), not a recount; windowed citations need citation lists.")
    return out, notes


def _country_like(conv) -> bool:
    from ..attribution import GROUPINGS

    return conv is not None and conv.by in GROUPINGS and GROUPINGS[conv.by].country_like


def notes(totals: dict, conv: Conventions, measures: dict | None = None) -> list[str]:
    notes = []
    no_lists = measures and measures.get("mean_fwd_cits_5_rel", {}).get("status") == "absent"
    if no_lists:
        pass  # said by _measures_the_lake_can
    elif not totals["complete"]:
        notes.append("No family here has a complete 5-year forward-citation window (or the lake has no citations): "
                     "citation measures and the quality-adjusted count are not shown; compare on the early "
                     f"indicators ({_early(measures, 'reach, IP5/triadic, grant rate')}).")
    else:
        notes.append(f"Citation measures cover the {totals['complete']:,} of {totals['families']:,} families with a "
                     f"complete 5-year window (years {totals['complete_from']}-{totals['complete_to']}); "
                     f"later years count only in the early indicators ({_early(measures, 'reach, grant')}).")
    if totals.get("reported") and not (measures and measures.get("mean_fwd_cits_total", {}).get("status") == "reported"):
        notes.append(f"{totals['reported']:,} families use forward-citation counts reported by the source "
                     "(e.g. Lens), not computed from citation records.")
    if conv.counting == "whole":
        notes.append("Whole counting: a family with several groups counts once for each, so shares can sum past 100%.")
    else:
        notes.append("Reach shares (filed abroad, outside the group's office, IP5, triadic) count each family whole "
                     "even under fractional counting: fractional weights would shrink exactly the multi-office "
                     "families they count.")
    return notes


def _early(measures: dict | None, listed: str) -> str:
    """The early indicators the comparison shows: claims only where the lake has them."""
    absent = (measures or {}).get("mean_claims", {}).get("status") == "absent"
    return listed if absent else listed + ", claims"


def family_sets(totals: dict, conv: Conventions) -> dict:
    """The two family sets of a comparison and which one each figure uses."""
    years = list(conv.years) if isinstance(conv.years, tuple) else None
    matched = conv.window == "matched"
    return {
        "count": {"families": totals["families"], "years": years,
                  "what": "every family of the window: families, share, rank"},
        "quality": {"families": totals["complete"], "years": [totals["complete_from"], totals["complete_to"]]
                    if totals["complete"] else None,
                    "what": "families with a complete 5-year citation window: quality-adjusted (top 10 %) and "
                            "top 1 % counts, citation measures"},
        "gap_rank_shift_scatter": "quality" if matched else "count",
        "window": conv.window,
    }


def set_notes(totals: dict, conv: Conventions, ranked: int, groups: int) -> list[str]:
    out = []
    if totals["complete"]:
        if conv.window == "matched":
            out.append(f"Matched families: the gap, rank shift and count-vs-quality scatter set the count share over the "
                       f"{totals['complete']:,} families with a complete citation window (years "
                       f"{totals['complete_from']}-{totals['complete_to']}) against the quality-adjusted share over the "
                       f"same families; families, share and rank count all {totals['families']:,} (--window all sets "
                       "the full-window share against quality instead).")
        else:
            out.append(f"--window all: the gap and rank shift set the share of all {totals['families']:,} families "
                       f"against the quality-adjusted share over the {totals['complete']:,} with a complete citation "
                       "window: different families, so growing groups look worse on quality than they are.")
    floor = conv.min_families or 0
    unranked = groups - ranked
    if unranked:
        why = [f"fewer than {floor} families" if floor else None,
               "UNKNOWN is not a group" if conv.unknown == "show" else None]
        out.append(f"{unranked} group(s) unranked ({' or '.join(w for w in why if w)}): shown greyed, without rank, "
                   "rank shift or gap ranking (--min-families, --unknown rank).")
    return out
