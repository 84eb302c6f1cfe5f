"""German text analysis, the same for documents and queries on both databases.

A text becomes three term lists:

- **stems**: each word folded (lower case, ß → ss, ä → ae, other accents
  dropped) and reduced by the Snowball German stemmer (PyStemmer, in C). The
  stemmer also maps ae/oe/ue to a/o/u and removes the feminine -in/-innen, so
  "Bürger", "Buerger", "Bürgerinnen" share the stem ``burg``; the gender marks
  ":innen", "*innen", "_innen", "/innen" and "Innen" are removed before that.
- **exact**: the folded words themselves, so an exact match outranks a
  stemmed one.
- **ends**: for longer words, the stem written backwards ("waermepumpe" →
  ``pmupemraw``). A query for a part of a compound looks for its own stem
  backwards as a prefix there (``pmup*``), which finds every word ending in
  it: "Pumpe" finds "Wärmepumpe", "Konzept" finds "Klimaschutzkonzept". One
  term per word, no dictionary.

The backends never see user text: queries reach SQL only as these terms, which
consist of ``[a-z0-9]`` alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import Stemmer

_stemmer = Stemmer.Stemmer("german")

# Gender marks between the word and -in/-innen: "Bürger:innen", "Bürger*in",
# "Bürger_innen", "Bürger/-innen", "Bürger·innen"; and the capital I of "BürgerInnen".
_GENDER_MARK = re.compile(r"(?:[:*_·]|/-?)in(?:nen)?\b")
_GENDER_CAPITAL = re.compile(r"([a-zäöüß])In(?:nen)?\b")
_WORD = re.compile(r"[a-z0-9]+")


# Words longer than this are cut: nobody searches for them.
MAX_WORD = 40
# Words this long may be compounds ("Bauamt"): their ends are indexed.
MIN_COMPOUND = 6
# Splitting a compound query word: each side at least this long.
MIN_PART = 4
FIRST_PART = 3


_COMBINING = re.compile(r"[\u0300-\u036f]+")


def fold(text: str) -> str:
    """Lower case, ß → ss, ä/ö/ü → ae/oe/ue, other accents dropped."""
    # casefold() already turns ß into ss; replace() is much faster than translate().
    text = text.casefold().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def words(text: str) -> list[str]:
    """The folded words of ``text``, gender marks removed, in order.

    Letters outside the Latin alphabet separate words: the platform is German.
    """
    text = fold(_GENDER_CAPITAL.sub(r"\1", _GENDER_MARK.sub("", text)))
    return [word[:MAX_WORD] for word in _WORD.findall(text)]


# A plain dict: the analysis of a 100,000-document rebuild looks up millions of
# words among a few ten thousand distinct ones.
_stems: dict[str, str] = {}


def stem(word: str) -> str:
    found = _stems.get(word)
    if found is None:
        if len(_stems) > 500_000:
            _stems.clear()
        found = _stems[word] = str(_stemmer.stemWord(word))
    return found


def ending(word_stem: str) -> str:
    """The stem backwards: a prefix of it is an ending of the word."""
    return word_stem[::-1]


def ends_in(word: str, word_stem: str, part_stems: str | tuple[str, ...]) -> bool:
    """Whether a word ends in one of the parts, as the index's ``ends`` finds it."""
    return len(word) >= MIN_COMPOUND and word_stem.endswith(part_stems)


@dataclass(frozen=True)
class Terms:
    stems: str
    exact: str
    ends: str


def analyse(text: str) -> Terms:
    folded = words(text)
    stems = [stem(word) for word in folded]
    return Terms(
        stems=" ".join(stems),
        exact=" ".join(folded),
        ends=" ".join(
            [
                ending(word_stem)
                for word, word_stem in zip(folded, stems, strict=True)
                if len(word) >= MIN_COMPOUND
            ]
        ),
    )


# --- Queries -------------------------------------------------------------

MAX_QUERY_WORDS = 8


@dataclass(frozen=True)
class QueryWord:
    word: str  # folded
    stem: str
    # Readings of a compound as two words written apart: "klimaschutzkonzept"
    # -> ("klimaschutz", "konzept"), ... (stems; tried only as a pair).
    splits: tuple[tuple[str, str], ...]


def query_words(query: str) -> list[QueryWord]:
    """The words of a query, whatever it contains; at most MAX_QUERY_WORDS."""
    found: list[QueryWord] = []
    for word in words(query[:1000]):
        if any(existing.word == word for existing in found):
            continue
        found.append(QueryWord(word=word, stem=stem(word), splits=_splits(word)))
        if len(found) == MAX_QUERY_WORDS:
            break
    return found


def _splits(word: str) -> tuple[tuple[str, str], ...]:
    if len(word) < 2 * MIN_PART or word.isdigit():
        return ()
    pairs = []
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        head, tail = stem(word[:cut]), stem(word[cut:])
        if len(head) >= FIRST_PART and len(tail) >= FIRST_PART and (head, tail) not in pairs:
            pairs.append((head, tail))
    return tuple(pairs)


# --- Typos in names ------------------------------------------------------


def deletions(word: str) -> set[str]:
    """The word with one letter removed, each way (for names of 4+ letters)."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))} if len(word) >= 4 else set()


def within_one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance at most 1 (one insertion, deletion, change or swap)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
