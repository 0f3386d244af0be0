"""rasoat vuln on application libraries (issue 14): a fixture root (Debian 12
packages) with applications under /srv and /opt (package-lock.json, Python
site-packages, composer.lock, Cargo.lock, Gemfile.lock, a JAR built here)
and OSV records per ecosystem (tests/fixtures/vuln/osv-apps/feed: SEMVER and
ECOSYSTEM ranges, GIT ranges, a withdrawn record, aliases, a versions list)
give exactly the expected (library, advisory) pairs, each naming the
declaring file and the application; the same through the store after
`rasoat vuln import`; --apps restricts the walk, --no-apps turns it off;
with --threads 1 and 2 (the inventory beside the feed, the OSV folder in
two shares, matching and findings in two threads) the findings are the
same, line for line and in the same order.

The expectation is fixed and derived by hand (Python's stdlib has none of
the ecosystems' orderings; tests/e2e/test_version_eco.py checks those
against the ecosystems' own tools). Why each pair is there, or not, is
written beside it."""
import json
import os
import shutil
import zipfile

from rasoat_e2e import Tree, check, done, findings, jsonl, run, summary

checks = 0


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


FIX = os.path.join(os.environ.get("RS_FIXTURES", os.path.join(os.path.dirname(__file__), "..", "fixtures")), "vuln")
APPS = os.path.join(FIX, "osv-apps", "apps")
FEED = os.path.join(FIX, "osv-apps", "feed")

# (ecosystem, package, installed, id, fixed ("" = no fix), declaring file)
EXPECTED = {
    # npm: lodash below the SEMVER fix; "Lodash" 4.17.0 is another package (npm names are case-sensitive)
    ("npm", "lodash", "4.17.15", "CVE-2099-0001", "4.17.19", "/srv/webshop/package-lock.json"),
    # two ECOSYSTEM segments (0..0.2.1, 1.0.0..1.2.2) and a GIT range that is skipped
    ("npm", "minimist", "1.2.0", "CVE-2099-0002", "1.2.2", "/srv/webshop/package-lock.json"),
    # 7.0.0 <= 7.5.1 < 7.5.2; the withdrawn GHSA-test-0004 (all versions) gives nothing
    ("npm", "semver", "7.5.1", "CVE-2099-0003", "7.5.2", "/srv/webshop/package-lock.json"),
    # pre-releases: 5.0.0-beta.1 < 5.0.0-beta.3; no CVE, the advisory id is the key; not GHSA-test-0006
    # (4.0.0..4.18.2 last_affected: 5.0.0-beta.1 is above it)
    ("npm", "express", "5.0.0-beta.1", "GHSA-test-0005", "5.0.0-beta.3", "/srv/webshop/package-lock.json"),
    ("npm", "@babel/traverse", "7.23.1", "CVE-2099-0007", "7.23.2", "/srv/webshop/package-lock.json"),
    # PyPI: "Jinja2" in one record, "jinja2" in its PYSEC twin: PEP 503 names, one finding per CVE
    ("PyPI", "jinja2", "2.10", "CVE-2099-0101", "2.10.1",
     "/srv/pyapp/venv/lib/python3.11/site-packages/Jinja2-2.10.dist-info/METADATA"),
    # a versions list only (with a legacy string PEP 440 refuses, ignored): affected, no fix named
    ("PyPI", "pyyaml", "5.3.1", "CVE-2099-0102", "",
     "/srv/pyapp/venv/lib/python3.11/site-packages/PyYAML-5.3.1.dist-info/METADATA"),
    # 3.2a1 <= 3.2 < 3.2.1 (not PYSEC-test-0104: 4.0..4.0.5)
    ("PyPI", "django", "3.2", "CVE-2099-0103", "3.2.1",
     "/srv/pyapp/venv/lib/python3.11/site-packages/django-3.2.dist-info/METADATA"),
    # Packagist: "v7.4.4" normalises to 7.4.4.0 < 7.4.5
    ("Packagist", "guzzlehttp/guzzle", "v7.4.4", "CVE-2099-0201", "7.4.5", "/srv/php/composer.lock"),
    # "Monolog/Monolog" is monolog/monolog (lower-case); 2.0.0-beta1 < 2.0.0-beta2 but < 2.0.0 (not CVE-0202)
    ("Packagist", "Monolog/Monolog", "2.0.0-beta1", "CVE-2099-0203", "2.0.0-beta2", "/srv/php/composer.lock"),
    ("Packagist", "symfony/http-kernel", "v5.4.19", "CVE-2099-0204", "5.4.20", "/srv/php/composer.lock"),
    # crates.io: the second SEMVER segment 1.0.0..1.6.1
    ("crates.io", "smallvec", "1.6.0", "CVE-2099-0301", "1.6.1", "/srv/rust/Cargo.lock"),
    ("crates.io", "time", "0.1.45", "CVE-2099-0302", "0.2.23", "/srv/rust/Cargo.lock"),
    # RubyGems: 7.0.0.rc1 is a pre-release of 7.0.0; rack 2.2.3.1 is the fixed version itself (no finding)
    ("RubyGems", "nokogiri", "1.13.9", "CVE-2099-0401", "1.13.10", "/srv/ruby/Gemfile.lock"),
    ("RubyGems", "rails", "7.0.0.rc1", "CVE-2099-0403", "7.0.0", "/srv/ruby/Gemfile.lock"),
    # Maven, from inside a JAR: 2.0-beta9 <= 2.14.1 < 2.15.0 (not CVE-0502: from 2.15.0-rc1)
    ("Maven", "org.apache.logging.log4j:log4j-core", "2.14.1", "CVE-2099-0501", "2.15.0", None),
}
APPLICATION = {"/srv/webshop/package-lock.json": "/srv/webshop", "/srv/php/composer.lock": "/srv/php",
               "/srv/rust/Cargo.lock": "/srv/rust", "/srv/ruby/Gemfile.lock": "/srv/ruby"}


