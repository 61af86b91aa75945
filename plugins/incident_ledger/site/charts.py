"""Static SVG charts, drawn at build time.

Hand-written SVG keeps charts small, dependency-free and styled by CSS classes,
so they follow Material's light and dark palettes; each carries a title,
a description and a data table as its text alternative.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

DURATION_BUCKETS: tuple[tuple[str, float], ...] = (
    ("< 15 min", 15 * 60),
    ("15–60 min", 3600),
    ("1–2 h", 2 * 3600),
    ("2–6 h", 6 * 3600),
    ("6–24 h", 24 * 3600),
    ("> 1 day", float("inf")),
)


def _chart_id(slug: str) -> str:
    return f"il-{slug}"


def bar_chart(
    slug: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    unit: str,
    markers: Sequence[tuple[int, str]] = (),
) -> Markup:
    """Vertical bars with labels and a data table; `slug` makes element ids unique on a page.

    `markers` are (bar index, label) pairs drawn as vertical lines, e.g. model releases. A value of
    None is a period nobody watched: drawn as a hatched "not tracked" band, never as a bar of 0.
    """
    width, height, pad_left, pad_bottom, pad_top = 640, 220, 36, 36, 16
    top = max((v for v in values if v is not None), default=0) or 1
    plot_h = height - pad_bottom - pad_top
    step = (width - pad_left) / max(len(values), 1)
    bar_w = max(step * 0.7, 1)
    ident = _chart_id(slug)
    parts = [
        f'<svg class="il-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>',
        f'<line class="il-axis" x1="{pad_left}" y1="{height - pad_bottom}" x2="{width}" y2="{height - pad_bottom}"/>',
        f'<text class="il-label" x="{pad_left - 4}" y="{pad_top + 4}" text-anchor="end">{_fmt(top)}</text>',
        f'<text class="il-label" x="{pad_left - 4}" y="{height - pad_bottom}" text-anchor="end">0</text>',
    ]
    label_every = max(1, len(labels) // 8)
    if any(v is None for v in values):
        parts.append(
            f'<defs><pattern id="{ident}-hatch" class="il-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6"/></pattern></defs>'
        )
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = pad_left + index * step + (step - bar_w) / 2
        if value is None:
            parts.append(
                f'<rect class="il-bar--untracked" x="{x:.1f}" y="{pad_top}" width="{bar_w:.1f}" height="{plot_h}" '
                f'fill="url(#{ident}-hatch)"><title>{escape(label)}: not tracked</title></rect>'
            )
        else:
            bar_h = plot_h * value / top
            y = height - pad_bottom - bar_h
            parts.append(
                f'<rect class="il-bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{bar_h:.1f}">'
                f"<title>{escape(label)}: {_fmt(value)} {escape(unit)}</title></rect>"
            )
        if index % label_every == 0:
            parts.append(
                f'<text class="il-label" x="{x + bar_w / 2:.1f}" y="{height - pad_bottom + 16}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    for index, label in markers:
        x = pad_left + index * step + step / 2
        parts.append(
            f'<g class="il-marker"><title>{escape(label)}</title><line x1="{x:.1f}" y1="{pad_top}" x2="{x:.1f}" '
            f'y2="{height - pad_bottom}"/><path d="M{x - 5:.1f} {pad_top - 10} h10 l-5 9 z"/></g>'
        )
    parts.append("</svg>")
    rows = "".join(
        f"<tr><td>{escape(lab)}</td><td>{'not tracked' if val is None else _fmt(val)}</td></tr>"
        for lab, val in zip(labels, values, strict=True)
    )
    table = (
        f'<details class="il-data"><summary>Data table: {escape(title)}</summary>'
        f"<table><thead><tr><th>{escape('Period')}</th><th>{escape(unit.capitalize())}</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></details>"
    )
    return Markup(f'<figure class="il-figure">{"".join(parts)}{table}<figcaption>{escape(title)}</figcaption></figure>')


def duration_histogram(slug: str, durations: Sequence[float]) -> Markup:
    counts = [0] * len(DURATION_BUCKETS)
    for seconds in durations:
        index = next(n for n, (_, limit) in enumerate(DURATION_BUCKETS) if seconds < limit)
        counts[index] += 1
    labels = [label for label, _ in DURATION_BUCKETS]
    desc = ", ".join(f"{label}: {count}" for label, count in zip(labels, counts, strict=True))
    return bar_chart(slug, "Distribution of incident durations", desc, labels, counts, "incidents")


def status_strip(slug: str, days: Sequence[tuple[date, str | None, bool]]) -> Markup:
    """One cell per day, coloured by the worst impact that day, grey where the day was not tracked;
    the text alternative lists the bad days and says how many were tracked."""
    cell, gap = 6, 2
    width = len(days) * (cell + gap)
    ident = _chart_id(slug)
    rects = []
    bad = []
    for index, (day, impact, tracked) in enumerate(days):
        kind = "untracked" if not tracked and impact is None else (impact or "ok")
        label = (
            "not tracked" if kind == "untracked" else (f"worst impact {impact}" if impact else "no reported incident")
        )
        if impact:
            bad.append(f"{day.isoformat()} {impact}")
        rects.append(
            f'<rect class="il-day il-day--{kind}" x="{index * (cell + gap)}" y="0" width="{cell}" height="24" rx="1">'
            f"<title>{day.isoformat()}: {label}</title></rect>"
        )
    tracked_days = sum(1 for _, _, tracked in days if tracked)
    summary = (
        f"{len(bad)} of the last {len(days)} days had a reported incident"
        + (": " + "; ".join(bad) if bad else "")
        + f"; {tracked_days} of {len(days)} days tracked"
        if days
        else "no data"
    )
    first = days[0][0].isoformat() if days else ""
    last = days[-1][0].isoformat() if days else ""
    return Markup(
        f'<div class="il-strip"><svg viewBox="0 0 {width} 24" role="img" aria-labelledby="{ident}-t {ident}-d" '
        f'preserveAspectRatio="none"><title id="{ident}-t">Daily status, {first} to {last}</title>'
        f'<desc id="{ident}-d">{escape(summary)}</desc>{"".join(rects)}</svg>'
        f'<p class="il-strip__legend"><span>{first}</span><span class="il-visually-hidden">{escape(summary)}</span>'
        f"<span>{last}</span></p></div>"
    )


@dataclass(frozen=True)
class ForestRow:
    """One line of a ratio chart: a label, the ratio and its interval, and the counts it rests on."""

    label: str
    ratio: float | None
    low: float | None
    high: float | None
    note: str


def _ratio_text(row: ForestRow) -> str:
    if row.ratio is None or row.low is None or row.high is None:
        return "not defined"
    high = "∞" if math.isinf(row.high) else f"{row.high:.2f}"
    ratio = "∞" if math.isinf(row.ratio) else f"{row.ratio:.2f}"
    return f"{ratio} (95 % interval {row.low:.2f}–{high})"


def ratio_forest(slug: str, title: str, desc: str, rows: Sequence[ForestRow], lowest: float = 0.05,
                 highest: float = 50.0) -> Markup:  # fmt: skip
    """Rate ratios on a log scale with their intervals, a line at 1 (no difference) and each row's counts.

    An interval that runs off the scale ends in an arrow; an undefined ratio reads "not defined".
    """
    width, label_w, note_w, row_h, top = 640, 170, 150, 26, 22
    plot_w = width - label_w - note_w
    height = top + len(rows) * row_h + 18
    ident = _chart_id(slug)

    def x(value: float) -> float:
        clamped = min(max(value, lowest), highest)
        return label_w + plot_w * (math.log(clamped) - math.log(lowest)) / (math.log(highest) - math.log(lowest))

    parts = [
        f'<svg class="il-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>',
        f'<line class="il-axis" x1="{x(1):.1f}" y1="{top - 6}" x2="{x(1):.1f}" y2="{height - 16}"/>',
    ]
    for tick in (0.1, 0.5, 1, 2, 5, 10):
        if lowest <= tick <= highest:
            parts.append(
                f'<text class="il-label" x="{x(tick):.1f}" y="{height - 4}" text-anchor="middle">{tick:g}</text>'
            )
    parts.append(f'<text class="il-label" x="{x(1):.1f}" y="{top - 10}" text-anchor="middle">no difference</text>')
    for index, row in enumerate(rows):
        y = top + index * row_h + row_h / 2
        parts.append(
            f'<text class="il-label" x="{label_w - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(row.label)}</text>'
        )
        if row.ratio is not None and row.low is not None and row.high is not None:
            x1, x2 = x(max(row.low, lowest)), x(row.high if not math.isinf(row.high) else highest)
            parts.append(
                f'<line class="il-interval" x1="{x1:.1f}" y1="{y:.1f}" x2="{x2:.1f}" y2="{y:.1f}">'
                f"<title>{escape(row.label)}: {escape(_ratio_text(row))}</title></line>"
            )
            if row.high > highest:
                parts.append(f'<text class="il-label" x="{x2 + 2:.1f}" y="{y + 4:.1f}">→</text>')
            if not math.isinf(row.ratio):
                parts.append(
                    f'<rect class="il-bar il-bar--s0" x="{x(row.ratio) - 4:.1f}" y="{y - 4:.1f}" width="8" height="8"/>'
                )
        else:
            parts.append(f'<text class="il-label" x="{x(1) + 6:.1f}" y="{y + 4:.1f}">not defined</text>')
        parts.append(f'<text class="il-label" x="{label_w + plot_w + 8}" y="{y + 4:.1f}">{escape(row.note)}</text>')
    parts.append("</svg>")
    body = "".join(
        f"<tr><td>{escape(row.label)}</td><td>{escape(_ratio_text(row))}</td><td>{escape(row.note)}</td></tr>"
        for row in rows
    )
    table = (
        f'<details class="il-data"><summary>Data table: {escape(title)}</summary><table><thead><tr><th></th>'
        f"<th>Rate ratio</th><th>Rests on</th></tr></thead><tbody>{body}</tbody></table></details>"
    )
    return Markup(f'<figure class="il-figure">{"".join(parts)}{table}<figcaption>{escape(title)}</figcaption></figure>')


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
