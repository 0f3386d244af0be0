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
# Part 2 (always): rasoat matching a generated 100,000-record OSV folder
#   against this machine's dpkg status: wall time and peak memory.
# Usage: bench/vuln.sh [RASOAT]   (default build/rasoat; use a build without sanitizers)
set -eu
RASOAT=${1:-build/rasoat}
SUITE=${SUITE:-bookworm}
STATUS=${STATUS:-/var/lib/dpkg/status}
RECORDS=${RECORDS:-100000}
TMP=$(mktemp -d /tmp/rasoat-vuln-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM

# runs "$@" and prints "wall_ms peak_kb" (GNU time when present, else Python getrusage)
measure() {
	python3 - "$@" <<'PY'
import resource, subprocess, sys, time
t0 = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
ms = (time.monotonic() - t0) * 1000
print(f"{ms:.0f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
PY
}

# a root with this machine's dpkg status and an os-release of SUITE
mkdir -p "$TMP/root/etc" "$TMP/root/var/lib/dpkg"
cp "$STATUS" "$TMP/root/var/lib/dpkg/status"
case "$SUITE" in
bookworm) vid=12 ;; trixie) vid=13 ;; bullseye) vid=11 ;; buster) vid=10 ;; *) vid= ;;
esac
printf 'ID=debian\nVERSION_ID="%s"\nVERSION_CODENAME=%s\n' "$vid" "$SUITE" > "$TMP/root/etc/os-release"
npkg=$(grep -c '^Package:' "$STATUS")

echo "== part 1: Debian tracker JSON, rasoat vs debsecan (suite $SUITE, $npkg packages)"
if [ -z "${TRACKER_JSON:-}" ] || [ ! -f "$TRACKER_JSON" ]; then
	echo "skipped: set TRACKER_JSON to a copy of https://security-tracker.debian.org/tracker/data/json"
else
	t=$(measure "$RASOAT" vuln import "$TRACKER_JSON" --db "$TMP/v.db" -q)
	echo "rasoat vuln import (whole tracker): ${t%% *} ms, peak ${t##* } KB"
	t=$(measure "$RASOAT" vuln --root "$TMP/root" --db "$TMP/v.db" --format jsonl -q --fail-on none -o "$TMP/rasoat.jsonl")
	rt=${t%% *}
	echo "rasoat vuln (stored feed):        ${rt} ms, peak ${t##* } KB"
	t=$(measure "$RASOAT" vuln --root "$TMP/root" --feed "$TRACKER_JSON" --no-db --format jsonl -q --fail-on none)
	echo "rasoat vuln --feed (read+match):  ${t%% *} ms, peak ${t##* } KB"
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

echo "== part 3: a generated tracker-shaped JSON (streaming import: time and peak memory)"
python3 - "$TMP/tracker.json" "${TRACKER_PACKAGES:-30000}" <<'PY'
import json, random, sys
random.seed(11)
out, n = sys.argv[1], int(sys.argv[2])
with open(out, "w") as f:
    f.write("{")
    for p in range(n):
        cves = {}
        for c in range(10):
            rel = {}
            for r in ("bullseye", "bookworm", "trixie", "sid"):
                if random.random() < 0.3:
                    rel[r] = {"status": "open", "repositories": {r: "1.0-1"}, "urgency": "unimportant"}
                else:
                    rel[r] = {"status": "resolved", "repositories": {r: "1.0-2"},
                              "fixed_version": f"1.{random.randint(0, 9)}-{random.randint(1, 9)}", "urgency": "low"}
            cves[f"CVE-2099-{p * 10 + c}"] = {"description": "generated entry " * 4, "scope": "local",
                                               "releases": rel}
        f.write(("," if p else "") + json.dumps(f"pkg-{p}") + ":" + json.dumps(cves))
    f.write("}\n")
PY
echo "size: $(du -m "$TMP/tracker.json" | cut -f1) MB"
t=$(measure "$RASOAT" vuln import "$TMP/tracker.json" --db "$TMP/tracker.db" -q)
echo "rasoat vuln import (generated tracker JSON): ${t%% *} ms, peak ${t##* } KB, store $(du -m "$TMP/tracker.db" | cut -f1) MB"
