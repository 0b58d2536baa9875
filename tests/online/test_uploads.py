"""Files are judged by their bytes: the name and the browser's content type count for nothing."""

from __future__ import annotations

import io

import pytest

from motcua.online.errors import OnlineError
from motcua.online.uploads import check_upload, clean_original_name
from tests.online.conftest import jpeg_bytes, pdf_bytes, png_bytes


def test_png_bytes_are_png_whatever_the_name_says():
    checked = check_upload(io.BytesIO(png_bytes()))
    assert (checked.content_type, checked.extension) == ("image/png", ".png")


def test_jpeg_and_pdf_are_recognised():
    assert check_upload(io.BytesIO(jpeg_bytes())).content_type == "image/jpeg"
    assert check_upload(io.BytesIO(pdf_bytes())).content_type == "application/pdf"


def test_digest_and_size_are_of_the_content():
    data = pdf_bytes()
    checked = check_upload(io.BytesIO(data))
    assert checked.size == len(data)
    import hashlib

    assert checked.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("data", [
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200,  # a Windows program
    "Đơn đề nghị — văn bản thường".encode(),  # text
    b"\x7fELF\x02\x01\x01" + b"\x00" * 100,  # a Linux program
    b"PK\x03\x04" + b"\x00" * 100,  # a zip or a Word file
])  # fmt: skip
def test_other_content_is_refused_as_wrong_type(data):
    with pytest.raises(OnlineError) as refused:
        check_upload(io.BytesIO(data))
    assert refused.value.code == "upload.wrong_type"
    assert "PDF, JPEG hoặc PNG" in str(refused.value.message)


def test_empty_file_is_refused():
    with pytest.raises(OnlineError) as refused:
        check_upload(io.BytesIO(b""))
    assert refused.value.code == "upload.empty"


def test_too_big_is_refused_with_the_limit(settings):
    settings.MOTCUA = {**settings.MOTCUA, "UPLOAD_MAX_MB": 1}
    data = b"%PDF-1.4\n" + b"0" * (1024 * 1024) + b"\n%%EOF"
    with pytest.raises(OnlineError) as refused:
        check_upload(io.BytesIO(data))
    assert refused.value.code == "upload.too_big"
    assert "1 MB" in str(refused.value.message)


def test_a_png_header_on_garbage_is_refused_as_damaged():
    with pytest.raises(OnlineError) as refused:
        check_upload(io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"garbage" * 20))
    assert refused.value.code == "upload.damaged"


def test_a_truncated_pdf_is_refused():
    with pytest.raises(OnlineError) as refused:
        check_upload(io.BytesIO(pdf_bytes()[:200]))
    assert refused.value.code == "upload.damaged"


def test_original_names_lose_paths_and_control_characters():
    assert clean_original_name("C:\\Users\\binh\\Ảnh chụp.pdf") == "Ảnh chụp.pdf"
    assert clean_original_name("../../etc/passwd\x00") == "passwd"
    assert clean_original_name("") == "tep-dinh-kem"
