"""End-to-end test of the dashboard at fleet size and over time: 1,100
simulated hosts enrolled through `rasoat agent bench`, 120 of them
reporting a scan (signed batches, as real agents send them), plus one agent whose signed history
batches carry policy results on three days. Over HTTP: the hosts page
counts every host and shows them 100 a page with page links that keep the
filters and sort; the last page holds the rest; the overview counts every
host; the findings page names at most 50 hosts a rule and links the rest;
the compliance page draws each host's and each check's pass rate per day
(the points as data), with the window switch.
RS_FLEET_DB=postgresql runs it on a PostgreSQL 15 the test starts."""
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import RASOAT, Tree, check, done, run  # noqa: E402
from fleet_e2e import Agent, Server, make_root, require_backend  # noqa: E402
from test_dashboard import Browser, PASSWORDS  # noqa: E402

PASSED = 0
HOSTS = 1100
REPORTS = 120   # the first REPORTS simulated hosts upload a scan (all enrol)


def ok(cond, message):
    global PASSED
    check(cond, message)
    PASSED += 1


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def day(t):
    return time.strftime("%Y-%m-%d", time.gmtime(t))


def audit_scan(hostname, root, when, passed, failed_rules, total_failed):
    sid = secrets.token_hex(16)
    findings = [{"type": "finding", "scan": sid, "module": "audit", "rule": r, "severity": "medium", "score": 50,
                 "title": "Check " + r, "evidence": {"policy": "p.yml", "check": r}} for r in failed_rules]
    return {"summary": {"type": "summary", "scan": sid, "host": hostname, "root": root, "started": iso(when),
                        "duration_ms": 100, "score": 70, "exit": 1, "counts": {"medium": len(findings)},
                        "modules": {"audit": {"results": {"passed": passed, "failed": total_failed,
                                                          "not_applicable": 0, "waived": 0}}}},
            "findings": findings}


def main():
    require_backend("test_fleet_compliance")
    with Tree("rasoat-fleet-compliance-") as t:
        srv = Server(t.p("server/fleet.db"), extra=["--address-rate", "100000", "--address-burst", "100000",
                                                    "--agent-rate", "1000", "--agent-burst", "1000"]).start()
        try:
            scenario(t, srv)
        finally:
            srv.stop()
    done("test_fleet_compliance", PASSED)


def build_fleet(t, srv, hosts, reports):
    """HOSTS simulated hosts (REPORTS of them with a scan), one agent with
    policy history, and the users vic, ann, alice. Returns (agent, now)."""
    token = srv.token("--uses", str(hosts + 10))
    started = time.time()
    code, out, err = run("agent", "bench", "--server", srv.url, "--token", token, "--agents", str(hosts),
                         "--threads", "2", "--mode", "results", "--reports", str(reports), "--findings", "2",
                         timeout=300)
    ok(code == 0, f"agent bench exited {code}: {err[-2000:]}")
    print(f"{hosts} simulated hosts enrolled and {reports} reported in {time.time() - started:.1f} s")

    # one real agent with three days of policy results
    root = make_root(t, "roots/pol", ["* * * * * root /bin/true"])
    agent = Agent(t.p("agents/pol"))
    agent.enrol(srv.url, token)
    now = int(time.time())
    scans = [audit_scan("pol", root, now - 3 * 86400, 8, ["chk.1", "chk.2"], 2),
             audit_scan("pol", root, now - 2 * 86400, 9, ["chk.2"], 1),
             audit_scan("pol", root, now - 2 * 86400 - 60, 1, ["chk.1", "chk.2", "chk.3"], 9),  # older that day
             audit_scan("pol", root, now - 1, 10, [], 0)]
    body = json.dumps({"batch_id": secrets.token_hex(16), "scans": scans}).encode()
    status, reply, _ = agent.post(srv, "/api/v1/results", body)
    ok(status == 200, f"history batch: {status} {reply}")

    for name, role in (("vic", "viewer"), ("ann", "analyst"), ("alice", "admin")):
        p = subprocess.run([RASOAT, "server", "--db", srv.db_url, "user", "add", name, "--role", role],
                           input=PASSWORDS[name] + "\n", capture_output=True, text=True, timeout=60)
        ok(p.returncode == 0, f"user add {name}: {p.stderr}")
    return agent, now


