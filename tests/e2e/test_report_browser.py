"""End-to-end: the HTML report of a scan with many findings in Debian's
chromium (headless, driven by playwright-core; see report_browser.js): no
horizontal overflow at 1400, 1280 and 1024 px, the findings table fits, a
grouped rule's objects open, the filter works, no console error, nothing
fetched. Skips with a clear line when node, chromium or playwright-core
(scripts/playwright.sh build-test) are absent.

`RS_SHOT=docs/report-screenshot.png` makes it also write the README's
screenshot (scripts/report-screenshot.sh does that)."""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import RASOAT, Tree, check, done, run  # noqa: E402

RULES = """
rule Test_Many { meta: description = "marker many" score = 60
  strings: $a = "rasoat-report-marker" condition: $a }
rule Test_Webshell { meta: description = "PHP webshell marker" score = 85 mitre_attack = "T1505.003"
  strings: $a = "twice-marker-a" $b = "twice-marker-b" condition: any of them }
"""


def main():
    node = shutil.which("node")
    modules = os.path.join(os.path.dirname(os.path.abspath(RASOAT)), "node_modules")
    if not node or not os.path.exists("/usr/bin/chromium") or \
            not os.path.isdir(os.path.join(modules, "playwright-core")):
        print("SKIP: needs node, /usr/bin/chromium (scripts/deps.sh test) and playwright-core "
              "(scripts/playwright.sh build-test)")
        done("test_report_browser", 0)
        return
    with Tree() as t:
        t.write("rules/test.yar", RULES)
        for i in range(60):
            t.write(f"srv/www/uploads/very/long/directory/name/for/wrapping/f{i:02d}-{'x' * 60}.txt",
                    f"file {i} rasoat-report-marker\n")
        t.write("srv/www/shell.php", b"<?php // twice-marker-a twice-marker-b\n")
        page = t.p("report.html")
        code, _, err = run("hunt", t.p("srv"), "--rules", t.p("rules"), "--no-db", "-q", "--format", "html",
                           "-o", page, "--fail-on", "none", "--no-trust-packages")
        check(code == 0, f"exit 0: {err[-1500:]}")
        env = dict(os.environ, NODE_PATH=modules, RS_REPORT=page)
        p = subprocess.run([node, os.path.join(os.path.dirname(__file__), "report_browser.js")],
                           capture_output=True, text=True, env=env, timeout=240)
        print(p.stdout[-3000:])
        check(p.returncode == 0, f"browser checks: {p.stdout[-1500:]} {p.stderr[-1500:]}")
        passed = p.stdout.count("\nok ") + p.stdout.startswith("ok ")
    done("test_report_browser", passed)


if __name__ == "__main__":
    main()
