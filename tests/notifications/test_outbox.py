"""The outbox prints slips after commit, retries with backoff, never sends twice, never loses a ticket."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError, transaction

from motcua.notifications.models import OutboxMessage, Printer
from motcua.notifications.selectors import printer_problems
from motcua.notifications.services import (
    outbox_claim,
    outbox_deliver,
    outbox_drain,
    outbox_enqueue,
    outbox_retry,
    ticket_slip_print,
)
from motcua.queueing.models import Ticket
from motcua.queueing.services import ticket_issue
from tests.queueing.conftest import TUESDAY_8AM

pytestmark = pytest.mark.django_db
Status = OutboxMessage.Status


@pytest.fixture(autouse=True)
def _tuesday_morning():
    """Delivery after commit reads the clock (it is not the enqueuer's moment): freeze it."""
    with time_machine.travel(TUESDAY_8AM, tick=False):
        yield


def network_printer(center, port: int, **fields) -> Printer:
    return Printer.objects.create(
        center=center, name="Máy in sảnh A", host="127.0.0.1", port=port, is_slip_default=True, **fields
    )


def issue_and_print(queue, capture, now=TUESDAY_8AM) -> OutboxMessage:
    ticket = ticket_issue(queue=queue, channel="kiosk", now=now)
    with capture(execute=True):
        message = ticket_slip_print(ticket=ticket, now=now)
    assert message is not None
    message.refresh_from_db()
    return message


def test_network_printer_receives_the_exact_bytes_after_commit(
    center, slip_queue, printer_server, inline_delivery, django_capture_on_commit_callbacks
):
    network_printer(center, printer_server.port)
    message = issue_and_print(slip_queue, django_capture_on_commit_callbacks)
    payload = bytes(message.payload)
    assert payload.startswith(b"\x1b@") and b"\x1dv0" in payload and payload.endswith(b"\x1dV\x00")
    assert printer_server.wait_for(1) == [payload]
    assert (message.status, message.attempts, message.sent_at, message.subject) == (
        Status.SENT, 1, TUESDAY_8AM, "Phiếu số B001"
    )


def test_nothing_is_sent_before_the_transaction_commits(
    center, slip_queue, printer_server, inline_delivery, django_capture_on_commit_callbacks
):
    network_printer(center, printer_server.port)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        issue = ticket_issue(queue=slip_queue, channel="kiosk", now=TUESDAY_8AM)
        ticket_slip_print(ticket=issue, now=TUESDAY_8AM)
    assert callbacks and printer_server.received == []
    assert OutboxMessage.objects.get().status == Status.PENDING


def test_a_closed_printer_fails_readably_and_the_ticket_stays(
    center, slip_queue, closed_port, inline_delivery, django_capture_on_commit_callbacks
):
    network_printer(center, closed_port)
    message = issue_and_print(slip_queue, django_capture_on_commit_callbacks)
    assert message.status == Status.FAILED and message.attempts == 1
    refused = "máy in từ chối kết nối (máy tắt hoặc sai cổng)"
    assert message.last_error == f"Máy in sảnh A (127.0.0.1:{closed_port}): {refused}"
    assert message.next_attempt_at == TUESDAY_8AM + timedelta(seconds=15)
    assert Ticket.objects.get().code == "B001"
    [problem] = printer_problems(center=center, now=TUESDAY_8AM)
    assert (problem.printer_name, problem.ticket_code, problem.error, problem.retrying) == (
        "Máy in sảnh A", "B001", message.last_error, True
    )


def test_device_printer_writes_the_bytes_to_its_file(
    center, slip_queue, tmp_path, inline_delivery, django_capture_on_commit_callbacks
):
    device = tmp_path / "lp0"
    Printer.objects.create(center=center, name="USB", kind="device", device_path=str(device), is_slip_default=True)
    message = issue_and_print(slip_queue, django_capture_on_commit_callbacks)
    assert message.status == Status.SENT
    assert device.read_bytes() == bytes(message.payload)


def test_missing_device_is_a_readable_failure(
    center, slip_queue, tmp_path, inline_delivery, django_capture_on_commit_callbacks
):
    path = tmp_path / "khong-co" / "lp0"
    Printer.objects.create(center=center, name="USB", kind="device", device_path=str(path), is_slip_default=True)
    message = issue_and_print(slip_queue, django_capture_on_commit_callbacks)
    assert message.last_error == f"USB ({path}): không tìm thấy thiết bị {path}"


def test_drain_retries_after_the_backoff(
    center, slip_queue, closed_port, printer_server, inline_delivery, django_capture_on_commit_callbacks
):
    printer = network_printer(center, closed_port)
    message = issue_and_print(slip_queue, django_capture_on_commit_callbacks)
    printer.port = printer_server.port  # the printer is switched back on
    printer.save()
    assert outbox_drain(now=TUESDAY_8AM + timedelta(seconds=10)).sent == 0  # not due yet
    assert outbox_drain(now=TUESDAY_8AM + timedelta(seconds=15)).sent == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (Status.SENT, 2, "")
    assert printer_server.wait_for(1) == [bytes(message.payload)]
    assert printer_problems(center=center, now=TUESDAY_8AM + timedelta(seconds=15)) == []


def test_backoff_grows_then_gives_up_until_staff_resend(
    center, slip_queue, closed_port, printer_server, settings, django_capture_on_commit_callbacks
):
    settings.MOTCUA = {**settings.MOTCUA, "OUTBOX_DELIVERY": "inline", "OUTBOX_MAX_ATTEMPTS": 3}
    printer = network_printer(center, closed_port)
    message = issue_and_print(slip_queue, django_capture_on_commit_callbacks)
    moments = [TUESDAY_8AM + timedelta(seconds=15), TUESDAY_8AM + timedelta(seconds=45)]
    for now in moments:
        assert outbox_drain(now=now).failed == 1
    message.refresh_from_db()
    assert message.attempts == 3 and message.next_attempt_at is None  # 15 s, then 30 s, then no more
    assert outbox_drain(now=TUESDAY_8AM + timedelta(days=1)).sent == 0
    assert printer_problems(center=center, now=moments[-1])[0].retrying is False
    printer.port = printer_server.port
    printer.save()
    with django_capture_on_commit_callbacks(execute=True):
        outbox_retry(message=message)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)


