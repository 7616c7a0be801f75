"""The written summary at the top of the report, generated from the numbers (nothing hand-written)."""

from __future__ import annotations


def _pct(v) -> str:
    return "n/a" if v is None else f"{100 * v:.1f}%"


def _name(row) -> str:
    return str(row["group"])


def summary_paragraphs(comparison) -> list[str]:
    conv, rows = comparison.conventions, [r for r in comparison.rows if r["group"] != "UNKNOWN"]
    if not rows:
        return ["No group has families under these conventions."]
    by = conv["by"].replace("-", " ")
    years = f"{conv['years'][0]}–{conv['years'][1]}" if conv.get("years") else "all years"
    total = comparison.totals.get("families", 0)
    lead = rows[0]
    out = [f"{total:,} families{' of the ' + conv['landscape'] + ' landscape' if conv.get('landscape') else ''} "
           f"({conv['year_basis']} years {years}), grouped by {by} with {conv['counting']} counting. "
           f"By number, {_name(lead)} leads with {lead['families']:,.0f} families ({_pct(lead['share'])})"
           + (f", ahead of {_name(rows[1])} ({_pct(rows[1]['share'])})." if len(rows) > 1 else ".")]
    qa = [r for r in rows if r.get("quality_adjusted_rank")]
    if qa:
        best = min(qa, key=lambda r: r["quality_adjusted_rank"])
        up = max(qa, key=lambda r: r["rank_shift"])
        down = min(qa, key=lambda r: r["rank_shift"])
        text = (f"Counting only families in the top 10% of their cohort by 5-year forward citations, "
                f"{_name(best)} leads with {_pct(best['quality_adjusted_share'])} of those families"
                + (f" against {_pct(best['share'])} of all families." if best is not lead else "."))
        if up["rank_shift"] > 0:
            text += f" {_name(up)} moves up {up['rank_shift']} place(s) when quality counts"
            text += (f"; {_name(down)} moves down {-down['rank_shift']}." if down["rank_shift"] < 0 else ".")
        gap = max(qa, key=lambda r: r["number_over_quality_gap"] or 0)
        if (gap["number_over_quality_gap"] or 0) > 0:
            text += (f" The largest number-over-quality gap is {_name(gap)}'s: {_pct(gap['share'])} of families but "
                     f"{_pct(gap['quality_adjusted_share'])} of highly cited ones.")
        out.append(text)
    # only ranked groups are compared: an unranked one (too few families, UNKNOWN) is noise here
    abroad = [r for r in rows if r.get("share_filed_abroad") is not None and r.get("ranked", True)]
    if len(abroad) > 1:
        hi = max(abroad, key=lambda r: r["share_filed_abroad"])
        lo = min(abroad, key=lambda r: r["share_filed_abroad"])
        out.append(f"Reach: {_pct(lo['share_filed_abroad'])} of {_name(lo)}'s families were filed abroad, against "
                   f"{_pct(hi['share_filed_abroad'])} of {_name(hi)}'s.")
    models = [m for m in comparison.notable_models if m.get("models_per_1000_families") is not None
              and m["group"] != "UNKNOWN" and m["families"] >= 100]
    if len(models) > 1:
        top = max(models, key=lambda m: m["models_per_1000_families"])
        big = max(models, key=lambda m: m["families"])
        if top is not big:
            out.append(f"Real-world output: {_name(top)} has {top['models_per_1000_families']:.1f} notable AI models "
                       f"(Epoch) per 1,000 patent families, {_name(big)} {big['models_per_1000_families']:.1f}.")
    sens = comparison.sensitivity
    if sens:
        taus = [v for v in sens["variants"] if v.get("kendall_tau") is not None and v["variant"] != "baseline"]
        if taus:
            worst = min(taus, key=lambda v: v["kendall_tau"])
            out.append(f"Sensitivity: the ranking is most affected by switching to {worst['variant']} "
                       f"(Kendall's tau {worst['kendall_tau']:.2f} against the baseline).")
    return out + list(comparison.notes)
