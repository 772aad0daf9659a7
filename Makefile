# Huhang: `make demo` starts a demo on http://127.0.0.1:8000, `make test` runs every test.
# Both install what they need: Debian packages (when missing), then the locked Python environment.

PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
DEMO_DIR ?= var/demo
# The project's shared public data beside the repository, when present: published Wuhan statistics (the
# indicators' history), patent records and classification tables (patent analytics; K2).
SHARED_DATA ?= ../shared/data
SHARED_STATS ?= $(SHARED_DATA)/stats/wuhan_ip_stats.csv
DEBIAN_PACKAGES := chromium fonts-noto-cjk fonts-wqy-microhei poppler-utils gettext golang-go golang-golang-x-mod-dev libreoffice-writer-nogui
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: demo test lint bench env system-packages messages clean-demo

demo: env
	HUHANG_DATA_DIR=$(DEMO_DIR) $(BIN)/huhang migrate --no-input
	HUHANG_DATA_DIR=$(DEMO_DIR) $(BIN)/huhang demo-data --if-empty
	HUHANG_DATA_DIR=$(DEMO_DIR) $(BIN)/huhang ledger verifier-key >/dev/null 2>&1 || \
	  HUHANG_DATA_DIR=$(DEMO_DIR) $(BIN)/huhang ledger init --origin demo.huhang.local/evidence
	HUHANG_DATA_DIR=$(DEMO_DIR) $(BIN)/huhang surveys load-default
	HUHANG_DATA_DIR=$(DEMO_DIR) $(BIN)/huhang demo-cases --if-empty
	HUHANG_DATA_DIR=$(DEMO_DIR) $(BIN)/huhang supervision load
	HUHANG_DATA_DIR=$(DEMO_DIR) $(BIN)/huhang supervision demo --if-empty
	HUHANG_DATA_DIR=$(DEMO_DIR) $(BIN)/huhang surveys demo --if-empty
	HUHANG_DATA_DIR=$(DEMO_DIR) $(BIN)/huhang kpi demo $(if $(wildcard $(SHARED_STATS)),--statistics $(SHARED_STATS))
	$(if $(wildcard $(SHARED_DATA)/classification),HUHANG_DATA_DIR=$(DEMO_DIR) $(BIN)/huhang patents reference $(SHARED_DATA)/classification)
	$(if $(wildcard $(SHARED_DATA)/patents),HUHANG_DATA_DIR=$(DEMO_DIR) $(BIN)/huhang patents load --skip-bad $(SHARED_DATA)/patents/*.jsonl)
	$(if $(wildcard $(SHARED_DATA)/classification),HUHANG_DATA_DIR=$(DEMO_DIR) $(BIN)/huhang patents classify --registry --write)
	$(if $(wildcard $(SHARED_DATA)/patents),HUHANG_DATA_DIR=$(DEMO_DIR) $(BIN)/huhang patents index)
	HUHANG_DATA_DIR=$(DEMO_DIR) $(BIN)/huhang serve --host 127.0.0.1 --port 8000

test: env system-packages
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: env
	$(BIN)/ruff check .

bench: env
	$(BIN)/python -m benchmarks

# Collect new messages into the Chinese catalogue, then compile it (translate the new entries in between).
messages: env
	cd src/huhang && ../../$(BIN)/django-admin makemessages -l zh_Hans --no-obsolete
	cd src/huhang && ../../$(BIN)/django-admin compilemessages

env: $(VENV)/.synced

$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

$(UV):
	$(PYTHON) -m venv $(TOOLS) || { echo "Python's venv module is missing: apt-get install python3-venv"; exit 1; }
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

# Chromium drives the browser tests; the CJK font renders Chinese in pages and documents.
system-packages:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi

clean-demo:
	rm -rf $(DEMO_DIR)