def make_root(t):
    shutil.copytree(os.path.join(FIX, "root"), t.p("root"))
    shutil.copytree(APPS, t.p("root/srv"))
    os.makedirs(t.p("root/opt/javaapp/lib"))
    with zipfile.ZipFile(t.p("root/opt/javaapp/lib/log4j-core-2.14.1.jar"), "w") as z:
        z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n")
        z.writestr("META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties",
                   "groupId=org.apache.logging.log4j\nartifactId=log4j-core\nversion=2.14.1\n")
    return t.p("root")


def app_pairs(out):
    got = set()
    for f in findings(jsonl(out)):
        e = f["evidence"]
        if "ecosystem" not in e:
            continue
        ok(f["module"] == "vuln" and f["rule"] == "vuln:" + (e.get("cve") or e["record"]), f"rule of {f}")
        ok(e["path"] and e["application"], f"finding without path or application: {f}")
        if e["path"] in APPLICATION:
            ok(e["application"] == APPLICATION[e["path"]], f"application of {f}")
        ok(e["status"] == ("unfixed" if e["fixed"] == "" else "affected"), f"status of {f}")
        path = e["path"] if e["ecosystem"] != "Maven" else None
        if e["ecosystem"] == "Maven":
            ok(e["path"].startswith("/opt/javaapp/lib/log4j-core-2.14.1.jar"), f"JAR path of {f}")
        key = (e["ecosystem"], e["package"], e["installed"], e.get("cve") or e["record"], e["fixed"], path)
        ok(key not in got, f"two findings for {key}")
        got.add(key)
    return got


def compare(got, label):
    missing, extra = EXPECTED - got, got - EXPECTED
    ok(not missing and not extra, f"{label}: missing {sorted(missing, key=str)}, unexpected {sorted(extra, key=str)}")


