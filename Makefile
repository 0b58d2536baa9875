.PHONY: demo test lint bench messages

demo:  ## install, migrate, load demo data and serve http://127.0.0.1:8000
	scripts/demo

test:  ## lint + type check + the whole suite on SQLite and PostgreSQL
	scripts/test

lint:
	scripts/bootstrap dev && .venv/bin/ruff check . && .venv/bin/mypy

bench:
	scripts/bootstrap dev && .venv/bin/python bench/catalog_search.py

messages:  ## refresh the English catalog, compile it, print the entries still to translate (docs/translations.md)
	.venv/bin/python manage.py makemessages -l en --no-obsolete --add-location=file --ignore=.venv --ignore=tests --ignore=bench
	.venv/bin/python manage.py compilemessages -l en --ignore=.venv
	@msgattrib --untranslated motcua/locale/en/LC_MESSAGES/django.po
	@msgattrib --only-fuzzy motcua/locale/en/LC_MESSAGES/django.po
