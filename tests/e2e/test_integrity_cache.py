"""End-to-end: the integrity module's verified-digest cache in the scan
store. A first scan hashes every package file; a second scan with the same
--db reads none of the unchanged ones; a file rewritten with the same size
and its mtime put back (os.utime; the ctime still moves) is hashed again
and reported changed; a file that does not verify is never cached; --full
hashes everything; --no-db hashes everything every time."""
import hashlib
import os
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


def main():
    passed = 0
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
