"""rasoat fim with its hashing threads: a baseline recorded with one thread
and one recorded with four are the same (each checks clean against the
other's tree), a check with four threads reports exactly what a check with
one reports, in the same order, after changes spread over many files of
many sizes (the 256 KB read and the size limit's edges among them); FIFOs
are recorded and never opened; a file rewritten again and again during
init leaves init working and only that file can differ afterwards."""
import os
import tempfile
import threading

from rasoat_e2e import Tree, check, done, findings, jsonl, run

checks = 0


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


def config(dirpath, threads):
    path = os.path.join(dirpath, f"t{threads}.conf")
    with open(path, "w") as f:
        f.write(f"threads = {threads}\n")
    return path


with Tree() as t, tempfile.TemporaryDirectory() as dbdir:
    c1, c4 = config(dbdir, 1), config(dbdir, 4)
    db1, db4 = os.path.join(dbdir, "one.db"), os.path.join(dbdir, "four.db")
    sizes = [0, 1, 63, 64, 65, 4096, 65535, 65536, 262143, 262144, 262145, 600000, 1048576, 1048577]
    n = 0
    for d in range(12):
        for k in range(40):
            size = sizes[(d * 40 + k) % len(sizes)]
            t.write(f"usr/lib/d{d:02d}/f{k:03d}", bytes([(d * 7 + k) % 251]) * size)
            n += 1
    t.fifo("usr/lib/d00/pipe")
    t.symlink("usr/lib/d01/link", "f000")
    t.write("etc/conf", "a=1\n")
    extra = ["--max-size", "1M"]  # files of 1048577 bytes: metadata only

    for conf, db in ((c1, db1), (c4, db4)):
        code, _, err = run("fim", "init", "--root", t.path, "--db", db, "--config", conf, "-q", *extra,
                           "/usr/lib", "/etc", timeout=120)
        ok(code == 0, f"init with {conf}: {code} {err}")
    for conf, db in ((c1, db4), (c4, db1)):
        code, out, err = run("fim", "check", "--root", t.path, "--db", db, "--config", conf, *extra,
                             "--format", "jsonl", timeout=120)
        ok(code == 0 and not findings(jsonl(out)), f"baselines of one and four threads agree: {out[:2000]} {err}")

    # changes over many files: content of equal size, a byte appended, a removal, an addition
    changed = set()
    for d in range(12):
        for k in range(0, 40, 7):
            rel = f"usr/lib/d{d:02d}/f{k:03d}"
            size = os.path.getsize(t.p(rel))
            if size:
                t.write(rel, bytes([255]) * size)
                changed.add("/" + rel)
    t.write("usr/lib/d03/f001", open(t.p("usr/lib/d03/f001"), "rb").read() + b"x")
    os.unlink(t.p("usr/lib/d04/f002"))
    t.write("usr/lib/d05/new", "new\n")

    outs = []
    for conf in (c1, c4):
        code, out, err = run("fim", "check", "--root", t.path, "--db", db1, "--config", conf, *extra,
                             "--format", "jsonl", timeout=120)
        ok(code == 1, f"changes found with {conf}: {code} {err}")
        outs.append([(f["rule"], f["evidence"]["path"], f["evidence"].get("changed")) for f in findings(jsonl(out))])
    ok(outs[0] == outs[1], f"one and four threads report the same, in the same order: {outs}")
    paths = {p for _, p, _ in outs[0]}
    what = {p: w or "" for _, p, w in outs[0]}
    # a file of 1048577 bytes is over the limit: compared by metadata only (no sha256)
    over = {p for p in changed if os.path.getsize(t.p(p)) > 1048576}
    ok(over and not any("sha256" in what.get(p, "") for p in over), f"files over --max-size not hashed: {what}")
    ok(all("sha256" in what.get(p, "") for p in changed - over),
       f"every content change found: {sorted(p for p in changed - over if 'sha256' not in what.get(p, ''))}")
    ok("/usr/lib/d03/f001" in paths and "/usr/lib/d04/f002" in paths and "/usr/lib/d05/new" in paths,
       "append, removal and addition found")
    ok(len(outs[0]) == len(paths), "one finding per path")

    # a file replaced again and again while init runs
    stop = threading.Event()

    def churn():
        i = 0
        while not stop.is_set():
            tmp = t.p("usr/lib/d06/.churn")
            with open(tmp, "wb") as f:
                f.write(bytes([i % 256]) * 300000)
            os.rename(tmp, t.p("usr/lib/d06/churn"))
            i += 1

    th = threading.Thread(target=churn)
    th.start()
    try:
        code, _, err = run("fim", "init", "--root", t.path, "--db", db4, "--config", c4, "-q", *extra,
                           "/usr/lib", "/etc", timeout=120)
    finally:
        stop.set()
        th.join()
    ok(code == 0, f"init while a file changes: {code} {err}")
    code, out, err = run("fim", "check", "--root", t.path, "--db", db4, "--config", c4, *extra,
                         "--format", "jsonl", timeout=120)
    other = {f["evidence"]["path"] for f in findings(jsonl(out))} - {"/usr/lib/d06/churn", "/usr/lib/d06/.churn",
                                                                     "/usr/lib/d06"}
    ok(code in (0, 1) and not other, f"only the churned file may differ: {other} {err}")

done("test_fim_threads", checks)
