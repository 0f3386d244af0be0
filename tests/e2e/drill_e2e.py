"""Helpers for the drill end-to-end tests: a snapshot of everything a drill
may touch on the live host (or in a sandbox root) and its comparison, and a
live run of one scenario with the checks the issue asks for (coverage 100 %,
every step's time-to-detect, zero residue)."""
import json
import os
import re
import socket
import stat

from rasoat_e2e import RASOAT, check, run

CHECKS = [0]


def ok(cond, message):
    """check() that counts, for done()."""
    CHECKS[0] += 1
    check(cond, message)

# Directories a drill plants in, compared whole (names, modes, owners,
# mtimes, xattrs, bytes' size and mtime of every entry, two levels deep).
TREES = ["/etc/cron.d", "/etc/systemd/system", "/etc/profile.d", "/etc/pam.d", "/etc/sudoers.d",
         "/root/.ssh", "/var/www", "/var/spool/cron/crontabs"]
# Single files compared byte for byte with their metadata.
FILES = ["/etc/passwd", "/etc/shadow", "/etc/group", "/etc/rc.local", "/etc/ld.so.preload",
         "/etc/hosts", "/root/.ssh/authorized_keys"]
# Directories other tests write in at the same time: only the drill's
# entries (names holding "rasoat-drill") are compared.
SHARED = ["/tmp", "/var/tmp", "/opt", "/dev/shm", "/etc"]
DRILL_NAME = re.compile(r"^\.?rasoat-drill-[0-9a-f]{16}")


def _entry(path):
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    x = {}
    try:
        for name in os.listxattr(path, follow_symlinks=False):
            x[name] = os.getxattr(path, name, follow_symlinks=False).hex()
    except OSError:
        pass
    d = {"mode": oct(st.st_mode), "uid": st.st_uid, "gid": st.st_gid, "mtime": st.st_mtime_ns,
         "size": st.st_size if not stat.S_ISDIR(st.st_mode) else None, "xattrs": x}
    if stat.S_ISREG(st.st_mode):
        with open(path, "rb") as f:
            d["bytes"] = f.read().hex() if st.st_size < 1 << 20 else st.st_size
    elif stat.S_ISLNK(st.st_mode):
        d["link"] = os.readlink(path)
    return d


def _tree(top, depth=2):
    out = {}
    e = _entry(top)
    if e is None:
        return out
    out[top] = e
    if depth == 0 or not stat.S_ISDIR(os.lstat(top).st_mode):
        return out
    for name in sorted(os.listdir(top)):
        out.update(_tree(os.path.join(top, name), depth - 1))
    return out


