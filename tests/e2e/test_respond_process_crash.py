"""Crash safety of `rasoat respond suspend --tree --apply` on the live host: a
first run with RASOAT_CRASH_LOG counts its crash points (journal writes, the
dedicated cgroup's mkdir, each move, the freeze); then, for EVERY crash point
N, a fresh process tree is suspended with RASOAT_CRASH_AT=N (rasoat dies by
SIGKILL there), and the next command (`respond list`, which recovers) must
leave the tree either wholly frozen (the action applied) or wholly running
with no rasoat cgroup left (rolled back) — never part frozen; `respond
verify` passes and `respond undo --all` leaves every member running. Needs
root and a live /proc; skips otherwise."""
import json
import os
import shutil
import subprocess
import tempfile

from rasoat_e2e import check, done, run
from test_respond_process_live import children, frozen_or_stopped, mounts, wait_for

checks = 0


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


def start_tree():
    p = subprocess.Popen(["/bin/sh", "-c", "sleep 60 & sleep 60 & wait"], start_new_session=True)
    ok(wait_for(lambda: len(children(p.pid)) == 2), "the test tree did not start")
    return p, [p.pid] + children(p.pid)


def our_cgroups(pid):
    out = []
    for d in mounts():
        if d:
            out += [os.path.join(d, e) for e in os.listdir(d) if e.startswith(f"rasoat-suspend-{pid}-")]
    return out


def stop(p):
    if p.poll() is None:
        try:
            os.killpg(p.pid, 9)
        except OSError:
            pass
        p.wait()


def main():
    if os.geteuid() != 0 or not os.path.exists("/proc/self/stat"):
        print("SKIP: test_respond_process_crash needs root and a live /proc")
        done("test_respond_process_crash", 0)
        return
    tmp = tempfile.mkdtemp(prefix="rasoat-e2e-pcrash-")
    trees = []
    try:
        # count the crash points of one suspend
        db = os.path.join(tmp, "count", "rasoat.db")
        os.makedirs(os.path.dirname(db))
        log = os.path.join(tmp, "crash.log")
        p, members = start_tree()
        trees.append(p)
        env = dict(os.environ, RASOAT_CRASH_LOG=log)
        code, out, err = run("respond", "suspend", str(p.pid), "--tree", "--apply", "--db", db, env=env)
        ok(code == 0, f"suspend: {code} {out} {err}")
        with open(log) as f:
            steps = [l.split(" ", 1)[1].strip() for l in f if l.strip()]
        ok(any(s.startswith("freezer.") for s in steps), f"no freezer crash point in {steps}")
        code, out, err = run("respond", "undo", "--all", "--db", db)
        ok(code == 0, f"undo --all: {code} {err}")
        stop(p)

        outcomes = []
        for n in range(1, len(steps) + 1):
            db = os.path.join(tmp, f"run{n}", "rasoat.db")
            os.makedirs(os.path.dirname(db))
            p, members = start_tree()
            trees.append(p)
            env = dict(os.environ, RASOAT_CRASH_AT=str(n))
            code, out, err = run("respond", "suspend", str(p.pid), "--tree", "--apply", "--db", db, env=env)
            ok(code == -9, f"crash point {n} ({steps[n - 1]}): rasoat exited {code}, not killed")
            code, out, err = run("respond", "list", "--format", "jsonl", "--db", db)
            ok(code == 0, f"recovery after crash {n}: {code} {err}")
            lines = [json.loads(l) for l in out.splitlines() if l.strip()]
            state = lines[-1]["state"] if lines else "none"
            frozen = [frozen_or_stopped(m) for m in members]
            if state == "applied":
                ok(wait_for(lambda: all(frozen_or_stopped(m) for m in members)),
                   f"crash {n} ({steps[n - 1]}): applied but not all frozen: {frozen}")
            else:
                ok(wait_for(lambda: not any(frozen_or_stopped(m) for m in members)),
                   f"crash {n} ({steps[n - 1]}): {state} but something is frozen: {frozen}")
                ok(not our_cgroups(p.pid), f"crash {n}: rasoat's cgroup left: {our_cgroups(p.pid)}")
            outcomes.append(f"{n}:{steps[n - 1]}={state}")
            code, out, err = run("respond", "verify", "--db", db)
            ok(code == 0, f"verify after crash {n}: {code} {out} {err}")
            code, out, err = run("respond", "undo", "--all", "--db", db)
            ok(code == 0, f"undo --all after crash {n}: {code} {err}")
            ok(wait_for(lambda: not any(frozen_or_stopped(m) for m in members)),
               f"crash {n}: still frozen after undo --all")
            ok(not our_cgroups(p.pid), f"crash {n}: rasoat's cgroup left after undo")
            stop(p)
        print("crash points:", ", ".join(outcomes))
    finally:
        for t in trees:
            stop(t)
        shutil.rmtree(tmp, ignore_errors=True)
    done("test_respond_process_crash", checks)


if __name__ == "__main__":
    main()
