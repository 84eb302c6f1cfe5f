"""Markdown as plain text (``core.markdown.markdown_text``), which the search
index reads: text without anything Markdown acts on skips rendering, and the
result is the same as rendering it."""

from __future__ import annotations

import random

from benchmarks.search_corpus import corpus
from innoclub.core.markdown import _MARKUP, markdown_text, rendered_text

# Signs and shapes near the edge of what Markdown acts on.
EDGES = [
    "Ein Satz. Noch ein Satz: mit Doppelpunkt, Komma; Semikolon (und Klammern)!",
    "Zeile eins\nZeile zwei  \nZeile drei\n\n\nAbsatz",
    "    eingerückt wie Code\n\n        noch tiefer",
    "2024 war gut. 2025 wird besser.\nUm 18.30 Uhr geht es los",
    "Bürger:innen – „Anführung“ — 'einfach' \"doppelt\" «Guillemets»",
    "Preis 5 % und 3/4 Stunde; Tel. 0621/123 45; e.V.",
    "Text mit\u00a0geschütztem Leerzeichen und\ttab",
    "Windows\r\nZeilen\rund alte",
    "Emoji 🚲 und Ελληνικά und 中文",
    "a-b c+d e.f 1.5 3)",
    " führende und folgende Leerzeichen \n",
]

# Texts Markdown does act on; they keep being rendered.
MARKED = {
    "**Fett** und _kursiv_ und `Code`": "Fett und kursiv und Code",
    "- erstens\n- zweitens": "erstens zweitens",
    "1. Punkt\n2. Punkt": "Punkt Punkt",
    "2024. Ein Jahr": "Ein Jahr",
    "# Überschrift\nText": "Überschrift Text",
    "> Zitat": "Zitat",
    "[Link](https://example.org) &amp; mehr": "Link & mehr",
    "Text\n===": "Text",
    "Text\n---\nmehr": "Text mehr",
    "<b>roh</b> HTML": "roh HTML",
    "Tom &amp; Jerry &auml;": "Tom & Jerry ä",
    "+ plus\n+ plus": "plus plus",
    "Tabelle | mit | Spalten\n--- | --- | ---\n1 | 2 | 3": "Tabelle mit Spalten 1 2 3",
    "Escape \\*nicht fett\\*": "Escape *nicht fett*",
}


def _random_texts(count: int) -> list[str]:
    rng = random.Random(7)  # noqa: S311 - reproducible test texts, not a secret
    letters = "aäbcdeéfgIinoöpsßtuüzAÄZ0123456789 .,:;!?()'\"/%–\n\t\u00a0"
    signs = "*_`[]<>&|#~=\\-+"
    texts = []
    for _ in range(count):
        alphabet = letters + (signs if rng.random() < 0.3 else "")
        texts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 120))))
    return texts


def test_plain_text_is_what_rendering_it_gives():
    documents = corpus(300)
    texts = [text for document in documents for text in (document.summary, document.body)]
    texts += EDGES + list(MARKED) + _random_texts(3000)
    plain = [text for text in texts if text.strip() and _MARKUP.search(text) is None]
    # Most of them take the quick way, which is what is compared here.
    assert len(plain) > 2000
    assert [markdown_text(text) for text in texts] == [rendered_text(text) for text in texts]


def test_text_with_markdown_is_rendered_to_its_plain_text():
    for text, plain in MARKED.items():
        assert _MARKUP.search(text) is not None
        assert markdown_text(text) == plain
    assert markdown_text("  \n\t ") == ""