def _tagged_processes():
    """Processes whose environment holds RASOAT_DRILL= or whose command
    line names a drill artefact."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = f.read()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read()
        except OSError:
            continue
        if b"RASOAT_DRILL=" in env or b"rasoat-drill-" in cmd or b"stratum+tcp://127.0.0.1" in cmd:
            found.append((pid, cmd.replace(b"\0", b" ").decode(errors="replace")))
    return found


def _listeners():
    """Listening TCP sockets: (table, local address, socket inode)."""
    out = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                for line in f.readlines()[1:]:
                    p = line.split()
                    if p[3] == "0A":
                        out.add((name, p[1], p[9]))
        except OSError:
            pass
    return out


def _socket_owners(inodes):
    """{inode: [(pid, cmdline, tagged)]} for the socket INODES."""
    want = {f"socket:[{i}]" for i in inodes}
    owners = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
            links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in fds]
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{pid}/environ", "rb") as f:
                tagged = b"RASOAT_DRILL=" in f.read()
        except OSError:
            continue
        for link in links:
            if link in want:
                owners.setdefault(link[8:-1], []).append((pid, cmd, tagged))
    return owners


def snapshot(root="/"):
    """Everything a drill may touch, under ROOT."""
    def r(p):
        return os.path.join(root, p.lstrip("/")) if root != "/" else p
    snap = {"trees": {}, "files": {}, "shared": {}}
    for t in TREES:
        snap["trees"][t] = _tree(r(t))
    for f in FILES:
        snap["files"][f] = _entry(r(f))
    for d in SHARED:
        try:
            snap["shared"][d] = sorted(n for n in os.listdir(r(d)) if DRILL_NAME.match(n))
        except FileNotFoundError:
            snap["shared"][d] = []
    if root == "/":
        snap["processes"] = _tagged_processes()
        snap["listeners"] = _listeners()
    return snap


def compare(before, after, what):
    """Checks that AFTER equals BEFORE; names the first differences."""
    diffs = []
    for key in ("trees", "files", "shared"):
        for k in before[key]:
            if before[key][k] != after[key][k]:
                b, a = before[key][k], after[key][k]
                if isinstance(b, dict) and isinstance(a, dict) and key == "trees":
                    for p in sorted(set(b) | set(a)):
                        if b.get(p) != a.get(p):
                            diffs.append(f"{p}: {b.get(p)} -> {a.get(p)}")
                else:
                    diffs.append(f"{k}: {b} -> {a}")
    if "processes" in after:
        if after["processes"]:
            diffs.append(f"drill processes still run: {after['processes']}")
        # a listener another test opened meanwhile is not the drill's; the drill's
        # (rasoat's loopback listener, or one a planted process opened) must be gone
        new = after["listeners"] - before["listeners"]
        owners = _socket_owners({l[2] for l in new})
        mine = [(l, o) for l in new for o in owners.get(l[2], []) if o[2] or " drill " in f" {o[1]} "]
        if mine:
            diffs.append(f"listeners of the drill are left: {mine}")
    ok(not diffs, f"{what}: the host is as before\n" + "\n".join(diffs[:20]))


def hostname():
    return socket.gethostname()


def _shared_crash_log(scenario):
    """Where the live test of SCENARIO keeps its run's crash-point log for
    the crash tests of the same scenario (RS_DRILL_CRASH_LOGS, set by ctest;
    None when unset)."""
    d = os.environ.get("RS_DRILL_CRASH_LOGS")
    return os.path.join(d, f"{scenario}.log") if d else None


def live_scenario(scenario, tmp):
    """Runs SCENARIO live with --authorize; checks coverage, time-to-detect,
    cleanup, residue and the before/after comparison. Returns the result.
    Under ctest the run also logs its crash points (RASOAT_CRASH_LOG) for
    crash_points(): the crash tests then need no whole run of their own."""
    db = os.path.join(tmp, "rasoat.db")
    shared = _shared_crash_log(scenario)
    env = None
    if shared:
        os.makedirs(os.path.dirname(shared), exist_ok=True)
        for p in (shared, shared + ".part"):
            if os.path.exists(p):
                os.unlink(p)
        env = dict(os.environ, RASOAT_CRASH_LOG=shared + ".part")
    before = snapshot()
    result = None
    try:
        code, out, err = run("drill", "run", scenario, "--db", db, "--authorize", "--confirm-host", hostname(),
                             "--format", "json", timeout=300, env=env)
        ok(code == 0, f"drill run {scenario} exited {code}\n{out[-3000:]}\n{err[-3000:]}")
        if shared:
            os.rename(shared + ".part", shared)  # only a run that went through is counted from
        result = json.loads(out.splitlines()[-1])
        ok(result["type"] == "drill" and result["exercise"] is True and result["run"].startswith("d-"),
              "the FORMATS.md drill object")
        ok(result["coverage"] == 1.0, f"coverage 100 %: {result['coverage']}")
        for s in result["steps"]:
            ok(s["planted"] and s["detected"], f"step {s['kind']} planted and detected: {s}")
            ok(isinstance(s["ttd_ms"], int) and 0 <= s["ttd_ms"] <= s["expect"]["within_ms"],
                  f"step {s['kind']}: time-to-detect reported: {s['ttd_ms']}")
            ok(s["finding"] and s["cleaned"], f"step {s['kind']}: finding named, cleaned up")
        ok(result["residue"] == 0, f"zero residue: {result.get('residue_items')}")
        # every plant is a drill-plant action in respond's journal, undone now
        with open(os.path.join(tmp, "journal.jsonl")) as f:
            lines = [json.loads(l) for l in f]
        mine = [l for l in lines if l["action"] == "drill-plant" and l["target"]["run"] == result["run"]]
        ids = {l["id"] for l in mine}
        ok(ids and all([l for l in mine if l["id"] == i][-1]["state"] == "undone" for i in ids),
              f"{len(ids)} journaled plants, each undone")
        ok(all([l for l in mine if l["id"] == i][0]["state"] == "planned" for i in ids),
              "each plant was journaled (planned) before it was made")
        ok(any(l["target"].get("path", "").endswith("-cleanup.timer") for l in mine) and
           any(l["target"]["op"] == "systemd" for l in mine),
           "the run installed its cleanup timer (and undid it: no unit is left, compared below)")
        # the run is an incident marked exercise
        ok(result.get("incident", "").startswith("INC-"), f"recorded as an incident: {result.get('incident')}")
        code, out, err = run("incident", "show", result["incident"], "--db", db, "--format", "json")
        inc = json.loads(out)
        ok(code == 0 and inc["exercise"] is True and inc["drill"] == result["run"],
           f"the incident is an exercise linked to the run: {out[:500]}")
    finally:
        run("drill", "cleanup", "--db", db)
    compare(before, snapshot(), f"after the {scenario} drill")
    return result, db


def crash_points(scenario, tmp):
    """The crash points of a whole live run of SCENARIO: [(N, WHAT)]. Taken
    from the live test's run of the same scenario when it left its log
    (live_scenario: the same command, written after this build of rasoat,
    the run exited 0; ctest runs that test first, DEPENDS); otherwise runs
    SCENARIO live once with RASOAT_CRASH_LOG."""
    shared = _shared_crash_log(scenario)
    if shared and os.path.exists(shared) and os.path.getmtime(shared) >= os.path.getmtime(RASOAT):
        with open(shared) as f:
            points = [(int(l.split()[0]), l.split()[1]) for l in f if l.strip()]
        print(f"crash points of {scenario} from the live test's run ({shared}): {len(points)}")
        return points
    db = os.path.join(tmp, "log", "rasoat.db")
    os.makedirs(os.path.dirname(db))
    log = os.path.join(tmp, "crash.log")
    env = dict(os.environ, RASOAT_CRASH_LOG=log)
    try:
        code, out, err = run("drill", "run", scenario, "--db", db, "--authorize", "--confirm-host", hostname(),
                             "--format", "json", env=env, timeout=300)
        ok(code == 0, f"the counting run of {scenario} went through: {err[-2000:]}")
    finally:
        run("drill", "cleanup", "--db", db)
    with open(log) as f:
        return [(int(l.split()[0]), l.split()[1]) for l in f if l.strip()]


def crash_then_recover(scenario, tmp, at, recover_with, planted_check):
    """Kills a live run of SCENARIO with SIGKILL at crash point AT, checks
    that something was left planted (PLANTED_CHECK(), a message or None),
    runs RECOVER_WITH (a drill command) and checks zero residue."""
    db = os.path.join(tmp, "crash", "rasoat.db")
    os.makedirs(os.path.dirname(db), exist_ok=True)
    before = snapshot()
    try:
        env = dict(os.environ, RASOAT_CRASH_AT=str(at))
        code, out, err = run("drill", "run", scenario, "--db", db, "--authorize", "--confirm-host", hostname(),
                             env=env, timeout=300)
        ok(code == -9, f"the run was killed with SIGKILL at crash point {at}: exit {code} {err[-1500:]}")
        left = planted_check()
        ok(left is None, f"the killed run had planted: {left}")
        code, out, err = run("drill", *recover_with, "--db", db)
        ok(code == 0, f"drill {' '.join(recover_with)} after the crash: {code} {err[-2000:]}")
        code, out, err = run("drill", "status", "--db", db, "--format", "jsonl")
        st = [json.loads(l) for l in out.splitlines() if l.strip()]
        ok(len(st) == 1 and st[0]["phase"] == "recovered" and st[0]["planted_now"] is False,
           f"status: the run is recovered and nothing is planted: {st}")
    finally:
        run("drill", "cleanup", "--db", db)
    compare(before, snapshot(), f"after SIGKILL at crash point {at} and recovery")


def live_test(name, scenario):
    """The whole live test of SCENARIO (test NAME): the run (live_scenario),
    its HTML report in Vietnamese, its text report, and `drill status`."""
    import tempfile
    from rasoat_e2e import done
    if os.geteuid() != 0:
        print("SKIP: a live drill plants in /etc and needs root")
        return
    with tempfile.TemporaryDirectory() as tmp:
        result, db = live_scenario(scenario, tmp)
        code, out, err = run("drill", "report", result["run"], "--db", db, "--format", "html", "--lang", "vi")
        ok(code == 0 and "Báo cáo diễn tập" in out and result["run"] in out, "the HTML report, in Vietnamese")
        code, out, err = run("drill", "report", result["run"], "--db", db, "--lang", "en")
        ok(code == 0 and "Coverage by ATT&CK tactic" in out and "zero residue" in out, "the text report")
        code, out, err = run("drill", "status", "--db", db, "--format", "jsonl")
        ok(code == 0 and '"phase":"done"' in out.replace(" ", ""), f"status shows the run done: {out}")
    done(name, CHECKS[0])
