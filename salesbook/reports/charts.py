"""SVG charts (bar, line, pie, radar) drawn as plain markup: no JavaScript, so WeasyPrint and any browser
render them the same, and they survive black-and-white printing (hatch patterns, marker shapes, dash
styles and direct value labels carry the meaning, not colour alone).

Every function takes plain data plus a ``Formatter`` and returns a ``Markup`` string; all text is
escaped here because chart labels come from workbook cells.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

from markupsafe import Markup

from salesbook.reports.formatting import Formatter

FONT = "SB CJK Sans, Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
INK = "#1f2937"
GRID = "#d1d5db"
# Fill i: (base colour, pattern) -- distinguishable by pattern alone when printed in grey.
FILLS = ("#1e3a5f", "#5b8db8", "#a7c4de", "#6b7280", "#c2410c", "#d6d3d1", "#15803d")
PATTERNS = ("solid", "diag", "dots", "cross", "horiz", "vert", "solid")
DASHES = ("", "6 3", "2 3", "8 3 2 3")
MARKERS = ("circle", "square", "triangle", "diamond")


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _n(x: float) -> str:
    """Short, stable number text for coordinates (identical bytes run to run)."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _defs(uid: str, body: str) -> str:
    """The hatch patterns this chart uses (only those: fewer elements, faster PDF); ids carry the chart's
    prefix so several charts can share a page."""
    out = []
    for i, (colour, kind) in enumerate(zip(FILLS, PATTERNS, strict=True)):
        if kind == "solid" or f"url(#{uid}p{i})" not in body:
            continue
        motif = {
            "diag": f'<path d="M0 6L6 0M-1 1L1 -1M5 7L7 5" stroke="{INK}" stroke-width="1.2"/>',
            "dots": f'<circle cx="3" cy="3" r="1.3" fill="{INK}"/>',
            "cross": f'<path d="M0 0L6 6M6 0L0 6" stroke="{INK}" stroke-width="0.8"/>',
            "horiz": f'<path d="M0 3H6" stroke="{INK}" stroke-width="1.2"/>',
            "vert": f'<path d="M3 0V6" stroke="{INK}" stroke-width="1.2"/>',
        }[kind]
        out.append(f'<pattern id="{uid}p{i}" width="6" height="6" patternUnits="userSpaceOnUse">'
                   f'<rect width="6" height="6" fill="{colour}"/>{motif}</pattern>')
    return f"<defs>{''.join(out)}</defs>"


def _fill(uid: str, i: int) -> str:
    i %= len(FILLS)
    return FILLS[i] if PATTERNS[i] == "solid" else f"url(#{uid}p{i})"


def _svg(uid: str, width: int, height: int, title: str, body: Sequence[str]) -> Markup:
    inner = "".join(body)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{_e(title)}" font-family="{FONT}" '
        f'font-size="10" fill="{INK}"><title>{_e(title)}</title>{_defs(uid, inner)}{inner}</svg>')


# Markers are path data (``_marker_d``) painted per kind as below. Every marker of a series goes into one
# <path>, and so do grid lines and bars: WeasyPrint draws an SVG node by node and paints a hatch pattern
# afresh for every shape that uses it, so fewer, longer paths print the same picture for less work.
_MARKER_PAINT = {
    "circle": f'fill="{INK}"',
    "square": f'fill="#fff" stroke="{INK}" stroke-width="1.2"',
    "triangle": f'fill="{INK}"',
    "diamond": f'fill="#fff" stroke="{INK}" stroke-width="1.2"',
}


def _marker_d(kind: str, x: float, y: float, r: float) -> str:
    if kind == "square":
        return f"M{_n(x - r)} {_n(y - r)}h{_n(2 * r)}v{_n(2 * r)}h{_n(-2 * r)}Z"
    if kind == "triangle":
        return f"M{_n(x)} {_n(y - r * 1.2)}L{_n(x - r * 1.1)} {_n(y + r * 0.8)}L{_n(x + r * 1.1)} {_n(y + r * 0.8)}Z"
    if kind == "diamond":
        return f"M{_n(x)} {_n(y - r * 1.3)}L{_n(x + r * 1.3)} {_n(y)}L{_n(x)} {_n(y + r * 1.3)}L{_n(x - r * 1.3)} {_n(y)}Z"
    return f"M{_n(x - r)} {_n(y)}a{_n(r)} {_n(r)} 0 1 0 {_n(2 * r)} 0a{_n(r)} {_n(r)} 0 1 0 {_n(-2 * r)} 0Z"


