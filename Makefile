# Two commands for a fresh clone:  `make lab`  and  `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SITE_STAMP    := $(VENV)/.site-installed
BROWSER_STAMP := scripts/browser/node_modules/.installed
# JupyterLab refuses to run as root (containers, some cloud machines) unless told to.
LAB_FLAGS ?= $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

.PHONY: lab test execute contents student-copy bench site browser clean

$(STAMP): requirements.txt pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	touch $(STAMP)

lab: $(STAMP)  ## open JupyterLab on the start-here notebook
	$(BIN)/jupyter lab $(LAB_FLAGS) notebooks/00_start_here.ipynb

test: $(STAMP) $(SITE_STAMP) browser  ## run every test: unit, hygiene, exercises, strict nbval, browser
	$(BIN)/python -m pytest

execute: $(STAMP)  ## re-execute notebooks in place and export figures (before committing)
	$(BIN)/lupus-execute $(NB)

contents: $(STAMP)  ## rewrite navigation bars, contents tables and GLOSSARY.md
	$(BIN)/lupus-contents

student-copy: $(STAMP)  ## notebooks without solutions, into student/
	$(BIN)/lupus-student-copy --out student

bench: $(STAMP)  ## notebook execution and widget redraw benchmarks (prints ratios)
	$(BIN)/python benchmarks/bench_notebooks.py --suite
	$(BIN)/python benchmarks/bench_widgets.py

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
	rm -rf $(VENV) student .pytest_cache build scripts/browser/node_modules