with Tree() as t:
    root = make_root(t)
    # 1. --feed, default application directories (/srv and /opt are among them), OS feed alongside
    code, out, err = run("vuln", "--root", root, "--feed", FEED, "--feed", os.path.join(FIX, "osv"),
                         "--no-db", "--format", "jsonl", timeout=120)
    ok(code == 1, f"exit {code} (high findings): {err[-2000:]}")
    compare(app_pairs(out), "--feed")
    os_pairs = {(f["evidence"]["package"], f["evidence"].get("cve")) for f in findings(jsonl(out))
                if "ecosystem" not in f["evidence"]}
    ok(("libssl3", "CVE-2024-0001") in os_pairs, f"OS packages are still matched: {sorted(os_pairs, key=str)}")
    s = summary(jsonl(out))["modules"]["vuln"]
    ok(s["applications"]["matches"] == len(EXPECTED), f"summary: {s}")
    ok("osv-apps" not in err, f"no record of the application feed is malformed: {err[-2000:]}")
    sample = [f for f in findings(jsonl(out)) if f["evidence"].get("package") == "lodash"][0]
    ok("npm install lodash@4.17.19" in sample["remediation"], f"remediation: {sample['remediation']}")
    ok(sample["severity"] == "high", "GHSA database_specific severity HIGH gives a high finding")

    # 2. through the store: import once, then match without --feed
    db = t.p("db/rasoat.db")
    os.makedirs(os.path.dirname(db))
    run("vuln", "import", FEED, "--db", db, check_exit=0)
    code, out, err = run("vuln", "--root", root, "--db", db, "--format", "jsonl", timeout=120)
    compare(app_pairs(out), "imported")

    # 3. --apps restricts the walk to one application; --no-apps turns it off
    code, out, err = run("vuln", "--root", root, "--feed", FEED, "--apps", "/srv/webshop", "--no-db",
                         "--format", "jsonl", timeout=120)
    got = app_pairs(out)
    ok(got == {p for p in EXPECTED if p[5] == "/srv/webshop/package-lock.json"}, f"--apps /srv/webshop: {got}")
    code, out, err = run("vuln", "--root", root, "--feed", FEED, "--no-apps", "--no-db", "--format", "jsonl")
    ok(not app_pairs(out), "--no-apps: no application finding")
    code, out, err = run("vuln", "--root", root, "--feed", FEED, "--apps", "/nonexistent", "--no-db",
                         "--format", "jsonl")
    ok("no application directory could be read" in err and "--apps" in err,
       f"a missing --apps directory is an error: {err[-1000:]}")

    # 4. a malformed record is skipped with a warning naming its file; the rest still matches
    feed2 = t.p("feed2")
    shutil.copytree(FEED, feed2)
    with open(os.path.join(feed2, "bad.json"), "w") as f:
        json.dump([{"id": "GHSA-bad-1", "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
                   "ranges": [{"type": "SEMVER", "events": [{"introduced": "not.a.version"}]}]}]}], f)
    code, out, err = run("vuln", "--root", root, "--feed", feed2, "--no-db", "--format", "jsonl", timeout=120)
    ok("bad.json" in err and "GHSA-bad-1" in err, f"warning names the file and record: {err[-1000:]}")
    compare(app_pairs(out), "with a malformed record")

    # 5. one thread or two: the same findings in the same order (the scan id aside)
    def lines(threads):
        code, out, err = run("vuln", "--root", root, "--feed", FEED, "--feed", os.path.join(FIX, "osv"), "--no-db",
                             "--format", "jsonl", "--threads", threads, timeout=120)
        got = []
        for o in jsonl(out):
            if o.get("type") == "finding":
                o.pop("scan", None)
                got.append(json.dumps(o, sort_keys=True))
        return got
    one, two = lines("1"), lines("2")
    ok(len(one) > len(EXPECTED) and one == two,
       f"--threads 1 and 2 differ: {len(one)} and {len(two)} findings; first difference "
       f"{next((a, b) for a, b in zip(one + [''], two + ['']) if a != b) if one != two else None}")

    # 6. the same at a size where every shared part is used: 2,100 libraries (two matching shares),
    # 6,300 records in 100 OSV files (read in shares), 6,300 findings (more than the ring holds)
    big = t.p("bigroot")
    os.makedirs(os.path.join(big, "etc"))
    shutil.copy(os.path.join(root, "etc", "os-release"), os.path.join(big, "etc", "os-release"))
    pk = {"": {"name": "big", "version": "1.0.0"}}
    for i in range(2100):
        pk[f"node_modules/lib{i}"] = {"version": f"1.{i % 7}.0"}
    os.makedirs(os.path.join(big, "srv", "big"))
    with open(os.path.join(big, "srv", "big", "package-lock.json"), "w") as f:
        json.dump({"name": "big", "lockfileVersion": 3, "packages": pk}, f)
    bigfeed = t.p("bigfeed")
    for k in range(100):
        d = os.path.join(bigfeed, f"{k % 10}")
        os.makedirs(d, exist_ok=True)
        recs = []
        for j in range(63):
            i = k * 63 + j
            recs.append({"id": f"GHSA-big-{i}", "aliases": [f"CVE-2098-{i}"], "affected": [
                {"package": {"ecosystem": "npm", "name": f"lib{i % 2100}"},
                 "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "9.0.0"}]}]}]})
        with open(os.path.join(d, f"f{k}.json"), "w") as f:
            json.dump(recs, f)

    def big_lines(threads):
        code, out, err = run("vuln", "--root", big, "--apps", "/srv", "--feed", bigfeed, "--no-db", "--format",
                             "jsonl", "--threads", threads, timeout=300)
        got = []
        for o in jsonl(out):
            if o.get("type") == "finding":
                o.pop("scan", None)
                got.append(json.dumps(o, sort_keys=True))
        return got
    one, two = big_lines("1"), big_lines("2")
    ok(len(one) == 6300 and one == two, f"at size, --threads 1 and 2 differ: {len(one)} and {len(two)} findings")

done("test_vuln_apps", checks)
