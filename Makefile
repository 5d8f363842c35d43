# Thin wrapper over CMake: `make run` and `make test` work on a fresh Debian 12.
# The Debian packages Sluice needs to build, test and run are listed here and nowhere else.
DEBIAN_PACKAGES := cmake g++ make ccache pkg-config \
	qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev qt6-charts-dev \
	qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools \
	qt6-httpserver-dev qt6-websockets-dev libqt6sql6-sqlite libqt6svg6 \
	qtkeychain-qt6-dev libsecret-1-0 libcurl4-openssl-dev libsqlite3-dev libyaml-dev \
	python3 python3-aiosmtpd python3-croniter gnome-keyring dbus-daemon \
	xvfb xauth fonts-dejavu-core fonts-wqy-microhei sqlite3 openssl ca-certificates

BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
SUDO       := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
CTEST_ARGS ?=

# ccache keys on paths: relative to the checkout, so that another clone of the same sources
# (CI's fresh clone) reuses the cache instead of rebuilding everything.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: all deps configure build run test clean

all: build

# Install only what is missing, so a machine that has everything is not touched.
deps:
	@missing=""; \
	for p in $(DEBIAN_PACKAGES); do \
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

clean:
	rm -rf $(BUILD_DIR)
