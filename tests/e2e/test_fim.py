"""rasoat fim init / check on a fixture root: a baseline is recorded in the
store, and check reports exactly the entries added, removed and changed
(content, mode, owner, link target), honours --exclude with the walk's glob
syntax, exits 1 on changes and 0 when nothing changed, and names what to do
when there is no baseline."""
import os
import tempfile

from rasoat_e2e import Tree, check, done, findings, jsonl, run, summary

checks = 0


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


with Tree() as t, tempfile.TemporaryDirectory() as dbdir:
    db = os.path.join(dbdir, "fim.db")
    t.write("etc/passwd", "root:x:0:0::/root:/bin/bash\n")
    t.write("etc/hosts", "127.0.0.1 localhost\n")
    t.write("etc/cron.d/job", "* * * * * root true\n")
    t.write("etc/app/cache/state", "1\n")
    t.write("usr/bin/ls", "\x7fELF ls", mode=0o755)
    t.write("usr/bin/gone", "\x7fELF gone", mode=0o755)
    t.symlink("usr/bin/vi", "vim.basic")
    t.write("usr/bin/vim.basic", "\x7fELF vim", mode=0o755)
    t.mkdir("var/log")
    t.write("var/log/syslog", "not watched\n")

    code, _, err = run("fim", "check", "--root", t.path, "--db", db)
    ok(code == 2 and "fim init" in err, f"check without a baseline: {code} {err}")

    code, _, err = run("fim", "init", "--root", t.path, "--db", db, "--exclude", "/etc/app/cache/*",
                       "/etc", "/usr/bin")
    ok(code == 0, f"init exit {code}: {err}")
    code, out, err = run("fim", "check", "--root", t.path, "--db", db, "--exclude", "/etc/app/cache/*",
                         "--format", "jsonl")
    ok(code == 0, f"nothing changed: exit {code} {out} {err}")
    ok(summary(jsonl(out))["modules"]["fim"]["baseline"] >= 9, f"baseline size: {out}")

    # changes: content, mode, owner, link target, an added file, a removed one, an excluded one
    t.write("usr/bin/ls", "\x7fELF trojan", mode=0o755)
    os.chmod(t.p("etc/hosts"), 0o666)
    os.chown(t.p("etc/passwd"), 1000, 1000)
    os.unlink(t.p("usr/bin/vi"))
    os.symlink("/tmp/.x/vi", t.p("usr/bin/vi"))
    t.write("etc/cron.d/backdoor", "* * * * * root /tmp/.x\n")
    os.unlink(t.p("usr/bin/gone"))
    t.write("etc/app/cache/state", "2\n")
    t.write("var/log/syslog", "changed but not watched\n")

    code, out, err = run("fim", "check", "--root", t.path, "--db", db, "--exclude", "/etc/app/cache/*",
                         "--format", "jsonl")
    ok(code == 1, f"changes exit 1: {code} {err}")
    fs = findings(jsonl(out))
    got = {(f["rule"], f["evidence"]["path"]): f for f in fs}
    ok(("rasoat:fim.changed", "/usr/bin/ls") in got and "sha256" in got[("rasoat:fim.changed", "/usr/bin/ls")]
       ["evidence"]["changed"], f"ls content: {sorted(got)}")
    ok(got[("rasoat:fim.changed", "/usr/bin/ls")]["severity"] == "medium", "a changed binary is medium")
    ok("mode" in got[("rasoat:fim.changed", "/etc/hosts")]["evidence"]["changed"], "hosts mode")
    ok("owner" in got[("rasoat:fim.changed", "/etc/passwd")]["evidence"]["changed"], "passwd owner")
    ok("link" in got[("rasoat:fim.changed", "/usr/bin/vi")]["evidence"]["changed"], "vi link target")
    ok(("rasoat:fim.added", "/etc/cron.d/backdoor") in got, "added cron file")
    ok(("rasoat:fim.removed", "/usr/bin/gone") in got, "removed binary")
    ok(not any("/etc/app/cache" in p or "/var/log" in p for _, p in got), "excluded and unwatched paths")
    ok(len(fs) == 6, f"exactly six differences: {sorted(got)}")
    for f in fs:
        ok(f["module"] == "fim" and f["attack"], f"finding shape: {f}")
    s = summary(jsonl(out))
    ok(s["root"] == t.path and s["exit"] == 1 and s["started"].endswith("Z"), f"summary fields {s}")
    ok(s["modules"]["fim"]["added"] == 1 and s["modules"]["fim"]["removed"] == 1 and
       s["modules"]["fim"]["changed"] == 4, f"summary {s}")

    # text output names each change; a new init accepts the changes
    code, out, _ = run("fim", "check", "--root", t.path, "--db", db, "--exclude", "/etc/app/cache/*", "-q")
    ok("added    /etc/cron.d/backdoor" in out and "removed  /usr/bin/gone" in out, f"text: {out}")
    ok(run("fim", "init", "--root", t.path, "--db", db, "-q", "/etc", "/usr/bin")[0] == 0, "re-init")
    ok(run("fim", "check", "--root", t.path, "--db", db, "-q")[0] == 0, "clean after re-init")
    code, _, err = run("fim", "init", "--root", t.path, "--db", db, "relative/path")
    ok(code == 2 and "absolute" in err, "relative path refused")
    code, _, err = run("fim", "check", "--root", t.path, "--db", db, "/etc")
    ok(code == 2, "check takes no paths")

done("test_fim", checks)
