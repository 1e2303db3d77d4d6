# Two commands for a fresh clone:  `make lab`  and  `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEST_STAMP    := $(VENV)/.installed-test
SITE_STAMP    := $(VENV)/.site-installed
BROWSER_STAMP := scripts/browser/node_modules/.installed
# JupyterLab refuses to run as root (containers, some cloud machines) unless told to.
LAB_FLAGS ?= $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

.PHONY: lab test unit lint execute contents student-copy class-edition nbgrader-course instructor-guide bench bench-classroom site browser clean

$(STAMP): requirements.txt pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	touch $(STAMP)

# Test and instructor tools (repo2docker for the Binder check; nbgrader, JupyterHub and
# nbgitpuller for the classroom tests): not part of a student's environment.
$(TEST_STAMP): $(STAMP) requirements-test.txt requirements-instructor.txt
	$(BIN)/python -m pip install -r requirements-test.txt -r requirements-instructor.txt
	touch $(TEST_STAMP)

# configurable-http-proxy (npm, exact versions from deploy/package-lock.json) for the hub tests
NODE_STAMP := deploy/node_modules/.installed
$(NODE_STAMP): deploy/package.json deploy/package-lock.json
	cd deploy && npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

lab: $(STAMP)  ## open JupyterLab on the start-here notebook
	$(BIN)/jupyter lab $(LAB_FLAGS) notebooks/00_start_here.ipynb

# nbgrader runs `alembic` from PATH, so the venv's bin goes first.
test: $(TEST_STAMP) $(NODE_STAMP) $(SITE_STAMP) browser  ## run everything: ruff, unit, hygiene, exercises, nbgrader, hub, launch, site, browser, strict nbval
	$(BIN)/python -m ruff check src tests scripts benchmarks
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -n 2 --dist loadfile

# Unit tests only, in one process: no notebook is run (nbval, exercise solutions, the
# strict-nbval self-test). For a single file: .venv/bin/python -m pytest tests/test_x.py
UNIT_SKIP := --ignore=tests/test_exercises.py --ignore=tests/test_nbval_strict.py

unit: $(TEST_STAMP) $(NODE_STAMP)  ## unit tests only, fast (add ARGS=--lf to rerun the last failures)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest tests $(UNIT_SKIP) $(ARGS)

lint: $(STAMP)  ## ruff (pyflakes and pycodestyle rules, configured in pyproject.toml)
	$(BIN)/python -m ruff check src tests scripts benchmarks

execute: $(STAMP)  ## re-execute notebooks in place and export figures (before committing)
	$(BIN)/lupus-execute $(NB)

contents: $(STAMP)  ## rewrite navigation bars, contents tables and GLOSSARY.md
	$(BIN)/lupus-contents

student-copy: $(STAMP)  ## class edition (no solutions, no Think!/quiz answers), into student/
	$(BIN)/lupus-student-copy --out student

class-edition: $(TEST_STAMP)  ## commit the class edition to the branch class-edition (for nbgitpuller)
	$(BIN)/lupus-class-edition-branch

nbgrader-course: $(TEST_STAMP)  ## nbgrader course root in course/ (hidden tests live only there)
	$(BIN)/lupus-nbgrader-course --out course

instructor-guide: $(TEST_STAMP)  ## regenerate the generated parts of INSTRUCTORS.md
	$(BIN)/lupus-instructor-guide

bench: $(STAMP)  ## notebook execution and widget redraw benchmarks (prints ratios)
	$(BIN)/python benchmarks/bench_notebooks.py --suite
	$(BIN)/python benchmarks/bench_widgets.py

bench-classroom: $(TEST_STAMP) $(NODE_STAMP)  ## N students on a loopback JupyterHub (N=STUDENTS, default 2)
	$(BIN)/python benchmarks/bench_classroom.py --students $(or $(STUDENTS),2)


$(SITE_STAMP): requirements-site.txt $(STAMP)
	$(BIN)/python -m pip install -r requirements-site.txt
	$(BIN)/python -m pip install --no-deps -e .
	touch $(SITE_STAMP)

site: $(SITE_STAMP)  ## static course website in build/site (committed outputs, no execution)
	$(BIN)/lupus-site

# The browser tests need node + npm (playwright-core from the lockfile, no browser download)
# and Debian's chromium, installed here with apt-get when running as root. Without them the
# tests skip on a developer's machine and fail under CI.
$(BROWSER_STAMP): scripts/browser/package.json scripts/browser/package-lock.json
	@if command -v npm >/dev/null; then \
	  cd scripts/browser && npm ci --no-audit --no-fund && touch node_modules/.installed; \
	else echo "make browser: npm is missing; the browser tests will not run"; fi

browser: $(BROWSER_STAMP)  ## Debian chromium (as root, if missing) and playwright-core for the browser tests
	@test -x /usr/bin/chromium || { test "$$(id -u)" = 0 && apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium; } || \
	  echo "make browser: install Debian's chromium (apt-get install chromium) to run the browser tests"


clean:
	rm -rf $(VENV) student course build deploy/node_modules scripts/browser/node_modules .pytest_cache
