#!/bin/sh
# bench/audit.sh — configuration assessment of this host: `lynis audit
# system --quick` (Debian's lynis, installed with apt-get when missing)
# against `rasoat audit` (bundled baseline, 213 checks) in one run; prints
# both times, the ratio, and Lynis's warning and suggestion ids (for the
# coverage table in docs/AUDIT.md). Needs root.
# Usage: bench/audit.sh [RASOAT]   (default build/rasoat)
set -eu
RASOAT=${1:-build/rasoat}
RUNS=${RUNS:-5}              # rasoat runs (best of)
LYNIS_RUNS=${LYNIS_RUNS:-1}  # lynis takes minutes: one run by default
WORK=${TMPDIR:-/tmp}/rasoat-bench-audit
mkdir -p "$WORK"

if ! command -v lynis >/dev/null 2>&1; then
	echo "installing lynis (apt-get)..." >&2
	# where the _apt sandbox user cannot resolve names, retry as root
	for opt in "" "-o APT::Sandbox::User=root"; do
		# shellcheck disable=SC2086
		apt-get $opt update -q >/dev/null 2>&1 || true
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get $opt install -y -q --no-install-recommends lynis >/dev/null 2>&1 && break
	done
	command -v lynis >/dev/null 2>&1 || { echo "lynis could not be installed" >&2; exit 2; }
fi

ms() { date +%s%3N; }

best() { # best of N wall-clock milliseconds of "$@" (N is the first argument)
	n=$1
	shift
	b=
	i=0
	while [ $i -lt "$n" ]; do
		t0=$(ms); "$@" >/dev/null 2>&1 || true; t1=$(ms)
		d=$((t1 - t0))
		if [ -z "$b" ] || [ $d -lt "$b" ]; then b=$d; fi
		i=$((i + 1))
	done
	echo "$b"
}

lynis_once() {
	lynis audit system --quick --no-colors --logfile "$WORK/lynis.log" --report-file "$WORK/lynis-report.dat"
}

rasoat=$(best "$RUNS" "$RASOAT" audit --no-db -q --format jsonl --fail-on none)
lynis=$(best "$LYNIS_RUNS" lynis_once)
"$RASOAT" audit --no-db -q --format jsonl --fail-on none --all > "$WORK/rasoat.jsonl" || true
checks=$(grep -c '"type":"check"' "$WORK/rasoat.jsonl" || true)
tests=$(grep -c 'Performing test ID' "$WORK/lynis.log" || true)

echo "lynis $(lynis show version 2>/dev/null): audit system --quick   ${lynis} ms  (${tests} tests)"
echo "rasoat audit (best of $RUNS):            ${rasoat} ms  (${checks} checks)"
awk -v r="$rasoat" -v l="$lynis" 'BEGIN { if (r > 0) printf "ratio lynis/rasoat:                    %.0fx\n", l / r }'
echo "rasoat audit score: $(tail -1 "$WORK/rasoat.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["modules"]["audit"].get("score"))')"
echo "lynis hardening index: $(sed -n 's/^hardening_index=//p' "$WORK/lynis-report.dat")"
echo "lynis warnings and suggestions (id | text):"
sed -n 's/^\(warning\|suggestion\)\[\]=\([^|]*\)|\([^|]*\)|.*/\1 \2 | \3/p' "$WORK/lynis-report.dat" | sort -u
