"""The public statistics as a server-side SVG bar chart (pygal).

pygal's SVG carries its own <style> element and inline styles, which the pages' CSP
refuses; so the chart is its own `image/svg+xml` response, shown with <img> (an SVG image
runs no script and loads nothing) with alt text, and the page has the same numbers in a
table. pygal's script element and its link to a script on another host are removed.
"""

from __future__ import annotations

import math
import unicodedata
import xml.etree.ElementTree as ElementTree  # noqa: S405 (we write, never parse)

import pygal
from pygal.style import Style

from portal.complaints.services.stats import Row

CHART_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    colors=("#0b5d4b",),
    font_family='"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif',
    label_font_size=14,
    major_label_font_size=14,
    value_font_size=14,
    value_label_font_size=14,
    title_font_size=18,
)


def _padded(label: str) -> str:
    """pygal measures a label as 0.6 em per character; a Chinese character is a full em.
    Trailing spaces (dropped when drawn) make room, so no label is cut or overlaps."""
    wide = sum(1 for ch in label if unicodedata.east_asian_width(ch) in "WF")
    return label + " " * math.ceil(wide * 0.7)


def bar_chart(title: str, rows: list[Row]) -> bytes:
    rows = list(reversed(rows))  # pygal draws the first bar at the bottom; read top-down
    top = max([row.count for row in rows] + [1])
    step = max(1, math.ceil(top / 10))
    chart = pygal.HorizontalBar(
        style=STYLE,
        js=[],
        show_legend=False,
        print_values=True,
        width=800,
        height=max(220, 70 + 48 * len(rows)),
        title=title,
        x_labels=[_padded(row.label) for row in rows],
        y_labels=list(range(0, top + step, step)),
        truncate_label=-1,
        print_zeroes=False,
        disable_xml_declaration=False,
    )
    chart.add(title, [row.count for row in rows])
    tree = chart.render_tree()
    for parent in tree.iter():
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return ElementTree.tostring(tree, encoding="utf-8", xml_declaration=True)
