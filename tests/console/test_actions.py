"""Every counter button: what it changes, the Vietnamese message it leaves, and its refusals."""

from __future__ import annotations

import pytest

from motcua.queueing.models import Counter, Ticket

from .conftest import issue

pytestmark = pytest.mark.django_db
Status = Ticket.Status


def post(client, counter, action, **data):
    """POST a counter button and follow the redirect (PRG); returns (final page text, response)."""
    response = client.post(f"/console/quay/{counter.pk}/{action}/", data, follow=True)
    assert response.redirect_chain, "every action redirects"
    return response.content.decode(), response


def shown(ticket) -> str:
    return str(ticket.pk) if ticket else ""


@pytest.fixture
def called(officer_client, desk, queue_b, clock):
    """B001 called at counter 1 through the screen."""
    ticket = issue(queue_b)
    post(officer_client, desk, "goi-tiep", ticket="")
    ticket.refresh_from_db()
    assert ticket.status == Status.CALLED
    return ticket


def test_sign_in_from_the_choose_page(client, leader, desk, center, clock):
    free = Counter.objects.get(center=center, number=2)
    client.force_login(leader)
    page, response = post(client, free, "vao-quay")
    assert response.redirect_chain[-1][0] == f"/console/quay/{free.pk}/"
    assert "Bạn đã vào làm việc tại quầy số 2." in page
    free.refresh_from_db()
    assert (free.officer, free.state) == (leader, Counter.State.OPEN)


def test_sign_in_to_a_taken_counter_is_refused(client, leader, desk, clock):
    client.force_login(leader)
    page, _ = post(client, desk, "vao-quay")
    assert "Quầy số 1 đang có cán bộ" in page  # named by the service (get_full_name or username)
    desk.refresh_from_db()
    assert desk.officer.username == "tiepnhan"


def test_call_next_shows_the_ticket_big(officer_client, desk, queue_b, elderly, clock):
    issue(queue_b, 0)
    issue(queue_b, 1, priority=elderly)
    page, _ = post(officer_client, desk, "goi-tiep", ticket="")
    assert "Đã gọi số B002." in page
    assert 'data-testid="current-code">B002<' in page
    assert "Người cao tuổi" in page and "Đang gọi — chờ công dân đến quầy" in page
    assert 'data-testid="waiting-b">1<' in page


def test_call_next_with_nobody_waiting(officer_client, desk, clock):
    page, _ = post(officer_client, desk, "goi-tiep", ticket="")
    assert "Hiện không còn công dân nào đang chờ." in page


def test_double_submit_of_call_next_does_not_skip_a_citizen(officer_client, desk, queue_b, clock):
    first, second = issue(queue_b, 0), issue(queue_b, 1)
    post(officer_client, desk, "goi-tiep", ticket="")
    page, _ = post(officer_client, desk, "goi-tiep", ticket="")  # the same form, posted again
    assert "Số B001 vừa được gọi đến quầy. Lệnh gọi lặp lại đã được bỏ qua để không bỏ sót công dân." in page
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == (Status.CALLED, Status.WAITING)
    # With the ticket the screen now shows, the next press finishes B001 and calls B002.
    page, _ = post(officer_client, desk, "goi-tiep", ticket=shown(first))
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == (Status.DONE, Status.CALLED)
    page, _ = post(officer_client, desk, "goi-tiep", ticket=shown(first))  # double click again
    second.refresh_from_db()
    assert second.status == Status.CALLED and "Số B002 vừa được gọi" in page


def test_a_stale_ticket_action_is_refused(officer_client, desk, called, queue_b):
    other = issue(queue_b, 5)
    page, _ = post(officer_client, desk, "ket-thuc", ticket=shown(other))
    assert "Quầy đang phục vụ số B001, khác với số trên màn hình của bạn." in page
    called.refresh_from_db()
    assert called.status == Status.CALLED


def test_action_on_a_ticket_already_gone(officer_client, desk, called):
    post(officer_client, desk, "ket-thuc", ticket=shown(called))
    page, _ = post(officer_client, desk, "ket-thuc", ticket=shown(called))
    assert "Số trên màn hình của bạn đã được xử lý xong." in page


def test_recall_counts_and_says_which_time(officer_client, desk, called):
    page, _ = post(officer_client, desk, "goi-lai", ticket=shown(called))
    assert "Đã gọi lại số B001 (lần 1)." in page
    assert 'data-testid="current-recalls">1<' in page


def test_start_then_finish(officer_client, desk, called):
    page, _ = post(officer_client, desk, "bat-dau", ticket=shown(called))
    assert "Bắt đầu phục vụ số B001." in page and "Đang phục vụ" in page
    page, _ = post(officer_client, desk, "ket-thuc", ticket=shown(called))
    assert "Đã kết thúc số B001." in page
    assert 'data-testid="served-today">1<' in page
    assert "Chưa có công dân tại quầy" in page
    called.refresh_from_db()
    assert called.status == Status.DONE


def test_recall_while_serving_is_refused_with_the_reason(officer_client, desk, called):
    post(officer_client, desk, "bat-dau", ticket=shown(called))
    page, _ = post(officer_client, desk, "goi-lai", ticket=shown(called))
    assert "Số B001 không ở trạng thái đã gọi nên không thể gọi lại." in page


