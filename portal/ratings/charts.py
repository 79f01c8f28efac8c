"""A member's rating history as a server-side SVG line chart (pygal), served as its own
`image/svg+xml` answer and shown with <img> (see `portal.complaints.charts` for why: the
pages' CSP refuses pygal's inline styles; an SVG image runs no script and loads nothing).
pygal's script elements (one of them points at another host) are removed."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree  # noqa: S405 (we write, never parse)

import pygal

from portal.complaints.charts import CHART_CSP, STYLE  # noqa: F401  (CHART_CSP re-exported)


def history_chart(title: str, points: list[tuple[int, float | None]]) -> bytes:
    """points: (year, score or None when not rated), oldest first."""
    chart = pygal.Line(
        style=STYLE,
        js=[],
        show_legend=False,
        print_values=True,
        width=640,
        height=300,
        title=title,
        x_labels=[str(year) for year, _score in points],
        range=(0, 100),
        y_labels=[0, 20, 40, 60, 80, 100],
        allow_interruptions=True,
        dots_size=5,
        margin_right=28,  # room for the last year's printed value
        disable_xml_declaration=False,
    )
    chart.add(title, [score for _year, score in points])
    tree = chart.render_tree()
    for parent in tree.iter():
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return ElementTree.tostring(tree, encoding="utf-8", xml_declaration=True)
