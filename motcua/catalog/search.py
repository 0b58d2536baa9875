"""Procedure search the way Vietnamese people type (docs/adr/0002-search.md).

People type without diacritics (`dang ky khai sinh`), with typos (`khai sinhh`), with the
old no-IME habits (`giay fep`), stop mid-word (`chung th`) or paste a code (`2.000815`).
Database full-text search differs between SQLite and PostgreSQL and handles none of this, so
the whole catalog (a few thousand rows) is held in memory as an inverted index of folded words
and ranked in Python: the same answer on every database.

The index is rebuilt when a cheap fingerprint query over the procedure table changes, and at
the latest after `SEARCH_INDEX_MAX_AGE` seconds (for changes the fingerprint cannot see, such as
an agency being renamed).
"""

from __future__ import annotations

import bisect
import heapq
import math
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from motcua.core.text import fold, tokens

from .models import Agency, Procedure, RequiredDocument, Sector

# How good a match of one typed word is. Integers, so rank keys compare exactly everywhere.
EXACT, ALIAS, PREFIX, FUZZY_1, FUZZY_2 = 10, 9, 7, 6, 4
NAME_FACTOR = 3  # a word found in the name counts three times a word found in the documents
ADJACENT_IN_NAME, ADJACENT_IN_EXTRA, IN_ORDER = 8, 2, 2
TIER_NAME, TIER_OTHER = 0, 1  # exact code and code-prefix matches come before both

# Spellings people use on a keyboard without a Vietnamese input method.
_ALIASES = (("f", "ph"), ("j", "gi"), ("z", "d"), ("z", "gi"), ("w", "qu"), ("dz", "d"))

Positions = dict[str, tuple[int, ...]]
Fingerprint = tuple[Any, ...]
RankKey = tuple[int, int, int, int, int, int]


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


def _positions(words: list[str]) -> Positions:
    found: dict[str, list[int]] = defaultdict(list)
    for position, word in enumerate(words):
        found[word].append(position)
    return {word: tuple(spots) for word, spots in found.items()}


def _adjacent(first: tuple[int, ...], second: tuple[int, ...]) -> bool:
    return any(spot + 1 in second for spot in first)


def _postings(entries: list[Entry], field: str) -> dict[str, tuple[int, ...]]:
    found: dict[str, list[int]] = defaultdict(list)
    for number, entry in enumerate(entries):
        for word in getattr(entry, field):
            found[word].append(number)
    return {word: tuple(numbers) for word, numbers in found.items()}


@dataclass
class _Match:
    """One candidate while a query is ranked."""

    number: int
    score: int = 0
    in_name: int = 0


