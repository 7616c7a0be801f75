"""Inline SVG charts written as plain text: no JavaScript, no chart library, no network.

Each function returns one ``<svg>`` element that always has content: with no data it draws a
labelled empty frame saying so, so a report never shows a blank hole.
"""

from __future__ import annotations

import math
from html import escape

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf", "#393b79", "#637939"]
W, H = 720, 420
M = {"l": 70, "r": 30, "t": 30, "b": 55}


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


#: group → colour, so a group keeps its colour across charts (set per report by ``assign_colours``).
_ASSIGNED: dict = {}


def assign_colours(groups) -> None:
    _ASSIGNED.clear()
    _ASSIGNED.update({str(g): colour(i) for i, g in enumerate(groups)})


def colour_of(label, i: int) -> str:
    return _ASSIGNED.get(str(label), colour(i))


def _svg(body: list[str], title: str, width: int = W, height: int = H) -> str:
    return (f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">'
            f"<title>{escape(title)}</title>" + "".join(body) + "</svg>")


def _empty(title: str, why: str) -> str:
    return _svg([f'<rect x="1" y="1" width="{W - 2}" height="{H - 2}" fill="#fafafa" stroke="#ccc"/>',
                 f'<text x="{W / 2}" y="{H / 2}" text-anchor="middle" class="muted">{escape(why)}</text>'], title)


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi <= lo:
        hi = lo + 1
    step = 10 ** math.floor(math.log10((hi - lo) / n))
    for mult in (1, 2, 5, 10):
        if (hi - lo) / (step * mult) <= n:
            step *= mult
            break
    start = math.floor(lo / step) * step
    out, v = [], start
    while v <= hi + 1e-9:
        if v >= lo - 1e-9:
            out.append(round(v, 10))
        v += step
    return out


def _fmt(v: float, pct: bool = False) -> str:
    if pct:
        return f"{100 * v:.0f}%" if abs(v) >= 0.1 or v == 0 else f"{100 * v:.1f}%"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.2g}"


def _axes(body, x0, x1, y0, y1, xt, yt, sx, sy, xlabel, ylabel, xpct=False, ypct=False, xfmt=None):
    pl, pr, pt, pb = M["l"], W - M["r"], M["t"], H - M["b"]
    body.append(f'<line x1="{pl}" y1="{pb}" x2="{pr}" y2="{pb}" stroke="#333"/>')
    body.append(f'<line x1="{pl}" y1="{pt}" x2="{pl}" y2="{pb}" stroke="#333"/>')
    for t in xt:
        x = sx(t)
        body.append(f'<line x1="{x:.1f}" y1="{pb}" x2="{x:.1f}" y2="{pb + 5}" stroke="#333"/>')
        label = xfmt(t) if xfmt else _fmt(t, xpct)
        body.append(f'<text x="{x:.1f}" y="{pb + 18}" text-anchor="middle" class="tick">{escape(label)}</text>')
    for t in yt:
        y = sy(t)
        body.append(f'<line x1="{pl}" y1="{y:.1f}" x2="{pr}" y2="{y:.1f}" stroke="#eee"/>')
        body.append(f'<text x="{pl - 8}" y="{y + 4:.1f}" text-anchor="end" class="tick">{_fmt(t, ypct)}</text>')
    body.append(f'<text x="{(pl + pr) / 2}" y="{H - 12}" text-anchor="middle" class="axis">{escape(xlabel)}</text>')
    body.append(f'<text transform="translate(16 {(pt + pb) / 2}) rotate(-90)" text-anchor="middle" '
                f'class="axis">{escape(ylabel)}</text>')


