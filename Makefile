# Thin wrapper over CMake: `make run` and `make test` work on a fresh Debian 12.
# The Debian packages Sluice needs to build, test and run are listed here and nowhere else.
DEBIAN_PACKAGES := cmake g++ make ccache pkg-config \
	qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev qt6-charts-dev \
	qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools \
	qt6-httpserver-dev qt6-websockets-dev libqt6sql6-sqlite libqt6svg6 \
	qtkeychain-qt6-dev libsecret-1-0 libcurl4-openssl-dev libsqlite3-dev libyaml-dev \
	python3 python3-aiosmtpd python3-croniter gnome-keyring dbus-daemon \
	xvfb xauth fonts-dejavu-core fonts-wqy-microhei sqlite3 openssl ca-certificates \
	qt6-translations-l10n dpkg-dev file desktop-file-utils appstream bash-completion \
	postgresql libqt6sql6-psql libpq-dev

# Only for `make package`: lintian checks the .deb it builds.
PACKAGE_PACKAGES := lintian

# Only for `make fuzz`: clang and libFuzzer (the product and `make test` build with GCC).
FUZZ_PACKAGES := clang-14 libfuzzer-14-dev
# Only for `make soak`: the script and its sqlite3 module (in python3's standard library).
SOAK_PACKAGES := python3 libpython3.11-stdlib

BUILD_DIR  ?= build
FUZZ_DIR   ?= build-fuzz
ASAN_DIR   ?= build-asan
TSAN_DIR   ?= build-tsan
FUZZ_SECONDS ?= 60
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
SUDO       := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
CTEST_ARGS ?=

# ccache keys on paths: relative to the checkout, so that another clone of the same sources
# (CI's fresh clone) reuses the cache instead of rebuilding everything.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: all deps install-missing configure build run test package fuzz soak sanitize tsan clean

all: build

# Install only what is missing, so a machine that has everything is not touched.
deps:
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(DEBIAN_PACKAGES)"

install-missing:
	@missing=""; \
	for p in $(PACKAGES); do \
		dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing missing Debian packages:$$missing"; \
		$(SUDO) apt-get update && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $$missing; \
	fi

configure: deps
	@if [ ! -f $(BUILD_DIR)/CMakeCache.txt ]; then \
		cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE); \
	fi

build: configure
	cmake --build $(BUILD_DIR) --parallel $(JOBS)

run: build
	./$(BUILD_DIR)/app/sluice

test: build
	cd $(BUILD_DIR) && QT_QPA_PLATFORM=offscreen ctest --output-on-failure --parallel $(JOBS) $(CTEST_ARGS)

# The .deb of this build (cpack, DEB generator), checked by lintian: build/sluice_<version>_<arch>.deb
package: build
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(PACKAGE_PACKAGES)"
	rm -f $(BUILD_DIR)/sluice_*.deb
	cd $(BUILD_DIR) && cpack -G DEB
	lintian --fail-on error $(BUILD_DIR)/sluice_*.deb

# Each libFuzzer target for FUZZ_SECONDS, from the committed seeds (tests/fuzz/corpus, read
# only) plus what earlier runs found (FUZZ_DIR/corpus); a crash stops with its input saved in
# FUZZ_DIR/artifacts. Add that input to tests/fuzz/corpus/<target>/ with the fix. A target's
# dictionary, tests/fuzz/<target>.dict, is used when there is one.
fuzz: deps
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(FUZZ_PACKAGES)"
	@if [ ! -f $(FUZZ_DIR)/CMakeCache.txt ]; then \
		cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
			-DCMAKE_CXX_COMPILER=clang++-14 -DSLUICE_FUZZ=ON; \
	fi
	cmake --build $(FUZZ_DIR) --parallel $(JOBS)
	@mkdir -p $(FUZZ_DIR)/artifacts; total=0; \
	for target in $$(ls tests/fuzz/corpus); do \
		mkdir -p $(FUZZ_DIR)/corpus/$$target; \
		dict=""; [ -f tests/fuzz/$$target.dict ] && dict="-dict=tests/fuzz/$$target.dict"; \
		$(FUZZ_DIR)/tests/fuzz/fuzz_$$target -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 $$dict \
			-artifact_prefix=$(FUZZ_DIR)/artifacts/$$target- \
			$(FUZZ_DIR)/corpus/$$target tests/fuzz/corpus/$$target \
			> $(FUZZ_DIR)/$$target.log 2>&1 || { tail -40 $(FUZZ_DIR)/$$target.log; exit 1; }; \
		runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $(FUZZ_DIR)/$$target.log); \
		printf '%-12s %12s executions in %s s, no crash\n' $$target $$runs $(FUZZ_SECONDS); \
		total=$$((total + runs)); \
	done; \
	printf '%-12s %12s executions\n' total $$total

