"""The scheme admin: definitions checked on save, a used scheme's definition frozen (a new version
instead), ratings and assessments read-only."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from motcua.core.models import AuditLog
from motcua.feedback.models import AssessmentScheme

from .test_assessments import give

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("scheme")]


def form(scheme: AssessmentScheme, **changes) -> dict:
    values = {"code": scheme.code, "title": scheme.title, "legal_basis": scheme.legal_basis,
              "valid_from": scheme.valid_from.strftime("%d/%m/%Y"), "definition": json.dumps(scheme.definition)}  # fmt: skip
    return values | changes


@pytest.fixture
def as_admin(client, admin_user):
    client.force_login(admin_user)
    return client


def change_url(scheme: AssessmentScheme) -> str:
    return reverse("admin:feedback_assessmentscheme_change", args=[scheme.pk])


def test_the_list_and_the_detail_show_the_scheme(as_admin, scheme):
    listing = as_admin.get(reverse("admin:feedback_assessmentscheme_changelist"))
    assert listing.status_code == 200 and "nd61-2018" in listing.content.decode()
    detail = as_admin.get(change_url(scheme)).content.decode()
    assert "Tổng thời gian giải quyết thủ tục hành chính" in detail and "(15 – 18]: Xuất sắc" in detail


def test_a_definition_with_a_hole_is_refused_on_save(as_admin, scheme):
    broken = json.loads(json.dumps(scheme.definition))
    broken["grades"][1]["max_inclusive"] = False
    response = as_admin.post(change_url(scheme), form(scheme, definition=json.dumps(broken)))
    assert response.status_code == 200
    assert "Điểm 15 không thuộc xếp loại nào" in response.content.decode()
    assert AssessmentScheme.objects.get(pk=scheme.pk).definition["grades"][1]["max_inclusive"] is True


def test_an_unused_schemes_definition_may_be_edited_and_is_audited(as_admin, scheme):
    edited = json.loads(json.dumps(scheme.definition))
    edited["note"] = "Đã đối chiếu."
    response = as_admin.post(change_url(scheme), form(scheme, definition=json.dumps(edited)))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AssessmentScheme.objects.get(pk=scheme.pk).definition["note"] == "Đã đối chiếu."
    assert AuditLog.objects.get(action="feedback.scheme.changed").data["fields"] == ["definition"]


def test_a_used_schemes_definition_is_frozen(as_admin, scheme, workhorse_returned):
    give(workhorse_returned)
    edited = json.loads(json.dumps(scheme.definition))
    edited["grades"][0]["min"], edited["grades"][1]["max"] = 14, 14
    response = as_admin.post(change_url(scheme), form(scheme, definition=json.dumps(edited)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "đã được dùng để đánh giá 1 hồ sơ nên không sửa nội dung được" in page
    assert "Hãy tạo bộ tiêu chí mới với mã mới và ngày áp dụng mới." in page
    assert AssessmentScheme.objects.get(pk=scheme.pk).definition == scheme.definition
    # The title may still be corrected; the scheme may not be deleted.
    assert as_admin.post(change_url(scheme), form(scheme, title="Bộ chỉ số NĐ 61")).status_code == 302
    delete = reverse("admin:feedback_assessmentscheme_delete", args=[scheme.pk])
    assert as_admin.post(delete, {"post": "yes"}).status_code == 403


def test_a_new_version_is_added_beside_the_old_one(as_admin, scheme):
    add = reverse("admin:feedback_assessmentscheme_add")
    response = as_admin.post(add, form(scheme, code="nd118-2025", valid_from="01/07/2025"))
    assert response.status_code == 302
    assert AssessmentScheme.objects.count() == 2


def test_only_administrators_edit_schemes_and_ratings_are_read_only(client, leader, scheme):
    client.force_login(leader)
    assert client.post(change_url(scheme), form(scheme, title="x")).status_code == 403
    assert client.get(reverse("admin:feedback_ticketrating_add")).status_code == 403
