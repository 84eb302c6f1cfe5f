"""Article text is Markdown from the office; whatever it contains renders inert."""

from __future__ import annotations

import re

import pytest

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

UNSAFE = """\
<script>alert('script')</script>

<svg onload="alert('svg')"><circle r="5"/></svg>

<img src="x" onerror="alert('img')">

[Klick mich](javascript:alert('link'))

[Daten](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)

![Bild](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)

<a href="https://example.org" onclick="alert('a')">sicher</a>
"""


def test_unsafe_markdown_in_an_article_renders_inert(anon_client):
    ArticleFactory(slug="boese", body=UNSAFE)

    html = anon_client.get("/aktuelles/boese/").content.decode()
    body = html.split('<div class="prose">', 1)[1].split("</article>", 1)[0]

    assert "<script" not in body
    assert "<svg" not in body
    assert "<img" not in body
    assert re.search(r"\son[a-z]+=", body) is None
    assert "javascript:" not in body
    assert "data:" not in body
    assert '<a href="https://example.org" rel="nofollow noopener">sicher</a>' in body


def test_teaser_and_title_are_escaped(anon_client):
    ArticleFactory(slug="titel", title="<b>Fett</b>", teaser="<script>alert(1)</script>")

    html = anon_client.get("/aktuelles/titel/").content.decode()

    assert "<b>Fett</b>" not in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
