# Critical Friend: `make run` serves the app, `make test` runs the suite.
# Slow steps leave a stamp under .venv/ or var/ so a second run skips them.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# WeasyPrint needs Pango and HarfBuzz; compilemessages needs gettext.
SYSTEM_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext
BROWSER_DEBS := chromium
# The RQ backend's test starts its own redis-server on a free port.
TEST_DEBS := redis-server
BENCH_DEBS := wrk
# xstatic packages still import pkg_resources when they build; cap setuptools for that.
export PIP_CONSTRAINT := $(CURDIR)/constraints.txt
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test setup bench lint messages clean

# The web server and one task worker (e-mails, reminders) side by side; Ctrl-C stops both.
run: setup
	@$(MANAGE) demo_logins
	$(MANAGE) serve 127.0.0.1:8000

test: setup $(VENV)/.test-deps var/.browser-debs var/.test-debs
	$(PY) -m pytest

setup: $(VENV)/.deps var/.system-debs messages
	$(MANAGE) migrate --no-input
	$(MANAGE) load_benchmarks
	$(MANAGE) load_practices
	$(MANAGE) load_demo
	$(MANAGE) load_comparative_demo

$(VENV)/.deps: pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON))"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.test-deps: $(VENV)/.deps
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

# Debian libraries are installed only when dpkg says one is missing.
var/.system-debs:
	@mkdir -p var
	@dpkg -s $(SYSTEM_DEBS) >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_DEBS); }
	touch $@

var/.browser-debs:
	@mkdir -p var
	@dpkg -s $(BROWSER_DEBS) >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(BROWSER_DEBS); }
	touch $@

var/.test-debs:
	@mkdir -p var
	@dpkg -s $(TEST_DEBS) >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(TEST_DEBS); }
	touch $@

# Compiles a catalogue only when its .po is newer than its .mo.
PO_FILES := $(shell find locale -name '*.po' 2>/dev/null)
messages: $(PO_FILES:.po=.mo)
%.mo: %.po $(VENV)/.deps
	$(MANAGE) compilemessages --ignore=.venv -v 0

lint: $(VENV)/.test-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(MANAGE) makemigrations --check --dry-run

# The load test drives gunicorn with wrk; only the benchmark needs it.
# The bench builds its own database (a /tmp SQLite file, or a throwaway database on the
# PostgreSQL server of DATABASE_URL=postgres://...): it never migrates or fills the dev one.
# BENCH_SIZE=network adds the network data set (50 reviews, 50,000 evidence entries).
bench: $(VENV)/.deps var/.system-debs messages $(VENV)/.test-deps var/.bench-debs
	$(PY) -m tests.perf.run $(if $(BENCH_SIZE),--size $(BENCH_SIZE))

var/.bench-debs:
	@mkdir -p var
	@dpkg -s $(BENCH_DEBS) >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(BENCH_DEBS); }
	touch $@

clean:
	rm -rf $(VENV) var
