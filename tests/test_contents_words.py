"""The contents list of a brief takes its title from the language catalogues (no words in code)."""

from __future__ import annotations

import pytest

from analysis.briefs.render.exporter import with_contents
from analysis.words import catalogue

PAGE = "<header>T</header>" + "".join(f'<section class="brief-section" id="s{i}">\n<h2>Mục {i}</h2></section>' for i in range(3))


@pytest.mark.parametrize(("lang", "title"), [("vi", "Nội dung"), ("en", "Contents")])
def test_the_contents_title_is_the_catalogues(lang: str, title: str) -> None:
    assert catalogue(lang).label("page", "contents") == title
    page = with_contents(PAGE, lang)
    assert f'<nav class="contents" aria-label="{title}"><p class="contents-title">{title}</p>' in page
    assert '<li><a href="#s2">Mục 2</a></li>' in page
