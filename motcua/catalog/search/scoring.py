"""Ranking one query over the whole index with array operations (docs/adr/0002-search.md).

Every candidate gets its exact rank key, computed column by column over all candidates at
once; one sort orders them. The key, best first:

    (tier, -typed words found, -score, name words before the phrase, name words not asked for, code)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from .postings import MASK_BITS, Ints, Postings

if TYPE_CHECKING:
    from .index import SearchIndex

NAME_FACTOR = 3  # a word found in the name counts three times a word found in the documents
ADJACENT_IN_NAME, ADJACENT_IN_EXTRA, IN_ORDER = 8, 2, 2
TIER_NAME, TIER_OTHER = 0, 1  # exact code and code-prefix matches come before both


@dataclass
class _Hits:
    """Per typed word, per candidate: the postings row of its best match (-1: none) and its weight."""

    name_rows: list[Ints]
    name_weights: list[Ints]
    extra_rows: list[Ints]
    extra_weights: list[Ints]

    def subset(self, picked: Ints) -> _Hits:
        return _Hits(*([column[picked] for column in columns] for columns in
                       (self.name_rows, self.name_weights, self.extra_rows, self.extra_weights)))  # fmt: skip


def rank(index: SearchIndex, expansions: list[dict[str, int]], keep: npt.NDArray[np.bool_]) -> Ints:
    """Entry numbers (among `keep`) that match enough typed words, best first."""
    size = len(index.entries)
    named = [_best_rows(index.name, expansion, index.vocabulary.ids, size) for expansion in expansions]
    extra = [_best_rows(index.extra, expansion, index.vocabulary.ids, size) for expansion in expansions]
    hits = _Hits([r for r, _ in named], [w for _, w in named], [r for r, _ in extra], [w for _, w in extra])
    covered = sum(((n >= 0) | (e >= 0)).astype(np.int64) for n, e in zip(hits.name_rows, hits.extra_rows, strict=True))
    # Short queries must match every word; longer ones may miss a few (a typo we could
    # not correct, a word the announcement does not use).
    words = len(expansions)
    needed = words if words <= 2 else math.ceil(0.6 * words)
    numbers = np.flatnonzero((covered >= needed) & keep)
    return _order(index, numbers, hits.subset(numbers))


def _best_rows(postings: Postings, expansion: dict[str, int], ids: dict[str, int], size: int) -> tuple[Ints, Ints]:
    """For each entry, the postings row and weight of the best word a typed word stands for."""
    rows = np.full(size, -1, dtype=np.int64)
    weights = np.zeros(size, dtype=np.int64)
    # Weakest first, so a better match overwrites; among equals the later word wins.
    for word, weight in sorted(expansion.items(), key=lambda item: item[1]):
        span = postings.rows(ids[word])
        entries = postings.entry[span]
        rows[entries] = np.arange(span.start, span.stop)
        weights[entries] = weight
    return rows, weights


def _order(index: SearchIndex, numbers: Ints, hits: _Hits) -> Ints:
    if not len(numbers):
        return numbers
    words = len(hits.name_rows)
    in_name = sum((rows >= 0).astype(np.int64) for rows in hits.name_rows)
    covered = sum(((n >= 0) | (e >= 0)).astype(np.int64) for n, e in zip(hits.name_rows, hits.extra_rows, strict=True))
    base = sum(np.where(rows >= 0, NAME_FACTOR * weights, extra) for rows, weights, extra in
               zip(hits.name_rows, hits.name_weights, hits.extra_weights, strict=True))  # fmt: skip
    score = base + _phrase_bonus(index, numbers, hits)
    tier = np.where(in_name == words, TIER_NAME, TIER_OTHER)
    # Names start with what the procedure is; words after the match are mostly qualifiers
    # ("… đối với người nước ngoài"), so words before it weigh first, then all other words.
    columns = [tier, words - covered, score.max() - score, _phrase_start(index, numbers, hits),
               _unasked(index, numbers, hits), numbers]  # fmt: skip
    return _sort(columns)


def _phrase_bonus(index: SearchIndex, numbers: Ints, hits: _Hits) -> Ints:
    """Reward typed words that stand next to each other, or at least in order, in the text."""
    bonus = np.zeros(len(numbers), dtype=np.int64)
    name, extra = index.name, index.extra
    for i in range(len(hits.name_rows) - 1):
        first, second = hits.name_rows[i], hits.name_rows[i + 1]
        both = (first >= 0) & (second >= 0)
        picked = np.flatnonzero(both)
        a, b = first[picked], second[picked]
        adjacent = name.adjacent(name.word[a], name.word[b], numbers[picked])
        bonus[picked] += ADJACENT_IN_NAME * adjacent + IN_ORDER * (name.first[a] < name.last[b])
        # A pair not both in the name may still be a phrase of the documents' text.
        first, second = hits.extra_rows[i], hits.extra_rows[i + 1]
        picked = np.flatnonzero(~both & (first >= 0) & (second >= 0))
        a, b = first[picked], second[picked]
        bonus[picked] += ADJACENT_IN_EXTRA * extra.adjacent(extra.word[a], extra.word[b], numbers[picked])
    return bonus


def _phrase_start(index: SearchIndex, numbers: Ints, hits: _Hits) -> Ints:
    """Where in the name the longest run of typed words, in typed order, begins.

    Bit s of `run` says: the name's words s, s+1, … are the typed words found so far, in
    order. ANDing in each next found word (shifted by how many came before it) shortens the
    runs; the answer is the lowest start of the last non-empty `run`. Names longer than a
    mask are done one by one.
    """
    lengths = index.name_length[numbers]
    start = lengths.copy()  # no typed word in the name
    if not len(index.name.mask):  # no entry has a name (hand-made test indexes)
        return start
    run = np.zeros(len(numbers), dtype=np.uint64)
    before = np.zeros(len(numbers), dtype=np.uint64)  # typed words found in the name so far
    for rows in hits.name_rows:
        found = rows >= 0
        mask = np.where(found, index.name.mask[np.maximum(rows, 0)], np.uint64(0))
        shifted = mask >> np.minimum(before, np.uint64(MASK_BITS - 1))
        run = np.where(found, np.where(before == 0, mask, run & shifted), run)
        start = np.where(found & (run != 0), _lowest_bit(run), start)
        before += found
    for spot in np.flatnonzero(lengths > MASK_BITS):
        found_rows = [int(rows[spot]) for rows in hits.name_rows]
        start[spot] = _run_start_slow(index, int(numbers[spot]), found_rows)
    return start


def _lowest_bit(masks: npt.NDArray[np.uint64]) -> Ints:
    lowest = masks & (~masks + np.uint64(1))  # two's complement keeps only the lowest set bit
    return np.frexp(lowest.astype(np.float64))[1].astype(np.int64) - 1  # exact: powers of two


def _run_start_slow(index: SearchIndex, number: int, rows: list[int]) -> int:
    """`_phrase_start` for one entry whose name is longer than a mask."""
    entry = index.entries[number]
    words = [index.vocabulary.words[int(index.name.word[row])] for row in rows if row >= 0]
    spots = [set(entry.name_positions[word]) for word in words]
    best_run, best_start = 0, entry.name_length
    for start in entry.name_positions[words[0]] if words else ():
        run = 1
        while run < len(words) and start + run in spots[run]:
            run += 1
        if run > best_run:
            best_run, best_start = run, start
    return best_start


def _unasked(index: SearchIndex, numbers: Ints, hits: _Hits) -> Ints:
    """Name words that are none of the matched words (each matched word counted once)."""
    counted = np.zeros(len(numbers), dtype=np.int64)
    seen: list[Ints] = []
    for rows in hits.name_rows:
        word = _take(index.name.word, rows)
        fresh = rows >= 0
        for earlier in seen:
            fresh &= word != earlier
        counted += np.where(fresh, _take(index.name.count, rows), 0)
        seen.append(word)
    return index.name_length[numbers] - counted


def _take(values: Ints, rows: Ints) -> Ints:
    """`values[rows]`, -1 where there is no row."""
    if not len(values):
        return np.full(len(rows), -1, dtype=np.int64)
    return np.where(rows >= 0, values[np.maximum(rows, 0)], -1)


def _sort(columns: list[Ints]) -> Ints:
    """The last column (entry numbers), ordered by all columns, first column first.

    All values are small and >= 0, so the columns usually fit one int64 key: one fast sort.
    """
    sizes = [int(column.max()) + 1 for column in columns]
    if math.prod(sizes) >= 2**62:
        return columns[-1][np.lexsort(columns[::-1])]
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column, size in zip(columns, sizes, strict=True):
        key = key * size + column
    key.sort()
    return key % sizes[-1]
