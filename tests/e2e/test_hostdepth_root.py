"""rasoat persist and audit --root on a fixture root built here: the
anti-forensics checks (history emptied or missing, zeroed wtmp records, logs
much shorter than their rotation siblings, a hole in the journal chain, a
package file replaced with its mtime set back), the account checks (service
accounts in privileged groups, homes shared with root or a person, service
accounts with a password or SSH keys, duplicate UIDs and GIDs, accounts added
since the last stored scan), the PAM stack verdicts and hidden files in
temporary directories and web roots. Each planted case is found with its
ATT&CK id and severity; each clean look-alike next to it is not reported at
medium or above (most not at all). FIFOs and symlinks among the hidden
names are neither opened nor followed."""
import hashlib
import os
import struct
import sys
import time

from rasoat_e2e import Tree, check, done, findings, jsonl, run  # noqa: E402

checks = 0
SEV = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
NOW = time.time()
DAY = 86400


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


def utmp(kind, user, when, line="pts/0"):
    r = bytearray(384)
    struct.pack_into("<hi", r, 0, kind, 4242)
    r[8:8 + len(line)] = line.encode()
    r[44:44 + len(user)] = user.encode()
    r[76:85] = b"10.0.0.99"
    struct.pack_into("<ii", r, 340, int(when), 0)
    return bytes(r)


def journal(seq_id, head, tail, head_rt, tail_rt):
    h = bytearray(256)
    h[0:8] = b"LPKSHHRH"
    h[16] = 2
    h[72:88] = seq_id
    struct.pack_into("<QQ", h, 88, 256, 8 << 20)
    struct.pack_into("<QQQ", h, 152, tail - head + 1, tail, head)
    struct.pack_into("<QQ", h, 184, int(head_rt * 1e6), int(tail_rt * 1e6))
    return bytes(h)


def aged(t, rel, content, days):
    path = t.write(rel, content)
    os.utime(path, (NOW - days * DAY, NOW - days * DAY))


def accounts(t, extra=""):
    t.write("etc/passwd",
            "root:x:0:0:root:/root:/bin/bash\n"
            "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
            "bin:x:2:2:bin:/bin:/usr/sbin/nologin\n"
            "sync:x:4:65534:sync:/bin:/bin/sync\n"
            "syslog:x:104:110::/home/syslog:/usr/sbin/nologin\n"
            "mysql:x:110:118::/nonexistent:/bin/false\n"
            "svc:x:150:150::/var/lib/svc:/bin/bash\n"
            "postgres:x:101:103::/var/lib/postgresql:/bin/bash\n"
            "alice:x:1000:1000::/home/alice:/bin/bash\n"
            "bob:x:1001:1001::/home/bob:/bin/bash\n"
            "toor:x:1002:1002::/root:/bin/bash\n"
            "carol:x:1003:1003::/home/alice:/bin/bash\n"
            "bobby:x:1001:1001::/home/bobby:/bin/bash\n"
            "mallory:x:1004:1004::/home/mallory:/bin/bash\n"
            "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n" + extra)
    t.write("etc/shadow",
            "root:$6$s$h:19000:0:99999:7:::\ndaemon:*:19000::::::\nbin:*:19000::::::\nsync:*:19000::::::\n"
            "syslog:*:19000::::::\nmysql:!:19000::::::\nsvc:$6$s$h:19000::::::\npostgres:*:19000::::::\n"
            "alice:$6$s$h:19000::::::\nbob:!:19000::::::\ntoor:$6$s$h:19000::::::\n"
            "carol:$6$s$h:19000::::::\nbobby:!:19000::::::\nmallory:$6$s$h:19000::::::\n"
            "nobody:*:19000::::::\n")
    t.write("etc/group",
            "root:x:0:mallory\nadm:x:4:syslog,alice,postgres\nsudo:x:27:alice,mysql\nwheel:x:10:ghost\n"
            "staff:x:0:\nusers:x:100:\nmail:x:100:\nalice:x:1000:\n")


