"""rasoat vuln on a fixture root (a dpkg status and os-release of Debian 12)
with the project's own feeds (an OSV folder, an OSV zip, a Debian tracker
JSON): exactly the expected (package, CVE) set — source vs binary names,
binNMU, ~deb12u1 and ~bpo, epochs, unfixed, not-affected, another release,
last_affected only — whether the feeds are given with --feed or imported
first; malformed records are skipped with a warning naming the file."""
import os
import shutil
import sqlite3

from rasoat_e2e import Tree, check, done, findings, jsonl, run, summary

checks = 0


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


FIX = os.path.join(os.environ.get("RS_FIXTURES", os.path.join(os.path.dirname(__file__), "..", "fixtures")), "vuln")
ROOT = os.path.join(FIX, "root")
FEEDS = [os.path.join(FIX, "osv"), os.path.join(FIX, "osv-extra.zip"), os.path.join(FIX, "tracker.json")]

EXPECTED = {
    ("libssl3", "CVE-2024-0001"),       # binary of source openssl, ~deb12u2 below ~deb12u1 of a newer upstream
    ("openssl", "CVE-2024-0001"),
    ("libfoo1", "CVE-2024-0003"),       # binNMU 1.2-3+b1 of source foo 1.2-3: below 1.2-4 (not CVE-0002, fixed 1.2-3)
    ("curl", "CVE-2024-0018"),          # open range from an introduced version (nested folder)
    ("curl", "TEMP-0000001-ABCDEF"),    # tracker entry without a CVE id yet (not CVE-0004: +deb12u5 > +deb12u4)
    ("golang-x", "CVE-2024-0005"),      # backport 1.21~bpo12+1 < 1.21
    ("vim", "CVE-2024-0007"),           # epoch 2: below 2:9.0.1378-3 (not CVE-0006: fixed 9.1.0-1 without epoch)
    ("vim", "CVE-2024-0016"),           # from the zip
    ("bash", "CVE-2024-0008"),          # tracker: open in bookworm (resolved only in sid)
    ("bash", "CVE-2024-0015"),          # tracker: resolved in 5.2.15-3
    ("zlib1g", "CVE-2024-0012"),        # last_affected only, installed = last_affected
    ("zlib1g", "CVE-2024-0022"),        # tracker: undetermined
}
UNFIXED = {("curl", "CVE-2024-0018"), ("bash", "CVE-2024-0008"), ("zlib1g", "CVE-2024-0012"),
           ("zlib1g", "CVE-2024-0022")}
MALFORMED = ["bad-json.json", "unknown-ecosystem.json", "missing-events.json", "impossible-version.json",
             "zip-bad.json", "CVE-2024-0020", "CVE-2024-0021", '"broken"']


def pairs(fs):
    return {(f["evidence"]["package"], f["evidence"].get("cve") or f["evidence"]["record"]) for f in fs}


