#!/bin/sh
# bench/deep.sh — rasoat's deep-hunting modules (rootkit, persist,
# integrity) against the tools responders run for the same work, on this
# machine, in one run: chkrootkit, rkhunter --check --sk, unhide brute,
# unhide proc and debsums -s. Prints each time, rasoat's time, and the
# ratios (integrity vs debsums -s; the three modules vs each peer), with
# --no-db, then with a scan store: the first run (empty verified-digest
# cache: every package file is hashed) and the cached run (files unchanged
# since they verified are not read). Then
# `chkrootkit -r` and `rasoat --root` on the deep fixture root of the tests,
# with what each finds. Installs the peers with apt-get when missing. Needs
# root. Usage: [ONLY=restated] [RUNS=N] bench/deep.sh [RASOAT]   (default build/rasoat; time a
# release build: cmake -DCMAKE_BUILD_TYPE=Release). The machine's load is
# printed before and after the timed runs: on a shared machine it moves the
# wall-clock figures more than anything else.
#
# Then the speed goals of issue 16, side by side ("restated"):
#   rootkit   vs `unhide proc`, `unhide sys` and `unhide-tcp` run one after
#             the other (the same checks: hidden pids by /proc and by
#             system calls, hidden TCP/UDP ports); goal ≥ 1×. The pid range
#             rasoat's sweep covered is read from its own --all check record.
#   integrity vs `dpkg --verify`; goal ≥ 5×, with a cold page cache (sync;
#             echo 3 > /proc/sys/vm/drop_caches before each timed run) and
#             a warm one (one untimed run first, then best of RUNS).
#             Also, labelled as such: rasoat with a scan store whose
#             verified-digest cache is filled (files whose device, inode,
#             size, mtime and ctime are those they had when they last
#             verified are not read: not the same work as dpkg's), and the
#             CPU time (user + system) of one warm run of each, which a
#             shared machine's load moves much less than wall-clock.
# ONLY=restated runs only that part (and installs only unhide when missing);
# ONLY=integrity only its integrity lines.
set -eu
RASOAT=${1:-build/rasoat}
RUNS=${RUNS:-2}
HERE=$(cd "$(dirname "$0")/.." && pwd)

need() { command -v "$1" >/dev/null 2>&1; }
ONLY=${ONLY:-}
PEERS="chkrootkit rkhunter unhide debsums"
[ "$ONLY" = restated ] && PEERS="unhide"
[ "$ONLY" = integrity ] && PEERS=""
missing=
for p in $PEERS; do need "$p" || missing=1; done
if [ -n "$missing" ]; then
	# where apt's unprivileged sandbox user cannot resolve the mirror, retry as root
	for sandbox in "" "-o APT::Sandbox::User=root"; do
		# shellcheck disable=SC2086
		apt-get $sandbox update -qq >/dev/null 2>&1 || true
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get $sandbox install -y -qq --no-install-recommends $PEERS \
			>/dev/null 2>&1 || true
		missing=
		for p in $PEERS; do need "$p" || missing=1; done
		[ -z "$missing" ] && break
	done
fi

root=
ms() { date +%s%3N; }

