"""rasoat fim init records the same baseline whichever way it reads and
walks: files read around the page cache (O_DIRECT, RASOAT_DIRECT=force:
every file, whatever its size or cache state), through it
(RASOAT_DIRECT=0), with io_uring or one read at a time
(RASOAT_IO_URING=0), the walk split over threads or not (threads = 1).
Each regular file's recorded SHA-256 is the one Python computes, for
sizes around the 4 KB alignment, the 256 KB read and the 1 MB direct
read (0 bytes, exact multiples, one byte more or less, more than the
reads in flight), a sparse file, a FIFO (recorded, never opened waiting:
init returns) and symlinks (recorded with their target, not followed);
directories deeper than the walk's split level are all recorded."""
import hashlib
import os
import sqlite3
import tempfile

from rasoat_e2e import Tree, check, done, run

checks = 0


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


def rows(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT path, type, sha256, size, mode, uid, gid, mtime, link "
                           "FROM fim_baseline ORDER BY path").fetchall()
    finally:
        con.close()


K, M = 4096, 1 << 20
sizes = [0, 1, K - 1, K, K + 1, 256 * 1024 - 1, 256 * 1024 + 1, M - 1, M, M + 1, 2 * M + 4097,
         4 * M, 4 * M + 1, 5 * M - 1, 9 * M + 123]

with Tree() as t, tempfile.TemporaryDirectory() as dbdir:
    expect = {}
    for i, size in enumerate(sizes):
        data = hashlib.sha256(str(i).encode()).digest() * (size // 32 + 1)
        rel = f"usr/lib/d{i % 3}/sub/f{i:02d}"
        t.write(rel, data[:size])
        expect["/" + rel] = hashlib.sha256(data[:size]).hexdigest()
    # sparse: a hole, then bytes at the end (holes read as zeros)
    sparse = t.p("usr/lib/sparse")
    with open(sparse, "wb") as f:
        f.seek(3 * M + 5)
        f.write(b"end")
    expect["/usr/lib/sparse"] = hashlib.sha256(bytes(3 * M + 5) + b"end").hexdigest()
    # deeper than the split's three levels below a tree
    t.write("usr/lib/a/b/c/d/e/deep", "deep\n")
    expect["/usr/lib/a/b/c/d/e/deep"] = hashlib.sha256(b"deep\n").hexdigest()
    t.fifo("usr/lib/d0/pipe")
    t.symlink("usr/lib/d1/big-link", "sub/f14")
    t.symlink("usr/lib/dirlink", "d2")
    t.write("etc/conf", "a=1\n")
    expect["/etc/conf"] = hashlib.sha256(b"a=1\n").hexdigest()

    one = os.path.join(dbdir, "one.conf")
    with open(one, "w") as f:
        f.write("threads = 1\n")
    ways = {
        "direct, io_uring": {"RASOAT_DIRECT": "force"},
        "direct, one read at a time": {"RASOAT_DIRECT": "force", "RASOAT_IO_URING": "0"},
        "page cache": {"RASOAT_DIRECT": "0"},
        "default": {},
    }
    got = {}
    for name, env in ways.items():
        for conf in (None, one):
            db = os.path.join(dbdir, f"{len(got)}.db")
            args = ["fim", "init", "--root", t.path, "--db", db, "-q", "--max-size", "100M"]
            if conf:
                args += ["--config", conf]
            code, _, err = run(*args, "/usr/lib", "/etc", timeout=120, env={**os.environ, **env})
            label = f"{name}, {'one thread' if conf else 'threads'}"
            ok(code == 0, f"init ({label}): {code} {err}")
            got[label] = rows(db)

    first = next(iter(got.values()))
    for label, r in got.items():
        ok(r == first, f"the same baseline {label} as {next(iter(got))}: "
                       f"{sorted(set(r) ^ set(first))[:6]}")
    by_path = {row[0]: row for row in first}
    for path, digest in expect.items():
        ok(path in by_path and by_path[path][1] == "file" and by_path[path][2] == digest,
           f"{path}: sha256 {by_path.get(path, (None, None, None))[2]} wanted {digest}")
    ok(by_path.get("/usr/lib/d0/pipe", ("", "", "x"))[1:3] == ("other", ""), "the FIFO recorded, not read")
    ok(by_path.get("/usr/lib/d1/big-link", ())[1:3] == ("link", "") and
       by_path["/usr/lib/d1/big-link"][8] == "sub/f14", "a symlink recorded with its target, not followed")
    ok(by_path.get("/usr/lib/dirlink", ())[1:2] == ("link",) and
       not any(p.startswith("/usr/lib/dirlink/") for p in by_path), "a symlink to a directory not entered")
    walked = {"/usr/lib", "/etc"} | {os.path.join(d, n)[len(t.path):] for top in ("usr/lib", "etc")
                                     for d, ds, fs in os.walk(t.p(top)) for n in ds + fs}
    ok(walked == set(by_path) and len(first) == len(by_path),
       f"every entry recorded once: {walked ^ set(by_path)}")

done("test_fim_direct", checks)