def build(t):
    t.write("etc/os-release", 'ID=debian\nVERSION_ID="12"\n')
    accounts(t)
    for home in ("root", "home/alice", "home/bob", "home/bobby", "home/mallory", "var/lib/svc",
                 "var/lib/postgresql"):
        t.mkdir(home)
    # --- history: alice's emptied, bob logged in and has none, root's kept ---
    t.write("home/alice/.bash_history", "")
    t.write("root/.bash_history", "ls\nuptime\n")
    t.write("home/mallory/.bash_history", "id\n")
    t.write("home/bobby/.bash_history", "")          # bobby cannot log in: not judged
    # history turned off in start-up files beyond bash's own
    t.write("home/mallory/.zlogout", "history -p\nhistory -c\n")
    t.write("etc/skel/.bashrc", "# new accounts\nexport HISTSIZE=0\n")
    t.write("home/mallory/.cshrc", "set savehist = 0\n")
    t.write("home/alice/.kshrc", "HISTSIZE=5000\nset -o emacs\n")   # look-alike
    t.write("etc/csh.cshrc", "set history=2000\n")                  # look-alike
    t.write("var/lib/svc/.ssh/authorized_keys", "ssh-ed25519 AAAAC3Nza svc@ci\n")
    t.write("var/lib/postgresql/.ssh/authorized_keys", "")  # empty: no key
    # --- wtmp with a zeroed record; btmp clean ---
    t.write("var/log/wtmp", utmp(7, "bob", NOW - 5 * DAY) + bytes(384) + utmp(8, "bob", NOW - 5 * DAY + 60)
            + utmp(7, "alice", NOW - DAY))
    # lastlog: alice's entry is there, bob's was zeroed although wtmp has his login
    lastlog = bytearray(292 * 1002)
    struct.pack_into("<i", lastlog, 292 * 1000, int(NOW - DAY))
    lastlog[292 * 1000 + 4:292 * 1000 + 9] = b"pts/0"
    t.write("var/log/lastlog", bytes(lastlog))
    t.write("var/log/btmp", utmp(6, "admin", NOW - 3 * DAY, "ssh:notty") + utmp(6, "oracle", NOW - DAY, "ssh:notty"))
    # --- logs against their rotation siblings ---
    aged(t, "var/log/auth.log.2.gz", b"\x1f\x8b" + b"x" * 1000, 15)
    aged(t, "var/log/auth.log.1", "Dec  1 sshd[1]: Accepted publickey for alice\n" * 5000, 8)
    aged(t, "var/log/auth.log", "Dec  9 sshd[1]: session opened\n", 0)          # truncated: medium
    aged(t, "var/log/syslog.1", "Dec  1 kernel: ok\n" * 12000, 8)
    aged(t, "var/log/syslog", "", 0)                                             # emptied: high
    aged(t, "var/log/messages.1", "Dec  1 kernel: ok\n" * 12000, 0.1)
    aged(t, "var/log/messages", "Dec  9 kernel: ok\n", 0)                         # fresh rotation: clean
    aged(t, "var/log/secure.1", "x" * 70000, 8)
    aged(t, "var/log/secure", "x" * 70000, 0)                                     # same rate: clean
    # --- journals: one machine with a hole, one whose system and user files interleave ---
    a = b"\x11" * 16
    hole = "var/log/journal/" + "a" * 32 + "/"
    t.write(hole + "system@" + "1" * 32 + "-0000000000000001-0005e0.journal", journal(a, 1, 100, NOW - 9 * DAY, NOW - 8 * DAY))
    t.write(hole + "user-1000@" + "1" * 32 + "-0000000000000065-0005e1.journal", journal(a, 101, 120, NOW - 8 * DAY, NOW - 8 * DAY + 600))
    t.write(hole + "system.journal", journal(a, 301, 400, NOW - 2 * DAY, NOW))
    t.write(hole + "broken.journal", b"not a journal at all")
    clean = "var/log/journal/" + "b" * 32 + "/"
    b = b"\x22" * 16
    t.write(clean + "system@" + "2" * 32 + "-0000000000000001-0005e0.journal", journal(b, 1, 100, NOW - 9 * DAY, NOW - 8 * DAY))
    t.write(clean + "user-1000.journal", journal(b, 90, 250, NOW - 8 * DAY, NOW))
    t.write(clean + "system.journal", journal(b, 101, 300, NOW - 8 * DAY, NOW))
    # --- PAM ---
    common = ("auth [success=1 default=ignore] pam_unix.so nullok\nauth requisite pam_deny.so\n"
              "auth required pam_permit.so\n")
    t.write("etc/pam.d/common-auth", common)
    t.write("etc/pam.d/su", "auth sufficient pam_rootok.so\n# auth sufficient pam_wheel.so trust\n@include common-auth\n")
    t.write("etc/pam.d/common-session", "session [default=1] pam_permit.so\nsession requisite pam_deny.so\n"
            "session required pam_permit.so\n")
    t.write("etc/pam.d/sshd", "auth sufficient pam_succeed_if.so uid >= 0 quiet\n@include common-auth\n")
    t.write("etc/pam.d/login", "auth sufficient pam_localuser.so\n@include common-auth\n")
    t.write("etc/pam.d/gdm-password", "auth [success=done default=ignore] pam_permit.so\n@include common-auth\n")
    t.write("etc/pam.conf", "# service type control module\nother auth [success=1 default=ignore] pam_unix.so\n"
            "other auth requisite pam_deny.so\nother auth required pam_permit.so\n"
            "vsftpd auth required pam_permit.so\n")
    t.write("etc/pam.d/polkit-1", "auth required pam_succeed_if.so uid >= 1000\n@include common-auth\n")
    # --- hidden files ---
    t.write("tmp/.x/payload", b"\x7fELF\x02\x01\x01" + b"\0" * 64)
    t.write("dev/shm/.../notes.txt", "nothing to see\n")
    t.write("var/tmp/kworker/run", "#!/bin/sh\nsleep 1\n")
    t.write("tmp/  ", "data\n")
    t.write("tmp/.cache.tgz", b"\x1f\x8b\x08\x00rest")
    t.write("run/.pidfile", "123\n")
    t.write("var/www/html/wp-content/uploads/2024/.cache.php", "<?php @eval($_POST['x']); ?>\n")
    t.write("var/www/html/.htaccess", "Options -Indexes\n")
    t.write("var/www/html/index.php", "<?php echo 'hi';\n")
    t.mkdir("tmp/.X11-unix")
    t.write("tmp/.X0-lock", "      1234\n")
    t.write("tmp/project/.git/hooks/pre-commit.sample", "#!/bin/sh\nexit 0\n", mode=0o755)
    t.write("tmp/app/node_modules/.bin/tsc", "#!/usr/bin/env node\n", mode=0o755)
    t.write("tmp/bin", "a file named bin\n")
    t.write("tmp/systemd-private-abc-chrony.service-X/tmp/x", "x\n")
    os.mkfifo(t.p("tmp/.fifo"))
    os.mkfifo(t.p("tmp/.x/pipe"))
    os.symlink("/etc", t.p("tmp/.etc"))