def _markers(kind: str, points: Sequence[tuple[float, float]], r: float = 3.2) -> str:
    """All markers of one series as a single path."""
    if not points:
        return ""
    return f'<path d="{"".join(_marker_d(kind, x, y, r) for x, y in points)}" {_MARKER_PAINT[kind]}/>'


def _strokes(d: Sequence[str], colour: str, width: float) -> str:
    """Several unfilled lines or outlines in one colour as a single path."""
    return f'<path d="{"".join(d)}" fill="none" stroke="{colour}" stroke-width="{_n(width)}"/>' if d else ""


def _legend(uid: str, names: Sequence[str], x: float, y: float, kind: str = "box") -> str:
    out, cx = [], x
    for i, name in enumerate(names):
        if kind == "box":
            out.append(f'<rect x="{_n(cx)}" y="{_n(y - 8)}" width="12" height="9" fill="{_fill(uid, i)}" stroke="{INK}" stroke-width="0.6"/>')
        else:
            dash = DASHES[i % len(DASHES)]
            out.append(f'<line x1="{_n(cx)}" y1="{_n(y - 4)}" x2="{_n(cx + 16)}" y2="{_n(y - 4)}" stroke="{INK}" '
                       f'stroke-width="1.5"{f" stroke-dasharray={chr(34)}{dash}{chr(34)}" if dash else ""}/>')
            out.append(_markers(MARKERS[i % len(MARKERS)], [(cx + 8, y - 4)], 2.6))
        label = str(name)
        out.append(f'<text x="{_n(cx + 19)}" y="{_n(y)}">{_e(label)}</text>')
        cx += 30 + _text_width(label, 10)
    return "".join(out)


def _halo_labels(labels: Sequence[tuple[str, float, float]], size: float) -> str:
    """Value labels on white backings (one path for all of them, drawn first), so neither the polygons nor
    the target line nor a neighbour's backing ever runs through a label's digits."""
    if not labels:
        return ""
    widths = [_text_width(text, size) + 2 for text, _, _ in labels]
    backing = "".join(f"M{_n(x - 1)} {_n(y - size)}h{_n(w)}v{_n(size + 2)}h{_n(-w)}Z"
                      for (_, x, y), w in zip(labels, widths, strict=True))
    texts = "".join(f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}">{_e(text)}</text>' for text, x, y in labels)
    return f'<path d="{backing}" fill="#fff" fill-opacity="0.85"/>{texts}'


