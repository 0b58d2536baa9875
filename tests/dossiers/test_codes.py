"""Official dossier codes: the format of DOMAIN.md §2.3, gap-free and unique under concurrency."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction
from django.db.transaction import TransactionManagementError

from motcua.dossiers.codes import CodeParts, DossierCodeError, dossier_code_take, split_format
from motcua.dossiers.models import DailySequence

from ..queueing.test_concurrency import _patiently, _run_in_threads

H56 = CodeParts(unit="000.17.22.H56")
MAY_31_2021 = date(2021, 5, 31)


def _take(parts=H56, day=MAY_31_2021) -> str:
    with transaction.atomic():
        return dossier_code_take(parts=parts, day=day)


@pytest.mark.django_db
def test_the_first_dossier_of_the_day_reproduces_the_real_example():
    assert _take() == "000.17.22.H56-210531-0001"
    assert _take() == "000.17.22.H56-210531-0002"


@pytest.mark.django_db
def test_each_unit_and_each_day_counts_from_one():
    _take()
    assert _take(CodeParts(unit="000.00.00.H13")) == "000.00.00.H13-210531-0001"
    assert _take(day=date(2021, 6, 1)) == "000.17.22.H56-210601-0001"


@pytest.mark.django_db
def test_a_rolled_back_acceptance_gives_its_number_back():
    _take()
    with pytest.raises(RuntimeError), transaction.atomic():
        assert dossier_code_take(parts=H56, day=MAY_31_2021) == "000.17.22.H56-210531-0002"
        raise RuntimeError("the acceptance failed after taking its code")
    assert _take() == "000.17.22.H56-210531-0002"  # no gap


@pytest.mark.django_db
def test_at_least_four_digits_and_more_when_needed():
    DailySequence.objects.create(series="000.17.22.H56-210531-", business_date=MAY_31_2021, last_number=9999)
    assert _take() == "000.17.22.H56-210531-10000"


@pytest.mark.django_db
def test_the_centralised_format_is_a_setting(settings):
    settings.MOTCUA = {**settings.MOTCUA, "DOSSIER_CODE_FORMAT": "{agency}-{date:%y%m%d}-{aa}{seq:04d}"}
    assert _take(CodeParts(agency="G22.01.H13", aa="01")) == "G22.01.H13-210531-010001"


@pytest.mark.django_db
def test_a_missing_unit_id_is_refused_in_vietnamese():
    with pytest.raises(DossierCodeError) as refused:
        _take(CodeParts(unit=""))
    assert refused.value.code == "dossier.code.missing_id"
    assert str(refused.value) == "Chưa có mã định danh điện tử (unit) để cấp mã hồ sơ."


@pytest.mark.parametrize("fmt", ["{unit}-{date:%y%m%d}", "{seq}-{unit}", "{unit}-{seq}-{seq}", "{unit}-{seq}x"])
def test_a_format_needs_exactly_one_number_at_its_end(fmt):
    with pytest.raises(DossierCodeError):
        split_format(fmt)


def test_the_series_is_the_format_without_its_number():
    assert split_format("{unit}-{date:%y%m%d}-{seq:04d}") == ("{unit}-{date:%y%m%d}-", "04d")


@pytest.mark.django_db(transaction=True)  # no test transaction around it: autocommit, as a stray caller would be
def test_a_code_is_only_taken_inside_a_transaction():
    with pytest.raises(TransactionManagementError):
        dossier_code_take(parts=H56, day=MAY_31_2021)


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_acceptances_get_fifty_codes_without_gap_or_duplicate():
    def accept(i: int) -> str | None:
        def attempt() -> str | None:
            with transaction.atomic():
                code = dossier_code_take(parts=H56, day=MAY_31_2021)
                if i % 10 == 9:  # every tenth acceptance fails after taking its code
                    transaction.set_rollback(True)
                    return None
                return code

        return _patiently(attempt)

    codes = [code for code in _run_in_threads(accept, count=50) if code is not None]
    assert len(codes) == 45
    assert sorted(codes) == [f"000.17.22.H56-210531-{n:04d}" for n in range(1, 46)]


def test_system_check_rejects_a_format_without_its_number_at_the_end(settings):
    from motcua.dossiers.checks import check_dossier_code_format

    assert check_dossier_code_format() == []
    settings.MOTCUA = {**settings.MOTCUA, "DOSSIER_CODE_FORMAT": "{seq:04d}-{unit}"}
    errors = check_dossier_code_format()
    assert [e.id for e in errors] == ["motcua.dossiers.E001"]
