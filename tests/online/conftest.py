"""Online submission fixtures: citizens made directly (User + CitizenProfile), files as bytes."""

from __future__ import annotations

import io

import pytest

from tests.dossiers.conftest import TUESDAY_8AM

# 1.014390 (full online, location-independent): three lines, the second one conditional.
WORKHORSE = "1.014390"
# 1.004873 (full online, Ninh Kiều and Cái Răng): the ID papers are in the population database.
WITH_DATABASES = "1.004873"
# 2.000884: not offered online.
COUNTER_ONLY = "2.000884"
NOW = TUESDAY_8AM


def make_citizen(username: str, national_id: str, name: str = "Trần Văn Bình"):
    from motcua.accounts.models import User
    from motcua.identity.models import CitizenProfile

    user = User.objects.create_user(username=username, password="mat-khau-123", email=f"{username}@example.vn")
    CitizenProfile.objects.create(
        user=user, national_id=national_id, full_name=name, phone="0912345678", email=f"{username}@example.vn",
        address="12 Trần Hưng Đạo, Ninh Kiều, Cần Thơ", terms_version="2026-01", terms_accepted_at=NOW, created_at=NOW,
    )  # fmt: skip
    return user


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def citizen(db):
    return make_citizen("binh", "092090001234")


@pytest.fixture
def other_citizen(db):
    return make_citizen("an", "092190005678", name="Lê Thị An")


def png_bytes(colour: str = "white") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(buffer, format="JPEG")
    return buffer.getvalue()


def pdf_bytes(text: str = "Don de nghi") -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


def stream(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


@pytest.fixture
def workhorse(demo_catalog):
    from motcua.catalog.models import Procedure

    return Procedure.objects.get(code=WORKHORSE)


@pytest.fixture
def draft(citizen, workhorse, center):
    from motcua.online.services import draft_start

    return draft_start(citizen=citizen, procedure=workhorse, center=center, now=NOW)