def build_packages(t):
    """A dpkg database owning three programs; then (after the list is
    written) ls is replaced and its mtime set back, cat only had its mtime
    set back, id was replaced without hiding it."""
    files = {"usr/bin/ls": b"\x7fELF ls original", "usr/bin/cat": b"\x7fELF cat original",
             "usr/bin/id": b"\x7fELF id original", "usr/lib/node_modules/npm/index.js": b"// npm 9\n"}
    for rel, data in files.items():
        t.write(rel, data, mode=0o755)
    t.write("var/lib/dpkg/status", "Package: coreutils\nStatus: install ok installed\nVersion: 9.1-1\n"
            "Architecture: amd64\n")
    # a program larger than 256 MB (sparse here), as chromium's is: its bytes
    # are still the package's, only a hard link (perf's build-id cache, a
    # backup) changed its ctime after the install
    big = t.p("usr/lib/chromium/chromium")
    os.makedirs(os.path.dirname(big))
    with open(big, "wb") as fh:
        fh.write(b"\x7fELF chromium")
        fh.seek(300 << 20)
        fh.write(b"end of the program\n")
    os.chmod(big, 0o755)
    big_md5 = hashlib.md5()
    with open(big, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            big_md5.update(block)
    t.write("var/lib/dpkg/info/coreutils.list", "/.\n/usr\n/usr/bin\n" + "".join("/" + r + "\n" for r in files)
            + "/usr/lib/chromium/chromium\n")
    t.write("var/lib/dpkg/info/coreutils.md5sums",
            "".join(f"{hashlib.md5(d).hexdigest()}  {r}\n" for r, d in files.items())
            + f"{big_md5.hexdigest()}  usr/lib/chromium/chromium\n")
    time.sleep(3)  # the changes below come after the install
    old = NOW - 400 * DAY
    t.write("usr/bin/ls", b"\x7fELF ls with a backdoor", mode=0o755)
    os.utime(t.p("usr/bin/ls"), (old, old))
    os.chmod(t.p("usr/bin/cat"), 0o755)
    os.utime(t.p("usr/bin/cat"), (old, old))
    t.write("usr/bin/id", b"\x7fELF id replaced", mode=0o755)
    os.makedirs(t.p("root/.debug/.build-id/5e"))
    os.link(big, t.p("root/.debug/.build-id/5e/elf"))
    os.utime(big, (old, old))
    t.write("usr/lib/node_modules/npm/index.js", b"// npm 10, from `npm install -g npm`\n")
    os.utime(t.p("usr/lib/node_modules/npm/index.js"), (499162500, 499162500))


def scan(t, module, *extra):
    code, out, err = run("scan", "--root", t.path, "--only", module, "--format", "jsonl", "-q",
                         "--fail-on", "none", "--recent", "0", *extra, timeout=120)
    ok(code == 0, f"{module}: exit {code}: {err[-2000:]}")
    return findings(jsonl(out))


def by_key(fs):
    out = {}
    for f in fs:
        out.setdefault((f["rule"], f["evidence"].get("path")), []).append(f)
    return out


def want(got, rule, path, sev, attack, text=None):
    fs = got.get((rule, path))
    ok(fs, f"planted {rule} {path!r} not found; found {sorted(k for k in got if k[0] == rule)}")
    if not fs:
        return
    f = max(fs, key=lambda x: SEV[x["severity"]])
    ok(f["severity"] == sev, f"{rule} {path!r}: severity {f['severity']}, wanted {sev}: {f['title']}")
    ok(attack in f["attack"], f"{rule} {path!r}: ATT&CK {f['attack']}, wanted {attack}")
    ok(f.get("remediation"), f"{rule} {path!r}: no remediation")
    if text:
        ok(text in f["title"], f"{rule} {path!r}: {text!r} not in {f['title']!r}")


def below(got, rule, path, sev="medium"):
    for f in got.get((rule, path), []):
        ok(SEV[f["severity"]] < SEV[sev], f"look-alike {rule} {path!r} at {f['severity']}: {f['title']}")


def absent(got, rule, path):
    ok((rule, path) not in got, f"look-alike {rule} {path!r} reported: {[f['title'] for f in got.get((rule, path), [])]}")


with Tree() as t:
    build(t)
    build_packages(t)
    start = time.time()
    got = by_key(scan(t, "persist", "--no-db"))
    elapsed = time.time() - start

    # anti-forensics: history
    want(got, "rasoat:persist.history_empty", "/home/alice/.bash_history", "low", "T1070.003")
    want(got, "rasoat:persist.history_missing", "/home/bob", "low", "T1070.003", "wtmp")
    absent(got, "rasoat:persist.history_empty", "/root/.bash_history")
    absent(got, "rasoat:persist.history_empty", "/home/bobby/.bash_history")
    absent(got, "rasoat:persist.history_missing", "/home/mallory")
    want(got, "rasoat:persist.history_off", "/home/mallory/.zlogout", "medium", "T1070.003", "history -c")
    want(got, "rasoat:persist.history_off", "/etc/skel/.bashrc", "medium", "T1070.003", "size to 0")
    want(got, "rasoat:persist.history_off", "/home/mallory/.cshrc", "medium", "T1070.003", "csh")
    ok(got[("rasoat:persist.history_off", "/etc/skel/.bashrc")][0]["evidence"]["line"] == 2, "the skel line")
    absent(got, "rasoat:persist.history_off", "/home/alice/.kshrc")
    absent(got, "rasoat:persist.history_off", "/etc/csh.cshrc")
    # wiped login records
    want(got, "rasoat:persist.log_records_wiped", "/var/log/wtmp", "high", "T1070.002", "1 of 4 records are zeroed")
    absent(got, "rasoat:persist.log_records_wiped", "/var/log/btmp")
    want(got, "rasoat:persist.log_records_wiped", "/var/log/lastlog", "medium", "T1070.002", "no entry for bob,")
    # logs against their siblings
    want(got, "rasoat:persist.log_truncated", "/var/log/auth.log", "medium", "T1070.002", "much shorter")
    want(got, "rasoat:persist.log_truncated", "/var/log/syslog", "high", "T1070.002", "empty")
    absent(got, "rasoat:persist.log_truncated", "/var/log/messages")
    absent(got, "rasoat:persist.log_truncated", "/var/log/secure")
    # journal chain
    want(got, "rasoat:persist.journal_hole", "/var/log/journal/" + "a" * 32, "medium", "T1070.002",
         "180 journal entries missing")
    absent(got, "rasoat:persist.journal_hole", "/var/log/journal/" + "b" * 32)
    # timestamps set back
    want(got, "rasoat:persist.timestomp", "/usr/bin/ls", "high", "T1070.006", "set back")
    absent(got, "rasoat:persist.timestomp", "/usr/bin/cat")
    absent(got, "rasoat:persist.timestomp", "/usr/bin/id")
    absent(got, "rasoat:persist.timestomp", "/usr/lib/chromium/chromium")  # 300 MB, the package's bytes
    want(got, "rasoat:persist.timestomp", "/usr/lib/node_modules/npm/index.js", "low", "T1070.006", "npm")
    # PAM stacks
    want(got, "rasoat:persist.pam", "/etc/pam.d/sshd", "high", "T1556.003", "every user meets")
    want(got, "rasoat:persist.pam", "/etc/pam.d/login", "high", "T1556.003", "pam_localuser")
    want(got, "rasoat:persist.pam", "/etc/pam.d/gdm-password", "high", "T1556.003", "pam_permit")
    want(got, "rasoat:persist.pam", "/etc/pam.conf", "high", "T1556.003", "every auth line is pam_permit")
    for clean in ("common-auth", "su", "common-session", "polkit-1"):
        below(got, "rasoat:persist.pam", "/etc/pam.d/" + clean, "low")
    # hidden files
    want(got, "rasoat:persist.hidden_file", "/tmp/.x", "medium", "T1564.001", "an executable")
    want(got, "rasoat:persist.hidden_file", "/dev/shm/...", "low", "T1564.001")
    want(got, "rasoat:persist.hidden_file", "/var/tmp/kworker", "medium", "T1564.001", "a script")
    want(got, "rasoat:persist.hidden_file", "/tmp/\\x20\\x20", "low", "T1564.001", "blanks")
    want(got, "rasoat:persist.hidden_file", "/tmp/.cache.tgz", "medium", "T1564.001", "an archive")
    want(got, "rasoat:persist.hidden_file", "/run/.pidfile", "low", "T1564.001")
    want(got, "rasoat:persist.hidden_file", "/var/www/html/wp-content/uploads/2024/.cache.php", "medium",
         "T1564.001", "a script")
    for clean in ("/tmp/.X11-unix", "/tmp/.X0-lock", "/tmp/project/.git", "/tmp/app/node_modules/.bin", "/tmp/bin",
                  "/var/www/html/.htaccess", "/tmp/.fifo", "/tmp/.etc", "/tmp/systemd-private-abc-chrony.service-X"):
        absent(got, "rasoat:persist.hidden_file", clean)
    ok(elapsed < 60, f"persist took {elapsed:.1f} s")
    # --exclude: the timestamp check neither reads nor reports an excluded file
    got = by_key(scan(t, "persist", "--no-db", "--exclude", "/usr/bin/ls"))
    absent(got, "rasoat:persist.timestomp", "/usr/bin/ls")
    want(got, "rasoat:persist.timestomp", "/usr/lib/node_modules/npm/index.js", "low", "T1070.006", "npm")

    # accounts, with a store: the first audit records the accounts, the second reports a new one
    db = os.path.join(t.path, "state", "rasoat.db")
    os.makedirs(os.path.dirname(db))
    got = by_key(scan(t, "audit", "--db", db))
    want(got, "rasoat:accounts.privileged_group", "/etc/group", "high", "T1136.001", "mysql")
    titles = [f["title"] for f in got.get(("rasoat:accounts.privileged_group", "/etc/group"), [])]
    ok(any("mallory" in x and "root group" in x for x in titles), f"mallory in group root: {titles}")
    ok(any("ghost" in x and "does not exist" in x for x in titles), f"ghost: {titles}")
    ok(not any(" alice " in x or "syslog" in x for x in titles), f"alice in sudo, syslog in adm are expected: {titles}")
    ok(any("postgres" in x and "adm" in x for x in titles), f"postgres in adm: {titles}")
    want(got, "rasoat:accounts.shared_home", "/etc/passwd", "high", "T1078.003")
    titles = [f["title"] for f in got.get(("rasoat:accounts.shared_home", "/etc/passwd"), [])]
    ok(any("toor" in x and "/root" in x for x in titles), f"toor's home: {titles}")
    ok(any("carol" in x and "alice" in x for x in titles), f"carol shares alice's home: {titles}")
    ok(not any("sync" in x or " bin " in x for x in titles), f"bin and sync share /bin, as on Debian: {titles}")
    want(got, "rasoat:accounts.system_password", "/etc/shadow", "medium", "T1136.001", "svc")
    want(got, "rasoat:accounts.system_ssh_keys", "/var/lib/svc/.ssh/authorized_keys", "high", "T1098.004")
    absent(got, "rasoat:accounts.system_ssh_keys", "/var/lib/postgresql/.ssh/authorized_keys")
    want(got, "rasoat:accounts.duplicate_uid", "/etc/passwd", "medium", "T1136.001", "bobby")
    want(got, "rasoat:accounts.duplicate_gid", "/etc/group", "high", "T1136.001", "staff")
    ok(any(f["severity"] == "low" and "mail" in f["title"] for f in got[("rasoat:accounts.duplicate_gid", "/etc/group")]),
       "users and mail share GID 100: low")
    absent(got, "rasoat:accounts.new_account", "/etc/passwd")
    accounts(t, "eve:x:1005:1005::/home/eve:/bin/bash\nbackup2:x:0:0::/home/b:/bin/bash\n")
    got = by_key(scan(t, "audit", "--db", db))
    fs = got.get(("rasoat:accounts.new_account", "/etc/passwd"), [])
    ok(sorted(f["evidence"]["user"] for f in fs) == ["backup2", "eve"], f"new accounts: {[f['title'] for f in fs]}")
    ok({f["evidence"]["user"]: f["severity"] for f in fs} == {"eve": "medium", "backup2": "high"},
       f"severities: {[(f['title'], f['severity']) for f in fs]}")
    got = by_key(scan(t, "audit", "--db", db))
    absent(got, "rasoat:accounts.new_account", "/etc/passwd")
    # without a store the check does not apply
    got = by_key(scan(t, "audit", "--no-db"))
    absent(got, "rasoat:accounts.new_account", "/etc/passwd")

done("test_hostdepth_root", checks)
