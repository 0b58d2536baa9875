"""Assessment schemes as data: the shipped Decree 61 file, grade bands that cover 0..18 with no
gap (Thanh Hóa's leaves 15 out) and no overlap, grading of averages, the scheme in force, the
system check and the admin's refusal to re-grade old assessments."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

import pytest
from django.core import checks

from motcua.feedback.models import AssessmentScheme
from motcua.feedback.schemes import builtin_scheme, grade_for, scheme_current, validate_definition


def nd61() -> dict:
    return builtin_scheme("nd61-2018")["definition"]


def band(grade: str, lo, hi, lo_in: bool, hi_in: bool) -> dict:
    return {
        "grade": grade,
        "label": grade.title(),
        "min": lo,
        "max": hi,
        "min_inclusive": lo_in,
        "max_inclusive": hi_in,
    }


def with_grades(*bands: dict) -> dict:
    definition = nd61()
    definition["grades"] = list(bands)
    return definition


# --- the shipped file ---------------------------------------------------------------------------


def test_the_shipped_decree_61_scheme_validates():
    data = builtin_scheme("nd61-2018")
    definition = data["definition"]
    assert validate_definition(definition) == []
    assert (data["code"], data["valid_from"], definition["max_score"]) == ("nd61-2018", "2018-06-21", 18)
    assert [i["number"] for i in definition["indicators"]] == list(range(1, 10))
    assert [i["derive"] for i in definition["indicators"][:4]] == ["time_total", "time_steps", "supplements", "ask"]
    assert all(set(i["scores"]) == {"0", "1", "2"} for i in definition["indicators"])
    assert [(q["code"], q["number"], q["overall"]) for q in definition["questions"]] == [
        ("ease", 10, False), ("overall", 11, True)]  # fmt: skip
    assert definition["questions"][0]["label"].startswith("Dễ sử dụng")
    assert [a["value"] for a in definition["answers"]] == ["very_satisfied", "satisfied", "not_satisfied"]
    assert "chưa kiểm chứng" in definition["note"]


def test_the_data_migration_loaded_the_file(db):
    stored = AssessmentScheme.objects.get(code="nd61-2018")
    assert stored.definition == nd61()
    assert stored.valid_from == date(2018, 6, 21)


@pytest.mark.parametrize(
    ("total", "grade"),
    [(0, "yeu"), (5.99, "yeu"), (6, "trung_binh"), (8.5, "trung_binh"), (9, "kha"), (11.75, "kha"), (12, "tot"),
     (14.5, "tot"), (15, "tot"), (15.0, "tot"), (Decimal("15.01"), "xuat_sac"), (16, "xuat_sac"), (18, "xuat_sac")],
)  # fmt: skip
def test_totals_and_fractional_averages_are_graded_by_closed_bands(total, grade):
    assert grade_for(nd61(), total)[0] == grade


def test_grade_for_gives_the_label():
    assert grade_for(nd61(), 15) == ("tot", "Tốt")
    assert grade_for(nd61(), 18) == ("xuat_sac", "Xuất sắc")


# --- band validation ----------------------------------------------------------------------------


def test_thanh_hoas_bands_leaving_15_out_are_refused():
    definition = with_grades(
        band("xuat_sac", 15, 18, False, True), band("tot", 12, 15, True, False), band("kha", 9, 12, True, False),
        band("trung_binh", 6, 9, True, False), band("yeu", 0, 6, True, False),
    )  # fmt: skip
    assert validate_definition(definition) == ["Điểm 15 không thuộc xếp loại nào (giữa “Tot” và “Xuat_Sac”)."]


def test_a_boundary_in_two_bands_is_refused():
    definition = with_grades(band("tot", 9, 18, True, True), band("kha", 0, 9, True, True))
    assert validate_definition(definition) == ["Điểm 9 thuộc cả hai xếp loại “Kha” và “Tot”."]


def test_overlapping_bands_are_refused():
    definition = with_grades(band("tot", 8, 18, True, True), band("kha", 0, 10, True, False))
    assert validate_definition(definition) == ["Hai xếp loại “Kha” và “Tot” chồng lên nhau."]


def test_a_gap_between_bands_is_refused():
    definition = with_grades(band("tot", 10, 18, True, True), band("kha", 0, 9, True, True))
    problems = validate_definition(definition)
    assert problems == ["Có khoảng trống giữa “Kha” và “Tot”: điểm từ 9 đến 10 không thuộc xếp loại nào."]


@pytest.mark.parametrize(
    ("bands", "problem"),
    [
        ([band("a", 0, 18, False, True)], "Khoảng xếp loại thấp nhất phải bắt đầu từ 0 (tính cả 0)."),
        ([band("a", 1, 18, True, True)], "Khoảng xếp loại thấp nhất phải bắt đầu từ 0 (tính cả 0)."),
        ([band("a", 0, 18, True, False)], "Khoảng xếp loại cao nhất phải kết thúc ở 18 (tính cả 18)."),
        ([band("a", 0, 17, True, True)], "Khoảng xếp loại cao nhất phải kết thúc ở 18 (tính cả 18)."),
        ([band("a", 0, 18, True, True), band("b", 5, 5, True, False)], "Xếp loại “B”: khoảng điểm rỗng."),
        ([band("a", "0", 18, True, True)], "Xếp loại “A”: “min” và “max” phải là số."),
        ([band("a", 0, 18, True, None)], "Xếp loại “A”: phải nói rõ có tính hai đầu mút hay không "
                                          "(“min_inclusive”, “max_inclusive”)."),
        ([], "Bộ tiêu chí phải có các khoảng xếp loại (“grades”)."),
    ],
)  # fmt: skip
def test_bands_must_start_at_0_end_at_the_maximum_and_be_well_formed(bands, problem):
    assert problem in validate_definition(with_grades(*bands))


def test_one_band_for_everything_is_valid():
    assert validate_definition(with_grades(band("dat", 0, 18, True, True))) == []


# --- indicators and questions -------------------------------------------------------------------


def test_indicator_numbers_must_be_unique_and_scores_0_to_2():
    definition = nd61()
    definition["indicators"][1]["number"] = 1
    definition["indicators"][2]["scores"] = {"0": "a", "1": "b", "3": "c"}
    definition["indicators"][3]["derive"] = "guess"
    problems = validate_definition(definition)
    assert "Chỉ số 1 bị trùng số thứ tự." in problems
    assert "Chỉ số 3: phải mô tả đúng ba mức điểm 0, 1 và 2." in problems
    assert any(p.startswith("Chỉ số 4: cách lấy điểm") for p in problems)


def test_the_maximum_is_twice_the_number_of_indicators():
    definition = nd61()
    definition["indicators"].pop()
    assert "“max_score” (18) phải bằng 2 × số chỉ số (8)." in validate_definition(definition)


@pytest.mark.parametrize("overall", [(False, False), (True, True)])
def test_exactly_one_question_is_the_overall_one(overall):
    definition = nd61()
    for question, flag in zip(definition["questions"], overall, strict=True):
        question["overall"] = flag
    assert "Phải có đúng một câu hỏi đánh giá chung (“overall”: true)." in validate_definition(definition)


def test_question_codes_are_unique_slugs_and_answers_are_the_three_known_ones():
    definition = nd61()
    definition["questions"][0]["code"] = "overall"
    definition["answers"].append({"value": "so_so", "label": "Tạm được"})
    problems = validate_definition(definition)
    assert any(p.startswith("Mỗi câu hỏi phải có mã") for p in problems)
    assert any(p.startswith("Các câu trả lời (“answers”)") for p in problems)


@pytest.mark.parametrize("garbage", [None, [], "x", {"max_score": "18"}])
def test_garbage_is_refused_not_crashed_on(garbage):
    assert validate_definition(garbage)


# --- the scheme in force ------------------------------------------------------------------------


def test_the_scheme_in_force_is_the_latest_started(db, scheme):
    later = AssessmentScheme.objects.create(code="nd118-2025", title="Mới", valid_from=date(2025, 7, 1),
                                            definition=nd61())  # fmt: skip
    assert scheme_current(date(2025, 6, 30)) == scheme
    assert scheme_current(date(2025, 7, 1)) == later
    with pytest.raises(AssessmentScheme.DoesNotExist):
        scheme_current(date(2018, 6, 20))


# --- system check -------------------------------------------------------------------------------


def test_the_system_check_reports_an_invalid_scheme_in_the_database(db, scheme):
    from motcua.feedback.checks import check_assessment_schemes

    assert check_assessment_schemes(databases=["default"]) == []
    assert check_assessment_schemes() == []  # without a database, nothing is read
    broken = copy.deepcopy(scheme.definition)
    broken["grades"][1]["max_inclusive"] = False  # Tốt to < 15: 15 falls out
    AssessmentScheme.objects.filter(pk=scheme.pk).update(definition=broken)
    errors = check_assessment_schemes(databases=["default"])
    assert [e.id for e in errors] == ["feedback.E001"]
    assert (
        errors[0].msg
        == "Bộ tiêu chí đánh giá “nd61-2018”: Điểm 15 không thuộc xếp loại nào (giữa “Tốt” và “Xuất sắc”)."
    )
    assert any(e.id == "feedback.E001" for e in checks.run_checks(tags=[checks.Tags.database], databases=["default"]))
