"""PostgreSQL's texts of a document's vectors, made from its analysed terms.

Apart from backends.py and, like analysis.py, free of Django, so that a
rebuild's analysing process prepares them too (index.py, ``_Analyst``): then
the process that writes to the database only passes them on.
"""

from __future__ import annotations

from innoclub.search.analysis import Terms

# In front of each end of a compound: a lexeme of its own (backends.py,
# ``PostgreSQLBackend``), never mistaken for a word.
MARK = "zz"


def marked(ends: str) -> str:
    """``ends`` (space-separated) each with ``MARK`` in front."""
    # Joined in C: a rebuild marks millions of ends.
    found = ends.split()
    return MARK + f" {MARK}".join(found) if found else ""


def postgres_values(title: Terms, summary: Terms, body: Terms) -> tuple[str, str, str, str]:
    """Title, summary and the title's compound ends for ``head``; every term
    once for ``vector``, in one text (a list of hundreds of terms would cost
    the driver more than the database its work)."""
    title_terms = f"{title.stems} {title.exact}"
    summary_terms = f"{summary.stems} {summary.exact}"
    ends = marked(f"{title.ends} {summary.ends} {body.ends}")
    terms = set(f"{title_terms} {summary_terms} {body.stems} {ends}".split())
    return title_terms, summary_terms, marked(title.ends), " ".join(terms)
