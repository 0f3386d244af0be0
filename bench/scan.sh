#!/bin/sh
# bench/scan.sh — times `rasoat facts` and a full `rasoat scan` of this host
# and prints each module's own time from the scan's summary. The per-module
# comparisons with the peers are in bench/audit.sh (Lynis), bench/hunt.sh
# (yara), bench/deep.sh (chkrootkit, rkhunter, unhide, debsums) and
# bench/vuln.sh (debsecan). Needs root.
# Usage: bench/scan.sh [RASOAT]   (default build/rasoat; RUNS=N best of N)
set -eu
RASOAT=${1:-build/rasoat}
RUNS=${RUNS:-3}
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT

ms() { date +%s%3N; }

best=
i=0
while [ $i -lt "$RUNS" ]; do
	t0=$(ms); "$RASOAT" facts -q >/dev/null; t1=$(ms)
	d=$((t1 - t0))
	if [ -z "$best" ] || [ $d -lt "$best" ]; then best=$d; fi
	i=$((i + 1))
done
echo "rasoat facts:               ${best} ms (best of $RUNS)"

t0=$(ms)
"$RASOAT" scan --no-db -q --format jsonl --fail-on none >"$OUT" || true
t1=$(ms)
echo "rasoat scan (all modules):  $((t1 - t0)) ms (one run; a scan with --db reuses its caches)"
tail -n 1 "$OUT" | python3 -c '
import json, sys
s = json.load(sys.stdin)
for name, m in s["modules"].items():
    extra = ", ".join(f"{k} {m[k]}" for k in ("files", "checks") if k in m)
    took = m.get("duration_ms", 0)
    print(f"  {name:<10} {took:>7} ms  {extra}")
'
