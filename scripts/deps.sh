#!/bin/sh
# Installs the Debian packages rasoat builds and tests with, only those that
# are missing. Idempotent; prints nothing and returns at once when all is there.
# Usage: scripts/deps.sh [build|test]   (test adds the test-only tools)
set -eu

BUILD_PKGS="gcc make cmake pkg-config libsqlite3-dev libjansson-dev libssl-dev \
libyaml-dev libpcre2-dev libyara-dev libarchive-dev libcurl4-openssl-dev \
libmicrohttpd-dev libpq-dev libnftables-dev libsodium-dev"
TEST_PKGS="libcmocka-dev clang libclang-rt-14-dev iproute2 procps sqlite3 python3 \
nftables acl attr openssl python3-jsonschema"
# Tools that only sharpen some tests (comparisons with the peer): installed
# when the mirror answers; the tests that use them skip without them.
OPTIONAL_TEST_PKGS="yara"

want="$BUILD_PKGS"
optional=""
if [ "${1:-build}" = test ]; then
	want="$want $TEST_PKGS"
	optional="$OPTIONAL_TEST_PKGS"
fi

# Prints the packages of the list $1 that are not installed.
missing_of() {
	for p in $1; do
		status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		case "$status" in
		*"install ok installed"*) ;;
		*) printf ' %s' "$p" ;;
		esac
	done
}

missing=$(missing_of "$want")
missing_optional=$(missing_of "$optional")
[ -z "$missing" ] && [ -z "$missing_optional" ] && exit 0

if [ "$(id -u)" -ne 0 ] && [ -n "$missing" ]; then
	echo "rasoat: missing Debian packages:$missing" >&2
	echo "rasoat: run as root, or: sudo apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# The _apt sandbox user cannot resolve names on some hosts; root can.
APT="apt-get -o APT::Sandbox::User=root"
$APT update -qq >/dev/null 2>&1 || true
if [ -n "$missing" ]; then
	echo "rasoat: installing$missing" >&2
	# shellcheck disable=SC2086
	$APT install -y -qq --no-install-recommends $missing >/dev/null
fi
if [ -n "$missing_optional" ]; then
	# shellcheck disable=SC2086
	$APT install -y -qq --no-install-recommends $missing_optional >/dev/null 2>&1 ||
		echo "rasoat: could not install optional$missing_optional; the tests that compare with it are skipped" >&2
fi
exit 0
