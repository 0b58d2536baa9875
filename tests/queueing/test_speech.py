"""Numbers and announcements in spoken Vietnamese (the board's voice)."""

import pytest

from motcua.queueing.speech import announcement_parts, announcement_text, number_to_words, split_code

CASES = [
    (0, "không"),
    (1, "một"),
    (4, "bốn"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (19, "mười chín"),
    (20, "hai mươi"),
    (21, "hai mươi mốt"),
    (24, "hai mươi tư"),
    (25, "hai mươi lăm"),
    (31, "ba mươi mốt"),
    (44, "bốn mươi tư"),
    (55, "năm mươi lăm"),
    (99, "chín mươi chín"),
    (100, "một trăm"),
    (101, "một trăm linh một"),
    (104, "một trăm linh bốn"),
    (105, "một trăm linh năm"),
    (110, "một trăm mười"),
    (111, "một trăm mười một"),
    (115, "một trăm mười lăm"),
    (121, "một trăm hai mươi mốt"),
    (999, "chín trăm chín mươi chín"),
    (1000, "một nghìn"),
    (1001, "một nghìn không trăm linh một"),
    (1010, "một nghìn không trăm mười"),
    (1023, "một nghìn không trăm hai mươi ba"),
    (1100, "một nghìn một trăm"),
    (1234, "một nghìn hai trăm ba mươi tư"),
    (2005, "hai nghìn không trăm linh năm"),
    (10000, "mười nghìn"),
    (15000, "mười lăm nghìn"),
    (21000, "hai mươi mốt nghìn"),
    (105000, "một trăm linh năm nghìn"),
    (1000000, "một triệu"),
    (1000500, "một triệu năm trăm"),
    (1000005, "một triệu không trăm linh năm"),
    (2021024, "hai triệu không trăm hai mươi mốt nghìn không trăm hai mươi tư"),
    (12345678, "mười hai triệu ba trăm bốn mươi lăm nghìn sáu trăm bảy mươi tám"),
    (999999999, "chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín"),
]


@pytest.mark.parametrize(("number", "words"), CASES, ids=[str(n) for n, _ in CASES])
def test_number_in_vietnamese_words(number, words):
    assert number_to_words(number) == words


@pytest.mark.parametrize("number", [-1, 1_000_000_000])
def test_numbers_outside_the_range_are_refused(number):
    with pytest.raises(ValueError):
        number_to_words(number)


def test_announcement_of_a_plain_number():
    assert announcement_text("1023", 5) == "Mời công dân có số thứ tự một nghìn không trăm hai mươi ba đến quầy số năm"


def test_announcement_spells_the_prefix_with_vietnamese_letter_names_then_pauses():
    assert announcement_text("B1023", 5) == (
        "Mời công dân có số thứ tự bê, một nghìn không trăm hai mươi ba đến quầy số năm"
    )
    assert announcement_text("DL15", 21) == "Mời công dân có số thứ tự dê e lờ, mười lăm đến quầy số hai mươi mốt"


def test_leading_zeros_of_a_padded_code_are_not_spoken():
    assert announcement_text("B007", 12) == "Mời công dân có số thứ tự bê, bảy đến quầy số mười hai"


def test_parts_are_single_words_between_the_two_phrases():
    assert announcement_parts("C24", 4) == [
        "Mời công dân có số thứ tự", "xê", ",", "hai", "mươi", "tư", "đến quầy số", "bốn",
    ]  # fmt: skip


@pytest.mark.parametrize("code", ["", "B", "1023B", "B-1", "hello world", "ABCDE1", "B" + "1" * 10])
def test_anything_but_letters_then_digits_is_refused(code):
    with pytest.raises(ValueError):
        split_code(code)


@pytest.mark.parametrize("counter", [0, -3])
def test_counter_number_must_be_positive(counter):
    with pytest.raises(ValueError):
        announcement_text("B1", counter)


def test_lower_case_codes_are_accepted():
    assert split_code(" b12 ") == ("B", 12)
