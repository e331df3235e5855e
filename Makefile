# Renkei — the two quick-start commands are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
SCALE ?= city
BIN := $(VENV)/bin

.PHONY: demo test lint check-migrations serve migrate clean bench bench-audit faults profile

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Renkei needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

# Reinstall only when the project's declared dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[dev]'
	touch $@

migrate: $(VENV)/.installed
	RENKEI_DEMO=1 $(BIN)/python manage.py migrate --noinput

demo: migrate
	RENKEI_DEMO=1 $(BIN)/python manage.py load_demo
	RENKEI_DEMO=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed
	$(BIN)/python -m pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	RENKEI_TESTING=1 RENKEI_DEMO=1 $(BIN)/mypy

check-migrations: $(VENV)/.installed
	RENKEI_DEMO=1 RENKEI_VAR_DIR=$(CURDIR)/var/ci $(BIN)/python manage.py makemigrations --check --dry-run

# The benchmark: PostgreSQL (DATABASE_URL or BENCH_DATABASE_URL), gunicorn, locust. SCALE=smoke|city|region.
$(VENV)/.bench-installed: pyproject.toml | $(VENV)/.installed
	$(BIN)/python -m pip install -e '.[dev,bench]'
	touch $@

bench: $(VENV)/.bench-installed
	$(BIN)/python -m bench.run --scale $(SCALE) $(BENCH_ARGS)

# Where the time goes: py-spy samples the gunicorn worker while the bench's load drives patient list, timeline,
# new post and annual report one at a time; writes var/bench/profile_<endpoint>.txt (docs/benchmark.md).
profile: $(VENV)/.bench-installed
	$(BIN)/python -m bench.profile --scale $(SCALE) $(PROFILE_ARGS)

# The audit lock's wait at saturation, one chain against the configured chains (docs/benchmark.md).
bench-audit: $(VENV)/.bench-installed
	$(BIN)/python -m bench.audit_wait --scale $(SCALE) $(BENCH_ARGS)

# Fault injection, not part of CI: a throwaway PostgreSQL cluster, gunicorn, writers through kill -9 and a
# database restart; prints acknowledged / lost / duplicated and the status codes (docs/operations.md: Fault injection).
faults: $(VENV)/.installed
	$(BIN)/python -m bench.faults $(FAULTS_ARGS)

clean:
	rm -rf var/db.sqlite3 var/test
