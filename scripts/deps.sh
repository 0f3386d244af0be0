#!/bin/sh
# Installs the Debian packages rasoat builds and tests with, only those that
# are missing. Idempotent; prints nothing and returns at once when all is there.
# Usage: scripts/deps.sh [build|test|test-compile|deb]   (test adds the
# test-only tools, deb the Debian packaging tools and scdoc for the man pages;
# test-compile only what the sanitizer and fuzz build of `make test` needs,
# which then installs the rest of test in the background while it compiles)
set -eu

BUILD_PKGS="gcc make cmake pkg-config libsqlite3-dev libjansson-dev libssl-dev \
libyaml-dev libpcre2-dev libyara-dev libarchive-dev zlib1g-dev libcurl4-openssl-dev \
libmicrohttpd-dev libpq-dev libnftables-dev libsodium-dev liburing-dev scdoc gettext"
# The test build's compile (clang, its sanitizer and libFuzzer runtimes, lld,
# cmocka; python3 is looked for by its configure), then what only the tests run.
TEST_COMPILE_PKGS="libcmocka-dev clang libclang-rt-14-dev lld ninja-build python3"
TEST_PKGS="$TEST_COMPILE_PKGS iproute2 procps sqlite3 \
nftables acl attr openssl python3-jsonschema postgresql-15 chromium nodejs"
DEB_PKGS="debhelper dpkg-dev devscripts fakeroot lintian man-db bash-completion"
# Web applications whose code the hunt must not flag (tests/e2e/test_hunt_cleanweb.py,
# which skips the ones that are absent): the clean side of the webshell rules.
CLEANWEB_PKGS="wordpress mediawiki phpmyadmin roundcube-core dokuwiki php-laravel-framework \
php-symfony-console php-symfony-http-kernel"
# Tools that only sharpen some tests (comparisons with the peer): installed
# when the mirror answers; the tests that use them skip without them.
# python3-packaging, php-composer-semver and libmaven3-core-java (with a JRE)
# and ruby are the ecosystems' own version orderings (tests/e2e/test_version_eco.py).
OPTIONAL_TEST_PKGS="yara python3-packaging php-composer-semver php-cli \
libmaven3-core-java default-jre-headless ruby $CLEANWEB_PKGS"

want="$BUILD_PKGS"
optional=""
case "${1:-build}" in
test)
	want="$want $TEST_PKGS $DEB_PKGS"
	optional="$OPTIONAL_TEST_PKGS"
	# npm for playwright-core (the dashboard's browser test, scripts/playwright.sh);
	# a nodejs from NodeSource carries its own npm and conflicts with Debian's.
	command -v npm >/dev/null 2>&1 || optional="$optional npm"
	;;
test-compile) want="$want $TEST_COMPILE_PKGS" ;;
deb) want="$want $DEB_PKGS" ;;
esac

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
# Not root: test-compile stops at once, as test would, when a package the
# tests need is missing too (no one could install it in the background).
if [ "${1:-build}" = test-compile ] && [ "$(id -u)" -ne 0 ]; then
	missing=$(missing_of "$BUILD_PKGS $TEST_PKGS $DEB_PKGS")
fi
[ -z "$missing" ] && [ -z "$missing_optional" ] && exit 0

if [ "$(id -u)" -ne 0 ] && [ -n "$missing" ]; then
	echo "rasoat: missing Debian packages:$missing" >&2
	echo "rasoat: run as root, or: sudo apt-get install$missing" >&2
	exit 1
fi
# Prints "PID COMMAND" of a process holding one of apt's or dpkg's locks
# (from /proc/locks: a fresh cloud machine runs its first automatic upgrade
# just when a user types `make scan`), nothing when none is held.
lock_holder() {
	for f in /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock \
		/var/lib/apt/lists/lock /var/cache/apt/archives/lock; do
		[ -e "$f" ] || continue
		ino=$(stat -c %i "$f")
		pid=$(awk -v ino="$ino" '{ n = split($6, a, ":"); if (a[n] == ino) { print $5; exit } }' /proc/locks)
		if [ -n "$pid" ] && [ -d "/proc/$pid" ]; then
			echo "$pid $(cat "/proc/$pid/comm" 2>/dev/null)"
			return
		fi
	done
}

# Waits (up to LOCK_WAIT seconds, default 20 minutes) while another package
# manager holds the lock, saying what it waits for every 15 seconds.
wait_for_apt() {
	waited=0
	limit=${LOCK_WAIT:-1200}
	while holder=$(lock_holder) && [ -n "$holder" ]; do
		if [ "$waited" -ge "$limit" ]; then
			echo "rasoat: the package manager is still locked by pid ${holder% *} (${holder#* }) after ${limit}s;" \
				"wait for it to finish (or stop it) and run this again" >&2
			exit 1
		fi
		if [ $((waited % 15)) -eq 0 ]; then
			echo "rasoat: waiting for pid ${holder% *} (${holder#* }) to release the package manager's lock (${waited}s)" >&2
		fi
		sleep 1
		waited=$((waited + 1))
	done
}

export DEBIAN_FRONTEND=noninteractive
# The _apt sandbox user cannot resolve names on some hosts; root can. apt
# itself also waits for the dpkg lock (DPkg::Lock::Timeout) should another
# manager take it between our check and its start.
APT="apt-get -o APT::Sandbox::User=root -o DPkg::Lock::Timeout=600"
wait_for_apt
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