class SearchIndex:
    """Inverted index over the active procedures, entries sorted by code."""

    def __init__(self, entries: Iterable[Entry], fingerprint: Fingerprint = ()) -> None:
        self.entries = sorted(entries, key=lambda entry: entry.code)
        self.fingerprint = fingerprint
        self.built_at = time.monotonic()
        self.name_postings = _postings(self.entries, "name_positions")
        self.extra_postings = _postings(self.entries, "extra_positions")
        self.vocabulary = sorted(self.name_postings.keys() | self.extra_postings.keys())
        self._known = frozenset(self.vocabulary)
        self._fuzzy_pool = [word for word in self.vocabulary if len(word) >= 3 and word.isalpha()]
        self.codes = [fold(entry.code) for entry in self.entries]
        self._expansions: dict[tuple[str, bool], dict[str, int]] = {}
        self._filters: dict[tuple[str, str], frozenset[int]] = {}
        self.uncommitted: _Uncommitted | None = None

    # --- filters ---------------------------------------------------------------------------

    def allowed(self, *, agency: str | None, sector: str | None, center: str | None) -> frozenset[int] | None:
        """Entry numbers that pass the filters, or None when there is no filter."""
        chosen = [self._filter(kind, value) for kind, value in
                  (("agency", agency), ("sector", sector), ("center", center)) if value]  # fmt: skip
        if not chosen:
            return None
        return frozenset.intersection(*chosen)

    def _filter(self, kind: str, value: str) -> frozenset[int]:
        key = (kind, value)
        if key not in self._filters:
            self._filters[key] = frozenset(n for n, entry in enumerate(self.entries) if self._passes(entry, kind, value))
        return self._filters[key]

    @staticmethod
    def _passes(entry: Entry, kind: str, value: str) -> bool:
        if kind == "center":
            # Location-independent procedures (phi địa giới) are received at every center.
            return entry.location_independent or value in entry.centers
        return getattr(entry, kind) == value

    # --- query words -----------------------------------------------------------------------

    def expand(self, word: str, *, last: bool) -> dict[str, int]:
        """Indexed words a typed word may stand for, with how good each match is."""
        key = (word, last)
        if key not in self._expansions:
            if len(self._expansions) > 10_000:  # typed words are unbounded; keep memory bounded
                self._expansions.clear()
            self._expansions[key] = self._expand(word, last)
        return self._expansions[key]

    def _expand(self, word: str, last: bool) -> dict[str, int]:
        found: dict[str, int] = {}
        if word in self._known:
            found[word] = EXACT
        else:
            found.update((alias, ALIAS) for alias in _respellings(word) if alias in self._known)
            if not found:
                found.update(self._fuzzy(word))
        if last:  # the word being typed: any indexed word it begins
            start = bisect.bisect_left(self.vocabulary, word)
            for candidate in self.vocabulary[start:]:
                if not candidate.startswith(word):
                    break
                found.setdefault(candidate, PREFIX)
        return found

    def _fuzzy(self, word: str) -> dict[str, int]:
        if len(word) < 4 or not word.isalpha():
            return {}
        limit = 1 if len(word) <= 7 else 2
        hits = process.extract(word, self._fuzzy_pool, scorer=Levenshtein.distance, score_cutoff=limit, limit=None)
        ranked = sorted((int(distance), candidate) for candidate, distance, _ in hits)
        return {candidate: FUZZY_1 if distance <= 1 else FUZZY_2 for distance, candidate in ranked}

    # --- ranking ---------------------------------------------------------------------------

    def search(self, query: str, *, agency: str | None = None, sector: str | None = None,
               center: str | None = None, limit: int | None = None, offset: int = 0) -> Ranking:  # fmt: skip
        """How many procedures match, and the primary keys of the requested page, best first."""
        allowed = self.allowed(agency=agency, sector=sector, center=center)
        stop = None if limit is None else offset + limit
        words = tokens(query)
        if not words:
            numbers = range(len(self.entries)) if allowed is None else sorted(allowed)
            return Ranking(len(numbers), [self.entries[n].pk for n in numbers[offset:stop]])
        by_code = [n for n in self._code_matches(query) if allowed is None or n in allowed]
        scorer = _Scorer(self, words, typing=not query[-1:].isspace())
        candidates = [n for n in scorer.candidates() if (allowed is None or n in allowed) and n not in by_code]
        wanted = len(by_code) + len(candidates) if stop is None else stop
        ranked = by_code[:wanted] + scorer.best(candidates, wanted - len(by_code))
        return Ranking(len(by_code) + len(candidates), [self.entries[n].pk for n in ranked[offset:stop]])

    def _code_matches(self, query: str) -> list[int]:
        """The exact code first, then codes that start with what was typed (`2.0008`), by code."""
        typed = fold(query).strip()
        if not typed or " " in typed or not any(ch.isdigit() for ch in typed):
            return []
        start = bisect.bisect_left(self.codes, typed)
        found = []
        for number in range(start, len(self.codes)):
            if not self.codes[number].startswith(typed):
                break
            found.append(number)
        return sorted(found, key=lambda n: (self.codes[n] != typed, n))


@dataclass(frozen=True)
class Ranking:
    count: int
    pks: list[int]


