"""The fleet server treats every agent as a possible attacker: a wrong
signature, a replayed counter, a stale or future time, an unknown agent, an
expired, used-up or revoked token, an oversized body (413 before it is
read), malformed JSON, path and SQL metacharacters in fields and query
parameters, requests without an API key, and a flood from one agent (429
with Retry-After) are each refused with the right status — and after each
the server still serves the other agent."""
import http.client
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import Tree, check, done, run  # noqa: E402
from fleet_e2e import Agent, Server, require_backend  # noqa: E402

PASSED = 0
CHECKIN = "/api/v1/checkin"
RESULTS = "/api/v1/results"
SCAN = "0123456789abcdef0123456789abcdef"


def ok(cond, message):
    global PASSED
    check(cond, message)
    PASSED += 1


def refused(result, status, code, what):
    got_status, body, _ = result
    got = (body or {}).get("error")
    ok(got_status == status and (code is None or got == code),
       f"{what}: wanted {status} {code}, got {got_status} {body}")


def results_body(batch="fedcba9876543210fedcba9876543210", module="persist", hostname="h1"):
    summary = {"type": "summary", "scan": SCAN, "host": hostname, "root": "/",
               "started": "2026-12-04T01:02:03Z", "duration_ms": 5, "modules": {},
               "counts": {"critical": 0, "high": 1, "medium": 0, "low": 0, "info": 0},
               "score": 80, "exit": 1}
    finding = {"type": "finding", "scan": SCAN, "module": module, "rule": "rasoat:x",
               "severity": "high", "score": 80, "title": "t", "evidence": {"path": "/etc/x"}}
    return json.dumps({"batch_id": batch, "scans": [{"summary": summary, "findings": [finding]}]}).encode()


def main():
    require_backend("test_fleet_security")
    with Tree("rasoat-fleet-sec-") as t:
        db = t.p("server/fleet.db")
        os.makedirs(os.path.dirname(db))
        srv = Server(db, extra=["--agent-rate", "1", "--agent-burst", "15"]).start()
        try:
            scenario(t, srv)
        finally:
            srv.kill9()
        address_limit(t)
    done("test_fleet_security", PASSED)


def address_limit(t):
    """A flood from one address is cut at the door (before routing or any
    key or signature check) with 429 and Retry-After."""
    srv = Server(t.p("server2/fleet.db"), extra=["--address-rate", "1", "--address-burst", "5"])
    os.makedirs(os.path.dirname(srv.db), exist_ok=True)
    srv.start()
    try:
        statuses, retry = [], None
        for _ in range(12):
            status, body, headers = srv.request("GET", "/api/v1/hosts")
            statuses.append(status)
            if status == 429:
                retry = headers.get("Retry-After")
        ok(statuses[:5] == [401] * 5 and statuses.count(429) >= 6, f"the address limit holds: {statuses}")
        ok(retry is not None and int(retry) >= 1, f"with Retry-After: {retry}")
    finally:
        srv.kill9()


