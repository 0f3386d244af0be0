"""rasoat is not fooled by a userland rootkit preloaded into it: a library
built here with the system cc hides an inert process (a copy of sleep in a
temporary directory) from readdir/readdir64 and from kill(pid, 0). Run
under LD_PRELOAD of that library, `rasoat rootkit` still reports the
process (its executable in a temporary directory, by pid), names the pid
as hidden from libc, says loudly on stderr and in a critical finding that
it runs injected, and does not blame the kernel (the pid is not "hidden
from /proc": the raw listing shows it). Then the same check without the
library, on this host as it is: rasoat is not injected, and the
hooking-library check reports nothing at medium or above here."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

from rasoat_e2e import check, done, findings, jsonl, run
import rklib

checks = 0


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


if os.geteuid() != 0:
    print("test_rootkit_preload_live: skipped: needs root (reads every process)")
    sys.exit(0)

work = tempfile.mkdtemp(prefix="rasoat-rklib-")
inert = None
try:
    built = rklib.build(work)
    if not built:
        print("test_rootkit_preload_live: skipped: no C compiler (cc) to build the test library")
        sys.exit(0)
    hide, _clean = built
    copy = os.path.join(work, "rs-inert-sleep")
    shutil.copy(shutil.which("sleep"), copy)
    inert = subprocess.Popen([copy, "300"])
    pid = str(inert.pid)
    time.sleep(0.2)

    env = dict(os.environ, LD_PRELOAD=hide, RS_HIDE_PID=pid)
    # the library works: ls and kill are fooled
    ls = subprocess.run(["ls", "/proc"], env=env, capture_output=True, text=True).stdout.split()
    ok(pid not in ls, "the test library does not hide the pid from ls: the test proves nothing")
    ok(pid in os.listdir("/proc"), "the pid is listed without the library")

    code, out, err = run("rootkit", "--no-db", "--format", "jsonl", "-q", "--fail-on", "none", env=env)
    ok(code == 0, f"rasoat exited {code}: {err[-2000:]}")
    fs = findings(jsonl(out))
    mine = [f for f in fs if str(f["evidence"].get("pid")) == pid]
    rules = {f["rule"]: f for f in mine}
    ok("rasoat:process.exe_temp_path" in rules, f"the hidden process is not reported by pid: {mine}")
    h = rules.get("rasoat:rootkit.libc_hidden_pid")
    ok(h is not None and h["severity"] == "critical", f"the pid is not named as hidden from libc: {mine}")
    ok("rasoat:rootkit.hidden_pid" not in rules, "a userland hook was blamed on the kernel")
    inj = [f for f in fs if f["rule"] == "rasoat:rootkit.self_injected"]
    ok(len(inj) == 1 and inj[0]["severity"] == "critical", f"self-injection not reported: {inj}")
    libs = [l["path"] for l in inj[0]["evidence"]["libraries"]]
    ok(hide in libs, f"the injected library is not named: {libs}")
    ok({"readdir", "readdir64", "kill"} <= set(inj[0]["evidence"]["exports"]),
       f"exports: {inj[0]['evidence']['exports']}")
    ok("T1574.006" in inj[0]["attack"], "ATT&CK id")
    ok("INJECTED" in err and hide in err, f"not said loudly on stderr: {err[-1000:]}")
    ok(fs and fs[0]["rule"] in ("rasoat:rootkit.self_injected", "rasoat:rootkit.libc_hidden_pid"),
       "the self-check findings come first")

finally:
    if inert:
        inert.kill()
        inert.wait()
    shutil.rmtree(work, ignore_errors=True)

done("test_rootkit_preload_live", checks)
