#!/usr/bin/env python3
"""CPU seconds of each test of a ctest run (docs/BENCHMARKS.md, the test
suite section). Runs `ctest ARGS...` in the current directory (a build
tree) inside a cgroup-v1 cpuacct group of its own, moves each test ctest
starts into a subgroup named after it (everything the test starts — rasoat,
PostgreSQL, chromium, dpkg — is counted there, children and daemons
included), and prints per test: CPU (user + sys), user, sys, in seconds,
largest first, then the whole run's. Every 2 s it also writes the group's
CPU so far and the running tests to OUT.samples. Root only; needs
/sys/fs/cgroup/cpuacct. A test is named by its script (e2e: test_x.py, _pg
when RS_FLEET_DB=postgresql) or executable (unit, fuzz), so a unit test and
an e2e test of the same name share a line (the unit tests take under a
second). CPU the test's first process used before it was moved (a fraction
of a second) stays in the run's group.
Usage: cd build-test && python3 ../bench/suite_cpu.py OUT -j3 -E '^fuzz/'"""
import os
import subprocess
import sys
import time

CG = "/sys/fs/cgroup/cpuacct"


def test_name(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = [c.decode(errors="replace") for c in f.read().split(b"\0") if c]
        with open(f"/proc/{pid}/environ", "rb") as f:
            env = f.read().split(b"\0")
    except OSError:
        return None
    if not cmd:
        return None
    name = next((os.path.basename(c)[:-3] for c in cmd if c.endswith(".py")), os.path.basename(cmd[0]))
    if name in ("ctest", "nice"):
        return None  # not yet exec'd: ask again at the next look
    if b"RS_FLEET_DB=postgresql" in env and name.startswith("test_") and not name.startswith("test_fleet_pg_"):
        name += "_pg"
    return name


def join(group):
    """Moves the calling process into GROUP (run in ctest's child before exec)."""
    with open(os.path.join(group, "cgroup.procs"), "w") as f:
        f.write(str(os.getpid()))


def usage(group):
    with open(os.path.join(group, "cpuacct.stat")) as f:
        st = dict(line.split() for line in f)
    tick = os.sysconf("SC_CLK_TCK")
    with open(os.path.join(group, "cpuacct.usage")) as f:
        return int(f.read()) / 1e9, int(st["user"]) / tick, int(st["system"]) / tick


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    group = os.path.join(CG, f"rasoat-suite-{os.getpid()}")
    os.makedirs(group)
    ctest = subprocess.Popen(["ctest", *sys.argv[2:]],
                             preexec_fn=lambda: join(group))
    seen = {}
    t0 = last = time.time()
    with open(out + ".samples", "w") as samples:
        while ctest.poll() is None:
            try:
                with open(f"/proc/{ctest.pid}/task/{ctest.pid}/children") as f:
                    kids = [int(k) for k in f.read().split()]
            except OSError:
                kids = []
            for pid in kids:
                if pid in seen:
                    continue
                name = test_name(pid)
                if name is None:
                    continue
                seen[pid] = name
                sub = os.path.join(group, "t_" + name)
                os.makedirs(sub, exist_ok=True)
                try:
                    with open(os.path.join(sub, "cgroup.procs"), "w") as f:
                        f.write(str(pid))
                except OSError:
                    pass  # it has ended already
            if time.time() - last >= 2:
                last = time.time()
                running = sorted({seen[k] for k in kids if k in seen})
                samples.write(f"{last - t0:.1f} {usage(group)[0]:.2f} {','.join(running)}\n")
                samples.flush()
            time.sleep(0.1)
    time.sleep(2)  # daemons a test left behind end with it (or are counted so far)
    rows = [(d[2:], *usage(os.path.join(group, d))) for d in os.listdir(group) if d.startswith("t_")]
    with open(out, "w") as f:
        f.write("cpu user sys test\n")
        for name, cpu, user, system in sorted(rows, key=lambda r: -r[1]):
            f.write(f"{cpu:.2f} {user:.2f} {system:.2f} {name}\n")
        cpu, user, system = usage(group)
        f.write(f"{cpu:.2f} {user:.2f} {system:.2f} (the whole run, {time.time() - t0:.0f} s wall)\n")
    for d in os.listdir(group):
        if d.startswith("t_"):
            try:
                os.rmdir(os.path.join(group, d))
            except OSError:
                pass  # a process is still in it
    try:
        os.rmdir(group)
    except OSError:
        pass
    sys.exit(ctest.returncode)


if __name__ == "__main__":
    main()
