# Two commands on a fresh machine with Python 3.11+ and make: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# DEBUG is off unless set (`make run DEBUG=1` or `DEBUG=1 make run`): the portal shows the
# pages its users see; static files are served by whitenoise either way, uploads never.
run: $(STAMP)
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Portal: http://$(HOST):$(PORT)/"
	@# The worker runs the scheduler too (-B) over the embedded filesystem broker in var/; the
	@# scheduler's publisher sends the jobs pages queue in the database (portal.outbox).
	$(VENV)/bin/celery -A portal worker -B --loglevel=INFO --concurrency=1 \
		--schedule=var/celerybeat-schedule > var/celery.log 2>&1 & \
	  worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  PORTAL_RUN_HOST=$(HOST) $(PY) manage.py runserver $(HOST):$(PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# The tests marked "clock" run a second time with the clock at 23:30 Beijing time on the last
# day of a month: inside the quiet hours, half an hour before the day and the month change, so
# the suite passes at whatever hour it runs. faketime (Debian package faketime) fakes the clock
# of pytest and of the workers it starts and lets it run on; PostgreSQL and Redis keep the real
# one. Without faketime the run is skipped with a message, or fails when REQUIRE_SERVICES=1.
CLOCK_AT ?= 2026-11-30 23:30:00

test: lint
	$(VENV)/bin/pytest $(PYTEST_ARGS)
	@if command -v faketime >/dev/null; then \
	  echo "make test: the tests marked clock at $(CLOCK_AT) Beijing time"; \
	  status=0; TZ=Asia/Shanghai faketime '$(CLOCK_AT)' \
	    $(VENV)/bin/pytest -m clock $(PYTEST_ARGS) || status=$$?; \
	  [ $$status -eq 0 ] || [ $$status -eq 5 ]; \
	elif [ "$${REQUIRE_SERVICES:-}" = 1 ]; then \
	  echo "make test: faketime is missing (apt-get install faketime)" >&2; exit 1; \
	else \
	  echo "make test: faketime is missing, the tests marked clock did not run at 23:30"; \
	fi

# `make bench ONLY=export` runs the named figures only (the export needs no database).
bench: $(STAMP)
	$(PY) -m tests.perf.run $(ONLY)

messages: $(STAMP)
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=var --ignore=tests
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) var/*.sqlite3
