"""Start-up check: a dossier code format that cannot mint codes stops the server, not the counter."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from .codes import DossierCodeError, code_format, split_format


@register()
def check_dossier_code_format(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    try:
        split_format(code_format())
    except DossierCodeError as error:
        return [Error(error.message, hint="MOTCUA_DOSSIER_CODE_FORMAT", id="motcua.dossiers.E001")]
    return []