def scatter(points: list[dict], xlabel: str, ylabel: str, title: str, ypct: bool = False) -> str:
    """Bubbles: ``x`` (count share, log scale), ``y`` (quality), ``size`` (families), ``label``."""
    pts = [p for p in points if p.get("x") and p.get("y") is not None and p["x"] > 0]
    if not pts:
        return _empty(title, "no groups with both a count and a quality value")
    lx = [math.log10(p["x"]) for p in pts]
    x0, x1 = math.floor(min(lx)), math.ceil(max(lx) + 1e-9)
    x1 = max(x1, x0 + 1)
    ys = [p["y"] for p in pts]
    y0, y1 = min(0.0, min(ys)), max(ys) * 1.15 or 1.0
    pl, pr, pt, pb = M["l"], W - M["r"], M["t"], H - M["b"]
    sx = lambda v: pl + (v - x0) / (x1 - x0) * (pr - pl)
    sy = lambda v: pb - (v - y0) / (y1 - y0) * (pb - pt)
    body: list[str] = []
    _axes(body, x0, x1, y0, y1, list(range(x0, x1 + 1)), _ticks(y0, y1), sx, sy, xlabel, ylabel, ypct=ypct,
          xfmt=lambda t: f"{100 * 10 ** t:g}%")
    biggest = max(p["size"] for p in pts) or 1
    for i, p in enumerate(sorted(pts, key=lambda p: -p["size"])):
        r = 4 + 26 * math.sqrt(p["size"] / biggest)
        cx, cy = sx(math.log10(p["x"])), sy(p["y"])
        c = colour_of(p["label"], i)
        body.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="{c}" fill-opacity="0.45" '
                    f'stroke="{c}"><title>{escape(str(p["label"]))}: {p["size"]:,.0f} families</title></circle>')
        body.append(f'<text x="{cx:.1f}" y="{cy - r - 3:.1f}" text-anchor="middle" class="label">'
                    f'{escape(str(p["label"]))}</text>')
    return _svg(body, title)


def slope(rows: list[dict], left: str, right: str, left_label: str, right_label: str, title: str) -> str:
    """Rank by ``left`` vs rank by ``right`` for each group, joined by a line."""
    pts = [r for r in rows if r.get(left) is not None and r.get(right) is not None]
    if not pts:
        return _empty(title, "no quality ranking available (no complete citation windows)")
    n = len(pts)
    pt, pb, xl, xr = 50, H - 30, 200, W - 200
    # positions follow the order (ties side by side), labels show the rank itself
    pos_l = {id(r): i for i, r in enumerate(sorted(pts, key=lambda r: (r[left], str(r["group"]))))}
    pos_r = {id(r): i for i, r in enumerate(sorted(pts, key=lambda r: (r[right], str(r["group"]))))}
    sy = lambda i: pt + i / max(n - 1, 1) * (pb - pt)
    body = [f'<text x="{xl}" y="28" text-anchor="middle" class="axis">{escape(left_label)}</text>',
            f'<text x="{xr}" y="28" text-anchor="middle" class="axis">{escape(right_label)}</text>']
    for i, r in enumerate(pts):
        c = colour_of(r["group"], i)
        y1, y2 = sy(pos_l[id(r)]), sy(pos_r[id(r)])
        body.append(f'<line x1="{xl}" y1="{y1:.1f}" x2="{xr}" y2="{y2:.1f}" stroke="{c}" stroke-width="2"/>')
        body.append(f'<circle cx="{xl}" cy="{y1:.1f}" r="4" fill="{c}"/><circle cx="{xr}" cy="{y2:.1f}" r="4" fill="{c}"/>')
        body.append(f'<text x="{xl - 10}" y="{y1 + 4:.1f}" text-anchor="end" class="label">{r[left]}. '
                    f'{escape(str(r["group"]))}</text>')
        body.append(f'<text x="{xr + 10}" y="{y2 + 4:.1f}" class="label">{r[right]}. {escape(str(r["group"]))}</text>')
    return _svg(body, title)


def lines(series: dict, xlabel: str, ylabel: str, title: str, ypct: bool = False) -> str:
    """``series``: label → [(x, y), ...]."""
    pts = [(x, y) for s in series.values() for x, y in s if y is not None]
    if not pts:
        return _empty(title, "no yearly data")
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    x0, x1 = min(xs), max(max(xs), min(xs) + 1)
    y0, y1 = 0.0, max(ys) * 1.1 or 1.0
    pl, pr, pt, pb = M["l"], W - M["r"] - 90, M["t"], H - M["b"]
    sx = lambda v: pl + (v - x0) / (x1 - x0) * (pr - pl)
    sy = lambda v: pb - (v - y0) / (y1 - y0) * (pb - pt)
    body: list[str] = []
    _axes(body, x0, x1, y0, y1, list(range(int(x0), int(x1) + 1)), _ticks(y0, y1), sx, sy, xlabel, ylabel,
          ypct=ypct, xfmt=lambda t: str(int(t)))
    for i, (label, s) in enumerate(series.items()):
        s = sorted((x, y) for x, y in s if y is not None)
        if not s:
            continue
        path = " ".join(f"{'M' if j == 0 else 'L'}{sx(x):.1f},{sy(y):.1f}" for j, (x, y) in enumerate(s))
        c = colour_of(label, i)
        body.append(f'<path d="{path}" fill="none" stroke="{c}" stroke-width="2"/>')
        body.append(f'<text x="{sx(s[-1][0]) + 6:.1f}" y="{sy(s[-1][1]) + 4:.1f}" class="label" '
                    f'fill="{c}">{escape(str(label))}</text>')
    return _svg(body, title)


