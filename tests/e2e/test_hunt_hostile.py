"""End-to-end: hunting a hostile tree ends, with bounded memory, and counts
each trap in the summary: symlink loops (never followed), a FIFO (never
opened), a 10 GiB sparse file (over --max-size, never read), a directory of
200,000 entries, files deleted while the hunt runs, and — in a user namespace,
since root can open any file — an unreadable file and an unreadable
directory. A file deleted after the walk lists it
but before it is opened is counted as vanished; one deleted before the walk
looks at it is simply not there (not counted)."""
import os
import resource
import shutil
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import RASOAT, Tree, check, done, findings, jsonl, run, summary  # noqa: E402

MANY = 200_000


def main():
    passed = 0
    with Tree() as t:
        os.chmod(t.path, 0o755)
        t.symlink("loop/a", "b")
        t.symlink("loop/b", "a")
        t.symlink("loop/up", "..")
        t.symlink("loop/root", "/")
        t.fifo("traps/fifo")
        with open(t.p("traps/sparse"), "wb") as f:
            f.truncate(10 << 30)
        t.write("traps/eicar.com", b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*")
        many = t.mkdir("many")
        for i in range(MANY):
            os.close(os.open(os.path.join(many, f"f{i:06d}"), os.O_CREAT | os.O_WRONLY, 0o644))
        churn = t.mkdir("churn")
        for i in range(20_000):
            with open(os.path.join(churn, f"c{i:05d}"), "w") as f:
                f.write("x" * 64)

        stop = threading.Event()

        def delete_while_hunting():
            time.sleep(0.2)
            for i in range(20_000):
                if stop.is_set():
                    break
                try:
                    os.unlink(os.path.join(churn, f"c{i:05d}"))
                except FileNotFoundError:
                    pass

        deleter = threading.Thread(target=delete_while_hunting)
        deleter.start()
        start = time.monotonic()
        code, out, err = run("hunt", "--root", t.path, "/", "--format", "jsonl", "--no-db", "-q",
                             "--threads", "2", "--fail-on", "none", timeout=1300)
        elapsed = time.monotonic() - start
        stop.set()
        deleter.join()
        check(code == 0, f"hostile tree: exit 0, got {code}: {err[-2000:]}")
        lines = jsonl(out)
        s = summary(lines)["modules"]["hunt"]
        sk = s["skipped_reasons"]
        check(sk["symlink"] == 4, f"4 symlinks counted, never followed: {sk}")
        check(sk["not_regular"] == 1, f"the FIFO is counted, never opened: {sk}")
        check(sk["too_large"] == 1, f"the 10 GiB sparse file is over --max-size: {sk}")
        check(s["files"] >= MANY + 1, f"the 200,000 entries were hunted ({s['files']})")
        check(s["files"] <= MANY + 1 + 20_000, "no file is counted twice")
        check(s["files"] - MANY - 1 + sk["vanished"] <= 20_000, "deleted files: hunted or vanished, never both")
        fs = findings(lines)
        check(len(fs) == 1 and fs[0]["evidence"]["path"] == "/traps/eicar.com", "the one planted file is found")
        maxrss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        check(maxrss_mb < 1024, f"bounded memory: peak {maxrss_mb:.0f} MiB")
        print(f"hostile tree: {s['files']} files in {elapsed:.1f}s, vanished {sk['vanished']}, peak {maxrss_mb:.0f} MiB")
        passed += 9

        # unreadable: root opens any file, so the hunt runs in a new user
        # namespace, where root has no capability over the host's files and a
        # mode-000 file or directory stays closed
        if shutil.which("unshare") and subprocess.run(["unshare", "--user", "true"]).returncode == 0:
            t.write("locked/secret", "top secret\n", mode=0o000)
            t.write("closed/inside", "x")
            os.chmod(t.p("closed"), 0o000)
            p = subprocess.run(["unshare", "--user", RASOAT, "hunt", "--root", t.path, "/locked", "/closed",
                                "--format", "jsonl", "--no-db", "-q"],
                               capture_output=True, text=True, timeout=300,
                               env={**os.environ, "RASOAT_CACHE": t.p("cache")})
            os.chmod(t.p("closed"), 0o755)
            check(p.returncode == 0, f"unprivileged: exit 0, got {p.returncode}: {p.stderr[-2000:]}")
            s = summary(jsonl(p.stdout))["modules"]["hunt"]
            check(s["skipped_reasons"]["unreadable"] == 1, f"the unreadable file is counted: {s}")
            check(s["scan_errors"]["unreadable_directories"] == 1, f"the unreadable directory is counted: {s}")
            check(s["errors"] >= 2, "both are errors in the module summary")
            passed += 4
        else:
            print("test_hunt_hostile: unreadable-file case skipped (no user namespaces here)")
    done("test_hunt_hostile", passed)


if __name__ == "__main__":
    main()
