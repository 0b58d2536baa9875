"""Inverted indexes as flat numpy arrays, so a query is scored with array operations.

One *row* per (word, entry) pair, sorted by word then entry: the entries holding word `w` are
rows `start[w]:start[w + 1]`. Each row knows where the word stands in that entry's text (first
and last position, how often, and a bit mask of positions 0–63). Adjacent word pairs are kept
as sorted keys `(first word, second word, entry)`, so "is `a b` a phrase of entry n" is one
binary search for any text length.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Positions = dict[str, tuple[int, ...]]
Ints = npt.NDArray[np.int64]
MASK_BITS = 64  # positions a row's bit mask can hold; longer names are ranked word by word


@dataclass(frozen=True)
class Postings:
    start: Ints  # per word id (+1 at the end): its first row
    word: Ints  # per row
    entry: Ints
    first: Ints  # position of the word's first and last occurrence in the entry's text
    last: Ints
    count: Ints
    mask: npt.NDArray[np.uint64]  # bit p set: the word stands at position p (< 64)
    pairs: Ints  # sorted keys of adjacent word pairs, see `pair_keys`
    words: int  # vocabulary size
    entries: int

    def rows(self, word: int) -> slice:
        return slice(int(self.start[word]), int(self.start[word + 1]))

    def pair_keys(self, first: Ints, second: Ints, entry: Ints) -> Ints:
        """One number per (word, following word, entry): int64 holds 5,000 words × 300,000 entries."""
        return (first * self.words + second) * self.entries + entry

    def adjacent(self, first: Ints, second: Ints, entry: Ints) -> npt.NDArray[np.bool_]:
        """Whether word `first[i]` is directly followed by `second[i]` somewhere in entry `entry[i]`."""
        keys = self.pair_keys(first, second, entry)
        spots = np.minimum(np.searchsorted(self.pairs, keys), max(len(self.pairs) - 1, 0))
        return self.pairs[spots] == keys if len(self.pairs) else np.zeros(len(keys), dtype=bool)


def postings_build(texts: list[Positions], ids: dict[str, int]) -> Postings:
    """Arrays for one field (name or extra text) of every entry, numbered as in `texts`."""
    words, entries, spots = _flatten(texts, ids)
    in_text_order = np.lexsort((spots, entries))
    words, entries, spots = words[in_text_order], entries[in_text_order], spots[in_text_order]
    pairs = _pairs(words, entries, spots, len(ids), len(texts))
    # Stable: grouped by word, then entry, positions ascending inside each group.
    by_word = np.argsort(words, kind="stable")
    words, entries, spots = words[by_word], entries[by_word], spots[by_word]
    new_row = np.ones(len(words), dtype=bool)
    new_row[1:] = (words[1:] != words[:-1]) | (entries[1:] != entries[:-1])
    heads = np.flatnonzero(new_row)
    tails = np.append(heads[1:], len(words))[: len(heads)] - 1
    bits = np.left_shift(np.uint64(1), np.minimum(spots, MASK_BITS - 1).astype(np.uint64))
    bits[spots >= MASK_BITS] = 0
    mask = np.bitwise_or.reduceat(bits, heads) if len(heads) else np.zeros(0, dtype=np.uint64)
    row_words = words[heads]
    return Postings(
        start=np.searchsorted(row_words, np.arange(len(ids) + 1)).astype(np.int64),
        word=row_words, entry=entries[heads], first=spots[heads], last=spots[tails],
        count=tails - heads + 1, mask=mask, pairs=pairs, words=len(ids), entries=len(texts),
    )  # fmt: skip


def _flatten(texts: list[Positions], ids: dict[str, int]) -> tuple[Ints, Ints, Ints]:
    """(word id, entry number, position) for every word of every text."""
    words: list[int] = []
    entries: list[int] = []
    spots: list[int] = []
    for number, positions in enumerate(texts):
        for word, found in positions.items():
            words += [ids[word]] * len(found)
            entries += [number] * len(found)
            spots += found
    return (np.array(words, dtype=np.int64), np.array(entries, dtype=np.int64), np.array(spots, dtype=np.int64))


def _pairs(words: Ints, entries: Ints, spots: Ints, vocabulary: int, size: int) -> Ints:
    """Sorted keys of every (word, next word, entry) that occurs; the arrays are in text order."""
    follows = (entries[1:] == entries[:-1]) & (spots[1:] == spots[:-1] + 1)
    keys = (words[:-1][follows] * vocabulary + words[1:][follows]) * size + entries[:-1][follows]
    keys.sort()
    return keys[np.append(True, keys[1:] != keys[:-1])] if len(keys) else keys
