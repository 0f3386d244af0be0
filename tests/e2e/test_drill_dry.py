#!/usr/bin/env python3
"""A drill without an authorisation is a dry run: it prints every change it
would make and changes nothing (the before/after comparison of the touched
trees, accounts, crontabs, units, processes and listeners, and no journal
line). --authorize with a wrong host name plants nothing either, and an
allow file for another host does not authorise. Needs root for the
comparison of /etc/shadow."""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import done, run  # noqa: E402
import drill_e2e  # noqa: E402
from drill_e2e import ok  # noqa: E402


def main():
    if os.geteuid() != 0:
        print("SKIP: reading /etc/shadow for the comparison needs root")
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "rasoat.db")
        before = drill_e2e.snapshot()
        try:
            for scenario in ("webserver-implant", "cryptominer", "ssh-backdoor"):
                code, out, err = run("drill", "run", scenario, "--db", db)
                ok(code == 0 and "dry run" in out and "nothing is changed" in out, f"{scenario}: a dry run")
                ok("create a file /etc/cron.d/rasoat-drill-" in out or "start " in out or "append to" in out,
                   f"{scenario}: every change is printed: {out[:1500]}")
            code, out, err = run("drill", "run", "ssh-backdoor", "--db", db, "--format", "json")
            r = json.loads(out.splitlines()[-1])
            ok(r["dry_run"] is True and all(s["changes"] for s in r["steps"]), "the dry run's JSON lists changes")
            code, out, err = run("drill", "run", "ssh-backdoor", "--db", db, "--authorize", "--confirm-host",
                                 "not-" + drill_e2e.hostname())
            ok(code == 2 and "not this host's name" in err, f"a wrong host name is refused: {code} {err}")
            code, out, err = run("drill", "run", "ssh-backdoor", "--db", db, "--authorize")
            ok(code == 2 and "Type the host name" in err and "not this host's name" in err,
               f"--authorize without the host name typed back on stdin is refused: {code} {err}")
            allow = os.path.join(tmp, "drill.allow")
            with open(allow, "w") as f:
                f.write("some-other-host 2000-01-01T00:00:00Z 2100-01-01T00:00:00Z\n")
            os.chmod(allow, 0o644)
            code, out, err = run("drill", "run", "ssh-backdoor", "--db", db,
                                 env=dict(os.environ, RASOAT_DRILL_ALLOW=allow))
            ok(code == 0 and "dry run" in out, "an allow file for another host leaves it a dry run")
            journal = os.path.join(tmp, "journal.jsonl")
            ok(not os.path.exists(journal) or os.path.getsize(journal) == 0, "a dry run journals nothing")
            ok(not os.path.exists(os.path.join(tmp, "drills")), "a dry run keeps no run record")
        finally:
            run("drill", "cleanup", "--db", db)
        drill_e2e.compare(before, drill_e2e.snapshot(), "after the dry runs")
    done("test_drill_dry", drill_e2e.CHECKS[0])


if __name__ == "__main__":
    main()
