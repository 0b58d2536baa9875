"""What a typed word may stand for: itself, a no-IME respelling, a word it begins, a near miss.

See docs/adr/0002-search.md, "Expanding a typed word". Weights are integers, so rank keys
compare exactly on every machine.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

# How good a match of one typed word is.
EXACT, ALIAS, PREFIX, FUZZY_1, FUZZY_2 = 10, 9, 7, 6, 4

# Spellings people use on a keyboard without a Vietnamese input method.
_ALIASES = (("f", "ph"), ("j", "gi"), ("z", "d"), ("z", "gi"), ("w", "qu"), ("dz", "d"))


class Vocabulary:
    """The indexed words, sorted, each with a number (its place in the sorted list)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = sorted(set(words))
        self.ids = {word: number for number, word in enumerate(self.words)}
        self._fuzzy_pool = [word for word in self.words if len(word) >= 3 and word.isalpha()]

    def __len__(self) -> int:
        return len(self.words)

    def expand(self, word: str, *, last: bool) -> dict[str, int]:
        """Indexed words a typed word may stand for, with how good each match is.

        The order of the answer matters: among equally good words, the later one wins
        when an entry holds several (see `scoring._best_rows`).
        """
        found: dict[str, int] = {}
        if word in self.ids:
            found[word] = EXACT
        else:
            found.update((alias, ALIAS) for alias in respellings(word) if alias in self.ids)
            if not found:
                found.update(self._fuzzy(word))
        if last:  # the word being typed: any indexed word it begins
            start = bisect.bisect_left(self.words, word)
            for candidate in self.words[start:]:
                if not candidate.startswith(word):
                    break
                found.setdefault(candidate, PREFIX)
        return found

    def _fuzzy(self, word: str) -> dict[str, int]:
        # Three-letter typos are not guessed: too many syllables are one edit apart.
        if len(word) < 4 or not word.isalpha():
            return {}
        limit = 1 if len(word) <= 7 else 2
        hits = process.extract(word, self._fuzzy_pool, scorer=Levenshtein.distance, score_cutoff=limit, limit=None)
        ranked = sorted((int(distance), candidate) for candidate, distance, _ in hits)
        return {candidate: FUZZY_1 if distance <= 1 else FUZZY_2 for distance, candidate in ranked}


def respellings(word: str) -> list[str]:
    """`fep` → `phep`, `jay` → `giay`: letters typed for sounds Vietnamese writes otherwise."""
    found = []
    for typed, written in _ALIASES:
        if typed in word:
            found.append(word.replace(typed, written))
    if word.startswith("k") and word[1:2] in {"a", "o", "u"}:
        found.append("c" + word[1:])
    return found
