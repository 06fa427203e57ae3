"""Inline SVG pictures of the site, readable without colour (ADR 0142).

Every quantity is also written as text (counts beside bars, the status inside each ADR
box, a legend of fill patterns), and every series is told apart by a pattern, not a hue,
so a monochrome print or a colour-blind reader loses nothing. Text from artifacts is
escaped here, since these strings are inserted into pages as markup.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from html import escape

from sdd.adr.record import Adr
from sdd.phr.listing import Entry
from sdd.phr.record import STAGES

OTHER_STAGE = "other"
# (background, marks): the pattern carries the meaning; colour only helps.
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("#1f3b73", ""),
    ("#fff", '<path d="M0 3h6" stroke="#2a6f2a" stroke-width="1.5"/>'),
    ("#fff", '<path d="M3 0v6" stroke="#8a4b08" stroke-width="1.5"/>'),
    ("#fff", '<path d="M0 6L6 0" stroke="#7a1f5c" stroke-width="1.5"/>'),
    ("#fff", '<path d="M0 0L6 6" stroke="#b00020" stroke-width="1.5"/>'),
    ("#fff", '<circle cx="3" cy="3" r="1.4" fill="#00607a"/>'),
    ("#fff", '<path d="M0 3h6M3 0v6" stroke="#4b4b4b" stroke-width="1"/>'),
    ("#c9d6f0", ""),
    ("#fff", '<path d="M0 6L6 0M0 0L6 6" stroke="#5c4a00" stroke-width="1"/>'),
    ("#777", '<circle cx="3" cy="3" r="1.4" fill="#fff"/>'),
    ("#fff", ""),
)


def progress_bar(done: int, total: int, *, width: int = 120) -> str:
    """A bar filled in proportion to ``done``/``total``, with the figures written beside it."""
    share = done / total if total else 0.0
    filled = round(width * share)
    label = f"{done}/{total} tasks done" if total else "no tasks"
    return (
        f'<svg class="bar" role="img" aria-label="{label}" width="{width + 64}" height="16" '
        f'viewBox="0 0 {width + 64} 16" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{label}</title>"
        f'<rect x="0.5" y="2.5" width="{width}" height="11" fill="#fff" stroke="#222"/>'
        f'<rect x="0.5" y="2.5" width="{filled}" height="11" fill="#222"/>'
        f'<text x="{width + 6}" y="12" font-size="11">{done}/{total}</text></svg>'
    )


def stage_of(entry: Entry) -> str:
    return entry.stage if entry.stage in STAGES else OTHER_STAGE


def _pattern_defs(prefix: str, names: Sequence[str]) -> str:
    return "".join(
        f'<pattern id="{prefix}-{index}" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="{_PATTERNS[index % len(_PATTERNS)][0]}"/>'
        f"{_PATTERNS[index % len(_PATTERNS)][1]}</pattern>"
        for index, _ in enumerate(names)
    )


def stage_chart(entries: Sequence[Entry], *, prefix: str = "stage") -> str:
    """PHRs per month as stacked bars, one pattern per stage, counts written at the end of
    each bar and in each segment wide enough to hold them. Undated records count as
    "undated"."""
    stages = [*STAGES, OTHER_STAGE]
    by_month: dict[str, Counter[str]] = {}
    for entry in entries:
        month = entry.date[:7] if len(entry.date) >= 7 and entry.date[:4].isdigit() else "undated"
        by_month.setdefault(month, Counter())[stage_of(entry)] += 1
    if not by_month:
        return '<p class="empty">No prompt history records.</p>'
    used = [stage for stage in stages if any(counts[stage] for counts in by_month.values())]
    months = sorted(by_month)
    largest = max(sum(counts.values()) for counts in by_month.values())
    bar_width, left, row = 520, 70, 20
    legend_rows = (len(used) + 3) // 4
    height = len(months) * row + 16 + legend_rows * 18
    total_width = left + bar_width + 60
    parts = [
        f'<svg class="chart" role="img" aria-label="PHRs per month by stage" width="{total_width}" '
        f'height="{height}" viewBox="0 0 {total_width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>PHRs per month by stage</title>'
        f"<defs>{_pattern_defs(prefix, used)}</defs>"
    ]
    for index, month in enumerate(months):
        counts = by_month[month]
        y = index * row
        x = float(left)
        parts.append(f'<text x="0" y="{y + 14}" font-size="11">{escape(month)}</text>')
        for stage_index, stage in enumerate(used):
            count = counts[stage]
            if not count:
                continue
            width = bar_width * count / largest
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="14" '
                f'fill="url(#{prefix}-{stage_index})" stroke="#222" stroke-width="0.5">'
                f"<title>{month}: {count} {stage}</title></rect>"
            )
            x += width
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + 14}" font-size="11">{sum(counts.values())}</text>'
        )
    top = len(months) * row + 8
    for stage_index, stage in enumerate(used):
        column, line = stage_index % 4, stage_index // 4
        x, y = left + column * 130, top + line * 18
        parts.append(
            f'<rect x="{x}" y="{y}" width="14" height="12" fill="url(#{prefix}-{stage_index})" '
            f'stroke="#222" stroke-width="0.5"/>'
            f'<text x="{x + 18}" y="{y + 10}" font-size="11">{stage}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _components(adrs: Sequence[Adr]) -> list[list[Adr]]:
    """ADRs joined by supersede links, each group in number order; unlinked ADRs left out."""
    by_number: dict[int, Adr] = {}
    for adr in adrs:
        by_number.setdefault(adr.number, adr)
    parent = {number: number for number in by_number}

    def root(number: int) -> int:
        while parent[number] != number:
            parent[number] = parent[parent[number]]
            number = parent[number]
        return number

    linked: set[int] = set()
    for adr in by_number.values():
        for other in (*adr.supersedes, *adr.superseded_by):
            if other in by_number and other != adr.number:
                linked.update((adr.number, other))
                parent[root(other)] = root(adr.number)
    groups: dict[int, list[Adr]] = {}
    for number in sorted(linked):
        groups.setdefault(root(number), []).append(by_number[number])
    return sorted(groups.values(), key=lambda group: group[0].number)


def supersede_graph(adrs: Sequence[Adr], href: dict[int, str]) -> str:
    """Boxes for the ADRs in a supersede relation, one row per chain, arrows from each
    decision to the one that replaced it; status written in each box, superseded boxes
    dashed."""
    groups = _components(adrs)
    if not groups:
        return '<p class="empty">No ADR supersedes another.</p>'
    box_w, box_h, gap_x, gap_y = 150, 40, 40, 22
    columns = max(len(group) for group in groups)
    width = columns * (box_w + gap_x)
    height = len(groups) * (box_h + gap_y)
    parts = [
        f'<svg class="graph" role="img" aria-label="ADR supersede graph" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        "<title>ADR supersede graph</title><defs>"
        '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto"><path d="M0 0L10 5L0 10z" fill="#222"/></marker></defs>'
    ]
    for row, group in enumerate(groups):
        y = row * (box_h + gap_y) + 4
        place = {adr.number: column for column, adr in enumerate(group)}
        for adr in group:
            for newer in adr.superseded_by:
                if newer in place and newer != adr.number:
                    start, end = place[adr.number], place[newer]
                    x1 = start * (box_w + gap_x) + (box_w if end > start else 0)
                    x2 = end * (box_w + gap_x) + (0 if end > start else box_w)
                    bend = "" if abs(end - start) == 1 else f" Q{(x1 + x2) / 2:.0f} {y - 2}"
                    parts.append(
                        f'<path d="M{x1} {y + box_h / 2:.0f}{bend} {x2} {y + box_h / 2:.0f}" '
                        'fill="none" stroke="#222" marker-end="url(#arrow)"/>'
                    )
        for column, adr in enumerate(group):
            x = column * (box_w + gap_x)
            status = adr.status or "unknown"
            dash = ' stroke-dasharray="4 3"' if status in ("superseded", "deprecated") else ""
            title = adr.title if len(adr.title) <= 22 else adr.title[:21] + "…"
            parts.append(
                f'<a href="{escape(href.get(adr.number, "#"))}"><rect x="{x + 0.5}" y="{y + 0.5}" '
                f'width="{box_w}" height="{box_h}" fill="#fff" stroke="#222"{dash}/>'
                f'<text x="{x + 6}" y="{y + 16}" font-size="12" font-weight="bold">'
                f"{adr.number:04d} · {escape(status)}</text>"
                f'<text x="{x + 6}" y="{y + 32}" font-size="11">{escape(title)}</text>'
                f"<title>{escape(adr.title)}</title></a>"
            )
    parts.append("</svg>")
    return "".join(parts)
