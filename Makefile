# The handbook's everyday commands. On a fresh machine:
#   make html   sets everything up and builds the example handbook into _build/html
#   make test   sets everything up (including Chromium and the CJK fonts) and runs the tests
# The Sphinx part follows sphinx-quickstart's conventions: SPHINXOPTS, _build/<builder>/.

PYTHON      ?= python3
VENV        ?= .venv
SPHINXOPTS  ?= -W --keep-going
SOURCEDIR   = source
BUILDDIR    = _build
BIN         = $(VENV)/bin
SPHINXBUILD = $(BIN)/sphinx-build
STAMP       = $(VENV)/.installed
MERMAID     = node_modules/mermaid/dist/mermaid.esm.min.mjs
PYTEST_ARGS ?=

.PHONY: help setup system-deps html pdf singlehtml latex text check lint test test-quick a11y serve livehtml bench docs dist clean

help:
	@echo "make html       build the example handbook (sets up .venv, node_modules and Chromium first)"
	@echo "make pdf        build the ISO 9001 audit PDF into $(BUILDDIR)/pdf/"
	@echo "make lint       ruff: the lint rules and the formatting of pyproject.toml"
	@echo "make test       set up everything (incl. Chromium, CJK fonts), lint and run the tests"
	@echo "make test-quick the tests that need no browser, PDF or example build (well under a minute)"
	@echo "make a11y       the accessibility tests (axe-core, keyboard, print); SITE=dir/_build/html sweeps your site"
	@echo "make check      check the example data (handbook check source/org)"
	@echo "make serve      preview _build/html on http://127.0.0.1:8000/"
	@echo "make livehtml   rebuild and reload in the browser on every change (sphinx-autobuild)"
	@echo "make bench      run the benchmarks (figures go into docs/performance.md)"
	@echo "make docs       build this project's manual (docs/) into $(BUILDDIR)/docs; warnings are errors"
	@echo "make dist       the sdist and the wheel (carrying Mermaid from node_modules) into dist/"
	@echo "make <builder>  any other Sphinx builder, e.g. make latex, make text"

setup: $(STAMP) $(MERMAID)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,pdf,serve]'
	@touch $@

$(MERMAID): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js (e.g. apt-get install nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

system-deps:
	bash scripts/install-system-deps.sh

# (the charts are drawn at build time by headless Chromium: without it the build warns, an error with -W)
html: setup system-deps
	$(SPHINXBUILD) -M html $(SOURCEDIR) $(BUILDDIR) -c . $(SPHINXOPTS)

pdf: setup system-deps
	$(BIN)/handbook pdf --source $(SOURCEDIR) --conf . --out $(BUILDDIR)/pdf -j auto $(SPHINXOPTS)

check: setup
	$(BIN)/handbook check $(SOURCEDIR)/org

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: setup system-deps lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# axe-core on every page kind of the example (zh_CN, en), keyboard and print; with SITE=<built html
# folder> the axe-core sweep of that site instead
a11y: setup system-deps
	HANDBOOK_A11Y_SITE=$(SITE) $(BIN)/python -m pytest tests/browser/test_a11y.py $(if $(SITE),-k yours) $(PYTEST_ARGS)

test-quick: setup
	$(BIN)/python -m pytest -m "not slow" -q $(PYTEST_ARGS)

serve: html
	$(BIN)/handbook serve $(BUILDDIR)/html

livehtml: setup
	$(BIN)/sphinx-autobuild $(SOURCEDIR) $(BUILDDIR)/html -c . --host 127.0.0.1 --port 8000 \
	    --ignore "$(SOURCEDIR)/roles/*" --ignore "$(SOURCEDIR)/departments/*" --ignore "$(SOURCEDIR)/processes/*"

bench: setup
	$(BIN)/python bench/run.py

# the project's own manual (docs/*.md, docs/conf.py), not the example handbook
docs: setup
	$(SPHINXBUILD) -b html docs $(BUILDDIR)/docs -W --keep-going -n

dist: setup
	$(BIN)/python -m build --outdir dist .

clean:
	rm -rf $(BUILDDIR)

# files make must not try to remake with the catch-all rule below
Makefile pyproject.toml package.json package-lock.json: ;

# Any other Sphinx builder: make latex, make text, make singlehtml, ...
%: setup
	$(SPHINXBUILD) -M $@ $(SOURCEDIR) $(BUILDDIR) -c . $(SPHINXOPTS)
