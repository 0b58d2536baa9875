"""Assessment schemes as data (ADR 0010 §2): checking a definition, grading a total, the current one.

A definition is refused unless it can grade every total: the grade bands must cover
0..max_score with no gap and no overlap, each boundary belonging to exactly one band. Thanh Hóa's
bands (> 15, 12 to < 15…) leave exactly 15 without a grade; this is what stops that here.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .models import Answer, AssessmentScheme

SCHEMES_DIR = Path(__file__).resolve().parent / "schemes"
DERIVES = ("time_total", "time_steps", "supplements", "ask")
SCORE_KEYS = {"0", "1", "2"}
# Question codes are keys of `DossierAssessment.answers` that reports look up (`answers__ease`).
_CODE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
Number = int | float | Decimal


def builtin_scheme(name: str = "nd61-2018") -> dict[str, Any]:
    """A scheme file shipped with the app: `{code, title, legal_basis, valid_from, definition}`."""
    data: dict[str, Any] = json.loads((SCHEMES_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return data


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


# --- validation --------------------------------------------------------------------------------


def validate_definition(definition: Any) -> list[str]:
    """Every problem of a definition, in Vietnamese; an empty list means it may be used."""
    if not isinstance(definition, dict):
        return [_("Nội dung bộ tiêu chí phải là một đối tượng JSON.")]
    problems = _indicator_problems(definition) + _question_problems(definition)
    max_score: Any = definition.get("max_score")
    if not _is_number(max_score) or max_score <= 0:
        return [*problems, _("“max_score” phải là một số dương.")]
    indicators = definition.get("indicators")
    if isinstance(indicators, list) and max_score != 2 * len(indicators):
        problems.append(
            _("“max_score” (%(max)s) phải bằng 2 × số chỉ số (%(n)s).") % {"max": max_score, "n": len(indicators)}
        )
    return problems + band_problems(definition.get("grades"), max_score)


def _indicator_problems(definition: dict[str, Any]) -> list[str]:
    indicators = definition.get("indicators")
    if not isinstance(indicators, list) or not indicators:
        return [_("Bộ tiêu chí phải có danh sách chỉ số (“indicators”).")]
    problems, seen = [], set()
    for position, item in enumerate(indicators, start=1):
        number = item.get("number") if isinstance(item, dict) else None
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            problems.append(_("Chỉ số thứ %(i)s: thiếu số thứ tự (số nguyên dương).") % {"i": position})
            continue
        if number in seen:
            problems.append(_("Chỉ số %(n)s bị trùng số thứ tự.") % {"n": number})
        seen.add(number)
        problems += _one_indicator_problems(number, item)
    return problems


def _one_indicator_problems(number: int, item: dict[str, Any]) -> list[str]:
    problems = []
    if not str(item.get("label") or "").strip():
        problems.append(_("Chỉ số %(n)s: thiếu tên.") % {"n": number})
    scores = item.get("scores")
    if not isinstance(scores, dict) or set(scores) != SCORE_KEYS:
        problems.append(_("Chỉ số %(n)s: phải mô tả đúng ba mức điểm 0, 1 và 2.") % {"n": number})
    if item.get("derive") not in DERIVES:
        problems.append(_("Chỉ số %(n)s: cách lấy điểm (“derive”) phải là một trong %(values)s.")
                        % {"n": number, "values": ", ".join(DERIVES)})  # fmt: skip
    return problems


def _question_problems(definition: dict[str, Any]) -> list[str]:
    problems = []
    answers: Any = definition.get("answers")
    values = [a.get("value") for a in answers if isinstance(a, dict)] if isinstance(answers, list) else []
    if not values or len(values) != len(answers) or not set(values) <= set(Answer.values):
        problems.append(_("Các câu trả lời (“answers”) phải thuộc: %(values)s.") % {"values": ", ".join(Answer.values)})
    questions = definition.get("questions")
    if not isinstance(questions, list) or not all(isinstance(q, dict) for q in questions):
        return [*problems, _("Bộ tiêu chí phải có danh sách câu hỏi (“questions”).")]
    codes = [str(q.get("code") or "") for q in questions]
    if not all(_CODE.fullmatch(c) for c in codes) or len(set(codes)) != len(codes):
        problems.append(_("Mỗi câu hỏi phải có mã (“code”) riêng, không trùng, gồm chữ thường không dấu, số và “_”."))
    if sum(1 for q in questions if q.get("overall") is True) != 1:
        problems.append(_("Phải có đúng một câu hỏi đánh giá chung (“overall”: true)."))
    return problems


def band_problems(grades: Any, max_score: Number) -> list[str]:
    """The bands must cover [0, max_score]: sorted, each one starts exactly where the last ended,
    and each shared boundary belongs to exactly one of the two."""
    if not isinstance(grades, list) or not grades:
        return [_("Bộ tiêu chí phải có các khoảng xếp loại (“grades”).")]
    problems = [p for band in grades for p in _band_shape_problems(band)]
    if problems:
        return problems
    bands = sorted(grades, key=lambda b: (b["min"], not b["min_inclusive"]))
    first, last = bands[0], bands[-1]
    if first["min"] != 0 or not first["min_inclusive"]:
        problems.append(_("Khoảng xếp loại thấp nhất phải bắt đầu từ 0 (tính cả 0)."))
    if last["max"] != max_score or not last["max_inclusive"]:
        problems.append(_("Khoảng xếp loại cao nhất phải kết thúc ở %(max)s (tính cả %(max)s).") % {"max": max_score})
    for lower, upper in zip(bands, bands[1:], strict=False):
        problems += _seam_problems(lower, upper)
    return problems


def _band_shape_problems(band: Any) -> list[str]:
    if not isinstance(band, dict) or not str(band.get("grade") or "").strip() or not band.get("label"):
        return [_("Mỗi khoảng xếp loại phải có mã (“grade”) và tên (“label”).")]
    name = band["label"]
    if not (_is_number(band.get("min")) and _is_number(band.get("max"))):
        return [_("Xếp loại “%(name)s”: “min” và “max” phải là số.") % {"name": name}]
    if not (isinstance(band.get("min_inclusive"), bool) and isinstance(band.get("max_inclusive"), bool)):
        return [_("Xếp loại “%(name)s”: phải nói rõ có tính hai đầu mút hay không "
                  "(“min_inclusive”, “max_inclusive”).") % {"name": name}]  # fmt: skip
    empty_point = band["min"] == band["max"] and not (band["min_inclusive"] and band["max_inclusive"])
    if band["min"] > band["max"] or empty_point:
        return [_("Xếp loại “%(name)s”: khoảng điểm rỗng.") % {"name": name}]
    return []


def _seam_problems(lower: dict[str, Any], upper: dict[str, Any]) -> list[str]:
    names = {"a": lower["label"], "b": upper["label"]}
    if lower["max"] < upper["min"]:
        return [_("Có khoảng trống giữa “%(a)s” và “%(b)s”: điểm từ %(from)s đến %(to)s không thuộc xếp loại nào.")
                % {**names, "from": lower["max"], "to": upper["min"]}]  # fmt: skip
    if lower["max"] > upper["min"]:
        return [_("Hai xếp loại “%(a)s” và “%(b)s” chồng lên nhau.") % names]
    point = {**names, "point": lower["max"]}
    if not lower["max_inclusive"] and not upper["min_inclusive"]:
        return [_("Điểm %(point)s không thuộc xếp loại nào (giữa “%(a)s” và “%(b)s”).") % point]
    if lower["max_inclusive"] and upper["min_inclusive"]:
        return [_("Điểm %(point)s thuộc cả hai xếp loại “%(a)s” và “%(b)s”.") % point]
    return []


# --- use ---------------------------------------------------------------------------------------


def _contains(band: dict[str, Any], total: Number) -> bool:
    above = total >= band["min"] if band["min_inclusive"] else total > band["min"]
    below = total <= band["max"] if band["max_inclusive"] else total < band["max"]
    return above and below


def grade_for(definition: dict[str, Any], total: Number) -> tuple[str, str]:
    """(grade code, label) of a total — an assessment's, or an average such as 14.5."""
    for band in definition["grades"]:
        if _contains(band, total):
            return str(band["grade"]), str(band["label"])
    raise ValueError(f"no grade band holds {total}")  # a validated definition never gets here


def scheme_current(on: date) -> AssessmentScheme:
    """The scheme in force on `on` (the latest `valid_from` not after it); DoesNotExist if none."""
    scheme = AssessmentScheme.objects.filter(valid_from__lte=on).order_by("-valid_from", "-id").first()
    if scheme is None:
        raise AssessmentScheme.DoesNotExist(f"no assessment scheme in force on {on}")
    return scheme


def indicators_by_derive(definition: dict[str, Any]) -> dict[int, str]:
    return {int(item["number"]): str(item["derive"]) for item in definition["indicators"]}


def question_codes(definition: dict[str, Any]) -> list[str]:
    return [str(q["code"]) for q in definition["questions"]]


def overall_code(definition: dict[str, Any]) -> str:
    return next(str(q["code"]) for q in definition["questions"] if q.get("overall") is True)


def answer_values(definition: dict[str, Any]) -> list[str]:
    return [str(a["value"]) for a in definition["answers"]]