def check_findings(out, label):
    lines = jsonl(out)
    fs = findings(lines)
    got = pairs(fs)
    ok(got == EXPECTED, f"{label}: got {sorted(got)}\nmissing {sorted(EXPECTED - got)}\nextra {sorted(got - EXPECTED)}")
    ok(len(fs) == len(EXPECTED), f"{label}: {len(fs)} findings, duplicates among them")
    for f in fs:
        e = f["evidence"]
        key = (e["package"], e.get("cve") or e["record"])
        ok(f["module"] == "vuln" and f["rule"] == "vuln:" + key[1], f"{label}: rule {f['rule']}")
        ok((e["fixed"] == "") == (key in UNFIXED), f"{label}: {key} fixed {e['fixed']!r}")
        ok(f["remediation"].endswith("apt-get install --only-upgrade " + e["package"]) or
           f["remediation"].endswith("apt-get install --only-upgrade " + e["package"] + "`"),
           f"{label}: remediation {f['remediation']}")
    by = {(f["evidence"]["package"], f["evidence"].get("cve") or f["evidence"]["record"]): f for f in fs}
    temp = by[("curl", "TEMP-0000001-ABCDEF")]["evidence"]
    ok("cve" not in temp, f"{label}: a record without a CVE id has no evidence.cve: {temp}")
    ssl = by[("libssl3", "CVE-2024-0001")]
    ok(ssl["severity"] == "critical" and ssl["score"] == 98, f"{label}: CVSS 9.8 → critical: {ssl}")
    ok(ssl["evidence"]["source"] == "openssl" and ssl["evidence"]["installed"] == "3.0.11-1~deb12u2"
       and ssl["evidence"]["fixed"] == "3.0.13-1~deb12u1" and ssl["evidence"]["record"] == "DSA-9001-1",
       f"{label}: evidence {ssl['evidence']}")
    ok(by[("libfoo1", "CVE-2024-0003")]["severity"] == "medium", f"{label}: CVSS 5.5 → medium")
    ok(by[("bash", "CVE-2024-0015")]["severity"] == "high", f"{label}: urgency high without CVSS → high")
    ok(by[("bash", "CVE-2024-0008")]["severity"] == "low", f"{label}: urgency unimportant → low")
    ok(by[("libfoo1", "CVE-2024-0003")]["evidence"]["installed"] == "1.2-3+b1", f"{label}: binNMU installed")
    s = summary(lines)
    v = s["modules"]["vuln"]
    ok(v["affected"] == 8 and v["unfixed"] == 4, f"{label}: counts {v}")
    ups = {u["package"]: u for u in v["upgrades"]}
    ok(v["upgrades"][0]["package"] == "vim" and ups["vim"]["clears"] == 2 and ups["vim"]["to"] == "2:9.0.1378-3",
       f"{label}: upgrades {v['upgrades']}")
    ok(s["counts"]["critical"] == 2, f"{label}: counts {s['counts']}")
    return s


def feed_args():
    a = []
    for f in FEEDS:
        a += ["--feed", f]
    return a


# 1. --feed, no store
code, out, err = run("vuln", "--root", ROOT, *feed_args(), "--format", "jsonl", "--no-db", timeout=120)
ok(code == 1, f"exit {code} (critical findings), stderr {err}")
check_findings(out, "--feed")
for name in MALFORMED:
    ok(name in err, f"no warning naming {name}: {err}")

# 2. the same through `rasoat scan --only vuln`, and the root given with a trailing slash
code, out, err = run("scan", "--only", "vuln", "--root", ROOT + "/", *feed_args(), "--format", "jsonl", "--no-db")
check_findings(out, "scan --only vuln")

with Tree() as t:
    db = t.p("rasoat.db")
    # 3. vuln import, then match what is stored
    for f in FEEDS:
        code, out, err = run("vuln", "import", f, "--db", db)
        ok(code == 0, f"import {f}: exit {code}: {err}")
        ok("records imported" in out, f"import output: {out}")
    # importing the same feed again replaces it (no duplicate records)
    run("vuln", "import", FEEDS[0], "--db", db, check_exit=0)
    con = sqlite3.connect(db)
    feeds = con.execute("SELECT count(*) FROM vuln_feeds").fetchone()[0]
    con.close()
    ok(feeds == 3, f"{feeds} feeds stored after re-importing one")
    code, out, err = run("vuln", "--root", ROOT, "--db", db, "--format", "jsonl")
    ok(code == 1, f"stored feeds: exit {code}: {err}")
    check_findings(out, "imported")

    # 4. a copy of the root elsewhere gives the same result (the root is only read through --root)
    shutil.copytree(ROOT, t.p("image"))
    code, out, err = run("vuln", "--root", t.p("image"), "--db", db, "--format", "jsonl")
    check_findings(out, "copied root")

    # 5. another release: the same feeds give nothing on Debian 11
    t.write("old/etc/os-release", 'ID=debian\nVERSION_ID="11"\nVERSION_CODENAME=bullseye\n')
    shutil.copytree(os.path.join(ROOT, "var"), t.p("old/var"))
    code, out, err = run("vuln", "--root", t.p("old"), "--db", db, "--format", "jsonl")
    got = pairs(findings(jsonl(out)))
    ok(got == {("vim", "CVE-2024-0019"), ("openssl", "CVE-2024-0010"), ("libssl3", "CVE-2024-0010"),
               ("bash", "CVE-2024-0011")}, f"bullseye: {sorted(got)}")

    # 6. no feed at all: not applicable, exit 0
    code, out, err = run("vuln", "--root", ROOT, "--db", t.p("empty.db"), "--format", "jsonl")
    s = summary(jsonl(out))
    ok(code == 0 and "not_applicable" in s["modules"]["vuln"], f"no feed: {code} {s['modules']['vuln']}")

    # 7. a feed that does not exist: an error naming it, the scan still completes
    code, out, err = run("vuln", "import", t.p("nope.json"), "--db", db)
    ok(code == 2 and "nope.json" in err, f"missing feed: {code} {err}")

