# rasoat — the front door. `make` builds build/rasoat; `make scan` installs
# what is missing, builds and scans this host; `make test` installs what is
# missing, builds with ASan+UBSan (and the libFuzzer targets) and runs every
# test; `make bench` runs the benchmarks; `make install` installs under
# PREFIX (default /usr/local; DESTDIR honoured); `make deb` builds the Debian
# package into build/deb/.

MAKEFLAGS += --no-print-directory
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)
REPORT ?= rasoat-report.html
DB     ?= /var/lib/rasoat/rasoat.db
PREFIX ?= /usr/local

.PHONY: all deps test-deps deb-deps scan test bench install deb clean

all: build/rasoat

deps:
	@scripts/deps.sh build

test-deps:
	@scripts/deps.sh test

deb-deps:
	@scripts/deps.sh deb

build/Makefile: CMakeLists.txt | deps
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DRS_TESTS=OFF >/dev/null

build/rasoat: build/Makefile FORCE
	@cmake --build build -j $(JOBS)

FORCE:

# The checkout's test fixtures and test sources plant attacker artefacts on
# purpose: `make scan` leaves them out (a plain `rasoat scan` still reports
# such files wherever they are).
scan: build/rasoat
	@echo "rasoat: leaving out this checkout's test data ($(CURDIR)/tests, $(CURDIR)/build-test)"
	@build/rasoat scan --db $(DB) --html $(REPORT) --fail-on none \
	  --exclude '$(CURDIR)/tests' --exclude '$(CURDIR)/build-test'; \
	  echo "rasoat: HTML report written to $(REPORT)"

# Tests ctest runs at once in `make test`: one more than the cores. Part of
# the suite's time is spent waiting, not computing (fleet servers restarting,
# agents backing off, PostgreSQL, fsyncs): test_fleet_zero_loss computes for
# 10 of its 39 s in CI, test_fleet_zero_loss_pg for 12 of 52 (docs/BENCHMARKS.md,
# "The test suite"); a third test uses the core they leave idle. The fuzz
# targets run after the rest, JOBS at once as before: libFuzzer's budget is
# seconds of wall-clock time, so a third test beside them would cut the
# inputs each one tries.
TEST_JOBS ?= $(shell echo $$(( $(JOBS) + 1 )))

# libFuzzer seconds per target: short in `make test` (CI), long in `make fuzz`.
# libFuzzer's -max_total_time=N stops once more than N whole seconds have
# passed since it started, so N runs a target for N + 1 s: 1 gives the 2 s
# per target `make test` has always meant (2 ran each for 3 s, 92 s more
# of the -j2 fuzz run in all).
TEST_FUZZ_SECONDS ?= 1
FUZZ_SECONDS ?= 300

# The packages only the tests use (chromium, PostgreSQL, the packaging tools,
# the optional comparison tools and web applications: most of the 177 s
# scripts/deps.sh took on a fresh machine, docs/BENCHMARKS.md) are
# installed while the test build compiles: first what the
# compile needs (deps.sh test-compile), then `deps.sh test` and
# playwright.sh in the background, their output in build-test/deps.log,
# shown once they are done. The tests start only after them; a failed
# install (a required package; an optional one only warns, as before) stops
# `make test` there. One apt-get at a time: the background chain is the only
# one. Interrupted, the background install carries on to its end (the next
# deps.sh waits for its lock).
DEPS_LOG = build-test/deps.log

# The sanitizer and fuzz build (build-test) is generated for Ninja: its
# ~290 executables (unit tests, fuzz targets) cost Make's recursive
# per-target steps about 70 CPU-s more on a full build (149 against 78
# CPU-s with every object from ccache, docs/BENCHMARKS.md). A build-test
# configured earlier for Make is reconfigured (CMake keeps one generator
# per build tree).
TEST_CONFIGURE = { [ ! -f build-test/CMakeCache.txt ] || \
	  grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$$' build-test/CMakeCache.txt || \
	  rm -rf build-test/CMakeCache.txt build-test/CMakeFiles; } && \
	cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang \
	  -DRS_SANITIZE=ON -DRS_FUZZ=ON
test:
	@scripts/deps.sh test-compile
	@mkdir -p build-test; \
	{ scripts/deps.sh test && scripts/playwright.sh build-test; } >$(DEPS_LOG) 2>&1 & deps=$$!; \
	$(TEST_CONFIGURE) -DRS_FUZZ_SECONDS=$(TEST_FUZZ_SECONDS) >/dev/null && \
	  cmake --build build-test -j $(JOBS); built=$$?; \
	if kill -0 $$deps 2>/dev/null; then \
	  echo "rasoat: waiting for the test packages' install ($(DEPS_LOG))" >&2; fi; \
	wait $$deps; installed=$$?; cat $(DEPS_LOG) >&2; \
	if [ $$installed != 0 ]; then \
	  echo "rasoat: installing the test packages failed (exit $$installed; $(DEPS_LOG))" >&2; exit 1; fi; \
	[ $$built = 0 ]
	@cd build-test && export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 && \
	  ctest --output-on-failure -j $(TEST_JOBS) -E '^fuzz/'; rest=$$?; \
	  ctest --output-on-failure -j $(JOBS) -R '^fuzz/'; fuzz=$$?; \
	  [ $$rest = 0 ] && [ $$fuzz = 0 ]

install: build/Makefile
	@cmake -S . -B build -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	@cmake --build build -j $(JOBS)
	@cmake --install build

deb: deb-deps
	@scripts/deb.sh

# Every libFuzzer target for FUZZ_SECONDS each (the corpus they grow stays in
# build-test/fuzz-work); crashes are reported by ctest with the input's path.
fuzz: test-deps
	@$(TEST_CONFIGURE) -DRS_FUZZ_SECONDS=$(FUZZ_SECONDS) >/dev/null
	@cmake --build build-test -j $(JOBS)
	@cd build-test && ctest --output-on-failure -R '^fuzz/' -j $(JOBS)

bench: build/rasoat
	@for b in bench/*.sh; do [ -x "$$b" ] && "$$b"; done; true

clean:
	rm -rf build build-test
