"""rasoat drill atomic: eighteen Atomic Red Team tests (persistence, privilege
escalation, defence evasion; one that needs the network, one not for Linux)
run in the sandbox from the read-only corpus. Checks that every test is in
the score table, that at least 15 ran, that the detections rasoat is known
to make are made, and that the host is unchanged: the files atomics touch
(hashes, modes, owners), the paths the sandbox reported changed, the mount
table, and no process or directory of the sandbox left behind."""
import hashlib
import json
import os
import stat
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import run, check, fail, done  # noqa: E402

NAME = "test_drill_atomic"

TESTS = [
    "T1053.003:2", "T1053.003:3", "T1543.002:1", "T1546.004:1", "T1546.004:2",
    "T1546.004:7", "T1136.001:1", "T1098.004:1", "T1546.005:1", "T1548.001:1", "T1548.001:3",
    "T1548.001:7", "T1574.006:1", "T1070.003:1", "T1070.003:9", "T1564.001:1", "T1070.006:1",
    "T1036.005:1",
]

# (technique, test) -> a rule that must be among the detections
MUST_DETECT = {
    ("T1543.002", 1): "rasoat:persist.systemd_unit",
    ("T1546.004", 1): "rasoat:persist.shell_startup",
    ("T1548.001", 3): "rasoat:persist.suid",
    ("T1548.001", 7): "rasoat:persist.file_capabilities",
    ("T1574.006", 1): "rasoat:rootkit.ld_so_preload",
    ("T1136.001", 1): "rasoat:persist.",
}

# What the atomics touch on a host. Names another e2e test plants on the
# live host meanwhile (the drill scenarios' "rasoat-drill-" tag) are left out.
WATCHED = {  # path: how deep below it to look
    "/etc/crontab": 0, "/etc/cron.d": 1, "/etc/cron.hourly": 1, "/etc/cron.daily": 1, "/etc/cron.weekly": 1,
    "/etc/cron.monthly": 1, "/etc/systemd/system": 2, "/etc/profile": 0, "/etc/profile.d": 1,
    "/etc/bash.bashrc": 0, "/etc/ld.so.preload": 0, "/etc/passwd": 0, "/etc/shadow": 0, "/etc/group": 0,
    "/etc/gshadow": 0, "/etc/sudoers": 0, "/etc/sudoers.d": 1, "/etc/init.d": 1, "/etc/rc.local": 0,
    "/root": 1, "/root/.ssh": 1, "/home": 3, "/var/spool/cron": 3, "/usr/local/bin": 1, "/usr/local/sbin": 1,
    "/usr/local/etc": 2, "/lib/systemd/system": 1,
}
# Where a path the sandbox made must not appear on the host: the names
# there before the run (to this depth) are listed.
PARENTS = {"/etc": 4, "/root": 2, "/home": 3, "/var/tmp": 2, "/usr/local": 3, "/var/spool": 3,
           "/lib/systemd/system": 1}


def existing():
    names = set()
    for top, depth in PARENTS.items():
        base = top.count("/")
        for dirpath, dirnames, filenames in os.walk(top):
            if dirpath.count("/") - base >= depth - 1:
                dirnames[:] = []
            names.update(os.path.join(dirpath, n) for n in dirnames + filenames)
    return names


def corpus():
    src = os.environ.get("RS_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")
    for c in (os.path.join(src, "..", "shared", "corpora", "atomic-red-team"),
              os.path.join(src, "..", "..", "shared", "corpora", "atomic-red-team"),
              "/work/shared/corpora/atomic-red-team"):
        if os.path.isdir(os.path.join(c, "atomics")):
            return os.path.realpath(c)
    return None


def skip(why):
    print(f"SKIP: {NAME}: {why}")
    sys.exit(0)


def sandbox_possible():
    if os.geteuid() != 0:
        return "needs root (namespaces and overlay mounts)"
    with open("/proc/filesystems") as f:
        if "overlay" not in f.read():
            return "the kernel has no overlayfs"
    try:
        p = subprocess.run(["unshare", "-m", "-p", "-n", "-u", "-i", "-f", "true"], capture_output=True,
                           timeout=20)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"unshare(1) cannot run: {e}"
    if p.returncode != 0:
        return "cannot make mount, PID, network, UTS and IPC namespaces here: " + p.stderr.decode()[-200:]
    return None


# A file that another e2e test's drill scenario planted on the live host
# meanwhile (its lines carry the run's "rasoat-drill-" tag).
DRILL_PLANT = "drill plant"


