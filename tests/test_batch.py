"""The batch end to end: files, index, HTML, PDF, a real browser, failures and bad data.

Two batches are shared by the whole module: every brief of the bundled data through the
command line exactly as an analyst runs it (the session's, which test_batch_dask.py compares
with its Dask batch), and one of three districts in process with a district notebook that
fails for Ba Bể.
"""

from __future__ import annotations

import html
import re
import subprocess
import unicodedata
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from browser_check import check_site, chromium_missing_reason

from analysis import words
from analysis.briefs import batch
from analysis.cli import main
from analysis.measures.breakdowns import poverty_rates
from analysis.measures.classification import classify
from analysis.measures.targets import annual_verdicts, history_from_households, load_targets
from analysis.paths import PROJECT_DIR
from analysis.review.loading import load_households

EPOCH = "1735689600"  # 2025-01-01: the footer date of every brief built here
YEAR = 2024


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return classify(load_households(), "decree-07-2021")


@pytest.fixture(scope="module")
def built(bundled_batch: tuple[subprocess.CompletedProcess, Path]) -> tuple[subprocess.CompletedProcess, Path]:
    """``python -m analysis reports --formats html,pdf --jobs 2``: every brief of the bundled
    data (batch_runs.bundled_batch, shared with test_batch_dask.py)."""
    return bundled_batch


@pytest.fixture(scope="module")
def failing(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path]:
    """A batch whose district notebook fails for Ba Bể and kills its kernel for Chợ Mới,
    with a stale Ba Bể brief lying around; one worker, so the kernel must be replaced."""
    tmp = tmp_path_factory.mktemp("failing")
    nb = nbformat.read(batch.plan.DISTRICT_NOTEBOOK, as_version=4)
    start = next(i for i, c in enumerate(nb.cells) if "brief.start(" in c.source)
    nb.cells.insert(start + 1, nbformat.v4.new_code_cell(
        'if b.district == "Ba Bể":\n    raise RuntimeError("injected failure")\n'
        'if b.district == "Chợ Mới":\n    import os; os._exit(1)  # the kernel dies'
    ))
    broken = tmp / "district_brief.ipynb"
    nbformat.write(nb, broken)
    out = tmp / "reports"
    (out / str(YEAR)).mkdir(parents=True)
    (out / str(YEAR) / "ba-be.html").write_text("stale")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        mp.setattr(batch.plan, "DISTRICT_NOTEBOOK", broken)
        import io
        from contextlib import redirect_stderr

        err = io.StringIO()
        with redirect_stderr(err):
            code = main(["reports", "--district", "Ba Bể", "Chợ Mới", "Pác Nặm", "--out", str(out), "--jobs", "1"])
    return code, err.getvalue(), out / str(YEAR)


# --- a successful batch -----------------------------------------------------------------------


def test_batch_writes_briefs_notebooks_and_index(built) -> None:
    done, out = built
    assert done.returncode == 0, done.stderr
    for name in ("index.html", "pac-nam.html", "pac-nam.pdf", "thanh-pho-bac-kan.html", "thanh-pho-bac-kan.pdf",
                 "notebooks/pac-nam.ipynb", "notebooks/thanh-pho-bac-kan.ipynb"):
        assert (out / name).is_file(), name
    assert not [p for p in out.rglob("*") if p.name.startswith(".") and p.name != ".batch.lock"], "temporary files left behind"
    assert done.stdout.strip().endswith("index.html")


def test_executed_notebook_reruns_for_audit_after_the_batch(built, tmp_path: Path) -> None:
    """The batch's cache is gone once it ends; re-running its notebook prepares the same inputs."""
    import papermill as pm

    _, out = built
    executed = out / "notebooks" / "pac-nam.ipynb"
    rerun = pm.execute_notebook(str(executed), str(tmp_path / "rerun.ipynb"), kernel_name="python3", progress_bar=False, cwd=str(PROJECT_DIR))

    def headline(nb: nbformat.NotebookNode) -> str:
        pages = [o["data"]["text/html"] for c in nb.cells for o in c.get("outputs", []) if 'id="headline"' in o.get("data", {}).get("text/html", "")]
        assert len(pages) == 1
        return pages[0]

    assert headline(rerun) == headline(nbformat.read(executed, as_version=4))


def test_progress_line_per_brief_and_a_total(built) -> None:
    done, out = built
    lines = done.stderr.splitlines()
    slugs = sorted(p.stem for p in out.glob("*.html") if p.name != "index.html")
    n = len(slugs)
    assert n == 9 and {"pac-nam", "thanh-pho-bac-kan"} <= set(slugs)  # the overview and the eight districts
    shown = [m.group(1) for line in lines if (m := re.match(rf"\[\d+/{n}\] ([a-z-]+): \d+\.\d s", line))]
    assert sorted(shown) == slugs  # one line a brief
    assert any(re.match(rf"{n} of {n} brief\(s\) built in \d+\.\d s", line) for line in lines)


def test_index_lists_headline_figures_verdicts_and_provenance(built, panel) -> None:
    _, out = built
    page = (out / "index.html").read_text(encoding="utf-8")
    rates = poverty_rates(panel, "district", year=YEAR).set_index("district")
    verdicts = annual_verdicts(history_from_households(panel), load_targets())
    for name, slug in (("Pác Nặm", "pac-nam"), ("Thành phố Bắc Kạn", "thanh-pho-bac-kan")):
        row = re.search(rf"<tr>\s*<th[^>]*><a href=\"{slug}.html\">{name}</a></th>(.*?)</tr>", page, re.S)
        assert row, name
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]
        r = rates.loc[name]
        status = verdicts[(verdicts["scope"] == name) & (verdicts["year"] == YEAR)]["status"].iloc[0]
        assert cells[:3] == [words.fmt_int(r["households"], "vi"), words.fmt_int(r["poor"], "vi"), words.fmt_num(r["poor_rate"], "vi")]
        assert cells[4] == words.status_label(status, "vi")
        assert f'href="{slug}.pdf"' in row.group(1)
    assert "households.parquet" in page and "Nghị định 07/2021/NĐ-CP" in page and f"{YEAR}" in page
    assert "Dữ liệu mô phỏng" in page
    assert "<script" not in page and not re.search(r'(src|href)="(https?:)?//', page)


