#!/usr/bin/env python3
"""`rasoat drill run ssh-backdoor --authorize` on this host: every step planted and
detected by rasoat's own modules (coverage 100 %) with its time-to-detect,
every plant journaled and undone, zero residue by rasoat's rescan and by a
before/after comparison of the touched trees, accounts, crontabs, units,
processes and listeners. Needs root (plants in /etc)."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import drill_e2e  # noqa: E402

if __name__ == "__main__":
    drill_e2e.live_test("test_drill_live_ssh", "ssh-backdoor")
