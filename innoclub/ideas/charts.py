"""The funnel of the idea forge as plain shapes for the statistics' SVG template.

Drawn with the shapes of ``innoclub.network.charts`` and rendered by
``network/statistics/_chart.html``: no JavaScript, no inline styles, widths
in percent so that the chart fills any screen.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from innoclub.network.charts import Chart, Label, Shape, pct, px

ROW = 54  # pixels per stage: the label line, then the bar
BAR = 22
MIN_BAR = 0.6  # percent: a stage with few ideas stays visible


def share(part: int, whole: int) -> int:
    """``part`` as a whole percentage of ``whole`` (0 when there is nothing)."""
    return round(part * 100 / whole) if whole else 0


def funnel_chart(steps: list[tuple[str, int]]) -> Chart:
    """One row per stage: its name and count, and a bar centred on a light track.

    The bars' widths are the counts relative to the first stage, so the
    narrowing shows how many ideas went on.
    """
    first = steps[0][1] if steps else 0
    chart = Chart(height=ROW * len(steps))
    for index, (label, count) in enumerate(steps):
        y = index * ROW
        chart.labels.append(Label("category", label, "0", px(y + 17)))
        value = (
            _("%(count)s (%(share)s %%)") % {"count": count, "share": share(count, first)}
            if index
            else str(count)
        )
        chart.labels.append(Label("value", value, "100%", px(y + 17), "end"))
        chart.shapes.append(Shape("track", "0", px(y + 25), "100%", px(BAR)))
        if count:
            width = max(count * 100 / first, MIN_BAR)
            chart.shapes.append(
                Shape("bar", pct((100 - width) / 2), px(y + 25), pct(width), px(BAR))
            )
    return chart
