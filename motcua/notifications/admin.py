from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import OutboxMessage, Printer
from .services import outbox_retry


@admin.register(Printer)
class PrinterAdmin(admin.ModelAdmin):
    list_display = ["name", "center", "kind", "address", "dots_per_line", "is_slip_default", "is_active"]
    list_filter = ["center", "kind", "is_active", "is_slip_default"]
    search_fields = ["name", "host", "device_path"]

    @admin.display(description=_("địa chỉ"))
    def address(self, printer: Printer) -> str:
        return printer.address


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = [
        "created_at", "channel", "printer", "dossier", "subject", "status", "attempts", "last_error", "sent_at",
    ]  # fmt: skip
    list_filter = ["status", "channel", "printer__center"]
    search_fields = ["subject", "ticket__code", "dossier__code", "last_error"]
    list_select_related = ["printer", "dossier"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    readonly_fields = [
        "channel", "printer", "recipient", "subject", "ticket", "dossier", "status", "attempts", "last_error",
        "created_at", "next_attempt_at", "claimed_at", "sent_at", "payload_size",
    ]  # fmt: skip
    exclude = ["payload"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # messages come from the services, never typed in

    @admin.display(description=_("kích thước dữ liệu (byte)"))
    def payload_size(self, message: OutboxMessage) -> int:
        return len(message.payload or b"")

    @admin.action(description=_("Gửi lại"))
    def resend(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = 0
        for message in queryset:
            outbox_retry(message=message)
            count += 1
        self.message_user(
            request,
            ngettext("Đã đưa %(n)d tin vào hàng gửi lại.", "Đã đưa %(n)d tin vào hàng gửi lại.", count) % {"n": count},
            messages.SUCCESS,
        )
