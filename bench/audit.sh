#!/bin/sh
# bench/audit.sh — configuration assessment of this host: `lynis audit
# system --quick` (Debian's lynis, installed with apt-get when missing)
# against `rasoat audit` (bundled baseline, 213 checks) in one run; prints
# both times, the ratio, and Lynis's warning and suggestion ids (for the
# coverage table in docs/AUDIT.md). Needs root.
# Usage: bench/audit.sh [RASOAT]   (default build/rasoat)
set -eu
RASOAT=${1:-build/rasoat}
RUNS=${RUNS:-3}
WORK=${TMPDIR:-/tmp}/rasoat-bench-audit
mkdir -p "$WORK"

if ! command -v lynis >/dev/null 2>&1; then
	echo "installing lynis (apt-get)..." >&2
	apt-get update -q >/dev/null || true
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q lynis >/dev/null
fi

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

lynis_once() {
	lynis audit system --quick --no-colors --logfile "$WORK/lynis.log" --report-file "$WORK/lynis-report.dat"
}

rasoat=$(best "$RASOAT" audit --no-db -q --format jsonl --fail-on none)
lynis=$(best lynis_once)
"$RASOAT" audit --no-db -q --format jsonl --fail-on none --all > "$WORK/rasoat.jsonl" || true
checks=$(grep -c '"type":"check"' "$WORK/rasoat.jsonl" || true)
tests=$(grep -c 'Performing test ID' "$WORK/lynis.log" || true)

echo "lynis $(lynis show version 2>/dev/null): audit system --quick   ${lynis} ms  (${tests} tests)"
echo "rasoat audit:                          ${rasoat} ms  (${checks} checks)"
awk -v r="$rasoat" -v l="$lynis" 'BEGIN { if (r > 0) printf "ratio lynis/rasoat:                    %.0fx\n", l / r }'
echo "rasoat audit score: $(tail -1 "$WORK/rasoat.jsonl" | sed -n 's/.*"audit":{[^}]*"score":\([0-9]*\).*/\1/p')"
echo "lynis hardening index: $(sed -n 's/^hardening_index=//p' "$WORK/lynis-report.dat")"
echo "lynis warnings and suggestions (id | text):"
sed -n 's/^\(warning\|suggestion\)\[\]=\([^|]*\)|\([^|]*\)|.*/\1 \2 | \3/p' "$WORK/lynis-report.dat" | sort -u
