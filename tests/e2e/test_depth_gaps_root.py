"""rasoat persist --root on fixture roots built here, for the anti-forensics
checks closed last: a file of an rpm package replaced with its mtime set
back before the INSTALLTIME rpm recorded (rpmdb.sqlite built here, SHA-256
and MD5 digests), logs much shorter than rotated copies named with a date
(logrotate's dateext, compressed or not), and login records blanked to
type 0 (EMPTY) inside wtmp, reported with their byte offset. Each planted
case is found with its ATT&CK id, severity and remediation; the clean
look-alikes next to them (an rpm file whose bytes still match, one newer
than its install, a %config file, a package without an install time, a
fresh dated rotation, a log at its siblings' rate, a clean btmp, reused
utmp slots) are not reported at medium or above."""
import hashlib
import os
import sqlite3
import struct
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


def rpm_header(tags):
    """An rpm header blob: TAGS are (tag, type, value); type 6 a string, 8 a
    string array, 4 an int32 array, 3 an int16 array."""
    index, data = b"", b""
    for tag, typ, val in tags:
        if typ in (3, 4):
            size = 2 if typ == 3 else 4
            data += b"\0" * ((-len(data)) % size)
            off = len(data)
            data += b"".join(struct.pack(">H" if size == 2 else ">I", v) for v in val)
            count = len(val)
        else:
            off = len(data)
            vals = [val] if typ == 6 else val
            data += b"".join(v.encode() + b"\0" for v in vals)
            count = len(vals)
        index += struct.pack(">IIII", tag, typ, off, count)
    return struct.pack(">II", len(tags), len(data)) + index + data


def rpm_package(name, installed, dirs, files, algo):
    """FILES: (dir index, basename, digest, mode, flags). INSTALLED: the
    INSTALLTIME (tag 1008), or None to leave it out."""
    tags = [(1000, 6, name), (1001, 6, "1.0"), (1002, 6, "1.el9")]
    if installed is not None:
        tags.append((1008, 4, [int(installed)]))
    return rpm_header(tags + [(1118, 8, dirs), (1117, 8, [f[1] for f in files]), (1116, 4, [f[0] for f in files]),
                              (1035, 8, [f[2] for f in files]), (1030, 3, [f[3] for f in files]),
                              (1037, 4, [f[4] for f in files]), (5011, 4, [algo])])


def utmp(kind, user, when, line="pts/0"):
    r = bytearray(384)
    struct.pack_into("<hi", r, 0, kind, 4242)
    r[8:8 + len(line)] = line.encode()
    r[44:44 + len(user)] = user.encode()
    r[76:85] = b"10.0.0.99"
    struct.pack_into("<ii", r, 340, int(when), 0)
    return bytes(r)


def aged(t, rel, content, days):
    path = t.write(rel, content)
    os.utime(path, (NOW - days * DAY, NOW - days * DAY))


