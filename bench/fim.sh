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
#   STEPS=init runs the two inits only (no checks): the init ratio in
#   half the time when only it is in question.
#   AIDE_LIMIT=SECONDS stops each aide run after that long (aide over the
#   whole system of a loaded 2-core machine takes hours); its rate is then
#   printed instead of a ratio: CPU seconds per GB read (rchar of
#   /proc/PID/io) of each tool, and aide's check is not run.
# Usage: [COLD=1] [STEPS=init] [AIDE_LIMIT=S] [PATHS=/] bench/fim.sh [RASOAT]   (default build/rasoat; use a Release build)
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
AIDE_LIMIT=${AIDE_LIMIT:-0}
STEPS=${STEPS:-init check}
case " $STEPS " in
*" check "*) checks=1 ;;
*) checks= ;;
esac
# wall seconds of a command (its output to a log), exit status ignored; its
# CPU seconds (user+system) go to LOG.cpu, the bytes it read (rchar of
# /proc/PID/io, sampled while it runs and once more at its exit) to LOG.bytes. With LIMIT (seconds,
# the second argument; 0: none) the command is stopped when it runs longer,
# and LOG.stopped says so.
secs() {
	log=$1; limit=$2; shift 2
	python3 - "$log" "$limit" "$@" <<'PY'
import os, resource, subprocess, sys, time
log, limit = sys.argv[1], float(sys.argv[2])
t0 = time.monotonic()
rchar = 0
stopped = False
with open(log, "w") as f:
    p = subprocess.Popen(sys.argv[3:], stdout=f, stderr=subprocess.STDOUT)
    while True:
        # exited but not yet reaped: its /proc/PID/io holds the final count
        done = os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
        try:
            with open(f"/proc/{p.pid}/io") as io:
                for line in io:
                    if line.startswith("rchar:"):
                        rchar = int(line.split()[1])
        except OSError:
            pass
        if done:
            break
        if limit > 0 and time.monotonic() - t0 > limit:
            p.kill()  # aide finishes its work on SIGTERM
            stopped = True
            break
        time.sleep(0.2)
    p.wait()
wall = time.monotonic() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(log + ".cpu", "w") as f:
    f.write(f"{ru.ru_utime + ru.ru_stime:.2f}\n")
with open(log + ".bytes", "w") as f:
    f.write(f"{rchar}\n")
if stopped:
    open(log + ".stopped", "w").close()
print(f"{wall:.2f}")
PY
}
cold() { if [ -n "$COLD" ]; then sync; echo 3 > /proc/sys/vm/drop_caches; fi; }
cpu() { cat "$TMP/$1.cpu" 2>/dev/null || echo "?"; }
gb() { awk -v b="$(cat "$TMP/$1.bytes" 2>/dev/null || echo 0)" 'BEGIN { printf "%.3f", b / 1e9 }'; }
# CPU seconds per GB read of step LOG
cpu_gb() { awk -v c="$(cpu "$1")" -v b="$(cat "$TMP/$1.bytes" 2>/dev/null || echo 0)" 'BEGIN { if (b > 0) printf "%.2f", c / (b / 1e9); else print "n/a" }'; }
stopped() { [ -f "$TMP/$1.stopped" ] && echo "; STOPPED after AIDE_LIMIT=${AIDE_LIMIT}s, unfinished" || true; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "n/a" }'; }

echo "== fim over: $PATHS  (load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores)"
echo "rasoat options: ${RASOAT_ARGS:-none}"
echo "aide $(aide --version 2>&1 | head -1 | awk '{print $2}'), config: Debian's /etc/aide/aide.conf (+aide.conf.d), limit: ${re:-none}"

# shellcheck disable=SC2086
echo "page cache before each init: $([ -n "$COLD" ] && echo dropped || echo 'as left by the run before')"
cold
ri=$(secs "$TMP/rasoat-init.log" 0 "$RASOAT" fim init --db "$TMP/rasoat.db" -q $RASOAT_ARGS $PATHS)
cold
ai=$(secs "$TMP/aide-init.log" "$AIDE_LIMIT" aide --config "$TMP/aide.conf" "$@" --init)
[ -f "$TMP/aide.db.new" ] && mv "$TMP/aide.db.new" "$TMP/aide.db"
rc=0 ac=0 rn=0
if [ -n "$checks" ]; then
	rc=$(secs "$TMP/rasoat-check.log" 0 "$RASOAT" fim check --db "$TMP/rasoat.db" -q $RASOAT_ARGS)
	[ -f "$TMP/aide-init.log.stopped" ] || ac=$(secs "$TMP/aide-check.log" "$AIDE_LIMIT" aide --config "$TMP/aide.conf" "$@" --check)
	rn=$("$RASOAT" fim check --db "$TMP/rasoat.db" --format jsonl -q $RASOAT_ARGS 2>/dev/null | grep -c '"type":"finding"' || true)
fi
an=$(grep -m1 'Number of entries' "$TMP/aide-init.log" | awk -F: '{gsub(/[ \t]/,"",$2); print $2}')
echo "rasoat fim init:  ${ri} s  (CPU $(cpu rasoat-init.log) s; read $(gb rasoat-init.log) GB, $(cpu_gb rasoat-init.log) CPU s/GB)"
echo "aide --init:      ${ai} s  (CPU $(cpu aide-init.log) s; read $(gb aide-init.log) GB, $(cpu_gb aide-init.log) CPU s/GB; ${an:-?} entries; database $(du -k "$TMP/aide.db" 2>/dev/null | cut -f1) KB$(stopped aide-init.log))"
if [ -f "$TMP/aide-init.log.stopped" ]; then
	echo "ratio aide/rasoat init:  not measured (aide stopped); per GB read, CPU: $(ratio "$(cpu_gb aide-init.log)" "$(cpu_gb rasoat-init.log)")x  (a rate, not the goal's measurement)"
else
	echo "ratio aide/rasoat init:  $(ratio "$ai" "$ri")x  (goal >= 20x)"
fi
if [ -z "$checks" ]; then
	echo "fim check / aide --check: not run (STEPS=$STEPS)"
	echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
	exit 0
fi
echo "rasoat fim check: ${rc} s  (CPU $(cpu rasoat-check.log) s; read $(gb rasoat-check.log) GB; $rn findings)"
if [ -f "$TMP/aide-init.log.stopped" ]; then
	echo "aide --check:     not run (its init was stopped)"
else
	echo "aide --check:     ${ac} s  (CPU $(cpu aide-check.log) s; read $(gb aide-check.log) GB$(stopped aide-check.log); $(grep -m1 -e 'found NO differences' -e 'Added entries' "$TMP/aide-check.log" | tr -s ' \t' ' ' || true))"
	echo "ratio aide/rasoat check: $(ratio "$ac" "$rc")x  (goal >= 20x$( [ -f "$TMP/aide-check.log.stopped" ] && echo '; aide stopped: a lower bound'))"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
