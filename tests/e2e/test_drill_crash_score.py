#!/usr/bin/env python3
"""SIGKILL while a live drill scores (ssh-backdoor: everything planted), then
the next drill command (`rasoat drill status`) cleans the unfinished run up
at its start: zero residue by the before/after comparison. A second case
kills at the first undo of the cleanup and finishes with `drill cleanup`.
Needs root."""
import glob
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
        points = drill_e2e.crash_points("ssh-backdoor", tmp)
        score = [n for n, what in points if what == "drill.score"]
        ok(len(score) == 1, f"one crash point before scoring: {points[:40]}")

        def planted():
            left = glob.glob("/etc/pam.d/rasoat-drill-*")
            return None if left else "the PAM file was not planted before the kill"
        drill_e2e.crash_then_recover("ssh-backdoor", os.path.join(tmp, "a"), score[0], ["status"], planted)
        # killed half-way through its own cleanup: the next cleanup finishes it
        cleanup = [n for n, what in points if what == "drill.cleanup"]
        ok(len(cleanup) == 1, "one crash point before cleanup")
        later = [n for n, what in points if n > cleanup[0]]
        ok(len(later) > 3, "crash points inside the cleanup")
        drill_e2e.crash_then_recover("ssh-backdoor", os.path.join(tmp, "b"), later[2], ["cleanup"],
                                     lambda: None)
    done("test_drill_crash_score", drill_e2e.CHECKS[0])


if __name__ == "__main__":
    main()
