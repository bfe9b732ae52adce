# The two commands a newcomer needs: `make demo` and `make test`.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: all setup configure build demo test bench clean package

all: build

setup:
	@scripts/setup.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

configure: setup $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# The demo needs the grove binary only, not the tests and benchmarks.
demo: configure
	cmake --build $(BUILD) -j $(JOBS) --target grove
	scripts/demo.sh $(BUILD)/grove

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: configure
	@scripts/setup.sh --bench
	cmake --build $(BUILD) -j $(JOBS)
	scripts/bench.sh $(BUILD)

# A .deb of the grove binary, docs and examples (CPack; docs/deployment.md, "CI/CD"). Builds grove only.
package: configure
	cmake --build $(BUILD) -j $(JOBS) --target grove
	cd $(BUILD) && cpack -G DEB

clean:
	rm -rf $(BUILD)
