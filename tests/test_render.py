"""The rendering layer: executed notebook -> self-contained HTML brief -> A4 PDF."""

from __future__ import annotations

import base64
import html
import io
import json
import re
import socket
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis.briefs import render
from analysis.cli import main
from analysis.errors import UsageError
from analysis.paths import PROJECT_DIR

DAY = date(2024, 5, 1)
SOURCE_MARKER = "SOURCE_CODE_MUST_NOT_SHOW"
EXTERNAL = re.compile(r"""(src|href)\s*=\s*["']?\s*(https?:)?//|//cdn|@import|url\(\s*["']?\s*(https?:)?//""", re.I)


# --- notebooks built in the test, as papermill would leave them ---------------------------


def tiny_png(label: str = "Pác Nặm") -> str:
    """A real (small) matplotlib PNG, base64 as notebooks store it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3, 2), dpi=50)
    ax.bar(["a", "b"], [3, 5])
    ax.set_title(label)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def make_notebook(unit: str = "Huyện Pác Nặm", *, lang: str = "vi", png: str | None = None) -> nbformat.NotebookNode:
    """An executed brief notebook: metadata output, headline, table, chart, narrative."""
    meta = {"title": f"Báo cáo tóm tắt: {unit}", "province": "Tỉnh Bắc Kạn", "unit": unit, "year": 2024,
            "lang": lang, "synthetic": True, "source": "Dữ liệu rà soát (mô phỏng)", "standard": "Chuẩn nghèo 2022–2025"}
    table = (
        '<table border="1" class="dataframe"><thead><tr style="text-align: right;"><th>Xã</th><th>Hộ nghèo</th>'
        "<th>Tỷ lệ (%)</th></tr></thead><tbody><tr><td>Bằng Thành</td><td>1.234</td><td>20,5</td></tr>"
        "<tr><td>&lt;b&gt;x&lt;/b&gt;</td><td>99</td><td>—</td></tr></tbody></table>"
    )
    cells = [
        new_code_cell(f"brief_metadata(meta)  # {SOURCE_MARKER}", execution_count=1, outputs=[
            new_output("display_data", data=render.brief_metadata(meta)._repr_mimebundle_())]),
        new_markdown_cell("## Hộ nghèo theo xã"),
        new_code_cell(f"table  # {SOURCE_MARKER}", execution_count=2, outputs=[
            new_output("execute_result", execution_count=2, data={"text/html": table, "text/plain": "table"})]),
        new_code_cell(f"chart  # {SOURCE_MARKER}", execution_count=3, outputs=[
            new_output("display_data", data={"image/png": png or tiny_png(), "text/plain": "<Figure size 150x100 with 1 Axes>"}),
            new_output("stream", name="stderr", text="FutureWarning: noise\n")]),
        new_code_cell(f"Markdown(text)  # {SOURCE_MARKER}", execution_count=4, outputs=[
            new_output("display_data", data={"text/markdown": f"Năm 2024, {html.escape(unit)} còn **1.234** hộ nghèo. Xã &lt;b&gt;x&lt;/b&gt; đứng đầu."})]),
        new_code_cell("ax.plot([1])", execution_count=5, outputs=[
            new_output("execute_result", execution_count=5, data={"text/plain": "[<matplotlib.lines.Line2D at 0x7f3a2c1d0>]"})]),
        new_code_cell("secret()", execution_count=6, metadata={"tags": ["remove-cell"]}, outputs=[
            new_output("stream", name="stdout", text="REMOVED_CELL_OUTPUT\n")]),
    ]
    return new_notebook(cells=cells, metadata={"language_info": {"name": "python"}})


@pytest.fixture(scope="module")
def png() -> str:
    return tiny_png()


@pytest.fixture(scope="module")
def nb(png: str) -> nbformat.NotebookNode:
    return make_notebook(png=png)


@pytest.fixture(scope="module")
def page(nb: nbformat.NotebookNode) -> str:
    return render.notebook_to_html(nb, generated=DAY)


@pytest.fixture(scope="module")
def pdf(page: str) -> bytes:
    return render.html_to_pdf(page)


def write_nb(nb: nbformat.NotebookNode, path: Path) -> Path:
    nbformat.write(nb, path)
    return path


# --- HTML -----------------------------------------------------------------------------------


def test_html_shows_outputs_not_code_prompts_or_noise(page: str) -> None:
    assert SOURCE_MARKER not in page
    for absent in ("In&nbsp;[", "Out[", "jp-InputArea", "<script", "FutureWarning", "REMOVED_CELL_OUTPUT", "Line2D", render.BRIEF_MIME):
        assert absent not in page
    assert "Hộ nghèo theo xã" in page and "Bằng Thành" in page


def test_html_loads_nothing_from_outside(page: str) -> None:
    assert not EXTERNAL.search(page), EXTERNAL.search(page)
    assert "<link" not in page


def test_figure_is_embedded_as_data_uri(page: str, png: str) -> None:
    assert f'src="data:image/png;base64,{png}"' in page
    assert 'alt="Biểu đồ"' in page


def test_inline_svg_markup_is_kept_verbatim(png: str) -> None:
    svg = '<figure class="chart"><svg viewBox="0 0 10 5" width="10pt" height="5pt" xmlns="http://www.w3.org/2000/svg"><rect width="4" height="2"/></svg></figure>'
    nb = make_notebook(png=png)
    nb.cells.append(new_code_cell("chart", outputs=[new_output("display_data", data={"text/html": svg})]))
    assert svg in render.notebook_to_html(nb, generated=DAY)


def test_inline_svg_keeps_its_aspect_ratio_in_the_pdf() -> None:
    from pypdf import PdfReader

    svg = '<svg style="max-width: 100%; height: auto" width="400pt" height="100pt" viewBox="0 0 400 100" xmlns="http://www.w3.org/2000/svg"><rect width="400" height="100"/></svg>'
    fixed = render.tidy_html(svg)
    assert 'style="max-width: 100%;"' in fixed and 'viewBox="0 0 400 100"' in fixed
    def pages(body: str) -> int:
        doc = f"<style>@page {{ size: A4; margin: 10mm }} body {{ margin: 0 }}</style>{body * 5}"
        return len(PdfReader(io.BytesIO(render.html_to_pdf(doc))).pages)

    assert pages(fixed) == 1  # 5 × 100pt fit a page; 5 square 400pt boxes (the WeasyPrint 70 bug) do not


def test_unit_name_with_diacritics_is_nfc(png: str) -> None:
    nfd = unicodedata.normalize("NFD", "Huyện Pác Nặm")
    doc = render.notebook_to_html(make_notebook(nfd, png=png), generated=DAY)
    assert "Huyện Pác Nặm" in doc and nfd not in doc
    assert unicodedata.is_normalized("NFC", doc)
    assert '<html lang="vi">' in doc and "<title>Báo cáo tóm tắt: Huyện Pác Nặm</title>" in doc


def test_text_from_data_is_shown_literally(page: str, png: str) -> None:
    assert "<b>x</b>" not in page
    assert page.count("&lt;b&gt;x&lt;/b&gt;") == 2  # the table cell and the sentence
    hostile = render.notebook_to_html(make_notebook("<i>u</i>", png=png), generated=DAY)
    assert "<i>u</i>" not in hostile and "<title>Báo cáo tóm tắt: &lt;i&gt;u&lt;/i&gt;</title>" in hostile


def test_number_columns_are_right_aligned(page: str) -> None:
    assert '<td class="num">1.234</td>' in page and '<td class="num">—</td>' in page
    assert "<td>Bằng Thành</td>" in page
    assert '<th class="num">Hộ nghèo</th>' in page and "<th>Xã</th>" in page


def test_number_columns_of_pandas_and_styler_tables() -> None:
    import pandas as pd

    frame = pd.DataFrame({"Xã": ["Cổ Linh", "Nhạn Môn"], "Hộ": [1200, 30], "Tỷ lệ": [12.5, None]}).set_index("Xã")
    for table in (frame._repr_html_(), frame.style.format(precision=1, thousands=".", decimal=",").set_uuid("t").to_html()):
        tidy = render.tidy_tables(table)
        assert tidy.count('class="num') == 2 * 2 + 2 * 2  # 2 data columns: 2 rows + 2 header rows each
        assert "Cổ Linh</th>" in tidy and 'class="num row_heading' not in tidy


def test_markdown_cell_images_are_embedded(tmp_path: Path, png: str) -> None:
    (tmp_path / "map.png").write_bytes(base64.b64decode(png))
    nb = make_notebook(png=png)
    nb.cells.insert(1, new_markdown_cell("![bản đồ](map.png) ![dán](attachment:p.png)", attachments={"p.png": {"image/png": png}}))
    doc = render.notebook_to_html(nb, generated=DAY, base_dir=tmp_path)
    assert doc.count(f"data:image/png;base64,{png}") == 3
    assert 'src="map.png"' not in doc and "attachment:" not in doc


def test_masthead_print_css_and_footer(page: str) -> None:
    assert "Tỉnh Bắc Kạn · Huyện Pác Nặm · 2024" in page
    assert "string-set: running" in page and "size: A4" in page and "@media print" in page
    assert 'counter(page) " / " counter(pages)' in page
    assert "Dữ liệu mô phỏng" in page
    assert "Ngày tạo: 01/05/2024" in page


def test_stylesheet_is_the_briefs_own(page: str) -> None:
    css = render.stylesheet()
    assert "@media print" in css and css.strip() in page
    assert not EXTERNAL.search(css)


def test_english_brief_has_english_labels(png: str) -> None:
    doc = render.notebook_to_html(make_notebook(lang="en", png=png), generated=DAY)
    assert '<html lang="en">' in doc and "Generated on 1 May 2024" in doc and '"Page "' in doc
    assert "Synthetic data" in doc and "Ngày tạo" not in doc


def test_same_input_gives_identical_bytes(nb: nbformat.NotebookNode, monkeypatch: pytest.MonkeyPatch) -> None:
    exporter = render.make_html_exporter()
    assert exporter is render.make_html_exporter()
    first = render.notebook_to_html(nb, exporter, generated=DAY)
    assert render.notebook_to_html(nb, exporter, generated=DAY) == first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1714521600")  # 2024-05-01 UTC
    assert render.notebook_to_html(nb) == first


def test_metadata_from_notebook_metadata_when_no_output(png: str) -> None:
    nb = make_notebook(png=png)
    nb.cells.pop(0)
    nb.metadata["brief"] = {"title": "Tổng quan tỉnh", "province": "Tỉnh Bắc Kạn", "unit": "Tỉnh Bắc Kạn", "year": 2023, "lang": "en"}
    brief = render.read_brief(nb)
    assert (brief["title"], brief["year"], brief["lang"], brief["synthetic"]) == ("Tổng quan tỉnh", 2023, "en", False)
    assert render.brief_slug(brief) == "tinh-bac-kan"


def test_brief_metadata_output_is_json_and_checked() -> None:
    import numpy as np

    bundle = render.brief_metadata({"title": "T", "unit": "Pác Nặm", "year": np.int64(2024), "synthetic": np.True_})._repr_mimebundle_()
    assert json.loads(json.dumps(bundle[render.BRIEF_MIME]))["year"] == 2024
    assert bundle["text/plain"].startswith("Brief: ")
    with pytest.raises(UsageError, match="language"):
        render.brief_metadata({"lang": "fr"})


@pytest.mark.parametrize(("unit", "slug"), [("Huyện Pác Nặm", "pac-nam"), ("Thành phố Bắc Kạn", "thanh-pho-bac-kan"), ("", "my-notebook")])
def test_brief_slug(unit: str, slug: str) -> None:
    assert render.brief_slug({"unit": unit}, "My notebook") == slug


def test_brief_slug_of_another_provinces_district() -> None:
    """A district is read against the brief's own province, not only the bundled one."""
    assert render.brief_slug({"unit": "Huyện Mèo Vạc", "province": "Hà Giang"}) == "meo-vac"
    assert render.brief_slug({"unit": "Huyện Pác Nặm", "province": "Thái Nguyên"}) == "pac-nam"


