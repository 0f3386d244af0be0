#!/usr/bin/env python3
"""SIGKILL in the middle of planting a live drill (cryptominer: after its
processes and before the rest), then `rasoat drill cleanup`: zero residue by
the before/after comparison (trees, accounts, crontabs, units, processes,
listeners). Uses the crash points (src/core/crashpoint.h) as respond's
crash tests do. Needs root."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import done  # noqa: E402
import drill_e2e  # noqa: E402
from drill_e2e import ok  # noqa: E402


def main():
    if os.geteuid() != 0:
        print("SKIP: a live drill plants in /etc and needs root")
        return
    with tempfile.TemporaryDirectory() as tmp:
        points = drill_e2e.crash_points("cryptominer", tmp)
        plants = [n for n, what in points if what == "drill.plant"]
        ok(len(plants) >= 6, f"a crash point before each plant: {points[:40]}")
        # the 5th plant: the miner (copy + process), the kthread process and the hidden copy are in
        at = plants[4]

        def planted():
            procs = drill_e2e._tagged_processes()
            return None if procs else "no drill process was running after the kill"
        drill_e2e.crash_then_recover("cryptominer", tmp, at, ["cleanup"], planted)
    done("test_drill_crash_plant", drill_e2e.CHECKS[0])


if __name__ == "__main__":
    main()
