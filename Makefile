# Thin wrapper over CMake: `make`, `make test`, `make clean`.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
# CI sets WERROR=ON (warnings are errors); developers get the same by default.
WERROR ?= ON
SANITIZE ?=
CMAKE_FLAGS ?=
# ccache, when installed, makes rebuilds in several checkouts of the tree cheap.
LAUNCHER := $(if $(shell command -v ccache),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache,)

.PHONY: all deps configure build test bench clean sanitize serve

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

# AddressSanitizer + UBSan build in its own directory.
sanitize:
	$(MAKE) test BUILD_DIR=build-asan BUILD_TYPE=Debug SANITIZE=address,undefined

bench: build
	./bench/run.sh $(BUILD_DIR)

# Builds and starts the REST server on 127.0.0.1 (PORT=8080) with a seeded demo database.
serve: build
	./scripts/serve-demo.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) build-asan
