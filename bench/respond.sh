#!/bin/sh
# bench/respond.sh — `rasoat collect` against UAC's ir_triage profile
# (tclahr/uac, run from its source) on this machine, in one run. Prints the
# wall and CPU time and the bundle size of each, the ratios, and the
# evidence classes each bundle holds (rasoat's from its manifest, UAC's from
# the directories of its archive). rasoat runs twice: as shipped (targeted
# bodyfile), and with --bodyfile / (a bodyfile of the whole filesystem,
# the class UAC's ir_triage collects).
# UAC's source: UAC=DIR (an extracted uac), else a snapshot of the git
# repository at UAC_MIRROR (default /work/.mirror/tclahr+uac/repo; e.g. a
# `git clone --mirror https://github.com/tclahr/uac`) is extracted with
# git archive into a temporary directory (bin/linux/avml, the memory
# acquisition binary ir_triage does not use, is left out).
# Usage: bench/respond.sh [RASOAT]   (default build/rasoat; run as root; UAC takes minutes)
set -eu
RASOAT=${1:-build/rasoat}
MIRROR=${UAC_MIRROR:-/work/.mirror/tclahr+uac/repo}
[ "$(id -u)" = 0 ] || { echo "bench/respond.sh: run as root (both tools read /proc and every file)"; exit 2; }
work=$(mktemp -d /tmp/rasoat-bench-respond.XXXXXX)
trap 'rm -rf "$work"' EXIT
if [ -n "${UAC:-}" ]; then
	uac=$UAC
	uac_rev=$(cat "$uac/VERSION" 2>/dev/null || echo "given")
else
	[ -d "$MIRROR" ] || { echo "no UAC: set UAC=DIR (an extracted uac) or UAC_MIRROR=GIT_DIR"; exit 2; }
	uac="$work/uac"
	mkdir "$uac"
	git --git-dir="$MIRROR" archive HEAD -- . ':!bin/linux/avml' 2>/dev/null | tar -x -C "$uac" || true
	[ -x "$uac/uac" ] || { echo "could not extract UAC from $MIRROR"; exit 2; }
	uac_rev=$(git --git-dir="$MIRROR" log -1 --format='%h %s' HEAD)
fi

echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
echo "load:    $(cat /proc/loadavg) (before)"
echo "rasoat:  $("$RASOAT" --version) ($RASOAT)"
echo "uac:     $("$uac/uac" -V 2>/dev/null | head -1) ($uac_rev)"

# timed RESULT_NAME COMMAND...: wall and CPU seconds of COMMAND into $work/NAME.time
timed() {
	name=$1
	shift
	/usr/bin/time -f "%e %U %S" -o "$work/$name.time" "$@"
}

echo
echo "== rasoat collect (as shipped)"
echo "   $RASOAT collect -q -o BUNDLE"
timed rasoat "$RASOAT" collect -q -o "$work/rasoat.tar.gz" >/dev/null
echo "== rasoat collect --bodyfile / (whole-filesystem bodyfile, as UAC)"
echo "   $RASOAT collect -q --bodyfile / -o BUNDLE"
timed rasoat_full "$RASOAT" collect -q --bodyfile / -o "$work/rasoat-full.tar.gz" >/dev/null
echo "== uac -p ir_triage"
echo "   (cd $uac && ./uac -p ir_triage DESTINATION)"
mkdir "$work/uac-out"
(cd "$uac" && timed uac ./uac -p ir_triage "$work/uac-out" >"$work/uac.log" 2>&1) || {
	echo "uac failed:"; tail -20 "$work/uac.log"; exit 2; }
echo "load:    $(cat /proc/loadavg) (after)"
uac_bundle=$(ls "$work"/uac-out/uac-*.tar.gz | head -1)

python3 - "$work" "$uac_bundle" <<'PY'
import json, os, sys, tarfile
work, uac_bundle = sys.argv[1], sys.argv[2]

def t(name):
    wall, user, sys_ = (float(x) for x in open(os.path.join(work, name + ".time")).read().split()[-3:])
    return wall, user + sys_

def classes_rasoat(path):
    with tarfile.open(path, "r:gz") as tf:
        names = tf.getnames()
        top = names[0].split("/")[0]
        manifest = json.load(tf.extractfile(f"{top}/manifest.json"))
    counts = {}
    for m in manifest["members"]:
        parts = m["name"].split("/")
        key = "/".join(parts[:2]) if parts[0] in ("volatile", "files", "proc", "memory") else parts[0]
        if parts[0] == "proc":
            key = "proc/PID/" + parts[2]
        if parts[0] == "memory":
            key = "memory/PID"
        c = counts.setdefault(key, [0, 0])
        c[0] += 1
        c[1] += m["size"]
    return counts

def classes_uac(path):
    counts = {}
    with tarfile.open(path, "r:gz") as tf:
        for m in tf:
            if not m.isfile():
                continue
            parts = m.name.split("/")
            key = "/".join(parts[:2]) if parts[0] == "live_response" else \
                  "/".join(parts[:3]) if parts[0] == "[root]" else parts[0]
            c = counts.setdefault(key, [0, 0])
            c[0] += 1
            c[1] += m.size
    return counts

rows = [("rasoat collect", "rasoat", os.path.join(work, "rasoat.tar.gz")),
        ("rasoat collect --bodyfile /", "rasoat_full", os.path.join(work, "rasoat-full.tar.gz")),
        ("uac -p ir_triage", "uac", uac_bundle)]
print()
print(f"{'run':32} {'wall s':>8} {'cpu s':>8} {'bundle MB':>10}")
res = {}
for label, name, path in rows:
    wall, cpu = t(name)
    size = os.path.getsize(path)
    res[name] = (wall, cpu, size)
    print(f"{label:32} {wall:8.2f} {cpu:8.2f} {size / 1e6:10.2f}")
u = res["uac"]
for name, label in (("rasoat", "as shipped"), ("rasoat_full", "--bodyfile /")):
    r = res[name]
    print(f"ratio uac / rasoat ({label}): wall {u[0] / r[0]:.1f}x, cpu {u[1] / max(r[1], 0.001):.1f}x, "
          f"bundle {u[2] / r[2]:.2f}x")
for label, counts in (("rasoat collect --bodyfile / classes", classes_rasoat(rows[1][2])),
                      ("uac ir_triage classes", classes_uac(uac_bundle))):
    print(f"\n{label} (members, uncompressed bytes):")
    for k in sorted(counts):
        print(f"  {k:48} {counts[k][0]:7} {counts[k][1]:12}")
PY
