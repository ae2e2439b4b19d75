# Two commands a newcomer needs: `make run` and `make test`. Both can be run again and again.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: gallery tour run test setup bench scale lint format clean system-tools bench-tools scale-tools messages lrs measure

# The port `make run` serves on: `make run PORT=8001`.
PORT ?= 8000
# Ralph, the learning record store the tests send xAPI statements to, in a venv of its own.
LRS_VENV := .venv-lrs

run: setup
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: setup $(VENV)/.dev-installed system-tools lrs
	$(BIN)/ruff check .
	$(BIN)/pytest

# How often the group readings are wrong, how often a real change is seen, and whether
# guessing passes a module: simulated players through the real scoring (docs/measurement.md).
measure: $(VENV)/.installed
	$(BIN)/python -m tests.measurement

# `make bench DATABASE_URL=postgres://user@host:5432/db` measures on PostgreSQL: the bench
# makes a throwaway database on that server and drops it after; the one named is not touched.
bench: $(VENV)/.dev-installed bench-tools
	$(MANAGE) compile_catalogues
	$(BIN)/python bench/run.py

# Two app servers behind nginx on one PostgreSQL database, 500 players through a module's
# session, one server stopped midway (bench/scale.py). A throwaway database is made on the
# server DATABASE_URL names (default: the local one, as the PostgreSQL tests use).
scale: $(VENV)/.dev-installed scale-tools
	$(MANAGE) compile_catalogues
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} $(BIN)/python bench/scale.py

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The set-up shared by run, test and bench: packages, compiled catalogues, database, built-in packs.
setup: $(VENV)/.installed
	$(MANAGE) compile_catalogues
	$(MANAGE) migrate --no-input
	$(MANAGE) import_scenarios content/*.json

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Saq needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) --version). Try: make PYTHON=python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

# The learning record store the tests run (tests/test_records_ralph.py): Ralph, pinned whole
# in requirements-lrs.txt, apart from Saq's packages. `make run` needs none.
lrs: $(LRS_VENV)/.installed

$(LRS_VENV)/.installed: requirements-lrs.txt $(BIN)/python
	$(PYTHON) -m venv $(LRS_VENV)
	$(LRS_VENV)/bin/pip install -q -r requirements-lrs.txt
	touch $@

# The tests need Debian packages: chromium for the browser tests (Playwright's own browser
# download is never used), gettext, whose xgettext checks the catalogues are current, graphviz,
# whose dot lays out the story picture, and nginx with openssl, so the deploy kit's site is
# checked by `nginx -t`.
system-tools:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v xgettext >/dev/null || missing="$$missing gettext"; \
	command -v dot >/dev/null || missing="$$missing graphviz"; \
	{ command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; } || missing="$$missing nginx"; \
	command -v openssl >/dev/null || missing="$$missing openssl"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian packages for the tests:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		echo "The tests need Debian packages:$$missing. Run 'sudo apt-get install$$missing', then 'make test' again."; \
		exit 1; \
	fi

# The benchmark drives gunicorn with wrk (a Debian package).
bench-tools:
	@if command -v wrk >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian packages for the benchmark: wrk"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	else \
		echo "The benchmark needs wrk. Run 'sudo apt-get install wrk', then 'make bench' again."; \
		exit 1; \
	fi

# make scale puts Debian's nginx in front of the app servers (only its binary is used, on
# loopback, with a configuration of its own in bench/out/scale/).
scale-tools:
	@if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian packages for make scale: nginx"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
	else \
		echo "make scale needs nginx. Run 'sudo apt-get install nginx', then 'make scale' again."; \
		exit 1; \
	fi

# The gallery of channels for authors (docs/gallery/*.png, listed in docs/gallery.md).
gallery: setup $(VENV)/.dev-installed system-tools
	SAQ_GALLERY_PICTURES=1 $(BIN)/pytest tests/browser/test_gallery.py

# The README's tour pictures (docs/tour/*.png), taken afresh by walking the tour in Chromium.
tour: setup $(VENV)/.dev-installed system-tools
	SAQ_TOUR_PICTURES=1 $(BIN)/pytest tests/browser/test_tour.py

# After changing a user-facing string: refresh the kk and ru catalogues, translate, commit.
messages: $(VENV)/.dev-installed
	$(MANAGE) makemessages -l kk -l ru --no-obsolete --no-location

clean:
	rm -rf $(VENV) $(LRS_VENV) db.sqlite3 staticfiles
