"""Ticket token (QR code), queued_at (call order), recycled flag; default service time per queue."""

from django.db import migrations, models

import motcua.queueing.models


def fill_existing(apps, schema_editor):
    Ticket = apps.get_model("queueing", "Ticket")
    for ticket in Ticket.objects.all().only("pk", "issued_at"):
        ticket.queued_at = ticket.issued_at
        ticket.token = motcua.queueing.models.new_ticket_token()
        ticket.save(update_fields=["queued_at", "token"])


class Migration(migrations.Migration):
    dependencies = [("queueing", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="queue",
            name="default_service_minutes",
            field=models.PositiveIntegerField(default=8, verbose_name="thời gian phục vụ mặc định (phút)"),
        ),
        migrations.AddField(
            model_name="ticket",
            name="recycled",
            field=models.BooleanField(default=False, verbose_name="đã xếp lại cuối hàng"),
        ),
        migrations.AddField(
            model_name="ticket", name="queued_at", field=models.DateTimeField(null=True, verbose_name="thời điểm vào hàng")
        ),
        migrations.AddField(model_name="ticket", name="token", field=models.CharField(max_length=32, null=True)),
        migrations.RunPython(fill_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="ticket", name="queued_at", field=models.DateTimeField(verbose_name="thời điểm vào hàng")
        ),
        migrations.AlterField(
            model_name="ticket",
            name="token",
            field=models.CharField(
                default=motcua.queueing.models.new_ticket_token, editable=False, max_length=32, unique=True
            ),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["counter", "status"], name="queueing_ticket_at_counter"),
        ),
    ]
