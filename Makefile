# Two commands for a fresh clone:  `make lab`  and  `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# JupyterLab refuses to run as root (containers, some cloud machines) unless told to.
LAB_FLAGS ?= $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

.PHONY: lab test unit lint execute contents student-copy class-edition nbgrader-course instructor-guide bench bench-classroom clean

$(STAMP): requirements.txt requirements-instructor.txt pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt -r requirements-instructor.txt
	touch $(STAMP)

# Test-only tools (repo2docker for the Binder check): not part of a student's environment.
$(TEST_STAMP): $(STAMP) requirements-test.txt
	$(BIN)/python -m pip install -r requirements-test.txt
	touch $(TEST_STAMP)

# configurable-http-proxy (npm, exact versions from deploy/package-lock.json) for the hub tests
NODE_STAMP := deploy/node_modules/.installed
$(NODE_STAMP): deploy/package.json deploy/package-lock.json
	cd deploy && npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

lab: $(STAMP)  ## open JupyterLab on the start-here notebook
	$(BIN)/jupyter lab $(LAB_FLAGS) notebooks/00_start_here.ipynb

# nbgrader runs `alembic` from PATH, so the venv's bin goes first.
test: $(TEST_STAMP) $(NODE_STAMP)  ## run everything: ruff, unit, hygiene, exercises, nbgrader, hub, launch, strict nbval
	$(BIN)/python -m ruff check src tests scripts benchmarks
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -n 2 --dist loadfile

# Unit tests only, in one process: no notebook is run (nbval, exercise solutions, the
# strict-nbval self-test). For a single file: .venv/bin/python -m pytest tests/test_x.py
UNIT_SKIP := --ignore=tests/test_exercises.py --ignore=tests/test_nbval_strict.py

unit: $(STAMP)  ## unit tests only, fast (add ARGS=--lf to rerun the last failures)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest tests $(UNIT_SKIP) $(ARGS)

lint: $(STAMP)  ## ruff (pyflakes and pycodestyle rules, configured in pyproject.toml)
	$(BIN)/python -m ruff check src tests scripts benchmarks

execute: $(STAMP)  ## re-execute notebooks in place and export figures (before committing)
	$(BIN)/lupus-execute $(NB)

contents: $(STAMP)  ## rewrite navigation bars, contents tables and GLOSSARY.md
	$(BIN)/lupus-contents

student-copy: $(STAMP)  ## class edition (no solutions, no Think!/quiz answers), into student/
	$(BIN)/lupus-student-copy --out student

class-edition: $(STAMP)  ## commit the class edition to the branch class-edition (for nbgitpuller)
	$(BIN)/lupus-class-edition-branch

nbgrader-course: $(STAMP)  ## nbgrader course root in course/ (hidden tests live only there)
	$(BIN)/lupus-nbgrader-course --out course

instructor-guide: $(STAMP)  ## regenerate the generated parts of INSTRUCTORS.md
	$(BIN)/lupus-instructor-guide

bench: $(STAMP)  ## notebook execution and widget redraw benchmarks (prints ratios)
	$(BIN)/python benchmarks/bench_notebooks.py --suite
	$(BIN)/python benchmarks/bench_widgets.py

bench-classroom: $(STAMP) $(NODE_STAMP)  ## N students on a loopback JupyterHub (N=STUDENTS, default 2)
	$(BIN)/python benchmarks/bench_classroom.py --students $(or $(STUDENTS),2)

clean:
	rm -rf $(VENV) student course deploy/node_modules .pytest_cache
