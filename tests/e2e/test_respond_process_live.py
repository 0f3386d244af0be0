"""`rasoat respond suspend|kill` on the live host: a process tree (sh and two
sleeps) in a session of its own is suspended with --tree --apply, and every
member then shows frozen (its cgroup v2 cgroup.events "frozen 1", its v1
freezer.state FROZEN) or stopped (State T); undo makes every member run
again and removes rasoat's cgroup, and a second undo changes nothing; kill
--tree --apply leaves none of the tree. The guards: a plan whose target pins
a start time that the pid no longer has (a reused pid) is refused, as is a
pid that now runs another executable than the finding named, and nothing is
signalled; a dry run changes nothing; pid 1 and rasoat's own parent are
refused (exit 2). Needs root and a live /proc; skips otherwise."""
import json
import os
import subprocess
import sys
import tempfile
import time
import shutil

from rasoat_e2e import check, done, run

checks = 0


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


def stat_fields(pid):
    """(state, start time) of PID, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    rest = text[text.rindex(")") + 2:].split()
    return rest[0], int(rest[19])


def children(pid):
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                text = f.read()
        except OSError:
            continue
        if int(text[text.rindex(")") + 2:].split()[1]) == pid:
            out.append(int(entry))
    return out


def mounts():
    v2, v1 = None, None
    with open("/proc/self/mounts") as f:
        for line in f:
            dev, mnt, fstype, opts = line.split()[:4]
            if fstype == "cgroup2" and not v2:
                v2 = mnt
            if fstype == "cgroup" and "freezer" in opts.split(",") and not v1:
                v1 = mnt
    return v2, v1


def frozen_or_stopped(pid):
    st = stat_fields(pid)
    if st is None:
        return False
    if st[0] in "Tt":
        return True
    v2, v1 = mounts()
    try:
        with open(f"/proc/{pid}/cgroup") as f:
            lines = f.read().splitlines()
    except OSError:
        return False
    for line in lines:
        hid, ctrl, path = line.split(":", 2)
        try:
            if hid == "0" and ctrl == "" and v2 and path != "/":
                with open(os.path.join(v2, path.lstrip("/"), "cgroup.events")) as f:
                    if "frozen 1" in f.read():
                        return True
            if "freezer" in ctrl.split(",") and v1 and path != "/":
                with open(os.path.join(v1, path.lstrip("/"), "freezer.state")) as f:
                    if f.read().strip() == "FROZEN":
                        return True
        except OSError:
            pass
    return False


def wait_for(cond, seconds=5.0):
    end = time.time() + seconds
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.05)
    return cond()


def start_tree():
    p = subprocess.Popen(["/bin/sh", "-c", "sleep 60 & sleep 60 & wait"], start_new_session=True)
    ok(wait_for(lambda: len(children(p.pid)) == 2), "the test tree did not start")
    return p


def action_id(db, action):
    code, out, err = run("respond", "list", "--format", "jsonl", "--db", db)
    ok(code == 0, f"respond list: {code} {err}")
    lines = [json.loads(l) for l in out.splitlines() if l.strip()]
    applied = [l for l in lines if l["action"] == action and l["state"] == "applied"]
    ok(applied, f"no applied {action} in {lines}")
    return applied[-1]["id"]


def plan_file(tmp, name, actions):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        json.dump({"type": "plan", "version": 1, "scan": None, "host": "test", "root": "/",
                   "actions": actions}, f)
    code, out, err = run("respond", "token", path, "--format", "json")
    ok(code == 0, f"respond token: {code} {err}")
    return path, json.loads(out)["token"]


def main():
    if os.geteuid() != 0 or not os.path.exists("/proc/self/stat"):
        print("SKIP: test_respond_process_live needs root and a live /proc")
        done("test_respond_process_live", 0)
        return
    tmp = tempfile.mkdtemp(prefix="rasoat-e2e-proc-")
    db = os.path.join(tmp, "rasoat.db")
    trees = []
    try:
        p = start_tree()
        trees.append(p)
        members = [p.pid] + children(p.pid)
        starts = {m: stat_fields(m)[1] for m in members}

        # a dry run changes nothing
        code, out, err = run("respond", "suspend", str(p.pid), "--tree", "--db", db)
        ok(code == 0 and "would" in out, f"dry run: {code} {out} {err}")
        ok(not any(frozen_or_stopped(m) for m in members), "a dry run froze something")

        code, out, err = run("respond", "suspend", str(p.pid), "--tree", "--apply", "--db", db)
        ok(code == 0, f"suspend --apply: {code} {out} {err}")
        ok(wait_for(lambda: all(frozen_or_stopped(m) for m in members)),
           f"not every member is frozen or stopped: {[(m, stat_fields(m)) for m in members]}")
        v2, v1 = mounts()
        ours = [os.path.join(d, e) for d in (v2, v1) if d for e in os.listdir(d)
                if e.startswith(f"rasoat-suspend-{p.pid}-")]
        sid = action_id(db, "suspend")
        code, out, err = run("respond", "undo", sid, "--db", db)
        ok(code == 0, f"undo: {code} {out} {err}")
        ok(wait_for(lambda: not any(frozen_or_stopped(m) for m in members)),
           f"a member is still frozen or stopped after undo: {[(m, stat_fields(m)) for m in members]}")
        ok(all(stat_fields(m) and stat_fields(m)[1] == starts[m] for m in members),
           "a member changed or died across suspend and undo")
        ok(not any(os.path.exists(c) for c in ours), f"rasoat's cgroup is left: {ours}")
        code, out, err = run("respond", "undo", sid, "--db", db)
        ok(code == 0, f"second undo: {code} {out} {err}")

        # reused pid: the plan pins another start time -> refused, nothing touched
        path, token = plan_file(tmp, "stale.json", [
            {"action": "kill", "target": {"pid": p.pid, "tree": True, "start": starts[p.pid] + 1},
             "finding": "test:stale", "reason": "a pid that was reused"}])
        code, out, err = run("respond", "apply", path, "--token", token, "--db", db)
        ok(code != 0 and "reused" in out + err, f"stale start time not refused: {code} {out} {err}")
        ok(all(stat_fields(m) and stat_fields(m)[0] not in "TtZ" for m in members),
           "a refused kill touched the tree")
        # the finding named another executable
        path, token = plan_file(tmp, "exe.json", [
            {"action": "suspend", "target": {"pid": p.pid, "tree": False, "exe": "/tmp/.x/kworkerd"},
             "finding": "test:exe", "reason": "exe changed"}])
        code, out, err = run("respond", "apply", path, "--token", token, "--db", db)
        ok(code != 0 and "reused" in out + err, f"exe mismatch not refused: {code} {out} {err}")
        ok(not any(frozen_or_stopped(m) for m in members), "a refused suspend froze something")

        # hard refusals
        code, out, err = run("respond", "kill", "1", "--apply", "--db", db)
        ok(code == 2 and "pid 1" in err, f"pid 1 not refused: {code} {err}")
        code, out, err = run("respond", "suspend", str(os.getpid()), "--apply", "--db", db)
        ok(code == 2 and "ancestor of rasoat" in err, f"rasoat's parent not refused: {code} {err}")

        # kill the tree
        code, out, err = run("respond", "kill", str(p.pid), "--tree", "--apply", "--db", db)
        ok(code == 0, f"kill --tree --apply: {code} {out} {err}")
        p.wait(timeout=10)
        ok(p.returncode == -9, f"sh ended with {p.returncode}, not SIGKILL")
        ok(wait_for(lambda: not any(stat_fields(m) and stat_fields(m)[1] == starts[m]
                                    and stat_fields(m)[0] != "Z" for m in members[1:])),
           "a member of the tree survived the kill")
        ok(not any(os.path.exists(c) for c in ours), f"rasoat's cgroup is left: {ours}")
        code, out, err = run("respond", "verify", "--db", db)
        ok(code == 0, f"journal verify: {code} {out} {err}")
    finally:
        for t in trees:
            if t.poll() is None:
                try:
                    os.killpg(t.pid, 9)
                except OSError:
                    pass
                t.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    done("test_respond_process_live", checks)


if __name__ == "__main__":
    main()