def test_html_brief_is_clean_and_self_contained(built, panel) -> None:
    _, out = built
    page = (out / "pac-nam.html").read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", page)
    assert "Pác Nặm" in page and "huyện Pác Nặm" in page
    assert "brief.headline" not in page and "cache_path" not in page and "In&nbsp;[" not in page
    assert not re.search(r'(src|href)="(https?:)?//', page) and "<script src" not in page
    assert len(re.findall(r'<img src="data:image/svg\+xml;base64,', page)) >= 5
    assert "Dữ liệu mô phỏng" in page
    ids = panel.loc[(panel["district"] == "Pác Nặm") & (panel["year"] == YEAR), "household_id"].astype(str).head(300)
    assert not [i for i in ids if i in page]


def test_brief_links_back_to_the_index_and_to_its_excel_files(built) -> None:
    """Relative links that resolve to files the batch wrote beside the brief; none in the PDF."""
    from pypdf import PdfReader

    _, out = built
    for slug in ("pac-nam", "thanh-pho-bac-kan"):
        page = (out / f"{slug}.html").read_text(encoding="utf-8")
        local = [h for h in re.findall(r'<a href="([^"#]+)"', page) if not h.startswith(("http://", "https://", "mailto:", "tel:"))]
        assert {"index.html", f"{slug}.xlsx", f"bang-tong-hop-{YEAR}.xlsx"} <= set(local), local
        for href in local:
            assert "/" not in href and (out / href).is_file(), href
        assert re.search(r'<p class="nav"><a href="index.html">← Tất cả báo cáo</a></p>', page)
        reader = PdfReader(out / f"{slug}.pdf")
        uris = [a.get_object()["/A"].get("/URI", "") for p in reader.pages for a in p.get("/Annots", []) or [] if "/A" in a.get_object()]
        assert not [u for u in uris if u and not str(u).startswith(("http://", "https://"))], uris


def test_pdf_text_has_the_unit_and_headline_numbers(built, panel) -> None:
    from pypdf import PdfReader

    _, out = built
    reader = PdfReader(out / "pac-nam.pdf")
    text = unicodedata.normalize("NFC", "\n".join(p.extract_text() for p in reader.pages))
    flat = re.sub(r"\s+", " ", text)
    r = poverty_rates(panel, "district", year=YEAR).set_index("district").loc["Pác Nặm"]
    assert "Pác Nặm" in flat
    for number in (words.fmt_int(r["households"], "vi"), words.fmt_int(r["poor"], "vi"), words.fmt_pct(r["poor_rate"], "vi")):
        assert number in flat, number
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4


@pytest.mark.skipif(chromium_missing_reason() is not None, reason=str(chromium_missing_reason()))
def test_a_real_browser_loads_everything_offline(built) -> None:
    _, out = built
    visited = check_site(out / "index.html")
    assert {p.name for p in visited} >= {"index.html", "pac-nam.html", "thanh-pho-bac-kan.html"}


# --- failures ---------------------------------------------------------------------------------


def test_a_failing_district_does_not_stop_the_others(failing) -> None:
    code, err, out = failing
    assert code == 1
    assert (out / "pac-nam.html").is_file() and (out / "pac-nam.pdf").is_file()
    assert not (out / "ba-be.html").exists() and not (out / "ba-be.pdf").exists()  # the stale one is gone too
    kept = nbformat.read(out / "notebooks" / "ba-be.ipynb", as_version=4)
    assert "An Exception was encountered" in kept.cells[0].source  # papermill's error banner
    assert any(o.get("ename") == "RuntimeError" for c in kept.cells for o in c.get("outputs", []))
    assert re.search(r"failed: ba-be: RuntimeError: injected failure", err)
    assert re.search(r"failed: cho-moi: DeadKernelError", err)
    assert not (out / "cho-moi.html").exists()
    assert "1 of 3 brief(s) built" in err
    assert not [p for p in out.rglob("*") if p.name.startswith(".") and p.name != ".batch.lock"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Lỗi khi tạo báo cáo" in index and 'href="ba-be.html"' not in index


def test_same_inputs_give_the_same_brief(built, failing) -> None:
    _, first = built
    _, _, second = failing
    assert (first / "pac-nam.html").read_bytes() == (second / "pac-nam.html").read_bytes()
    assert (first / "pac-nam.pdf").read_bytes() == (second / "pac-nam.pdf").read_bytes()


def test_bad_data_stop_the_batch_before_anything_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    frame = load_households().head(50).astype({"income_per_capita": object})
    frame.loc[3, "income_per_capita"] = "abc"
    frame.loc[7, "members"] = 0
    bad = tmp_path / "bad.csv"
    frame.to_csv(bad, index=False)
    assert main(["validate", str(bad)]) == 1
    expected = capsys.readouterr().err.splitlines()[:-1]  # validate's last line counts the problems
    assert len(expected) == 2
    out = tmp_path / "reports"
    assert main(["reports", "--data", str(bad), "--out", str(out)]) == 1
    assert capsys.readouterr().err.splitlines() == expected
    assert not out.exists()


def test_unknown_district_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "reports"
    assert main(["reports", "--district", "Pac Nam", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'Pác Nặm'?" in err and "valid districts:" in err
    assert not out.exists()
