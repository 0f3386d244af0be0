"""End-to-end: no false alarm on real web applications. Hunts, with the
bundled rules alone and package trust off (rasoat hunt PATH scans every
file; --trust-packages is not given), the code of the Debian packages of
popular web applications (wordpress, mediawiki, phpmyadmin, roundcube,
dokuwiki, the Laravel and Symfony libraries under /usr/share/php) and this
machine's /usr/lib/node_modules, and asserts zero findings at medium or
above. A package that is not installed is skipped with a line saying so
(scripts/deps.sh test installs them). To stay within about a minute and a
half under ASan, MediaWiki is hunted on its PHP files only (its 18,000
other files are JavaScript libraries, images and messages); the other
trees are hunted whole."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import check, done, findings, jsonl, run  # noqa: E402

MEDIUM_UP = ("medium", "high", "critical")
# package -> the directory its code lives in
TREES = [
    ("wordpress", "/usr/share/wordpress", None),
    ("mediawiki", "/usr/share/mediawiki", ".php"),
    ("phpmyadmin", "/usr/share/phpmyadmin", None),
    ("roundcube-core", "/usr/share/roundcube", None),
    ("dokuwiki", "/usr/share/dokuwiki", None),
    ("php-laravel-framework", "/usr/share/php/Illuminate", None),
    ("php-symfony-console", "/usr/share/php/Symfony", None),
    ("(php libraries)", "/usr/share/php", None),
    ("(node modules)", "/usr/lib/node_modules", None),
]


def installed(pkg):
    if pkg.startswith("("):
        return True
    try:
        with open("/var/lib/dpkg/status", encoding="utf-8", errors="replace") as f:
            block = f.read().split("\n\n")
    except OSError:
        return False
    return any(b.startswith(f"Package: {pkg}\n") and "Status: install ok installed" in b for b in block)


def files_of(root, suffix):
    out = []
    for d, dirs, fs in os.walk(root):
        dirs[:] = [x for x in dirs if not os.path.islink(os.path.join(d, x))]
        out += [os.path.join(d, f) for f in fs if f.endswith(suffix)
                and not os.path.islink(os.path.join(d, f))]
    return sorted(out)


def main():
    paths, seen = [], set()
    for pkg, root, suffix in TREES:
        if not installed(pkg) or not os.path.isdir(root):
            print(f"SKIP {pkg}: not installed ({root} absent); scripts/deps.sh test installs it")
            continue
        if any(root.startswith(p + "/") for p in seen):
            continue    # already inside a tree hunted whole
        seen.add(root)
        paths += files_of(root, suffix) if suffix else [root]
    if not paths:
        print("SKIP: none of the clean web applications is installed")
        done("test_hunt_cleanweb", 0)
        return
    t0 = time.monotonic()
    code, out, err = run("hunt", *paths, "--no-db", "--format", "jsonl", "--fail-on", "none",
                         "--no-archives", timeout=600)
    took = time.monotonic() - t0
    check(code == 0, f"hunt exits 0 (got {code}: {err[-500:]})")
    lines = jsonl(out)
    summ = lines[-1]
    hunt = summ.get("modules", {}).get("hunt", {})
    scanned = hunt.get("files", 0)
    check(hunt.get("skipped_reasons", {}).get("package_verified", 0) == 0, "package trust is off: no file skipped as package-verified")
    check(scanned >= len(paths), f"every file was scanned ({scanned} of at least {len(paths)})")
    bad = [f for f in findings(lines) if f["severity"] in MEDIUM_UP]
    check(not bad, "no finding at medium or above on clean web applications, got:\n" +
          "\n".join(f"{f['severity']} {f['rule']} {f.get('evidence', {}).get('path')}" for f in bad[:20]))
    print(f"hunted {len(paths)} paths ({scanned} files scanned) in {took:.1f} s: 0 findings at medium or above")
    done("test_hunt_cleanweb", 4)


if __name__ == "__main__":
    main()
