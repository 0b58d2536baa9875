"""The 12-digit ID number: a table of numbers people really type, right and wrong (rule 17)."""

from datetime import date

import pytest

from motcua.identity.national_id import PROVINCE_CODES, NationalIdError, validate_national_id


@pytest.mark.parametrize(
    ("typed", "number", "province", "male", "century"),
    [
        ("092085001234", "092085001234", "Cần Thơ", True, 1900),
        ("093190004567", "093190004567", "Hậu Giang", False, 1900),
        ("094303000001", "094303000001", "Sóc Trăng", False, 2000),
        ("001099123456", "001099123456", "Hà Nội", True, 1900),
        ("079202987654", "079202987654", "Thành phố Hồ Chí Minh", True, 2000),
        ("096400000000", "096400000000", "Cà Mau", True, 2100),
        ("048501234567", "048501234567", "Đà Nẵng", False, 2100),
        ("002600000001", "002600000001", "Hà Giang", True, 2200),
        ("031999999999", "031999999999", "Hải Phòng", False, 2300),
        ("092 085 001 234", "092085001234", "Cần Thơ", True, 1900),  # grouped the way the card prints it
        ("  092085001234\t", "092085001234", "Cần Thơ", True, 1900),  # pasted with blanks around
        ("０９２０８５００１２３４", "092085001234", "Cần Thơ", True, 1900),  # full-width phone keyboard
    ],
)
def test_valid_numbers_are_read(typed, number, province, male, century):
    parsed = validate_national_id(typed)
    assert (parsed.number, parsed.province_name, parsed.male, parsed.century_start) == (
        number, province, male, century,
    )  # fmt: skip
    assert parsed.province_code == number[:3]


@pytest.mark.parametrize(
    ("typed", "code", "words"),
    [
        ("", "empty", "Vui lòng nhập số định danh"),
        ("   ", "empty", "Vui lòng nhập số định danh"),
        (None, "empty", "Vui lòng nhập số định danh"),
        ("09208500123A", "not_digits", "chỉ gồm chữ số"),
        ("092.085.001.234", "not_digits", "chỉ gồm chữ số"),
        ("092-085-001234", "not_digits", "gạch ngang"),
        ("O92085001234", "not_digits", "chỉ gồm chữ số"),  # the letter O typed for a zero
        ("٠٩٢٠٨٥٠٠١٢٣٤", "not_digits", "chỉ gồm chữ số"),  # Arabic-Indic digits are not ID digits
        ("+84092085001", "not_digits", "chỉ gồm chữ số"),
        ("362012345", "length", "chứng minh nhân dân cũ (9 chữ số)"),
        ("36201234", "length", "có 8 chữ số"),
        ("09208500123", "length", "có 11 chữ số"),
        ("0920850012345", "length", "có 13 chữ số"),
        ("000085001234", "province", "(000)"),
        ("003085001234", "province", "(003)"),
        ("090085001234", "province", "(090)"),
        ("097085001234", "province", "(097)"),
        ("999085001234", "province", "(999)"),
    ],
)
def test_invalid_numbers_say_what_is_wrong(typed, code, words):
    with pytest.raises(NationalIdError) as caught:
        validate_national_id(typed)
    assert caught.value.code == f"identity.national_id.{code}"
    assert words in caught.value.message
    assert str(caught.value) == caught.value.message


@pytest.mark.parametrize(
    ("number", "born"),
    [
        ("092085001234", date(1985, 3, 2)),
        ("092185001234", date(1985, 12, 31)),
        ("092200001234", date(2000, 1, 1)),
        ("092399001234", date(2099, 6, 15)),
        ("092000001234", date(1900, 1, 1)),
        ("092199001234", date(1999, 12, 31)),
    ],
)
def test_birth_date_that_agrees_is_accepted(number, born):
    assert validate_national_id(number, birth_date=born).birth_year == born.year


@pytest.mark.parametrize(
    ("number", "born", "words"),
    [
        ("092085001234", date(2085, 3, 2), "1900–1999"),  # 0 says the 1900s
        ("092285001234", date(1985, 3, 2), "2000–2099"),  # 2 says the 2000s
        ("092385001234", date(1985, 3, 2), "2000–2099"),
        ("092185001234", date(1986, 3, 2), "(85)"),  # right century, wrong year
        ("092203001234", date(2004, 1, 1), "(03)"),
        ("092099001234", date(2000, 1, 1), "1900–1999"),
    ],
)
def test_birth_date_that_disagrees_is_refused(number, born, words):
    with pytest.raises(NationalIdError) as caught:
        validate_national_id(number, birth_date=born)
    assert caught.value.code == "identity.national_id.century_mismatch"
    assert words in caught.value.message
    assert str(born.year) in caught.value.message


def test_structure_is_checked_before_the_birth_date():
    with pytest.raises(NationalIdError) as caught:
        validate_national_id("12345", birth_date=date(1985, 1, 1))
    assert caught.value.code == "identity.national_id.length"


def test_every_province_in_the_table_is_accepted():
    for code, name in PROVINCE_CODES.items():
        parsed = validate_national_id(f"{code}085001234")
        assert parsed.province_name == name


def test_province_table_holds_the_can_tho_codes_and_63_provinces():
    can_tho = [PROVINCE_CODES[code] for code in ("092", "093", "094")]
    assert can_tho == ["Cần Thơ", "Hậu Giang", "Sóc Trăng"]
    assert len(PROVINCE_CODES) == 63
    assert all(len(code) == 3 and code.isdigit() for code in PROVINCE_CODES)


def test_gender_digit_even_is_male_odd_is_female():
    assert [validate_national_id(f"092{g}85001234").male for g in range(10)] == [True, False] * 5


def test_number_keeps_its_leading_zeros_as_text():
    assert validate_national_id("001099000001").number == "001099000001"