class _Scorer:
    """Ranks the entries for one query.

    Exact rank keys (phrase bonus, where the phrase starts) cost the most, so candidates are
    first ordered by a cheap optimistic key and exact keys are computed only until no remaining
    candidate can reach the requested page.
    """

    def __init__(self, index: SearchIndex, words: list[str], *, typing: bool) -> None:
        self.index = index
        self.size = len(words)
        expansions = [index.expand(word, last=typing and i == len(words) - 1) for i, word in enumerate(words)]
        self.name_hits = [_hits(index.name_postings, expansion) for expansion in expansions]
        self.extra_hits = [_hits(index.extra_postings, expansion) for expansion in expansions]
        self.max_bonus = (self.size - 1) * (ADJACENT_IN_NAME + IN_ORDER)

    def candidates(self) -> list[int]:
        """Entries that match enough of the typed words, with their cheap score noted."""
        self.base: dict[int, int] = defaultdict(int)
        self.in_name: Counter[int] = Counter()
        covered: Counter[int] = Counter()
        for names, extras in zip(self.name_hits, self.extra_hits, strict=True):
            for number, (weight, _word) in names.items():
                self.base[number] += weight * NAME_FACTOR
            for number, (weight, _word) in extras.items():
                if number not in names:
                    self.base[number] += weight
            self.in_name.update(names.keys())
            covered.update(names.keys() | extras.keys())
        # Short queries must match every word; longer ones may miss a few (a typo we could
        # not correct, a word the announcement does not use).
        needed = self.size if self.size <= 2 else math.ceil(0.6 * self.size)
        self.covered = covered
        return [number for number, count in covered.items() if count >= needed]

    def _bound(self, number: int) -> tuple[int, int, int]:
        tier = TIER_NAME if self.in_name[number] == self.size else TIER_OTHER
        return (tier, -self.covered[number], -(self.base[number] + self.max_bonus))

    def best(self, candidates: list[int], wanted: int) -> list[int]:
        if wanted <= 0:
            return []
        if self.size == 1:  # one word: the exact key is cheap, rank directly
            return [key[-1] for key in heapq.nsmallest(wanted, map(self.one_word_key, candidates))]
        worst_first: list[tuple[int, ...]] = []  # exact keys negated: heap[0] is the worst kept
        for bound, number in sorted((self._bound(n), n) for n in candidates):
            if len(worst_first) >= wanted and bound > tuple(-x for x in worst_first[0][:3]):
                break  # nothing after this can beat the worst key kept
            heapq.heappush(worst_first, tuple(-x for x in self.exact_key(number)))
            if len(worst_first) > wanted:
                heapq.heappop(worst_first)
        return [-key[-1] for key in sorted(worst_first, reverse=True)]

    def one_word_key(self, number: int) -> RankKey:
        """`exact_key` for a one-word query, without the phrase machinery."""
        entry = self.index.entries[number]
        hit = self.name_hits[0].get(number)
        if hit is None:
            weight = self.extra_hits[0][number][0]
            return (TIER_OTHER, -1, -weight, entry.name_length, entry.name_length, number)
        spots = entry.name_positions[hit[1]]
        return (TIER_NAME, -1, -hit[0] * NAME_FACTOR, spots[0], entry.name_length - len(spots), number)

    def exact_key(self, number: int) -> RankKey:
        """(tier, -words found, -score, name words before the match, name words not asked for, number).

        Entries are numbered in code order, so the number breaks remaining ties by code.
        """
        entry = self.index.entries[number]
        name_words = [hits[number][1] if number in hits else None for hits in self.name_hits]
        extra_words = [hits[number][1] if number in hits else None for hits in self.extra_hits]
        score = self.base[number] + _phrase_bonus(entry, name_words, extra_words)
        found = {word for word in name_words if word}
        # Names start with what the procedure is; words after the match are mostly qualifiers
        # ("… đối với người nước ngoài"), so words before it weigh first, then all extra words.
        unasked = entry.name_length - sum(len(entry.name_positions[word]) for word in found)
        tier = TIER_NAME if self.in_name[number] == self.size else TIER_OTHER
        return (tier, -self.covered[number], -score, _phrase_start(entry, name_words), unasked, number)


def _hits(postings: dict[str, tuple[int, ...]], expansion: dict[str, int]) -> dict[int, tuple[int, str]]:
    """For each entry, the best (weight, word) among the words a typed word stands for."""
    best: dict[int, tuple[int, str]] = {}
    # Weakest first, so a better match overwrites; dict.update keeps the loop in C.
    for word, weight in sorted(expansion.items(), key=lambda item: item[1]):
        if word in postings:
            best.update(dict.fromkeys(postings[word], (weight, word)))
    return best


def _phrase_bonus(entry: Entry, name_words: list[str | None], extra_words: list[str | None]) -> int:
    """Reward typed words that stand next to each other, or at least in order, in the text."""
    bonus = 0
    for i in range(len(name_words) - 1):
        first, second = name_words[i], name_words[i + 1]
        if first and second:
            spots, following = entry.name_positions[first], entry.name_positions[second]
            if _adjacent(spots, following):
                bonus += ADJACENT_IN_NAME
            if spots[0] < following[-1]:
                bonus += IN_ORDER
            continue
        first, second = extra_words[i], extra_words[i + 1]
        if first and second and _adjacent(entry.extra_positions[first], entry.extra_positions[second]):
            bonus += ADJACENT_IN_EXTRA
    return bonus


def _phrase_start(entry: Entry, name_words: list[str | None]) -> int:
    """Where in the name the longest run of typed words, in typed order, begins."""
    present = [word for word in name_words if word]
    if not present:
        return entry.name_length
    best_run, best_start = 0, entry.name_length
    for start in entry.name_positions[present[0]]:
        run = 1
        while run < len(present) and start + run in entry.name_positions[present[run]]:
            run += 1
        if run > best_run:
            best_run, best_start = run, start
    return best_start