def stacked_bars(categories: list[str], groups: list[str], value, title: str, xlabel: str) -> str:
    """Horizontal stacked bars: one bar per category, one segment per group (``value(cat, grp)``)."""
    totals = [sum(value(c, g) for g in groups) for c in categories]
    if not categories or not any(totals):
        return _empty(title, "no categories in this landscape")
    height = max(160, 40 + 26 * len(categories) + 40)
    pl, pr = 250, W - 150
    top = max(totals)
    body = []
    for i, c in enumerate(categories):
        y, x = 20 + 26 * i, pl
        name = str(c) if len(str(c)) <= 36 else str(c)[:35] + "…"
        body.append(f'<text x="{pl - 8}" y="{y + 14}" text-anchor="end" class="label">{escape(name)}'
                    f'<title>{escape(str(c))}</title></text>')
        for j, g in enumerate(groups):
            w = value(c, g) / top * (pr - pl)
            if w > 0:
                body.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="18" fill="{colour_of(g, j)}">'
                            f'<title>{escape(str(g))}: {value(c, g):,.0f}</title></rect>')
            x += w
        body.append(f'<text x="{x + 4:.1f}" y="{y + 14}" class="tick">{totals[i]:,.0f}</text>')
    for j, g in enumerate(groups):
        body.append(f'<rect x="{W - 130}" y="{20 + 18 * j}" width="12" height="12" fill="{colour_of(g, j)}"/>'
                    f'<text x="{W - 112}" y="{30 + 18 * j}" class="label">{escape(str(g))}</text>')
    body.append(f'<text x="{(pl + pr) / 2}" y="{height - 8}" text-anchor="middle" class="axis">{escape(xlabel)}</text>')
    return _svg(body, title, W, height)


def intervals(rows: list[dict], key: str, title: str, xlabel: str) -> str:
    """Dot-and-whisker: each group's estimate of ``key`` with its ``key_ci`` interval."""
    pts = [r for r in rows if r.get(key) is not None]
    if not pts:
        return _empty(title, f"no values for {key}")
    hi = max((r.get(f"{key}_ci") or [r[key], r[key]])[1] for r in pts)
    hi = max(hi, max(r[key] for r in pts)) * 1.1 or 1.0
    height = 40 + 24 * len(pts) + 40
    pl, pr = 130, W - 40
    sx = lambda v: pl + v / hi * (pr - pl)
    body = []
    for t in _ticks(0, hi):
        body.append(f'<line x1="{sx(t):.1f}" y1="20" x2="{sx(t):.1f}" y2="{height - 40}" stroke="#eee"/>'
                    f'<text x="{sx(t):.1f}" y="{height - 24}" text-anchor="middle" class="tick">{_fmt(t, True)}</text>')
    for i, r in enumerate(pts):
        y = 34 + 24 * i
        ci = r.get(f"{key}_ci")
        if ci:
            body.append(f'<line x1="{sx(ci[0]):.1f}" y1="{y}" x2="{sx(ci[1]):.1f}" y2="{y}" stroke="{colour_of(r["group"], i)}" '
                        f'stroke-width="3"/>')
        body.append(f'<circle cx="{sx(r[key]):.1f}" cy="{y}" r="5" fill="{colour_of(r["group"], i)}"/>'
                    f'<text x="{pl - 8}" y="{y + 4}" text-anchor="end" class="label">{escape(str(r["group"]))}</text>')
    body.append(f'<text x="{(pl + pr) / 2}" y="{height - 6}" text-anchor="middle" class="axis">{escape(xlabel)}</text>')
    return _svg(body, title, W, height)
