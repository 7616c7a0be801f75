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


def _svg(body: list[str], title: str, width: int = W, height: int = H, cls: str = "chart") -> str:
    return (f'<svg class="{cls}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">'
            f"<title>{escape(title)}</title>" + "".join(body) + "</svg>")


def _empty(title: str, why: str) -> str:
    """A labelled empty frame saying why (class ``empty``: the dashboard shows it as one line)."""
    return _svg([f'<rect x="1" y="1" width="{W - 2}" height="{H - 2}" fill="#fafafa" stroke="#ccc"/>',
                 f'<text x="{W / 2}" y="{H / 2}" text-anchor="middle" class="muted">{escape(why)}</text>'], title,
                cls="chart empty")


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


class Labels:
    """Greedy label placement: each label takes the first of a few spots around its point that
    overlaps no label placed before it (biggest points first), or is left to its tooltip."""

    def __init__(self, width: int = W, height: int = H):
        self.boxes: list[tuple[float, float, float, float]] = []
        self.width, self.height = width, height

    def place(self, text: str, x: float, y: float, r: float = 0.0):
        w, h = 6.6 * len(text) + 4, 14
        for dx, dy, anchor in ((0, -r - 4, "middle"), (0, r + 13, "middle"), (r + 4, 4, "start"),
                               (-r - 4, 4, "end"), (0, -r - 17, "middle"), (0, r + 26, "middle")):
            tx, ty = x + dx, y + dy
            left = tx - (w / 2 if anchor == "middle" else w if anchor == "end" else 0)
            box = (left, ty - h + 3, left + w, ty + 3)
            if box[0] < 0 or box[2] > self.width or box[1] < 0 or box[3] > self.height:
                continue
            if all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in self.boxes):
                self.boxes.append(box)
                return tx, ty, anchor
        return None


def _sqrt_ticks(hi: float) -> list[float]:
    """Share ticks that read well on a square-root axis."""
    steps = [0, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.6, 0.8, 1.0]
    ticks = [t for t in steps if t <= hi * 1.0001]
    return ticks if len(ticks) > 1 else [0, hi]


def scatter(points: list[dict], xlabel: str, ylabel: str, title: str, ypct: bool = False,
            parity: bool = False) -> str:
    """Bubbles: ``x`` (a count share), ``y`` (quality), ``size`` (families), ``label``, optional
    ``x_ci`` / ``y_ci`` error bars and ``muted`` (unranked: grey). With ``parity`` both axes are
    shares on a square-root scale and the diagonal marks quality share = count share; else x is
    on a log scale."""
    pts = [p for p in points if p.get("x") is not None and p.get("y") is not None and (parity or p["x"] > 0)]
    if not pts:
        return _empty(title, "no groups with both a count and a quality value")
    pl, pr, pt, pb = M["l"], W - M["r"], M["t"], H - M["b"]
    body: list[str] = []
    if parity:
        top = max(max(p["x"], p["y"], *(p.get("x_ci") or [0]), *(p.get("y_ci") or [0])) for p in pts) * 1.05 or 1.0
        top = min(top, 1.0)
        sx = lambda v: pl + math.sqrt(max(v, 0) / top) * (pr - pl)  # noqa: E731
        sy = lambda v: pb - math.sqrt(max(v, 0) / top) * (pb - pt)  # noqa: E731
        ticks = _sqrt_ticks(top)
        _axes(body, 0, top, 0, top, ticks, ticks, sx, sy, xlabel, ylabel, xpct=True, ypct=True)
        body.append(f'<line x1="{sx(0):.1f}" y1="{sy(0):.1f}" x2="{sx(top):.1f}" y2="{sy(top):.1f}" stroke="#999" '
                    f'stroke-dasharray="5 4"/><text x="{sx(top) - 4:.1f}" y="{sy(top) + 14:.1f}" text-anchor="end" '
                    f'class="tick">quality share = count share</text>')
    else:
        lx = [math.log10(p["x"]) for p in pts]
        x0, x1 = math.floor(min(lx)), math.ceil(max(lx) + 1e-9)
        x1 = max(x1, x0 + 1)
        ys = [p["y"] for p in pts] + [c for p in pts for c in (p.get("y_ci") or [])]
        y0, y1 = min(0.0, min(ys)), max(ys) * 1.15 or 1.0
        sx = lambda v: pl + (math.log10(max(v, 10 ** x0)) - x0) / (x1 - x0) * (pr - pl)  # noqa: E731
        sy = lambda v: pb - (v - y0) / (y1 - y0) * (pb - pt)  # noqa: E731
        _axes(body, x0, x1, y0, y1, [10 ** t for t in range(x0, x1 + 1)], _ticks(y0, y1), sx, sy, xlabel, ylabel,
              ypct=ypct, xfmt=lambda t: f"{100 * t:g}%")
    biggest = max(p["size"] for p in pts) or 1
    labels = Labels()
    marks, texts = [], []
    for i, p in enumerate(sorted(pts, key=lambda p: -p["size"])):
        r = 4 + 22 * math.sqrt(p["size"] / biggest)
        cx, cy = sx(p["x"]), sy(p["y"])
        c = "#aaa" if p.get("muted") else colour_of(p["label"], i)
        name = escape(str(p["label"]))
        for ci, horizontal in ((p.get("x_ci"), True), (p.get("y_ci"), False)):
            if ci:
                a, b = (sx(ci[0]), sx(ci[1])) if horizontal else (sy(ci[0]), sy(ci[1]))
                coords = (f'x1="{a:.1f}" y1="{cy:.1f}" x2="{b:.1f}" y2="{cy:.1f}"' if horizontal
                          else f'x1="{cx:.1f}" y1="{a:.1f}" x2="{cx:.1f}" y2="{b:.1f}"')
                marks.append(f'<line class="errorbar" {coords} stroke="{c}" stroke-width="1.5"/>')
        marks.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="{c}" fill-opacity="0.4" stroke="{c}">'
                     f'<title>{name}: {p["size"]:,.0f} families</title></circle>')
        spot = labels.place(str(p["label"]), cx, cy, r)
        if spot:
            texts.append(f'<text x="{spot[0]:.1f}" y="{spot[1]:.1f}" text-anchor="{spot[2]}" class="label">{name}</text>')
    return _svg(body + marks + texts, title)


