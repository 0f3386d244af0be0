#!/bin/sh
# bench/vuln.sh — the vuln module against its peer and at scale, in one run.
#
# Part 1 (needs data the operator brings; skipped cleanly when absent):
#   rasoat with the Debian Security Tracker JSON vs debsecan with its own
#   data for the same suite, downloaded at the same time, over the same dpkg
#   status: times, the ratio and the two (package, CVE) sets compared.
#     TRACKER_JSON=/path/json           https://security-tracker.debian.org/tracker/data/json
#     DEBSECAN_DATA=/dir                holding SUITE and GENERIC from
#                                       https://security-tracker.debian.org/tracker/debsecan/release/1/
#     SUITE=bookworm STATUS=/var/lib/dpkg/status  (defaults)
#   debsecan reads its data through Python's urllib, so `--source file:///dir`
#   works offline; it needs python3-apt. It is installed with apt-get when missing.
# Part 3 (always): a generated tracker-shaped JSON holding this host's
#   installed source packages (real names and versions) plus fillers, and
#   the same entries for SUITE in debsecan's data format: rasoat's reading
#   rate (MB/s) and time, debsecan's time on the same entries, the ratios
#   and the two (package, CVE) sets compared.
# Part 2 (always): rasoat matching a generated 100,000-record OSV folder
#   against this machine's dpkg status: wall time and peak memory; then the
#   same records as one JSON array file: the reading rate (wall and CPU)
#   and peak memory, reading only (an empty root) and read + match.
# Part 4 (always): application libraries (issue 14). No osv-scanner or Trivy
#   installs here (neither is packaged by Debian or npm), so the peer is an
#   independent reference, bench/vuln_apps_ref.py (Python 3 stdlib, its own
#   lockfile readers and version orderings). bench/vuln_apps_gen.py writes
#   APPS applications (npm, PyPI, Packagist, crates.io, RubyGems lockfiles)
#   and an OSV folder of APP_RECORDS records over the same names; both tools
#   list the (library, file, advisory) pairs; the two sets are compared and
#   the times (wall and CPU) and their ratio printed (rasoat also with
#   --threads 2: by default it uses one); then the same
#   records as one zip (the shape osv.dev publishes) for both tools.
# Usage: bench/vuln.sh [RASOAT]   (default build/rasoat; use a build without sanitizers)
#   PARTS="1 2 3 4" (default all) picks the parts to run.
set -eu
RASOAT=${1:-build/rasoat}
SUITE=${SUITE:-bookworm}
STATUS=${STATUS:-/var/lib/dpkg/status}
RECORDS=${RECORDS:-100000}
PARTS=${PARTS:-1 2 3 4}
part_on() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }
TMP=$(mktemp -d /tmp/rasoat-vuln-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM

# runs "$@" and prints "wall_ms peak_kb"; its CPU time (user + system, ms:
# what load from other processes changes least) is left in $TMP/cpu for
# `cpu_ms`. The figures are the command's own (wait4 on its pid), not
# getrusage(RUSAGE_CHILDREN), which also counts whatever the interpreter's
# process reaped before its exec (a pyenv shim's helpers add about 0.4 s of
# CPU and their memory on a machine with pyenv).
measure() {
	python3 - "$TMP/cpu" "$@" <<'PY'
import os, subprocess, sys, time
t0 = time.monotonic()
p = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, _, ru = os.wait4(p.pid, 0)
p.returncode = 0
ms = (time.monotonic() - t0) * 1000
open(sys.argv[1], "w").write(f"{(ru.ru_utime + ru.ru_stime) * 1000:.0f}")
print(f"{ms:.0f} {ru.ru_maxrss}")
PY
}
cpu_ms() { cat "$TMP/cpu"; }

# a root with this machine's dpkg status and an os-release of SUITE
mkdir -p "$TMP/root/etc" "$TMP/root/var/lib/dpkg"
cp "$STATUS" "$TMP/root/var/lib/dpkg/status"
case "$SUITE" in
bookworm) vid=12 ;; trixie) vid=13 ;; bullseye) vid=11 ;; buster) vid=10 ;; *) vid= ;;
esac
printf 'ID=debian\nVERSION_ID="%s"\nVERSION_CODENAME=%s\n' "$vid" "$SUITE" > "$TMP/root/etc/os-release"
npkg=$(grep -c '^Package:' "$STATUS")

