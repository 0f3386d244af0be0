"""End-to-end: the integrity module's verified-digest cache in the scan
store. A first scan hashes every package file; a second scan with the same
--db reads none of the unchanged ones; a file rewritten with the same size
and its mtime put back (os.utime; the ctime still moves) is hashed again
and reported changed; a file that does not verify is never cached; --full
hashes everything; --no-db hashes everything every time. An rpm-only root
(rpmdb.sqlite built here, SHA-256 and MD5 digests) is verified the same
way, cached the same way, and a bad header is a warning."""
import hashlib
import os
import sqlite3
import struct
import sys

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import Tree, check, done, findings, jsonl, run, summary  # noqa: E402

N = 12


def scan(t, *extra):
    code, out, err = run("scan", "--root", t.path, "--only", "integrity", "--format", "jsonl", "-q",
                         "--fail-on", "none", *extra, timeout=300)
    check(code == 0, f"exit 0, got {code}: {err[-2000:]}")
    lines = jsonl(out)
    changed = sorted(f["evidence"]["path"] for f in findings(lines)
                     if f["rule"] == "rasoat:integrity.package_file_changed")
    return summary(lines)["modules"]["integrity"], changed


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


def rpm_package(name, dirs, files, algo):
    """FILES: (dir index, basename, digest, mode, flags)."""
    return rpm_header([(1000, 6, name), (1001, 6, "1.0"), (1002, 6, "1.el9"),
                       (1118, 8, dirs), (1117, 8, [f[1] for f in files]), (1116, 4, [f[0] for f in files]),
                       (1035, 8, [f[2] for f in files]), (1030, 3, [f[3] for f in files]),
                       (1037, 4, [f[4] for f in files]), (5011, 4, [algo])])


def rpm_case():
    passed = 0
    with Tree() as t, Tree() as state:
        db = state.p("rasoat.db")
        good, bad, conf = b"#!/bin/sh\necho ok\n", b"#!/bin/sh\necho bad\n", b"setting = 1\n"
        t.write("usr/bin/okay", good.decode(), mode=0o755)
        t.write("usr/bin/patched", bad.decode(), mode=0o755)
        t.write("etc/tool.conf", "setting = 2\n")
        t.write("usr/lib/libold.so", "old library\n")
        # unowned-file check on an rpm host: owned by no header, in bin and lib64
        t.write("usr/bin/dropped", "#!/bin/sh\necho dropped\n", mode=0o755)
        t.write("usr/lib64/libevil.so", "evil\n")
        t.write("usr/lib64/libgood.so.1", "good\n")
        t.mkdir("var/lib/rpm")
        con = sqlite3.connect(t.p("var/lib/rpm/rpmdb.sqlite"))
        con.execute("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)")
        sha = lambda b: hashlib.sha256(b).hexdigest()   # noqa: E731
        tool = rpm_package("tool", ["/usr/bin/", "/etc/", "/var/log/"], [
            (0, "okay", sha(good), 0o100755, 0),
            (0, "patched", sha(good), 0o100755, 0),
            (1, "tool.conf", sha(conf), 0o100644, 1),
            (0, "link", "", 0o120777, 0),
            (2, "tool.log", sha(b"x"), 0o100644, 64),     # %ghost: not verified
        ], 8)
        old = rpm_package("oldlib", ["/usr/lib/"], [(0, "libold.so", hashlib.md5(b"old library\n").hexdigest(),
                                                    0o100755, 0)], 1)
        goodlib = rpm_package("goodlib", ["/usr/lib64/"], [(0, "libgood.so.1", sha(b"good\n"), 0o100755, 0)], 8)
        for blob in (tool, old, tool[:-7], goodlib):
            con.execute("INSERT INTO Packages (blob) VALUES (?)", (blob,))
        con.commit()
        con.close()

        def rpm_scan(*extra):
            code, out, err = run("scan", "--root", t.path, "--only", "integrity", "--format", "jsonl",
                                 "--fail-on", "none", "--db", db, *extra, timeout=300)
            check(code == 0, f"exit 0, got {code}: {err[-2000:]}")
            lines = jsonl(out)
            got = {(f["rule"], f["evidence"]["path"]): f for f in findings(lines)}
            return summary(lines)["modules"]["integrity"], got, err

        s1, g1, err = rpm_scan()
        check(s1["rpm_files"] == 5 and s1["hashed"] == 5 and s1["skipped_unchanged"] == 0,
              f"rpm files listed (no symlink, no %ghost) and hashed: {s1}")
        check("package header 3 has a malformed file list" in err, f"the bad header is a warning: {err}")
        p = g1.get(("rasoat:integrity.package_file_changed", "/usr/bin/patched"))
        check(p is not None and p["severity"] == "high" and p["evidence"]["expected_sha256"] == sha(good)
              and p["evidence"]["package"] == "tool", f"the patched binary is high with its SHA-256: {p}")
        check(("rasoat:integrity.conffile_changed", "/etc/tool.conf") in g1, "the edited %config file")
        unowned = sorted(k[1] for k in g1 if k[0] == "rasoat:integrity.unowned_system_file")
        check(unowned == ["/usr/bin/dropped", "/usr/lib64/libevil.so"],
              f"files no rpm header lists are unowned, rpm's own files are not: {unowned}")
        check(len(g1) == 4, f"nothing else: {sorted(g1)}")
        passed += 6

        s2, g2, _ = rpm_scan()
        check(s2["hashed"] == 2 and s2["skipped_unchanged"] == 3, f"second scan: verified rpm files skipped: {s2}")
        check(sorted(g2) == sorted(g1), "the same findings from the cache")
        passed += 2

        # persist knows rpm's files too (one owner lookup for every module):
        # an rpm-owned SUID binary is not "owned by no package", a dropped one is
        os.chmod(t.p("usr/bin/okay"), 0o4755)
        os.chmod(t.p("usr/bin/dropped"), 0o4755)
        code, out, err = run("scan", "--root", t.path, "--only", "persist", "--format", "jsonl", "--fail-on", "none",
                             "--no-db", "--recent", "0", timeout=300)
        suid = {f["evidence"]["path"]: f for f in findings(jsonl(out)) if f["rule"] == "rasoat:persist.suid"}
        check("/usr/bin/dropped" in suid and "no package owns it" in suid["/usr/bin/dropped"]["evidence"]["verdict"],
              f"the unowned SUID file on an rpm host: {suid.get('/usr/bin/dropped')}")
        check("/usr/bin/okay" not in suid, f"rpm's own SUID binary is owned: {suid.get('/usr/bin/okay')}")
        passed += 2
    return passed