def _respellings(word: str) -> list[str]:
    """`fep` → `phep`, `jay` → `giay`: letters typed for sounds Vietnamese writes otherwise."""
    found = []
    for typed, written in _ALIASES:
        if typed in word:
            found.append(word.replace(typed, written))
    if word.startswith("k") and word[1:2] in {"a", "o", "u"}:
        found.append("c" + word[1:])
    return found


# --- the shared index ----------------------------------------------------------------------

_lock = threading.Lock()
_current: SearchIndex | None = None


class _Uncommitted:
    """Marks an index read inside a transaction, which may see rows that are later rolled back.

    It is queued as an on-commit hook: it flips to committed if the transaction commits, and
    Django drops it from the connection's queue if the transaction (or savepoint) rolls back —
    which is how tests that create and roll back rows never see another test's catalog, even
    when the fingerprint happens to repeat (same row count, frozen `now`).
    """

    def __init__(self) -> None:
        self.committed = False

    def __call__(self) -> None:
        self.committed = True

    def visible(self) -> bool:
        # Entries are (savepoint ids, hook, robust); the hook is what we look for.
        return self.committed or any(entry[1] is self for entry in connection.run_on_commit)


def _fingerprint() -> Fingerprint:
    """Changes when a procedure is saved, added or touched by `procedure_record_version`.

    Both maxima are index lookups (about 0.3 ms), unlike a count or a sum, which scan the
    table on every search. What they cannot see (a deletion; a write with a frozen `now`, as in
    tests; an agency renamed) bumps `_generation` through the signals below when it happens in
    this process, and reaches other processes through the maximum age.
    """
    # Raw SQL: on a slow CPU the ORM's query compilation costs several times the query itself.
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({quote('updated_at')}), MAX({quote('id')}) FROM {quote(Procedure._meta.db_table)}")  # noqa: S608 -- identifiers only
        last, top = cursor.fetchone()
    return (connection.alias, connection.settings_dict["NAME"], _generation, last, top)


_generation = 0


def _catalog_changed(**kwargs: Any) -> None:
    global _generation
    _generation += 1


# Cache invalidation only (no business logic): saves and deletes of what the index reads.
for _model in (Procedure, RequiredDocument, Agency, Sector):
    post_save.connect(_catalog_changed, sender=_model, dispatch_uid=f"search-{_model.__name__}-save")
    post_delete.connect(_catalog_changed, sender=_model, dispatch_uid=f"search-{_model.__name__}-delete")
m2m_changed.connect(_catalog_changed, sender=Procedure.centers.through, dispatch_uid="search-centers")
post_migrate.connect(_catalog_changed, dispatch_uid="search-flush")  # `flush` (transactional tests) sends it


def _usable(index: SearchIndex | None, fingerprint: Fingerprint) -> bool:
    if index is None or index.fingerprint != fingerprint:
        return False
    if time.monotonic() - index.built_at >= float(settings.MOTCUA.get("SEARCH_INDEX_MAX_AGE", 600)):
        return False
    return index.uncommitted is None or index.uncommitted.visible()


def search_index_build(fingerprint: Fingerprint = ()) -> SearchIndex:
    """Read the active catalog (two queries) into a fresh index."""
    centers: dict[int, set[str]] = defaultdict(set)
    through = Procedure.centers.through.objects.filter(procedure__is_active=True)
    for procedure_id, center_code in through.values_list("procedure_id", "center__code"):
        centers[procedure_id].add(center_code)
    rows = Procedure.objects.filter(is_active=True).values_list(
        "pk", "code", "name", "search_extra", "agency__code", "sector__code", "location_independent"
    )
    entries = []
    for pk, code, name, extra, agency, sector, independent in rows:
        name_words = tokens(name)
        entries.append(Entry(
            pk=pk, code=code, agency=agency, sector=sector, centers=frozenset(centers[pk]),
            location_independent=independent, name_length=len(name_words),
            name_positions=_positions(name_words), extra_positions=_positions(tokens(extra)),
        ))  # fmt: skip
    return SearchIndex(entries, fingerprint)


def search_index() -> SearchIndex:
    """The current index, rebuilt first if the catalog changed or the index is too old."""
    global _current
    fingerprint = _fingerprint()
    index = _current
    if index is not None and _usable(index, fingerprint):
        return index
    with _lock:
        index = _current
        if index is None or not _usable(index, fingerprint):
            index = search_index_build(fingerprint)
            if connection.in_atomic_block:
                index.uncommitted = _Uncommitted()
                transaction.on_commit(index.uncommitted)
            _current = index
    return index


def search_index_clear() -> None:
    """Forget the index (the next search rebuilds it); for tests and management commands."""
    global _current
    with _lock:
        _current = None