def _text_width(text: str, size: float) -> float:
    """Rough advance width: CJK glyphs are square, Latin about half as wide."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.56 for ch in text)


def _scale(values: Sequence[float | None]) -> tuple[float, float]:
    """A 'nice' axis maximum and step covering the data (0 at the bottom)."""
    top = max([v for v in values if v is not None and math.isfinite(v)] + [0.0])
    if top <= 0:
        return 1.0, 0.25
    raw = top / 4
    mag = 10 ** math.floor(math.log10(raw))
    step = next(s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw)
    return step * math.ceil(top / step - 1e-9), step


def bar_chart(categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], fmt: Formatter, *,
              title: str, uid: str, width: int = 340, height: int = 200,
              label: Callable[[float], str] | None = None, reference: float | None = None,
              future: Sequence[bool] = ()) -> Markup:
    """Grouped vertical bars with a value label over each bar of the last series.

    A label is drawn only where its box (``label_box``) is clear of every bar and every label already
    placed; where there is no room it is left out rather than drawn over a neighbour. Categories marked in
    ``future`` (months after the as-of date) draw their bars as dashed outlines: a plan, not a result.
    """
    label = label or fmt.compact
    left, right, top, bottom = 52, 8, 26, 34
    pw, ph = width - left - right, height - top - bottom
    vmax, step = _scale([v for _, vals in series for v in vals] + ([reference] if reference else []))
    body = []
    body.extend(_grid(left, top, pw, ph, vmax, step, label))
    n, k = max(len(categories), 1), max(len(series), 1)
    group = pw / n
    bw = min(group * 0.8 / k, 28)
    bars: list[list[str]] = [[] for _ in series]  # path data per series: one patterned shape each
    planned: list[str] = []
    boxes: list[tuple[float, float, float, float]] = []    # every bar, to keep labels off them
    wanted: list[tuple[str, float, float]] = []            # (text, centre x, baseline y)
    texts = []
    for ci, cat in enumerate(categories):
        gx = left + ci * group + (group - bw * k) / 2
        later = ci < len(future) and future[ci]
        for si, (_, vals) in enumerate(series):
            v = vals[ci] if ci < len(vals) else None
            if v is None or not math.isfinite(v):
                continue
            h = max(v, 0) / vmax * ph
            x, y0 = gx + si * bw, top + ph - h
            if h > 0:
                (planned if later else bars[si]).append(f"M{_n(x)} {_n(y0)}h{_n(bw - 1)}v{_n(h)}h{_n(1 - bw)}Z")
                boxes.append((x, y0, x + bw - 1, top + ph))
            if si == k - 1 and not later:
                wanted.append((label(v), x + bw / 2, y0 - 2))
        texts.append(f'<text x="{_n(left + ci * group + group / 2)}" y="{top + ph + 12}" text-anchor="middle" font-size="8.5">'
                     f'{_e(_clip(cat, group, 8.5))}</text>')
    placed: list[tuple[float, float, float, float]] = []
    for text, cx, baseline in wanted:
        box = label_box(text, cx, baseline, LABEL_SIZE)
        if box[0] < 0 or box[2] > width or any(_overlap(box, b) for b in (*boxes, *placed)):
            continue
        placed.append(box)
        texts.append(f'<text x="{_n(cx)}" y="{_n(baseline)}" text-anchor="middle" font-size="{LABEL_SIZE}">{_e(text)}</text>')
    body.extend(f'<path d="{"".join(d)}" fill="{_fill(uid, si)}" stroke="{INK}" stroke-width="0.5"/>'
                for si, d in enumerate(bars) if d)
    if planned:
        body.append(f'<path d="{"".join(planned)}" fill="none" stroke="{INK}" stroke-width="0.6" stroke-dasharray="2 1.5"/>')
    body.extend(texts)
    if reference:
        py = top + ph - reference / vmax * ph
        body.append(f'<line x1="{left}" y1="{_n(py)}" x2="{left + pw}" y2="{_n(py)}" stroke="{INK}" stroke-width="1" stroke-dasharray="5 3"/>')
    body.append(f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" stroke="{INK}" stroke-width="0.8"/>')
    body.append(_legend(uid, [name for name, _ in series], left, 12))
    return _svg(uid, width, height, title, body)


LABEL_SIZE = 6.5


def label_width(text: str, size: float) -> float:
    """Advance width of a value label, on the generous side of the report font's (Noto Sans CJK) metrics:
    digits and the currency signs 0.555 em, '%' 0.921, capitals up to 0.812, CJK 1 em."""
    em = 0.0
    for ch in text:
        if ord(ch) > 0x2E80:
            em += 1.0
        elif ch == "%":
            em += 0.93
        elif ch.isupper():
            em += 0.82
        else:
            em += 0.56
    return em * size


def label_box(text: str, cx: float, baseline: float, size: float) -> tuple[float, float, float, float]:
    """The box (x0, y0, x1, y1) a centred value label covers: from a full em above its baseline to the
    descent below it, with half a unit of air on each side."""
    w = label_width(text, size) + 1.0
    return cx - w / 2, baseline - size, cx + w / 2, baseline + 0.25 * size


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _grid(left: float, top: float, pw: float, ph: float, vmax: float, step: float,
          label: Callable[[float], str]) -> list[str]:
    """Horizontal grid lines; the value axis labels every other line (text is the costly part to print)."""
    lines, texts, i = [], [], 0
    while i * step <= vmax + 1e-9:
        y = i * step
        py = top + ph - y / vmax * ph
        lines.append(f"M{_n(left)} {_n(py)}H{_n(left + pw)}")
        if i % 2 == 0:
            texts.append(f'<text x="{left - 4}" y="{_n(py + 3)}" text-anchor="end" font-size="8">{_e(label(y))}</text>')
        i += 1
    return [_strokes(lines, GRID, 0.6), *texts]


def _clip(text: str, room: float, size: float) -> str:
    text = str(text)
    while len(text) > 1 and _text_width(text, size) > room - 2:
        text = text[:-2] + "…"
    return text


def line_chart(categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], fmt: Formatter, *,
               title: str, uid: str, width: int = 340, height: int = 200,
               label: Callable[[float], str] | None = None) -> Markup:
    """Lines with a different dash and marker per series, and the last value written next to each line."""
    label = label or fmt.compact
    left, right, top, bottom = 52, 74, 26, 30
    pw, ph = width - left - right, height - top - bottom
    vmax, step = _scale([v for _, vals in series for v in vals])
    body = []
    body.extend(_grid(left, top, pw, ph, vmax, step, label))
    n = len(categories)
    dx = pw / max(n - 1, 1)
    for ci, cat in enumerate(categories):
        body.append(f'<text x="{_n(left + ci * dx)}" y="{top + ph + 12}" text-anchor="middle" font-size="8.5">{_e(cat)}</text>')
    ends: list[float] = []
    for si, (_, vals) in enumerate(series):
        pts = [(left + ci * dx, top + ph - v / vmax * ph) for ci, v in enumerate(vals)
               if v is not None and math.isfinite(v)]
        if not pts:
            continue
        dash = DASHES[si % len(DASHES)]
        body.append(f'<polyline points="{" ".join(f"{_n(x)},{_n(y)}" for x, y in pts)}" fill="none" stroke="{INK}" '
                    f'stroke-width="1.6"{f" stroke-dasharray={chr(34)}{dash}{chr(34)}" if dash else ""}/>')
        body.append(_markers(MARKERS[si % len(MARKERS)], pts))
        last = [v for v in vals if v is not None and math.isfinite(v)][-1]
        ly = pts[-1][1] + 3
        while any(abs(ly - e) < 10 for e in ends):  # keep end labels from overlapping
            ly += 10
        ends.append(ly)
        body.append(f'<text x="{_n(pts[-1][0] + 7)}" y="{_n(ly)}" font-size="8.5">{_e(label(last))}</text>')
    body.append(f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" stroke="{INK}" stroke-width="0.8"/>')
    body.append(_legend(uid, [name for name, _ in series], left, 12, kind="line"))
    return _svg(uid, width, height, title, body)


def pie_chart(slices: Sequence[tuple[str, float]], fmt: Formatter, *, title: str, uid: str,
              width: int = 340, height: int = 190, max_slices: int = 6, other: str = "Other",
              amounts: bool = False) -> Markup:
    """Pie with hatch-patterned slices and a key beside it: pattern, name, share (and amount)."""
    data = [(str(k), float(v)) for k, v in slices if v is not None and math.isfinite(v) and v > 0]
    data.sort(key=lambda kv: (-kv[1], kv[0]))
    if len(data) > max_slices:
        data = [*data[:max_slices - 1], (other, sum(v for _, v in data[max_slices - 1:]))]
    total = sum(v for _, v in data)
    r = min(height / 2 - 10, width * 0.2)
    cx, cy = r + 10, height / 2
    body = []
    if total <= 0:
        body.append(f'<text x="{_n(width / 2)}" y="{_n(height / 2)}" text-anchor="middle">–</text>')
        return _svg(uid, width, height, title, body)
    angle = -math.pi / 2
    for i, (_, v) in enumerate(data):
        frac = v / total
        a2 = angle + frac * 2 * math.pi
        if frac >= 0.9999:
            body.append(f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(r)}" fill="{_fill(uid, i)}" stroke="#fff" stroke-width="1"/>')
        else:
            x1, y1 = cx + r * math.cos(angle), cy + r * math.sin(angle)
            x2, y2 = cx + r * math.cos(a2), cy + r * math.sin(a2)
            large = 1 if frac > 0.5 else 0
            body.append(f'<path d="M{_n(cx)} {_n(cy)}L{_n(x1)} {_n(y1)}A{_n(r)} {_n(r)} 0 {large} 1 {_n(x2)} {_n(y2)}Z" '
                        f'fill="{_fill(uid, i)}" stroke="#fff" stroke-width="1"/>')
        angle = a2
    # the key beside the pie: pattern swatch, name and share, in slice order (clockwise from 12 o'clock);
    # where a name and its share do not fit on one line, the share goes under the name, so that product
    # names are printed whole rather than cut
    lx = cx + r + 16
    room = width - lx - 20
    tails = [fmt.percent(v / total) + (f"  {fmt.compact(v)}" if amounts else "") for _, v in data]
    one_line = all(_text_width(f"{name}  {tail}", 9.5) <= room - 2 for (name, _), tail in zip(data, tails, strict=True))
    step = 18 if one_line else 27
    y0 = cy - (len(data) - 1) * step / 2 - (0 if one_line else 5)
    for i, ((name, _), tail) in enumerate(zip(data, tails, strict=True)):
        y = y0 + i * step
        body.append(f'<rect x="{_n(lx)}" y="{_n(y - 9)}" width="13" height="11" fill="{_fill(uid, i)}" stroke="{INK}" stroke-width="0.6"/>')
        if one_line:
            body.append(f'<text x="{_n(lx + 18)}" y="{_n(y)}" font-size="9.5">{_e(name)}  {_e(tail)}</text>')
        else:
            body.append(f'<text x="{_n(lx + 18)}" y="{_n(y)}" font-size="9.5">{_e(_clip(name, room, 9.5))}</text>')
            body.append(f'<text x="{_n(lx + 18)}" y="{_n(y + 11)}" font-size="8.5">{_e(tail)}</text>')
    return _svg(uid, width, height, title, body)


def radar_chart(axes: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], fmt: Formatter, *,
                title: str, uid: str, width: int = 380, height: int = 230, ceiling: float = 1.5) -> Markup:
    """Radar of KPI scores (1.0 = on target): rings at 50/100/150 %, a dashed target polygon, labelled points."""
    n = len(axes)
    cx, cy, r = width / 2, height / 2 + 10, height / 2 - 34
    body = []
    if n < 3:
        return bar_chart(list(axes), series, fmt, title=title, uid=uid, width=width, height=height,
                         label=lambda v: fmt.percent(v, 0))
    top = max([ceiling] + [v for _, vals in series for v in vals if v is not None and math.isfinite(v)])
    top = math.ceil(top * 2) / 2

    def point(i: int, v: float) -> tuple[float, float]:
        a = -math.pi / 2 + 2 * math.pi * i / n
        rr = r * max(min(v, top), 0) / top
        return cx + rr * math.cos(a), cy + rr * math.sin(a)

    web, ring = [], 0.5  # rings at every 50 % and a spoke per axis: one grey path
    while ring <= top + 1e-9:
        web.append("M" + "L".join(f"{_n(x)} {_n(y)}" for x, y in (point(i, ring) for i in range(n))) + "Z")
        ring += 0.5
    names = []
    for i, name in enumerate(axes):
        x, y = point(i, top)
        web.append(f"M{_n(cx)} {_n(cy)}L{_n(x)} {_n(y)}")
        lx, ly = cx + (x - cx) * 1.1, cy + (y - cy) * 1.1
        anchor = "middle" if abs(lx - cx) < 8 else ("start" if lx > cx else "end")
        names.append(f'<text x="{_n(lx)}" y="{_n(ly + 3)}" text-anchor="{anchor}" font-size="9">{_e(name)}</text>')
    body.append(_strokes(web, GRID, 0.7))
    body.extend(names)
    labels: list[tuple[str, float, float]] = []
    for si, (_, vals) in enumerate(series):
        pts = [point(i, v if v is not None and math.isfinite(v) else 0.0) for i, v in enumerate(vals)]
        dash = DASHES[si % len(DASHES)]
        fill = "none" if si else _fill(uid, 2)
        opacity = "" if si else ' fill-opacity="0.55"'
        body.append(f'<polygon points="{" ".join(f"{_n(x)},{_n(y)}" for x, y in pts)}" fill="{fill}"{opacity} '
                    f'stroke="{INK}" stroke-width="1.5"{f" stroke-dasharray={chr(34)}{dash}{chr(34)}" if dash else ""}/>')
        if si == 0:
            body.append(_markers(MARKERS[0], pts, 2.6))
            labels += [(fmt.percent(v, 0), x + 4, y - 4) for (x, y), v in zip(pts, vals, strict=False)
                       if v is not None and math.isfinite(v)]
    body.append(_halo_labels(labels, 7.5))  # over every polygon, the dashed target line included
    body.append(_legend(uid, [name for name, _ in series], 8, 12, kind="line"))
    return _svg(uid, width, height, title, body)


# Scenario comparisons: one line or row per scenario, told apart by colour, dash and marker together.
STROKES = ("#1e3a5f", "#c2410c", "#15803d", "#7c3aed", "#6b7280", "#b45309", "#0e7490")
SERIES_DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 3", "4 2 1 2")


def _series_style(i: int) -> tuple[str, str, str]:
    """Colour, dash pattern and marker of the i-th scenario."""
    return STROKES[i % len(STROKES)], SERIES_DASHES[i % len(SERIES_DASHES)], MARKERS[i % len(MARKERS)]


def _dash_attr(dash: str) -> str:
    return f' stroke-dasharray="{dash}"' if dash else ""


def _key_rows(names: Sequence[str], x: float, y: float, width: float, kind: str = "line") -> tuple[list[str], float]:
    """A key laid out in rows that wrap at ``width``: sample line (or swatch) and name per entry."""
    out, cx, cy = [], x, y
    for i, name in enumerate(names):
        w = 30 + _text_width(str(name), 9)
        if cx > x and cx + w > x + width:
            cx, cy = x, cy + 13
        colour, dash, marker = _series_style(i)
        out.append(f'<line x1="{_n(cx)}" y1="{_n(cy - 3)}" x2="{_n(cx + 18)}" y2="{_n(cy - 3)}" stroke="{colour}" '
                   f'stroke-width="1.8"{_dash_attr(dash)}/>')
        out.append(_markers(marker, [(cx + 9, cy - 3)], 2.6).replace(INK, colour))
        out.append(f'<text x="{_n(cx + 22)}" y="{_n(cy)}" font-size="9">{_e(name)}</text>')
        cx += w
    return out, cy


def xy_chart(series: Sequence[tuple[str, Sequence[tuple[float, float]]]], fmt: Formatter, *, title: str, uid: str,
             x_label: Callable[[float], str], y_label: Callable[[float], str] | None = None, width: int = 680,
             height: int = 260, x_ticks: Sequence[float] = (), marks_every: int = 4,
             reference: float | None = None) -> Markup:
    """Lines over a numeric x axis (payout against attainment): one colour, dash and marker per series, a
    marker every ``marks_every`` points, a dashed vertical line at ``reference`` (100% attainment)."""
    y_label = y_label or fmt.compact
    names = [name for name, _ in series]
    key, key_bottom = _key_rows(names, 52, 12, width - 60)
    left, right, top, bottom = 56, 14, key_bottom + 14, 30
    pw, ph = width - left - right, height - top - bottom
    xs = [x for _, pts in series for x, _ in pts]
    x0, x1 = (min(xs), max(xs)) if xs else (0.0, 1.0)
    span = (x1 - x0) or 1.0
    vmax, step = _scale([y for _, pts in series for _, y in pts])
    body = list(key)
    body.extend(_grid(left, top, pw, ph, vmax, step, y_label))

    def px(x: float) -> float:
        return left + (x - x0) / span * pw

    def py(y: float) -> float:
        return top + ph - max(y, 0.0) / vmax * ph

    for t in x_ticks or (x0, x1):
        body.append(f'<text x="{_n(px(t))}" y="{top + ph + 12}" text-anchor="middle" font-size="8.5">{_e(x_label(t))}</text>')
    if reference is not None and x0 <= reference <= x1:
        body.append(f'<line x1="{_n(px(reference))}" y1="{top}" x2="{_n(px(reference))}" y2="{top + ph}" stroke="{INK}" '
                    f'stroke-width="0.8" stroke-dasharray="3 3"/>')
    for i, (_, pts) in enumerate(series):
        colour, dash, marker = _series_style(i)
        shown = [(px(x), py(y)) for x, y in pts if y is not None and math.isfinite(y)]
        if not shown:
            continue
        body.append(f'<polyline points="{" ".join(f"{_n(a)},{_n(b)}" for a, b in shown)}" fill="none" '
                    f'stroke="{colour}" stroke-width="1.6"{_dash_attr(dash)}/>')
        every = shown[(i % max(marks_every, 1))::max(marks_every, 1)]   # staggered so markers do not sit on each other
        body.append(_markers(marker, every, 2.8).replace(INK, colour))
    body.append(f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" stroke="{INK}" stroke-width="0.8"/>')
    return _svg(uid, width, height, title, body)


def range_chart(rows: Sequence[dict], fmt: Formatter, *, title: str, uid: str, labels: dict[str, str],
                width: int = 680, row_height: int = 26) -> Markup:
    """One row per scenario: a bar from P10 to P90, a tick at P50, a diamond at the expectation and a circle at
    the replayed cost. ``rows``: name, p10, p50, p90, expected, replayed; ``labels``: the key's words."""
    left = min(200, max(90, 12 + max((_text_width(str(r["name"]), 9) for r in rows), default=60)))
    right, top, bottom = 16, 34, 30
    height = top + bottom + row_height * max(len(rows), 1)
    pw = width - left - right
    values = [r[k] for r in rows for k in ("p10", "p90", "expected", "replayed")
              if r.get(k) is not None and math.isfinite(r[k])]
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    pad = (hi - lo) * 0.08 or abs(hi) * 0.05 or 1.0
    lo, hi = lo - pad, hi + pad

    def px(v: float) -> float:
        return left + (v - lo) / (hi - lo) * pw

    body = []
    ticks = 5
    grid = []
    for k in range(ticks + 1):
        v = lo + (hi - lo) * k / ticks
        grid.append(f"M{_n(px(v))} {top - 4}V{top + row_height * len(rows)}")
        body.append(f'<text x="{_n(px(v))}" y="{top + row_height * len(rows) + 12}" text-anchor="middle" '
                    f'font-size="8">{_e(fmt.compact(v))}</text>')
    body.insert(0, _strokes(grid, GRID, 0.6))
    for i, r in enumerate(rows):
        y = top + row_height * i + row_height / 2
        colour = _series_style(i)[0]
        body.append(f'<text x="{left - 8}" y="{_n(y + 3)}" text-anchor="end" font-size="9">'
                    f'{_e(_clip(r["name"], left - 10, 9))}</text>')
        if all(r.get(k) is not None and math.isfinite(r[k]) for k in ("p10", "p90")):
            body.append(f'<rect x="{_n(px(r["p10"]))}" y="{_n(y - 6)}" width="{_n(max(px(r["p90"]) - px(r["p10"]), 1))}" '
                        f'height="12" fill="{colour}" fill-opacity="0.25" stroke="{colour}" stroke-width="0.8"/>')
        if r.get("p50") is not None and math.isfinite(r["p50"]):
            body.append(f'<line x1="{_n(px(r["p50"]))}" y1="{_n(y - 8)}" x2="{_n(px(r["p50"]))}" y2="{_n(y + 8)}" '
                        f'stroke="{colour}" stroke-width="2"/>')
        if r.get("expected") is not None and math.isfinite(r["expected"]):
            body.append(_markers("diamond", [(px(r["expected"]), y)], 3.4).replace(INK, colour))
        if r.get("replayed") is not None and math.isfinite(r["replayed"]):
            body.append(f'<circle cx="{_n(px(r["replayed"]))}" cy="{_n(y)}" r="3" fill="#fff" stroke="{INK}" '
                        f'stroke-width="1.2"/>')
    key = [f'<rect x="{left}" y="8" width="16" height="9" fill="{INK}" fill-opacity="0.25" stroke="{INK}" '
           f'stroke-width="0.8"/><text x="{left + 20}" y="16" font-size="9">{_e(labels["range"])}</text>']
    x = left + 26 + _text_width(labels["range"], 9)
    key.append(f'<line x1="{_n(x + 5)}" y1="7" x2="{_n(x + 5)}" y2="18" stroke="{INK}" stroke-width="2"/>'
               f'<text x="{_n(x + 12)}" y="16" font-size="9">{_e(labels["median"])}</text>')
    x += 20 + _text_width(labels["median"], 9)
    key.append(_markers("diamond", [(x + 5, 12.5)], 3.4) +
               f'<text x="{_n(x + 12)}" y="16" font-size="9">{_e(labels["expected"])}</text>')
    x += 20 + _text_width(labels["expected"], 9)
    key.append(f'<circle cx="{_n(x + 5)}" cy="12.5" r="3" fill="#fff" stroke="{INK}" stroke-width="1.2"/>'
               f'<text x="{_n(x + 12)}" y="16" font-size="9">{_e(labels["replayed"])}</text>')
    body.extend(key)
    return _svg(uid, width, height, title, body)
