#!/bin/sh
# bench/fim.sh — rasoat fim against AIDE with Debian's rules, in one run.
#
#   rasoat fim init  --db TMP PATHS...   vs  aide --config CONF --limit RE --init
#   rasoat fim check --db TMP            vs  aide --config CONF --limit RE --check
#
# CONF is a copy of Debian's /etc/aide/aide.conf (package aide-common, rules
# in /etc/aide/aide.conf.d) whose database_in/out/new point into a temp dir;
# nothing under /var/lib/aide is read or written. PATHS (default
# "/usr /etc /boot") bound both tools to the same directories: rasoat is
# given them as start paths, aide gets --limit '^(/usr|/etc|/boot)(/|$)'.
# PATHS=/ compares the whole system (slow: aide hashes every file with every
# hash Debian's "Checksums = H" selects). Both run once, one after the other,
# init then check, with whatever page cache the first run left (aide's init
# runs after rasoat's, so it is not penalised by a cold cache).
# aide and aide-common are installed with apt-get when missing.
#   RASOAT_ARGS (default "--max-size 100G") is added to rasoat fim init and
#   check (check does not take --max-size from the baseline: given at init
#   only, every file over 64M is reported "changed (sha256)" by check).
#   COLD=1 drops the page cache (sync; echo 3 > /proc/sys/vm/drop_caches)
#   before each init, so that both read every file from disk; checks run
#   warm (after their own tool's init). Each step's CPU time (user+system,
#   from the kernel's accounting of the child) is printed beside its
#   wall-clock: on a shared machine the load moves it much less.
# Usage: [COLD=1] bench/fim.sh [RASOAT]   (default build/rasoat; use a Release build)
set -eu
RASOAT=${1:-build/rasoat}
PATHS=${PATHS:-/usr /etc /boot}
# aide hashes every file whatever its size; rasoat by default compares files
# over 64M by metadata only. --max-size 100G makes rasoat hash the same bytes.
RASOAT_ARGS=${RASOAT_ARGS---max-size 100G}
TMP=$(mktemp -d /tmp/rasoat-fim-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM

if ! command -v aide >/dev/null 2>&1 || [ ! -f /etc/aide/aide.conf ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends aide aide-common >/dev/null 2>&1 || true
fi
if ! command -v aide >/dev/null 2>&1 || [ ! -f /etc/aide/aide.conf ]; then
	echo "aide or /etc/aide/aide.conf missing and apt-get could not install them" >&2
	exit 2
fi

# Debian's config, databases moved to TMP
sed -e "s|^database_in=.*|database_in=file:$TMP/aide.db|" \
    -e "s|^database_out=.*|database_out=file:$TMP/aide.db.new|" \
    -e "s|^database_new=.*|database_new=file:$TMP/aide.db.new|" \
    /etc/aide/aide.conf > "$TMP/aide.conf"

# aide's --limit regex for PATHS
re=
for p in $PATHS; do
	[ "$p" = / ] && { re=; break; }
	re="${re:+$re|}$p"
done
set --
[ -n "$re" ] && set -- --limit "^($re)(/|\$)"

COLD=${COLD:-}
# wall seconds of a command (its output to a log), exit status ignored; its
# CPU seconds (user+system) go to LOG.cpu
secs() {
	log=$1; shift
	python3 - "$log" "$@" <<'PY'
import os, resource, subprocess, sys, time
t0 = time.monotonic()
with open(sys.argv[1], "w") as f:
    subprocess.run(sys.argv[2:], stdout=f, stderr=subprocess.STDOUT)
wall = time.monotonic() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1] + ".cpu", "w") as f:
    f.write(f"{ru.ru_utime + ru.ru_stime:.2f}\n")
print(f"{wall:.2f}")
PY
}
cold() { if [ -n "$COLD" ]; then sync; echo 3 > /proc/sys/vm/drop_caches; fi; }
cpu() { cat "$TMP/$1.cpu" 2>/dev/null || echo "?"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "n/a" }'; }

echo "== fim over: $PATHS  (load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores)"
echo "rasoat options: ${RASOAT_ARGS:-none}"
echo "aide $(aide --version 2>&1 | head -1 | awk '{print $2}'), config: Debian's /etc/aide/aide.conf (+aide.conf.d), limit: ${re:-none}"

# shellcheck disable=SC2086
echo "page cache before each init: $([ -n "$COLD" ] && echo dropped || echo 'as left by the run before')"
cold
ri=$(secs "$TMP/rasoat-init.log" "$RASOAT" fim init --db "$TMP/rasoat.db" -q $RASOAT_ARGS $PATHS)
cold
ai=$(secs "$TMP/aide-init.log" aide --config "$TMP/aide.conf" "$@" --init)
[ -f "$TMP/aide.db.new" ] && mv "$TMP/aide.db.new" "$TMP/aide.db"
rc=$(secs "$TMP/rasoat-check.log" "$RASOAT" fim check --db "$TMP/rasoat.db" -q $RASOAT_ARGS)
ac=$(secs "$TMP/aide-check.log" aide --config "$TMP/aide.conf" "$@" --check)

rn=$("$RASOAT" fim check --db "$TMP/rasoat.db" --format jsonl -q $RASOAT_ARGS 2>/dev/null | grep -c '"type":"finding"' || true)
an=$(grep -m1 'Number of entries' "$TMP/aide-init.log" | awk -F: '{gsub(/[ \t]/,"",$2); print $2}')
echo "rasoat fim init:  ${ri} s  (CPU $(cpu rasoat-init.log) s)"
echo "aide --init:      ${ai} s  (CPU $(cpu aide-init.log) s; ${an:-?} entries; database $(du -k "$TMP/aide.db" 2>/dev/null | cut -f1) KB)"
echo "ratio aide/rasoat init:  $(ratio "$ai" "$ri")x  (goal >= 20x)"
echo "rasoat fim check: ${rc} s  (CPU $(cpu rasoat-check.log) s; $rn findings)"
echo "aide --check:     ${ac} s  (CPU $(cpu aide-check.log) s; $(grep -m1 -e 'found NO differences' -e 'Added entries' "$TMP/aide-check.log" | tr -s ' \t' ' ' || true))"
echo "ratio aide/rasoat check: $(ratio "$ac" "$rc")x  (goal >= 20x)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
