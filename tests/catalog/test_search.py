"""Procedure search: folded words, typos, codes, filters, ranking and index freshness."""

from __future__ import annotations

import pytest
from django.db import transaction

from motcua.catalog.models import Procedure
from motcua.catalog.search import Entry, SearchIndex, search_index, search_index_build
from motcua.catalog.selectors import procedure_search
from motcua.catalog.services import procedure_upsert
from tests.api.catalog_data import CREATED_AT, PROCEDURES, load_search_catalog, procedure_spec


@pytest.fixture
def catalog(organisation):
    load_search_catalog()


def codes(query: str = "", **filters) -> list[str]:
    return [p.code for p in procedure_search(query=query, limit=100, **filters).items]


pytestmark = pytest.mark.django_db


def test_the_words_people_type_find_the_procedure_first(catalog):
    assert codes("cap ban sao")[0] == "2.000908"
    assert codes("Cấp bản sao")[0] == "2.000908"
    assert codes("dang ky khai sinh")[0] == "1.001193"
    assert codes("giấy phép lao động")[0] == "1.014199"


def test_with_or_without_diacritics_gives_the_same_results(catalog):
    assert codes("chứng thực") == codes("chung thuc") == codes("CHUNG THUC")
    assert set(codes("chung thuc")) == {"2.000815", "2.000884", "2.001019", "2.000942", "2.000908"}


def test_d_and_đ_are_the_same_letter(catalog):
    assert codes("đăng ký") == codes("dang ky") == codes("Đăng Ký")
    assert codes("đ") == codes("d")
    assert "2.000720" in codes("dang ky")


def test_typos_still_find_the_procedure(catalog):
    assert codes("chung thuc ban sau")[0] == "2.000815"
    assert codes("khai sinhh")[0] == codes("khai sinh")[0] == "1.001193"
    assert codes("giay fep lao dong") == codes("giay phep lao dong")
    assert codes("dang ky ket hno")[0] == "1.000894"  # swapped letters in a 3-letter word are not guessed…
    assert codes("dang ky kett hon")[0] == "1.000894"  # …but a 4-letter word one edit away is


def test_long_words_tolerate_two_edits_and_unknown_short_words_none(catalog):
    assert codes("truongh hopp") == []  # 'truong', 'hop' are not in this catalog at all
    assert "1.014199" in codes("nuoc ngoaii lam viecc")


def test_the_last_word_may_be_unfinished(catalog):
    assert codes("dang ky khai s")[0] == "1.001193"
    assert codes("giay phep xay d")[0] == "1.009974"
    # A trailing space says the word is complete: no prefix guessing.
    assert "1.014199" in codes("giay phe")
    assert codes("giay phe ") == []


def test_code_first_then_code_prefix(catalog):
    assert codes("2.000815")[0] == "2.000815"
    assert codes(" 2.000815 ") == ["2.000815"]
    assert codes("2.0008") == ["2.000815", "2.000829", "2.000884"]


def test_document_words_find_procedures_after_name_matches(catalog):
    found = codes("giấy chứng sinh")
    assert found[:2] == ["1.001193", "2.000986"]  # both ask for a birth notice (giấy chứng sinh)
    by_name = codes("giay phep")
    name_matches = [p.code for p in Procedure.objects.filter(search_name__contains="giay phep")]
    assert set(by_name[: len(name_matches)]) == set(name_matches)
    assert "1.014200" in by_name
    assert codes("can cuoc cua cha me")[0] == "1.001193"


def test_filters_by_agency_sector_and_center(catalog):
    assert set(codes(agency="so-noi-vu")) == {"1.014199", "1.014200", "1.014201", "1.014196"}
    assert codes("cap", sector="viec-lam") == ["1.014200", "1.014196", "1.014199"]  # shortest name first
    assert codes("khai sinh", agency="so-noi-vu") == []
    assert codes("giay", agency="no-such-agency") == []


def test_center_filter_includes_location_independent_procedures(catalog):
    at_city = codes(center="cantho")
    assert "2.000635" in at_city  # received at the city center, and location-independent
    assert "2.000635" in codes(center="cairang")  # location-independent: received everywhere
    assert "2.000908" not in at_city
    assert "2.000908" in codes(center="cairang")


def test_empty_query_lists_everything_by_code(catalog):
    everything = codes()
    assert everything == sorted(row[0] for row in PROCEDURES)
    assert codes("   ") == everything


def test_pagination_counts_all_matches(catalog):
    first = procedure_search(query="cap", limit=3)
    second = procedure_search(query="cap", limit=3, offset=3)
    whole = codes("cap")
    assert first.count == second.count == len(whole) > 6
    assert [p.code for p in first.items + second.items] == whole[:6]
    assert procedure_search(query="cap", offset=1000).items == []


