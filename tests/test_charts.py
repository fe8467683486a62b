"""Charts: byte-identical for the same numbers, escaped, self-contained, accessible."""

from __future__ import annotations

import base64
import re

from analysis.briefs import charts


def _bars(names: list[str] | None = None) -> charts.Chart:
    names = names or ["Xã Bằng Thành", "Nhạn Môn", "Cổ Linh"]
    return charts.rate_bars(names, [40.1, 12.5, 3.2], [10.0, 8.0, 5.0], "vi", title="Tỷ lệ hộ nghèo", highlight=names[0], reference=("Bình quân", 20.0))


def test_same_numbers_give_identical_svg() -> None:
    assert _bars().svg == _bars().svg
    band = charts.Band((2021, 2022, 2023, 2024, 2025), (30.0, 28.0, 26.0, 24.0, 22.0), (30.0, 27.5, 25.0, 22.5, 20.0))
    make = lambda: charts.trend_chart(  # noqa: E731
        "en", title="Trend", observed=([2021, 2022, 2023], [30.0, 27.0, 25.0]), band=band,
        projection=([2023, 2025], [25.0, 21.0]), published=([2019, 2020, 2021], [31.0, 30.0, 29.0]),
    )
    assert make().svg == make().svg


def test_svg_has_no_date_prolog_or_random_ids() -> None:
    svg = _bars().svg
    assert svg.startswith("<svg ")
    assert "<dc:date>" not in svg and "<metadata>" not in svg
    assert not re.search(r"20\d\d-\d\d-\d\dT", svg)


def test_text_from_the_data_is_escaped_and_not_maths() -> None:
    chart = _bars(["<b>x</b>", "Xã $5$ & co", "Cổ Linh"])
    assert "<b>x</b>" not in chart.svg
    assert "&lt;b&gt;x&lt;/b&gt;" in chart.svg
    assert "$5$" in chart.svg  # shown as typed, not as mathtext
    assert 'alt="' in chart.to_html() and "<b>" not in chart.to_html()


def test_html_is_a_self_contained_image_with_alt_text() -> None:
    chart = _bars()
    page = chart.to_html()
    found = re.search(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="([^"]+)" width="(\d+)" height="(\d+)"', page)
    assert found, page[:200]
    assert base64.b64decode(found.group(1)).decode("utf-8") == chart.svg
    assert "Xã Bằng Thành 40,1%" in found.group(2)  # Vietnamese decimal comma
    assert "<title>" in chart.svg and 'role="img"' in chart.svg
    assert "http" not in chart.svg.replace('xmlns="http://www.w3.org/2000/svg"', "").replace('xmlns:xlink="http://www.w3.org/1999/xlink"', "")


def test_colour_blind_safe_palette() -> None:
    """The colours the drawn charts actually use (read from their SVG): data in Okabe–Ito
    colours, everything else greys, ink or white."""
    okabe_ito = {"#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#000000", "#999999"}
    band = charts.Band((2021, 2022, 2023), (30.0, 28.0, 26.0), (30.0, 27.5, 25.0))
    trend = charts.trend_chart("en", title="T", observed=([2021, 2022, 2023], [30.0, 27.0, 25.0]), band=band,
                               projection=([2023, 2025], [25.0, 21.0]), published=([2021, 2022], [31.0, 29.0]))
    used = {m.lower() for chart in (_bars(), trend) for m in re.findall(r"(?:fill|stroke):\s*(#[0-9a-fA-F]{6})", chart.svg)}
    def grey(colour: str) -> bool:
        return colour[1:3] == colour[3:5] == colour[5:7]
    assert {"#d55e00", "#56b4e9", "#009e73"} <= used  # poor, near-poor, target band
    assert {col for col in used if not grey(col)} <= okabe_ito | {charts.POOR_TEXT.lower()}


def test_charts_cope_with_empty_or_single_series() -> None:
    assert charts.share_bars(["A"], [0.0], "en", title="t", axis_label="x").svg
    assert charts.trend_chart("vi", title="t", observed=([2024], [5.0])).svg
    assert charts.paired_bars([], [], [], "en", title="t", first_label="a", second_label="b", axis_label="x").svg


def test_svg_keeps_styled_groups_only() -> None:
    from xml.etree import ElementTree

    svg = _bars().svg
    ElementTree.fromstring(svg)  # still well-formed
    assert not re.search(r'<g(?: id="[^"]*")?>', svg)  # matplotlib's bare wrappers are gone
    nested = '<svg><g id="a"><g style="x"><g id="b"><path/></g></g><g/></g></svg>'
    assert charts._flatten_groups(nested) == '<svg><g style="x"><path/></g><g/></svg>'


# --- honest charts (issue 11) --------------------------------------------------------------


def _texts(chart: charts.Chart) -> list[str]:
    import html

    return [html.unescape(t) for t in re.findall(r"<text\b[^>]*>(.*?)</text>", chart.svg, re.S)]


