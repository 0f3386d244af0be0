"""End-to-end test of fleet tasks beyond "scan now": a `rasoat server` on
127.0.0.1 and four agents with their own state directories and fixture
roots, in two groups. Over the operator API and the dashboard:
- a group task reaches exactly the group's hosts enrolled when it was
  queued (not a host of another group, not one that joins later);
- scan (modules), collect (an evidence bundle: its size, SHA-256 and
  manifest reported), drill (refused without allow_drill in the agent's
  own configuration, run as a dry run with it), update-content (installed
  atomically; refused when the signature does not verify with the key the
  agent pinned at enrolment), respond (held until an admin approves it,
  refused without allow_respond, applied with it: a planted inert file is
  quarantined; the approval is in the audit log);
- task states queued → sent → running → done/failed/refused as reported;
- a viewer cannot create or approve tasks, an analyst cannot approve, a
  form without its CSRF token is refused.
RS_FLEET_DB=postgresql runs it on a PostgreSQL 15 the test starts."""
import base64
import hashlib
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import RASOAT, Tree, check, done, run  # noqa: E402
from fleet_e2e import Agent, Server, make_root, require_backend  # noqa: E402
from test_dashboard import Browser, PASSWORDS  # noqa: E402

PASSED = 0


def ok(cond, message):
    global PASSED
    check(cond, message)
    PASSED += 1


def post(srv, key, path, body):
    data = json.dumps(body).encode()
    return srv.request("POST", path, body=data, headers={"Authorization": "Bearer " + key,
                                                          "Content-Type": "application/json"})


def tasks_of(srv, key, agent_id):
    status, body, _ = srv.get(f"/api/v1/tasks?host={agent_id}", key)
    ok(status == 200, f"GET tasks: {status} {body}")
    return body["items"]


def task(srv, key, task_id):
    status, body, _ = srv.get("/api/v1/tasks?limit=1000", key)
    ok(status == 200, f"GET tasks: {status}")
    found = [t for t in body["items"] if t["id"] == task_id]
    ok(len(found) == 1, f"task {task_id} listed once")
    return found[0]


def run_agent(agent, root, conf, expect=0):
    code, out, err = run("agent", "run", "--once", "--state", agent.state, "--root", root, "--only", "persist",
                         "--config", conf, timeout=180)
    ok(code == expect, f"agent run exited {code}, wanted {expect}: {err[-2000:]}")
    return err


def add_users(srv):
    for name, role in (("alice", "admin"), ("ann", "analyst"), ("vic", "viewer")):
        p = subprocess.run([RASOAT, "server", "--db", srv.db_url, "user", "add", name, "--role", role],
                           input=PASSWORDS[name] + "\n", capture_output=True, text=True, timeout=60)
        ok(p.returncode == 0, f"user add {name}: {p.returncode} {p.stderr}")


def main():
    require_backend("test_fleet_tasks")
    with Tree("rasoat-fleet-tasks-") as t:
        srv = Server(t.p("server/fleet.db")).start()
        try:
            scenario(t, srv)
        finally:
            srv.stop()
    done("test_fleet_tasks", PASSED)