def test_items_come_with_sector_and_agency_loaded(catalog, django_assert_num_queries):
    search_index()
    with django_assert_num_queries(2):  # fingerprint, then the page
        result = procedure_search(query="chung thuc")
        names = [(p.sector.name, p.agency.name) for p in result.items]
    assert names


QUERIES = ["cap", "chung thuc", "giay", "dang ky", "lao dong", "d", "2.00", "cap ban sao", "giay phep lao dong",
           "chung thuc ban sau", "giay chung sinh", "dang ky khai s", "van ban de nghi"]


def test_ranking_is_deterministic_and_independent_of_row_order(catalog):
    index = search_index_build()
    shuffled = SearchIndex(reversed(index.entries))
    for query in QUERIES:
        ranked = index.search(query).pks
        assert shuffled.search(query).pks == ranked
        assert search_index_build().search(query).pks == ranked
        assert len(ranked) == len(set(ranked)) == index.search(query).count


def test_a_page_is_the_same_slice_of_the_full_ranking(catalog):
    # Pages are ranked with a bound that skips exact scoring of hopeless candidates; it must
    # never change what a page holds.
    index = search_index_build()
    for query in QUERIES:
        full = index.search(query).pks
        for limit, offset in [(1, 0), (2, 0), (3, 1), (5, 2), (4, 7), (20, 0), (2, 30)]:
            page = index.search(query, limit=limit, offset=offset)
            assert page.pks == full[offset : offset + limit], (query, limit, offset)
            assert page.count == len(full)


def test_equal_matches_are_ordered_by_code():
    def entry(pk: int, code: str) -> Entry:
        return Entry(pk=pk, code=code, agency="a", sector="s", centers=frozenset(), location_independent=False,
                     name_length=2, name_positions={"cap": (0,), "phep": (1,)}, extra_positions={})  # fmt: skip

    index = SearchIndex([entry(1, "2.0002"), entry(2, "1.0009"), entry(3, "2.0001")])
    assert index.search("cap phep").pks == [2, 3, 1]


def test_the_index_follows_edits(catalog):
    assert codes("hon nhan")[0] == "1.004873"
    spec = procedure_spec(next(row for row in PROCEDURES if row[0] == "1.004873"))
    procedure_upsert(spec=spec | {"name": "Thủ tục cấp Giấy xác nhận tình trạng độc thân"})
    assert "1.004873" in codes("doc than")
    assert codes("doc than")[0] == "1.004873"
    procedure_upsert(spec=spec | {"is_active": False})
    assert "1.004873" not in codes("xac nhan tinh trang")
    assert "1.004873" not in codes()


def test_a_new_procedure_is_found_at_once(catalog):
    assert codes("ruou") == ["2.000620"]
    procedure_upsert(spec=procedure_spec(("2.000633", "Cấp Giấy phép sản xuất rượu thủ công", "so-cong-thuong",
                                          ("luu-thong-hang-hoa", "Lưu thông hàng hóa"), [], [], {})))  # fmt: skip
    assert codes("ruou") == ["2.000620", "2.000633"]
    assert codes("san xuat ruou")[0] == "2.000633"


class _Rollback(Exception):
    pass


def test_an_index_read_in_a_rolled_back_transaction_is_not_reused(organisation):
    # Same row count, same frozen time, same version numbers (and on SQLite the same id):
    # the fingerprint cannot tell these two catalogs apart, the rollback must.
    spec = procedure_spec(PROCEDURES[0])
    with pytest.raises(_Rollback), transaction.atomic():
        procedure_upsert(spec=spec, now=CREATED_AT)
        assert codes("so goc") == ["2.000908"]
        raise _Rollback
    procedure_upsert(spec=spec | {"name": "Cấp bản sao từ sổ hộ tịch"}, now=CREATED_AT)
    assert codes("so goc") == []
    assert codes("so ho tich") == ["2.000908"]


# --- the vectorised ranking against a plain reference -----------------------------------------
#
# `reference_ranking` restates docs/adr/0002-search.md in the most direct way: expand each typed
# word, give every entry its full rank key, sort. The index ranks with array operations, bit
# masks and memoised results; it must give exactly the same order.


def _best(index: SearchIndex, field: str, expansion: dict[str, int]) -> dict[int, tuple[int, str]]:
    best: dict[int, tuple[int, str]] = {}
    for word, weight in sorted(expansion.items(), key=lambda item: item[1]):  # later and better wins
        for number, entry in enumerate(index.entries):
            if word in getattr(entry, field):
                best[number] = (weight, word)
    return best


