"""Crash safety of `rasoat respond apply`: a plan of quarantine actions on a
temporary root (--root) is first run whole with RASOAT_CRASH_LOG to count its
crash points (each journal write, each quarantine write, rename and unlink);
then, for EVERY crash point N, the tree is rebuilt, apply is killed with
SIGKILL at N (RASOAT_CRASH_AT=N), and the next command (`respond list`, which
recovers) must leave each action either fully applied (the file gone, its
image in the quarantine with the same SHA-256, the journal saying applied) or
fully rolled back (the file byte-identical, with its mode, owner and times),
never between; `respond verify` passes, and `respond undo --all` then brings
the whole tree back. The same is done for `respond undo --all` killed at the
steps of its first action's undo and at every third step after: each action
ends applied or undone (byte-identical)."""
import hashlib
import json
import os
import shutil
import signal
import sys
import tempfile
import time

from rasoat_e2e import check, done, run

checks = 0
NOW = time.time()
FILES = {
    # name: (bytes, mode, uid, gid)
    "srv/.x/kworkerd": (b"\x7fELF implant " * 300, 0o755, 0, 0),
    "usr/local/bin/sud": (b"#!/bin/sh\necho suid\n", 0o4755, 0, 0),
    "tmp/odd\nname": (b"odd path bytes\n", 0o600, 1000, 1000),
}


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


def build(root):
    """(Re)creates the tree under ROOT with fixed bytes, modes, owners and times."""
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    for i, (rel, (data, mode, uid, gid)) in enumerate(sorted(FILES.items())):
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        os.chown(path, uid, gid)
        os.chmod(path, mode)
        # atime newer than mtime and within a day: reading does not move it (relatime)
        os.utime(path, ns=(int((NOW - 3600 - i) * 1e9) + 123, int((NOW - 86400 * 3 - i) * 1e9) + 456))


def meta(path):
    """What a byte-exact restore must give back."""
    st = os.lstat(path)
    fd = os.open(path, os.O_RDONLY | os.O_NOATIME)  # reading must not move atime
    with os.fdopen(fd, "rb") as f:
        data = f.read()
    return (hashlib.sha256(data).hexdigest(), st.st_mode, st.st_uid, st.st_gid, st.st_mtime_ns,
            st.st_atime_ns, st.st_size)


def make_plan(root, path):
    plan = {"type": "plan", "version": 1, "scan": None, "host": "crash-test", "root": root,
            "actions": [{"action": "quarantine", "target": {"path": "/" + rel},
                         "finding": "test:crash", "reason": "crash test"}
                        for rel in sorted(FILES)]}
    with open(path, "w") as f:
        json.dump(plan, f, indent=2)
    code, out, err = run("respond", "token", path, "--format", "json")
    ok(code == 0, f"respond token: {code} {err}")
    return json.loads(out)["token"]


def listing(db):
    code, out, err = run("respond", "list", "--format", "jsonl", "--db", db)
    ok(code == 0, f"respond list (recovery) exit {code}: {err}")
    lines = [json.loads(l) for l in out.splitlines() if l.strip()]
    return {l["target"]["path"]: l for l in lines}, err


def images(db):
    code, out, err = run("quarantine", "list", "--format", "jsonl", "--db", db)
    ok(code == 0, f"quarantine list exit {code}: {err}")
    return [json.loads(l) for l in out.splitlines() if l.strip()]


def check_state(root, db, expected, where):
    """Each action fully applied or fully rolled back; returns how many applied."""
    actions, err = listing(db)
    imgs = images(db)
    applied = 0
    for rel, want in expected.items():
        path = os.path.join(root, rel)
        line = actions.get("/" + rel)
        state = line["state"] if line else None
        ok(not line or not line.get("undoing"), f"{where}: {rel} left undoing: {line}")
        if state == "applied":
            applied += 1
            ok(not os.path.lexists(path), f"{where}: {rel} applied but still there")
            ok(any(i.get("sha256") == want[0] and not i.get("restored") for i in imgs),
               f"{where}: {rel} applied but no image with its SHA-256 in {imgs}")
        else:
            ok(state in (None, "failed", "planned") and (state != "planned" or line.get("dry_run")),
               f"{where}: {rel} in state {state} after recovery: {line}")
            ok(os.path.lexists(path), f"{where}: {rel} rolled back but missing ({state}); stderr {err}")
            if os.path.lexists(path):
                ok(meta(path) == want, f"{where}: {rel} not byte-identical: {meta(path)} != {want}")
    code, out, err = run("respond", "verify", "--db", db)
    ok(code == 0, f"{where}: respond verify exit {code}: {out} {err}")
    return applied


def apply_all(root, plan, token, state):
    build(root)
    db = os.path.join(state, "rasoat.db")
    code, out, err = run("respond", "apply", plan, "--token", token, "--db", db)
    ok(code == 0, f"apply exit {code}: {out} {err}")
    return db


