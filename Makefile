# nianbao — the two commands of the README, and a few helpers.
#   make run    create the virtual environment, install, read and check the bundled sample reports,
#               then set up the demo site and serve it (Ctrl-C stops it)
#   make test   install the test dependencies and run the whole suite twice, on SQLite and on
#               PostgreSQL (what CI runs; PostgreSQL is started first if it is down)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
# the PostgreSQL leg of the tests; pytest-django creates and drops test_nianbao itself
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/nianbao
VENV   ?= .venv
BIN     = $(VENV)/bin
# the five seed reports and one real report of each other published kind
SAMPLES = $(wildcard tests/fixtures/seeds/*.txt) \
          $(addprefix tests/fixtures/corpus/,004_pingtan_2021.txt 016_shuyang_fgj_2023.html \
                      031_shuyang_fgj_2023_word.docx 011_huaian_2024.pdf)

.PHONY: run test lint docs bench clean system-deps screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

system-deps:
	scripts/install-system-deps.sh

run: system-deps $(VENV)/.installed
	@# exit 1 only means "errors were found in a report"; 2 means an input could not be used
	$(BIN)/nianbao check $(SAMPLES); status=$$?; test $$status -le 1
	@# then the demo site: a generated region and these reports collected into a store kept in
	@# this checkout (SQLite, .run/), one account per role (passwords printed the first time),
	@# served at http://127.0.0.1:8000/ until Ctrl-C; a second run serves the same site
	NIANBAO_HOME=$(CURDIR)/.run $(BIN)/nianbao demo $(SAMPLES)

test: system-deps $(VENV)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	env -u DATABASE_URL $(BIN)/pytest
	scripts/postgres-up.sh
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

# the web app's pages as the browser tests see them, into docs/screenshots/
screenshots: system-deps $(VENV)/.installed
	NIANBAO_SCREENSHOTS=$(CURDIR)/docs/screenshots env -u DATABASE_URL $(BIN)/pytest -q tests/web/test_web_browser.py

docs: $(VENV)/.installed
	$(BIN)/nianbao rules --markdown > docs/rules.md
	$(BIN)/python -m nianbao.cli.reference > docs/cli.md
	$(BIN)/python -m nianbao.kinds > docs/kinds.md
	$(BIN)/python -m nianbao.formats.crosswalk > docs/dataset.md
	$(BIN)/python -c 'from nianbao.contract import contract_schema_json; print(contract_schema_json(), end="")' > docs/report.schema.json
	$(BIN)/python -c 'from nianbao.batch import check_schema_json; print(check_schema_json(), end="")' > docs/check.schema.json

bench: $(VENV)/.installed
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
