"""rasoat persist and audit on this live host: the anti-forensics, account,
PAM-stack and hidden-file checks report nothing at high or critical on a
clean machine; a hidden directory planted in /dev/shm with a script in it is
found at medium while a plain directory beside it is not. One scan runs both
modules (the new-account check with a store is test_hostdepth_root's).
Prints what the checks say about this host."""
import os
import shutil
import sys
import tempfile

from rasoat_e2e import check, done, findings, jsonl, run  # noqa: E402

checks = 0
SEV = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
MINE = ("rasoat:persist.hidden_file", "rasoat:persist.log_records_wiped", "rasoat:persist.log_truncated",
        "rasoat:persist.journal_hole", "rasoat:persist.timestomp", "rasoat:persist.history_empty",
        "rasoat:persist.history_missing", "rasoat:persist.history_off", "rasoat:persist.history_link",
        "rasoat:persist.pam", "rasoat:accounts.")


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


if os.geteuid() != 0:
    print("test_hostdepth_live: 0 passed, 0 failed, 1 skipped (needs root to read shadow, wtmp and /dev/shm)")
    sys.exit(0)
if not os.path.isdir("/dev/shm"):
    print("test_hostdepth_live: 0 passed, 0 failed, 1 skipped (no /dev/shm)")
    sys.exit(0)


def mine(fs):
    return [f for f in fs if f["rule"].startswith(MINE)]


def scan(module, *extra):
    code, out, err = run("scan", "--only", module, "--format", "jsonl", "-q", "--fail-on", "none", *extra,
                         timeout=240)
    ok(code == 0, f"{module}: exit {code}: {err[-2000:]}")
    return mine(findings(jsonl(out)))


hidden = tempfile.mkdtemp(prefix=".rs-hostdepth-", dir="/dev/shm")
plain = tempfile.mkdtemp(prefix="rs-hostdepth-", dir="/dev/shm")
try:
    with open(os.path.join(hidden, "run"), "w") as f:
        f.write("#!/bin/sh\nsleep 1\n")
    with open(os.path.join(plain, "run"), "w") as f:
        f.write("#!/bin/sh\nsleep 1\n")
    with open(os.path.join(plain, ".keep"), "w") as f:
        f.write("")
    fs = scan("persist,audit", "--no-db")
    planted = [f for f in fs if f["evidence"].get("path") == hidden]
    ok(len(planted) == 1 and planted[0]["rule"] == "rasoat:persist.hidden_file"
       and planted[0]["severity"] == "medium" and "T1564.001" in planted[0]["attack"],
       f"the planted hidden directory: {[(f['rule'], f['severity'], f['title']) for f in planted]}")
    ok(not any(f["evidence"].get("path", "").startswith(plain) for f in fs),
       f"the plain directory is not hidden: {[f['title'] for f in fs if plain in f['title']]}")
    live = [f for f in fs if f["evidence"].get("path") != hidden]
    for f in live:
        print(f"  {f['severity']:8} {f['rule']}: {f['title'][:160]}")
        ok(SEV[f["severity"]] < SEV["high"], f"{f['severity']} on a clean host: {f['title']}")
    print(f"  {len(live)} findings of these checks on this host, none high or critical")
finally:
    shutil.rmtree(hidden, ignore_errors=True)
    shutil.rmtree(plain, ignore_errors=True)

done("test_hostdepth_live", checks)