def crash_undo(root, plan, token, expected, base):
    """The same for `respond undo --all`: killed at each of its crash points,
    the next command finishes the interrupted undo; each action is then
    applied (file gone) or undone (file byte-identical), none half."""
    state = os.path.join(base, "undo0")
    db = apply_all(root, plan, token, state)
    log = os.path.join(base, "undo.log")
    code, out, err = run("respond", "undo", "--all", "--db", db, env=dict(os.environ, RASOAT_CRASH_LOG=log))
    ok(code == 0, f"undo --all exit {code}: {err}")
    with open(log) as f:
        steps = [l.split(" ", 1)[1].strip() for l in f if l.strip()]
    ok(sum(s == "journal.append" for s in steps) == 2 * len(FILES), f"undo crash points: {steps}")
    shutil.rmtree(state)
    undone = {}
    # every step of the first action's undo, then every third step (the
    # steps repeat per action; this keeps the test near 30 s under ASan)
    per_action = len(steps) // len(FILES)
    for n in range(1, len(steps) + 1):
        if n > per_action and n % 3 and n != len(steps):
            continue
        state = os.path.join(base, f"undo{n}")
        db = apply_all(root, plan, token, state)
        code, out, err = run("respond", "undo", "--all", "--db", db, env=dict(os.environ, RASOAT_CRASH_AT=str(n)))
        ok(code == -signal.SIGKILL, f"undo crash at {n} ({steps[n - 1]}): exit {code}: {err}")
        actions, err = listing(db)
        where = f"undo crash at {n} ({steps[n - 1]})"
        count = 0
        for rel, want in expected.items():
            path = os.path.join(root, rel)
            line = actions["/" + rel]
            ok(line["state"] in ("applied", "undone") and not line.get("undoing"),
               f"{where}: {rel} left {line['state']} undoing={line.get('undoing')}")
            if line["state"] == "undone":
                count += 1
                ok(os.path.lexists(path) and meta(path) == want, f"{where}: {rel} undone but not exact")
            else:
                ok(not os.path.lexists(path), f"{where}: {rel} still applied but back on disk")
        code, out, err = run("respond", "verify", "--db", db)
        ok(code == 0, f"{where}: respond verify exit {code}: {out} {err}")
        undone[count] = undone.get(count, 0) + 1
        shutil.rmtree(state)
    print(f"undo --all: {len(steps)} crash points; actions undone after recovery: {dict(sorted(undone.items()))}")


def main():
    if os.geteuid() != 0:
        print("test_respond_crash: SKIP: needs root (files owned by other users, SUID bits)")
        return
    base = tempfile.mkdtemp(prefix="rasoat-crash-")
    try:
        root = os.path.join(base, "root")
        build(root)
        expected = {rel: meta(os.path.join(root, rel)) for rel in FILES}
        plan = os.path.join(base, "plan.json")
        token = make_plan(root, plan)

        # a whole run, counting the crash points
        state = os.path.join(base, "state0")
        db = os.path.join(state, "rasoat.db")
        log = os.path.join(base, "crash.log")
        env = dict(os.environ, RASOAT_CRASH_LOG=log)
        code, out, err = run("respond", "apply", plan, "--token", token, "--db", db, env=env)
        ok(code == 0, f"apply exit {code}: {out} {err}")
        with open(log) as f:
            steps = [l.split(" ", 1)[1].strip() for l in f if l.strip()]
        ok(len(steps) >= 3 * len(FILES), f"only {len(steps)} crash points: {steps}")
        ok(sum(s == "journal.append" for s in steps) == 2 * len(FILES),
           f"journal writes among the crash points: {steps}")
        ok(check_state(root, db, expected, "full run") == len(FILES), "not every action applied")
        code, out, err = run("respond", "undo", "--all", "--db", db)
        ok(code == 0, f"undo --all exit {code}: {err}")
        for rel, want in expected.items():
            ok(meta(os.path.join(root, rel)) == want, f"undo --all: {rel} not restored exactly")
        shutil.rmtree(state)

        outcomes = {}
        for n in range(1, len(steps) + 1):
            build(root)
            state = os.path.join(base, f"state{n}")
            db = os.path.join(state, "rasoat.db")
            env = dict(os.environ, RASOAT_CRASH_AT=str(n))
            code, out, err = run("respond", "apply", plan, "--token", token, "--db", db, env=env)
            ok(code == -signal.SIGKILL, f"crash at {n} ({steps[n - 1]}): exit {code}, wanted SIGKILL: {err}")
            applied = check_state(root, db, expected, f"crash at {n} ({steps[n - 1]})")
            outcomes[applied] = outcomes.get(applied, 0) + 1
            # everything that was applied comes back exactly (every other
            # point: the undo phase below covers undo itself at each point)
            if n % 2:
                shutil.rmtree(state)
                continue
            code, out, err = run("respond", "undo", "--all", "--db", db)
            ok(code == 0, f"crash at {n}: undo --all exit {code}: {err}")
            for rel, want in expected.items():
                path = os.path.join(root, rel)
                ok(os.path.lexists(path) and meta(path) == want,
                   f"crash at {n}: {rel} not restored exactly by undo --all")
            shutil.rmtree(state)
        ok(len(outcomes) == len(FILES), f"crashes left 0..{len(FILES) - 1} actions applied: {outcomes}")
        print(f"apply: {len(steps)} crash points; actions applied after recovery: "
              f"{dict(sorted(outcomes.items()))}")
        crash_undo(root, plan, token, expected, base)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    done("test_respond_crash", checks)


main()
