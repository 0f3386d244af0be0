"""rasoat's rootkit module judges the code each process maps: a library
mapped from a temporary directory is high (T1574.006), one from a hidden
directory the process's own executable does not come from is medium, and a
program that lives in a hidden tree with its own libraries (the shape of
~/.pyenv/versions/X) is not reported. Real processes: the system's sleep
and a copy of it, with an inert library built here (two exported additions)
preloaded into them."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

from rasoat_e2e import check, done, findings, jsonl, run
import rklib

RULE = "rasoat:process.library_suspicious_path"
checks = 0


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


if os.geteuid() != 0:
    print("test_rootkit_maps_live: skipped: needs root (reads every process's maps)")
    sys.exit(0)

temp = tempfile.mkdtemp(prefix="rasoat-maps-")           # under /tmp: a temporary place
home = tempfile.mkdtemp(prefix=".rasoat-maps-", dir="/root")  # a hidden tree outside the temporary places
procs = []
try:
    built = rklib.build(temp)
    if not built:
        print("test_rootkit_maps_live: skipped: no C compiler (cc) to build the test library")
        sys.exit(0)
    _hide, clean = built
    for d in ("bin", "lib"):
        os.mkdir(os.path.join(home, d))
    hidden_lib = os.path.join(home, "lib", "libinert.so")
    shutil.copy(clean, hidden_lib)
    tree_sleep = os.path.join(home, "bin", "sleep")
    shutil.copy(shutil.which("sleep"), tree_sleep)
    sleep = os.path.realpath(shutil.which("sleep"))

    def start(exe, lib):
        env = dict(os.environ, LD_PRELOAD=lib)
        p = subprocess.Popen([exe, "300"], env=env)
        procs.append(p)
        return str(p.pid)

    from_temp = start(sleep, clean)          # system program, library in /tmp
    from_hidden = start(sleep, hidden_lib)   # system program, library in someone's hidden tree
    own_tree = start(tree_sleep, hidden_lib)  # program and library in the same hidden tree
    time.sleep(0.3)
    for p in procs:
        ok(p.poll() is None, "a test process did not start")
    maps = open(f"/proc/{from_temp}/maps").read()
    ok(clean in maps, "the preloaded library is not mapped: the test proves nothing")

    code, out, err = run("rootkit", "--no-db", "--format", "jsonl", "-q", "--fail-on", "none")
    ok(code == 0, f"rasoat exited {code}: {err[-2000:]}")
    fs = findings(jsonl(out))
    by_pid = {}
    for f in fs:
        if f["rule"] == RULE:
            by_pid.setdefault(str(f["evidence"].get("pid")), []).append(f)

    got = by_pid.get(from_temp, [])
    ok(len(got) == 1 and got[0]["severity"] == "high", f"library from /tmp: {got}")
    ok(got and got[0]["evidence"].get("library") == clean, f"the library is not named: {got}")
    ok(got and "T1574.006" in got[0]["attack"], f"ATT&CK id: {got}")
    got = by_pid.get(from_hidden, [])
    ok(len(got) == 1 and got[0]["severity"] == "medium", f"library from a hidden tree: {got}")
    ok(got and got[0]["evidence"].get("library") == hidden_lib, f"the library is not named: {got}")
    ok(own_tree not in by_pid, f"a program's own hidden tree was reported: {by_pid.get(own_tree)}")
finally:
    for p in procs:
        p.kill()
        p.wait()
    shutil.rmtree(temp, ignore_errors=True)
    shutil.rmtree(home, ignore_errors=True)

done("test_rootkit_maps_live", checks)