best() { # best of RUNS wall-clock milliseconds of "$@" (the first run also warms the page cache)
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

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'; }

classic() {
echo "cores: $(nproc); package files: $(cat /var/lib/dpkg/info/*.md5sums 2>/dev/null | wc -l)"
echo "load at start: $(uptime)"
debsums_ms=$(best debsums -s)
integrity_ms=$(best "$RASOAT" scan --only integrity --no-db -q --format jsonl --fail-on none)
chkrootkit_ms=$(best chkrootkit -q)
rkhunter_ms=$(best rkhunter --check --sk --nocolors --noappend-log)
brute_ms=$(best unhide brute)
proc_ms=$(best unhide proc)
rootkit_ms=$(best "$RASOAT" scan --only rootkit --no-db -q --format jsonl --fail-on none)
persist_ms=$(best "$RASOAT" scan --only persist --no-db -q --format jsonl --fail-on none)
all_ms=$(best "$RASOAT" scan --only rootkit,persist,integrity --no-db -q --format jsonl --fail-on none)

# With a scan store: one first run on an empty store, then the best cached run.
dbdir=$(mktemp -d /tmp/rasoat-deep-db.XXXXXX)
trap 'rm -rf "$dbdir" ${root:+"$root"}' EXIT
once() { t0=$(ms); "$@" >/dev/null 2>&1 || true; t1=$(ms); echo $((t1 - t0)); }
integrity_first_ms=$(once "$RASOAT" scan --only integrity --db "$dbdir/i.db" -q --format jsonl --fail-on none)
integrity_cached_ms=$(best "$RASOAT" scan --only integrity --db "$dbdir/i.db" -q --format jsonl --fail-on none)
all_first_ms=$(once "$RASOAT" scan --only rootkit,persist,integrity --db "$dbdir/a.db" -q --format jsonl --fail-on none)
all_cached_ms=$(best "$RASOAT" scan --only rootkit,persist,integrity --db "$dbdir/a.db" -q --format jsonl --fail-on none)

echo "load at end of the timed runs: $(uptime)"
printf '%-44s %8s ms\n' "debsums -s" "$debsums_ms"
printf '%-44s %8s ms\n' "chkrootkit -q" "$chkrootkit_ms"
printf '%-44s %8s ms\n' "rkhunter --check --sk" "$rkhunter_ms"
printf '%-44s %8s ms\n' "unhide brute" "$brute_ms"
printf '%-44s %8s ms\n' "unhide proc" "$proc_ms"
printf '%-44s %8s ms\n' "rasoat integrity" "$integrity_ms"
printf '%-44s %8s ms\n' "rasoat rootkit (hidden pids and ports too)" "$rootkit_ms"
printf '%-44s %8s ms\n' "rasoat persist" "$persist_ms"
printf '%-44s %8s ms\n' "rasoat rootkit+persist+integrity (one run)" "$all_ms"
printf '%-44s %8s ms\n' "rasoat integrity, first run with --db" "$integrity_first_ms"
printf '%-44s %8s ms\n' "rasoat integrity, cached run" "$integrity_cached_ms"
printf '%-44s %8s ms\n' "rasoat three modules, first run with --db" "$all_first_ms"
printf '%-44s %8s ms\n' "rasoat three modules, cached run" "$all_cached_ms"
echo "ratio debsums -s / rasoat integrity:        $(ratio "$debsums_ms" "$integrity_ms")"
echo "ratio unhide proc / rasoat rootkit alone:   $(ratio "$proc_ms" "$rootkit_ms")"
echo "ratio unhide proc / rasoat three modules:   $(ratio "$proc_ms" "$all_ms")"
echo "ratio chkrootkit / rasoat three modules:    $(ratio "$chkrootkit_ms" "$all_ms")"
echo "ratio rkhunter / rasoat three modules:      $(ratio "$rkhunter_ms" "$all_ms")"
echo "ratio unhide brute / rasoat three modules:  $(ratio "$brute_ms" "$all_ms")"
echo "ratio debsums -s / rasoat three modules:    $(ratio "$debsums_ms" "$all_ms")"
seq_ms=$((debsums_ms + chkrootkit_ms + rkhunter_ms + brute_ms + proc_ms))
echo "ratio all peers in turn / rasoat:           $(ratio "$seq_ms" "$all_ms")"
echo "cached: debsums -s / rasoat integrity:       $(ratio "$debsums_ms" "$integrity_cached_ms")"
echo "cached: chkrootkit / rasoat three modules:   $(ratio "$chkrootkit_ms" "$all_cached_ms")"
echo "cached: rkhunter / rasoat three modules:     $(ratio "$rkhunter_ms" "$all_cached_ms")"
echo "cached: unhide brute / rasoat three modules: $(ratio "$brute_ms" "$all_cached_ms")"
echo "cached: unhide proc / rasoat three modules:  $(ratio "$proc_ms" "$all_cached_ms")"
echo "cached: debsums -s / rasoat three modules:   $(ratio "$debsums_ms" "$all_cached_ms")"

# What chkrootkit -r and rasoat --root find on the tests' deep fixture root.
root=$(mktemp -d /tmp/rasoat-deep-bench.XXXXXX)
python3 - "$root" "$HERE" <<'PY'
import os, sys
sys.path.insert(0, os.path.join(sys.argv[2], "tests", "e2e"))
sys.path.insert(0, os.path.join(sys.argv[2], "tests", "fixtures", "deep"))
import deepfixture
class T:
    def __init__(s, p): s.path = p
    def p(s, rel): return os.path.join(s.path, rel.lstrip("/"))
    def write(s, rel, content, mode=None):
        path = s.p(rel); os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f: f.write(content.encode() if isinstance(content, str) else content)
        if mode is not None: os.chmod(path, mode)
        return path
    def mkdir(s, rel, mode=0o755):
        path = s.p(rel); os.makedirs(path, exist_ok=True); os.chmod(path, mode); return path
    def symlink(s, rel, target):
        path = s.p(rel); os.makedirs(os.path.dirname(path), exist_ok=True); os.symlink(target, path); return path
deepfixture.build(T(sys.argv[1]))
PY
echo
echo "fixture root: $(python3 -c "import sys; sys.path.insert(0, '$HERE/tests/fixtures/deep'); import deepfixture; print(len(deepfixture.PLANTED))") planted artefacts"
echo "--- chkrootkit -r (lines other than 'not found'/'nothing found'/'not infected'/'not tested') ---"
chkrootkit -r "$root" 2>&1 | grep -Ev "not found|nothing found|not infected|not tested|no suspect|^ *$|Searching for|Checking \`" | sed "s|$root||g" | head -60 || true
echo "--- rasoat scan --root (rootkit, persist, integrity) at medium or above ---"
"$RASOAT" scan --root "$root" --only rootkit,persist,integrity --no-db -q --format jsonl --fail-on none --recent 0 |
	python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o["type"] == "finding" and o["severity"] in ("medium", "high", "critical"):
        print(o["severity"], o["rule"], o["evidence"].get("path", ""), ",".join(o["attack"]))
'
}

# Issue 16's speed goals, side by side.
dropcache() { sync; echo 3 >/proc/sys/vm/drop_caches; }
cold() { # best of RUNS wall-clock milliseconds of "$@", the page cache dropped before each run
	b=
	i=0
	while [ $i -lt "$RUNS" ]; do
		dropcache
		t0=$(ms); "$@" >/dev/null 2>&1 || true; t1=$(ms)
		d=$((t1 - t0))
		if [ -z "$b" ] || [ $d -lt "$b" ]; then b=$d; fi
		i=$((i + 1))
	done
	echo "$b"
}
warm() { "$@" >/dev/null 2>&1 || true; best "$@"; } # one untimed run fills the cache
unhide_all() { unhide proc; unhide sys; unhide-tcp; }
goal() { # goal PEER_MS RASOAT_MS FACTOR
	awk -v a="$1" -v b="$2" -v g="$3" 'BEGIN { if (b > 0 && a / b >= g) print "met"; else print "NOT met" }'
}

cpu() { # user+system CPU seconds of one run of "$@"
	/usr/bin/time -f '%U %S' "$@" 2>&1 >/dev/null | tail -1 | awk '{ printf "%.2f", $1 + $2 }'
}

integrity_goal() {
	cold_ok=1
	dropcache 2>/dev/null || cold_ok=
	if [ -n "$cold_ok" ]; then
		dpkg_cold_ms=$(cold dpkg --verify)
		int_cold_ms=$(cold "$RASOAT" scan --only integrity --no-db -q --format jsonl --fail-on none)
	fi
	dpkg_warm_ms=$(warm dpkg --verify)
	int_warm_ms=$(warm "$RASOAT" scan --only integrity --no-db -q --format jsonl --fail-on none)
	vdb=$(mktemp -d /tmp/rasoat-deep-db.XXXXXX)
	"$RASOAT" scan --only integrity --db "$vdb/i.db" -q --format jsonl --fail-on none >/dev/null 2>&1 || true
	int_cached_ms=$(best "$RASOAT" scan --only integrity --db "$vdb/i.db" -q --format jsonl --fail-on none)
	dpkg_cpu=$(cpu dpkg --verify)
	int_cpu=$(cpu "$RASOAT" scan --only integrity --no-db -q --format jsonl --fail-on none)
	rm -rf "$vdb"
	echo "load at end of the timed integrity runs: $(uptime)"
	if [ -n "$cold_ok" ]; then
		printf '%-52s %8s ms\n' "dpkg --verify, cold cache" "$dpkg_cold_ms"
		printf '%-52s %8s ms\n' "rasoat integrity --no-db, cold cache" "$int_cold_ms"
	else
		echo "cold cache: not measured (cannot write /proc/sys/vm/drop_caches here)"
	fi
	printf '%-52s %8s ms\n' "dpkg --verify, warm cache" "$dpkg_warm_ms"
	printf '%-52s %8s ms\n' "rasoat integrity --no-db, warm cache" "$int_warm_ms"
	printf '%-52s %8s ms\n' "rasoat integrity --db, verified-digest cache filled" "$int_cached_ms"
	printf '%-52s %8s s\n' "dpkg --verify, CPU user+sys (one warm run)" "$dpkg_cpu"
	printf '%-52s %8s s\n' "rasoat integrity --no-db, CPU user+sys (one warm run)" "$int_cpu"
	if [ -n "$cold_ok" ]; then
		echo "ratio dpkg --verify / rasoat integrity, cold: $(ratio "$dpkg_cold_ms" "$int_cold_ms") (goal >= 5x: $(goal "$dpkg_cold_ms" "$int_cold_ms" 5))"
	fi
	echo "ratio dpkg --verify / rasoat integrity, warm: $(ratio "$dpkg_warm_ms" "$int_warm_ms") (goal >= 5x: $(goal "$dpkg_warm_ms" "$int_warm_ms" 5))"
	echo "ratio dpkg --verify warm / rasoat integrity with a filled cache (not the same work): $(ratio "$dpkg_warm_ms" "$int_cached_ms")"
	echo "ratio of CPU time dpkg --verify / rasoat integrity: $(awk -v a="$dpkg_cpu" -v b="$int_cpu" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')"
}

restated() {
	echo
	echo "=== issue 16: speed goals restated, side by side (best of RUNS=$RUNS) ==="
	echo "cores: $(nproc); package files: $(cat /var/lib/dpkg/info/*.md5sums 2>/dev/null | wc -l); kernel.pid_max: $(cat /proc/sys/kernel/pid_max)"
	if [ "$ONLY" = integrity ]; then
		echo "load at start: $(uptime)"
		integrity_goal
		return
	fi
	# the range rasoat's hidden-pid sweep covered, from its own check record (untimed run)
	range=$("$RASOAT" scan --only rootkit --no-db -q --all --format jsonl --fail-on none 2>/dev/null |
		python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("type") == "check" and o.get("rule") == "rasoat:rootkit.hidden_pid":
        print(o.get("reason", ""))' || true)
	echo "rasoat hidden-pid sweep: ${range:-(no check record)} (pids 1..N, N = kernel.pid_max capped at 4194304)"
	echo "load at start: $(uptime)"
	uproc_ms=$(best unhide proc)
	usys_ms=$(best unhide sys)
	utcp_ms=$(best unhide-tcp)
	useq_ms=$(best unhide_all)
	rk_ms=$(best "$RASOAT" scan --only rootkit --no-db -q --format jsonl --fail-on none)
	echo "load at end of the timed runs: $(uptime)"
	printf '%-52s %8s ms\n' "unhide proc" "$uproc_ms"
	printf '%-52s %8s ms\n' "unhide sys" "$usys_ms"
	printf '%-52s %8s ms\n' "unhide-tcp" "$utcp_ms"
	printf '%-52s %8s ms\n' "unhide proc; unhide sys; unhide-tcp (one after the other)" "$useq_ms"
	printf '%-52s %8s ms\n' "rasoat scan --only rootkit --no-db" "$rk_ms"
	echo "ratio unhide proc+sys+tcp / rasoat rootkit:   $(ratio "$useq_ms" "$rk_ms") (goal >= 1x: $(goal "$useq_ms" "$rk_ms" 1))"
	integrity_goal
}

[ "$ONLY" = restated ] || [ "$ONLY" = integrity ] || classic
restated