def scenario(t, srv):
    admin, analyst, viewer = srv.apikey("admin"), srv.apikey("analyst"), srv.apikey("viewer")
    web_token, db_token = srv.token("--group", "web", "--uses", "3"), srv.token("--group", "db")
    roots, agents = {}, {}
    for name, token in (("web1", web_token), ("web2", web_token), ("db1", db_token)):
        roots[name] = make_root(t, "roots/" + name, ["* * * * * root /tmp/.x/" + name])
        agents[name] = Agent(t.p("agents/" + name))
        agents[name].enrol(srv.url, token)
        with open(os.path.join(agents[name].state, "identity.json")) as f:
            ok(len(base64.b64decode(json.load(f)["content_key"])) == 32, f"{name} pinned a content key")
    deny = t.write("conf/deny.conf", "# nothing allowed\n")
    sandbox = t.mkdir("sandbox")
    allow = t.write("conf/allow.conf", f"allow_drill = yes\ndrill_root = {sandbox}\nallow_respond = yes\n"
                    "collect_max = 8M\n")
    bad_conf = t.write("conf/bad.conf", "allow_drill = maybe\n")

    # ---- who may queue: a viewer may not; bodies are checked ----
    status, body, _ = post(srv, viewer, "/api/v1/tasks", {"group": "web", "type": "scan"})
    ok(status == 403, f"a viewer queues a task: {status}")
    for bad in ({"group": "web", "type": "format-disk"}, {"host": "x" * 32, "type": "scan"},
                {"group": "web", "host": agents["web1"].id, "type": "scan"},
                {"group": "web", "type": "scan", "modules": ["../etc"]},
                {"group": "web", "type": "collect", "paths": ["relative/path"]},
                {"group": "web", "type": "drill"},
                {"group": "web", "type": "update-content", "files": [{"path": "../../etc/passwd", "data": "eA=="}]},
                {"group": "web", "type": "update-content", "files": [{"path": "bin/x", "data": "eA=="}]},
                {"group": "web", "type": "scan", "extra": 1}):
        status, body, _ = post(srv, analyst, "/api/v1/tasks", bad)
        ok(status == 400, f"{bad}: {status} {body}")
    status, body, _ = post(srv, analyst, "/api/v1/tasks", {"group": "nobody", "type": "scan"})
    ok(status == 404, f"an empty group: {status}")

    # ---- a group task reaches exactly the group's hosts enrolled now ----
    status, body, _ = post(srv, analyst, "/api/v1/tasks", {"group": "web", "type": "scan", "modules": ["persist"]})
    ok(status == 201 and body["count"] == 2 and len(body["ids"]) == 2, f"group scan: {status} {body}")
    scan_ids = set(body["ids"])
    roots["web3"] = make_root(t, "roots/web3", ["* * * * * root /tmp/.x/web3"])
    agents["web3"] = Agent(t.p("agents/web3"))
    agents["web3"].enrol(srv.url, web_token)   # joins after the task was queued
    for name in ("web1", "web2"):
        mine = tasks_of(srv, viewer, agents[name].id)
        ok(len(mine) == 1 and mine[0]["id"] in scan_ids and mine[0]["state"] == "queued"
           and mine[0]["group"] == "web", f"{name} tasks: {mine}")
    for name in ("db1", "web3"):
        ok(tasks_of(srv, viewer, agents[name].id) == [], f"{name} got the web group's task")
    for name in ("web1", "web2", "db1", "web3"):
        run_agent(agents[name], roots[name], deny)
    for name in ("web1", "web2"):
        mine = tasks_of(srv, viewer, agents[name].id)
        ok(mine[0]["state"] == "done" and mine[0]["delivered"] and mine[0]["message"] == "scan spooled for upload",
           f"{name} scan task: {mine[0]}")
    # the task's scan (persist only) beside the first scheduled full one; none on the others
    for name, want in (("web1", 2), ("web2", 2), ("db1", 1), ("web3", 1)):
        status, host, _ = srv.get(f"/api/v1/hosts/{agents[name].id}", viewer)
        ok(status == 200 and len(host["scans"]) == want, f"{name}: {want} scans: {host['scans']}")

    # ---- collect: the bundle's hash and manifest reported ----
    status, body, _ = post(srv, analyst, "/api/v1/tasks", {"host": agents["web1"].id, "type": "collect",
                                                          "paths": ["/etc/hostname"], "max_total": 1 << 20})
    ok(status == 201 and body["count"] == 1, f"collect: {status} {body}")
    collect_id = body["id"]
    run_agent(agents["web1"], roots["web1"], allow)
    c = task(srv, viewer, collect_id)
    ok(c["state"] == "done", f"collect task: {c}")
    bundle = c["result"]["bundle"]
    with open(bundle, "rb") as f:
        data = f.read()
    ok(bundle.startswith(agents["web1"].state + "/collect/") and len(data) == c["result"]["size"]
       and hashlib.sha256(data).hexdigest() == c["result"]["sha256"], f"collect result: {c['result']}")
    ok("manifest" in c["result"] or "manifest_sha256" in c["result"], f"collect manifest: {c['result'].keys()}")

    # ---- drill: only where the agent's own configuration allows it ----
    status, body, _ = post(srv, analyst, "/api/v1/tasks", {"group": "web", "type": "drill",
                                                          "scenario": "sandbox-system"})
    ok(status == 201 and body["count"] == 3, f"drill: {status} {body}")
    by_agent = {task(srv, viewer, i)["agent"]: i for i in body["ids"]}
    run_agent(agents["web1"], roots["web1"], deny)
    run_agent(agents["web2"], roots["web2"], allow)
    run_agent(agents["web3"], roots["web3"], bad_conf)
    d1, d2, d3 = (task(srv, viewer, by_agent[agents[n].id]) for n in ("web1", "web2", "web3"))
    ok(d1["state"] == "refused" and "allow_drill" in d1["message"], f"drill without permission: {d1}")
    ok(d3["state"] == "refused", f"drill with a malformed agent configuration: {d3}")
    ok(d2["state"] == "done" and d2["result"]["output"]["scenario"] == "sandbox-system"
       and d2["result"]["output"]["dry_run"] is True, f"drill with permission: {d2}")
    ok(os.listdir(sandbox) == [], "a dry-run drill changed the sandbox")

    # ---- update-content: signed by the server, checked against the pinned key ----
    rule = b"rule fleet_test { strings: $a = \"fleet-task-marker\" condition: $a }\n"
    status, body, _ = post(srv, analyst, "/api/v1/tasks", {
        "group": "web", "type": "update-content",
        "files": [{"path": "rules/fleet.yar", "data": base64.b64encode(rule).decode()},
                  {"path": "policies/p.yml", "data": base64.b64encode(b"policy: {}\n").decode()}]})
    ok(status == 201 and body["count"] == 3, f"update-content: {status} {body}")
    by_agent = {task(srv, viewer, i)["agent"]: i for i in body["ids"]}
    # web2 pins another key (as if the server's key were forged): it must refuse
    ident = os.path.join(agents["web2"].state, "identity.json")
    with open(ident) as f:
        doc = json.load(f)
    doc["content_key"] = base64.b64encode(os.urandom(32)).decode()
    with open(ident, "w") as f:
        json.dump(doc, f)
    run_agent(agents["web1"], roots["web1"], deny)
    run_agent(agents["web2"], roots["web2"], deny)
    u1, u2 = task(srv, viewer, by_agent[agents["web1"].id]), task(srv, viewer, by_agent[agents["web2"].id])
    ok(u1["state"] == "done" and u1["result"]["files"] == 2, f"content installed: {u1}")
    with open(os.path.join(agents["web1"].state, "content/rules/fleet.yar"), "rb") as f:
        ok(f.read() == rule, "the installed rule is the one sent")
    ok(not any(n.startswith("content.new-") for n in os.listdir(agents["web1"].state)), "a temporary dir left")
    # the agent's scans use the installed rules
    t.write("roots/web1/opt/marker.txt", "fleet-task-marker\n")
    code, out, err = run("agent", "run", "--once", "--scan", "--state", agents["web1"].state, "--root",
                         roots["web1"], "--only", "hunt", "--config", deny, timeout=180)
    ok(code == 0, f"hunt scan with the installed rules: {code} {err[-1500:]}")
    status, body, _ = srv.get(f"/api/v1/findings?host={agents['web1'].id}&rule=yara:fleet_test", viewer)
    ok(status == 200 and [f["evidence"]["path"] for f in body["items"]] == ["/opt/marker.txt"],
       f"the pushed rule matched on the host: {body}")
    ok(u2["state"] == "refused" and "signature" in u2["message"], f"bad signature: {u2}")
    ok(not os.path.exists(os.path.join(agents["web2"].state, "content")), "refused content was installed")
    # a second bundle replaces the first whole
    status, body, _ = post(srv, analyst, "/api/v1/tasks", {
        "host": agents["web1"].id, "type": "update-content",
        "files": [{"path": "feeds/f.json", "data": base64.b64encode(b"{}").decode()}]})
    run_agent(agents["web1"], roots["web1"], deny)
    content = os.path.join(agents["web1"].state, "content")
    ok(sorted(os.listdir(content)) == [".bundle.json", "feeds"], f"replaced whole: {os.listdir(content)}")

    # ---- respond: an approved plan, only where the agent allows it ----
    inert = t.write("roots/db1/opt/inert-payload.sh", "#!/bin/sh\n# inert test file\n", 0o755)
    plan = {"type": "plan", "version": 1, "scan": None, "host": "db1", "root": roots["db1"],
            "actions": [{"action": "quarantine", "target": {"path": "/opt/inert-payload.sh"},
                         "finding": "test:fleet", "reason": "test"}]}
    plan_file = t.write("plan.json", json.dumps(plan))
    code, out, err = run("respond", "token", plan_file, "--format", "json")
    ok(code == 0, f"respond token: {err}")
    token = json.loads(out)["token"]
    status, body, _ = post(srv, analyst, "/api/v1/tasks", {"host": agents["db1"].id, "type": "respond",
                                                          "plan": plan, "token": "0" * 64})
    ok(status == 400 and "token" in body["message"], f"a wrong token: {status} {body}")
    ids = []
    for _ in range(2):
        status, body, _ = post(srv, analyst, "/api/v1/tasks", {"host": agents["db1"].id, "type": "respond",
                                                              "plan": plan, "token": token})
        ok(status == 201, f"respond: {status} {body}")
        ids.append(body["id"])
        ok(task(srv, viewer, body["id"])["state"] == "approval", "a respond task waits for approval")
    run_agent(agents["db1"], roots["db1"], allow)
    ok(task(srv, viewer, ids[0])["state"] == "approval" and os.path.exists(inert), "unapproved plan delivered")
    for key, want in ((viewer, 403), (analyst, 403)):
        status, _, _ = post(srv, key, "/api/v1/tasks/approve", {"id": ids[0]})
        ok(status == want, f"approve by a non-admin: {status}")
    status, body, _ = post(srv, admin, "/api/v1/tasks/approve", {"id": ids[0]})
    ok(status == 200 and body["state"] == "queued", f"approve: {status} {body}")
    status, _, _ = post(srv, admin, "/api/v1/tasks/approve", {"id": ids[0]})
    ok(status == 404, f"approved twice: {status}")
    run_agent(agents["db1"], roots["db1"], deny)
    r = task(srv, viewer, ids[0])
    ok(r["state"] == "refused" and "allow_respond" in r["message"] and r["approved_by"].startswith("apikey:"),
       f"respond without local permission: {r}")
    ok(os.path.exists(inert), "a refused plan acted")
    status, body, _ = post(srv, admin, "/api/v1/tasks/approve", {"id": ids[1]})
    ok(status == 200, f"approve: {status}")
    run_agent(agents["db1"], roots["db1"], allow)
    r = task(srv, viewer, ids[1])
    ok(r["state"] == "done" and r["result"]["exit"] == 0 and len(r["result"]["actions"]) == 1
       and r["result"]["actions"][0]["plan"] == token, f"respond applied: {r}")
    ok(not os.path.exists(inert), "the planted file is still there")
    code, out, err = run("quarantine", "list", "--format", "jsonl", "--db",
                         os.path.join(agents["db1"].state, "respond/rasoat.db"))
    ok(code == 0 and "inert-payload.sh" in out, f"quarantine list on the agent: {out} {err}")

    # ---- an agent reports only its own tasks, in order ----
    other = agents["web1"].post(srv, "/api/v1/tasks/report",
                                json.dumps({"id": ids[1], "state": "done"}).encode())
    ok(other[0] == 404, f"a report on another agent's task: {other[0]}")
    again = agents["db1"].post(srv, "/api/v1/tasks/report",
                               json.dumps({"id": ids[1], "state": "running"}).encode())
    ok(again[0] == 409, f"a finished task reported running: {again[0]}")
    bad = agents["db1"].post(srv, "/api/v1/tasks/report", b'{"id":"' + ids[1].encode() + b'","state":"won"}')
    ok(bad[0] == 400, f"a bad report: {bad[0]}")

    dashboard(srv, agents, ids)


