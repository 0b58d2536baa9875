"""Drafts: started, answered page by page, resumed, files reused, databases skipped, submitted."""

from __future__ import annotations

import pytest

from motcua.online import services
from motcua.online.errors import OnlineError
from motcua.online.models import Attachment, Draft
from motcua.online.plan import NATIONAL_DB, NOT_APPLICABLE, UPLOAD
from tests.online.conftest import NOW, WITH_DATABASES, pdf_bytes, png_bytes, stream


def test_a_draft_starts_with_the_profile_as_applicant(draft, citizen, workhorse):
    assert draft.status == Draft.Status.DRAFT
    assert draft.version_number == workhorse.versions.first().number
    assert draft.answers["applicant"]["national_id"] == "092090001234"
    assert draft.answers["applicant"]["name"] == "Trần Văn Bình"


def test_a_procedure_not_offered_online_cannot_start(citizen, demo_catalog, center):
    from motcua.catalog.models import Procedure

    procedure = Procedure.objects.get(code="2.000884")
    with pytest.raises(OnlineError) as refused:
        services.draft_start(citizen=citizen, procedure=procedure, center=center, now=NOW)
    assert refused.value.code == "draft.not_online"


def test_only_a_center_that_receives_the_procedure(citizen, demo_catalog, center):
    from motcua.catalog.models import Procedure

    procedure = Procedure.objects.get(code=WITH_DATABASES)  # Ninh Kiều and Cái Răng only
    assert center not in services.online_centers(procedure)
    with pytest.raises(OnlineError):
        services.draft_start(citizen=citizen, procedure=procedure, center=center, now=NOW)


def test_location_independent_procedures_list_every_active_center(workhorse):
    from motcua.core.models import Center

    assert {c.pk for c in services.online_centers(workhorse)} == set(Center.objects.filter(is_active=True).values_list("pk", flat=True))


def test_staff_accounts_cannot_start(reception_officer, workhorse, center):
    with pytest.raises(OnlineError) as refused:
        services.draft_start(citizen=reception_officer, procedure=workhorse, center=center, now=NOW)
    assert refused.value.code == "online.not_citizen"


def test_answers_are_kept_and_the_draft_resumes(draft, citizen):
    from motcua.online.selectors import draft_for_citizen, drafts_for_citizen

    services.draft_upload(draft=draft, index=0, stream=stream(pdf_bytes()), original_name="don.pdf", now=NOW)
    again = draft_for_citizen(citizen, draft.pk)
    assert again.answers["documents"] == {"0": UPLOAD}
    assert again.attachments.get().original_name == "don.pdf"
    assert list(drafts_for_citizen(citizen)) == [again]
    assert [p.index for p in services.draft_missing(again)] == [1, 2]


def test_a_new_upload_replaces_the_lines_file_and_removes_it_from_storage(draft):
    first = services.draft_upload(draft=draft, index=0, stream=stream(pdf_bytes("a")), original_name="a.pdf", now=NOW)
    storage, name = first.file.storage, first.file.name
    services.draft_upload(draft=draft, index=0, stream=stream(png_bytes()), original_name="b.pdf", now=NOW)
    only = draft.attachments.get()
    assert only.original_name == "b.pdf" and only.content_type == "image/png" and only.file.name.endswith(".png")
    assert not storage.exists(name)


def test_a_refused_file_leaves_the_draft_as_it_was(draft):
    services.draft_upload(draft=draft, index=0, stream=stream(pdf_bytes()), original_name="don.pdf", now=NOW)
    with pytest.raises(OnlineError):
        services.draft_upload(draft=draft, index=0, stream=stream(b"not a document"), original_name="x.pdf", now=NOW)
    assert draft.attachments.get().original_name == "don.pdf"


def test_an_earlier_file_is_reused_without_storing_it_again(draft, citizen, workhorse, center):
    first = services.draft_upload(draft=draft, index=2, stream=stream(pdf_bytes()), original_name="tai-lieu.pdf", now=NOW)
    second = services.draft_start(citizen=citizen, procedure=workhorse, center=center, now=NOW)
    from motcua.online.selectors import reusable_attachments

    assert reusable_attachments(citizen, draft=second) == [first]
    reused = services.draft_reuse(draft=second, index=0, source=first, now=NOW)
    assert reused.file.name == first.file.name and reused.reused_from == first and reused.sha256 == first.sha256
    assert second.answers["documents"] == {"0": UPLOAD}
    # Replacing the reused copy keeps the stored object the first draft still uses.
    services.draft_upload(draft=second, index=0, stream=stream(png_bytes()), original_name="p.png", now=NOW)
    assert first.file.storage.exists(first.file.name)


def test_another_citizens_file_cannot_be_reused(draft, other_citizen, workhorse, center):
    theirs = services.draft_start(citizen=other_citizen, procedure=workhorse, center=center, now=NOW)
    their_file = services.draft_upload(draft=theirs, index=0, stream=stream(pdf_bytes()), original_name="x.pdf", now=NOW)
    with pytest.raises(OnlineError) as refused:
        services.draft_reuse(draft=draft, index=0, source=their_file, now=NOW)
    assert refused.value.code == "draft.not_yours"


def test_conditional_lines_may_be_answered_not_applicable_and_others_not(draft):
    services.draft_answer(draft=draft, index=1, answer=NOT_APPLICABLE, now=NOW)  # "…, trừ trường hợp bị mất"
    with pytest.raises(OnlineError):
        services.draft_answer(draft=draft, index=0, answer=NOT_APPLICABLE, now=NOW)
    with pytest.raises(OnlineError):
        services.draft_answer(draft=draft, index=0, answer=NATIONAL_DB, now=NOW)


