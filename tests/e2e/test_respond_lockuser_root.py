"""`rasoat respond lock-user` on a fixture root (--root): the dry run changes
nothing; --apply puts '!' before the password hash and sets the account's
expiry to 1 and changes no other byte of /etc/shadow, keeping its mode,
owner and modification time; the journal's before-image does not hold the
hash; undo gives back /etc/shadow byte-identical with the same mode, owner
and times, and a second undo changes nothing; root and the last account
with sudo rights are refused (exit 2) and nothing changes. Crash safety:
killed by SIGKILL at every crash point of the apply (journal writes, the
temporary file's write, the rename), the next command leaves /etc/shadow
either exactly locked (applied) or byte-identical to before (rolled back),
the journal verifies and undo --all restores it."""
import json
import os
import shutil
import tempfile
import time

from rasoat_e2e import check, done, run

checks = 0
SHADOW = (b"root:$6$rs$roothash:19000:0:99999:7:::\n"
          b"alice:$6$as$alicehash:19000:0:99999:7:::\n"
          b"mallory:$y$j9T$ms$malloryhash:19500:0:99999:7::20500:\n"
          b"bob:$6$bs$bobhash:19000:0:99999:7:::\n")


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


def meta(path):
    st = os.lstat(path)
    with open(path, "rb") as f:
        data = f.read()
    return data, st.st_mode, st.st_uid, st.st_gid, st.st_mtime_ns


LOCKED = SHADOW.replace(b"mallory:$y$j9T$ms$malloryhash:19500:0:99999:7::20500:",
                        b"mallory:!$y$j9T$ms$malloryhash:19500:0:99999:7::1:")


def build(root):
    """(Re)creates the fixture root; returns the path and metadata of its shadow."""
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "etc"))
    with open(os.path.join(root, "etc/passwd"), "w") as f:
        f.write("root:x:0:0:root:/root:/bin/bash\n"
                "alice:x:1000:1000::/home/alice:/bin/bash\n"
                "mallory:x:1001:1001::/home/mallory:/bin/bash\n"
                "bob:x:1002:1002::/home/bob:/bin/bash\n")
    with open(os.path.join(root, "etc/group"), "w") as f:
        f.write("root:x:0:\nshadow:x:42:\nsudo:x:27:alice\n")
    shadow = os.path.join(root, "etc/shadow")
    with open(shadow, "wb") as f:
        f.write(SHADOW)
    os.chmod(shadow, 0o640)
    if os.geteuid() == 0:
        os.chown(shadow, 0, 42)
    now = time.time()
    os.utime(shadow, ns=(int((now - 600) * 1e9) + 11, int((now - 86400 * 9) * 1e9) + 22))
    return shadow, meta(shadow)


def crash_every_step(tmp):
    root = os.path.join(tmp, "croot")
    log = os.path.join(tmp, "crash.log")
    db = os.path.join(tmp, "count", "rasoat.db")
    os.makedirs(os.path.dirname(db))
    build(root)
    env = dict(os.environ, RASOAT_CRASH_LOG=log)
    code, out, err = run("respond", "lock-user", "mallory", "--root", root, "--db", db, "--apply", env=env)
    ok(code == 0, f"counting run: {code} {err}")
    with open(log) as f:
        steps = [l.split(" ", 1)[1].strip() for l in f if l.strip()]
    ok("lock-user.rename" in steps, f"no rename crash point in {steps}")
    for n in range(1, len(steps) + 1):
        shadow, orig = build(root)
        db = os.path.join(tmp, f"run{n}", "rasoat.db")
        os.makedirs(os.path.dirname(db))
        env = dict(os.environ, RASOAT_CRASH_AT=str(n))
        code, out, err = run("respond", "lock-user", "mallory", "--root", root, "--db", db, "--apply",
                             env=env)
        ok(code == -9, f"crash point {n} ({steps[n - 1]}): exit {code}")
        code, out, err = run("respond", "list", "--format", "jsonl", "--db", db)
        ok(code == 0, f"recovery after crash {n}: {code} {err}")
        lines = [json.loads(l) for l in out.splitlines() if l.strip()]
        state = lines[-1]["state"] if lines else "none"
        data, mode, uid, gid, mtime = meta(shadow)
        if state == "applied":
            ok(data == LOCKED and (mode, uid, gid, mtime) == orig[1:],
               f"crash {n} ({steps[n - 1]}): applied but shadow is {data!r}")
        else:
            ok(meta(shadow) == orig, f"crash {n} ({steps[n - 1]}): {state} but shadow changed")
        ok(not os.path.exists(os.path.join(root, "etc/.shadow.rasoat-tmp")),
           f"crash {n}: the temporary file is left after recovery")
        code, out, err = run("respond", "verify", "--db", db)
        ok(code == 0, f"verify after crash {n}: {code} {err}")
        code, out, err = run("respond", "undo", "--all", "--db", db)
        ok(code == 0 and meta(shadow) == orig, f"undo --all after crash {n}: {code} {err}")


def main():
    tmp = tempfile.mkdtemp(prefix="rasoat-e2e-lock-")
    root = os.path.join(tmp, "root")
    db = os.path.join(tmp, "state", "rasoat.db")
    os.makedirs(os.path.dirname(db))
    try:
        shadow, orig = build(root)

        code, out, err = run("respond", "lock-user", "mallory", "--root", root, "--db", db)
        ok(code == 0 and "would" in out, f"dry run: {code} {out} {err}")
        ok(meta(shadow) == orig, "the dry run changed /etc/shadow")

        code, out, err = run("respond", "lock-user", "mallory", "--root", root, "--db", db, "--apply")
        ok(code == 0, f"apply: {code} {out} {err}")
        data, mode, uid, gid, mtime = meta(shadow)
        ok(data == LOCKED, f"locked shadow is not as expected:\n{data!r}")
        ok((mode, uid, gid, mtime) == orig[1:], "apply changed the mode, owner or mtime")

        code, out, err = run("respond", "list", "--format", "jsonl", "--db", db)
        lines = [json.loads(l) for l in out.splitlines() if l.strip()]
        applied = [l for l in lines if l["action"] == "lock-user" and l["state"] == "applied"]
        ok(len(applied) == 1, f"journal: {lines}")
        with open(os.path.join(os.path.dirname(db), "journal.jsonl"), "rb") as f:
            journal = f.read()
        ok(b"malloryhash" not in journal, "the password hash is in the journal")

        for _ in range(2):
            code, out, err = run("respond", "undo", applied[0]["id"], "--db", db)
            ok(code == 0, f"undo: {code} {out} {err}")
            ok(meta(shadow) == orig, "undo did not give back /etc/shadow byte-identical with its metadata")
        ok(not os.path.exists(os.path.join(root, "etc/.shadow.rasoat-tmp")), "a temporary file is left")

        for user, why in (("root", "uid 0"), ("alice", "sudo")):
            code, out, err = run("respond", "lock-user", user, "--root", root, "--db", db, "--apply")
            ok(code == 2 and why in err, f"lock-user {user} not refused: {code} {out} {err}")
            ok(meta(shadow) == orig, f"a refused lock-user {user} changed /etc/shadow")
        crash_every_step(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    done("test_respond_lockuser_root", checks)


if __name__ == "__main__":
    main()
