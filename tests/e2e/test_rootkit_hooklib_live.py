"""The hooking-library check and rasoat's self-check on this host as it is
(a clean machine with npm and cloud-SDK files outside the package
database and services running from deleted executables): rasoat does not
say it runs injected, names no pid hidden from libc, and reports no
hooking library at medium or above — libc, the loader, NSS modules and
every packaged interposer are set apart, and the unowned files in the
library directories and mapped by processes export no libc access
functions. A library built here and preloaded (LD_PRELOAD) into a running
process from a temporary directory is the positive control: reported
critical, met both in the process's environment and in its mappings."""
import os
import shutil
import subprocess
import sys
import tempfile

from rasoat_e2e import check, done, findings, jsonl, run
import rklib

checks = 0


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


if os.geteuid() != 0:
    print("test_rootkit_hooklib_live: skipped: needs root (reads every process)")
    sys.exit(0)

work = tempfile.mkdtemp(prefix="rasoat-rklib-live-")
holder = None
try:
    built = rklib.build(work)
    if not built:
        print("test_rootkit_hooklib_live: skipped: no C compiler (cc) to build the test library")
        sys.exit(0)
    hide, _clean = built
    # a process that preloads the library without being fooled by it
    # (RS_HIDE_PID is unset, so it hides nothing); rasoat runs without it
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "RS_HIDE_PID")}
    holder = subprocess.Popen([sys.executable, "-c", "import time; print('ready', flush=True); time.sleep(300)"],
                              env=dict(env, LD_PRELOAD=hide), stdout=subprocess.PIPE, text=True)
    ok(holder.stdout.readline().strip() == "ready", "the holder process did not start")

    code, out, err = run("rootkit", "--no-db", "--format", "jsonl", "-q", "--fail-on", "none", env=env)
    ok(code == 0, f"rasoat exited {code}: {err[-2000:]}")
    fs = findings(jsonl(out))
    ok(not any(f["rule"] in ("rasoat:rootkit.self_injected", "rasoat:rootkit.libc_hidden_pid") for f in fs),
       f"a clean run says it is injected: {[f for f in fs if 'self' in f['rule'] or 'libc' in f['rule']]}")
    ok("INJECTED" not in err, "a clean run warns of injection")
    hl = [f for f in fs if f["rule"] == "rasoat:rootkit.hooking_library"]
    mine = [f for f in hl if f["evidence"]["path"] == hide]
    ok(len(mine) == 1 and mine[0]["severity"] == "critical", f"the mapped test library: {mine}")
    sources = mine[0]["evidence"]["sources"]
    ok(f"LD_PRELOAD of process {holder.pid} (python3)" in sources or
       any(s.startswith(f"LD_PRELOAD of process {holder.pid} ") for s in sources), f"LD_PRELOAD source: {sources}")
    ok(any(s.startswith(f"mapped by process {holder.pid} ") for s in sources), f"mapped source: {sources}")
    bad = [f for f in hl if f["evidence"]["path"] != hide and f["severity"] in ("medium", "high", "critical")]
    ok(not bad, f"hooking libraries on this clean host: {[(f['severity'], f['title']) for f in bad]}")
    print(f"test_rootkit_hooklib_live: {len(hl)} hooking-library findings, the test's own included")
finally:
    if holder:
        holder.kill()
        holder.wait()
    shutil.rmtree(work, ignore_errors=True)

done("test_rootkit_hooklib_live", checks)
