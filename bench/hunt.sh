#!/bin/sh
# bench/hunt.sh — rasoat's hunt against `yara -r -p 2` on the same work, in
# one run: signature-base's YARA rules (with THOR's external variables
# defined, empty, for yara via -d) over /usr/bin and
# /usr/lib/x86_64-linux-gnu, every file whatever its size, archives not
# opened. Prints MB/s of each and the ratio, and checks that the (file,
# rule) match sets are equal: rules that do not use an external variable
# must match the same files in both; each match of a rule that does use one
# is re-checked with yara given that file's own values, and (reverse) every
# file is matched by libyara (python3-yara) against the rules that use one
# with its own values, to find any match rasoat missed. A planted
# directory adds files that signature-base rules do match (EICAR, the
# webshell samples of tests/fixtures/hunt, a PHP file cloaked as .jpg for a
# rule on extension and filetype), so the comparison is not of two empty
# sets. Part 0 times a first hunt on a fresh host (empty compiled-rules
# cache) against yarac + `yara -C -r` of the same files, in CPU seconds.
# Where the yara command cannot be installed, bench/yara_ref.c
# (libyara doing what `yara -r -p N` does) stands in for it. Then the unchanged
# rescan (clean-file cache in the store) and its speed-up, then
# --trust-packages over /usr against the same hunt without it.
# Usage: bench/hunt.sh [RASOAT]   (default build/rasoat; needs root for /usr)
set -eu
RASOAT=${1:-build/rasoat}
HERE=$(cd "$(dirname "$0")" && pwd)
SB=${SB:-$HERE/../../shared/corpora/signature-base/yara}
DIRS=${DIRS:-"/usr/bin /usr/lib/x86_64-linux-gnu"}
THREADS=${THREADS:-2}
RUNS=${RUNS:-2}   # part 1: best of RUNS, the two tools alternating (the page cache and a shared machine)
[ -d "$SB" ] || { echo "signature-base not found at $SB (set SB=DIR)"; exit 2; }
if ! command -v yara >/dev/null 2>&1; then
	apt-get install -y yara >/dev/null 2>&1 || true
fi
# the reverse check of bench/hunt_compare.py runs libyara from Python (Debian's python3-yara)
if ! /usr/bin/python3 -c 'import yara' >/dev/null 2>&1; then
	apt-get -o APT::Sandbox::User=root install -y python3-yara >/dev/null 2>&1 || true
fi
export DIRS
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export RASOAT_CACHE="$work/rules-cache"
planted="$work/planted"
mkdir -p "$planted"
cp "$HERE/../tests/fixtures/hunt/"* "$planted/"
cp "$HERE/../tests/fixtures/hunt/eval_request.php" "$planted/holiday.jpg"
printf '%s' 'X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' > "$planted/eicar.com"
# inert files that fire signature-base rules on the external variables, so
# the reverse check (yara given each file's own values) has matches to find:
# a header or a config line and the name that the rule asks for
printf 'MZ' > "$planted/Thumbs.db"                       # Exe_Cloaked_as_ThumbsDb (filename)
printf '!BDN' > "$planted/owa.aspx"                      # WEBSHELL_ASPX_ProxyShell_Aug21_1 (extension)
printf 'PK\003\004' > "$planted/passwords.xlsx"          # SUSP_Password_XLS_Unencrypted (filename)
for f in Thumbs.db owa.aspx passwords.xlsx; do head -c 60 /dev/zero >> "$planted/$f"; done
cp "$planted/owa.aspx" "$planted/owa.pst"                # the same bytes under a name no rule asks for
printf 'deploy ALL=(root) NOPASSWD: /usr/bin/vim /etc/motd\n' > "$planted/sudoers"    # VULN_Linux_Sudoers_Commands
printf "SELECT AES_ENCRYPT('card', 'inert-key');\n" > "$planted/.mysql_history"      # SUSP_AES_Key_in_MySql_History
printf '\nrootpw {SSHA}fsAEyxlFOtvZBwPLAF68zpUhth8lERoR\n' > "$planted/slapd.conf"  # VULN_Slapd_Conf_with_Default_Password
printf '#!/usr/bin/python3\nprint("inert")\n' > "$planted/photo.jpeg"             # SUSP_Known_Type_Cloaked_as_JPG (filetype Python)
printf '@echo off\necho inert\n' > "$planted/scan.jpg"                              # the same, filetype BATCH
DIRS="$DIRS $planted"

ms() { date +%s%3N; }
# CPU milliseconds (user + system) of the finished children of this shell so
# far: `times` must run in this shell (a $(...) subshell has its own zeros)
cpu_file="$work/times"
cpu_read() { awk 'NR == 2 { n = split($1, u, "m"); split($2, s, "m"); sub("s", "", u[2]); sub("s", "", s[2]);
	printf "%d", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 1000 }' "$cpu_file"; }