# 8. Alpine: origin names, apk versions (-rN, _rc, _p), remediation apk upgrade
with Tree() as t:
    import json
    t.write("root/etc/os-release", 'ID=alpine\nVERSION_ID=3.19.1\n')
    t.write("root/lib/apk/db/installed",
            "P:libcrypto3\nV:3.1.4-r5\nA:x86_64\no:openssl\n\n"
            "P:busybox\nV:1.36.1-r15\nA:x86_64\no:busybox\n\n"
            "P:musl\nV:1.2.4_git20230717-r4\nA:x86_64\no:musl\n\n")

    def apk_rec(i, eco, pkg, events):
        return {"id": f"ALPINE-{i}", "aliases": [f"CVE-2031-{i}"],
                "affected": [{"package": {"ecosystem": eco, "name": pkg},
                              "ranges": [{"type": "ECOSYSTEM", "events": events}]}]}
    recs = [
        apk_rec(1, "Alpine:v3.19", "openssl", [{"introduced": "0"}, {"fixed": "3.1.4-r6"}]),       # affected
        apk_rec(2, "Alpine:v3.19", "openssl", [{"introduced": "0"}, {"fixed": "3.1.4-r5"}]),       # equal: no
        apk_rec(3, "Alpine:v3.19", "busybox", [{"introduced": "0"}, {"fixed": "1.36.1-r2"}]),      # r15 > r2: no
        apk_rec(4, "Alpine:v3.19", "busybox", [{"introduced": "0"}, {"fixed": "1.37.0_rc1-r0"}]),  # affected
        apk_rec(5, "Alpine:v3.18", "busybox", [{"introduced": "0"}, {"fixed": "9.9-r0"}]),         # other release
        apk_rec(6, "Alpine:v3.19", "libcrypto3", [{"introduced": "0"}, {"fixed": "9.9-r0"}]),      # binary name: no
        apk_rec(7, "Alpine:v3.19", "musl", [{"introduced": "0"}, {"fixed": "1.2.4_git20230717-r5"}]),  # affected
        apk_rec(8, "Alpine:v3.19", "musl", [{"introduced": "0"}, {"fixed": "1.2.4"}]),             # _git > none: no
    ]
    t.write("alpine.json", json.dumps(recs))
    code, out, err = run("vuln", "--root", t.p("root"), "--feed", t.p("alpine.json"), "--no-db", "--format", "jsonl")
    fs = findings(jsonl(out))
    got = pairs(fs)
    ok(got == {("libcrypto3", "CVE-2031-1"), ("busybox", "CVE-2031-4"), ("musl", "CVE-2031-7")},
       f"alpine: {sorted(got)} {err}")
    ok(all(f["remediation"] == "apk upgrade " + f["evidence"]["package"] for f in fs), "apk remediation")

done("test_vuln", checks)