if part_on 1; then
echo "== part 1: Debian tracker JSON, rasoat vs debsecan (suite $SUITE, $npkg packages)"
if [ -z "${TRACKER_JSON:-}" ] || [ ! -f "$TRACKER_JSON" ]; then
	echo "skipped: set TRACKER_JSON to a copy of https://security-tracker.debian.org/tracker/data/json"
else
	t=$(measure "$RASOAT" vuln import "$TRACKER_JSON" --db "$TMP/v.db" -q)
	echo "rasoat vuln import (whole tracker): ${t%% *} ms, peak ${t##* } KB, $(awk -v b="$(wc -c < "$TRACKER_JSON")" -v t="${t%% *}" 'BEGIN { if (t > 0) printf "%.1f MB/s", b / 1000 / t }')"
	t=$(measure "$RASOAT" vuln --root "$TMP/root" --db "$TMP/v.db" --format jsonl -q --fail-on none -o "$TMP/rasoat.jsonl")
	rt=${t%% *}
	echo "rasoat vuln (stored feed):        ${rt} ms, peak ${t##* } KB"
	t=$(measure "$RASOAT" vuln --root "$TMP/root" --feed "$TRACKER_JSON" --no-db --format jsonl -q --fail-on none)
	echo "rasoat vuln --feed (read+match):  ${t%% *} ms, peak ${t##* } KB, $(awk -v b="$(wc -c < "$TRACKER_JSON")" -v t="${t%% *}" 'BEGIN { if (t > 0) printf "%.1f MB/s", b / 1000 / t }')"
	python3 -c '
import json, sys
s = set()
for l in open(sys.argv[1]):
    o = json.loads(l)
    if o.get("type") == "finding":
        e = o["evidence"]; s.add((e["package"], e["cve"] or e["record"]))
for p, c in sorted(s): print(p, c)' "$TMP/rasoat.jsonl" > "$TMP/rasoat.set"
	if ! command -v debsecan >/dev/null 2>&1; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debsecan python3-apt >/dev/null 2>&1 || true
	fi
	if ! command -v debsecan >/dev/null 2>&1; then
		echo "debsecan: not installed and apt-get could not install it; rasoat figures only"
	elif [ -z "${DEBSECAN_DATA:-}" ] || [ ! -f "$DEBSECAN_DATA/$SUITE" ] || [ ! -f "$DEBSECAN_DATA/GENERIC" ]; then
		echo "debsecan: skipped: set DEBSECAN_DATA to a folder with $SUITE and GENERIC from https://security-tracker.debian.org/tracker/debsecan/release/1/"
	else
		t=$(measure debsecan --suite "$SUITE" --source "file://$DEBSECAN_DATA/" --status "$STATUS" --format summary)
		dt=${t%% *}
		echo "debsecan --format summary:        ${dt} ms, peak ${t##* } KB"
		awk -v r="$rt" -v d="$dt" 'BEGIN { if (r > 0) printf "ratio debsecan/rasoat:            %.1fx\n", d / r }'
		debsecan --suite "$SUITE" --source "file://$DEBSECAN_DATA/" --status "$STATUS" --format summary 2>/dev/null |
			awk '{ print $2, $1 }' | sort -u > "$TMP/debsecan.set"
		echo "(package, CVE) pairs: rasoat $(wc -l < "$TMP/rasoat.set"), debsecan $(wc -l < "$TMP/debsecan.set"), " \
		     "only rasoat $(comm -23 "$TMP/rasoat.set" "$TMP/debsecan.set" | wc -l), only debsecan $(comm -13 "$TMP/rasoat.set" "$TMP/debsecan.set" | wc -l)"
		comm -3 "$TMP/rasoat.set" "$TMP/debsecan.set" | head -20
	fi
