"""Load the Decree 61/2018 assessment scheme shipped in feedback/schemes/nd61-2018.json.

The file is read when the migration runs (not imported from app code, which may change later);
an existing row with the same code is left alone, so an edited scheme is never overwritten.
"""

import datetime
import json
from pathlib import Path

from django.db import migrations

SCHEME_FILE = Path(__file__).resolve().parent.parent / "schemes" / "nd61-2018.json"


def load_scheme(apps, schema_editor):
    AssessmentScheme = apps.get_model("feedback", "AssessmentScheme")
    data = json.loads(SCHEME_FILE.read_text(encoding="utf-8"))
    AssessmentScheme.objects.using(schema_editor.connection.alias).get_or_create(
        code=data["code"],
        defaults={
            "title": data["title"],
            "legal_basis": data.get("legal_basis", ""),
            "valid_from": datetime.date.fromisoformat(data["valid_from"]),
            "definition": data["definition"],
        },
    )


def unload_scheme(apps, schema_editor):
    AssessmentScheme = apps.get_model("feedback", "AssessmentScheme")
    code = json.loads(SCHEME_FILE.read_text(encoding="utf-8"))["code"]
    AssessmentScheme.objects.using(schema_editor.connection.alias).filter(code=code, assessments__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(load_scheme, unload_scheme)]
