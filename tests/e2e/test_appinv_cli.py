"""`rasoat vuln --inventory`: the fixture tree's libraries as JSON lines (one
per package, five fields), -o FILE, --root, a malformed file warned about by
name while the rest is printed, and exit 2 with a clear message when no
application directory can be read or an argument is not an option."""
import json
import os
import shutil

from rasoat_e2e import Tree, check, done, run

FIXTURES = os.environ.get("RS_FIXTURES") or os.path.join(os.path.dirname(__file__), "..", "fixtures")
APPS = os.path.join(FIXTURES, "apps")
checks = 0


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


code, out, err = run("vuln", "--inventory", "--apps", APPS)
ok(code == 0, f"exit {code}: {err}")
lines = [json.loads(l) for l in out.splitlines()]
ok(all(set(l) == {"ecosystem", "name", "version", "source", "application"} for l in lines), "five fields")
counts = {}
for l in lines:
    counts[l["ecosystem"]] = counts.get(l["ecosystem"], 0) + 1
ok(counts == {"npm": 21, "PyPI": 12, "Packagist": 6, "RubyGems": 4, "crates.io": 1}, f"counts {counts}")
express = [l for l in lines if l["name"] == "express"]
ok(len(express) == 1 and express[0]["source"] == os.path.join(APPS, "node/lockonly/package-lock.json")
   and express[0]["application"] == os.path.join(APPS, "node/lockonly"), f"express {express}")
ok("node/installed/node_modules/broken/package.json: not JSON" in err, f"malformed manifest warned: {err}")
ok(out == "".join(sorted(out.splitlines(True), key=lambda l: (json.loads(l)["ecosystem"], json.loads(l)["name"],
                                                                json.loads(l)["version"], json.loads(l)["source"]))),
   "sorted by ecosystem, name, version, source")

with Tree() as t:
    # --root: host paths inside another root, shown as the host names them
    shutil.copytree(os.path.join(APPS, "rust"), t.p("srv/rust"))
    path = t.p("out.jsonl")
    code, out, err = run("vuln", "--inventory", "--root", t.path, "--apps", "/srv", "-o", path, "-q")
    ok(code == 0 and out == "", f"-o: exit {code}, stdout {out!r}")
    with open(path) as f:
        got = [json.loads(l) for l in f]
    ok(got == [{"ecosystem": "crates.io", "name": "serde", "version": "1.0.190",
                "source": "/srv/rust/app/Cargo.lock", "application": "/srv/rust/app"}], f"--root {got}")

code, out, err = run("vuln", "--inventory", "--apps", "/nonexistent-rasoat-apps")
ok(code == 2 and "no application directory could be read" in err, f"absent: {code} {err}")
code, out, err = run("vuln", "--inventory", "stray")
ok(code == 2 and "unexpected argument stray" in err, f"stray: {code} {err}")
code, out, err = run("vuln", "--inventory", "--help")
ok(code == 0 and "--apps DIR" in out, f"help: {code} {out}")
done("test_appinv_cli", checks)
