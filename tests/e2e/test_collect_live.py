"""`rasoat collect` on this machine: a process running a deleted copy of
/bin/sleep, a process holding a marker in its heap (and a TCP listener and a
unix socket), a named file and the findings of a stored scan go into a
bundle; the extracted bundle verifies with `sha256sum -c`, holds every
evidence class (each JSON member parses), the deleted executable's bytes,
the marker in the memory dump, the scan's file and a bodyfile line for the
named file with its MD5. Then each refusal exits 2 with its message and
leaves nothing behind: output inside a collected path, an existing file,
/proc, a read-only tmpfs, a nearly full tmpfs, --memory with --root."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import Tree, check, done, fail, run  # noqa: E402

VOLATILE = ["df", "host", "processes", "sockets", "users", "modules", "mounts", "routes",
            "neighbours", "interfaces", "firewall", "ld_so_preload", "cron", "timers",
            "units", "packages", "accounts"]

MARKER_PROGRAM = r"""
import os, socket, sys, time, uuid
marker = "RASOAT" + "-HEAP-MARKER-" + uuid.uuid4().hex
held = [marker * 4]
tcp = socket.socket(); tcp.bind(("127.0.0.1", 0)); tcp.listen(1)
unix = socket.socket(socket.AF_UNIX); unix.bind(sys.argv[1]); unix.listen(1)
print(marker, tcp.getsockname()[1], flush=True)
time.sleep(120)
"""


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def mount_tmpfs(path, options):
    os.makedirs(path, exist_ok=True)
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", path],
                       capture_output=True, text=True)
    return p.returncode == 0, p.stderr


def refused(args, message, leftover):
    code, out, err = run("collect", *args)
    check(code == 2, f"collect {' '.join(args)} exited {code}, wanted 2 (refusal)\n{err}")
    check(message in err, f"refusal without '{message}': {err!r}")
    check(not os.path.exists(leftover) and not os.path.exists(leftover + ".part"),
          f"a refused collect left {leftover} behind")


def main():
    if os.geteuid() != 0:
        print("skip: test_collect_live needs root (process memory, /proc/PID/exe, mounts)")
        return 0
    passed = 0
    t = Tree("rasoat-collect-")
    out = Tree("rasoat-collect-out-")
    procs, mounts = [], []
    try:
        # a process running a copy of sleep that is then deleted
        exe = t.p("bin/sleepcopy")
        os.makedirs(os.path.dirname(exe))
        shutil.copy2("/bin/sleep", exe)
        original = open(exe, "rb").read()
        sleeper = subprocess.Popen([exe, "120"])
        procs.append(sleeper)
        time.sleep(0.2)
        os.unlink(exe)
        # a process with a marker in its heap, a TCP listener and a unix socket
        marked = subprocess.Popen([sys.executable, "-c", MARKER_PROGRAM, t.p("marker.sock")],
                                  stdout=subprocess.PIPE, text=True)
        procs.append(marked)
        marker, port = marked.stdout.readline().split()
        note = t.write("evidence/note.txt", "collected note\n")
        # a stored scan with a finding whose path is copied
        t.write("rules/t.yar", 'rule collect_test_payload { strings: $a = "rasoat-collect-'
                'payload" condition: $a }\n')
        payload = t.write("scanned/payload.sh", "echo rasoat-collect-payload\n")
        db = out.p("db/rasoat.db")
        run("hunt", t.p("scanned"), "--rules", t.p("rules"), "--db", db, "--fail-on", "none",
            check_exit=0)

        listed_file = t.write("listed/sub/data.txt", "listed only\n")
        listed_exe = t.write("listed/run.sh", "#!/bin/sh\n", mode=0o755)
        bundle = out.p("bundle.tar.gz")
        started = time.monotonic()
        code, stdout, err = run("collect", "--pid", str(sleeper.pid), "--memory", str(marked.pid),
                                "--path", note, "--scan", "last", "--db", db, "--bodyfile", t.p("listed"),
                                "-o", bundle)
        elapsed = time.monotonic() - started
        check(code == 0, f"collect exited {code}\n{err}")
        check(os.path.exists(bundle) and not os.path.exists(bundle + ".part"), "no bundle written")
        passed += 1

        x = out.p("x")
        with tarfile.open(bundle, "r:gz") as tf:
            names = tf.getnames()
            check(all(not n.startswith("/") and ".." not in n.split("/") for n in names),
                  "a member name escapes the bundle")
            tf.extractall(x)
        tops = os.listdir(x)
        check(len(tops) == 1 and tops[0].startswith("rasoat-collect-"), f"top directory: {tops}")
        top = os.path.join(x, tops[0])
        p = subprocess.run(["sha256sum", "--quiet", "-c", "sha256sums.txt"], cwd=top,
                           capture_output=True, text=True)
        check(p.returncode == 0, f"sha256sum -c failed: {p.stdout}{p.stderr}")
        listed = {l.split("  ", 1)[1] for l in open(os.path.join(top, "sha256sums.txt")).read().splitlines()}
        on_disk = set()
        for d, _, files in os.walk(top):
            for f in files:
                on_disk.add(os.path.relpath(os.path.join(d, f), top))
        check(on_disk - listed == {"sha256sums.txt"}, f"members not in sha256sums: {on_disk - listed}")
        passed += 1

        manifest = json.load(open(os.path.join(top, "manifest.json")))
        members = {m["name"]: m for m in manifest["members"]}
        for name, m in members.items():
            for key in ("size", "sha256", "source", "time"):
                check(key in m, f"manifest entry {name} lacks {key}")
            check(os.path.getsize(os.path.join(top, name)) == m["size"], f"{name}: size differs")
            check(sha256(os.path.join(top, name)) == m["sha256"], f"{name}: sha256 differs")
        # manifest.json cannot hold its own digest: sha256sums.txt lists it besides
        check(set(members) | {"manifest.json"} == listed, "manifest and sha256sums list different members")
        for key in ("host", "tool", "command", "operator", "start", "end"):
            check(manifest.get(key), f"manifest lacks {key}")
        log = open(os.path.join(top, "acquisition.log")).read()
        for key in ("tool:", "host:", "command:", "operator:", "start:", "end:"):
            check(key in log, f"acquisition.log lacks {key}")
        check(f"--memory {marked.pid}" in log, "acquisition.log lacks the command line")
        passed += 1

        docs = {}
        for cls in VOLATILE:
            path = os.path.join(top, "volatile", cls + ".json")
            check(os.path.exists(path), f"class {cls} missing")
            docs[cls] = json.load(open(path))
        procs_by_pid = {pr["pid"]: pr for pr in docs["processes"]}
        s = procs_by_pid.get(sleeper.pid)
        check(s is not None, "the sleeper is not in processes.json")
        check(s["exe_deleted"] is True and s["exe_sha256"] == hashlib.sha256(original).hexdigest(),
              f"sleeper exe: {s['exe']} deleted={s['exe_deleted']} sha={s['exe_sha256']}")
        for key in ("ppid", "uid", "comm", "cmdline", "environ", "cwd", "maps", "fds", "sockets"):
            check(key in s, f"process lacks {key}")
        m = procs_by_pid.get(marked.pid)
        check(m is not None and any(f["target"].startswith("socket:") for f in m["fds"]), "marker fds")
        locals_ = {so.get("local") or so.get("path") for so in m["sockets"]}
        check(f"127.0.0.1:{port}" in locals_, f"TCP listener not among the marker's sockets: {locals_}")
        check(t.p("marker.sock") in locals_, f"unix socket not among the marker's sockets: {locals_}")
        tcp = [so for so in docs["sockets"]["inet"] if so["local"] == f"127.0.0.1:{port}"]
        check(tcp and tcp[0]["pid"] == marked.pid, f"sockets.json: listener pid {tcp}")
        check(any(i["name"] == "lo" for i in docs["interfaces"]), "no lo interface")
        check(isinstance(docs["routes"], list) and isinstance(docs["neighbours"], list), "routes/neighbours")
        check("ruleset" in docs["firewall"], "firewall.json lacks the ruleset")
        check("sessions" in docs["users"], "users.json lacks sessions")
        check("libraries" in docs["ld_so_preload"], "ld_so_preload.json lacks libraries")
        check(any(mt["mountpoint"] == "/" for mt in docs["mounts"]), "mounts lack /")
        df = json.load(open(os.path.join(top, "volatile", "df.json")))
        check(any(d["mountpoint"] == "/" and d["size"] > 0 for d in df), "df.json lacks /")
        check(os.path.exists(os.path.join(top, "volatile", "kernel_log.txt")), "no kernel log")
        check(os.path.exists(os.path.join(top, "volatile", "proc", "version")), "no /proc/version")
        # triage: the system configuration, but never the password hashes
        check(open(os.path.join(top, "files/etc/passwd"), "rb").read() == open("/etc/passwd", "rb").read(),
              "files/etc/passwd differs from /etc/passwd")
        check(not os.path.exists(os.path.join(top, "files/etc/shadow")), "/etc/shadow was copied")
        passed += 1

        copied = open(os.path.join(top, "proc", str(sleeper.pid), "exe"), "rb").read()
        check(copied == original, "the deleted executable's bytes differ from the original copy")
        check(members[f"proc/{sleeper.pid}/exe"]["deleted"] is True, "exe member not marked deleted")
        passed += 1

        memdir = os.path.join(top, "memory", str(marked.pid))
        check(os.path.exists(os.path.join(memdir, "maps")), "memory maps file missing")
        ranges = json.load(open(os.path.join(memdir, "ranges.json")))["ranges"]
        check(any(r["member"] for r in ranges), "no memory range dumped")
        hit = False
        for f in os.listdir(memdir):
            if f.endswith(".bin") and marker.encode() in open(os.path.join(memdir, f), "rb").read():
                hit = True
        check(hit, "the heap marker is not in the memory dump")
        passed += 1

        check(open(os.path.join(top, "files") + note, "rb").read() == b"collected note\n", "note copy")
        check(open(os.path.join(top, "files") + payload, "rb").read() == b"echo rasoat-collect-payload\n",
              "the --scan finding's file was not copied")
        body = open(os.path.join(top, "bodyfile.txt")).read().splitlines()
        check(all(len(l.split("|")) == 11 for l in body), "a bodyfile line without 11 fields")
        md5 = hashlib.md5(b"collected note\n").hexdigest()
        check(any(l.startswith(md5 + "|" + note + "|") for l in body), "bodyfile lacks the note with its MD5")
        check(any(l.split("|")[1] == payload for l in body), "bodyfile lacks the scanned directory")
        # --bodyfile lists a directory whole (executables hashed) without copying it
        check(any(l == "0|" + listed_file + l[len(listed_file) + 2:] and l.startswith("0|" + listed_file + "|")
                  for l in body), "bodyfile lacks the --bodyfile directory's file")
        exe_md5 = hashlib.md5(b"#!/bin/sh\n").hexdigest()
        check(any(l.startswith(exe_md5 + "|" + listed_exe + "|") for l in body), "--bodyfile executable MD5")
        check(not os.path.exists(os.path.join(top, "files") + listed_file), "--bodyfile copied a file")
        passed += 1
        print(f"collect took {elapsed:.2f} s; bundle {os.path.getsize(bundle)} bytes")

        # --root: the file parts only, read inside the root
        rb = out.p("root.tar.gz")
        run("collect", "--root", t.path, "--path", "/evidence/note.txt", "-o", rb, check_exit=0)
        with tarfile.open(rb, "r:gz") as tf:
            rnames = {n.split("/", 1)[1] for n in tf.getnames() if "/" in n}
            check("files/evidence/note.txt" in rnames, f"--root copy missing: {sorted(rnames)}")
            check("volatile/processes.json" not in rnames, "--root bundle holds live processes")
            check("volatile/mounts.json" in rnames and "bodyfile.txt" in rnames, "--root file classes")
        passed += 1

        # refusals
        refused(["--path", t.p("evidence"), "-o", t.p("evidence/out.tar.gz")], "inside",
                t.p("evidence/out.tar.gz"))
        refused(["--path", note, "-o", t.p("evidence/sub/../out2.tar.gz")], "inside",
                t.p("evidence/out2.tar.gz"))
        open(out.p("exists.tar.gz"), "w").close()
        code, _, err = run("collect", "-o", out.p("exists.tar.gz"))
        check(code == 2 and "exists" in err, f"existing output: {code} {err}")
        refused(["-o", "/proc/rasoat-bundle.tar.gz"], "pseudo filesystem", "/proc/rasoat-bundle.tar.gz")
        refused(["--root", t.path, "--memory", str(marked.pid), "-o", out.p("root2.tar.gz")],
                "live host", out.p("root2.tar.gz"))
        passed += 1
        ro, full = out.p("ro"), out.p("full")
        ok, why = mount_tmpfs(ro, "ro,size=64m")
        if not ok:
            fail(f"cannot mount a tmpfs as root: {why}")
        mounts.append(ro)
        refused(["-o", os.path.join(ro, "b.tar.gz")], "read-only", os.path.join(ro, "b.tar.gz"))
        ok, why = mount_tmpfs(full, "size=4m")
        if not ok:
            fail(f"cannot mount a tmpfs as root: {why}")
        mounts.append(full)
        refused(["-o", os.path.join(full, "b.tar.gz")], "nearly full", os.path.join(full, "b.tar.gz"))
        passed += 1
    finally:
        for pr in procs:
            pr.kill()
            pr.wait()
        for mnt in mounts:
            subprocess.run(["umount", mnt], check=False)
        Tree.remove_all()
    done("test_collect_live", passed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
