"""End-to-end: a webshell match on a file that no package owns and that was
modified recently, under a directory a web server serves, is raised one
step above the web-root verdict, with an evidence field saying why
("context_recent_unowned"). In a fixture root with a dpkg database:
a notice-band webshell match (45) on a recent unowned file under /var/www
is high (medium from the web root, one step more); the same bytes modified
100 days ago, owned by a package, or outside a web root are not raised; a
notice-band rule that is not about webshells is not raised; a medium-band
webshell match (65) goes to high and a high one (85) stays high (the cap).
With `webroot_recent_days = 0` in the configuration nothing is raised, and
with `webroot_recent_days = 200` the 100-day-old file is raised too."""
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import check, done, findings, jsonl, run  # noqa: E402

RULES = """
rule Test_Notice_Webshell
{
	meta:
		score = 45
		mitre_attack = "T1505.003"
	strings:
		$a = "inert-recent-marker-shell"
	condition:
		$a
}
rule Test_Medium_Webshell
{
	meta:
		score = 65
		mitre_attack = "T1505.003"
	strings:
		$a = "inert-recent-marker-medium"
	condition:
		$a
}
rule Test_High_Webshell
{
	meta:
		score = 85
		mitre_attack = "T1505.003"
	strings:
		$a = "inert-recent-marker-high"
	condition:
		$a
}
rule Test_Notice_Other
{
	meta:
		score = 45
	strings:
		$a = "inert-recent-marker-other"
	condition:
		$a
}
"""

DAY = 86400
# host path -> (marker, age in days)
PLACES = {
    "/var/www/html/up/new.php": ("shell", 0),
    "/var/www/html/up/old.php": ("shell", 100),
    "/var/www/html/shipped.php": ("shell", 0),
    "/srv/app/new.php": ("shell", 0),
    "/var/www/html/up/other.php": ("other", 0),
    "/var/www/html/up/mid.php": ("medium", 0),
    "/var/www/html/up/top.php": ("high", 0),
}


def hunt(root, rules, config):
    code, out, err = run("hunt", "--root", root, "/var/www", "/srv", "--rules", rules, "--config", config,
                         "--no-db", "--format", "jsonl", "--fail-on", "none", "--no-archives", timeout=300)
    check(code == 0, f"hunt exits 0 (got {code}: {err[-500:]})")
    sev, why = {}, {}
    for f in findings(jsonl(out)):
        p = f["evidence"].get("path", "")
        if p in PLACES:
            sev[p] = f["severity"]
            why[p] = f["evidence"].get("context_recent_unowned")
    return sev, why


def main():
    tmp = tempfile.mkdtemp(prefix="rasoat-recent-")
    passed = 0
    try:
        root = os.path.join(tmp, "root")
        now = time.time()
        for p, (marker, age) in PLACES.items():
            full = root + p
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w") as f:
                f.write(f"<?php // inert-recent-marker-{marker}\n")
            os.utime(full, (now - age * DAY, now - age * DAY))
        info = os.path.join(root, "var/lib/dpkg/info")
        os.makedirs(info)
        with open(os.path.join(info, "site.list"), "w") as f:
            f.write("/var\n/var/www\n/var/www/html\n/var/www/html/shipped.php\n")
        rules = os.path.join(tmp, "test.yar")
        with open(rules, "w") as f:
            f.write(RULES)
        config = os.path.join(tmp, "rasoat.conf")

        with open(config, "w") as f:
            f.write("# defaults\n")
        sev, why = hunt(root, rules, config)
        check(sev.get("/var/www/html/up/new.php") == "high",
              f"a recent unowned file under a web root: medium from the web root, one step more ({sev})")
        check(bool(why.get("/var/www/html/up/new.php")), f"the evidence says why ({why})")
        check(sev.get("/var/www/html/up/old.php") == "medium", f"the same file modified 100 days ago is not raised ({sev})")
        check(not why.get("/var/www/html/up/old.php"), f"... and its evidence has no such reason ({why})")
        check(sev.get("/var/www/html/shipped.php") == "medium", f"a file a package owns is not raised ({sev})")
        check(sev.get("/srv/app/new.php") == "low", f"outside a web root (an undeclared /srv directory) nothing is raised ({sev})")
        check(sev.get("/var/www/html/up/other.php") == "low", f"a rule not about webshells is not raised ({sev})")
        check(sev.get("/var/www/html/up/mid.php") == "high", f"a medium webshell match goes to high ({sev})")
        check(sev.get("/var/www/html/up/top.php") == "high", f"a high one stays high: the cap ({sev})")
        passed += 9

        with open(config, "w") as f:
            f.write("webroot_recent_days = 0\n")
        sev, why = hunt(root, rules, config)
        check(sev.get("/var/www/html/up/new.php") == "medium" and not any(why.values()),
              f"webroot_recent_days = 0 turns the step off ({sev}, {why})")
        passed += 1

        with open(config, "w") as f:
            f.write("webroot_recent_days = 200\n")
        sev, why = hunt(root, rules, config)
        check(sev.get("/var/www/html/up/old.php") == "high", f"webroot_recent_days = 200: the 100-day-old file is recent ({sev})")
        passed += 1
    finally:
        shutil.rmtree(tmp)
    done("test_hunt_webroot_recent", passed)


if __name__ == "__main__":
    main()