def _reference_key(entry: Entry, names: list, extras: list, number: int) -> tuple:
    size = len(names)
    score = sum(3 * n[0] if n else e[0] if e else 0 for n, e in zip(names, extras, strict=True))
    for i in range(size - 1):
        if names[i] and names[i + 1]:
            first, second = entry.name_positions[names[i][1]], entry.name_positions[names[i + 1][1]]
            score += 8 * any(p + 1 in second for p in first) + 2 * (first[0] < second[-1])
        elif extras[i] and extras[i + 1]:
            first, second = entry.extra_positions[extras[i][1]], entry.extra_positions[extras[i + 1][1]]
            score += 2 * any(p + 1 in second for p in first)
    present = [n[1] for n in names if n]
    start, best_run = entry.name_length, 0
    for spot in entry.name_positions[present[0]] if present else ():
        run = 1
        while run < len(present) and spot + run in entry.name_positions[present[run]]:
            run += 1
        if run > best_run:
            start, best_run = spot, run
    unasked = entry.name_length - sum(len(entry.name_positions[word]) for word in set(present))
    covered = sum(1 for n, e in zip(names, extras, strict=True) if n or e)
    return (sum(map(bool, names)) < size, -covered, -score, start, unasked, number)


def reference_ranking(index: SearchIndex, query: str) -> list[int]:
    from motcua.core.text import fold, tokens

    typed = fold(query).strip()
    by_code = []
    if typed and " " not in typed and any(ch.isdigit() for ch in typed):
        by_code = sorted((n for n, code in enumerate(index.codes) if code.startswith(typed)),
                         key=lambda n: (index.codes[n] != typed, n))  # fmt: skip
    words = tokens(query)
    if not words:
        return [entry.pk for entry in index.entries]
    typing = not query[-1:].isspace()
    expansions = [index.expand(word, last=typing and i == len(words) - 1) for i, word in enumerate(words)]
    names = [_best(index, "name_positions", expansion) for expansion in expansions]
    extras = [_best(index, "extra_positions", expansion) for expansion in expansions]
    needed = len(words) if len(words) <= 2 else -(-3 * len(words) // 5)
    keys = []
    for number, entry in enumerate(index.entries):
        found = [n.get(number) for n in names], [e.get(number) for e in extras]
        if number not in by_code and sum(1 for n, e in zip(*found, strict=True) if n or e) >= needed:
            keys.append(_reference_key(entry, *found, number))
    return [index.entries[n].pk for n in by_code + [key[-1] for key in sorted(keys)]]


def _variants(entries: list[Entry]) -> list[Entry]:
    """Name variants the way real catalogs have them: prefixes, qualifiers, repeated and long names."""
    from motcua.catalog.search import positions_of
    from motcua.core.text import tokens

    made = list(entries)
    additions = [("dieu chinh", ""), ("", "doi voi nguoi nuoc ngoai"), ("huy bo", "cap lai"),
                 ("", " ".join(["ban sao giay to"] * 20) + " cap ban sao")]  # fmt: skip  (the last: > 64 words)
    for i, entry in enumerate(entries[::3]):
        before, after = additions[i % len(additions)]
        order = sorted(((spot, word) for word, spots in entry.name_positions.items() for spot in spots))
        words = tokens(before) + [word for _, word in order] + tokens(after)
        made.append(Entry(pk=10_000 + i, code=f"9.{i:06d}", agency=entry.agency, sector=entry.sector,
                          centers=entry.centers, location_independent=entry.location_independent,
                          name_length=len(words), name_positions=positions_of(words),
                          extra_positions=entry.extra_positions))  # fmt: skip
    return made


REFERENCE_QUERIES = QUERIES + [
    "cap ban sao giay to", "ban sao ban sao", "giay to cap ban", "dang ky thuong tru", "nguoi nuoc ngoai",
    "doi voi nguoi", "cap lai giay phep", "giay xac nhan tinh trang hon nhan", "ho tich", "2.000", "1.00",
    "tro giup phap ly ", "doanh nghep", "xay dung nha o rieng le", "huy bo cap", "cap cap cap", "c", "giay chung nhan q",
]  # fmt: skip


def test_the_ranking_equals_a_plain_reference_ranking(demo_catalog):
    built = search_index_build()
    for index in (built, SearchIndex(_variants(built.entries))):
        for query in REFERENCE_QUERIES:
            expected = reference_ranking(index, query)
            assert index.search(query).pks == expected, query
            assert index.search(query, limit=7, offset=5).pks == expected[5:12], query


def test_rankings_are_memoised_per_index_without_changing_them(catalog):
    index = search_index_build()
    first = {query: index.search(query).pks for query in QUERIES}
    assert all(index.search(query).pks == ranked for query, ranked in first.items())  # from the memo
    index.forget()
    assert all(index.search(query).pks == ranked for query, ranked in first.items())
    # Same words, other filters: a different ranking, not the memoised one.
    assert index.search("cap", agency="so-noi-vu").pks != first["cap"]
    assert search_index_build().search("cap").pks == first["cap"]