# shellcheck disable=SC2086
hunt() { "$RASOAT" hunt $DIRS --rules "$SB" --no-archives --max-size 4G --threads "$THREADS" \
	--format jsonl -q --fail-on none "$@"; }

# ---- part 0: the first hunt on a fresh host (no compiled-rules cache) ----
# rasoat compiles the rules (and caches them) and hunts; the peer compiles
# them with yarac and scans with yara -C. Two targets: the planted folder
# (a few files: the compile is all the cost) and FIRST_DIRS (mostly scanning).
FIRST_DIRS=${FIRST_DIRS:-/usr/bin}
EXT0="-d filename= -d filepath= -d extension= -d filetype= -d owner="
cpu_of() { awk '{ printf "%.2f", $2 + $3 }' "$1"; }
if command -v yara >/dev/null 2>&1 && command -v yarac >/dev/null 2>&1; then
	for target in "$planted" "$FIRST_DIRS"; do
		rm -rf "$work/fresh-cache" "$work/first.yarc"
		# shellcheck disable=SC2086
		RASOAT_CACHE="$work/fresh-cache" /usr/bin/time -f '%e %U %S' -o "$work/t.rasoat" \
			"$RASOAT" hunt $target --rules "$SB" --no-archives --max-size 4G --threads "$THREADS" \
			--no-db -q --fail-on none --format jsonl > /dev/null
		# shellcheck disable=SC2046,SC2086
		/usr/bin/time -f '%e %U %S' -o "$work/t.yarac" yarac -w $EXT0 $(ls "$SB"/*.yar "$SB"/*.yara 2>/dev/null) \
			"$work/first.yarc" 2>/dev/null
		: > "$work/t.yara"
		for d in $target; do
			# shellcheck disable=SC2086
			/usr/bin/time -f '%e %U %S' -a -o "$work/t.yara" yara -C -r -N -p "$THREADS" -w $EXT0 \
				"$work/first.yarc" "$d" > /dev/null 2>&1 || true
		done
		r=$(cpu_of "$work/t.rasoat")
		y=$(awk '{ s += $2 + $3 } END { printf "%.2f", s }' "$work/t.yarac" "$work/t.yara")
		echo "first hunt, fresh cache, over $target: rasoat $(cut -d' ' -f1 "$work/t.rasoat") s wall, $r CPU-s;" \
			"yarac + yara $(awk '{ s += $1 } END { printf "%.2f", s }' "$work/t.yarac" "$work/t.yara") s wall, $y CPU-s;" \
			"rasoat / yara CPU $(awk -v r="$r" -v y="$y" 'BEGIN { printf "%.2f", r / y }')x (goal <= 2x)"
	done
	echo "load average after part 0: $(cut -d' ' -f1-3 /proc/loadavg)"
	[ "${FIRST_ONLY:-0}" = 1 ] && exit 0
fi

echo "== rules: signature-base ($(ls "$SB" | wc -l) files) over $DIRS"
# one small file of each class (MZ, ELF or other start; under 1 MiB, under
# 16 MiB, larger; sparse) so that the warm-up also makes the class copies
# of the rule set, which a first hunt makes as it meets each class
classes="$work/classes"
mkdir -p "$classes"
for start in MZ ELF other; do
	for size in 64 2M 17M; do
		case $start in ELF) printf '\177ELF' ;; MZ) printf 'MZ' ;; *) printf 'other' ;; esac > "$classes/$start-$size"
		truncate -s "$size" "$classes/$start-$size"
	done
done
t0=$(ms); "$RASOAT" hunt "$classes" --rules "$SB" --no-db -q --fail-on none >/dev/null 2>&1 || true; t1=$(ms)
echo "rasoat: compile + cache the rule set and its class copies once:   $((t1 - t0)) ms"

if command -v yara >/dev/null 2>&1 && command -v yarac >/dev/null 2>&1; then
	# yara takes one target: the rules are compiled once with yarac (as rasoat
	# loads its cached set), then each directory is scanned
	peer="yara -C -r -N -p $THREADS (rules compiled once by yarac)"
	EXT="-d filename= -d filepath= -d extension= -d filetype= -d owner="
	# shellcheck disable=SC2046,SC2086
	yarac -w $EXT $(ls "$SB"/*.yar "$SB"/*.yara 2>/dev/null) "$work/sb.yarc" 2>"$work/yarac.err"
	peer_run() {
		: > "$work/yara.txt"
		for d in $DIRS; do
			# shellcheck disable=SC2086
			yara -C -r -N -p "$THREADS" -w $EXT "$work/sb.yarc" "$d" >> "$work/yara.txt" 2>>"$work/yara.err" || true
		done
	}
else
	# no yara command (apt-get could not install it): bench/yara_ref.c does the same work with libyara
	cc -O2 -o "$work/yara_ref" "$HERE/yara_ref.c" $(pkg-config --cflags --libs yara) -lpthread
	peer="yara_ref $THREADS (libyara, as yara -r -p $THREADS; the yara command is not installed)"
	peer_run() {
		# shellcheck disable=SC2046,SC2086
		"$work/yara_ref" "$THREADS" $(ls "$SB"/*.yar "$SB"/*.yara 2>/dev/null) -- $DIRS > "$work/yara.txt" 2>"$work/yara.err" || true
	}
fi
r_ms=
y_ms=
r_cpu=
y_cpu=
run=0
while [ $run -lt "$RUNS" ]; do
	run=$((run + 1))
	times > "$cpu_file"; c0=$(cpu_read)
	t0=$(ms); hunt --no-db > "$work/rasoat.jsonl"; t1=$(ms)
	times > "$cpu_file"; c1=$(cpu_read)
	if [ -z "$r_ms" ] || [ $((t1 - t0)) -lt "$r_ms" ]; then r_ms=$((t1 - t0)); fi
	if [ -z "$r_cpu" ] || [ $((c1 - c0)) -lt "$r_cpu" ]; then r_cpu=$((c1 - c0)); fi
	t0=$(ms); peer_run; t1=$(ms)
	times > "$cpu_file"; c2=$(cpu_read)
	if [ -z "$y_ms" ] || [ $((t1 - t0)) -lt "$y_ms" ]; then y_ms=$((t1 - t0)); fi
	if [ -z "$y_cpu" ] || [ $((c2 - c1)) -lt "$y_cpu" ]; then y_cpu=$((c2 - c1)); fi
done
bytes=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().splitlines()[-1])["modules"]["hunt"]["bytes"])' "$work/rasoat.jsonl")
files=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().splitlines()[-1])["modules"]["hunt"]["files"])' "$work/rasoat.jsonl")
echo "rasoat hunt ($THREADS threads, rules from cache), best of $RUNS: $r_ms ms, $files files, $bytes bytes, $(awk -v b="$bytes" -v t="$r_ms" 'BEGIN{printf "%.1f", b/1e6/(t/1000)}') MB/s"

echo "$peer, best of $RUNS: $y_ms ms, $(awk -v b="$bytes" -v t="$y_ms" 'BEGIN{printf "%.1f", b/1e6/(t/1000)}') MB/s"
awk -v r="$r_ms" -v y="$y_ms" 'BEGIN { printf "ratio peer/rasoat: %.2fx\n", y / r }'
# CPU time does not depend on what else the machine runs as much as wall time does
awk -v r="$r_cpu" -v y="$y_cpu" 'BEGIN { printf "CPU (user+sys), least of the runs: rasoat %.1f s, peer %.1f s, ratio peer/rasoat %.2fx\n", r / 1000, y / 1000, y / r }'
echo "load average at the end of part 1: $(cut -d' ' -f1-3 /proc/loadavg)"
if command -v yara >/dev/null 2>&1 && command -v yarac >/dev/null 2>&1; then
	python3 "$HERE/hunt_compare.py" "$SB" "$work/rasoat.jsonl" "$work/yara.txt"
else
	python3 "$HERE/hunt_compare.py" --checker "$work/yara_ref" "$SB" "$work/rasoat.jsonl" "$work/yara.txt"
fi

echo "== unchanged rescan (clean-file cache in the store)"
t0=$(ms); hunt --db "$work/h.db" >/dev/null; t1=$(ms); first=$((t1 - t0))
t0=$(ms); hunt --db "$work/h.db" > "$work/second.jsonl"; t1=$(ms); second=$((t1 - t0))
skipped=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().splitlines()[-1])["modules"]["hunt"]["skipped_reasons"]["unchanged_since_clean"])' "$work/second.jsonl")
echo "first hunt with --db:  $first ms"
echo "second hunt, nothing changed: $second ms ($skipped files skipped as unchanged)"
awk -v a="$first" -v b="$second" 'BEGIN { if (b > 0) printf "speed-up:              %.1fx\n", a / b }'

echo "== --trust-packages over /usr (package files whose MD5 matches dpkg's record skip YARA)"
t0=$(ms); "$RASOAT" hunt /usr --rules "$SB" --no-archives --threads "$THREADS" --no-db -q --fail-on none \
	--format jsonl > "$work/notrust.jsonl"; t1=$(ms); plain=$((t1 - t0))
t0=$(ms); "$RASOAT" hunt /usr --rules "$SB" --no-archives --threads "$THREADS" --no-db -q --fail-on none \
	--format jsonl --trust-packages > "$work/trust.jsonl"; t1=$(ms); trusted=$((t1 - t0))
verified=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().splitlines()[-1])["modules"]["hunt"]["skipped_reasons"]["package_verified"])' "$work/trust.jsonl")
echo "rasoat hunt /usr:                  $plain ms"
echo "rasoat hunt /usr --trust-packages: $trusted ms ($verified files verified against dpkg md5sums)"
awk -v a="$plain" -v b="$trusted" 'BEGIN { if (b > 0) printf "speed-up:                          %.1fx\n", a / b }'
