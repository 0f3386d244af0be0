"""Shared by the hooking-library tests: builds, with the system cc, the
stand-in userland rootkit tests/e2e/data/hidepid.c (hides the pid in
RS_HIDE_PID from readdir/readdir64 and kill) and a clean library that
exports ordinary functions only."""
import os
import shutil
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
CLEAN_SOURCE = "int rs_clean_add(int a, int b) { return a + b; }\nint rs_clean_sub(int a, int b) { return a - b; }\n"


def compiler():
    return shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")


def build(directory):
    """Builds hidepid.so and clean.so in DIRECTORY; returns their paths, or
    None when no C compiler is installed."""
    cc = compiler()
    if not cc:
        return None
    hide = os.path.join(directory, "hidepid.so")
    clean = os.path.join(directory, "clean.so")
    src = os.path.join(directory, "clean.c")
    with open(src, "w") as f:
        f.write(CLEAN_SOURCE)
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    for out, source, extra in ((hide, os.path.join(HERE, "data", "hidepid.c"), ["-ldl"]), (clean, src, [])):
        subprocess.run([cc, "-shared", "-fPIC", "-O1", "-o", out, source, *extra], check=True, env=env,
                       capture_output=True)
    return hide, clean
