# briefgen: `make demo` builds the example project, `make test` runs the whole suite.
# Both set up what they need on a fresh Debian machine: system packages (apt-get), a
# virtual environment and the Python packages.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# WeasyPrint needs Pango and fontconfig; the default theme's CJK fonts are faces of
# fonts-noto-cjk's collections (the other script fonts ship in the package). The tests need
# LibreOffice (DOCX -> PDF), poppler (pdftoppm, pdffonts), Noto's system fonts to embed in
# a DOCX, the `briefgen serve` and web page browser tests Debian's chromium (Playwright
# drives it; nothing is downloaded), the web page's accessibility test npm (nodejs: to
# install axe-core, below), and the image tests exiftool (an independent reader: cleaned
# images hold nothing but pixels). The spreadsheet tests open exported workbooks in LibreOffice
# Calc (libreoffice-calc-nogui: .xlsx -> CSV).
RUNTIME_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fontconfig \
                    fonts-noto-cjk
APT_PACKAGES := $(RUNTIME_PACKAGES) libreoffice-writer-nogui poppler-utils chromium fonts-noto-core \
                libimage-exiftool-perl nodejs libreoffice-calc-nogui
PYTEST_ARGS ?=
# axe-core (npm), the accessibility engine the web page tests run in Chromium; pinned, so a
# new rule cannot turn the suite red overnight (tests/webpage/webpage_support.py: the same).
AXE_VERSION := 4.10.3
AXE_JS := tests/.axe/node_modules/axe-core/axe.min.js

.PHONY: demo serve test test-fast lint format bench catalogs system-deps system-deps-runtime venv clean axe

demo: venv system-deps-runtime
	$(BIN)/briefgen build . -o output
	@echo "Outputs in output/ (see output/manifest.json)"

# The live preview of this repository's briefings (docs/serve.md).
serve: venv system-deps-runtime
	$(BIN)/briefgen serve .

test: venv system-deps axe
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m briefgen.catalogs --check
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

# Skips LibreOffice round trips and full-project builds: for quick local runs.
test-fast: venv system-deps-runtime
	$(BIN)/pytest -n 2 -m "not slow" $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m briefgen.catalogs --check

# After changing a label in a template or in code: update the catalogs, then translate.
catalogs: venv
	$(BIN)/python -m briefgen.catalogs

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: venv system-deps-runtime
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python -m benchmarks.run

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Into tests/.axe/ (git-ignored); the test installs it there too when it is missing.
axe: $(AXE_JS)

$(AXE_JS):
	npm install --no-audit --no-fund --prefix tests/.axe axe-core@$(AXE_VERSION)

# Installs only what is missing, so a prepared machine pays nothing.
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

system-deps-runtime:
	@$(MAKE) --no-print-directory system-deps APT_PACKAGES="$(RUNTIME_PACKAGES)"

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

clean:
	rm -rf output .pytest_cache benchmarks/workdir tests/artefacts tests/.axe
