"""Procedure search the way Vietnamese people type (docs/adr/0002-search.md).

People type without diacritics (`dang ky khai sinh`), with typos (`khai sinhh`), with the
old no-IME habits (`giay fep`), stop mid-word (`chung th`) or paste a code (`2.000815`).
Database full-text search differs between SQLite and PostgreSQL and handles none of this, so
the whole catalog (a few thousand rows) is held in memory as an inverted index of folded words
and ranked with numpy array operations: the same answer on every database.

    words.py     what a typed word may stand for (respellings, prefixes, typos)
    postings.py  the inverted indexes as flat arrays
    scoring.py   the rank key of every candidate, column by column
    index.py     SearchIndex: filters, code matches, memoised rankings and result cards
    cards.py     result cards (the API's list items) made from rows read at build time
    shared.py    the process-wide index, its fingerprint and rebuilds
"""

from .cards import Card, card_summary
from .index import Entry, Ranking, SearchIndex, positions_of
from .shared import search_index, search_index_build, search_index_clear

__all__ = [
    "Card", "Entry", "Ranking", "SearchIndex", "card_summary", "positions_of",
    "search_index", "search_index_build", "search_index_clear",
]  # fmt: skip
