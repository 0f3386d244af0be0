"""The hooking-library verdict on a fixture root (--root): the stand-in
rootkit built here with the system cc is flagged where it is preloaded
(/etc/ld.so.preload: critical, and the preload finding turns critical and
names it) and where it only lies unowned in a library directory (high); a
copy named like a known interposer that no package owns is a look-alike
(medium). Clean look-alikes stay silent: this host's libc owned by the
fixture's dpkg database, an unowned library that exports ordinary
functions and a text file named .so. A clean library in ld.so.preload
keeps the preload finding at high."""
import os
import shutil
import sys

from rasoat_e2e import Tree, check, done, findings, jsonl, run
import rklib

checks = 0


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


def host_libc():
    for d in ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu",
              "/usr/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64", "/lib"):
        p = os.path.join(d, "libc.so.6")
        if os.path.isfile(p):
            return p
    return None


with Tree() as t:
    built = rklib.build(t.mkdir("build"))
    if not built:
        print("test_rootkit_hooklib_root: skipped: no C compiler (cc) to build the test library")
        sys.exit(0)
    hide, clean = built
    libc = host_libc()
    ok(libc is not None, "this host has a libc.so.6")
    arch = "/usr/lib/x86_64-linux-gnu"
    planted = f"{arch}/libsysupdate.so"
    dormant = "/usr/local/lib/libz2.so.1"
    lookalike = f"{arch}/libfakeroot-tcp.so"
    t.write(planted, open(hide, "rb").read())
    t.write(dormant, open(hide, "rb").read())
    t.write(lookalike, open(hide, "rb").read())
    t.write(f"{arch}/libc.so.6", open(libc, "rb").read())
    t.write(f"{arch}/libclean.so.1", open(clean, "rb").read())
    t.write("/usr/lib/libnotelf.so", "this is text, not a library\n" * 4)
    t.write("/etc/ld.so.preload", f"{planted}\n")
    # dpkg owns libc (and the directories); nothing else
    t.write("var/lib/dpkg/status", "Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\n"
            "Architecture: amd64\n\n")
    t.write("var/lib/dpkg/info/libc6:amd64.list", f"/.\n/usr\n/usr/lib\n{arch}\n{arch}/libc.so.6\n")
    shutil.rmtree(t.p("build"))

    code, out, err = run("rootkit", "--root", t.path, "--no-db", "--format", "jsonl", "-q", "--fail-on", "none")
    ok(code == 0, f"exit {code}: {err[-2000:]}")
    fs = findings(jsonl(out))
    hl = {f["evidence"]["path"]: f for f in fs if f["rule"] == "rasoat:rootkit.hooking_library"}

    f = hl.get(planted)
    ok(f is not None and f["severity"] == "critical", f"preloaded rootkit: {f}")
    ok("/etc/ld.so.preload" in f["evidence"]["sources"], f"sources: {f['evidence']['sources']}")
    ok({"readdir", "readdir64", "kill"} <= set(f["evidence"]["exports"]), f"exports {f['evidence']['exports']}")
    ok(len(f["evidence"].get("sha256", "")) == 64, "sha256 of the library")
    ok("T1574.006" in f["attack"] and "T1014" in f["attack"], "ATT&CK ids")
    ok(f.get("remediation"), "remediation")

    f = hl.get(dormant)
    ok(f is not None and f["severity"] == "high", f"rootkit lying in /usr/local/lib: {f}")
    ok(f["evidence"]["sources"] == ["library directory"], f"sources: {f['evidence']['sources']}")

    f = hl.get(lookalike)
    ok(f is not None and f["severity"] == "medium", f"unowned fakeroot look-alike: {f}")

    for quiet in (f"{arch}/libc.so.6", f"{arch}/libclean.so.1", "/usr/lib/libnotelf.so"):
        ok(quiet not in hl, f"clean look-alike flagged: {quiet}: {hl.get(quiet)}")
    ok(len(hl) == 3, f"unexpected hooking-library findings: {sorted(hl)}")

    pre = [f for f in fs if f["rule"] == "rasoat:rootkit.ld_so_preload"]
    ok(len(pre) == 1 and pre[0]["severity"] == "critical", f"preload finding: {pre}")
    ok(pre[0]["evidence"]["hooking"][0]["path"] == planted, f"preload names the hooking library: {pre}")

    # the same preload of a clean library: high (something is preloaded), not critical
    os.replace(t.p(f"{arch}/libclean.so.1"), t.p(planted))
    os.remove(t.p(dormant))
    os.remove(t.p(lookalike))
    code, out, err = run("rootkit", "--root", t.path, "--no-db", "--format", "jsonl", "-q", "--fail-on", "none")
    fs = findings(jsonl(out))
    pre = [f for f in fs if f["rule"] == "rasoat:rootkit.ld_so_preload"]
    ok(len(pre) == 1 and pre[0]["severity"] == "high" and "hooking" not in pre[0]["evidence"],
       f"clean preloaded library: {pre}")
    ok(not any(f["rule"] == "rasoat:rootkit.hooking_library" for f in fs),
       f"clean library flagged: {[f for f in fs if f['rule'] == 'rasoat:rootkit.hooking_library']}")

done("test_rootkit_hooklib_root", checks)