def differs(a, b):
    """Whether two states of a path differ in a way the sandbox could cause:
    drill plants of other tests, and directories that appear or go (their
    entries are compared one by one, and paths the sandbox changed are
    checked below), do not count."""
    if a == b or DRILL_PLANT in (a, b):
        return False
    if (a is None and isinstance(b, tuple) and stat.S_ISDIR(b[0])) or \
            (b is None and isinstance(a, tuple) and stat.S_ISDIR(a[0])):
        return False
    return True


def ignored(path):
    return "rasoat-drill-" in path or "rasoat-e2e-" in path


def state(path):
    """What a path is on the host: type, mode, owner and content digest."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as e:
        return f"error {e.errno}"
    s = (stat.S_IFMT(st.st_mode), st.st_mode, st.st_uid, st.st_gid)
    if stat.S_ISDIR(st.st_mode):
        return s
    s += (st.st_size,)
    if stat.S_ISREG(st.st_mode) and st.st_size < (4 << 20):
        try:
            with open(path, "rb") as f:
                data = f.read()
            if b"rasoat-drill-" in data:
                return DRILL_PLANT
            return s + (hashlib.sha256(data).hexdigest(),)
        except OSError as e:
            return s + (f"unreadable {e.errno}",)
    if stat.S_ISLNK(st.st_mode):
        return s + (os.readlink(path),)
    return s


def snapshot():
    snap = {}

    def walk(d, depth):
        if depth <= 0 or not os.path.isdir(d) or os.path.islink(d):
            return
        try:
            names = os.listdir(d)
        except OSError:
            return
        for n in names:
            p = os.path.join(d, n)
            if not ignored(p):
                snap[p] = state(p)
                walk(p, depth - 1)

    for top, depth in WATCHED.items():
        snap[top] = state(top)
        walk(top, depth)
    return snap


def mounts():
    """The host's mounts as "mount point, type, source", leaving out the ones
    other tests running beside this one make and remove on their own:
    network namespaces (nsfs under /run/netns) and mounts in temporary
    directories. A sandbox mount left behind is caught by the
    "rasoat-sandbox" check below, which looks at every mount."""
    tmp = os.environ.get("TMPDIR") or "/tmp"
    found = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            fields = line.split()
            if "-" not in fields:
                continue
            dash = fields.index("-")
            point, fstype, source = fields[4], fields[dash + 1], fields[dash + 2]
            if fstype == "nsfs" or point.startswith("/run/netns"):
                continue
            if any(point == t or point.startswith(t.rstrip("/") + "/") for t in (tmp, "/tmp", "/var/tmp")):
                continue
            found.append(f"{point} {fstype} {source}")
    return sorted(found)


def all_mount_lines():
    with open("/proc/self/mountinfo") as f:
        return f.read().splitlines()


def sandbox_processes():
    """Processes carrying the mark the sandbox gives every command."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                if b"RASOAT_SANDBOX=1" in f.read().split(b"\0"):
                    found.append(pid)
        except OSError:
            pass
    return found


def tmp_sandboxes(tmpdir):
    return sorted(n for n in os.listdir(tmpdir) if n.startswith("rasoat-sandbox-"))


