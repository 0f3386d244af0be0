"""End-to-end: context-aware webshell verdicts. A webshell rule (ATT&CK
T1505.003) whose own score is in the notice band (45: low) makes a finding
of at least medium for a file under a web root (/var/www, /srv/www,
/usr/share/nginx/html), with an evidence "context" saying why, and stays
low for the same bytes under /tmp; a notice-band rule that is not about
webshells stays low under the web root too. Directories declared only in
the scanned root's web server configurations count as web roots: an nginx
root and alias in a site included from nginx.conf, an Apache DocumentRoot
in an IncludeOptional'd site, a PHP-FPM pool's chdir and a Tomcat
Context's docBase; the same file in an undeclared directory beside them
stays low; so does a directory declared with --webroot."""
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
            "/srv/custom/public/up/c.txt": "inert-webroot-marker-shell",
            "/data/uploads/d.txt": "inert-webroot-marker-shell",
            "/opt/site/htdocs/e.txt": "inert-webroot-marker-shell",
            "/home/app/www/f.txt": "inert-webroot-marker-shell",
            "/data/jsp-app/g.txt": "inert-webroot-marker-shell",
            "/srv/undeclared/h.txt": "inert-webroot-marker-shell",
            "/srv/declared/i.txt": "inert-webroot-marker-shell",
        }
        confs = {
            "/etc/nginx/nginx.conf": "http {\n  # root /srv/undeclared;\n  include /etc/nginx/sites-enabled/*;\n}\n",
            "/etc/nginx/sites-enabled/app": "server {\n  listen 80;\n  root \"/srv/custom/public\";\n"
                                            "  location /files/ { alias /data/uploads/; }\n}\n",
            "/etc/apache2/apache2.conf": "ServerRoot /etc/apache2\nIncludeOptional sites-enabled/*.conf\n",
            "/etc/apache2/sites-enabled/site.conf": "<VirtualHost *:80>\n  DocumentRoot \"/opt/site/htdocs\"\n"
                                                    "  <Directory />\n  </Directory>\n</VirtualHost>\n",
            "/etc/php/8.2/fpm/pool.d/app.conf": "[app]\nchdir = /home/app/www\n",
            "/etc/tomcat9/server.xml": "<Server><Service><Engine><Host name=\"x\" appBase=\"webapps\">"
                                       "<Context path=\"/j\" docBase=\"/data/jsp-app\"/></Host></Engine></Service></Server>\n",
        }
        for p, text in confs.items():
            full = root + p
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w") as f:
                f.write(text)
        for p, text in places.items():
            full = root + p
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w") as f:
                f.write(f"<?php // {text}\n")
        rules = os.path.join(tmp, "test.yar")
        with open(rules, "w") as f:
            f.write(RULES)
        code, out, err = run("hunt", "--root", root, "/var/www", "/usr/share/nginx", "/tmp", "/srv", "/data", "/opt",
                             "/home", "--webroot", "/srv/declared", "--rules", rules,
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
        for p in ("/srv/custom/public/up/c.txt", "/data/uploads/d.txt", "/opt/site/htdocs/e.txt",
                  "/home/app/www/f.txt", "/data/jsp-app/g.txt"):
            check(sev.get(p) == "medium", f"{p}, in a directory only a configuration declares, is medium ({sev})")
        check(sev.get("/srv/undeclared/h.txt") == "low", f"the same bytes in an undeclared directory stay low ({sev})")
        check(sev.get("/srv/declared/i.txt") == "medium", f"a directory given with --webroot counts as served ({sev})")
    finally:
        shutil.rmtree(tmp)
    done("test_hunt_webroot", 12)


if __name__ == "__main__":
    main()
