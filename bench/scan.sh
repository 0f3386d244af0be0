#!/bin/sh
# bench/scan.sh — times a full `rasoat scan` of this host, `rasoat facts`,
# and the audit module's world-writable sweep against the shell one-liner
# auditors use for the same work (find -perm -o+w over the same
# directories), in one run, and prints the ratio. Needs root.
# Usage: bench/scan.sh [RASOAT]   (default build/rasoat)
set -eu
RASOAT=${1:-build/rasoat}
RUNS=${RUNS:-5}
DIRS="/bin /sbin /usr/bin /usr/sbin /usr/lib /usr/lib64 /usr/libexec /usr/local/bin /usr/local/sbin /usr/local/lib /lib /lib64 /etc /boot"

ms() { date +%s%3N; }

best() { # best of RUNS wall-clock milliseconds of "$@"
	b=
	i=0
	while [ $i -lt "$RUNS" ]; do
		t0=$(ms); "$@" >/dev/null 2>&1 || true; t1=$(ms)
		d=$((t1 - t0))
		if [ -z "$b" ] || [ $d -lt "$b" ]; then b=$d; fi
		i=$((i + 1))
	done
	echo "$b"
}

existing=""
for d in $DIRS; do [ -e "$d" ] && existing="$existing $d"; done

facts=$(best "$RASOAT" facts -q)
scan=$(best "$RASOAT" scan --no-db -q --format jsonl --fail-on none)
audit=$(best "$RASOAT" audit --no-db -q --format jsonl --fail-on none)
# shellcheck disable=SC2086
peer=$(best find $existing -xdev \( -type f -o -type d \) -perm -o+w)
echo "rasoat facts:                 ${facts} ms"
echo "rasoat scan (all modules):    ${scan} ms"
echo "rasoat audit (ww + accounts): ${audit} ms"
echo "find -perm -o+w (same dirs):  ${peer} ms"
awk -v a="$audit" -v p="$peer" 'BEGIN { if (a > 0) printf "ratio find/rasoat-audit:      %.2fx\n", p / a }'
