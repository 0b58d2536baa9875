"""A demo citizen account for the portal: the applicant of the demo's returned dossier, so
"Hồ sơ của tôi" shows her dossier, its timeline and its electronic result on first run."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from motcua.accounts.models import User
from motcua.identity.models import CitizenProfile
from motcua.identity.services.accounts import citizen_register

from .organisation import DEMO_PASSWORD

# The first applicant of motcua/demo/dossiers.py (fictitious; 092 is Can Tho's ID prefix).
CITIZEN = {"full_name": "Nguyễn Thị Ánh", "national_id": "092190001234", "phone": "0912345678",
           "email": "congdan@example.vn"}  # fmt: skip


@transaction.atomic
def load_demo_citizen() -> User:
    """Create the demo citizen once (an existing account keeps its password)."""
    profile = CitizenProfile.objects.filter(national_id=CITIZEN["national_id"]).select_related("user").first()
    if profile is not None:
        return profile.user
    return citizen_register(
        full_name=CITIZEN["full_name"], national_id=CITIZEN["national_id"], phone=CITIZEN["phone"],
        email=CITIZEN["email"], password=DEMO_PASSWORD, terms_version=settings.MOTCUA["PORTAL_TERMS_VERSION"],
    )
