"""System check: a scheme in the database that cannot grade every total (feedback.E001).

It reads the database, so it is tagged `database`: Django runs it on `migrate` and on
`manage.py check --database default`, not on every command.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, Tags, register
from django.db import DatabaseError
from django.utils.translation import gettext as _

from .models import AssessmentScheme
from .schemes import validate_definition


@register(Tags.database)
def check_assessment_schemes(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[Error]:
    errors: list[Error] = []
    for alias in databases or ():
        try:
            rows = list(AssessmentScheme.objects.using(alias).only("code", "definition"))
        except DatabaseError:  # not migrated yet: nothing to check
            continue
        for scheme in rows:
            errors += [
                Error(
                    _("Bộ tiêu chí đánh giá “%(code)s”: %(problem)s") % {"code": scheme.code, "problem": problem},
                    obj=scheme,
                    id="feedback.E001",
                )
                for problem in validate_definition(scheme.definition)
            ]
    return errors
