# Thin wrapper over CMake: `make`, `make test`, `make clean`.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
# CI sets WERROR=ON (warnings are errors); developers get the same by default.
WERROR ?= ON
SANITIZE ?=
CMAKE_FLAGS ?=
# ccache, when installed, makes rebuilds in several checkouts of the tree cheap.
LAUNCHER := $(if $(shell command -v ccache),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache,)

.PHONY: all deps configure build test bench clean sanitize serve fuzz-build fuzz-smoke fuzz fuzz-seeds fuzz-fast-build fuzz-deep

all: build

deps:
	./scripts/install-deps.sh
	./scripts/web-deps.sh

# The Python venv (pinned packages) is made first so CMake builds the extension and runs pytest
# with the very interpreter the tests use.
configure: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	  -DTOWNHALL_WERROR=$(WERROR) -DTOWNHALL_SANITIZE="$(SANITIZE)" \
	  -DPython_EXECUTABLE="$$(./scripts/python-env.sh $(BUILD_DIR)/venv)" $(LAUNCHER) $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD_DIR)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure
ifneq ($(FUZZ_SMOKE),0)
	$(MAKE) fuzz-smoke
endif

# AddressSanitizer + UBSan build in its own directory (the fuzz smoke run is left to `make test`).
sanitize:
	$(MAKE) test BUILD_DIR=build-asan BUILD_TYPE=Debug SANITIZE=address,undefined FUZZ_SMOKE=0

# libFuzzer targets (fuzz/, docs/security-testing.md), built with clang in their own directory:
# only libtownhall, the server library and the targets, instrumented with ASan and UBSan.
FUZZ_BUILD_DIR ?= build-fuzz
# make fuzz: seconds per target (FUZZ_RUNS=N stops a target after N executions instead, if sooner);
# FUZZ_TARGETS="csv cookie" runs only those.
FUZZ_SECONDS ?= 3600
FUZZ_RUNS ?=
FUZZ_TARGETS ?=
# make fuzz-smoke: seconds per target.
SMOKE_SECONDS ?= 10

fuzz-build:
	./scripts/install-deps.sh
	CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Fuzz \
	  -DTOWNHALL_FUZZ=ON -DTOWNHALL_WERROR=$(WERROR) $(LAUNCHER)
	cmake --build $(FUZZ_BUILD_DIR)

# Every target for SMOKE_SECONDS from its seeds; a crash fails it and prints the reproducer.
fuzz-smoke: fuzz-build
	SMOKE_SECONDS=$(SMOKE_SECONDS) ./fuzz/run.sh smoke $(FUZZ_BUILD_DIR) $(FUZZ_TARGETS)

# Every target for FUZZ_SECONDS, keeping its corpus in $(FUZZ_BUILD_DIR)/fuzz-corpus.
fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS) FUZZ_JOBS=$(FUZZ_JOBS) ./fuzz/run.sh long $(FUZZ_BUILD_DIR) $(FUZZ_TARGETS)

# Many millions of executions: the coverage-only build (-O2, no sanitizers, several times faster)
# fuzzes every target for FUZZ_SECONDS or FUZZ_RUNS with FUZZ_JOBS at a time, then the ASan+UBSan
# build replays every input that run kept, so a memory error the fast build could not see still
# stops the run.
FUZZ_FAST_BUILD_DIR ?= build-fuzz-fast
FUZZ_JOBS ?= 1
fuzz-fast-build:
	./scripts/install-deps.sh
	CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_FAST_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Fuzz \
	  -DTOWNHALL_FUZZ=ON -DTOWNHALL_FUZZ_SANITIZERS= -DTOWNHALL_WERROR=$(WERROR) $(LAUNCHER)
	cmake --build $(FUZZ_FAST_BUILD_DIR)

fuzz-deep: fuzz-build fuzz-fast-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS) FUZZ_JOBS=$(FUZZ_JOBS) \
	  ./fuzz/run.sh long $(FUZZ_FAST_BUILD_DIR) $(FUZZ_TARGETS)
	FUZZ_JOBS=$(FUZZ_JOBS) ./fuzz/run.sh replay $(FUZZ_BUILD_DIR) $(FUZZ_FAST_BUILD_DIR) $(FUZZ_TARGETS)

# Rebuilds the seed corpora in fuzz/corpus from the test suites' inputs.
fuzz-seeds: fuzz-build
	./fuzz/run.sh seeds $(FUZZ_BUILD_DIR) $(FUZZ_TARGETS)

bench: build
	./bench/run.sh $(BUILD_DIR)

# Builds and starts the REST server on 127.0.0.1 (PORT=8080) with a seeded demo database.
serve: build
	./scripts/serve-demo.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) build-asan build-wheel $(FUZZ_BUILD_DIR)
