# Koda: `make run` serves the site, `make test` runs the whole suite. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Where `make run` serves (`make run PORT=8101`); the links it writes (mail, canonical addresses,
# the sitemap) follow, unless WAGTAILADMIN_BASE_URL names another address.
HOST ?= 127.0.0.1
PORT ?= 8000
BENCH_DOCS ?= 20000
BENCH_SCALE ?= small
BENCH_DURATION ?= 30s
BENCH_USERS ?= 6
BENCH_PG ?= postgres@127.0.0.1:5432
BENCH_SOAK_DURATION ?= 10m

.PHONY: run test setup migrate messages translations demo lint clean prod-check bench-peer bench bench-search bench-load \
	bench-analysis \
	bench-soak bench-privacy

# Vabamorf, the Estonian analyser of the search, comes in EstNLTK's wheel; search/estonian.py
# loads only its compiled module and lexicons, so the wheel is installed without the dozen
# packages EstNLTK itself needs (pandas, NLTK, matplotlib, ...): README, "Estonian search".
ESTNLTK := estnltk>=1.7.5,<1.8

$(STAMP): pyproject.toml Makefile
	@echo "Installing Koda's packages into $(VENV) (the first time takes a few minutes)..."
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m pip install --quiet --no-deps '$(ESTNLTK)'
	touch $(STAMP)

setup: $(STAMP)

# Translations are committed compiled, so a machine without GNU gettext still runs the site;
# where msgfmt exists they are compiled afresh.
messages: $(STAMP)
	@if command -v msgfmt >/dev/null 2>&1; then $(PY) manage.py compilemessages --ignore=.venv -v0; \
	else echo "msgfmt not found: using the committed .mo files"; fi

# After changing user-facing strings: refresh the catalogues (needs GNU gettext). Estonian is
# translated by hand in locale/et; English, the source language, is regenerated as msgid = msgstr.
translations: $(STAMP)
	$(PY) manage.py makemessages -l et --ignore=.venv --ignore=var --ignore=tests -v0
	rm -f locale/en/LC_MESSAGES/django.po
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=tests -v0
	sed -i 's/charset=CHARSET/charset=UTF-8/; s/^"Language: \\n"/"Language: en\\n"/' locale/en/LC_MESSAGES/django.po
	msgen locale/en/LC_MESSAGES/django.po -o locale/en/LC_MESSAGES/django.po
	msgfmt --statistics -o /dev/null locale/et/LC_MESSAGES/django.po

migrate: $(STAMP)
	@echo "Preparing the database (the first time takes a minute or two)..."
	$(PY) manage.py migrate --no-input -v0

# The search index is rebuilt only when the demo changed something or there is none yet.
demo: migrate
	$(PY) manage.py load_demo --index

run: export WAGTAILADMIN_BASE_URL ?= http://$(HOST):$(PORT)
run: messages demo
	@echo "Serving Koda at $(WAGTAILADMIN_BASE_URL)/ (stop with Ctrl-C)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# The project's suite, then modelsearch's backend suite against the Whoosh backend, in its own
# settings without the project's apps; both on TEST_WORKERS processes (pytest-xdist; the browser
# tests together on one, see tests/workers.py). `REPORTS=path/name` writes
# JUnit reports name.xml and name-conformance.xml; `COVERAGE=path/name` measures the project's
# suite (not the conformance suite, which tracing slows threefold) and writes name.xml
# (Cobertura) beside a summary of the files not fully covered.
TEST_WORKERS ?= auto
test: messages
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS) $(if $(REPORTS),--junitxml=$(REPORTS).xml) \
		$(if $(COVERAGE),--cov --cov-report=term:skip-covered --cov-report=xml:$(COVERAGE).xml)
	$(PY) -m pytest tests/conformance -n $(TEST_WORKERS) --ds=tests.conformance.settings \
		--confcutdir=tests/conformance -p no:cacheprovider \
		$(if $(REPORTS),--junitxml=$(REPORTS)-conformance.xml)