def slope(rows: list[dict], left: str, right: str, left_label: str, right_label: str, title: str,
          note: str | None = None) -> str:
    """Rank by ``left`` vs rank by ``right`` for each group, joined by a line, each end with its
    95 % interval (``<key>_ci``) as a whisker; positions are the ranks themselves. Each group's
    whiskers stand at their own offset from the axis, so neighbouring intervals never overlap;
    ``note`` is written under the chart (e.g. which groups are left out)."""
    pts = [r for r in rows if r.get(left) is not None and r.get(right) is not None]
    if not pts:
        return _empty(title, "no quality ranking available (no complete citation windows, or no ranked group)")
    worst = max(max(r[left], r[right], *(r.get(f"{left}_ci") or [0]), *(r.get(f"{right}_ci") or [0])) for r in pts)
    height = max(H, 60 + 26 * len(pts)) + (20 if note else 0)
    pt, pb, xl, xr = 50, height - 30 - (20 if note else 0), 230, W - 230
    lanes = min(len(pts), 6)  # whisker lanes beside each axis
    gutter = 6 + 4 * lanes
    sy = lambda v: pt + (v - 1) / max(worst - 1, 1) * (pb - pt)  # noqa: E731
    body = [f'<text x="{xl}" y="28" text-anchor="middle" class="axis">{escape(left_label)}</text>',
            f'<text x="{xr}" y="28" text-anchor="middle" class="axis">{escape(right_label)}</text>']
    labels = Labels(W, height)
    for i, r in enumerate(sorted(pts, key=lambda r: (r[left], str(r["group"])))):
        c = colour_of(r["group"], i)
        y1, y2 = sy(r[left]), sy(r[right])
        body.append(f'<line x1="{xl}" y1="{y1:.1f}" x2="{xr}" y2="{y2:.1f}" stroke="{c}" stroke-width="2"/>')
        for x, key, side in ((xl, left, -1), (xr, right, 1)):
            ci = r.get(f"{key}_ci")
            if ci:
                wx = x + side * (6 + 4 * (i % lanes))
                body.append(f'<line class="errorbar" x1="{wx}" y1="{sy(ci[0]):.1f}" x2="{wx}" y2="{sy(ci[1]):.1f}" '
                            f'stroke="{c}" stroke-width="3" stroke-opacity="0.6"/>')
        body.append(f'<circle cx="{xl}" cy="{y1:.1f}" r="4" fill="{c}"/><circle cx="{xr}" cy="{y2:.1f}" r="4" fill="{c}"/>')
        for x, y, key, anchor in ((xl - gutter, y1, left, "end"), (xr + gutter, y2, right, "start")):
            text = f"{r[key]}. {r['group']}"
            w = 6.6 * len(text) + 4
            for dy in (0, 12, -12, 24, -24):  # ties: nudge the label, never overlap it
                box = ((x - w) if anchor == "end" else x, y + dy - 10, x if anchor == "end" else x + w, y + dy + 4)
                if all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in labels.boxes):
                    labels.boxes.append(box)
                    body.append(f'<text x="{x}" y="{y + dy + 4:.1f}" text-anchor="{anchor}" class="label">'
                                f'{escape(text)}</text>')
                    break
    if note:
        body.append(f'<text x="{W / 2}" y="{height - 10}" text-anchor="middle" class="tick">{escape(note)}</text>')
    return _svg(body, title, W, height)


