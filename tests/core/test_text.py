from decimal import Decimal

import pytest

from motcua.core.text import fold, format_vnd, tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cấp bản sao từ sổ gốc", "cap ban sao tu so goc"),
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("ĐỒNG NAI", "dong nai"),
        ("2.000815", "2.000815"),
    ],
)
def test_fold_strips_diacritics_and_maps_d(text, expected):
    assert fold(text) == expected


def test_tokens_keep_dotted_codes_whole():
    assert tokens("Thủ tục 2.000815, chứng thực") == ["thu", "tuc", "2.000815", "chung", "thuc"]


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(Decimal("50000"), "50.000 đ"), (0, "0 đ"), (Decimal("1234567.5"), "1.234.568 đ"), (200000, "200.000 đ")],
)
def test_format_vnd_uses_dot_thousands_and_dong_sign(amount, expected):
    assert format_vnd(amount) == expected
