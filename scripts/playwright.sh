#!/bin/sh
# Installs playwright-core (the browser driver of the dashboard's browser
# test, tests/e2e/test_dashboard.py) into DIR/node_modules with npm, when it
# is missing. DIR is a directory the build owns (default build-test). The
# browser is Debian's chromium (scripts/deps.sh test), never a download.
# Usage: scripts/playwright.sh [DIR]
set -eu
VERSION=1.65.2
dir=${1:-build-test}
[ -f "$dir/node_modules/playwright-core/package.json" ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
	echo "rasoat: npm is missing (scripts/deps.sh test installs nodejs); the dashboard's browser test will be skipped" >&2
	exit 0
fi
mkdir -p "$dir"
# PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: playwright-core never downloads one, but be explicit
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --silent --no-audit --no-fund --no-save \
	--prefix "$dir" "playwright-core@$VERSION" >&2
