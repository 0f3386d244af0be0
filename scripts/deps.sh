#!/bin/sh
# Installs the Debian packages rasoat builds and tests with, only those that
# are missing. Idempotent; prints nothing and returns at once when all is there.
# Usage: scripts/deps.sh [build|test]   (test adds the test-only tools)
set -eu

BUILD_PKGS="gcc make cmake pkg-config libsqlite3-dev libjansson-dev libssl-dev \
libyaml-dev libpcre2-dev libyara-dev libarchive-dev libcurl4-openssl-dev \
libmicrohttpd-dev libpq-dev"
TEST_PKGS="libcmocka-dev clang libclang-rt-14-dev iproute2 procps sqlite3 python3 yara"

want="$BUILD_PKGS"
[ "${1:-build}" = test ] && want="$want $TEST_PKGS"

missing=""
for p in $want; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "rasoat: missing Debian packages:$missing" >&2
	echo "rasoat: run as root, or: sudo apt-get install$missing" >&2
	exit 1
fi
echo "rasoat: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
