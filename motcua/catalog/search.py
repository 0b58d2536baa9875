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
import math
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Q, Sum
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from motcua.core.text import fold, tokens

from .models import Procedure

# How good a match of one typed word is. Integers, so rank keys compare exactly everywhere.
EXACT, ALIAS, PREFIX, FUZZY_1, FUZZY_2 = 10, 9, 7, 6, 4
NAME_FACTOR = 3  # a word found in the name counts three times a word found in the documents
ADJACENT_IN_NAME, ADJACENT_IN_EXTRA, IN_ORDER = 8, 2, 2
TIER_CODE, TIER_CODE_PREFIX, TIER_NAME, TIER_OTHER = 0, 1, 2, 3

# Spellings people use on a keyboard without a Vietnamese input method.
_ALIASES = (("f", "ph"), ("j", "gi"), ("z", "d"), ("z", "gi"), ("w", "qu"), ("dz", "d"))

Positions = dict[str, tuple[int, ...]]
Fingerprint = tuple[Any, ...]
RankKey = tuple[int, int, int, int, int]


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
               center: str | None = None) -> list[int]:  # fmt: skip
        """Primary keys of the matching procedures, best first."""
        allowed = self.allowed(agency=agency, sector=sector, center=center)
        words = tokens(query)
        if not words:
            numbers: Iterable[int] = range(len(self.entries)) if allowed is None else sorted(allowed)
            return [self.entries[n].pk for n in numbers]
        keys = self._text_keys(words, typing=not query[-1:].isspace())
        for number, key in self._code_keys(query).items():
            keys[number] = min(key, keys.get(number, key))
        ranked = sorted(key + (number,) for number, key in keys.items() if allowed is None or number in allowed)
        return [self.entries[key[-1]].pk for key in ranked]

    def _code_keys(self, query: str) -> dict[int, RankKey]:
        """Exact code first, then codes that start with what was typed (`2.0008`)."""
        typed = fold(query).strip()
        if not typed or " " in typed or not any(ch.isdigit() for ch in typed):
            return {}
        start = bisect.bisect_left(self.codes, typed)
        found: dict[int, RankKey] = {}
        for number in range(start, len(self.codes)):
            if not self.codes[number].startswith(typed):
                break
            found[number] = (TIER_CODE if self.codes[number] == typed else TIER_CODE_PREFIX, 0, 0, 0, 0)
        return found

    def _text_keys(self, words: list[str], *, typing: bool) -> dict[int, RankKey]:
        expansions = [self.expand(word, last=typing and i == len(words) - 1) for i, word in enumerate(words)]
        name_hits = [_hits(self.name_postings, expansion) for expansion in expansions]
        extra_hits = [_hits(self.extra_postings, expansion) for expansion in expansions]
        covered: Counter[int] = Counter()
        for names, extras in zip(name_hits, extra_hits, strict=True):
            covered.update(names.keys() | extras.keys())
        # Short queries must match every word; longer ones may miss a few (a typo we could
        # not correct, a word the announcement does not use).
        needed = len(words) if len(words) <= 2 else math.ceil(0.6 * len(words))
        return {
            number: self._rank_key(number, name_hits, extra_hits)
            for number, count in covered.items()
            if count >= needed
        }

    def _rank_key(self, number: int, name_hits: list[dict[int, tuple[int, str]]],
                  extra_hits: list[dict[int, tuple[int, str]]]) -> RankKey:  # fmt: skip
        """(tier, -words found, -score, name words before the match, name words not asked for).

        Entries are numbered in code order, so the number appended by `search` breaks ties by code.
        """
        entry = self.entries[number]
        score = in_name = covered = 0
        name_words: list[str | None] = []
        extra_words: list[str | None] = []
        for names, extras in zip(name_hits, extra_hits, strict=True):
            name_hit, extra_hit = names.get(number), extras.get(number)
            name_words.append(name_hit[1] if name_hit else None)
            extra_words.append(extra_hit[1] if extra_hit and not name_hit else None)
            covered += bool(name_hit or extra_hit)
            if name_hit:
                score += name_hit[0] * NAME_FACTOR
                in_name += 1
            elif extra_hit:
                score += extra_hit[0]
        score += _phrase_bonus(entry, name_words, extra_words)
        tier = TIER_NAME if in_name == len(name_words) else TIER_OTHER
        found = {word for word in name_words if word}
        # Names start with what the procedure is; words after the match are mostly qualifiers
        # ("… đối với người nước ngoài"), so words before it weigh first, then all extra words.
        before = _phrase_start(entry, name_words)
        unasked = entry.name_length - sum(len(entry.name_positions[word]) for word in found)
        return (tier, -covered, -score, before, unasked)


def _hits(postings: dict[str, tuple[int, ...]], expansion: dict[str, int]) -> dict[int, tuple[int, str]]:
    """For each entry, the best (weight, word) among the words a typed word stands for."""
    best: dict[int, tuple[int, str]] = {}
    for word, weight in expansion.items():
        for number in postings.get(word, ()):
            current = best.get(number)
            if current is None or weight > current[0]:
                best[number] = (weight, word)
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
    """Changes whenever a procedure is added, edited, (de)activated or deleted.

    `procedure_record_version` bumps `version` and `updated_at` on every content change, so the
    sum of versions moves even when a test freezes `now`.
    """
    stats = Procedure.objects.aggregate(
        total=Count("id"), active=Count("id", filter=Q(is_active=True)), last=Max("updated_at"),
        versions=Sum("version"), top=Max("id"),
    )  # fmt: skip
    return (connection.alias, connection.settings_dict["NAME"], *sorted(stats.items()))


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