def build_rpm(t):
    sha = lambda b: hashlib.sha256(b).hexdigest()   # noqa: E731
    md5 = lambda b: hashlib.md5(b).hexdigest()      # noqa: E731
    orig = {"ls": b"\x7fELF ls original", "cat": b"\x7fELF cat original", "id": b"\x7fELF id original",
            "who": b"\x7fELF who original"}
    for name, data in orig.items():
        t.write("usr/bin/" + name, data, mode=0o755)
    t.write("usr/lib64/libtool.so.1", b"\x7fELF libtool original", mode=0o755)
    t.write("usr/sbin/daemon", b"\x7fELF daemon original", mode=0o755)
    t.write("etc/tool.conf", "setting = 1\n")
    t.write("etc/os-release", 'ID=rocky\nVERSION_ID="9.4"\n')
    t.mkdir("var/lib/rpm")
    con = sqlite3.connect(t.p("var/lib/rpm/rpmdb.sqlite"))
    con.execute("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)")
    installed = NOW - 30 * DAY
    core = rpm_package("coreutils", installed, ["/usr/bin/", "/etc/"], [
        (0, "ls", sha(orig["ls"]), 0o100755, 0),
        (0, "cat", sha(orig["cat"]), 0o100755, 0),
        (0, "id", sha(orig["id"]), 0o100755, 0),
        (0, "who", sha(orig["who"]), 0o100755, 0),
        (1, "tool.conf", sha(b"setting = 1\n"), 0o100644, 1),
    ], 8)
    lib = rpm_package("libtool", installed, ["/usr/lib64/"],
                      [(0, "libtool.so.1", md5(b"\x7fELF libtool original"), 0o100755, 0)], 1)
    notime = rpm_package("daemon", None, ["/usr/sbin/"],
                         [(0, "daemon", sha(b"\x7fELF daemon original"), 0o100755, 0)], 8)
    for blob in (core, lib, notime, core[:-5]):
        con.execute("INSERT INTO Packages (blob) VALUES (?)", (blob,))
    con.commit()
    con.close()
    old = NOW - 400 * DAY
    t.write("usr/bin/ls", b"\x7fELF ls with a backdoor", mode=0o755)          # replaced, set back: high
    os.utime(t.p("usr/bin/ls"), (old, old))
    t.write("usr/lib64/libtool.so.1", b"\x7fELF libtool hooked", mode=0o755)  # MD5 package: high
    os.utime(t.p("usr/lib64/libtool.so.1"), (old, old))
    os.utime(t.p("usr/bin/cat"), (old, old))                                  # bytes match: clean
    t.write("usr/bin/id", b"\x7fELF id updated", mode=0o755)                  # newer than install: clean
    t.write("usr/sbin/daemon", b"\x7fELF daemon changed", mode=0o755)         # no install time: not judged
    os.utime(t.p("usr/sbin/daemon"), (old, old))
    t.write("etc/tool.conf", "setting = 2\n")                                 # %config: not judged
    os.utime(t.p("etc/tool.conf"), (old, old))


def build_logs(t):
    # auth.log: its newest dated copy (uncompressed, delaycompress) gives the rate
    aged(t, "var/log/auth.log-20261120.gz", b"\x1f\x8b" + b"x" * 1000, 15)
    aged(t, "var/log/auth.log-20261127", "Nov 26 sshd[1]: Accepted publickey for alice\n" * 5000, 8)
    aged(t, "var/log/auth.log", "Dec  4 sshd[1]: session opened\n", 0)                # truncated: medium
    # syslog: dated copies compressed at once (no delaycompress)
    aged(t, "var/log/syslog-20261120.gz", b"\x1f\x8b" + os.urandom(150000), 15)
    aged(t, "var/log/syslog-20261127.gz", b"\x1f\x8b" + os.urandom(150000), 8)
    aged(t, "var/log/syslog", "", 0)                                                  # emptied: high
    # look-alikes: a fresh dated rotation, a log at its siblings' rate, a name that only looks dated
    aged(t, "var/log/messages-20261204", "Dec  4 kernel: ok\n" * 12000, 0.1)
    aged(t, "var/log/messages", "Dec  4 kernel: ok\n", 0)
    aged(t, "var/log/secure-20261120", "x" * 70000, 15)
    aged(t, "var/log/secure-20261127", "x" * 70000, 8)
    aged(t, "var/log/secure", "x" * 70000, 0)
    # wtmp: bob's login blanked to type 0 with his name and time left (record 2, byte 768)
    blanked = bytearray(utmp(7, "bob", NOW - 3 * DAY))
    blanked[0:2] = b"\0\0"
    t.write("var/log/wtmp", utmp(2, "reboot", NOW - 5 * DAY, "~") + utmp(7, "alice", NOW - 4 * DAY)
            + bytes(blanked) + utmp(8, "bob", NOW - 3 * DAY + 60) + utmp(7, "alice", NOW - DAY))
    t.write("var/log/btmp", utmp(6, "admin", NOW - 3 * DAY, "ssh:notty") + utmp(6, "oracle", NOW - DAY, "ssh:notty"))
    # utmp: a slot left EMPTY with data in it (slots are reused): low at most
    slot = bytearray(utmp(8, "carol", NOW - DAY))
    slot[0:2] = b"\0\0"
    t.write("run/utmp", utmp(2, "reboot", NOW - 5 * DAY, "~") + bytes(slot) + utmp(7, "alice", NOW - 600))