@pytest.fixture
def database_draft(citizen, demo_catalog):
    from motcua.catalog.models import Procedure
    from motcua.core.models import Center

    procedure = Procedure.objects.get(code=WITH_DATABASES)
    return services.draft_start(citizen=citizen, procedure=procedure, center=Center.objects.get(code="ninhkieu"), now=NOW)


def test_lines_in_a_national_database_need_no_file(database_draft):
    pages = services.draft_pages(database_draft)
    assert [p.replaced_by for p in pages] == ["", "population", "civil_status"]
    services.draft_upload(draft=database_draft, index=0, stream=stream(pdf_bytes()), original_name="to-khai.pdf", now=NOW)
    services.draft_answer(draft=database_draft, index=1, answer=NATIONAL_DB, now=NOW)
    services.draft_answer(draft=database_draft, index=2, answer=NATIONAL_DB, now=NOW)
    assert services.draft_missing(database_draft) == []
    dossier = services.draft_submit(draft=database_draft, now=NOW)
    lines = list(dossier.documents.order_by("ordering"))
    assert [(d.provided, bool(d.scan), d.replaced_by) for d in lines] == [
        (True, True, ""), (True, False, "population"), (True, False, "civil_status"),
    ]


def _complete(draft):
    services.draft_save_applicant(draft=draft, applicant=draft.answers["applicant"], return_method="online", now=NOW)
    services.draft_upload(draft=draft, index=0, stream=stream(pdf_bytes()), original_name="don.pdf", now=NOW)
    services.draft_answer(draft=draft, index=1, answer=NOT_APPLICABLE, now=NOW)
    services.draft_upload(draft=draft, index=2, stream=stream(png_bytes()), original_name="anh.jpg", now=NOW)


def test_submit_refuses_an_incomplete_draft(draft):
    services.draft_upload(draft=draft, index=0, stream=stream(pdf_bytes()), original_name="don.pdf", now=NOW)
    with pytest.raises(OnlineError) as refused:
        services.draft_submit(draft=draft, now=NOW)
    assert refused.value.code == "draft.incomplete"
    assert Draft.objects.get(pk=draft.pk).status == Draft.Status.DRAFT


def test_submit_creates_a_status_1_online_dossier_with_the_scans(draft, citizen, center):
    from motcua.dossiers.models import Dossier

    _complete(draft)
    dossier = services.draft_submit(draft=draft, ip="203.0.113.9", now=NOW)
    assert (dossier.status, dossier.channel, dossier.code, dossier.receiving_center) == (1, "online", None, center)
    assert dossier.return_method == Dossier.ReturnMethod.ONLINE
    assert dossier.applicant_national_id == "092090001234"
    event = dossier.events.get()
    assert (event.action, event.actor, event.actor_kind) == ("dossier.submitted", citizen, "citizen")
    lines = list(dossier.documents.order_by("ordering"))
    files = {a.document_index: a.file.name for a in Attachment.objects.filter(draft=draft)}
    assert [d.scan.name for d in lines] == [files[0], "", files[2]]
    assert [d.provided for d in lines] == [True, False, True]
    assert lines[0].scan.read().startswith(b"%PDF-")
    draft.refresh_from_db()
    assert (draft.status, draft.dossier, draft.submitted_at) == (Draft.Status.SUBMITTED, dossier, NOW)


def test_a_submitted_draft_cannot_be_changed_or_sent_twice(draft):
    _complete(draft)
    services.draft_submit(draft=draft, now=NOW)
    with pytest.raises(OnlineError):
        services.draft_submit(draft=draft, now=NOW)
    draft.refresh_from_db()
    with pytest.raises(OnlineError):
        services.draft_answer(draft=draft, index=1, answer=NOT_APPLICABLE, now=NOW)


def test_the_online_waiting_list_shows_the_submitted_dossier_and_it_can_be_accepted(draft, reception_officer, center):
    from motcua.dossiers.selectors import dossier_reception_list
    from motcua.dossiers.services import dossier_accept

    _complete(draft)
    dossier = services.draft_submit(draft=draft, now=NOW)
    assert list(dossier_reception_list(reception_officer, center, "online_waiting", now=NOW)) == [dossier]
    accepted = dossier_accept(officer=reception_officer, dossier=dossier, expected_version=dossier.version, now=NOW)
    assert accepted.code and accepted.status == 4


def test_a_new_procedure_version_restarts_the_checklist_and_keeps_the_files(draft, workhorse):
    from motcua.catalog.services import procedure_record_version

    attachment = services.draft_upload(draft=draft, index=0, stream=stream(pdf_bytes()), original_name="don.pdf", now=NOW)
    workhorse.documents.filter(ordering=workhorse.documents.order_by("ordering").last().ordering).update(name="Tài liệu mới")
    procedure_record_version(procedure=workhorse)
    with pytest.raises(OnlineError) as refused:
        services.draft_submit(draft=draft, now=NOW)
    assert refused.value.code == "draft.version_changed"
    draft.refresh_from_db()
    assert draft.answers["documents"] == {} and not draft.attachments.exists()
    attachment.refresh_from_db()
    assert attachment.draft is None  # still in the citizen's store, ready to reuse
