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
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import Stemmer

# Gender marks between the word and -in/-innen: "Bürger:innen", "Bürger*in",
# "Bürger_innen", "Bürger/-innen", "Bürger·innen"; and the capital I of "BürgerInnen".
_GENDER_MARK = re.compile(r"(?:[:*_·]|/-?)in(?:nen)?\b")
_GENDER_CAPITAL = re.compile(r"(?<=[a-zäöüß])In(?:nen)?\b")
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


# After folding, the bytes of ASCII text that are not [a-z0-9] (which
# separate words) as spaces: translating bytes and splitting runs in C,
# several times faster than finding the words with ``_WORD``.
_ASCII_SEPARATORS = bytes(
    code if re.fullmatch(rb"[a-z0-9]", bytes([code])) else ord(" ") for code in range(256)
)
# The marks of gender forms, each a condition of ``_GENDER_MARK`` or
# ``_GENDER_CAPITAL`` finding anything: most texts have none, and looking for
# them is cheaper than either expression.
_GENDER_HINTS = (":in", "*in", "_in", "·in", "/in", "/-in")


def words(text: str) -> list[str]:
    """The folded words of ``text``, gender marks removed, in order.

    Letters outside the Latin alphabet separate words: the platform is German.
    """
    if any(hint in text for hint in _GENDER_HINTS):
        text = _GENDER_MARK.sub("", text)
    if "In" in text:
        text = _GENDER_CAPITAL.sub("", text)
    text = fold(text)
    if text.isascii():
        found = text.encode("ascii").translate(_ASCII_SEPARATORS).decode("ascii").split()
    else:
        found = _WORD.findall(text)
    if max(map(len, found), default=0) > MAX_WORD:
        return [word[:MAX_WORD] for word in found]
    return found


# Plain dicts: the analysis of a 100,000-document rebuild looks up millions of
# words among a few ten thousand distinct ones. ``_ends`` holds a word's
# ending (``ending``) if it may be a compound, else "".
_stems: dict[str, str] = {}
_ends: dict[str, str] = {}
# Snowball's stemmers are not safe to share between threads: one per thread.
_stemmers = threading.local()


# Entries kept; beyond, the caches start again (a flood of odd words).
MAX_CACHED = 500_000


def stem(word: str) -> str:
    found = _stems.get(word)
    if found is None:
        if len(_stems) >= MAX_CACHED:
            _forget()
        found = _learn(word)
    return found


def _stemmer() -> Stemmer.Stemmer:
    stemmer = getattr(_stemmers, "german", None)
    if stemmer is None:
        stemmer = _stemmers.german = Stemmer.Stemmer("german")
    return stemmer


def _end(word: str, word_stem: str) -> str:
    """What ``ends`` indexes of a word: its stem backwards if it may be a compound."""
    return ending(word_stem) if len(word) >= MIN_COMPOUND else ""


def _learn(word: str) -> str:
    found = str(_stemmer().stemWord(word))
    _ends[word] = _end(word, found)
    _stems[word] = found
    return found


def _forget() -> None:
    _stems.clear()
    _ends.clear()


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
    missing = set(folded).difference(_stems)
    if missing and len(_stems) + len(missing) > MAX_CACHED:
        _forget()
    for word in missing:
        _learn(word)
    # Each word looked up in C (map), not in a Python loop: the analysis is
    # half of a rebuild. Another thread may have emptied the caches since.
    try:
        stems = list(map(_stems.__getitem__, folded))
        ends = " ".join(filter(None, map(_ends.__getitem__, folded)))
    except KeyError:
        stems = [str(_stemmer().stemWord(word)) for word in folded]
        ends = " ".join(filter(None, map(_end, folded, stems)))
    return Terms(stems=" ".join(stems), exact=" ".join(folded), ends=ends)


Analysed = tuple[Terms, Terms, Terms, tuple[str, ...]]


def analyse_many(
    documents: list[tuple[str, str, str, str]],
    prepare: Callable[[Terms, Terms, Terms], tuple[str, ...]] | None = None,
) -> tuple[list[Analysed], set[str]]:
    """A rebuild's chunk, each document given as (title, summary, body,
    names): the analysed title, summary and body of each, with what
    ``prepare`` makes of them (a backend's texts, or nothing), and the words
    of the names that may have typos (``deletions``). Needs nothing but
    Django-free modules, so that a process of its own can run it (index.py,
    ``load``)."""
    analysed: list[Analysed] = []
    for title, summary, body, _ in documents:
        terms = (analyse(title), analyse(summary), analyse(body))
        analysed.append((*terms, prepare(*terms) if prepare else ()))
    names = {word for *_, text in documents for word in words(text) if len(word) >= MIN_NAME}
    return analysed, names


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

# Names this long have their variants one letter shorter indexed.
MIN_NAME = 4


def deletions(word: str) -> set[str]:
    """The word with one letter removed, each way (for names of 4+ letters)."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))} if len(word) >= MIN_NAME else set()


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
