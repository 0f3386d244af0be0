"""Helpers for the end-to-end tests: run the rasoat binary, build fixture
roots in temporary directories, read JSONL output."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

RASOAT = os.environ.get("RASOAT") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "rasoat")


def run(*args, check_exit=None, timeout=300, env=None):
    """Runs rasoat with ARGS; returns (exit code, stdout, stderr)."""
    p = subprocess.run([RASOAT, *args], capture_output=True, text=True,
                       timeout=timeout, env=env, errors="replace")
    if check_exit is not None and p.returncode != check_exit:
        fail(f"rasoat {' '.join(args)} exited {p.returncode}, wanted {check_exit}\n"
             f"stdout:\n{p.stdout[-3000:]}\nstderr:\n{p.stderr[-3000:]}")
    return p.returncode, p.stdout, p.stderr


def jsonl(text):
    """Parses JSONL output; every line must be a JSON object with a type."""
    lines = [json.loads(l) for l in text.splitlines() if l.strip()]
    for l in lines:
        if "type" not in l:
            fail(f"line without type: {l}")
    return lines


def findings(lines):
    return [l for l in lines if l["type"] == "finding"]


def summary(lines):
    if not lines or lines[-1]["type"] != "summary":
        fail("the summary is not the last line")
    return lines[-1]


class Tree:
    """A temporary directory tree, removed by cleanup(), at the end of a
    `with` block, or by Tree.remove_all()."""

    made = []

    def __init__(self, prefix="rasoat-e2e-"):
        self.path = tempfile.mkdtemp(prefix=prefix)
        Tree.made.append(self)

    @classmethod
    def remove_all(cls):
        for t in cls.made:
            t.cleanup()
        cls.made = []

    def p(self, rel):
        return os.path.join(self.path, rel.lstrip("/"))

    def write(self, rel, content, mode=None):
        path = self.p(rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(content.encode() if isinstance(content, str) else content)
        if mode is not None:
            os.chmod(path, mode)
        return path

    def mkdir(self, rel, mode=0o755):
        path = self.p(rel)
        os.makedirs(path, exist_ok=True)
        os.chmod(path, mode)
        return path

    def symlink(self, rel, target):
        path = self.p(rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        os.symlink(target, path)
        return path

    def fifo(self, rel):
        path = self.p(rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        os.mkfifo(path)
        return path

    def cleanup(self):
        shutil.rmtree(self.path, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cleanup()


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def check(cond, message):
    if not cond:
        fail(message)


def done(name, passed):
    """Prints the closing line CI reads: 'N passed, 0 failed'."""
    print(f"{name}: {passed} passed, 0 failed")


def planted_by_another_test(pid):
    """True when PID descends from a running e2e test, or has already ended (tests
    run in parallel and plant short-lived suspicious processes on purpose)."""
    if pid and not os.path.exists(f"/proc/{pid}"):
        return True
    seen = 0
    while pid and pid > 1 and seen < 64:
        seen += 1
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
            if any(b"tests/e2e/test_" in a or a.startswith(b"test_") and a.endswith(b".py") for a in argv) \
                    and pid != os.getpid():
                return True
            with open(f"/proc/{pid}/status") as f:
                pid = int(next(l for l in f if l.startswith("PPid:")).split()[1])
        except (OSError, StopIteration, ValueError):
            return False
    return False
