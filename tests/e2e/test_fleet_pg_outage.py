"""Zero loss when the database goes away: with the PostgreSQL behind a
`rasoat server` stopped, agents keep scanning into their spools (the
server answers 503 with Retry-After, the agents keep everything); the
database is started again and the agents catch up; then the database is
stopped (immediate mode, as a crash) in the middle of the agents' uploads
and started again. In the end every scan every agent made is on the
server exactly once, and the server reconnected by itself."""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import RASOAT, Tree, check, done  # noqa: E402
from fleet_e2e import (Agent, Server, check_exactly_once, expected_findings, make_root,  # noqa: E402
                       spooled_scans)
import pgserver  # noqa: E402

PASSED = 0
AGENTS = 2


def ok(cond, message):
    global PASSED
    check(cond, message)
    PASSED += 1


def main():
    why = pgserver.unavailable()
    if why:
        print(f"test_fleet_pg_outage: SKIP: {why}")
        return
    # durable settings (fsync, synchronous commit): an acknowledged batch
    # must survive the database's crash below
    pg = pgserver.PgServer(fast=False)
    with Tree("rasoat-fleet-pgdown-") as t:
        srv = Server(t.p("server/fleet.db"), db_url=pg.create_db()).start()
        try:
            scenario(t, pg, srv)
        finally:
            srv.kill9()
            if not pg.running():
                pg.start()
    done("test_fleet_pg_outage", PASSED)


def uploads(agents, root, scan=False):
    return [subprocess.Popen([RASOAT, "agent", "run", "--once", "--state", a.state, "--root", root,
                              "--only", "persist", "--retries", "1", "--max-backoff", "1",
                              *(["--scan"] if scan else [])],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for a in agents]


def wait_all(procs):
    codes = []
    for p in procs:
        _, err = p.communicate(timeout=80)
        codes.append((p.returncode, err.decode(errors="replace")[-300:]))
    return codes


def scenario(t, pg, srv):
    root = make_root(t, "host", ["@reboot root /var/tmp/.cache/agent"])
    want = expected_findings(root)
    token = srv.token("--uses", str(AGENTS))
    key = srv.apikey()
    agents = [Agent(t.p(f"agent{i}")) for i in range(AGENTS)]
    for a in agents:
        a.enrol(srv.url, token)

    # 1. the database is down: scans are spooled, nothing is lost
    pg.stop("fast")
    for rnd in range(2):
        for code, err in wait_all(uploads(agents, root, scan=True)):
            ok(code == 2, f"round {rnd} with the database down exits 2: {code} {err}")
    ok(all(len(a.spool()) == 2 for a in agents), f"two scans spooled each: {[a.spool() for a in agents]}")
    made = {a.id: spooled_scans(a) for a in agents}
    ok(srv.alive(), "the server outlives its database")
    ok("503" in srv.read_log() or "database" in srv.read_log(), "the server logged the database errors")

    # 2. the database is back: the agents catch up
    pg.start()
    for code, err in wait_all(uploads(agents, root)):
        ok(code == 0, f"after the restart the upload succeeds: {code} {err}")
    ok(all(not a.spool() for a in agents), "spools empty after the database came back")

    # 3. the database crashes in the middle of uploads
    srv.stop()
    for a in agents:
        for _ in range(3):
            a.run_once(root, "--scan", "--retries", "0")
    srv.start()
    for a in agents:
        made[a.id] += spooled_scans(a)
    before = sum(len(a.spool()) for a in agents)
    ok(before == 3 * AGENTS, f"{3 * AGENTS} batches waiting: {before}")
    procs = uploads(agents, root)
    deadline = time.time() + 20
    while time.time() < deadline and sum(len(a.spool()) for a in agents) >= before:
        time.sleep(0.002)
    pg.stop("immediate")
    for code, err in wait_all(procs):
        ok(code in (0, 2), f"an agent whose database died exits 0 or 2: {code} {err}")
    mid = sum(len(a.spool()) for a in agents)
    print(f"database crashed with {mid} of {before} batches left")
    ok(mid < before, "some batches went in before the crash")
    pg.start()
    for _ in range(3):
        if all(not a.spool() for a in agents):
            break
        wait_all(uploads(agents, root))
    ok(all(not a.spool() for a in agents), "every spool is empty in the end")
    ok(not any(os.path.isdir(os.path.join(a.state, "spool", "rejected")) and
               os.listdir(os.path.join(a.state, "spool", "rejected")) for a in agents), "no batch rejected")

    status, hosts, _ = srv.get("/api/v1/hosts", key)
    ok(status == 200, f"hosts after the restarts: {status}")
    ok(all(len(v) == 5 for v in made.values()), f"five scans made by each agent: {made}")
    ok(check_exactly_once(srv, key, made, want) == AGENTS, "every scan exactly once")
    ok(all(not spooled_scans(a) for a in agents), "nothing left behind")


if __name__ == "__main__":
    main()