def scenario(t, srv):
    agent, now = build_fleet(t, srv, HOSTS, REPORTS)
    b = Browser(srv)
    b.login("vic")

    # ---- hosts: every host counted, 100 a page, page links keep the filters ----
    total = HOSTS + 1
    status, html, _ = b.get("/hosts?sort=hostname&dir=desc")
    ok(status == 200, f"/hosts: {status}")
    ok(re.search(rf'id="host-count">{total} ', html) is not None, "the hosts page counts every host")
    rows = re.findall(r'<tr><td><a href="/host\?id=([0-9a-f]{32})"', html)
    ok(len(rows) == 100, f"page 1 shows {len(rows)} hosts")
    pages = (total + 99) // 100
    ok(f'href="/hosts?page={pages}&amp;sort=hostname&amp;dir=desc"' in html, "a link to the last page, sort kept")
    ok('href="/hosts?page=2&amp;sort=hostname&amp;dir=desc"' in html, "a link to page 2")
    seen = set(rows)
    for n in range(2, pages + 1):
        status, html, _ = b.get(f"/hosts?sort=hostname&dir=desc&page={n}")
        rows = re.findall(r'<tr><td><a href="/host\?id=([0-9a-f]{32})"', html)
        ok(status == 200 and len(rows) == (100 if n < pages else total - 100 * (pages - 1)),
           f"page {n}: {len(rows)} rows")
        seen |= set(rows)
    ok(len(seen) == total, f"the pages together show every host once: {len(seen)}")
    status, html, _ = b.get("/hosts?page=999")
    ok(status == 200 and re.search(r'<tr><td><a href="/host', html) is None, "a page past the end is empty")
    status, html, _ = b.get("/overview")
    ok(status == 200 and re.search(rf">{total}<", html) is not None, "the overview counts every host")

    # ---- findings: a rule on every simulated host names 50 and links the rest ----
    status, html, _ = b.get("/findings")
    ok(status == 200, f"/findings: {status}")
    row = re.search(r"<tr><td>.*?rasoat:persist\.cron.*?</tr>", html, re.S)
    ok(row is not None, "the bench's rule is listed")
    links = re.findall(r'href="/host\?id=', row.group(0))
    ok(len(links) == 50 and f">+{REPORTS - 50}<" in row.group(0)
       and 'href="/hosts?having=rasoat%3Apersist.cron"' in row.group(0), f"hosts of a rule: {len(links)} links")
    ok(re.search(rf'<td class="num">{REPORTS}</td>', row.group(0)) is not None, "the rule's host count")

    # ---- compliance over time ----
    status, html, _ = b.get("/compliance?days=7")
    ok(status == 200 and 'id="compliance-trend"' in html, f"/compliance: {status}")
    host_row = re.search(r'<tr><td><a href="/host\?id=' + agent.id + r'">.*?</tr>', html, re.S)
    ok(host_row is not None, "the host's row in the history")
    d3, d2, d0 = day(now - 3 * 86400), day(now - 2 * 86400), day(now - 1)
    points = re.search(r'data-points="([^"]*)"', host_row.group(0)).group(1)
    ok(points == f"{d3}:80,{d2}:90,{d0}:100", f"host pass rate per day (newest scan of a day): {points}")
    ok(">100%<" in host_row.group(0), "the host's last rate")
    checks = {}
    for m in re.finditer(r'<tr><td>(chk\.\d)</td>.*?data-points="([^"]*)"', html, re.S):
        checks[m.group(1)] = m.group(2)
    ok(checks.get("chk.1") == f"{d3}:0,{d2}:100,{d0}:100", f"chk.1 per day: {checks}")
    ok(checks.get("chk.2") == f"{d3}:0,{d2}:0,{d0}:100", f"chk.2 per day: {checks}")
    ok("chk.3" not in checks, "a check failing only in a replaced scan of a day is not counted")
    status, html, _ = b.get("/compliance?days=90")
    ok(status == 200 and '<span class="current">90</span>' in html, "the 90-day window")


def browser(t, srv, agent, last_page, last_rows):
    """The same pages in Debian's chromium (fleet_pages_browser.js)."""
    node = shutil.which("node")
    modules = os.path.join(os.path.dirname(os.path.abspath(RASOAT)), "node_modules")
    if not node or not os.path.exists("/usr/bin/chromium") or \
            not os.path.isdir(os.path.join(modules, "playwright-core")):
        print("SKIP: browser part: needs node, /usr/bin/chromium and "
              "playwright-core (scripts/playwright.sh build-test)")
        return
    plan = t.write("empty-plan.json", json.dumps({"type": "plan", "version": 1, "scan": None, "host": "pol",
                                                  "root": "/nonexistent-root", "actions": []}))
    code, out, err = run("respond", "token", plan, "--format", "json")
    ok(code == 0, f"respond token: {err}")
    env = dict(os.environ, NODE_PATH=modules, RS_BASE=srv.url, RS_USERS=json.dumps(PASSWORDS), RS_AGENT=agent.id,
               RS_PLAN_TOKEN=json.loads(out)["token"], RS_LAST_PAGE=str(last_page), RS_LAST_ROWS=str(last_rows),
               RS_SHOTS=os.environ.get("RS_DASH_SCREENSHOTS", ""))
    t0 = time.time()
    p = subprocess.run([node, os.path.join(os.path.dirname(__file__), "fleet_pages_browser.js")],
                       env=env, capture_output=True, text=True, timeout=180)
    print(p.stdout[-3000:])
    ok(p.returncode == 0, f"browser part failed ({p.returncode}):\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    global PASSED
    PASSED += len([line for line in p.stdout.splitlines() if line.startswith("ok ")])
    print(f"browser part {time.time() - t0:.1f} s")


if __name__ == "__main__":
    main()
