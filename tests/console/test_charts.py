"""The dashboards' SVG charts: geometry, and every number printed and in a hover title."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from motcua.console import charts


def test_axes_end_on_round_numbers():
    assert [charts.nice_max(v) for v in (0, 0.7, 3, 7, 13, 180, 1204)] == [1.0, 1.0, 5, 10, 20, 200, 2000]


def test_bars_scale_to_the_maximum_and_print_their_number():
    chart = charts.bar_chart([("Sở Tư pháp", 93.5, "93,5 %"), ("Sở Xây dựng", 50, "50 %")], maximum=100)
    widths = [bar.width for bar in chart["bars"]]
    assert widths[0] == 2 * widths[1] * 93.5 / 100 and widths[1] > 0
    with translation.override("vi"):
        svg = render_to_string("console/charts/bars.html", {"chart": chart, "title": "Tỷ lệ đúng hạn"})
    assert "<title>Sở Tư pháp: 93,5 %</title>" in svg and ">50 %</text>" in svg
    assert 'aria-label="Tỷ lệ đúng hạn"' in svg
    assert "," not in svg.split('width="')[1].split('"')[0]  # coordinates are never localised


def test_a_trend_breaks_where_a_period_has_no_data():
    chart = charts.line_chart([("T1", 90, "90 %"), ("T2", 95, "95 %"), ("T3", None, "–"), ("T4", 80, "80 %"),
                               ("T5", 85, "85 %")], maximum=100, unit=" %")  # fmt: skip
    assert len(chart["segments"]) == 2
    assert [tick.text for tick in chart["ticks"]] == ["0 %", "25 %", "50 %", "75 %", "100 %"]
    svg = render_to_string("console/charts/line.html", {"chart": chart, "title": "Xu hướng"})
    assert svg.count("<circle") == 4 and "<title>T3: –</title>" in svg


def test_columns_and_heatmap_render_every_value():
    columns = charts.column_chart([("0–5", 12, "12"), ("5–10", 30, "30"), ("60+", 0, "0")])
    assert columns["bars"][2].height == 0 and columns["bars"][1].height > columns["bars"][0].height
    heat = charts.heatmap(["Thứ Hai", "Thứ Ba"], ["7h", "8h"], [[0, 10], [5, 20]])
    svg = render_to_string("console/charts/heatmap.html", {"chart": heat, "title": "Lượt đến"})
    assert "<title>Thứ Ba, 8h: 20</title>" in svg and svg.count("<rect") == 4
    assert heat["cells"][3].dark and not heat["cells"][0].dark
    means = charts.heatmap(["Thứ Hai"], ["7h", "8h", "9h"], [[0.4, 2.25, 12.6]])
    assert [cell.text for cell in means["cells"]] == ["0,4", "2,2", "13"]


def test_a_month_of_days_writes_a_dozen_labels_and_the_telling_numbers():
    points = [(f"{d:02d}/03", float(d % 7), str(d % 7)) for d in range(1, 32)]
    chart = charts.line_chart(points)
    drawn = chart["points"]
    labels = [p.label for p in drawn if p.show_label]
    assert labels[0] == "01/03" and 8 <= len(labels) <= 12
    shown = [p.text for p in drawn if p.show_value]
    assert "6" in shown and "0" in shown and drawn[-1].show_value  # highest, lowest, last
    assert len(shown) <= 3
    assert all(p.text for p in drawn)  # every number is still there on hover