def test_vietnamese_charts_use_decimal_commas_on_axes_and_in_alt_text() -> None:
    made = [
        charts.rate_bars(["A", "B"], [1.4, 2.9], [0.5, 0.2], "vi", title="t"),
        charts.paired_bars(["A", "B"], [1.25, 0.5], [2.5, 1.0], "vi", title="t", first_label="a", second_label="b", axis_label="x"),
        charts.share_bars(["A", "B"], [1.5, 2.25], "vi", title="t", axis_label="x"),
        charts.trend_chart("vi", title="t", observed=([2021, 2022], [3.25, 2.5])),
    ]
    for chart in made:
        texts = _texts(chart) + [chart.alt]
        assert not [t for t in texts if re.search(r"\d\.\d", t)], texts
        assert any(re.search(r"\d,\d", t) for t in _texts(chart))  # the axis ticks themselves
    assert charts.tick_text(1.5, "en") == "1.5" and charts.tick_text(2000, "vi") == "2.000" and charts.tick_text(-1, "vi") == "−1"


def test_trend_value_axis_is_named_above_it_not_rotated() -> None:
    chart = charts.trend_chart("vi", title="t", observed=([2021, 2022], [30.0, 27.0]))
    assert "Tỷ lệ (% số hộ)" in _texts(chart)
    assert "rotate(-90" not in chart.svg


def _label_x(chart: charts.Chart, text: str) -> float:
    found = re.search(r'<text\b[^>]*\bx="([\d.]+)"[^>]*>' + re.escape(text) + "</text>", chart.svg)
    assert found, text
    return float(found.group(1))


def test_short_poor_bar_is_labelled_after_the_whole_bar_not_in_the_near_poor_segment() -> None:
    chart = charts.rate_bars(["Long", "Short", "Mid"], [60.0, 2.1, 5.8], [10.0, 30.0, 30.0], "vi", title="t", reference=("Bình quân", 20.0))
    zero, sixty = _label_x(chart, "0"), _label_x(chart, "60")  # axis ticks: where 0 and 60 are drawn
    at = lambda v: zero + (sixty - zero) * v / 60  # noqa: E731
    assert _label_x(chart, "2,1") > at(2.1 + 30.0)  # too short to hold it: after the whole bar, not in the near-poor segment
    assert _label_x(chart, "5,8") <= at(5.8)  # fits: inside its own bar
    assert _label_x(chart, "60,0") <= at(60.0)
    assert charts.POOR_TEXT.lower() in chart.svg  # and in the poor colour


def test_suppressed_or_missing_values_draw_no_bar() -> None:
    full = charts.paired_bars(["A", "B"], [10.0, 20.0], [30.0, 40.0], "en", title="t", first_label="a", second_label="b", axis_label="x")
    hidden = charts.paired_bars(["A", "B"], [10.0, 20.0], [None, None], "en", title="t", first_label="a", second_label="b", axis_label="x")
    assert full.svg.count(charts.POOR.lower()) >= 2 and hidden.svg.count(charts.POOR.lower()) == 0
    bars = charts.rate_bars(["A", "B"], [10.0, float("nan")], [5.0, None], "en", title="t")
    assert "B" in _texts(bars) and "0.0" not in _texts(bars) and "B 0.0%" not in bars.alt


def test_deprivation_chart_labels_values_and_drops_the_empty_row() -> None:
    chart = charts.paired_bars(["Water", "Insurance"], [42.8, 0.0], [75.6, 0.0], "en", title="t", first_label="a", second_label="b", axis_label="x")
    texts = _texts(chart)
    assert "42.8" in texts and "75.6" in texts
    assert "Insurance" not in texts and "0%: Insurance" in texts and "0%: Insurance" in chart.alt


def test_open_ended_target_has_no_invented_upper_edge() -> None:
    closed = charts.Band((2021, 2022), (30.0, 28.0), (30.0, 27.5))
    open_ended = charts.Band((2021, 2022), (30.0, 27.0), None)
    a = charts.trend_chart("en", title="t", observed=([2021, 2022], [30.0, 27.0]), band=closed)
    b = charts.trend_chart("en", title="t", observed=([2021, 2022], [30.0, 27.0]), band=open_ended)
    assert a.svg != b.svg and "Target band" in _texts(b)


def test_trend_line_is_broken_at_the_change_of_standard() -> None:
    from matplotlib.figure import Figure

    drawn: list[list[float]] = []
    original = Figure.add_subplot

    def spy(self, *args, **kwargs):
        ax = original(self, *args, **kwargs)
        plot = ax.plot
        ax.plot = lambda x, y, *a, **k: (drawn.append(list(x)), plot(x, y, *a, **k))[1]
        return ax

    Figure.add_subplot = spy
    try:
        chart = charts.trend_chart("vi", title="t", observed=([2021, 2022], [26.93, 24.71]),
                                   published=([2019, 2020, 2021, 2022], [19.93, 18.50, 27.37, 24.71]),
                                   standard_change=(2021, "Đổi chuẩn nghèo: Nghị định 07/2021/NĐ-CP"))
    finally:
        Figure.add_subplot = original
    assert [2019, 2020] in drawn and [2021, 2022] in drawn
    assert not any(2020 in xs and 2021 in xs for xs in drawn)  # no segment joins 18.50 to 27.37
    assert "Đổi chuẩn nghèo: Nghị định 07/2021/NĐ-CP" in _texts(chart)


def test_synthetic_series_is_named_as_such() -> None:
    chart = charts.trend_chart("vi", title="t", observed=([2021, 2022], [30.0, 27.0]), observed_label="Dữ liệu hộ mô phỏng")
    assert "Dữ liệu hộ mô phỏng" in _texts(chart) and "Thực tế (dữ liệu hộ)" not in _texts(chart)