def scan(t, *extra):
    code, out, err = run("scan", "--root", t.path, "--only", "persist", "--format", "jsonl", "-q",
                         "--fail-on", "none", "--no-db", "--recent", "0", *extra, timeout=120)
    ok(code == 0, f"persist: exit {code}: {err[-2000:]}")
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
        return None
    f = max(fs, key=lambda x: SEV[x["severity"]])
    ok(f["severity"] == sev, f"{rule} {path!r}: severity {f['severity']}, wanted {sev}: {f['title']}")
    ok(attack in f["attack"], f"{rule} {path!r}: ATT&CK {f['attack']}, wanted {attack}")
    ok(f.get("remediation"), f"{rule} {path!r}: no remediation")
    if text:
        ok(text in f["title"], f"{rule} {path!r}: {text!r} not in {f['title']!r}")
    return f


def below(got, rule, path, sev="medium"):
    for f in got.get((rule, path), []):
        ok(SEV[f["severity"]] < SEV[sev], f"look-alike {rule} {path!r} at {f['severity']}: {f['title']}")


def absent(got, rule, path):
    ok((rule, path) not in got, f"look-alike {rule} {path!r} reported: {[f['title'] for f in got.get((rule, path), [])]}")


with Tree() as t:
    build_rpm(t)
    got = by_key(scan(t))
    f = want(got, "rasoat:persist.timestomp", "/usr/bin/ls", "high", "T1070.006", "set back")
    if f:
        ok(f["evidence"].get("package") == "coreutils", f"the rpm package is named: {f['evidence']}")
        ok("dnf reinstall" in f["remediation"], f"an rpm host's remediation: {f['remediation']}")
    want(got, "rasoat:persist.timestomp", "/usr/lib64/libtool.so.1", "high", "T1070.006", "differ")
    for clean in ("/usr/bin/cat", "/usr/bin/id", "/usr/bin/who", "/usr/sbin/daemon", "/etc/tool.conf"):
        absent(got, "rasoat:persist.timestomp", clean)

with Tree() as t:
    build_logs(t)
    got = by_key(scan(t))
    want(got, "rasoat:persist.log_truncated", "/var/log/auth.log", "medium", "T1070.002", "/var/log/auth.log-20261127")
    want(got, "rasoat:persist.log_truncated", "/var/log/syslog", "high", "T1070.002", "/var/log/syslog-20261127.gz")
    absent(got, "rasoat:persist.log_truncated", "/var/log/messages")
    absent(got, "rasoat:persist.log_truncated", "/var/log/secure")
    f = want(got, "rasoat:persist.log_records_wiped", "/var/log/wtmp", "high", "T1070.002", "type 0 (EMPTY)")
    if f:
        ok("byte 768" in f["title"], f"the offset of the blanked record: {f['title']}")
        ok("byte 768" in f["evidence"].get("entry", ""), f"the offset in the evidence: {f['evidence']}")
    absent(got, "rasoat:persist.log_records_wiped", "/var/log/btmp")
    below(got, "rasoat:persist.log_records_wiped", "/run/utmp")

# a clean wtmp and no rotated copies at all: nothing
with Tree() as t:
    t.write("var/log/wtmp", utmp(2, "reboot", NOW - 5 * DAY, "~") + utmp(7, "alice", NOW - DAY)
            + utmp(8, "alice", NOW - DAY + 60))
    t.write("var/log/auth.log", "")
    got = by_key(scan(t))
    absent(got, "rasoat:persist.log_records_wiped", "/var/log/wtmp")
    absent(got, "rasoat:persist.log_truncated", "/var/log/auth.log")

done("test_depth_gaps_root", checks)