# --- PDF ------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> tuple[list, str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return reader.pages, unicodedata.normalize("NFC", "\n".join(p.extract_text() for p in reader.pages))


def test_pdf_is_a4_with_selectable_vietnamese_text(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF")
    pages, text = pdf_text(pdf)
    for p in pages:
        assert (round(float(p.mediabox.width)), round(float(p.mediabox.height))) == (595, 842)
    assert "Pác Nặm" in text and "1.234" in text
    assert f"Trang 1 / {len(pages)}" in text
    assert "Tỉnh Bắc Kạn · Huyện Pác Nặm · 2024" in text  # the running header
    assert "Dữ liệu mô phỏng" in text


def test_inline_svg_charts_become_images_with_selectable_text() -> None:
    svg = ('<svg viewBox="0 0 200 40" width="200pt" height="40pt" xmlns="http://www.w3.org/2000/svg"><title>Tỷ lệ &amp; "xã"</title>'
           '<text x="5" y="25" style="font-family: DejaVu Sans">Xã Nhạn Môn</text></svg>')
    page = render.svg_as_images(f"<figure>{svg}</figure><svg><p>not xml</svg>")
    assert page.startswith('<figure><img src="data:image/svg+xml;base64,') and 'alt="Tỷ lệ &amp; &quot;xã&quot;"' in page
    assert page.endswith("<svg><p>not xml</svg>")
    assert "Xã Nhạn Môn" in pdf_text(render.html_to_pdf(f"<figure>{svg}</figure>"))[1]


def test_pdf_is_deterministic(page: str, pdf: bytes) -> None:
    assert render.html_to_pdf(page) == pdf


def test_pdf_never_fetches_from_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[object] = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, addr: attempts.append(addr))
    monkeypatch.setattr(socket, "create_connection", lambda addr, *a, **k: attempts.append(addr))
    doc = '<html><body><p>x</p><img src="http://example.com/a.png"><link rel="stylesheet" href="https://example.com/a.css"></body></html>'
    assert render.html_to_pdf(doc).startswith(b"%PDF")
    assert attempts == []


