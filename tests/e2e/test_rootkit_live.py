"""Live rootkit checks on this machine: a process running from a deleted copy
of a harmless binary in a hidden /tmp directory, one running from an
unsealed memfd and one from a sealed memfd are each found by pid at the
severity a responder expects. Everything planted is a copy of sleep(1),
killed and removed at the end."""
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
import time

from rasoat_e2e import check, done, findings, jsonl, run, planted_by_another_test

checks = 0


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


if os.geteuid() != 0:
    print("test_rootkit_live: 0 passed, 0 failed, 1 skipped")
    sys.exit(0)

SLEEP = shutil.which("sleep")


F_ADD_SEALS = 1033
SEALS = 0x0001 | 0x0002 | 0x0004 | 0x0008  # seal, shrink, grow, write


def start_from_memfd(sealed):
    data = open(SLEEP, "rb").read()
    fd = os.memfd_create("rasoat-test", os.MFD_CLOEXEC | (os.MFD_ALLOW_SEALING if sealed else 0))
    os.write(fd, data)
    if sealed:
        fcntl.fcntl(fd, F_ADD_SEALS, SEALS)
    # exec through the fd: the kernel keeps the memfd as the process's executable
    p = subprocess.Popen([f"/proc/self/fd/{fd}", "300"], pass_fds=(fd,), executable=f"/proc/self/fd/{fd}")
    os.close(fd)
    return p


hidden = tempfile.mkdtemp(prefix=".rasoat-hidden-", dir="/tmp")
procs = []
try:
    copy = os.path.join(hidden, "kworker-helper")
    shutil.copy(SLEEP, copy)
    deleted = subprocess.Popen([copy, "300"])
    procs.append(deleted)
    unsealed = start_from_memfd(False)
    procs.append(unsealed)
    sealed = start_from_memfd(True)
    procs.append(sealed)
    time.sleep(0.3)
    os.unlink(copy)

    code, out, err = run("rootkit", "--no-db", "--format", "jsonl", "-q", "--fail-on", "none")
    fs = findings(jsonl(out))
    by_pid = {f["evidence"].get("pid"): f for f in fs}

    f = by_pid.get(deleted.pid)
    ok(f is not None, f"deleted executable in a hidden /tmp dir not found: {fs}")
    ok(f["rule"] == "rasoat:process.deleted_exe_suspicious_path" and f["severity"] == "high",
       f"deleted exe finding: {f}")
    ok(f["evidence"]["exe"] == copy, f"exe path {f['evidence']['exe']}")
    ok("T1070.004" in f["attack"], "ATT&CK id")

    f = by_pid.get(unsealed.pid)
    ok(f is not None and f["rule"] == "rasoat:process.memfd_exe" and f["severity"] == "high",
       f"unsealed memfd process: {f}")
    ok("T1620" in f["attack"], "reflective code loading id")

    f = by_pid.get(sealed.pid)
    ok(f is not None and f["rule"] == "rasoat:process.memfd_exe_sealed" and f["severity"] == "medium",
       f"sealed memfd process: {f}")

    # nothing else on this machine is high or critical in this module
    others = [f for f in fs if f["evidence"].get("pid") not in (deleted.pid, unsealed.pid, sealed.pid)
              and f["severity"] in ("high", "critical")
              and not planted_by_another_test(f["evidence"].get("pid"))]
    ok(not others, f"unexpected high findings on this machine: {others}")
finally:
    for p in procs:
        p.kill()
        p.wait()
    shutil.rmtree(hidden, ignore_errors=True)

done("test_rootkit_live", checks)
