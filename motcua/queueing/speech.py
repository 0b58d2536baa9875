"""Numbers and announcements in spoken Vietnamese, for the board's voice.

Numbers are read the way announcers and banks read them (northern standard words):

* units after "mươi" (20 and up) change their sound: 1 → "mốt", 4 → "tư", 5 → "lăm";
  after "mười" (10–19) only 5 changes: 15 → "mười lăm", 11 → "mười một", 14 → "mười bốn";
* a zero tens digit inside a number is "linh": 105 → "một trăm linh năm";
* a group of three digits after a larger group is read in full, hundreds included:
  1023 → "một nghìn không trăm hai mươi ba", 2005 → "hai nghìn không trăm linh năm";
  a group that is all zeros is left out: 1000 → "một nghìn", 1 000 500 → "một triệu năm trăm".

A ticket code such as `B1023` is spoken letter by letter with the Vietnamese letter names
("bê"), a pause, then the number: "… số thứ tự bê, một nghìn không trăm hai mươi ba đến quầy
số năm". Leading zeros of a padded code (`B007`) are not spoken: "bê, bảy".

`announcement_parts` returns the words one by one so that recorded clips can be joined word
by word (see docs/voice-clips.md); `announcement_text` is the same words as one sentence.
"""

from __future__ import annotations

import re

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
GROUPS = ["", "nghìn", "triệu"]
MAX_NUMBER = 999_999_999

# Vietnamese names of the letters (bảng chữ cái), as a code is spelled aloud; F, J, W, Z are
# not Vietnamese letters and take their usual loan names.
LETTER_NAMES = {
    "A": "a", "B": "bê", "C": "xê", "D": "dê", "Đ": "đê", "E": "e", "F": "ép", "G": "giê",
    "H": "hát", "I": "i", "J": "gi", "K": "ca", "L": "e lờ", "M": "em mờ", "N": "en nờ", "O": "o",
    "P": "pê", "Q": "quy", "R": "e rờ", "S": "ét xì", "T": "tê", "U": "u", "V": "vê", "W": "vê kép",
    "X": "ích xì", "Y": "i dài", "Z": "dét",
}  # fmt: skip

OPENING = "Mời công dân có số thứ tự"
TO_COUNTER = "đến quầy số"
PAUSE = ","

# A code the board may speak: up to four letters then digits. Anything else is refused, so the
# voice can never be made to say arbitrary text.
CODE_RE = re.compile(r"^([A-ZĐ]{0,4})(\d{1,9})$")


def _unit_after_tens(tens: int, unit: int) -> str:
    if unit == 5:
        return "lăm"
    if tens >= 2 and unit == 1:
        return "mốt"
    if tens >= 2 and unit == 4:
        return "tư"
    return DIGITS[unit]


def _three_digits(value: int, *, full: bool) -> list[str]:
    """Words for 0 < value < 1000; `full` reads hundreds even when zero (a group after a larger one)."""
    hundreds, tens, unit = value // 100, value // 10 % 10, value % 10
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if unit and words:
            words += ["linh", DIGITS[unit]]
        elif unit:
            words.append(DIGITS[unit])
        return words
    words.append("mười" if tens == 1 else f"{DIGITS[tens]} mươi")
    if unit:
        words.append(_unit_after_tens(tens, unit))
    return words


def number_words(n: int) -> list[str]:
    """The words of `n` (0 ≤ n ≤ 999 999 999) one by one: 21 → ["hai", "mươi", "mốt"]."""
    if not 0 <= n <= MAX_NUMBER:
        raise ValueError(f"{n} is outside 0..{MAX_NUMBER}")
    if n == 0:
        return [DIGITS[0]]
    groups = [n // 1_000_000, n // 1000 % 1000, n % 1000]
    words: list[str] = []
    for index, group in enumerate(groups):
        if group:
            words += _three_digits(group, full=bool(words))
            scale = GROUPS[len(groups) - 1 - index]
            if scale:
                words.append(scale)
    return " ".join(words).split()


def number_to_words(n: int) -> str:
    """`1023` → "một nghìn không trăm hai mươi ba"."""
    return " ".join(number_words(n))


def split_code(code: str) -> tuple[str, int]:
    """`"B1023"` → ("B", 1023); raises ValueError for anything that is not letters then digits."""
    match = CODE_RE.match(str(code).strip().upper())
    if match is None:
        raise ValueError(f"not a ticket code: {code!r}")
    return match.group(1), int(match.group(2))


def letter_words(letters: str) -> list[str]:
    """One part per letter (`"DL"` → ["dê", "e lờ"]): a recorded clip holds a letter's whole name."""
    return [LETTER_NAMES[letter] for letter in letters]


def announcement_parts(code: str | int, counter_number: int) -> list[str]:
    """The announcement as phrases, letter names and number words; a "," marks a short pause."""
    letters, number = split_code(str(code))
    if not 0 < int(counter_number) <= MAX_NUMBER:
        raise ValueError(f"not a counter number: {counter_number!r}")
    parts = [OPENING]
    if letters:
        parts += [*letter_words(letters), PAUSE]
    parts += [*number_words(number), TO_COUNTER, *number_words(int(counter_number))]
    return parts


def announcement_text(code: str | int, counter_number: int) -> str:
    """"Mời công dân có số thứ tự một nghìn không trăm hai mươi ba đến quầy số năm"."""
    return " ".join(announcement_parts(code, counter_number)).replace(" ,", ",")
