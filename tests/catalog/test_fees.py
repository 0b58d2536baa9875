"""Fee arithmetic and wording."""

from __future__ import annotations

from decimal import Decimal

import pytest

from motcua.catalog.fees import fee_amount, fee_describe
from motcua.catalog.models import Fee

from .factories import make_fee


@pytest.mark.parametrize(
    ("pages", "amount"),
    [(1, 2000), (2, 4000), (3, 5000), (10, 12000), (196, 198000), (198, 200000), (250, 200000)],
)
def test_copy_fee_is_2000_a_page_for_two_pages_then_1000_capped_at_200000(db, pages, amount):
    assert fee_amount(make_fee(), pages) == Decimal(amount)


def test_flat_fee_ignores_the_quantity(db):
    fee = make_fee(kind=Fee.Kind.FLAT, amount=Decimal(50000), tiers=[], cap=None)

    assert fee_amount(fee, 7) == Decimal(50000)


def test_tiered_fee_without_a_cap_keeps_adding(db):
    assert fee_amount(make_fee(cap=None), 250) == Decimal(252000)


def test_copy_fee_wording(db):
    assert fee_describe(make_fee()) == "2.000 đ/trang (trang 1–2); 1.000 đ/trang (từ trang thứ 3); tối đa 200.000 đ/bản"


@pytest.mark.parametrize(
    ("values", "text"),
    [
        ({"amount": Decimal(50000), "per": ""}, "50.000 đ"),
        ({"amount": Decimal(50000), "per": "hợp đồng"}, "50.000 đ/hợp đồng"),
        ({"amount": Decimal(0), "per": "bản"}, "Miễn phí"),
    ],
)
def test_flat_fee_wording(db, values, text):
    assert fee_describe(make_fee(kind=Fee.Kind.FLAT, tiers=[], cap=None, **values)) == text


def test_single_page_tier_and_missing_unit_read_naturally(db):
    fee = make_fee(unit="", per="", cap=None, tiers=[(1, 1, 5000), (2, None, 3000)])

    assert fee_describe(fee) == "5.000 đ/đơn vị (đơn vị 1); 3.000 đ/đơn vị (từ đơn vị thứ 2)"