def main():
    why = sandbox_possible()
    if why:
        skip(why)
    art = corpus()
    if not art:
        skip("the Atomic Red Team corpus (../shared/corpora/atomic-red-team) is not on this machine")
    tmpdir = os.environ.get("TMPDIR") or "/tmp"
    before = snapshot()
    mounts_before = mounts()
    sandboxes_before = tmp_sandboxes(tmpdir)
    tmp_before = set(os.listdir(tmpdir))
    names_before = existing()

    rc, out, err = run("drill", "atomic", art, "--techniques", ",".join(TESTS), "--format", "json",
                       "--timeout", "20", timeout=600)
    passed = 0
    check(rc == 0, f"drill atomic exited {rc}\n{err[-3000:]}")
    doc = json.loads(out)
    check(doc["type"] == "drill_atomic", "not a drill_atomic document")
    results = doc["results"]
    listed = {(r["technique"], r["test"]) for r in results}
    for t in TESTS:
        tech, n = t.split(":")
        check((tech, int(n)) in listed, f"{t} is not in the score table")
    check(len(results) == len(TESTS), f"{len(results)} results for {len(TESTS)} tests")
    passed += 1

    ran = [r for r in results if r["status"] == "ran"]
    check(len(ran) >= 15, f"only {len(ran)} atomics ran in the sandbox: "
          + "; ".join(f"{r['technique']}:{r['test']} {r.get('reason')}" for r in results if r["status"] != "ran"))
    check(doc["ran"] == len(ran) and doc["detected"] == sum(1 for r in results if r["detected"]),
          "the totals do not match the results")
    for r in results:
        check(r["status"] in ("ran", "skipped"), f"{r['technique']}:{r['test']}: {r['status']} {r.get('reason')}")
        check(r["detected"] == bool(r["findings"]), f"{r['technique']}:{r['test']}: detected without findings")
        if r["status"] == "skipped":
            check(r.get("reason"), f"{r['technique']}:{r['test']} skipped without a reason")
    passed += 1

    by = {(r["technique"], r["test"]): r for r in results}
    check(by[("T1070.003", 9)]["status"] == "skipped" and "network" in by[("T1070.003", 9)]["reason"],
          "T1070.003:9 (needs sshpass from the network) is not skipped for the network")
    check(by[("T1036.005", 1)]["status"] in ("ran", "skipped"), "T1036.005:1 missing")
    for key, rule in MUST_DETECT.items():
        r = by[key]
        check(r["status"] == "ran" and any(f["rule"].startswith(rule) for f in r["findings"]),
              f"{key[0]}:{key[1]} was not detected by {rule}: {r.get('status')} {r.get('reason')} "
              f"{[f['rule'] for f in r['findings']]} changed {r.get('changed')} output {r.get('output')}")
    # every detection points at something the sandbox changed or at one of its processes
    for r in ran:
        for f in r["findings"]:
            ev = f.get("evidence", {})
            check("pid" in ev or "path" not in ev or ev["path"] in r["changed"],
                  f"{r['technique']}:{r['test']}: {f['rule']} on {ev.get('path')}, which the sandbox did not change")
    passed += 1

    # the host is unchanged
    after = snapshot()
    changed = [p for p in set(before) | set(after) if differs(before.get(p), after.get(p)) and not ignored(p)]
    check(not changed, f"the host changed: {sorted(changed)[:20]}")
    for r in ran:
        for p in r.get("changed", []):
            if p.startswith("/tmp/") or p == "/tmp":
                top = p.split("/")[2] if p.count("/") >= 2 else ""
                check(not top or top in tmp_before or not os.path.exists(os.path.join("/tmp", top)),
                      f"{p} (written in the sandbox) exists on the host")
                continue
            if ignored(p):
                continue
            if p in before:
                check(not differs(before[p], state(p)), f"{p} changed on the host")
            elif any(p.startswith(t + "/") for t in PARENTS) and p not in names_before:
                check(state(p) is None, f"{p} (made in the sandbox) exists on the host")
    passed += 1
    mounts_after = mounts()
    check(mounts_after == mounts_before,
          f"the mount table changed: added {sorted(set(mounts_after) - set(mounts_before))}, "
          f"removed {sorted(set(mounts_before) - set(mounts_after))}")
    check(not any("rasoat-sandbox" in l for l in all_mount_lines()), "a sandbox mount is left")
    check(not sandbox_processes(), f"sandbox processes are left: {sandbox_processes()}")
    check(tmp_sandboxes(tmpdir) == sandboxes_before, f"sandbox directories left in {tmpdir}")
    passed += 1

    # one file, one test, text output: the score line and the table line
    rc, out, err = run("drill", "atomic", os.path.join(art, "atomics", "T1543.002", "T1543.002.yaml") + ":1",
                       "--timeout", "20", timeout=300)
    check(rc == 0, f"drill atomic (one file) exited {rc}: {err[-2000:]}")
    check("T1543.002" in out and "DETECTED" in out and "rasoat:persist.systemd_unit" in out,
          f"no DETECTED score line: {out}")
    check("1 tests: 1 ran, 1 detected" in out, f"no table line: {out}")
    passed += 1

    # bad input: a malformed atomic names the file and line
    bad = os.path.join(tmpdir, f"rasoat-e2e-atomic-{os.getpid()}.yaml")
    with open(bad, "w") as f:
        f.write("attack_technique: T1\natomic_tests:\n- name: x\n  supported_platforms: [linux\n")
    try:
        rc, out, err = run("drill", "atomic", bad)
    finally:
        os.unlink(bad)
    check(rc == 2 and f"{bad}:4" in err, f"malformed atomic: exit {rc}, {err}")
    passed += 1
    done(NAME, passed)


if __name__ == "__main__":
    main()