# `sluice serve` and `sluice backfill` killed with SIGKILL at random moments, then checked
# (tests/soak/soak.py says what). SOAK_SECONDS (600) and SOAK_KILLS (200); not in `make test`.
SOAK_SECONDS ?= 600
SOAK_KILLS ?= 200
soak: build
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(SOAK_PACKAGES)"
	SLUICE=$(CURDIR)/$(BUILD_DIR)/app/sluice SOAK_SECONDS=$(SOAK_SECONDS) SOAK_KILLS=$(SOAK_KILLS) \
		/usr/bin/python3 tests/soak/soak.py

# The sanitizer builds: GCC like the product, -O1 -g for usable stacks, each in its own folder
# (the first build there is a full one). Suppressions (tests/sanitizers/) name third-party code
# only; a finding in Sluice's code is fixed, never suppressed.
SANITIZER_CMAKE_ARGS := -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g"
SANITIZER_SUPP := $(CURDIR)/tests/sanitizers

# The whole CTest suite under AddressSanitizer (leaks included) and UBSan; the first finding
# fails its test. Subprocess tests run the sanitized `sluice`, which inherits the options.
sanitize: deps
	@if [ ! -f $(ASAN_DIR)/CMakeCache.txt ]; then \
		cmake -S . -B $(ASAN_DIR) $(SANITIZER_CMAKE_ARGS) -DSLUICE_SANITIZE=address,undefined; \
	fi
	cmake --build $(ASAN_DIR) --parallel $(JOBS)
	cd $(ASAN_DIR) && QT_QPA_PLATFORM=offscreen \
		ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=0 \
		LSAN_OPTIONS=suppressions=$(SANITIZER_SUPP)/lsan.supp:print_suppressions=0 \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		ctest --output-on-failure --parallel $(JOBS) $(CTEST_ARGS)

# The threaded parts under ThreadSanitizer: engine, scheduler, run store and recorder, and user
# flows run by the engine (flow builder, run and sql steps). Debian's Qt and SQLite are not
# built with -fsanitize=thread, so their locks (Qt's futex-based QMutex) are invisible to TSan:
# ignore_noninstrumented_modules=1 keeps it from checking the memory those libraries touch
# through malloc/realloc/memcpy (false races inside e.g. QThreadPool's own lists); every access
# from Sluice's code, which is instrumented, is still checked. die_after_fork=0: QProcess
# (Qt 6.4's vfork-like forkfd) leaves TSan believing the test itself forked while threaded, and
# TSan would then refuse the engine's next thread; the child only execs.
TSAN_SUITES := tst_engine tst_enginefailures tst_engineflow tst_scheduler tst_schedulerlock \
	tst_runstore tst_flowbuilder tst_runstep tst_sqlstep
empty :=
space := $(empty) $(empty)
tsan: deps
	@if [ ! -f $(TSAN_DIR)/CMakeCache.txt ]; then \
		cmake -S . -B $(TSAN_DIR) $(SANITIZER_CMAKE_ARGS) -DSLUICE_SANITIZE=thread; \
	fi
	cmake --build $(TSAN_DIR) --parallel $(JOBS) --target $(TSAN_SUITES)
	cd $(TSAN_DIR) && QT_QPA_PLATFORM=offscreen \
		TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:ignore_noninstrumented_modules=1:die_after_fork=0:suppressions=$(SANITIZER_SUPP)/tsan.supp \
		ctest --output-on-failure --parallel $(JOBS) -L '^($(subst $(space),|,$(strip $(TSAN_SUITES))))$$' \
		$(CTEST_ARGS)

clean:
	rm -rf $(BUILD_DIR) $(FUZZ_DIR) $(ASAN_DIR) $(TSAN_DIR)