def test_a_claimed_message_cannot_be_claimed_again_until_its_lease_expires(center):
    printer = network_printer(center, 9)
    message = outbox_enqueue(channel="printer", payload=b"x", printer=printer, now=TUESDAY_8AM)
    assert outbox_claim(message_id=message.pk, now=TUESDAY_8AM) is not None
    assert outbox_claim(message_id=message.pk, now=TUESDAY_8AM) is None
    assert outbox_deliver(message, now=TUESDAY_8AM + timedelta(seconds=60)) is False  # still held
    assert outbox_claim(message_id=message.pk, now=TUESDAY_8AM + timedelta(minutes=6)) is not None  # worker died


def test_drawing_trouble_is_recorded_not_raised(center, slip_queue, monkeypatch):
    network_printer(center, 9)
    ticket = ticket_issue(queue=slip_queue, channel="kiosk", now=TUESDAY_8AM)

    def broken(*args, **kwargs):
        raise ValueError("font missing")

    monkeypatch.setattr("motcua.notifications.services.slip_escpos", broken)
    message = ticket_slip_print(ticket=ticket, now=TUESDAY_8AM)
    assert message.status == Status.FAILED and message.last_error == "Không tạo được phiếu in: font missing"
    assert Ticket.objects.filter(pk=ticket.pk).exists()


def test_no_default_printer_means_no_message(center, slip_queue):
    Printer.objects.create(center=center, name="Quầy 1", host="127.0.0.1")  # not the slip printer
    ticket = ticket_issue(queue=slip_queue, channel="kiosk", now=TUESDAY_8AM)
    assert ticket_slip_print(ticket=ticket, now=TUESDAY_8AM) is None
    assert not OutboxMessage.objects.exists()


def test_a_center_has_one_default_slip_printer(center):
    network_printer(center, 9100)
    with pytest.raises(IntegrityError), transaction.atomic():
        network_printer(center, 9101)


def test_printer_problems_lists_late_and_failed_messages_of_the_center(center, organisation):
    from motcua.core.models import Center

    here = network_printer(center, 9)
    there = network_printer(Center.objects.get(code="ninhkieu"), 9)
    late = outbox_enqueue(channel="printer", payload=b"x", printer=here, subject="late", now=TUESDAY_8AM)
    outbox_enqueue(channel="printer", payload=b"x", printer=here, now=TUESDAY_8AM + timedelta(seconds=50))
    outbox_enqueue(channel="printer", payload=b"x", printer=there, now=TUESDAY_8AM)
    problems = printer_problems(center=center, now=TUESDAY_8AM + timedelta(seconds=90))
    assert [p.message_id for p in problems] == [late.pk]
    assert problems[0].error == "chờ gửi"


def test_drain_command_once(center, printer_server, capsys):
    printer = network_printer(center, printer_server.port)
    outbox_enqueue(channel="printer", payload=b"\x1b@hello", printer=printer)
    call_command("outbox_drain", "--once")
    assert "sent=1 failed=0" in capsys.readouterr().out
    assert printer_server.wait_for(1) == [b"\x1b@hello"]


def test_admin_lists_printers_and_messages_and_resends(client, admin_user, center, closed_port):
    printer = network_printer(center, closed_port)
    message = outbox_enqueue(channel="printer", payload=b"x", printer=printer, subject="Phiếu số B001")
    OutboxMessage.objects.filter(pk=message.pk).update(status=Status.FAILED, attempts=5, next_attempt_at=None)
    client.force_login(admin_user)
    assert "Máy in sảnh A" in client.get("/admin/notifications/printer/").content.decode()
    assert "Phiếu số B001" in client.get("/admin/notifications/outboxmessage/").content.decode()
    response = client.post(
        "/admin/notifications/outboxmessage/", {"action": "resend", "_selected_action": [message.pk]}, follow=True
    )
    assert "Đã đưa 1 tin vào hàng gửi lại." in response.content.decode()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.PENDING, 0)


@pytest.mark.django_db(transaction=True)
def test_two_drains_at_once_send_each_message_once(center, printer_server, settings):
    settings.MOTCUA = {**settings.MOTCUA, "OUTBOX_DELIVERY": "worker"}
    printer = network_printer(center, printer_server.port)
    payloads = [f"slip {n}".encode() for n in range(8)]
    for payload in payloads:
        outbox_enqueue(channel="printer", payload=payload, printer=printer)
    results = []

    def drain():
        from django.db import connection

        try:
            results.append(outbox_drain())
        finally:
            connection.close()

    workers = [threading.Thread(target=drain) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sum(r.sent for r in results) == 8
    assert sorted(printer_server.wait_for(8)) == sorted(payloads)
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {(Status.SENT, 1)}


@pytest.mark.django_db(transaction=True)
def test_default_delivery_runs_in_a_background_thread_after_commit(center, slip_queue, printer_server):
    network_printer(center, printer_server.port)
    ticket = ticket_issue(queue=slip_queue, channel="kiosk", now=TUESDAY_8AM)
    message = ticket_slip_print(ticket=ticket, now=TUESDAY_8AM)
    assert printer_server.wait_for(1) == [bytes(message.payload)]
