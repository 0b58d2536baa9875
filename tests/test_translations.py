"""The English catalog is complete, compiled and current, and English screens read in English.

The msgids are Vietnamese (ADR 0003), so an entry left empty, fuzzy or uncollected shows
Vietnamese to an English reader without any error. These tests turn that into a failure.
How to fix one: docs/translations.md.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

PO = Path(settings.BASE_DIR) / "motcua" / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# Letters only Vietnamese uses (with their diacritics); plain ASCII words are not flagged.
VIETNAMESE = re.compile("[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE)
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w*)\}")
# Vietnamese that stays on English screens on purpose (docs/translations.md): the language
# switch names each language in itself, and example search words are Vietnamese.
KEPT_IN_VIETNAMESE = ["Tiếng Việt", "chứng thực bản sao"]
MONEY = re.compile(r"\d[\d.]* đ")  # amounts are written `50.000 đ` in every language


@dataclass
class Entry:
    context: str | None = None
    msgid: str = ""
    plural: str | None = None
    msgstrs: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.context, self.msgid, self.plural)


def read_po(path: Path) -> list[Entry]:
    """The messages of a .po file, header left out. Enough of the format for makemessages' output."""
    entries: list[Entry] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, target = Entry(), ""
        for line in block.splitlines():
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue  # comments, locations, previous msgids, obsolete entries
            elif line.startswith('"'):
                _append(entry, target, ast.literal_eval(line))
            else:
                keyword, _, literal = line.partition(" ")
                target = keyword
                if keyword.startswith("msgstr"):
                    entry.msgstrs.append("")
                _append(entry, target, ast.literal_eval(literal))
        if entry.msgid or entry.plural:
            entries.append(entry)
    return entries


def _append(entry: Entry, keyword: str, text: str) -> None:
    if keyword == "msgctxt":
        entry.context = (entry.context or "") + text
    elif keyword == "msgid":
        entry.msgid += text
    elif keyword == "msgid_plural":
        entry.plural = (entry.plural or "") + text
    else:
        entry.msgstrs[-1] += text


@pytest.fixture(autouse=True)
def _vietnamese_again_afterwards():
    """An English request leaves English active in the thread (LocaleMiddleware never resets it),
    and later tests expect the Vietnamese default."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return read_po(PO)


# --- the catalog itself -------------------------------------------------------------------------


def test_catalog_covers_the_whole_product(entries):
    sources = PO.read_text(encoding="utf-8")
    for place in ["motcua/kiosk/", "motcua/portal/", "motcua/catalog/models.py", "motcua/accounts/", "motcua/api/"]:
        assert f"#: {place}" in sources or f" {place}" in sources, place
    assert len(entries) > 400


def test_every_entry_is_translated(entries):
    assert [e.msgid for e in entries if not e.msgstrs or not all(e.msgstrs)] == []


def test_no_entry_is_fuzzy(entries):
    """Fuzzy entries are gettext's guesses; compilemessages leaves them out, so users see Vietnamese."""
    assert [e.msgid for e in entries if "fuzzy" in e.flags] == []


def test_plural_entries_have_both_english_forms(entries):
    plurals = [e for e in entries if e.plural]
    assert plurals
    assert [e.msgid for e in plurals if len(e.msgstrs) != 2] == []


def test_placeholders_are_kept(entries):
    def names(text: str) -> set[str]:
        return {a or b for a, b in PLACEHOLDER.findall(text)}

    wrong = [
        (e.msgid, text)
        for e in entries
        if "python-format" in e.flags or "python-brace-format" in e.flags
        for n, text in enumerate(e.msgstrs)
        if names(text) != names(e.plural if e.plural and n > 0 else e.msgid)
    ]
    assert wrong == []


def test_compiled_catalog_matches_the_po(entries):
    """The .mo is committed (the demo runs without gettext), so it must be rebuilt with the .po."""
    with MO.open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    # `_catalog` is how the stdlib exposes a .mo's messages: "ctxt\x04msgid" or (msgid, n) keys.
    in_mo = {key: text for key, text in compiled._catalog.items() if key != ""}
    in_po: dict[object, str] = {}
    for e in entries:
        msgid = f"{e.context}\x04{e.msgid}" if e.context is not None else e.msgid
        if e.plural:
            in_po.update({(msgid, n): text for n, text in enumerate(e.msgstrs)})
        else:
            in_po[msgid] = e.msgstrs[0]
    assert in_mo == in_po, "run `make messages` (it compiles the .mo)"


