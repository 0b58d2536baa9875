"""The demo procedure catalog (filled in by the catalog import work)."""


def load_demo_catalog() -> str:
    return "chưa có"
