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
    assert "Xã Bằng Thành 40.1%" in found.group(2)
    assert "<title>" in chart.svg and 'role="img"' in chart.svg
    assert "http" not in chart.svg.replace('xmlns="http://www.w3.org/2000/svg"', "").replace('xmlns:xlink="http://www.w3.org/1999/xlink"', "")


def test_colour_blind_safe_palette() -> None:
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000", "#999999"}
    assert {charts.POOR, charts.NEAR_POOR, charts.PROVINCE, charts.TARGET, charts.OTHER} <= okabe_ito


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
