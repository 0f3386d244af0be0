"""End-to-end: a hunt shows its progress on a terminal — the module, files
and bytes done of the total, the rate and the time left, and the file it
reads — redrawn on one line that is cleared at the end; a file name made of
terminal escape sequences never reaches the terminal as such; with stderr
not a terminal nothing of it is written, and the report on stdout is the
same either way."""
import os
import pty
import select
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import RASOAT, Tree, check, done, jsonl, summary  # noqa: E402

FILES = 400
SIZE = 256 * 1024


def hunt_on_terminal(args):
    """Runs rasoat with stderr on a pseudo-terminal; returns (exit code, stdout, terminal bytes)."""
    master, slave = pty.openpty()
    p = subprocess.Popen([RASOAT, *args], stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    seen = bytearray()
    out = bytearray()
    fds = [master, p.stdout.fileno()]
    while fds:
        ready, _, _ = select.select(fds, [], [], 300)
        if not ready:
            p.kill()
            break
        for fd in ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: the terminal's other side is closed
                chunk = b""
            if not chunk:
                fds.remove(fd)
            elif fd == master:
                seen += chunk
            else:
                out += chunk
    code = p.wait(timeout=60)
    os.close(master)
    return code, out.decode(errors="replace"), bytes(seen)


def main():
    passed = 0
    with Tree() as t:
        block = bytes(range(256)) * (SIZE // 256)
        t.write("data/evil\x1b]0;owned\x07name.txt", "harmless\n")
        args = ["hunt", t.p("data"), "--no-db", "--format", "jsonl", "--fail-on", "none", "--threads", "2"]
        # the rate and the time left appear once a module has run half a
        # second: grow the tree until the hunt takes that long on this machine
        files = 0
        for target in (FILES, 3 * FILES, 8 * FILES):
            for i in range(files, target):
                t.write(f"data/d{i // 100}/f{i:05d}.bin", block)
            files = target
            code, out, term = hunt_on_terminal(args)
            if b"/s" in term and b"ETA" in term:
                break
        check(code == 0, f"hunt on a terminal: exit 0, got {code}: {term[-2000:]!r}")
        lines = jsonl(out)
        s = summary(lines)
        check(s["modules"]["hunt"]["files"] >= files, f"every file hunted: {s['modules']['hunt']}")
        text = term.decode(errors="replace")
        frames = [f for f in text.split("\r\x1b[K") if f.strip()]
        check(frames, f"a progress line was drawn: {term[:500]!r}")
        passed += 2
        with_counts = [f for f in frames if f.startswith("hunt: ") and " files" in f]
        check(with_counts, f"the line names the module and counts files: {frames[:5]}")
        total = f"/{files + 1:,} files"
        final = [f for f in with_counts if total in f]
        check(final, f"the line shows the total once the walk is done ({total}): {with_counts[-3:]}")
        check(any("MiB" in f or "KiB" in f for f in with_counts), f"bytes are shown: {with_counts[-3:]}")
        check(any("/s" in f for f in with_counts), f"the rate is shown: {with_counts[-3:]}")
        check(any("ETA " in f for f in final), f"the time left is shown once the total is known: {final[-3:]}")
        check(any(t.p("data") in f for f in with_counts), f"the current file is shown: {with_counts[-3:]}")
        passed += 6
        check(b"\x1b]0;owned" not in term and b"\x07" not in term,
              "a file name's escape sequence does not reach the terminal")
        check(term.endswith(b"\r\x1b[K"), f"the line is cleared at the end: {term[-80:]!r}")
        passed += 2

        p = subprocess.run([RASOAT, *args], capture_output=True, timeout=300)
        check(p.returncode == 0, f"hunt into a pipe: exit 0, got {p.returncode}")
        check(b"\r" not in p.stderr and b"ETA" not in p.stderr and b"\x1b" not in p.stderr,
              f"no progress when stderr is not a terminal: {p.stderr[:300]!r}")
        piped = [l for l in jsonl(p.stdout.decode()) if l["type"] == "finding"]
        on_term = [l for l in lines if l["type"] == "finding"]
        check(sorted(f["rule"] for f in piped) == sorted(f["rule"] for f in on_term),
              "the same findings whether or not stderr is a terminal")
        passed += 3

        code, out, term = hunt_on_terminal(args + ["-q"])
        check(code == 0 and b"ETA" not in term and b"\r" not in term, f"--quiet: no progress line: {term[:300]!r}")
        passed += 1
    done("progress line", passed)


if __name__ == "__main__":
    main()