def scenario(t, srv):
    token = srv.token("--uses", "2")
    a, b = Agent(t.p("agent-a")), Agent(t.p("agent-b"))
    a.enrol(srv.url, token)
    b.enrol(srv.url, token)
    checkin = b'{"spooled":0}'

    # the other agent's requests, signed in one go (valid for the 300 s skew)
    b_headers = b.sign(CHECKIN, checkin, count=12)

    def other_agent_served(what):
        h = dict(b_headers.pop(0), **{"Content-Type": "application/json"})
        status, body, _ = srv.request("POST", CHECKIN, checkin, h)
        ok(status == 200 and body["tasks"] == [], f"after {what}, the other agent is served: {status} {body}")

    refused(a.post(srv, CHECKIN, checkin), 200, None, "a good check-in")

    # wrong signature: one character of it changed, or signed over another body
    h = a.sign(CHECKIN, checkin)[0]
    sig = h["X-Rasoat-Signature"]
    h["X-Rasoat-Signature"] = ("B" if sig[0] != "B" else "C") + sig[1:]
    refused(srv.request("POST", CHECKIN, checkin, h), 401, "bad_signature", "changed signature")
    h = a.sign(CHECKIN, b'{"spooled":1}')[0]
    refused(srv.request("POST", CHECKIN, checkin, h), 401, "bad_signature", "signature of another body")
    h = a.sign(RESULTS, checkin)[0]
    refused(srv.request("POST", CHECKIN, checkin, h), 401, "bad_signature", "signature for another path")
    h = b.sign(CHECKIN, checkin)[0]
    h["X-Rasoat-Agent"] = a.id
    refused(srv.request("POST", CHECKIN, checkin, h), 401, "bad_signature", "another agent's signature")
    other_agent_served("bad signatures")

    # replay: the same signed request twice; an older counter
    h = a.sign(CHECKIN, checkin)[0]
    refused(srv.request("POST", CHECKIN, checkin, h), 200, None, "first use of a request")
    refused(srv.request("POST", CHECKIN, checkin, h), 409, "replayed_counter", "the same request again")
    old = int(h["X-Rasoat-Counter"]) - 1
    refused(a.post(srv, CHECKIN, checkin, counter=old), 409, "replayed_counter", "an older counter")
    other_agent_served("replays")

    # stale and future times
    now = int(time.time())
    refused(a.post(srv, CHECKIN, checkin, when=now - 1000), 401, "stale_time", "a time 1000 s old")
    refused(a.post(srv, CHECKIN, checkin, when=now + 1000), 401, "stale_time", "a time 1000 s ahead")
    refused(a.post(srv, CHECKIN, checkin, when=now - 200), 200, None, "a time 200 s old (within skew)")

    # headers: missing, unknown agent, path and SQL metacharacters in the id
    refused(srv.request("POST", CHECKIN, checkin, {}), 401, "bad_auth", "no signature headers")
    h = a.sign(CHECKIN, checkin)[0]
    h["X-Rasoat-Agent"] = "ffffffffffffffffffffffffffffffff"
    refused(srv.request("POST", CHECKIN, checkin, h), 401, "unknown_agent", "an unknown agent")
    for evil in ("../../../../etc/passwd", "' OR '1'='1", "0123456789abcdef0123456789abcde;"):
        h = a.sign(CHECKIN, checkin)[0]
        h["X-Rasoat-Agent"] = evil
        refused(srv.request("POST", CHECKIN, checkin, h), 401, "bad_auth", f"agent id {evil!r}")
    other_agent_served("bad headers")

    # malformed bodies, properly signed
    refused(a.post(srv, RESULTS, b"{not json"), 400, "bad_request", "malformed JSON")
    refused(a.post(srv, RESULTS, b"[]"), 400, "bad_request", "a JSON array")
    refused(a.post(srv, CHECKIN, b'{"spooled":"x"}'), 400, "bad_request", "a wrong type")
    refused(a.post(srv, RESULTS, results_body(batch="../../../etc/passwd")), 400, "bad_request",
            "a path as batch id")
    refused(a.post(srv, RESULTS, results_body(module="x'; DROP TABLE findings;--")), 400, "bad_request",
            "SQL in a module name")
    refused(a.post(srv, CHECKIN, b'{"host":{"hostname":"\'; DROP TABLE fleet_agents;--"}}'), 400,
            "bad_request", "SQL in a host name")
    # SQL metacharacters where free text is allowed are stored as text
    status, body, _ = a.post(srv, RESULTS, results_body(hostname="x'); DROP TABLE scans;--"))
    ok(status == 200 and body["batch_id"] == "fedcba9876543210fedcba9876543210", f"stored as text: {status} {body}")
    other_agent_served("malformed bodies")

    # oversized bodies: refused from Content-Length, before the body is sent
    for path, size in ((RESULTS, 9 << 20), (CHECKIN, 65 << 10), ("/api/v1/enroll", 1 << 20)):
        h = a.sign(path, b"")[0]
        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
        conn.putrequest("POST", path)
        for k, v in h.items():
            conn.putheader(k, v)
        conn.putheader("Content-Length", str(size))
        conn.endheaders()
        conn.send(b"{" * 1024)
        resp = conn.getresponse()
        body = json.loads(resp.read() or b"{}")
        conn.close()
        ok(resp.status == 413 and body.get("error") == "body_too_large", f"{size} bytes to {path}: {resp.status}")
    other_agent_served("oversized bodies")

    # tokens: expired, used up, revoked, malformed
    c = Agent(t.p("agent-c"))
    code, err = c.enrol(srv.url, token, expect=2)
    ok("no uses left" in err, f"a used-up token is refused: {err}")
    short = srv.token("--ttl", "1s")
    time.sleep(2.2)
    code, err = c.enrol(srv.url, short, expect=2)
    ok("expired" in err, f"an expired token is refused: {err}")
    revoked = srv.token()
    code, out, err = run("server", "--db", srv.db_url, "token", "revoke", revoked.split(".")[1])
    ok(code == 0, f"token revoke: {err}")
    code, err = c.enrol(srv.url, revoked, expect=2)
    ok("revoked" in err, f"a revoked token is refused: {err}")
    forged = revoked.split(".")
    forged[2] = "0" * 64
    code, err = c.enrol(srv.url, ".".join(forged), expect=2)
    ok("unknown enrolment token" in err, f"a forged secret is refused: {err}")
    status, body, _ = srv.request("POST", "/api/v1/enroll", b'{"token":"rst1.\' OR 1=1 --"}')
    refused((status, body, None), 400, "bad_request", "SQL in a token")
    other_agent_served("bad tokens")

    # the operator API: no key, a bad key, metacharacters in ids and filters
    key = srv.apikey("viewer")
    refused(srv.request("GET", "/api/v1/hosts"), 401, "no_key", "GET /hosts without a key")
    refused(srv.get("/api/v1/hosts", key[:-1] + ("0" if key[-1] != "0" else "1")), 401, "bad_key", "a wrong key")
    refused(srv.get("/api/v1/hosts/..%2F..%2Fetc%2Fpasswd", key), 400, "bad_request", "a path as host id")
    refused(srv.get("/api/v1/findings?host=%27%20OR%201%3D1", key), 400, "bad_request", "SQL as host filter")
    status, body, _ = srv.get("/api/v1/findings?rule=%27%20OR%20%271%27%3D%271", key)
    ok(status == 200 and body["items"] == [], f"SQL in a rule filter matches nothing: {status} {body}")
    status, body, _ = srv.get("/api/v1/hosts", key)
    ok(status == 200 and len(body["items"]) == 2, "both hosts are still there")
    refused(srv.request("DELETE", "/api/v1/hosts"), 405, "method_not_allowed", "DELETE /hosts")
    refused(srv.request("GET", "/api/v1/../../etc/passwd"), 404, "not_found", "an unknown path")

    # a flood from one agent: 429 with Retry-After; the other agent is served
    headers = a.sign(CHECKIN, checkin, count=40)
    statuses, retry = [], None
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    for h in headers:
        h["Content-Type"] = "application/json"
        conn.request("POST", CHECKIN, body=checkin, headers=h)
        resp = conn.getresponse()
        resp.read()
        statuses.append(resp.status)
        if resp.status == 429:
            retry = resp.getheader("Retry-After")
    conn.close()
    ok(statuses.count(429) >= 20, f"the flood is limited: {statuses}")
    ok(retry is not None and int(retry) >= 1, f"429 carries Retry-After: {retry}")
    other_agent_served("a flood from another agent")

    # revoked API keys and removed hosts are refused from then on
    code, out, err = run("server", "--db", srv.db_url, "apikey", "revoke", key.split(".")[1])
    ok(code == 0, f"apikey revoke: {err}")
    refused(srv.get("/api/v1/hosts", key), 401, "bad_key", "a revoked key")
    code, out, err = run("server", "--db", srv.db_url, "host", "remove", a.id)
    ok(code == 0, f"host remove: {err}")
    # the flood above used up this agent's rate: wait as the server asked, so
    # that what answers is the removal, not the limit
    time.sleep(int(retry) + 0.5)
    refused(a.post(srv, CHECKIN, checkin), 401, "unknown_agent", "a removed host")
    code, out, err = run("server", "--db", srv.db_url, "host", "remove", "../../etc")
    ok(code == 2, "host remove refuses what is not a host id")
    other_agent_served("the removal of another host")
    ok(srv.alive(), "the server is still running")


if __name__ == "__main__":
    main()