def spread(ys: list[float], gap: float = 13.0, lo: float = 0.0, hi: float = float(H)) -> list[float]:
    """Positions for labels wanted at ``ys`` (any order), at least ``gap`` apart, each as near its
    wish as the others allow, kept within [lo, hi]: overlapping neighbours are pushed apart."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    out = [0.0] * len(ys)
    placed: list[float] = []
    for i in order:
        placed.append(max(ys[i], placed[-1] + gap) if placed else max(ys[i], lo))
    if placed and placed[-1] > hi:  # pushed past the bottom: shift the stack up, keeping the gaps
        placed[-1] = hi
        for k in range(len(placed) - 2, -1, -1):
            placed[k] = min(placed[k], placed[k + 1] - gap)
    for i, y in zip(order, placed):
        out[i] = y
    return out


def lines(series: dict, xlabel: str, ylabel: str, title: str, ypct: bool = False, signed: bool = False,
          truncated=(), empty: str = "no yearly data") -> str:
    """``series``: label → [(x, y), ...] (``signed``: the y axis goes below zero when needed).
    ``truncated``: years whose data are incomplete (compare's ``truncated_years``), shaded and
    marked; the lines are dashed into them. End labels are spread apart so none overlaps."""
    pts = [(x, y) for s in series.values() for x, y in s if y is not None]
    if not pts:
        return _empty(title, empty)
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    x0, x1 = min(xs), max(max(xs), min(xs) + 1)
    y0, y1 = (min(0.0, min(ys) * 1.1) if signed else 0.0), max(ys) * 1.1 or 1.0
    if y1 <= y0:
        y1 = y0 + 1.0
    pl, pr, pt, pb = M["l"], W - M["r"] - 90, M["t"], H - M["b"]
    sx = lambda v: pl + (v - x0) / (x1 - x0) * (pr - pl)
    sy = lambda v: pb - (v - y0) / (y1 - y0) * (pb - pt)
    body: list[str] = []
    cut = sorted(int(y) for y in truncated if x0 <= y <= x1)
    if cut:  # shade each truncated year half a year either side of its tick
        half = (pr - pl) / (x1 - x0) / 2 if x1 > x0 else 10
        for y in cut:
            a, b = max(pl, sx(y) - half), min(pr, sx(y) + half)
            body.append(f'<rect class="truncated" x="{a:.1f}" y="{pt}" width="{b - a:.1f}" height="{pb - pt}" '
                        f'fill="#f1f1f1"><title>{y}: truncated (the data end before its families are all '
                        f'published)</title></rect>')
        body.append(f'<text x="{sx(cut[0]) - half + 3:.1f}" y="{pt + 12}" class="tick">truncated</text>')
    _axes(body, x0, x1, y0, y1, list(range(int(x0), int(x1) + 1)), _ticks(y0, y1), sx, sy, xlabel, ylabel,
          ypct=ypct, xfmt=lambda t: str(int(t)))
    ends = []
    for i, (label, s) in enumerate(series.items()):
        s = sorted((x, y) for x, y in s if y is not None)
        if not s:
            continue
        c = colour_of(label, i)
        whole = [p for p in s if p[0] not in cut]
        if cut and len(whole) < len(s):  # dashed from the last complete year into the truncated ones
            firstcut = next(j for j, p in enumerate(s) if p[0] in cut)
            tail = s[max(firstcut - 1, 0):]
            solid = s[:firstcut]
        else:
            solid, tail = s, []
        for part, dash in ((solid, ""), (tail, ' stroke-dasharray="4 3"')):
            if len(part) > 1 or (part and part is solid and not tail):
                path = " ".join(f"{'M' if j == 0 else 'L'}{sx(x):.1f},{sy(y):.1f}" for j, (x, y) in enumerate(part))
                body.append(f'<path d="{path}" fill="none" stroke="{c}" stroke-width="2"{dash}/>')
        ends.append((label, c, sx(s[-1][0]), sy(s[-1][1])))
    placed = [0.0] * len(ends)
    for x in {round(e[2]) for e in ends}:  # labels ending at the same year are spread apart
        idx = [k for k, e in enumerate(ends) if round(e[2]) == x]
        for k, ly in zip(idx, spread([ends[k][3] + 4 for k in idx], 13, pt + 4, pb + 4)):
            placed[k] = ly
    for (label, c, x, y), ly in zip(ends, placed):
        if abs(ly - (y + 4)) > 3:  # moved: a thin leader from the line's end to its label
            body.append(f'<line x1="{x + 1:.1f}" y1="{y:.1f}" x2="{x + 5:.1f}" y2="{ly - 4:.1f}" stroke="{c}" '
                        f'stroke-width="0.8"/>')
        body.append(f'<text x="{x + 6:.1f}" y="{ly:.1f}" class="label" fill="{c}">{escape(str(label))}</text>')
    return _svg(body, title)


def stacked_bars(categories: list[str], groups: list[str], value, title: str, xlabel: str) -> str:
    """Horizontal stacked bars: one bar per category, one segment per group (``value(cat, grp)``)."""
    totals = [sum(value(c, g) for g in groups) for c in categories]
    if not categories or not any(totals):
        return _empty(title, "no categories in this landscape")
    per_row = 3
    legend_rows = (len(groups) + per_row - 1) // per_row
    height = max(160, 40 + 26 * len(categories) + 40 + 18 * legend_rows)
    pl, pr = 250, W - 60
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
    body.append(f'<text x="{(pl + pr) / 2}" y="{40 + 26 * len(categories)}" text-anchor="middle" '
                f'class="axis">{escape(xlabel)}</text>')
    base = 60 + 26 * len(categories)
    for j, g in enumerate(groups):  # the legend below the bars: long group names are never cut
        x, y = 20 + (W - 40) / per_row * (j % per_row), base + 18 * (j // per_row)
        name = str(g) if len(str(g)) <= 34 else str(g)[:33] + "…"
        body.append(f'<rect x="{x:.0f}" y="{y}" width="12" height="12" fill="{colour_of(g, j)}"/>'
                    f'<text x="{x + 18:.0f}" y="{y + 10}" class="label">{escape(name)}<title>{escape(str(g))}'
                    f'</title></text>')
    return _svg(body, title, W, height)


def intervals(rows: list[dict], key: str, title: str, xlabel: str) -> str:
    """Dot-and-whisker: each group's estimate of ``key`` with its ``key_ci`` interval."""
    pts = [r for r in rows if r.get(key) is not None]
    if not pts:
        return _empty(title, f"no values for {key}")
    hi = max((r.get(f"{key}_ci") or [r[key], r[key]])[1] for r in pts)
    hi = max(hi, max(r[key] for r in pts)) * 1.1 or 1.0
    height = 40 + 24 * len(pts) + 40
    longest = max(len(str(r["group"])) for r in pts)
    pl, pr = min(280, max(130, 14 + 6.6 * longest)), W - 40
    sx = lambda v: pl + v / hi * (pr - pl)
    body = []
    for t in _ticks(0, hi):
        body.append(f'<line x1="{sx(t):.1f}" y1="20" x2="{sx(t):.1f}" y2="{height - 40}" stroke="#eee"/>'
                    f'<text x="{sx(t):.1f}" y="{height - 24}" text-anchor="middle" class="tick">{_fmt(t, True)}</text>')
    for i, r in enumerate(pts):
        y = 34 + 24 * i
        grey = ' fill="#999"' if r.get("ranked") is False else ""
        ci = r.get(f"{key}_ci")
        if ci:
            body.append(f'<line x1="{sx(ci[0]):.1f}" y1="{y}" x2="{sx(ci[1]):.1f}" y2="{y}" stroke="{colour_of(r["group"], i)}" '
                        f'stroke-width="3"/>')
        body.append(f'<circle cx="{sx(r[key]):.1f}" cy="{y}" r="5" fill="{colour_of(r["group"], i)}"/>'
                    f'<text x="{pl - 8}" y="{y + 4}" text-anchor="end" class="label"{grey}>'
                    f'{escape(str(r["group"]))}</text>')
    body.append(f'<text x="{(pl + pr) / 2}" y="{height - 6}" text-anchor="middle" class="axis">{escape(xlabel)}</text>')
    return _svg(body, title, W, height)
