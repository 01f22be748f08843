# piiscan: every target installs what it needs first, on a fresh Debian machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# OCR and PDF tools used by the scanner (Tesseract with the four languages of our documents);
# the PostgreSQL server, which the tests start as a throw-away cluster to test the findings store on it;
# Chromium, which the review UI's browser tests drive through Playwright (never a downloaded browser).
SYSTEM_PACKAGES := tesseract-ocr tesseract-ocr-fra tesseract-ocr-nld tesseract-ocr-deu \
                   tesseract-ocr-eng poppler-utils fonts-dejavu-core postgresql chromium

.PHONY: demo test fuzz eval bench variants install system-deps samples samples-ids lock clean

# The sample documents themselves, not the generators and ground-truth files beside them.
DEMO_DOCS := $(addprefix sample_docs/,text scans photos pdf email office faces)
# A dozen ID-card copies, masked and not: check-id exits 1 when it finds an unmasked one (expected here), 2 on an error.
DEMO_IDS := $(wildcard sample_docs/id_cards/*_masked_black_scan_*.jpg sample_docs/id_cards/*_unmasked_scan_front.*)

# A fresh store each time, so the demo shows findings (a second run into the same store would skip every file).
demo: install
	rm -rf .demo && mkdir -p .demo
	$(BIN)/piiscan scan $(DEMO_DOCS) --format table --db .demo/findings.db
	$(BIN)/piiscan report --db .demo/findings.db --format html --out .demo/report.html
	@echo "HTML report: .demo/report.html"
	$(BIN)/piiscan check-id --format table $(DEMO_IDS); test $$? -le 1

test: install
	$(BIN)/python -m pytest -q -p no:cacheprovider

# Coverage-guided fuzzing of the document readers and the ID-copy check (tools/fuzz.py), ten minutes per
# target; a crash or a hang stops with the input in $TMPDIR/piiscan-fuzz/<target>/ and exit status 1.
fuzz: install
	$(BIN)/python -m tools.fuzz --target all --seconds 600

eval: install
	$(BIN)/pip install -q -c constraints.txt -e '.[compare]'
	$(BIN)/python -m tools.evaluate --out docs/eval.md
	$(BIN)/python -m tools.evaluate_documents --out docs/eval-documents.md
	$(BIN)/python -m tools.evaluate_idcheck --out docs/eval-idcheck.md

bench: install
	$(BIN)/pip install -q -c constraints.txt -e '.[compare]'
	$(BIN)/python -m tools.bench --out docs/bench.md
	$(BIN)/python -m tools.bench_documents --out docs/bench-documents.md
	$(BIN)/python -m tools.bench_idcheck --out docs/bench-idcheck.md
	$(BIN)/python -m tools.bench_service --mix --out docs/bench-service.md
	$(BIN)/python -m tools.bench_batch --out docs/bench-batch.md
	$(BIN)/python -m tools.bench_review --out docs/bench-review.md
	$(BIN)/python -m tools.bench_structured --jsonl-mb 200 --json-mb 20 --xlsx-mb 5 --out docs/bench-structured.md

variants: install
	$(BIN)/pip install -q -c constraints.txt -e '.[research]'
	$(BIN)/python -m tools.person_variants

samples: install
	$(BIN)/pip install -q -c constraints.txt -e '.[samples]'
	$(BIN)/python sample_docs/generate.py
	$(BIN)/python sample_docs/render.py
	$(BIN)/python -m sample_docs.einvoices

# The ID-card copies (sample_docs/id_cards/ and its truth.jsonl); slow, so not part of `samples`.
samples-ids: samples
	$(BIN)/python sample_docs/id_cards/render_ids.py

install: system-deps $(STAMP)

# Installs only what is missing; needs root or sudo the first time.
system-deps:
	@missing=""; \
	for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	  $$SUDO apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
	fi

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[test]'
	$(BIN)/python -m compileall -q scanner  # byte-code once: start-up does not recompile
	touch $@

# Re-pin every installed package after a dependency change in pyproject.toml.
lock: install
	$(BIN)/pip install -q -e '.[test,compare,samples,research]'
	(echo "# Every Python package piiscan installs, pinned (make lock regenerates it from .venv)."; \
	 $(BIN)/pip freeze --exclude-editable | grep -v '^piiscan') > constraints.txt

clean:
	rm -rf $(VENV) build *.egg-info
