"""The in-memory search index over the active procedures (docs/adr/0002-search.md).

An index is immutable once built; everything it memoises (expanded words, filters, rankings,
result cards) is derived from it alone, so it stays valid exactly as long as the index does and
goes away with it when the catalog changes.
"""

from __future__ import annotations

import bisect
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.utils import translation

from motcua.core.text import fold, tokens

from .cards import Card, card_summary
from .postings import Ints, Positions, postings_build
from .scoring import rank
from .words import Vocabulary

Fingerprint = tuple[Any, ...]
Allowed = npt.NDArray[np.bool_]
RANKINGS_KEPT = 256  # distinct (query, filters) rankings memoised per index: at most ~5 MB


@dataclass(frozen=True, slots=True)
class Entry:
    """What the index knows about one active procedure."""

    pk: int
    code: str
    agency: str
    sector: str
    centers: frozenset[str]
    location_independent: bool
    name_length: int
    name_positions: Positions
    extra_positions: Positions
    card: Card | None = None  # only indexes read from the database serve cards


def positions_of(words: list[str]) -> Positions:
    """Where each word stands in a text: `["cap", "ban", "cap"]` → `{"cap": (0, 2), "ban": (1,)}`."""
    found: dict[str, list[int]] = defaultdict(list)
    for position, word in enumerate(words):
        found[word].append(position)
    return {word: tuple(spots) for word, spots in found.items()}


@dataclass(frozen=True)
class Ranking:
    count: int
    pks: list[int]
    numbers: list[int] = field(default_factory=list)  # the same page as entry numbers


class _Memo:
    """A small thread-safe LRU map."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
            return self._items.get(key)

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            if len(self._items) > self.size:
                self._items.popitem(last=False)


class SearchIndex:
    """Inverted index over the active procedures, entries numbered in code order."""

    def __init__(self, entries: Iterable[Entry], fingerprint: Fingerprint = ()) -> None:
        self.entries = sorted(entries, key=lambda entry: entry.code)
        self.fingerprint = fingerprint
        self.built_at = time.monotonic()
        names = [entry.name_positions for entry in self.entries]
        extras = [entry.extra_positions for entry in self.entries]
        self.vocabulary = Vocabulary(word for text in names + extras for word in text)
        self.name = postings_build(names, self.vocabulary.ids)
        self.extra = postings_build(extras, self.vocabulary.ids)
        self.name_length: Ints = np.array([entry.name_length for entry in self.entries], dtype=np.int64)
        self.pks: Ints = np.array([entry.pk for entry in self.entries], dtype=np.int64)
        self.codes = [fold(entry.code) for entry in self.entries]
        self.uncommitted: Any = None  # set by `shared.search_index` for an index read in a transaction
        self.forget()

    def forget(self) -> None:
        """Drop everything memoised (the bench uses it to measure cold queries)."""
        self._expansions: dict[tuple[str, bool], dict[str, int]] = {}
        self._filters: dict[tuple[str, str], Allowed] = {}
        self._rankings = _Memo(RANKINGS_KEPT)
        self._cards: dict[str, dict[int, dict[str, Any]]] = {}
        self._texts: dict[str, dict[Hashable, str]] = {}  # time and fee lines shared by cards

    # --- filters ---------------------------------------------------------------------------

    def allowed(self, *, agency: str | None, sector: str | None, center: str | None) -> Allowed | None:
        """Which entries pass the filters (a mask by entry number), or None when there is no filter."""
        chosen = [self._filter(kind, value) for kind, value in
                  (("agency", agency), ("sector", sector), ("center", center)) if value]  # fmt: skip
        if not chosen:
            return None
        return np.logical_and.reduce(chosen)

    def _filter(self, kind: str, value: str) -> Allowed:
        key = (kind, value)
        if key not in self._filters:
            if kind == "center":
                # Location-independent procedures (phi địa giới) are received at every center.
                passes = [entry.location_independent or value in entry.centers for entry in self.entries]
            else:
                passes = [getattr(entry, kind) == value for entry in self.entries]
            self._filters[key] = np.array(passes, dtype=bool)
        return self._filters[key]

    # --- query words -----------------------------------------------------------------------

    def expand(self, word: str, *, last: bool) -> dict[str, int]:
        """Indexed words a typed word may stand for, with how good each match is."""
        key = (word, last)
        if key not in self._expansions:
            if len(self._expansions) > 10_000:  # typed words are unbounded; keep memory bounded
                self._expansions.clear()
            self._expansions[key] = self.vocabulary.expand(word, last=last)
        return self._expansions[key]

    # --- ranking ---------------------------------------------------------------------------

    def search(self, query: str, *, agency: str | None = None, sector: str | None = None,
               center: str | None = None, limit: int | None = None, offset: int = 0) -> Ranking:  # fmt: skip
        """How many procedures match, and the primary keys of the requested page, best first."""
        ranked = self.ranking(query, agency=agency, sector=sector, center=center)
        page = ranked[offset : None if limit is None else offset + limit]
        return Ranking(len(ranked), self.pks[page].tolist(), page.tolist())

    def ranking(self, query: str, *, agency: str | None, sector: str | None, center: str | None) -> Ints:
        """Every matching entry number, best first; memoised per (words, filters)."""
        words, typing, typed_code = tokens(query), not query[-1:].isspace(), self._code_typed(query)
        key = (tuple(words), typing and bool(words), typed_code, agency, sector, center)
        ranked = self._rankings.get(key)
        if ranked is None:
            ranked = self._rank(words, typing, typed_code, self.allowed(agency=agency, sector=sector, center=center))
            ranked.flags.writeable = False  # shared between threads and requests
            self._rankings.put(key, ranked)
        return ranked

    def _rank(self, words: list[str], typing: bool, typed_code: str, allowed: Allowed | None) -> Ints:
        if not words:  # an empty query lists everything that passes the filters, by code
            return np.arange(len(self.entries)) if allowed is None else np.flatnonzero(allowed)
        keep = np.ones(len(self.entries), dtype=bool) if allowed is None else allowed.copy()
        by_code = [n for n in self._code_matches(typed_code) if keep[n]]
        keep[by_code] = False
        expansions = [self.expand(word, last=typing and i == len(words) - 1) for i, word in enumerate(words)]
        return np.concatenate([np.array(by_code, dtype=np.int64), rank(self, expansions, keep)])

    @staticmethod
    def _code_typed(query: str) -> str:
        """The query as a code (`2.0008`), or "" when it cannot be one."""
        typed = fold(query).strip()
        return typed if typed and " " not in typed and any(ch.isdigit() for ch in typed) else ""

    def _code_matches(self, typed: str) -> list[int]:
        """The exact code first, then codes that start with what was typed (`2.0008`), by code."""
        if not typed:
            return []
        start = bisect.bisect_left(self.codes, typed)
        found = []
        for number in range(start, len(self.codes)):
            if not self.codes[number].startswith(typed):
                break
            found.append(number)
        return sorted(found, key=lambda n: (self.codes[n] != typed, n))

    # --- result cards ----------------------------------------------------------------------

    def summaries(self, numbers: list[int]) -> list[dict[str, Any]]:
        """The result cards of these entries in the active language (read-only, shared dicts)."""
        language = translation.get_language() or settings.LANGUAGE_CODE
        made = self._cards.setdefault(language, {})
        texts = self._texts.setdefault(language, {})
        found = []
        for number in numbers:
            summary = made.get(number)
            if summary is None:
                card = self.entries[number].card
                if card is None:
                    raise ValueError("this index was built without result cards")
                summary = made[number] = card_summary(card, texts)
            found.append(summary)
        return found