# --- files and the command ------------------------------------------------------------------


def test_write_atomic_replaces_whole_files_only(tmp_path: Path) -> None:
    target = tmp_path / "brief.html"
    render.write_atomic(target, "cũ")
    render.write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    with pytest.raises(TypeError):
        render.write_atomic(target, 42)  # type: ignore[arg-type]
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.html"]


def test_render_notebook_names_files_by_unit_slug(tmp_path: Path, nb: nbformat.NotebookNode) -> None:
    path = write_nb(nb, tmp_path / "edited.ipynb")
    written = render.render_notebook(path, ("html", "pdf"), tmp_path / "out")
    assert written == [tmp_path / "out" / "pac-nam.html", tmp_path / "out" / "pac-nam.pdf"]
    assert written[1].read_bytes().startswith(b"%PDF")
    assert render.render_notebook(path, ["html"]) == [tmp_path / "pac-nam.html"]


def test_render_command_happy_path(tmp_path: Path, nb: nbformat.NotebookNode, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_nb(nb, tmp_path / "brief.ipynb")
    assert main(["render", str(path), "--formats", "html", "--out", str(tmp_path / "site")]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "site" / "pac-nam.html")
    assert "Huyện Pác Nặm" in (tmp_path / "site" / "pac-nam.html").read_text(encoding="utf-8")


def test_render_command_runs_as_a_module(tmp_path: Path, nb: nbformat.NotebookNode) -> None:
    path = write_nb(nb, tmp_path / "brief.ipynb")
    done = subprocess.run([sys.executable, "-m", "analysis", "render", str(path), "--formats", "html"],
                          cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "pac-nam.html").is_file()


def unexecuted(tmp_path: Path) -> Path:
    nb = new_notebook(cells=[new_markdown_cell("# x"), new_code_cell("1 + 1")])
    return write_nb(nb, tmp_path / "fresh.ipynb")


def failed(tmp_path: Path) -> Path:
    nb = new_notebook(cells=[new_code_cell("1/0", outputs=[new_output("error", ename="ZeroDivisionError", evalue="division by zero", traceback=[])])])
    return write_nb(nb, tmp_path / "failed.ipynb")


def not_a_notebook(tmp_path: Path) -> Path:
    path = tmp_path / "notes.ipynb"
    path.write_text("not json", encoding="utf-8")
    return path


@pytest.mark.parametrize(("make", "extra", "code", "message"), [
    (lambda tmp: tmp / "missing.ipynb", [], 2, "no such notebook file"),
    (not_a_notebook, [], 2, "not a Jupyter notebook"),
    (lambda tmp: write_nb(new_notebook(), tmp / "x.ipynb"), ["--formats", "html,docx"], 2, "unknown format docx"),
    (unexecuted, [], 2, "run it first"),
    (failed, [], 1, "cell 1 failed (ZeroDivisionError"),
])
def test_render_command_errors_are_clear(tmp_path: Path, capsys: pytest.CaptureFixture[str], make, extra, code, message) -> None:
    assert main(["render", str(make(tmp_path)), *extra]) == code
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not list(tmp_path.glob("*.html")) and not list(tmp_path.glob("*.pdf"))