# Benchmarks, not part of `make test`; each step writes its report under var/bench. The search
# step compares the Whoosh backend with SQLite FTS5 on BENCH_DOCS synthetic Estonian documents
# (`make bench BENCH_DOCS=100000`); BENCH_PROFILE=1 adds a cProfile of Whoosh's queries.
bench: bench-analysis bench-search bench-privacy bench-load bench-soak bench-peer

# The Estonian analysis on the blind labelled set by class, Vabamorf's loading cost and the
# analysis speed (tests/bench/analysis_bench.py).
bench-analysis: $(STAMP)
	$(PY) -m tests.bench.analysis_bench

# The privacy guard's cost by input kind and size (tests/bench/privacy_bench.py).
bench-privacy: $(STAMP)
	$(PY) -m tests.bench.privacy_bench

bench-search: $(STAMP)
	$(PY) -m tests.bench.search_bench --docs $(BENCH_DOCS) $(if $(BENCH_PROFILE),--profile)

# The load benchmark (tests/bench/load/run.py): BENCH_SCALE's data (tiny for a quick check,
# small, medium, large) generated once per database into var/bench/<vendor>-<scale>, served by
# gunicorn and read by locust one page at a time; on SQLite, then on PostgreSQL at BENCH_PG
# (user@host:port, database koda_bench_<scale>, dropped and created). Reports go to
# var/bench/load-<vendor>-<scale>.json. BENCH_FRESH=1 regenerates the data.
bench-load: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) -m tests.bench.load.run --vendor sqlite --scale $(BENCH_SCALE) \
		--duration $(BENCH_DURATION) --users $(BENCH_USERS) $(if $(BENCH_FRESH),--fresh)
	BENCH_PG=$(BENCH_PG) $(PY) -m tests.bench.load.run --vendor postgresql \
		--scale $(BENCH_SCALE) --duration $(BENCH_DURATION) --users $(BENCH_USERS) \
		$(if $(BENCH_FRESH),--fresh)

# The soak test (tests/bench/soak/run.py): a copy of BENCH_SCALE's PostgreSQL data (database
# koda_soak_<scale>) served by gunicorn, read by visitors and members and written by members
# through the forms for BENCH_SOAK_DURATION; then every acknowledged write must be in the
# database exactly once and no request may have failed, or it exits 1. Report:
# var/bench/soak-postgresql-<scale>.json.
bench-soak: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	BENCH_PG=$(BENCH_PG) $(PY) -m tests.bench.soak.run --vendor postgresql --scale $(BENCH_SCALE) \
		--duration $(BENCH_SOAK_DURATION)

# Koda beside Spirit (django-spirit 0.14.3 with Django 4.2, installed from the registry into
# var/bench/spirit-venv) on the same text (Koda's load data, exported), gunicorn and locust, one
# page at a time, on SQLite and then PostgreSQL (tests/bench/peer/run.py). The last step of
# `make bench`; on its own, `make bench-peer`.
bench-peer: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) -m tests.bench.peer.run --vendor sqlite --scale $(BENCH_SCALE) \
		--duration $(BENCH_DURATION) --users $(BENCH_USERS) $(if $(BENCH_FRESH),--fresh)
	BENCH_PG=$(BENCH_PG) $(PY) -m tests.bench.peer.run --vendor postgresql \
		--scale $(BENCH_SCALE) --duration $(BENCH_DURATION) --users $(BENCH_USERS) \
		$(if $(BENCH_FRESH),--fresh)

# The production topology on this machine (tests/prod/check.py): two gunicorn app servers with
# DEBUG off on PostgreSQL (database koda_prodcheck) and Redis (database 12), a django-tasks-db
# worker, shared media and the PostgreSQL search backend; checked through HTTP. Needs both
# services on 127.0.0.1, as CI has them.
prod-check: messages
	$(PY) -m tests.prod.check

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf var .pytest_cache .ruff_cache
