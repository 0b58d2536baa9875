"""The pages: the flow through a browser-less client, and ownership tried with other citizens' ids."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.online import services
from motcua.online.models import Draft
from motcua.online.plan import NOT_APPLICABLE
from tests.online.conftest import NOW, pdf_bytes, png_bytes, stream


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_a_procedure_not_online_explains_and_links_the_procedure_page(client, demo_catalog):
    response = client.get("/nop-ho-so/2.000884/")
    assert response.status_code == 200
    assert "chưa nộp trực tuyến được" in response.content.decode()
    assert reverse("portal:detail", args=["2.000884"]) in response.content.decode()


def test_an_unknown_procedure_is_a_404(client, demo_catalog):
    assert client.get("/nop-ho-so/khong-co/").status_code == 404


def test_starting_needs_a_login(client, workhorse):
    response = client.get("/nop-ho-so/1.014390/")
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/?next=")


def test_staff_accounts_are_refused(client_for, reception_officer, workhorse):
    response = client_for(reception_officer).get("/nop-ho-so/1.014390/")
    assert response.status_code == 403


def test_the_whole_flow_through_the_pages(client_for, citizen, workhorse, center):
    client = client_for(citizen)
    page = client.get("/nop-ho-so/1.014390/")
    assert page.status_code == 200 and "cantho" in page.content.decode()
    response = client.post("/nop-ho-so/1.014390/", {"center": "cantho"})
    draft = Draft.objects.get(citizen=citizen)
    assert response["Location"] == reverse("portal:online_applicant", args=[draft.pk])
    form = client.get(response["Location"]).content.decode()
    assert "092090001234" in form and "Trần Văn Bình" in form
    applicant = {"name": "Trần Văn Bình", "national_id": "092090001234", "phone": "0912 345 678",
                 "email": "binh@example.vn", "address": "Ninh Kiều", "return_method": "online"}  # fmt: skip
    response = client.post(reverse("portal:online_applicant", args=[draft.pk]), applicant)
    assert response["Location"] == reverse("portal:online_document", args=[draft.pk, 1])
    named_pdf = SimpleUploadedFile("anh-chup.pdf", png_bytes(), content_type="application/pdf")
    response = client.post(response["Location"], {"cach": "upload", "file": named_pdf})
    assert response["Location"] == reverse("portal:online_document", args=[draft.pk, 2])
    response = client.post(response["Location"], {"cach": NOT_APPLICABLE})
    upload = SimpleUploadedFile("tai-lieu.pdf", pdf_bytes(), content_type="application/pdf")
    response = client.post(response["Location"], {"cach": "upload", "file": upload})
    assert response["Location"] == reverse("portal:online_review", args=[draft.pk])
    review = client.get(response["Location"]).content.decode()
    assert "anh-chup.pdf" in review and "PNG" in review and "Không thuộc trường hợp này" in review
    response = client.post(reverse("portal:online_review", args=[draft.pk]))
    assert response["Location"] == reverse("portal:online_submitted", args=[draft.pk])
    draft.refresh_from_db()
    done = client.get(response["Location"]).content.decode()
    assert str(draft.dossier_id) in done and reverse("portal:my_dossier", args=[draft.dossier_id]) in done
    assert draft.dossier.status == 1 and draft.dossier.applicant_phone == "0912345678"


def test_a_wrong_file_type_comes_back_with_a_clear_message(client_for, citizen, draft):
    client = client_for(citizen)
    url = reverse("portal:online_document", args=[draft.pk, 1])
    fake = SimpleUploadedFile("don.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")
    response = client.post(url, {"cach": "upload", "file": fake})
    assert response.status_code == 422
    text = response.content.decode()
    assert "không phải PDF, JPEG hoặc PNG" in text and 'aria-invalid="true"' in text
    assert not draft.attachments.exists()


def test_an_empty_file_and_no_file_are_explained(client_for, citizen, draft):
    client = client_for(citizen)
    url = reverse("portal:online_document", args=[draft.pk, 1])
    empty = client.post(url, {"cach": "upload", "file": SimpleUploadedFile("a.pdf", b"")})
    assert "không có nội dung" in empty.content.decode()
    nothing = client.post(url, {"cach": "upload"})
    assert nothing.status_code == 422 and "Vui lòng chọn tệp" in nothing.content.decode()


def test_save_and_leave_goes_to_the_drafts_list(client_for, citizen, draft):
    client = client_for(citizen)
    upload = SimpleUploadedFile("don.pdf", pdf_bytes())
    response = client.post(reverse("portal:online_document", args=[draft.pk, 1]),
                           {"cach": "upload", "file": upload, "thoat": "1"})  # fmt: skip
    assert response["Location"] == reverse("portal:online_drafts")
    listing = client.get(response["Location"]).content.decode()
    assert "Đã lưu bản nháp" in listing and draft.procedure.name in listing
    # "Continue" goes to the first page still to answer: the applicant page (return method not chosen).
    assert reverse("portal:online_applicant", args=[draft.pk]) in listing


def test_reuse_is_offered_on_a_later_draft(client_for, citizen, draft, workhorse, center):
    first = services.draft_upload(draft=draft, index=0, stream=stream(pdf_bytes()), original_name="giay-cu.pdf", now=NOW)
    second = services.draft_start(citizen=citizen, procedure=workhorse, center=center, now=NOW)
    client = client_for(citizen)
    url = reverse("portal:online_document", args=[second.pk, 1])
    assert "giay-cu.pdf" in client.get(url).content.decode()
    client.post(url, {"cach": f"dung-lai-{first.pk}"})
    assert second.attachments.get().reused_from == first


def test_a_citizen_never_reaches_another_citizens_draft_or_file(client_for, citizen, other_citizen, draft):
    attachment = services.draft_upload(draft=draft, index=0, stream=stream(pdf_bytes()), original_name="a.pdf", now=NOW)
    client = client_for(other_citizen)
    for url in (
        reverse("portal:online_applicant", args=[draft.pk]),
        reverse("portal:online_document", args=[draft.pk, 1]),
        reverse("portal:online_review", args=[draft.pk]),
        reverse("portal:online_submitted", args=[draft.pk]),
        reverse("portal:online_attachment", args=[attachment.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("portal:online_review", args=[draft.pk])).status_code == 404
    # Nor reuse it in their own draft by typing its id.
    theirs = services.draft_start(citizen=other_citizen, procedure=draft.procedure, center=draft.center, now=NOW)
    response = client.post(reverse("portal:online_document", args=[theirs.pk, 1]), {"cach": f"dung-lai-{attachment.pk}"})
    assert response.status_code == 422 and not theirs.attachments.exists()


def test_the_owner_downloads_their_own_attachment(client_for, citizen, draft):
    attachment = services.draft_upload(draft=draft, index=0, stream=stream(pdf_bytes()), original_name="don.pdf", now=NOW)
    response = client_for(citizen).get(reverse("portal:online_attachment", args=[attachment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]


# --- my dossiers --------------------------------------------------------------------------------


@pytest.fixture
def submitted(draft):
    services.draft_save_applicant(draft=draft, applicant=draft.answers["applicant"], return_method="online", now=NOW)
    services.draft_upload(draft=draft, index=0, stream=stream(pdf_bytes()), original_name="don.pdf", now=NOW)
    services.draft_answer(draft=draft, index=1, answer=NOT_APPLICABLE, now=NOW)
    services.draft_upload(draft=draft, index=2, stream=stream(png_bytes()), original_name="anh.png", now=NOW)
    return services.draft_submit(draft=draft, now=NOW)


def test_my_dossiers_lists_mine_only(client_for, citizen, other_citizen, submitted, accepted):
    # `accepted` was filed at the counter for someone else's ID number.
    page = client_for(citizen).get(reverse("portal:my_dossiers"))
    assert page.status_code == 200
    assert list(page.context["rows"][i][0] for i in range(len(page.context["rows"]))) == [submitted]
    assert client_for(other_citizen).get(reverse("portal:my_dossiers")).context["rows"] == []


def test_a_dossier_filed_at_the_counter_in_my_id_number_is_mine(client_for, procedure, center, reception_officer, db):
    from motcua.dossiers.services import dossier_accept
    from tests.dossiers.conftest import TUESDAY_8AM, make_intake
    from tests.online.conftest import make_citizen

    owner = make_citizen("anh", "092190001234", name="Nguyễn Thị Ánh")  # make_intake's applicant
    dossier = dossier_accept(officer=reception_officer, intake=make_intake(procedure), center=center, now=TUESDAY_8AM)
    page = client_for(owner).get(reverse("portal:my_dossier", args=[dossier.pk]))
    assert page.status_code == 200 and dossier.code in page.content.decode()


def test_my_dossier_page_shows_status_timeline_and_audits_the_read(client_for, citizen, submitted):
    from motcua.core.models import AuditLog

    page = client_for(citizen).get(reverse("portal:my_dossier", args=[submitted.pk]))
    text = page.content.decode()
    assert "Mới đăng ký" in text and "Đã nộp hồ sơ" in text and "tiếp nhận hoặc từ chối" in text
    log = AuditLog.objects.get(action="dossiers.dossier.personal_data_viewed", object_id=str(submitted.pk))
    assert log.actor == citizen and log.data["via"] == "citizen_portal"


def test_my_dossier_lists_the_notices_sent(client_for, citizen, submitted, reception_officer):
    from motcua.dossiers.services import dossier_accept

    dossier_accept(officer=reception_officer, dossier=submitted, expected_version=submitted.version, now=NOW)
    text = client_for(citizen).get(reverse("portal:my_dossier", args=[submitted.pk])).content.decode()
    assert "đã được tiếp nhận" in text and "Thư điện tử" in text


def test_another_citizen_gets_404_for_every_dossier_url(client_for, other_citizen, submitted):
    document = submitted.documents.exclude(scan="").first()
    client = client_for(other_citizen)
    for url in (
        reverse("portal:my_dossier", args=[submitted.pk]),
        reverse("portal:my_dossier_result", args=[submitted.pk]),
        reverse("portal:my_dossier_file", args=[submitted.pk, document.pk]),
        reverse("portal:my_dossier_supplement", args=[submitted.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("portal:my_dossier_supplement", args=[submitted.pk])).status_code == 404


def test_a_document_of_another_dossier_is_not_reachable_through_mine(client_for, citizen, other_citizen, submitted,
                                                                    workhorse, center):  # fmt: skip
    theirs = services.draft_start(citizen=other_citizen, procedure=workhorse, center=center, now=NOW)
    services.draft_save_applicant(draft=theirs, applicant=theirs.answers["applicant"], return_method="counter", now=NOW)
    services.draft_upload(draft=theirs, index=0, stream=stream(pdf_bytes()), original_name="x.pdf", now=NOW)
    services.draft_answer(draft=theirs, index=1, answer=NOT_APPLICABLE, now=NOW)
    services.draft_upload(draft=theirs, index=2, stream=stream(pdf_bytes()), original_name="y.pdf", now=NOW)
    their_dossier = services.draft_submit(draft=theirs, now=NOW)
    their_doc = their_dossier.documents.exclude(scan="").first()
    url = reverse("portal:my_dossier_file", args=[submitted.pk, their_doc.pk])  # my dossier, their document
    assert client_for(citizen).get(url).status_code == 404


def test_the_owner_downloads_their_scan(client_for, citizen, submitted):
    document = submitted.documents.exclude(scan="").order_by("ordering").first()
    response = client_for(citizen).get(reverse("portal:my_dossier_file", args=[submitted.pk, document.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")


def _with_result(dossier, *, status):
    from motcua.dossiers.models import Dossier, DossierResult

    result = DossierResult(dossier=dossier, kind=DossierResult.Kind.ELECTRONIC, approved_at=NOW, document_number="12/QĐ")
    result.file.save("ket-qua.pdf", ContentFile(pdf_bytes("ket qua")), save=False)
    result.save()
    Dossier.objects.filter(pk=dossier.pk).update(status=status, code="000.17.22.H56-260310-0001")


def test_the_electronic_result_downloads_for_the_owner_only_once_released(client_for, citizen, other_citizen, submitted):
    url = reverse("portal:my_dossier_result", args=[submitted.pk])
    _with_result(submitted, status=4)  # approved, not yet released
    assert client_for(citizen).get(url).status_code == 404
    from motcua.dossiers.models import Dossier

    Dossier.objects.filter(pk=submitted.pk).update(status=9)
    page = client_for(citizen).get(reverse("portal:my_dossier", args=[submitted.pk])).content.decode()
    assert url in page
    response = client_for(citizen).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "ket-qua-000.17.22.H56-260310-0001.pdf" in response["Content-Disposition"]
    assert client_for(other_citizen).get(url).status_code == 404


# --- supplement online ----------------------------------------------------------------------------


@pytest.fixture
def waiting_for_supplement(submitted, reception_officer, khcn_officer):
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.services import dossier_accept, dossier_request_supplement

    dossier = dossier_accept(officer=reception_officer, dossier=submitted, expected_version=submitted.version, now=NOW)
    dossier = Dossier.objects.get(pk=dossier.pk)
    dossier_request_supplement(officer=khcn_officer, dossier=dossier, expected_version=dossier.version,
                               items=[{"document": "Bản sao quyết định thành lập"}],
                               reason="Thiếu quyết định thành lập", now=NOW)  # fmt: skip
    return Dossier.objects.get(pk=dossier.pk)


def test_the_citizen_sends_a_supplement_and_the_status_waits_for_the_officer(client_for, citizen, waiting_for_supplement):
    dossier = waiting_for_supplement
    client = client_for(citizen)
    assert "Gửi giấy tờ bổ sung trực tuyến" in client.get(reverse("portal:my_dossier", args=[dossier.pk])).content.decode()
    url = reverse("portal:my_dossier_supplement", args=[dossier.pk])
    wrong = client.post(url, {"muc": "0", "file": SimpleUploadedFile("qd.pdf", b"plain text")})
    assert wrong.status_code == 422 and "không phải PDF" in wrong.content.decode()
    response = client.post(url, {"muc": "0", "file": SimpleUploadedFile("qd.jpg", png_bytes())})
    assert response.status_code == 200 and "Đã gửi" in response.content.decode()
    line = dossier.documents.get(supplement__isnull=False)
    assert line.name == "Bản sao quyết định thành lập" and line.scan.name.endswith(".png")
    dossier.refresh_from_db()
    assert dossier.status == 5
    event = dossier.events.get(action="dossier.supplement_uploaded")
    assert (event.actor, event.actor_kind) == (citizen, "citizen")


def test_the_supplement_page_of_a_dossier_without_request_goes_back_to_the_dossier(client_for, citizen, submitted):
    response = client_for(citizen).get(reverse("portal:my_dossier_supplement", args=[submitted.pk]))
    assert response["Location"] == reverse("portal:my_dossier", args=[submitted.pk])
