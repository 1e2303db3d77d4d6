# Two commands for a fresh clone:  `make lab`  and  `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# JupyterLab refuses to run as root (containers, some cloud machines) unless told to.
LAB_FLAGS ?= $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

.PHONY: lab test execute contents student-copy class-edition nbgrader-course instructor-guide bench bench-classroom clean

$(STAMP): requirements.txt requirements-instructor.txt pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt -r requirements-instructor.txt
	touch $(STAMP)

# configurable-http-proxy (npm, exact versions from deploy/package-lock.json) for the hub tests
NODE_STAMP := deploy/node_modules/.installed
$(NODE_STAMP): deploy/package.json deploy/package-lock.json
	cd deploy && npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

lab: $(STAMP)  ## open JupyterLab on the start-here notebook
	$(BIN)/jupyter lab $(LAB_FLAGS) notebooks/00_start_here.ipynb

test: $(STAMP) $(NODE_STAMP)  ## run every test: unit, hygiene, exercises, nbgrader, hub, strict nbval
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest

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
