.PHONY: demo test lint bench messages

demo:  ## install, migrate, load demo data and serve http://127.0.0.1:8000
	scripts/demo

test:  ## lint + type check + the whole suite on SQLite and PostgreSQL
	scripts/test

lint:
	scripts/bootstrap dev && .venv/bin/ruff check . && .venv/bin/mypy

bench:
	scripts/bootstrap dev && .venv/bin/python bench/catalog_search.py

messages:  ## refresh and compile the English translation
	.venv/bin/python manage.py makemessages -l en --no-obsolete && .venv/bin/python manage.py compilemessages -l en
