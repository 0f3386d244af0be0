"""rasoat scan --root on a fixture tree: findings name paths as the scanned
system does, symlinks never lead out of the root, and malformed or hostile
inputs give warnings while the scan goes on."""
import os
import stat

from rasoat_e2e import Tree, check, done, findings, jsonl, run, summary

checks = 0


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


with Tree() as outside, Tree() as t:
    # Outside the root: a world-writable file and a preload list that must never be read.
    outside.write("usr/bin/outside-ww", "x", mode=0o777)
    outside.write("etc/ld.so.preload", "/lib/outside.so\n")

    t.write("etc/os-release", 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n')
    t.write("etc/hostname", "fixture01\n")
    t.write("etc/passwd",
            "root:x:0:0:root:/root:/bin/bash\n"
            "toor:x:0:0::/root:/bin/bash\n"
            "broken-line-without-fields\n"
            "guest:x:1001:1001::/home/guest:/bin/bash\n"
            "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
            "baduid:x:notanumber:1::/:/bin/sh\n")
    t.write("etc/shadow", "root:$6$salt$hash:19000:0:99999:7:::\nguest::19000:0:99999:7:::\n"
            "daemon:*:19000:0:99999:7:::\n", mode=0o640)
    t.write("etc/group", "root:x:0:\n")
    # dpkg status truncated mid-stanza, with binary junk
    t.write("var/lib/dpkg/status",
            b"Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\nArchitecture: amd64\n\n"
            b"Package: trunc\nStatus: install ok inst\x00\xff\xfe\nVers")
    t.write("usr/bin/ls", "\x7fELF", mode=0o755)
    t.write("usr/bin/evil", "#!/bin/sh\n", mode=0o777)
    os.chmod(t.p("usr/bin/evil"), 0o777)
    t.mkdir("usr/lib/share", mode=0o777)
    os.chmod(t.p("usr/lib/share"), 0o777)
    t.mkdir("usr/lib/sticky", mode=0o777)
    os.chmod(t.p("usr/lib/sticky"), 0o1777)
    # symlinks that try to lead out of the root
    t.symlink("usr/bin/escape-abs", outside.path + "/usr/bin")
    t.symlink("usr/bin/escape-rel", "../../../../../../../../" + outside.path.lstrip("/"))
    t.symlink("usr/lib/loop", "..")
    t.symlink("etc/ld.so.preload", "/etc/preload.real")     # absolute: resolves inside the root
    t.write("etc/preload.real", "/usr/lib/x86_64-linux-gnu/libhide.so\n")
    # a FIFO named like a configuration file, where the scan reads one
    t.fifo("etc/crontab")
    t.fifo("usr/bin/fifo")

    code, out, err = run("scan", "--root", t.path, "--format", "jsonl", "--no-db", timeout=60)
    lines = jsonl(out)
    s = summary(lines)
    fs = findings(lines)
    ok(code == 1, f"exit {code}, wanted 1 (high findings); stderr: {err}")
    ok(s["root"] == t.path, f"summary root {s['root']}")
    ok(s["exit"] == 1, "summary exit")
    ok(s["host"] == "fixture01", f"host {s['host']}")
    rules = {(f["rule"], f["evidence"].get("path")) for f in fs}

    ok(("rasoat:accounts.uid0", "/etc/passwd") in rules, f"uid0 finding missing: {rules}")
    uid0 = [f for f in fs if f["rule"] == "rasoat:accounts.uid0"]
    ok(len(uid0) == 1 and uid0[0]["evidence"]["user"] == "toor", "only toor is a second superuser")
    ok("T1136.001" in uid0[0]["attack"], "uid0 ATT&CK id")
    ok(any(f["rule"] == "rasoat:accounts.empty_password" and f["evidence"]["user"] == "guest" for f in fs),
       "guest has an empty password")
    ok(not any(f["rule"] == "rasoat:accounts.empty_password" and f["evidence"]["user"] == "daemon" for f in fs),
       "daemon is locked, not empty")
    ok(("rasoat:files.world_writable", "/usr/bin/evil") in rules, "world-writable /usr/bin/evil")
    ok(("rasoat:files.world_writable_dir", "/usr/lib/share") in rules, "world-writable dir")
    ok(("rasoat:files.world_writable_dir", "/usr/lib/sticky") not in rules, "sticky dir is fine")
    pre = [f for f in fs if f["rule"] == "rasoat:rootkit.ld_so_preload"]
    ok(len(pre) == 1, "one preload finding")
    ok(pre[0]["evidence"]["libraries"] == ["/usr/lib/x86_64-linux-gnu/libhide.so"],
       f"preload read inside the root: {pre[0]['evidence']}")

    for f in fs:
        p = f["evidence"].get("path", "")
        ok(p.startswith("/") and not p.startswith(t.path), f"path not as the host names it: {p}")
        ok("outside" not in p, f"a symlink led out of the root: {p}")
        ok(f["severity"] in ("info", "low", "medium", "high", "critical"), "severity")
        ok(0 <= f["score"] <= 100, "score")

    # warnings name the file and the line, and the scan went on
    ok("/etc/passwd:3" in err, f"passwd line 3 warning: {err}")
    ok("/etc/passwd:6" in err, f"passwd line 6 warning: {err}")
    ok("/var/lib/dpkg/status" in err, f"dpkg warning: {err}")
    ok("/etc/crontab" in err, f"FIFO crontab warning: {err}")
    ok(s["modules"]["facts"]["errors"] >= 3, f"facts errors counted: {s['modules']['facts']}")
    ok("audit" in s["modules"] and "rootkit" in s["modules"], "modules in summary")

    # facts of the tree: live-only sections are empty, packages and accounts come from the tree
    import json as _json
    code, out, err = run("facts", "--root", t.path, "-q")
    facts = _json.loads(out)
    ok(code == 0, f"facts --root exit {code}")
    ok(facts["host"]["root"] == t.path and facts["host"]["live"] is False, "facts host.root")
    ok(facts["processes"] == [] and facts["sockets"] == [], "no processes or sockets with --root")
    ok([(p["name"], p["version"], p["source"]) for p in facts["packages"]] == [("bash", "5.2.15-2+b2", "bash")],
       f"packages from the tree's dpkg status: {facts['packages']}")
    ok(facts["host"]["os_id"] == "debian" and facts["host"]["os_version"] == "12", "os-release of the tree")
    ok(sorted(u["name"] for u in facts["users"]) == ["daemon", "guest", "root", "toor"], "users of the tree")
    ok({u["name"]: u["password"] for u in facts["users"]}["guest"] == "empty", "password state, not hash")

    # --only / --skip
    code, out, _ = run("scan", "--root", t.path, "--format", "jsonl", "--no-db", "--only", "rootkit", "-q")
    lines = jsonl(out)
    ok({f["module"] for f in findings(lines)} == {"rootkit"}, "--only rootkit")
    ok("audit" not in summary(lines)["modules"], "audit did not run")
    code, out, _ = run("scan", "--root", t.path, "--format", "jsonl", "--no-db", "--skip", "rootkit", "-q")
    ok({f["module"] for f in findings(jsonl(out))} == {"audit"}, "--skip rootkit")
    code, out, _ = run("audit", "--root", t.path, "--format", "jsonl", "--no-db", "-q")
    ok({f["module"] for f in findings(jsonl(out))} == {"audit"}, "rasoat audit = --only audit")

    # exit codes
    ok(run("scan", "--root", t.path, "--no-db", "-q", "--fail-on", "none")[0] == 0, "--fail-on none")
    ok(run("scan", "--root", t.path, "--no-db", "-q", "--fail-on", "critical", "--skip", "audit")[0] == 0,
       "--fail-on critical with only high findings")
    ok(run("scan", "--root", t.path, "--no-db", "-q", "--fail-on", "low")[0] == 1, "--fail-on low")
    code, _, err = run("scan", "--root", t.path, "--no-db", "--only", "nosuchmodule")
    ok(code == 2 and "nosuchmodule" in err, "unknown module is exit 2")
    code, _, err = run("scan", "--root", t.p("nonexistent"), "--no-db")
    ok(code == 2 and "nonexistent" in err, "missing root is exit 2")
    code, _, err = run("scan", "--root", t.path, "--no-db", "--fail-on", "severe")
    ok(code == 2 and "severe" in err, "bad --fail-on is exit 2")
    code, _, err = run("scan", "--root", t.path, "--no-db", "--format", "xml")
    ok(code == 2 and "xml" in err, "bad --format is exit 2")

    # configuration file: keys apply, command line overrides, errors name file:line
    conf = outside.write("rasoat.conf", "fail_on = none\nexclude = /usr/bin/evil\n")
    code, out, _ = run("scan", "--root", t.path, "--format", "jsonl", "--no-db", "-q", "--config", conf)
    fs2 = findings(jsonl(out))
    ok(code == 0, "fail_on = none from the config file")
    ok(not any(f["evidence"].get("path") == "/usr/bin/evil" for f in fs2), "exclude from the config file")
    ok(run("scan", "--root", t.path, "--no-db", "-q", "--config", conf, "--fail-on", "high")[0] == 1,
       "the command line overrides the file")
    bad = outside.write("bad.conf", "threads = 2\ncolour = blue\n")
    code, _, err = run("scan", "--root", t.path, "--no-db", "--config", bad)
    ok(code == 2 and bad + ":2" in err and "colour" in err, f"bad config: {err}")

    # --all: every evaluated check; live-only checks are not applicable with --root
    code, out, _ = run("scan", "--root", t.path, "--format", "jsonl", "--no-db", "-q", "--all")
    lines = jsonl(out)
    checks_seen = {l["rule"]: l for l in lines if l["type"] == "check"}
    ok(checks_seen["rasoat:accounts.uid0"]["result"] == "failed", "uid0 check failed")
    ok(checks_seen["rasoat:process.deleted_exe"]["result"] == "not_applicable"
       and "--root" in checks_seen["rasoat:process.deleted_exe"]["reason"], "live-only check n/a")
    ok(checks_seen["rasoat:rootkit.ld_so_preload"]["result"] == "failed", "preload check failed")
    ok(len(findings(lines)) == len(fs), "--all adds checks, not findings")
    code, out, _ = run("scan", "--root", t.path, "--format", "jsonl", "--no-db", "-q")
    ok(not any(l["type"] == "check" for l in jsonl(out)), "no check lines without --all")

    # other formats
    code, out, _ = run("scan", "--root", t.path, "--no-db", "-q", "--format", "json")
    import json
    doc = json.loads(out)
    ok(len(doc["findings"]) == len(fs) and doc["summary"]["type"] == "summary", "json document")
    html_path = outside.p("r.html")
    code, out, _ = run("scan", "--root", t.path, "--no-db", "-q", "--format", "text", "--html", html_path)
    html = open(html_path, encoding="utf-8").read()
    ok("<svg" in html and "/usr/bin/evil" in html, "html report content")
    ok("src=\"http" not in html and "<link" not in html, "html has no external resources")
    ok("toor" in out and "/usr/bin/evil" in out, "text output lists findings")

done("test_scan_root", checks)