def test_no_show_recycled_once_then_only_no_show(officer_client, desk, called):
    page, _ = post(officer_client, desk, "vang-mat", ticket=shown(called), recycle="1")
    assert "Số B001 vắng mặt: đã xếp lại cuối hàng một lần." in page
    called.refresh_from_db()
    assert (called.status, called.recycled) == (Status.WAITING, True)
    page, _ = post(officer_client, desk, "goi-tiep", ticket="")
    assert "Đã xếp lại cuối hàng một lần" in page
    assert 'name="recycle" value="1" disabled' in page  # the option is greyed out now
    page, _ = post(officer_client, desk, "vang-mat", ticket=shown(called), recycle="1")
    assert "Số B001 đã được xếp lại cuối hàng một lần, chỉ có thể ghi nhận vắng mặt." in page
    page, _ = post(officer_client, desk, "vang-mat", ticket=shown(called))
    assert "Đã ghi nhận số B001 vắng mặt." in page
    called.refresh_from_db()
    assert called.status == Status.NO_SHOW


def test_transfer_to_another_queue(officer_client, desk, called, queue_c):
    page, _ = post(officer_client, desk, "chuyen", ticket=shown(called), queue=str(queue_c.pk))
    assert "Đã chuyển số B001 sang hàng đợi “Xây dựng”, số mới C001 (giữ nguyên thứ tự chờ)." in page
    new = Ticket.objects.get(transferred_from=called)
    assert (new.queue, new.status, new.queued_at) == (queue_c, Status.WAITING, called.queued_at)


def test_transfer_needs_a_queue_of_this_center(officer_client, desk, called, organisation):
    from motcua.core.models import Center
    from tests.queueing.conftest import make_queue

    elsewhere = make_queue(Center.objects.get(code="ninhkieu"), "nk")
    page, _ = post(officer_client, desk, "chuyen", ticket=shown(called), queue=str(elsewhere.pk))
    assert "Hãy chọn hàng đợi cần chuyển đến." in page
    page, _ = post(officer_client, desk, "chuyen", ticket=shown(called))
    assert "Hãy chọn hàng đợi cần chuyển đến." in page
    called.refresh_from_db()
    assert called.status == Status.CALLED


def test_call_a_specific_number(officer_client, desk, queue_b, queue_c, clock):
    issue(queue_b, 0), issue(queue_b, 1), issue(queue_c, 2)
    page, _ = post(officer_client, desk, "goi-so", ticket="", code="b002")
    assert "Đã gọi số B002." in page
    page, _ = post(officer_client, desk, "goi-so", ticket=shown(Ticket.objects.get(code="B002")), code="1")
    assert "Đã gọi số B001." in page
    current = shown(Ticket.objects.get(code="B001"))
    page, _ = post(officer_client, desk, "goi-so", ticket=current, code="C001")
    assert "Số C001 thuộc hàng đợi “Xây dựng”, quầy này không phục vụ hàng đợi đó." in page
    page, _ = post(officer_client, desk, "goi-so", ticket=current, code="B777")
    assert "Không có số B777 đang chờ hôm nay." in page
    page, _ = post(officer_client, desk, "goi-so", ticket=current, code="")
    assert "Hãy nhập số cần gọi" in page


def test_walk_in_is_served_at_once(officer_client, desk, queue_b, elderly, clock):
    page, _ = post(officer_client, desk, "khong-so", ticket="", queue=str(queue_b.pk), priority=str(elderly.pk))
    assert "Đang phục vụ công dân không có số, đã ghi nhận với số B001." in page
    ticket = Ticket.objects.get(code="B001")
    assert (ticket.status, ticket.channel, ticket.priority) == (Status.SERVING, Ticket.Channel.COUNTER, elderly)
    assert "Tại quầy" in page


def test_walk_in_for_a_queue_the_counter_does_not_serve(officer_client, desk, queue_c, clock):
    page, _ = post(officer_client, desk, "khong-so", ticket="", queue=str(queue_c.pk))
    assert "Quầy này không phục vụ hàng đợi đã chọn." in page


def test_pause_blocks_calls_and_resume_reopens(officer_client, desk, queue_b, clock):
    issue(queue_b)
    page, _ = post(officer_client, desk, "tam-dung")
    assert "Quầy đã tạm dừng gọi số." in page and 'data-testid="paused"' in page
    page, _ = post(officer_client, desk, "goi-tiep", ticket="")
    assert "Quầy số 1 đang tạm dừng: hãy mở quầy trước khi gọi số." in page
    page, _ = post(officer_client, desk, "tiep-tuc")
    assert "Quầy đã mở lại, có thể gọi số." in page
    page, _ = post(officer_client, desk, "tiep-tuc")
    assert "Quầy số 1 không ở trạng thái tạm dừng." in page


def test_leaving_with_a_citizen_at_the_desk_is_refused(officer_client, desk, called):
    page, _ = post(officer_client, desk, "roi-quay")
    assert "Quầy số 1 đang phục vụ số B001: hãy kết thúc hoặc ghi nhận vắng mặt trước." in page


def test_leaving_the_counter_goes_back_to_the_list(officer_client, desk, clock):
    page, response = post(officer_client, desk, "roi-quay")
    assert response.redirect_chain[-1][0] == "/console/"
    assert "Bạn đã rời quầy số 1." in page and "Chọn quầy làm việc" in page
    desk.refresh_from_db()
    assert (desk.officer, desk.state) == (None, Counter.State.CLOSED)


def test_bad_form_data_gets_a_message_not_an_error(officer_client, desk, clock):
    page, _ = post(officer_client, desk, "goi-tiep", ticket="abc")
    assert "Dữ liệu gửi lên không hợp lệ, vui lòng thử lại." in page


def test_handled_list_shows_todays_tickets(officer_client, desk, called, queue_b):
    post(officer_client, desk, "bat-dau", ticket=shown(called))
    page, _ = post(officer_client, desk, "ket-thuc", ticket=shown(called))
    assert 'data-testid="handled"' in page and "Đã xong" in page
