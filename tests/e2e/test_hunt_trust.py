"""End-to-end: package trust. A file whose MD5 matches the digest its
package recorded (dpkg info/*.md5sums) is not run through YARA with
--trust-packages (and by default in `rasoat scan`), and is counted as
package-verified; a package file whose bytes differ from the record is
hunted; `rasoat hunt` does not trust packages unless asked."""
import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import Tree, check, done, findings, jsonl, run, summary  # noqa: E402

SHELL = "<?php exit('rasoat inert test sample'); ?>\n<?php if (isset($_GET['c'])) { system($_GET['c']); } ?>\n"


def main():
    passed = 0
    with Tree() as t:
        t.write("usr/share/tool/as-shipped.php", SHELL)
        t.write("usr/share/tool/tampered.php", SHELL + "// changed\n")
        t.write("usr/share/tool/conf.php", SHELL)
        md5 = hashlib.md5(SHELL.encode()).hexdigest()
        t.write("var/lib/dpkg/info/tool.list", "/usr\n/usr/share\n/usr/share/tool\n/usr/share/tool/as-shipped.php\n"
                "/usr/share/tool/tampered.php\n")
        t.write("var/lib/dpkg/info/tool.md5sums", f"{md5}  usr/share/tool/as-shipped.php\n"
                f"{md5}  usr/share/tool/tampered.php\n")
        rule = "yara:RASOAT_PHP_Webshell_Command_On_Request"

        def paths(out):
            return sorted(f["evidence"]["path"] for f in findings(jsonl(out)) if f["rule"] == rule)

        code, out, err = run("hunt", "--root", t.path, "/usr", "--trust-packages", "--no-db", "--format", "jsonl",
                             "-q", "--fail-on", "none")
        check(paths(out) == ["/usr/share/tool/conf.php", "/usr/share/tool/tampered.php"],
              f"the verified package file is skipped, the tampered one and the unowned one are not: {paths(out)}")
        s = summary(jsonl(out))["modules"]["hunt"]
        check(s["skipped_reasons"]["package_verified"] == 1, f"counted: {s['skipped_reasons']}")
        passed += 2

        code, out, err = run("hunt", "--root", t.path, "/usr", "--no-db", "--format", "jsonl", "-q", "--fail-on", "none")
        check(len(paths(out)) == 3, "rasoat hunt trusts no package unless asked")
        passed += 1

        code, out, err = run("scan", "--root", t.path, "--only", "hunt", "--no-db", "--format", "jsonl", "-q",
                             "--fail-on", "none")
        check(paths(out) == ["/usr/share/tool/conf.php", "/usr/share/tool/tampered.php"],
              f"rasoat scan trusts packages by default: {paths(out)}")
        code, out, err = run("scan", "--root", t.path, "--only", "hunt", "--no-trust-packages", "--no-db",
                             "--format", "jsonl", "-q", "--fail-on", "none")
        check(len(paths(out)) == 3, "--no-trust-packages")
        passed += 2
    done("test_hunt_trust", passed)


if __name__ == "__main__":
    main()
