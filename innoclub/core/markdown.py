"""Markdown from staff and members, rendered to safe HTML."""

from __future__ import annotations

import hashlib
import html
import re
import threading

import markdown as md
import nh3
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

EXTENSIONS = ["tables", "sane_lists"]
MARKDOWN_SECONDS = 7 * 24 * 3600

_ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}


def render_markdown(text: str) -> SafeString:
    """Render Markdown and sanitise the result.

    Raw HTML in the source is escaped by the sanitiser's allow-list; links may
    only use http(s) and mailto, and get ``rel="nofollow noopener"``.
    """
    rendered = md.markdown(text, extensions=EXTENSIONS, output_format="html")
    clean = nh3.clean(
        rendered,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def _markdown_key(body: str) -> str:
    # The text itself is the key: an edited text misses the cache, nothing goes stale.
    # Bump the version when the Markdown renderer or its allow-list changes.
    digest = hashlib.blake2b(body.encode(), digest_size=16).hexdigest()
    return f"markdown:v1:{digest}"


def rendered_markdown(texts: list[str]) -> list[SafeString]:
    """``texts`` as safe HTML, each Markdown text rendered once and then kept in the cache.

    Markdown and the sanitiser cost far more than the rest of a comment or a
    page; a long discussion reads all its texts from the cache in one call.
    """
    keys = [_markdown_key(text) for text in texts]
    cached = cache.get_many(set(keys))
    rendered: dict[str, str] = {}
    result = []
    for key, text in zip(keys, texts, strict=True):
        html = cached.get(key) or rendered.get(key)
        if html is None:
            html = rendered[key] = str(render_markdown(text))
        # Sanitised by render_markdown, here or when it went into the cache.
        result.append(mark_safe(html))  # noqa: S308
    if rendered:
        cache.set_many(rendered, MARKDOWN_SECONDS)
    return result


def rendered(text: str) -> SafeString:
    """One text as ``rendered_markdown`` renders it (the ``markdown`` filter)."""
    return rendered_markdown([text])[0]


_local = threading.local()
_SPACE = re.compile(r"\s+")


def _converter() -> md.Markdown:
    # Building a converter costs more than converting a text with it (the
    # search index converts thousands); one per thread, as it keeps state.
    converter: md.Markdown | None = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = md.Markdown(extensions=EXTENSIONS, output_format="html")
    return converter


# What Markdown could act on: an inline sign (emphasis, code, links, raw
# HTML, entities, escapes, tables), a line that starts a list, a heading, a
# quote or a rule, or a character it or the sanitiser would not pass on as
# it is. A text without any of these is its own plain text.
_MARKUP = re.compile(
    r"[\\`*_\[\]<>&|#~=\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|^[ \t]*(?:[-+]|\d+[.)])",
    re.MULTILINE,
)


def markdown_text(text: str) -> str:
    """Markdown as the plain text a reader sees: no markup, entities decoded.

    Rendered as ``render_markdown`` renders it, then every tag is dropped by
    the same sanitiser (which drops the content of script and style
    elements). Text without anything Markdown acts on (``_MARKUP``) is
    returned as it is, spaces collapsed, without rendering: the same result
    (tested against rendering), several times faster for a rebuild of the
    search index, which reads tens of thousands of such texts.
    """
    if not text.strip():
        return ""
    if _MARKUP.search(text) is None:
        return _SPACE.sub(" ", text).strip()
    return rendered_text(text)


def rendered_text(text: str) -> str:
    """``markdown_text`` by rendering, whatever ``text`` holds."""
    rendered = _converter().reset().convert(text)
    return _SPACE.sub(" ", html.unescape(nh3.clean(rendered, tags=set()))).strip()
