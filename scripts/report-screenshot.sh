#!/bin/sh
# Takes the README's screenshot (docs/report-screenshot.png) of the HTML
# report of the current build: the deep fixture root (tests/fixtures/deep,
# 44 planted artefacts beside clean look-alikes) scanned with every module,
# the report rendered by Debian's headless chromium at 1400 px.
# Usage: scripts/report-screenshot.sh [RASOAT] [OUT.png]
set -eu
rasoat=${1:-build/rasoat}
out=${2:-docs/report-screenshot.png}
command -v chromium >/dev/null 2>&1 || { echo "chromium is missing: scripts/deps.sh test installs it" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/root" <<'PY'
import sys
sys.path.insert(0, "tests/fixtures/deep")
sys.path.insert(0, "tests/e2e")
import deepfixture
from rasoat_e2e import Tree


class Fixed(Tree):
    """A Tree at a fixed path that is not removed at the end."""

    def __init__(self, path):
        import os
        os.makedirs(path)
        self.path = path


deepfixture.build(Fixed(sys.argv[1]))
PY
"$rasoat" scan --root "$work/root" --no-db -q --format html -o "$work/report.html" --fail-on none
chromium --headless --no-sandbox --hide-scrollbars --window-size=1400,1100 \
	--screenshot="$work/shot.png" "file://$work/report.html" >/dev/null 2>&1
cp "$work/shot.png" "$out"
echo "rasoat: $out taken from $("$rasoat" --version)"
