# The two commands a newcomer needs: `make demo` and `make test`.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: all setup configure build demo test test-asan test-tsan fuzz bench clean package

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

# The whole suite under sanitizers, each in a build folder of its own (GROVE_SANITIZE; docs/operations.md,
# "Fuzzing and sanitizers"). Suppressions: lsan.supp, tsan.supp.
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
test-asan: setup
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGROVE_SANITIZE=address,undefined
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS)

test-tsan: setup
	cmake -S . -B $(TSAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGROVE_SANITIZE=thread
	cmake --build $(TSAN_BUILD) -j $(JOBS)
	cd $(TSAN_BUILD) && ctest --output-on-failure -j $(JOBS)

# The libFuzzer targets of fuzz/ (clang only, never needed by the build above), each run FUZZ_SECONDS over a
# copy of its corpus; any crash fails. FUZZ_TARGETS picks some (e.g. FUZZ_TARGETS="csv_reader_fuzz").
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 30
FUZZ_TARGETS ?=
fuzz:
	@scripts/setup.sh --fuzz
	FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_TARGETS)

bench: configure
	@scripts/setup.sh --bench
	cmake --build $(BUILD) -j $(JOBS)
	scripts/bench.sh $(BUILD)

# A .deb of the grove binary, docs and examples (CPack; docs/deployment.md, "CI/CD"). Builds grove only.
package: configure
	cmake --build $(BUILD) -j $(JOBS) --target grove
	cd $(BUILD) && cpack -G DEB

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD)