def main():
    passed = rpm_case()
    with Tree() as t, Tree() as state:
        db = state.p("rasoat.db")
        md5 = []
        for i in range(N):
            content = f"#!/bin/sh\necho tool {i:02d}\n"
            t.write(f"usr/bin/tool{i:02d}", content, mode=0o755)
            md5.append(f"{hashlib.md5(content.encode()).hexdigest()}  usr/bin/tool{i:02d}\n")
        t.write("usr/bin/trojaned", "#!/bin/sh\necho evil\n", mode=0o755)
        good = hashlib.md5(b"#!/bin/sh\necho good\n").hexdigest()
        md5.append(f"{good}  usr/bin/trojaned\n")
        t.write("var/lib/dpkg/status", "Package: tools\nStatus: install ok installed\nVersion: 1.0\n"
                "Architecture: amd64\n\n")
        t.write("var/lib/dpkg/info/tools.list",
                "/usr\n/usr/bin\n" + "".join(f"/usr/bin/tool{i:02d}\n" for i in range(N)) + "/usr/bin/trojaned\n")
        t.write("var/lib/dpkg/info/tools.md5sums", "".join(md5))

        s1, c1 = scan(t, "--db", db)
        check(s1["hashed"] == N + 1 and s1["skipped_unchanged"] == 0, f"first scan hashes every file: {s1}")
        check(c1 == ["/usr/bin/trojaned"], f"the trojaned file is reported: {c1}")
        passed += 2

        s2, c2 = scan(t, "--db", db)
        check(s2["hashed"] == 1 and s2["skipped_unchanged"] == N,
              f"second scan: {N} verified files skipped, the mismatch hashed again: {s2}")
        check(c2 == ["/usr/bin/trojaned"], f"a mismatch is never cached: reported again: {c2}")
        passed += 2

        path = t.p("usr/bin/tool03")
        st = os.stat(path)
        with open(path, "r+") as f:                 # same size, different content
            f.seek(len("#!/bin/sh\necho "))
            f.write("TOOL")
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))   # mtime restored; ctime moved
        check(os.stat(path).st_size == st.st_size and os.stat(path).st_mtime_ns == st.st_mtime_ns,
              "the fixture kept size and mtime")
        s3, c3 = scan(t, "--db", db)
        check(s3["hashed"] == 2 and s3["skipped_unchanged"] == N - 1,
              f"the rewritten file is hashed again despite its restored mtime: {s3}")
        check(c3 == ["/usr/bin/tool03", "/usr/bin/trojaned"], f"and reported changed: {c3}")
        passed += 3

        s4, c4 = scan(t, "--db", db, "--full")
        check(s4["hashed"] == N + 1 and s4["skipped_unchanged"] == 0, f"--full hashes every file: {s4}")
        check(c4 == c3, f"--full gives the same verdicts: {c4}")
        passed += 2

        s5, _ = scan(t, "--db", db)
        check(s5["hashed"] == 2 and s5["skipped_unchanged"] == N - 1, f"the cache is still used after --full: {s5}")
        passed += 1

        for _ in range(2):
            s6, c6 = scan(t, "--no-db")
            check(s6["hashed"] == N + 1 and s6["skipped_unchanged"] == 0, f"--no-db hashes every file: {s6}")
            check(c6 == c3, f"--no-db verdicts: {c6}")
        passed += 2
    done("test_integrity_cache", passed)


if __name__ == "__main__":
    main()