fi
fi

if part_on 2; then
echo "== part 2: $RECORDS generated OSV records (Debian:12 and others), $npkg installed packages"
python3 - "$TMP/osv" "$RECORDS" "$STATUS" <<'PY'
import json, os, random, sys
out, n, status = sys.argv[1], int(sys.argv[2]), sys.argv[3]
random.seed(7)
names = []
for line in open(status, errors="replace"):
    if line.startswith("Package:"):
        names.append(line.split(":", 1)[1].strip())
    elif line.startswith("Source:"):
        names[-1] = line.split(":", 1)[1].split("(")[0].strip()
names = sorted(set(names)) or ["bash"]
ecos = ["Debian:12", "Debian:12", "Debian:11", "Debian:13", "Ubuntu:22.04:LTS", "Alpine:v3.19"]
for i in range(n):
    d = os.path.join(out, f"{i % 100:02d}")
    if i < 100:
        os.makedirs(d, exist_ok=True)
    pkg = random.choice(names) if random.random() < 0.5 else f"gen-{i}"
    eco = random.choice(ecos)
    fixed = f"{random.randint(0, 9)}.{random.randint(0, 99)}-{random.randint(1, 9)}"
    if eco.startswith("Alpine"):
        fixed = fixed.replace("-", "-r")
    rec = {"schema_version": "1.6.0", "id": f"GEN-{i}", "modified": "2024-01-01T00:00:00Z",
           "aliases": [f"CVE-2099-{i}"], "summary": "generated record",
           "affected": [{"package": {"ecosystem": eco, "name": pkg},
                         "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}]}]}
    with open(os.path.join(d, f"GEN-{i}.json"), "w") as f:
        json.dump(rec, f)
PY
t=$(measure "$RASOAT" vuln --root "$TMP/root" --feed "$TMP/osv" --no-db --format jsonl -q --fail-on none -o "$TMP/osv.jsonl")
echo "rasoat vuln --feed OSV folder (read+match, no store): ${t%% *} ms, peak ${t##* } KB, $(grep -c '"type":"finding"' "$TMP/osv.jsonl" || true) findings"
t=$(measure "$RASOAT" vuln import "$TMP/osv" --db "$TMP/osv.db" -q)
echo "rasoat vuln import OSV folder:                        ${t%% *} ms, peak ${t##* } KB"
t=$(measure "$RASOAT" vuln --root "$TMP/root" --db "$TMP/osv.db" --format jsonl -q --fail-on none)
echo "rasoat vuln (match the stored records):               ${t%% *} ms, peak ${t##* } KB"
# the same records as one JSON array file (the shape of an ecosystem's
# export): the reading rate on one core, and memory, which must follow the
# largest record, not the file (an empty root: reading only)
python3 - "$TMP/osv" "$TMP/osv-array.json" <<'PY'
import os, sys
with open(sys.argv[2], "w") as out:
    out.write("[")
    first = True
    for d in sorted(os.listdir(sys.argv[1])):
        for f in sorted(os.listdir(os.path.join(sys.argv[1], d))):
            out.write(("" if first else ",\n") + open(os.path.join(sys.argv[1], d, f)).read())
            first = False
    out.write("]\n")
PY
mkdir -p "$TMP/empty/etc" "$TMP/empty/var/lib/dpkg"
cp "$TMP/root/etc/os-release" "$TMP/empty/etc/"
: > "$TMP/empty/var/lib/dpkg/status"
amb=$(python3 -c 'import os,sys; print(f"{os.path.getsize(sys.argv[1]) / 1e6:.1f}")' "$TMP/osv-array.json")
arate() { awk -v m="$amb" -v t="$1" 'BEGIN { if (t > 0) printf "%.1f MB/s", m * 1000 / t; else print "n/a" }'; }
t=$(measure "$RASOAT" vuln --no-apps --root "$TMP/empty" --feed "$TMP/osv-array.json" --no-db --format jsonl -q --fail-on none -o /dev/null)
echo "rasoat vuln --feed the records as one $amb MB array, reading only: ${t%% *} ms, $(arate "${t%% *}"); CPU $(cpu_ms) ms, $(arate "$(cpu_ms)") of CPU; peak ${t##* } KB"
t=$(measure "$RASOAT" vuln --no-apps --root "$TMP/root" --feed "$TMP/osv-array.json" --no-db --format jsonl -q --fail-on none -o "$TMP/osv-array.jsonl")
echo "rasoat vuln --feed the same array, read + match:     ${t%% *} ms, $(arate "${t%% *}"); CPU $(cpu_ms) ms, $(arate "$(cpu_ms)") of CPU; peak ${t##* } KB"
fi

if part_on 3; then
echo "== part 3: a generated tracker-shaped JSON of this host's source packages + fillers, rasoat vs debsecan on the same entries"
# Every installed source package (name and version from the dpkg status) gets
# 10 CVEs: 3 open, 3 fixed above the installed version, 4 fixed below it;
# TRACKER_PACKAGES filler packages (not installed) make the file the size of
# the real tracker. The same entries for SUITE are written in debsecan's
# format (zlib, "VERSION 1", names, package lines) so both read the same data.
python3 - "$TMP/tracker.json" "${TRACKER_PACKAGES:-30000}" "$STATUS" "$SUITE" "$TMP/debsecan" <<'PY'
import json, os, random, sys, zlib
random.seed(11)
out, n, status, suite, ddir = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
src = {}
name = ver = source = None
def flush():
    if name and ver:
        s = source or name
        sv = ver
        if source and "(" in source:
            s, sv = source.split("(", 1)[0].strip(), source.split("(", 1)[1].rstrip(")").strip()
        src.setdefault(s, sv)
for line in list(open(status, errors="replace")) + [""]:
    if not line.strip():
        flush(); name = ver = source = None
    elif line.startswith("Package:"): name = line.split(":", 1)[1].strip()
    elif line.startswith("Version:"): ver = line.split(":", 1)[1].strip()
    elif line.startswith("Source:"): source = line.split(":", 1)[1].strip()
rels = ("bullseye", "bookworm", "trixie", "sid")
names, lines = [], []
def lower(v):
    e = v.split(":", 1)[0] + ":" if ":" in v else ""
    return e + "0~0-0"
with open(out, "w") as f:
    f.write("{")
    first = True
    pkgs = [(p, v) for p, v in sorted(src.items())] + [(f"pkg-{p}", None) for p in range(n)]
    for pi, (p, v) in enumerate(pkgs):
        cves = {}
        for c in range(10):
            cve = f"CVE-2099-{pi * 10 + c}"
            rel = {}
            for r in rels:
                kind = c % 10 if v else (0 if random.random() < 0.3 else 9)
                if kind < 3:
                    rel[r] = {"status": "open", "repositories": {r: "1.0-1"}, "urgency": "unimportant"}
                    fx = ""
                else:
                    fx = (v + "+fix1") if v and kind < 6 else (lower(v) if v else f"1.{random.randint(0, 9)}-{random.randint(1, 9)}")
                    rel[r] = {"status": "resolved", "repositories": {r: "1.0-2"}, "fixed_version": fx, "urgency": "low"}
                if r == suite:
                    names.append(f"{cve},,generated entry")
                    flag = "SL " + ("F" if fx else " ")
                    lines.append(f"{p},{len(names) - 1},{flag},{fx},")
            cves[cve] = {"description": "generated entry " * 4, "scope": "local", "releases": rel}
        f.write(("" if first else ",") + json.dumps(p) + ":" + json.dumps(cves))
        first = False
    f.write("}\n")
os.makedirs(ddir, exist_ok=True)
body = "VERSION 1\n" + "\n".join(names) + "\n\n" + "\n".join(lines) + "\n\n\n"
open(os.path.join(ddir, suite), "wb").write(zlib.compress(body.encode()))
open(os.path.join(ddir, "GENERIC"), "wb").write(zlib.compress(b"VERSION 1\n\n\n\n"))
print(len(src), file=open(os.path.join(ddir, "nsrc"), "w"))
PY
mb=$(python3 -c 'import os,sys; print(f"{os.path.getsize(sys.argv[1]) / 1e6:.1f}")' "$TMP/tracker.json")
echo "size: $mb MB ($(cat "$TMP/debsecan/nsrc") installed source packages + ${TRACKER_PACKAGES:-30000} fillers; debsecan's $SUITE file $(du -k "$TMP/debsecan/$SUITE" | cut -f1) KB compressed)"
rate() { awk -v m="$mb" -v t="$1" 'BEGIN { if (t > 0) printf "%.1f MB/s", m * 1000 / t; else print "n/a" }'; }
t=$(measure "$RASOAT" vuln import "$TMP/tracker.json" --db "$TMP/tracker.db" -q)
echo "rasoat vuln import (tracker JSON):          ${t%% *} ms, $(rate "${t%% *}"), peak ${t##* } KB, store $(du -m "$TMP/tracker.db" | cut -f1) MB"
t=$(measure "$RASOAT" vuln --root "$TMP/root" --feed "$TMP/tracker.json" --no-db --format jsonl -q --fail-on none -o "$TMP/t.jsonl")
ft=${t%% *}
fc=$(cpu_ms)
echo "rasoat vuln --feed (read+match, no store):  ${ft} ms, $(rate "$ft"); CPU ${fc} ms, $(rate "$fc") of CPU; peak ${t##* } KB"
t=$(measure "$RASOAT" vuln --root "$TMP/root" --db "$TMP/tracker.db" --format jsonl -q --fail-on none)
st=${t%% *}
sc=$(cpu_ms)
echo "rasoat vuln (match the stored feed):        ${st} ms (CPU ${sc} ms), peak ${t##* } KB"
if ! command -v debsecan >/dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debsecan python3-apt >/dev/null 2>&1 || true
fi
if command -v debsecan >/dev/null 2>&1; then
	t=$(measure debsecan --suite "$SUITE" --source "file://$TMP/debsecan/" --status "$STATUS" --format summary)
	dt=${t%% *}
	dc=$(cpu_ms)
	echo "debsecan --format summary (same entries):   ${dt} ms (CPU ${dc} ms), peak ${t##* } KB"
	awk -v f="$ft" -v s="$st" -v d="$dt" 'BEGIN { if (f > 0 && s > 0) printf "ratio debsecan/rasoat: %.2fx reading the tracker JSON (--feed), %.2fx matching the stored feed\n", d / f, d / s }'
	awk -v s="$sc" -v d="$dc" 'BEGIN { if (s > 0) printf "ratio debsecan/rasoat in CPU time, matching the stored feed: %.2fx\n", d / s }'
	python3 -c '
import json, sys
s = set()
for l in open(sys.argv[1]):
    o = json.loads(l)
    if o.get("type") == "finding":
        e = o["evidence"]; s.add((e["package"], e["cve"] or e["record"]))
for p, c in sorted(s): print(p, c)' "$TMP/t.jsonl" > "$TMP/t-rasoat.set"
	debsecan --suite "$SUITE" --source "file://$TMP/debsecan/" --status "$STATUS" --format summary 2>/dev/null |
		awk '{ print $2, $1 }' | sort -u > "$TMP/t-debsecan.set"
	echo "(package, CVE) pairs: rasoat $(wc -l < "$TMP/t-rasoat.set"), debsecan $(wc -l < "$TMP/t-debsecan.set"), " \
	     "only rasoat $(comm -23 "$TMP/t-rasoat.set" "$TMP/t-debsecan.set" | wc -l), only debsecan $(comm -13 "$TMP/t-rasoat.set" "$TMP/t-debsecan.set" | wc -l)"
	comm -3 "$TMP/t-rasoat.set" "$TMP/t-debsecan.set" | head -10
else
	echo "debsecan: not installed and apt-get could not install it; rasoat figures only"
fi
fi

# runs "$@" and prints "wall_ms cpu_ms peak_kb" (CPU: user + system of the
# command and what it waited for, from wait4 on its pid: not
# getrusage(RUSAGE_CHILDREN), which on a machine with pyenv also counted
# the CPU of the shim's helpers, reaped before the interpreter's exec, and
# so added the same ~0.2 s to both sides of the ratio)
measure_cpu() {
	python3 - "$@" <<'PY'
import os, subprocess, sys, time
t0 = time.monotonic()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, _, ru = os.wait4(p.pid, 0)
p.returncode = 0
ms = (time.monotonic() - t0) * 1000
print(f"{ms:.0f} {(ru.ru_utime + ru.ru_stime) * 1000:.0f} {ru.ru_maxrss}")
PY
}

if part_on 4; then
HERE=$(dirname "$0")
APPS=${APPS:-400}
APP_RECORDS=${APP_RECORDS:-20000}
# the interpreter itself, not a wrapper (pyenv's shim is a bash script whose CPU would count for the reference)
PY=$(python3 -c 'import sys; print(sys.executable)')
echo "== part 4: application libraries, rasoat vs an independent reference (bench/vuln_apps_ref.py)"
python3 "$HERE/vuln_apps_gen.py" "$TMP/approot" "$TMP/appfeed" "$APPS" "$APP_RECORDS"
mkdir -p "$TMP/approot/etc"
printf 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n' > "$TMP/approot/etc/os-release"
echo "data: $APPS applications, $(find "$TMP/approot/srv" -type f | wc -l) declaring files, $APP_RECORDS OSV records ($(du -sm "$TMP/appfeed" | cut -f1) MB)"
# a first untimed pass of each, so both find the files in the page cache
"$RASOAT" vuln --root "$TMP/approot" --apps /srv --feed "$TMP/appfeed" --no-db -q --fail-on none --format jsonl -o /dev/null 2>/dev/null || true
"$PY" "$HERE/vuln_apps_ref.py" "$TMP/approot/srv" "$TMP/appfeed" "$TMP/approot" > /dev/null
t=$(measure_cpu "$RASOAT" vuln --root "$TMP/approot" --apps /srv --feed "$TMP/appfeed" --no-db -q --fail-on none --format jsonl -o "$TMP/apps.jsonl")
rw=$(echo "$t" | cut -d' ' -f1); rc=$(echo "$t" | cut -d' ' -f2)
echo "rasoat vuln --apps --feed (walk+read+match): ${rw} ms wall, ${rc} ms CPU, peak $(echo "$t" | cut -d' ' -f3) KB"
# the same with two threads (walk beside the feed reading, the OSV folder in two shares, matching
# and findings in two threads; see docs/VULN.md); the default, above, is one
t=$(measure_cpu "$RASOAT" vuln --threads 2 --root "$TMP/approot" --apps /srv --feed "$TMP/appfeed" --no-db -q --fail-on none --format jsonl -o "$TMP/apps-1.jsonl")
r1w=$(echo "$t" | cut -d' ' -f1); r1c=$(echo "$t" | cut -d' ' -f2)
echo "rasoat --threads 2 (the same work):          ${r1w} ms wall, ${r1c} ms CPU, peak $(echo "$t" | cut -d' ' -f3) KB"
t=$(measure_cpu sh -c "'$PY' '$HERE/vuln_apps_ref.py' '$TMP/approot/srv' '$TMP/appfeed' '$TMP/approot' > '$TMP/apps-ref.txt'")
pw=$(echo "$t" | cut -d' ' -f1); pc=$(echo "$t" | cut -d' ' -f2)
echo "reference vuln_apps_ref.py (same work):      ${pw} ms wall, ${pc} ms CPU, peak $(echo "$t" | cut -d' ' -f3) KB"
awk -v rw="$rw" -v rc="$rc" -v pw="$pw" -v pc="$pc" 'BEGIN { if (rw > 0 && rc > 0) printf "ratio reference/rasoat: %.1fx wall, %.1fx CPU\n", pw / rw, pc / rc }'
awk -v rw="$r1w" -v rc="$r1c" -v pw="$pw" -v pc="$pc" 'BEGIN { if (rw > 0 && rc > 0) printf "ratio reference/rasoat --threads 2: %.1fx wall, %.1fx CPU\n", pw / rw, pc / rc }'
cmp -s "$TMP/apps.jsonl" "$TMP/apps-1.jsonl" 2>/dev/null || [ "$(grep -v '"summary"' "$TMP/apps.jsonl" | sed 's/"scan":"[^"]*"//' | md5sum)" = "$(grep -v '"summary"' "$TMP/apps-1.jsonl" | sed 's/"scan":"[^"]*"//' | md5sum)" ] ||
	echo "rasoat's findings differ between one thread and two"
# the same records as one zip, the shape osv.dev publishes (ECOSYSTEM/all.zip)
(cd "$TMP/appfeed" && python3 -c '
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for d, _, fs in sorted(os.walk(".")):
        for f in sorted(fs):
            z.write(os.path.join(d, f), os.path.join(d, f)[2:])' "$TMP/appfeed.zip")
t=$(measure_cpu "$RASOAT" vuln --root "$TMP/approot" --apps /srv --feed "$TMP/appfeed.zip" --no-db -q --fail-on none --format jsonl -o "$TMP/apps-zip.jsonl")
zw=$(echo "$t" | cut -d' ' -f1); zc=$(echo "$t" | cut -d' ' -f2)
echo "rasoat, the records as one zip:              ${zw} ms wall, ${zc} ms CPU, peak $(echo "$t" | cut -d' ' -f3) KB"
t=$(measure_cpu sh -c "'$PY' '$HERE/vuln_apps_ref.py' '$TMP/approot/srv' '$TMP/appfeed.zip' '$TMP/approot' > '$TMP/apps-ref-zip.txt'")
qw=$(echo "$t" | cut -d' ' -f1); qc=$(echo "$t" | cut -d' ' -f2)
echo "reference, the same zip:                     ${qw} ms wall, ${qc} ms CPU, peak $(echo "$t" | cut -d' ' -f3) KB"
awk -v rw="$zw" -v rc="$zc" -v pw="$qw" -v pc="$qc" 'BEGIN { if (rw > 0 && rc > 0) printf "ratio reference/rasoat (zip): %.1fx wall, %.1fx CPU\n", pw / rw, pc / rc }'
sort "$TMP/apps-ref.txt" > "$TMP/ref-dir.sorted"
sort "$TMP/apps-ref-zip.txt" > "$TMP/ref-zip.sorted"
cmp -s "$TMP/ref-dir.sorted" "$TMP/ref-zip.sorted" || echo "the reference's pairs differ between the folder and the zip"
[ "$(grep -c '"finding"' "$TMP/apps.jsonl")" = "$(grep -c '"finding"' "$TMP/apps-zip.jsonl")" ] ||
	echo "rasoat's findings differ between the folder and the zip"
python3 - "$TMP/apps.jsonl" "$TMP/apps-ref.txt" <<'PY'
import json, re, sys
def norm(eco, n):
    return re.sub(r"[-_.]+", "-", n).lower() if eco == "PyPI" else n.lower() if eco == "Packagist" else n
ours = set()
for l in open(sys.argv[1]):
    o = json.loads(l)
    if o.get("type") == "finding" and "ecosystem" in o["evidence"]:
        e = o["evidence"]
        ours.add((e["ecosystem"], norm(e["ecosystem"], e["package"]), e["installed"], e["path"], e.get("cve") or e["record"]))
ref = set()
for l in open(sys.argv[2]):
    eco, n, v, src, i = l.rstrip("\n").split("\t")
    ref.add((eco, norm(eco, n), v, src, i))
print(f"(library, file, advisory) pairs: rasoat {len(ours)}, reference {len(ref)}, only rasoat {len(ours - ref)}, only reference {len(ref - ours)}")
for x in sorted(ours - ref)[:5]: print("  only rasoat:", *x)
for x in sorted(ref - ours)[:5]: print("  only reference:", *x)
PY
fi
