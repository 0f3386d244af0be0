#!/bin/sh
# bench/webshell.sh — recall of hunt on a webshell corpus, per language.
# CORPUS_DIR holds heldout/<lang>/ (and tune/<lang>/, not read here), as
# docs/HUNT.md ("Webshell corpus") describes how it is built. Over the
# held-out part it runs, per language directory:
#   1. rasoat hunt with the bundled rules alone,
#   2. rasoat hunt with the bundled rules and signature-base's yara/,
#   3. yara -r with signature-base (compiled once by yarac, externals empty),
# and prints the share of files found at medium or above (rasoat) and the
# share of files matched by any rule (yara); yara-only counts the files
# yara flags that rasoat with signature-base does not report at medium or above.
# Each language directory is hunted as a directory a web server serves
# (--webroot), where webshells are found: a webshell rule's match there is
# at least medium (docs/HUNT.md, "Web roots"). WEBROOT=0 hunts it as any
# other directory.
# Usage: bench/webshell.sh CORPUS_DIR [RASOAT]   (default build/rasoat)
# PART=tune measures the tuning part instead; YARA_ONLY=FILE appends the
# paths of the yara-only files to FILE (for the tuning part only: the
# held-out files are not to be looked at). LABEL=1 keeps only the Python and
# Node.js files that are webshells by the criterion of docs/HUNT.md
# ("Labels", bench/webshell_label.py: serves web requests and holds a
# command, eval or file sink), read from the files' text alone; the other
# languages keep their extension label. LANGS="python node" measures only
# the languages named.
set -eu
CORPUS=${1:?usage: bench/webshell.sh CORPUS_DIR [RASOAT]}
RASOAT=${2:-build/rasoat}
HERE=$(cd "$(dirname "$0")" && pwd)
SB=${SB:-$HERE/../../shared/corpora/signature-base/yara}
[ -d "$SB" ] || SB=/work/shared/corpora/signature-base/yara
PART=${PART:-heldout}
WEBROOT=${WEBROOT:-1}
[ -d "$CORPUS/$PART" ] || { echo "no $CORPUS/$PART (see docs/HUNT.md, Webshell corpus)"; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export RASOAT_CACHE="$work/cache"
have_sb=0
[ -d "$SB" ] && have_sb=1
have_yara=0
if [ $have_sb = 1 ] && command -v yara >/dev/null 2>&1 && command -v yarac >/dev/null 2>&1; then
	EXT="-d filename= -d filepath= -d extension= -d filetype= -d owner="
	# shellcheck disable=SC2046,SC2086
	yarac -w $EXT $(ls "$SB"/*.yar "$SB"/*.yara 2>/dev/null) "$work/sb.yarc" 2>"$work/yarac.err" && have_yara=1
fi

# count LANGDIR JSONL: files of LANGDIR named by a finding at medium or above
count() {
	python3 - "$@" <<'PY'
import json, sys
d, f = sys.argv[1], sys.argv[2]
hit = set()
for line in open(f, encoding="utf-8", errors="replace"):
    try:
        o = json.loads(line)
    except ValueError:
        continue
    if o.get("type") != "finding" or o.get("severity") not in ("medium", "high", "critical"):
        continue
    p = (o.get("evidence") or {}).get("path", "")
    if p.startswith(d + "/"):
        hit.add(p.split("!", 1)[0])
print(len(hit))
if len(sys.argv) > 3:
    with open(sys.argv[3], "w") as out:
        out.write("".join(p + "\n" for p in sorted(hit)))
PY
}

# LABEL=1: copies of the files that meet the webshell criterion, per language;
# LABEL=both: the extension-labelled directories, then the Python and Node.js
# ones again under the webshell label (rows python-web, node-web), in one run
dirs=""
for dir in "$CORPUS/$PART"/*/; do
	lang=$(basename "$dir")
	case " ${LANGS:-$lang} " in *" $lang "*) ;; *) continue ;; esac
	case "${LABEL:-0}" in
	1 | both)
		mkdir -p "$work/labelled/$lang"
		python3 "$HERE/webshell_label.py" "${dir%/}" | while IFS= read -r f; do
			cp -p "$f" "$work/labelled/$lang/"
		done ;;
	esac
	case "${LABEL:-0}" in
	1) dirs="$dirs $work/labelled/$lang" ;;
	*) dirs="$dirs ${dir%/}" ;;
	esac
done
if [ "${LABEL:-0}" = both ]; then
	for lang in python node; do
		[ -d "$work/labelled/$lang" ] || continue
		mv "$work/labelled/$lang" "$work/labelled/$lang-web"
		dirs="$dirs $work/labelled/$lang-web"
	done
fi

printf '%-10s %6s %16s %16s %16s %10s\n' lang files bundled "bundled+sigbase" "yara sigbase" "yara-only"
for dir in $dirs; do
	lang=$(basename "$dir")
	n=$(find "$dir" -type f | wc -l)
	served=""
	[ "$WEBROOT" = 1 ] && served="--webroot $(cd "$dir" && pwd -P)"
	# shellcheck disable=SC2086
	"$RASOAT" hunt "$dir" $served --no-db --no-archives --format jsonl -q --fail-on none -o "$work/b.jsonl" 2>/dev/null || true
	b=$(count "$dir" "$work/b.jsonl")
	s=-
	if [ $have_sb = 1 ]; then
		# shellcheck disable=SC2086
		"$RASOAT" hunt "$dir" $served --rules "$SB" --no-db --no-archives --format jsonl -q --fail-on none -o "$work/s.jsonl" 2>/dev/null || true
		s=$(count "$dir" "$work/s.jsonl" "$work/s.files")
	fi
	y=-
	only=-
	if [ $have_yara = 1 ]; then
		# shellcheck disable=SC2086
		yara -C -r -w $EXT "$work/sb.yarc" "$dir" 2>/dev/null | sed 's/^[^ ]* //' | sort -u > "$work/y.files"
		y=$(wc -l < "$work/y.files")
		[ $have_sb = 1 ] && only=$(comm -23 "$work/y.files" "$work/s.files" | wc -l)
		# YARA_ONLY=FILE appends the yara-only paths (tuning part: to look at them)
		[ $have_sb = 1 ] && [ -n "${YARA_ONLY:-}" ] && comm -23 "$work/y.files" "$work/s.files" >> "$YARA_ONLY"
	fi
	pct() { case $1 in -) echo - ;; *) awk -v a="$1" -v n="$n" 'BEGIN { printf "%d (%.0f%%)", a, n ? 100 * a / n : 0 }' ;; esac; }
	printf '%-10s %6d %16s %16s %16s %10s\n' "$lang" "$n" "$(pct "$b")" "$(pct "$s")" "$(pct "$y")" "$only"
done
