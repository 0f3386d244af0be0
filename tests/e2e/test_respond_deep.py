"""rasoat respond remove on the deep fixture root (--root): for every
persistence and rootkit artefact the fixture plants, `respond plan` proposes
one remove action of the right family, `respond apply` takes it out, a
rescan no longer reports it while every look-alike is untouched, and
`respond undo --all` brings the tree back identical: bytes, type, mode,
owner, size, SHA-256, mtime in nanoseconds and every xattr of every path,
directories included. A plan of one action per family is then killed at
every crash point; each start recovers, and undo brings the tree back. The store, journal and quarantine live outside the
root (--db in another temporary directory)."""
import hashlib
import json
import os
import stat
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "deep"))
import deepfixture  # noqa: E402
from rasoat_e2e import Tree, check, done, findings, jsonl, run  # noqa: E402

checks = 0


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


if os.geteuid() != 0:
    print("test_respond_deep: 0 passed, 0 failed, 1 skipped (needs root: file capabilities, owners)")
    sys.exit(0)

# the family each planted rule is removed by
HOW = {
    "persist.cron": "line", "persist.at_job": "file", "persist.systemd_unit": "unit",
    "persist.systemd_timer": "unit", "persist.systemd_user_unit": "unit", "persist.systemd_generator": "file",
    "persist.rc_local": "line", "persist.init_script": "file", "persist.shell_startup": "line",
    "persist.motd_script": "line", "persist.xdg_autostart": "file", "persist.udev_rule": "line",
    "persist.apt_hook": "line", "persist.ld_so_conf": "line", "persist.pam": "line", "persist.sudoers": "line",
    "persist.ssh_authorized_key": "line", "persist.suid": "suid", "persist.file_capabilities": "caps",
    "persist.system_account_shell": "shell", "persist.git_hook": "line", "rootkit.ld_so_preload": "line",
    "rootkit.known_artifact": "file", "persist.history_off": "line", "persist.history_link": "file",
}


def tree_state(root):
    """Every path under ROOT (the root too) -> its type, mode, owner, size,
    mtime ns, xattrs and content SHA-256 (or symlink target)."""
    state = {}
    for top, dirs, files in os.walk(root):
        dirs.sort()
        for name in [None] + sorted(dirs) + sorted(files):
            p = top if name is None else os.path.join(top, name)
            if name is None and top != root:
                continue
            st = os.lstat(p)
            xattrs = {}
            if not stat.S_ISLNK(st.st_mode):
                for x in sorted(os.listxattr(p, follow_symlinks=False)):
                    xattrs[x] = os.getxattr(p, x, follow_symlinks=False).hex()
            if stat.S_ISREG(st.st_mode):
                with open(p, "rb") as f:
                    content = hashlib.sha256(f.read()).hexdigest()
            elif stat.S_ISLNK(st.st_mode):
                content = os.readlink(p)
            else:
                content = None
            state[os.path.relpath(p, root)] = (stat.S_IFMT(st.st_mode), st.st_mode & 0o7777, st.st_uid,
                                               st.st_gid, st.st_size,
                                               st.st_mtime_ns, tuple(xattrs.items()), content)
    return state


def diff(a, b):
    out = []
    for k in sorted(set(a) | set(b)):
        if a.get(k) != b.get(k):
            out.append(f"{k}: {a.get(k)} -> {b.get(k)}")
    return out[:20]


def scan(root, db):
    code, out, err = run("scan", "--root", root, "--only", "persist,rootkit", "--db", db, "--format", "jsonl",
                         "-q", "--fail-on", "none", "--recent", "0")
    ok(code == 0, f"scan exit {code}: {err[-2000:]}")
    lines = jsonl(out)
    return lines[-1]["scan"], findings(lines)


