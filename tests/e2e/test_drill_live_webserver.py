#!/usr/bin/env python3
"""`rasoat drill run webserver-implant --authorize` on this host: every step planted and
detected by rasoat's own modules (coverage 100 %) with its time-to-detect,
every plant journaled and undone, zero residue by rasoat's rescan and by a
before/after comparison of the touched trees, accounts, crontabs, units,
processes and listeners. Needs root (plants in /etc)."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import done, run  # noqa: E402
import drill_e2e  # noqa: E402
from drill_e2e import ok  # noqa: E402


def main():
    if os.geteuid() != 0:
        print("SKIP: a live drill plants in /etc and needs root")
        return
    with tempfile.TemporaryDirectory() as tmp:
        result, db = drill_e2e.live_scenario("webserver-implant", tmp)
        code, out, err = run("drill", "report", result["run"], "--db", db, "--format", "html", "--lang", "vi")
        ok(code == 0 and "Báo cáo diễn tập" in out and result["run"] in out, "the HTML report, in Vietnamese")
        code, out, err = run("drill", "report", result["run"], "--db", db, "--lang", "en")
        ok(code == 0 and "Coverage by ATT&CK tactic" in out and "zero residue" in out, "the text report")
        code, out, err = run("drill", "status", "--db", db, "--format", "jsonl")
        ok(code == 0 and '"phase":"done"' in out.replace(" ", ""), f"status shows the run done: {out}")
    done("test_drill_live_webserver", drill_e2e.CHECKS[0])


if __name__ == "__main__":
    main()
