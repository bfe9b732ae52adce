# The two commands a newcomer needs: `make demo` and `make test`.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: all setup configure build demo test asan-configure test-asan test-asan-unit test-tsan fuzz bench clean package

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

# The suite under sanitizers (docs/operations.md, "Fuzzing and sanitizers"); suppressions: lsan.supp, tsan.supp.
# ASan+UBSan builds with clang in build-asan, which also holds the fuzz targets (scripts/configure_asan.sh).
# test-asan runs the whole suite; test-asan-unit, CI's share, the subsystems' unit suites (not cli, whose
# library only the grove binary needs, and not the end-to-end tests). TSan builds with GCC in build-tsan.
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
ASAN_UNIT_SUITES ?= common data ml store registry pipeline serving events app web api
empty :=
space := $(empty) $(empty)
asan-configure:
	@scripts/setup.sh --fuzz
	scripts/configure_asan.sh $(ASAN_BUILD)

test-asan: asan-configure
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	scripts/sanitized_ctest.sh $(ASAN_BUILD) --output-on-failure -j $(JOBS)

test-asan-unit: asan-configure
	cmake --build $(ASAN_BUILD) -j $(JOBS) --target $(addsuffix _test,$(ASAN_UNIT_SUITES))
	scripts/sanitized_ctest.sh $(ASAN_BUILD) --output-on-failure -j $(JOBS) -R '^($(subst $(space),|,$(ASAN_UNIT_SUITES)))$$'

test-tsan: setup
	cmake -S . -B $(TSAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGROVE_SANITIZE=thread
	cmake --build $(TSAN_BUILD) -j $(JOBS)
	scripts/sanitized_ctest.sh $(TSAN_BUILD) --output-on-failure -j $(JOBS)

# The libFuzzer targets of fuzz/ (clang only, never needed by the build above), built in the ASan folder and each
# run FUZZ_SECONDS over a copy of its corpus; any crash fails. FUZZ_TARGETS picks some (e.g.
# FUZZ_TARGETS="csv_reader_fuzz").
FUZZ_SECONDS ?= 30
FUZZ_TARGETS ?=
fuzz:
	@scripts/setup.sh --fuzz
	FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) fuzz/run.sh $(ASAN_BUILD) $(FUZZ_TARGETS)

bench: configure
	@scripts/setup.sh --bench
	cmake --build $(BUILD) -j $(JOBS)
	scripts/bench.sh $(BUILD)

# A .deb of the grove binary, docs and examples (CPack; docs/deployment.md, "CI/CD"). Builds grove only.
package: configure
	cmake --build $(BUILD) -j $(JOBS) --target grove
	cd $(BUILD) && cpack -G DEB

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD)
