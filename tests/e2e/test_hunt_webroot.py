"""End-to-end: context-aware webshell verdicts. A webshell rule (ATT&CK
T1505.003) whose own score is in the notice band (45: low) makes a finding
of at least medium for a file under a web root (/var/www, /srv/www,
/usr/share/nginx/html), with an evidence "context" saying why, and stays
low for the same bytes under /tmp; a notice-band rule that is not about
webshells stays low under the web root too."""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import check, done, findings, jsonl, run  # noqa: E402

RULES = """
rule Test_Notice_Webshell
{
	meta:
		score = 45
		mitre_attack = "T1505.003"
	strings:
		$a = "inert-webroot-marker-shell"
	condition:
		$a
}
rule Test_Notice_Other
{
	meta:
		score = 45
	strings:
		$a = "inert-webroot-marker-other"
	condition:
		$a
}
"""


def main():
    tmp = tempfile.mkdtemp(prefix="rasoat-webroot-")
    try:
        root = os.path.join(tmp, "root")
        places = {
            "/var/www/html/up/a.txt": "inert-webroot-marker-shell",
            "/usr/share/nginx/html/b.txt": "inert-webroot-marker-shell",
            "/tmp/unpacked/a.txt": "inert-webroot-marker-shell",
            "/var/www/html/other.txt": "inert-webroot-marker-other",
        }
        for p, text in places.items():
            full = root + p
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w") as f:
                f.write(f"<?php // {text}\n")
        rules = os.path.join(tmp, "test.yar")
        with open(rules, "w") as f:
            f.write(RULES)
        code, out, err = run("hunt", "--root", root, "/var/www", "/usr/share/nginx", "/tmp", "--rules", rules,
                             "--no-db", "--format", "jsonl", "--fail-on", "none", "--no-archives", timeout=300)
        check(code == 0, f"hunt exits 0 (got {code}: {err[-500:]})")
        sev = {}
        ctx = {}
        for f in findings(jsonl(out)):
            p = f["evidence"].get("path", "")
            for want in places:
                if p.endswith(want):
                    sev[want] = f["severity"]
                    ctx[want] = f["evidence"].get("context")
        check(sev.get("/var/www/html/up/a.txt") == "medium", f"a notice-band webshell match under /var/www is medium ({sev})")
        check(sev.get("/usr/share/nginx/html/b.txt") == "medium", f"... and under /usr/share/nginx/html ({sev})")
        check(bool(ctx.get("/var/www/html/up/a.txt")), f"the evidence says why ({ctx})")
        check(sev.get("/tmp/unpacked/a.txt") == "low", f"the same bytes under /tmp stay low ({sev})")
        check(sev.get("/var/www/html/other.txt") == "low", f"a notice-band rule that is not about webshells stays low ({sev})")
    finally:
        shutil.rmtree(tmp)
    done("test_hunt_webroot", 5)


if __name__ == "__main__":
    main()