def dashboard(srv, agents, respond_ids):
    add_users(srv)
    vic, ann, alice = Browser(srv), Browser(srv), Browser(srv)
    for b, name in ((vic, "vic"), (ann, "ann"), (alice, "alice")):
        b.login(name)
    status, html, _ = vic.get("/tasks")
    ok(status == 200 and "sandbox-system" in html and "state-refused" in html and "state-done" in html
       and "allow_drill" in html, f"tasks page: {status}")
    ok('action="/tasks/create"' not in html, "a viewer is shown the task form")
    # the form: CSRF and roles
    form = {"target": "group", "group": "db", "type": "scan", "modules": "persist"}
    status, _, _ = ann.raw("POST", "/tasks/create", dict(form))
    ok(status == 403, f"no CSRF token: {status}")
    status, html, _ = vic.get("/tasks")
    status, _, _ = vic.raw("POST", "/tasks/create", dict(form, csrf=vic.csrf(html)))
    ok(status == 403, f"a viewer's form: {status}")
    status, html, _ = ann.get("/tasks")
    ok('action="/tasks/create"' in html, "the analyst sees the task form")
    status, _, h = ann.raw("POST", "/tasks/create", dict(form, csrf=ann.csrf(html)))
    ok(status == 303, f"the analyst's form: {status}")
    queued = [x for x in tasks_of(srv, srv_key(srv), agents["db1"].id) if x["kind"] == "scan"]
    ok(len(queued) == 1 and queued[0]["creator"] == "ann" and queued[0]["params"] == {"modules": ["persist"]},
       f"the form's task: {queued}")
    # approval from the dashboard: a respond task
    plan_task = respond_ids[1]
    status, body, _ = post(srv, srv_key(srv, "analyst"), "/api/v1/tasks", {
        "host": agents["db1"].id, "type": "respond",
        "plan": {"type": "plan", "version": 1, "scan": None, "host": "db1", "root": "/nonexistent-root",
                 "actions": []}, "token": token_of_empty()})
    ok(status == 201, f"respond task for approval: {status} {body}")
    waiting = body["id"]
    status, html, _ = ann.get("/tasks")
    ok("/tasks/approve" not in html, "an analyst is shown the approve button")
    status, _, _ = ann.raw("POST", "/tasks/approve", {"id": waiting, "csrf": ann.csrf(html)})
    ok(status == 403, f"an analyst approves: {status}")
    status, html, _ = alice.get("/tasks")
    ok("/tasks/approve" in html, "the admin is shown the approve button")
    status, _, _ = alice.raw("POST", "/tasks/approve", {"id": waiting})
    ok(status == 403, f"approve without CSRF: {status}")
    status, _, _ = alice.raw("POST", "/tasks/approve", {"id": waiting, "csrf": alice.csrf(html)})
    ok(status == 303, f"the admin approves: {status}")
    ok(task(srv, srv_key(srv), waiting)["approved_by"] == "alice", "approved by alice")
    status, html, _ = alice.get("/audit")
    ok(re.search(r"task_approve.*" + waiting, html, re.S) is not None, "task_approve in the audit log")
    ok("task_respond" in html and "task_update-content" in html, "task creation in the audit log")
    status, html, _ = vic.get("/host?id=" + agents["db1"].id)
    ok(status == 200 and plan_task in html and "done" in html, "the host page shows its tasks and states")


_KEYS = {}


def srv_key(srv, role="viewer"):
    if role not in _KEYS:
        _KEYS[role] = srv.apikey(role)
    return _KEYS[role]


def token_of_empty():
    plan = {"type": "plan", "version": 1, "scan": None, "host": "db1", "root": "/nonexistent-root", "actions": []}
    with Tree("rasoat-plan-") as t:
        path = t.write("p.json", json.dumps(plan))
        code, out, err = run("respond", "token", path, "--format", "json")
        ok(code == 0, f"respond token: {err}")
        return json.loads(out)["token"]


if __name__ == "__main__":
    main()