def test_po_has_every_string_of_the_code(entries, tmp_path, settings, monkeypatch):
    """Collects the strings again, in a copy of the sources, and compares with the committed .po."""
    for package in ["motcua", "config"]:
        ignore = shutil.ignore_patterns("__pycache__", "locale", "static", "*.mo")
        shutil.copytree(Path(settings.BASE_DIR) / package, tmp_path / package, ignore=ignore)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    fresh = {e.key for e in read_po(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")}
    committed = {e.key for e in entries}
    assert (sorted(fresh - committed, key=str), sorted(committed - fresh, key=str)) == ([], []), (
        "new strings (left) or removed strings (right) not in the .po yet: run `make messages`"
    )


# --- English screens ----------------------------------------------------------------------------


class _VisibleText(HTMLParser):
    """Text a person reads or hears: text nodes and the labels assistive technology speaks."""

    SPOKEN = {"aria-label", "placeholder", "title", "alt"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "template"}:
            self._hidden += 1
        self.parts += [value for name, value in attrs if name in self.SPOKEN and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "template"}:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def _data_words() -> list[str]:
    """Every text value of the data (names, addresses, procedure texts, the province): stays Vietnamese."""
    from django.apps import apps
    from django.db import models

    values = {settings.MOTCUA["PROVINCE_NAME"]}
    for model in [*apps.get_app_config("core").get_models(), *apps.get_app_config("catalog").get_models()]:
        text_fields = [
            f.name for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)
        ]
        for row in model.objects.values_list(*text_fields) if text_fields else []:
            values |= {v for v in row if len(v) > 2}  # not codes like "1" or "c"
    return list(values)


def untranslated(html: str) -> list[str]:
    """Vietnamese left on a page once database values and deliberate Vietnamese are taken out."""
    parser = _VisibleText()
    parser.feed(html)
    data = _data_words()
    whole = set(data + KEPT_IN_VIETNAMESE)
    text = MONEY.sub(" ", "\n".join(part for part in parser.parts if part not in whole))
    for value in sorted(data + KEPT_IN_VIETNAMESE, key=len, reverse=True):  # a name before its parts
        text = text.replace(value, " ").replace(value.upper(), " ")
    # A single letter is a key of the kiosk's on-screen Vietnamese keyboard.
    return [line for line in text.splitlines() if VIETNAMESE.search(line) and len(line.strip()) > 1]


def _english_client(client, how: str):
    if how == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    elif how == "toggle":
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


@pytest.mark.parametrize("how", ["toggle", "cookie"])
def test_kiosk_home_in_english(client, organisation, how):
    response = _english_client(client, how).get("/kiosk/cantho/")
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="en"' in html
    for label in ["Welcome", "Please touch the service you need", "Take a queue number", "Look up procedures",
                  "Track a dossier", "Rate our service", "Hotline"]:  # fmt: skip
        assert label in html
    for label in ["Xin kính chào quý khách", "Lấy số thứ tự", "Tra cứu thủ tục", "Đánh giá", "Đường dây nóng"]:
        assert label not in html
    assert untranslated(html) == []


def test_kiosk_look_up_in_english(client, demo_catalog):
    html = _english_client(client, "toggle").get("/kiosk/cantho/thu-tuc/", {"q": "chung thuc"}).content.decode()
    assert "Look up administrative procedures" in html and "procedures found" in html
    assert untranslated(html) == []


def test_public_search_in_english(client, demo_catalog):
    html = _english_client(client, "toggle").get("/thu-tuc/").content.decode()
    assert "<h1>Administrative procedures</h1>" in html
    for label in ["procedures found", "All agencies", "All sectors", "Search", "Fully online"]:
        assert label in html
    for label in ["Thủ tục hành chính", "Tìm thấy", "Tất cả cơ quan", "Tìm kiếm", "Toàn trình"]:
        assert label not in html
    assert untranslated(html) == []


def test_public_procedure_page_in_english(client, demo_catalog):
    html = _english_client(client, "toggle").get("/thu-tuc/2.000815/").content.decode()
    for label in [
        "Required documents",
        "Fees and charges",
        "Processing time",
        "Certified copy",
        "Location-independent",
    ]:
        assert label in html
    assert untranslated(html) == []


def test_admin_login_in_english(client, organisation):
    html = _english_client(client, "cookie").get("/admin/login/").content.decode()
    assert '<html lang="en"' in html and "Username:" in html and "Log in" in html
    assert "Tên đăng nhập" not in html and "Đăng nhập" not in html


def test_admin_reads_in_english(client, admin_user):
    """Model, field and choice names come from the catalog too."""
    client.force_login(admin_user)
    client = _english_client(client, "cookie")
    index = client.get("/admin/").content.decode()
    for name in ["Officer accounts", "Centers and working calendar", "Administrative procedure"]:
        assert name in index
    form = client.get("/admin/catalog/procedure/add/").content.decode()
    for label in ["Procedure code", "Competent agency", "Location-independent", "Fully online", "working days"]:
        assert label in form, label
    for label in ["Mã thủ tục", "Cơ quan có thẩm quyền", "Phi địa giới", "Toàn trình", "ngày làm việc"]:
        assert label not in form


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_english_in_a_browser(page, demo_catalog, screenshot):
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1080, "height": 1920})
    page.goto("/kiosk/cantho/")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome")
    expect(page.locator(".k-tile__title").first).to_have_text("Take a queue number")
    expect(page.locator("[data-clock-date]")).to_have_text(re.compile(r"^[A-Z][a-z]+day, \d{2}/\d{2}/\d{4}$"))
    screenshot(page, "kiosk-home-english-1080x1920", full_page=False)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/thu-tuc/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Administrative procedures")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot(page, "public-search-english-1280x800")