with Tree() as t, tempfile.TemporaryDirectory(prefix="rasoat-respond-db-") as state_dir:
    deepfixture.build(t)
    # a systemd unit enabled by a .wants link: the link goes with it, and comes back
    os.makedirs(t.p("etc/systemd/system/multi-user.target.wants"))
    os.symlink("/etc/systemd/system/dbus-helper.service",
               t.p("etc/systemd/system/multi-user.target.wants/dbus-helper.service"))
    # an ACL on a file a line is removed from: it must survive the rewrite and the undo
    acl = bytes.fromhex("02000000" "01000600ffffffff" "02000400e9030000" "04000400ffffffff"
                        "10000400ffffffff" "20000400ffffffff")  # u::rw-,u:1001:r--,g::r--,m::r--,o::r--
    os.setxattr(t.p("etc/crontab"), "system.posix_acl_access", acl)
    acl = os.getxattr(t.p("etc/crontab"), "system.posix_acl_access")
    os.setxattr(t.p("root/.ssh/authorized_keys"), "user.note", b"keep me")
    os.chmod(t.p("root/.ssh/authorized_keys"), 0o600)
    # a hidden file is quarantined, not removed by a family of `remove`: /tmp/.bash's SUID bit is
    planted = {k for k in deepfixture.PLANTED if k[0].startswith(("rasoat:persist.", "rasoat:rootkit."))
               and k[0] != "rasoat:persist.hidden_file"}
    ok(len(planted) == 39, f"39 persist and rootkit artefacts planted, not {len(planted)}")
    db = os.path.join(state_dir, "rasoat.db")
    before = tree_state(t.path)

    scan_id, fs = scan(t.path, db)
    reported = {(f["rule"], f["evidence"].get("path")) for f in fs}
    ok(planted <= reported, f"not reported before: {sorted(planted - reported)}")

    plan = os.path.join(state_dir, "plan.json")
    code, out, err = run("respond", "plan", "--scan", scan_id, "--root", t.path, "--db", db, "-o", plan)
    ok(code == 0, f"plan exit {code}: {err[-2000:]}")
    with open(plan) as f:
        doc = json.load(f)
    code, out, err = run("respond", "token", plan, "--format", "json")
    ok(code == 0, f"token exit {code}: {err[-1000:]}")
    token = json.loads(out)["token"]
    ok(doc["root"] == t.path, f"the plan acts in the fixture root: {doc['root']}")
    removes = [a for a in doc["actions"] if a["action"] == "remove"]
    by_key = {}
    for a in removes:
        key = (a["finding"], a["target"]["path"])
        ok(key not in by_key, f"two remove actions for {key}")
        by_key[key] = a
    paths = [a["target"]["path"] for a in doc["actions"] if "path" in a["target"]]
    whole = [a["target"]["path"] for a in doc["actions"] if not {"line", "lines", "user"} & a["target"].keys()]
    ok(len(whole) == len(set(whole)), f"one action per path: {sorted(whole)}")
    trees = {a["target"]["path"] for a in removes if a["target"]["how"] == "file"}
    covered = set()
    for rule, path in sorted(planted):
        a = by_key.get((rule, path))
        tree = [d for d in trees if path.startswith(d + "/")]
        if a is None and tree:
            covered.add((rule, path))  # a member of a planted tree goes with the tree's one action
            ok(not any(p == path for p in paths), f"{path} has its own action besides its tree's")
            continue
        ok(a is not None, f"no remove proposed for {rule} {path}")
        ok(a["target"]["how"] == HOW[rule[len("rasoat:"):]], f"{rule} {path}: how {a['target']['how']}")
        ok(a["reason"], f"{rule} {path}: a reason")
    ok(covered == {("rasoat:rootkit.known_artifact", "/reptile/reptile_cmd"),
                   ("rasoat:rootkit.known_artifact", "/XxJynx/jynx2.so")}, f"covered by trees: {covered}")
    ok(len(doc["actions"]) == len(planted) - len(covered),
       f"{len(doc['actions'])} actions for {len(planted) - len(covered)} artefacts: "
       f"{[(a['action'], a['finding'], a['target'].get('path')) for a in doc['actions']]}")
    keys = by_key[("rasoat:persist.ssh_authorized_key", "/root/.ssh/authorized_keys")]["target"]
    ok(keys["line"] == 2 and len(keys["line_sha256"]) == 64, f"the forced-command key by line hash: {keys}")

    # a dry run of one action changes nothing; a line that is not there is refused
    code, out, err = run("respond", "remove", "rasoat:persist.cron:/etc/crontab:3", "--root", t.path, "--db", db)
    ok(code == 0 and "remove line 3 of /etc/crontab: */5 * * * * root curl" in out + err, f"dry run: {code} {out} {err}")
    code, out, err = run("respond", "remove", "rasoat:persist.cron:/etc/crontab:99", "--apply", "--root", t.path,
                         "--db", db)
    ok(code != 0 and "/etc/crontab: has no line 99" in out + err, f"line 99: {code} {out} {err}")
    ok(tree_state(t.path) == before, f"the dry run changed the tree: {diff(before, tree_state(t.path))}")

    # the crontab gains a line above the artefact after the scan: the line is found by its hash
    with open(t.p("etc/crontab"), "r+") as f:
        text = f.read()
        f.seek(0)
        f.write("# added by the admin after the scan\n" + text)
    before = tree_state(t.path)

    code, out, err = run("respond", "apply", plan, "--token", token, "--root", t.path, "--db", db)
    ok(code == 0, f"apply exit {code}: {out[-2000:]} {err[-2000:]}")
    applied = tree_state(t.path)

    # the artefacts are gone and the legitimate lines stay
    with open(t.p("etc/crontab")) as f:
        crontab = f.read()
    ok(crontab == "# added by the admin after the scan\nSHELL=/bin/sh\n"
       "17 * * * * root cd / && run-parts --report /etc/cron.hourly\n", f"crontab: {crontab!r}")
    ok(os.getxattr(t.p("etc/crontab"), "system.posix_acl_access") == acl, "the crontab keeps its ACL")
    with open(t.p("root/.ssh/authorized_keys")) as f:
        keys_now = f.read()
    ok(keys_now == f"ssh-ed25519 {deepfixture.KEY} admin@laptop\n", f"authorized_keys: {keys_now!r}")
    st = os.stat(t.p("root/.ssh/authorized_keys"))
    ok(st.st_mode & 0o7777 == 0o600 and st.st_uid == 0, "authorized_keys keeps owner and mode for sshd")
    ok(os.getxattr(t.p("root/.ssh/authorized_keys"), "user.note") == b"keep me", "and its xattrs")
    with open(t.p("etc/passwd")) as f:
        ok("sshd2:x:120:65534::/run/sshd:/usr/sbin/nologin\n" in f.read(), "sshd2 has nologin")
    ok(os.stat(t.p("usr/bin/pkexec2")).st_mode & 0o7777 == 0o755, "pkexec2 lost its SUID bit only")
    ok(not os.path.lexists(t.p("etc/systemd/system/multi-user.target.wants/dbus-helper.service")),
       "the unit's .wants link went with it")
    ok(not os.path.lexists(t.p("reptile")) and not os.path.lexists(t.p("lib/x86_64-linux-gnu/libseconf")),
       "rootkit trees removed")
    with open(t.p("etc/ld.so.preload")) as f:
        ok(f.read() == "", "ld.so.preload emptied")
    ok(not any(".rasoat-" in p for p in applied), "no temporary file left in the root")

    # the rescan: nothing planted is reported any more, beyond the note that
    # a file left in /etc is not owned by a package
    _, fs = scan(t.path, db)
    for f in fs:
        key = (f["rule"], f["evidence"].get("path"))
        if key in planted:
            ok(f["evidence"].get("verdict") == "not owned by any package" and f["severity"] == "info",
               f"still reported after apply: {key} {f['severity']} {f['evidence'].get('verdict')}")
    # no look-alike was touched
    for k, v in before.items():
        if applied.get(k) != v:
            host_path = "/" if k == "." else "/" + k
            ok(any(host_path == p or host_path.startswith(p + "/") or p.startswith(host_path + "/") or
                   (os.path.dirname(p) == host_path) for _, p in planted) or
               host_path.endswith("multi-user.target.wants/dbus-helper.service") or
               host_path == "/etc/systemd/system/multi-user.target.wants",
               f"a path no artefact explains changed: {k}")

    code, out, err = run("respond", "undo", "--all", "--db", db)
    ok(code == 0, f"undo exit {code}: {out[-2000:]} {err[-2000:]}")
    after = tree_state(t.path)
    ok(after == before, "the tree is back byte-identical after undo --all: " + "; ".join(diff(before, after)))
    # undo is idempotent
    code, out, err = run("respond", "undo", "--all", "--db", db)
    ok(code == 0 and tree_state(t.path) == before, f"a second undo --all changes nothing: {code} {err[-500:]}")
    _, fs = scan(t.path, db)
    ok(planted <= {(f["rule"], f["evidence"].get("path")) for f in fs}, "after undo the artefacts are back")

    # crash safety: a plan of one action per family, killed at every step;
    # the next start leaves each action applied or rolled back, the journal
    # chain holds, and undo --all brings the tree back identical
    keep = {("line", "/etc/crontab"), ("file", "/reptile"), ("unit", "/etc/systemd/system/dbus-helper.service"),
            ("suid", "/usr/bin/pkexec2"), ("caps", "/usr/local/bin/py3")}
    doc["actions"] = [a for a in doc["actions"] if (a["target"].get("how"), a["target"]["path"]) in keep]
    ok(len(doc["actions"]) == len(keep), f"the crash plan: {len(doc['actions'])} actions")
    small = os.path.join(state_dir, "small.json")
    with open(small, "w") as f:
        json.dump(doc, f)
    token = json.loads(run("respond", "token", small, "--format", "json")[1])["token"]
    log = os.path.join(state_dir, "crash.log")
    code, out, err = run("respond", "apply", small, "--token", token, "--db", db,
                         env=dict(os.environ, RASOAT_CRASH_LOG=log))
    ok(code == 0, f"the crash plan applies: {out[-1000:]} {err[-1000:]}")
    with open(log) as f:
        steps = [l.split()[1] for l in f.read().splitlines()]
    for family in ("remove.write", "remove.rename", "remove.chmod", "remove.removexattr", "quarantine.unlink"):
        ok(family in steps, f"crash point {family} reached: {sorted(set(steps))}")
    run("respond", "undo", "--all", "--db", db, check_exit=0)
    ok(tree_state(t.path) == before, "back after the crash plan's undo")
    for n in range(1, len(steps) + 1):
        code, out, err = run("respond", "apply", small, "--token", token, "--db", db,
                             env=dict(os.environ, RASOAT_CRASH_AT=str(n)))
        ok(code == -9, f"killed at step {n} ({steps[n - 1]}): exit {code}")
        code, out, err = run("respond", "list", "--db", db, "--format", "jsonl")  # recovers first
        states = {l["state"] for l in jsonl(out) if not l.get("dry_run")}
        ok(code == 0 and states <= {"applied", "failed", "undone"}, f"after a crash at {n}: {states} {err[-500:]}")
        ok(not any(".rasoat-" in p for p in tree_state(t.path)), f"no temporary file left after a crash at {n}")
        run("respond", "undo", "--all", "--db", db, check_exit=0)
        after = tree_state(t.path)
        ok(after == before, f"crash at {n} ({steps[n - 1]}), recovered and undone: " + "; ".join(diff(before, after)))
    code, out, err = run("respond", "verify", "--db", db)
    ok(code == 0, f"the journal chain holds after every crash: {out[-500:]} {err[-500:]}")

done("test_respond_deep", checks)
