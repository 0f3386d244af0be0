#!/usr/bin/env python3
"""CPU seconds of one command and everything it starts (docs/BENCHMARKS.md,
the test suite section): runs CMD in a cgroup-v1 cpuacct group of its own,
so daemons and processes re-parented away from it (chromium's, PostgreSQL's)
are counted too, which wait4's rusage misses. Prints NAME, the exit code,
CPU (user + sys), wall and the load before and after, and the command's
last output lines. Root only; needs /sys/fs/cgroup/cpuacct. For a whole
ctest run per test, bench/suite_cpu.py.
Usage: python3 bench/cg_cpu.py NAME CMD [ARGS...]"""
import os
import subprocess
import sys
import time

from suite_cpu import CG, join, usage  # the same group set-up and reading


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    name = sys.argv[1]
    group = os.path.join(CG, f"rasoat-cg-{name}-{os.getpid()}")
    os.makedirs(group)

    t0, load0 = time.time(), os.getloadavg()[0]
    p = subprocess.run(sys.argv[2:], preexec_fn=lambda: join(group), stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    wall = time.time() - t0
    time.sleep(2)  # what the command left running ends (or is reported below)
    cpu, user, system = usage(group)
    with open(os.path.join(group, "cgroup.procs")) as f:
        left = f.read().split()
    if not left:
        os.rmdir(group)
    tail = " | ".join(p.stdout.splitlines()[-2:])
    print(f"{name}: exit {p.returncode}, {cpu:.1f} CPU-s (user {user:.1f}, "
          f"sys {system:.1f}), {wall:.0f} s wall, load {load0:.1f} -> "
          f"{os.getloadavg()[0]:.1f}{f', {len(left)} processes left in {group}' if left else ''}: {tail[-300:]}")


if __name__ == "__main__":
    main()
