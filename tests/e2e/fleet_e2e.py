"""Helpers for the fleet end-to-end tests: a `rasoat server` on a free
loopback port with a temporary database, agents with their own state
directories, signed requests made with `rasoat agent sign`, and plain HTTP
calls to the API (stdlib http.client only).

RS_FLEET_DB=postgresql runs the same tests on a PostgreSQL 15 the test
starts itself (pgserver.py): each Server gets a new database in it;
otherwise (sqlite, the default) a SQLite file."""
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import RASOAT, check, fail, run  # noqa: E402,F401
import pgserver  # noqa: E402

BACKEND = os.environ.get("RS_FLEET_DB", "sqlite")


def require_backend(name):
    """Exits 0 with a clear skip line when the backend asked for is absent."""
    if BACKEND == "postgresql":
        why = pgserver.unavailable()
        if why:
            print(f"{name}: SKIP: PostgreSQL backend: {why}")
            sys.exit(0)
    elif BACKEND != "sqlite":
        fail(f"RS_FLEET_DB={BACKEND}: want sqlite or postgresql")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A `rasoat server` process over DB on 127.0.0.1:PORT."""

    def __init__(self, db, port=None, extra=(), db_url=None, host="127.0.0.1"):
        """DB is a path (the SQLite file, and where the log goes); DB_URL
        another server's database to share."""
        self.db = db
        self.host = host
        os.makedirs(os.path.dirname(db) or ".", exist_ok=True)
        if db_url:
            self.db_url = db_url
        elif BACKEND == "postgresql":
            self.db_url = pgserver.shared().create_db()
        else:
            self.db_url = "sqlite:" + db
        self.port = port or free_port()
        self.extra = list(extra)
        self.proc = None
        self.log = db + ".server.log"

    @property
    def url(self):
        return f"http://{self.host}:{self.port}"

    def start(self):
        logf = open(self.log, "ab")
        self.proc = subprocess.Popen(
            [RASOAT, "server", "--db", self.db_url, "--listen", f"{self.host}:{self.port}",
             "--workers", "2", *self.extra], stdout=logf, stderr=logf)
        logf.close()
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                fail(f"rasoat server exited {self.proc.returncode}:\n{self.read_log()[-3000:]}")
            try:
                with socket.create_connection((self.host, self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        fail("rasoat server did not start listening within 20 s")

    def read_log(self):
        try:
            with open(self.log, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def stop(self):
        """SIGTERM; the server must stop cleanly (exit 0)."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                code = self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                fail("rasoat server did not stop within 20 s of SIGTERM")
            check(code == 0, f"rasoat server exited {code} on SIGTERM:\n{self.read_log()[-3000:]}")
        self.proc = None

    def kill9(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=20)
        self.proc = None

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def token(self, *args):
        code, out, err = run("server", "--db", self.db_url, "token", "create", *args)
        check(code == 0, f"token create exited {code}: {err}")
        lines = out.splitlines()
        check(len(lines) == 1 and lines[0].startswith("rst1."), f"token create printed {out!r}")
        return lines[0]

    def apikey(self, role="viewer"):
        code, out, err = run("server", "--db", self.db_url, "apikey", "create", "--role", role)
        check(code == 0, f"apikey create exited {code}: {err}")
        lines = out.splitlines()
        check(len(lines) == 1 and lines[0].startswith("rsk1."), f"apikey create printed {out!r}")
        return lines[0]

    def request(self, method, path, body=None, headers=None, timeout=30):
        """Returns (status, parsed JSON or None, response headers)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            data = resp.read()
            try:
                parsed = json.loads(data) if data else None
            except ValueError:
                parsed = None
            return resp.status, parsed, dict(resp.getheaders())
        finally:
            conn.close()

    def get(self, path, key):
        return self.request("GET", path, headers={"Authorization": "Bearer " + key})

    def get_all(self, path, key):
        """Every item of a paged list (following "next")."""
        items, cursor = [], None
        sep = "&" if "?" in path else "?"
        for _ in range(1000):
            p = path + (f"{sep}cursor={cursor}" if cursor else "")
            status, body, _ = self.get(p, key)
            check(status == 200, f"GET {p}: {status} {body}")
            items += body["items"]
            cursor = body["next"]
            if cursor is None:
                return items
        fail("paging did not end")


class Agent:
    """An agent with its own state directory."""

    def __init__(self, state):
        self.state = state
        self.id = None

    def enrol(self, server_url, token, expect=0):
        code, out, err = run("agent", "--server", server_url, "--token", token, "--state", self.state)
        check(code == expect, f"agent enrol exited {code}, wanted {expect}: {err}")
        if code == 0:
            self.id = out.strip()
            check(len(self.id) == 32, f"enrol printed {out!r}")
        return code, err

    def run_once(self, root, *extra, timeout=120):
        return run("agent", "run", "--once", "--state", self.state, "--root", root,
                   "--only", "persist", *extra, timeout=timeout)

    def spool(self):
        d = os.path.join(self.state, "spool")
        if not os.path.isdir(d):
            return []
        return sorted(n for n in os.listdir(d) if n.endswith(".json") and not n.startswith("."))

    def sign(self, path, body=b"", when=None, counter=None, count=1, method="POST"):
        """Signed header sets for BODY at PATH (the agent's counter advances)."""
        bodyfile = os.path.join(self.state, "sign-body.tmp")
        with open(bodyfile, "wb") as f:
            f.write(body)
        args = ["agent", "sign", "--state", self.state, "--path", path, "--method", method,
                "--body", bodyfile, "--count", str(count)]
        if when is not None:
            args += ["--time", str(when)]
        if counter is not None:
            args += ["--counter", str(counter)]
        code, out, err = run(*args)
        os.unlink(bodyfile)
        check(code == 0, f"agent sign exited {code}: {err}")
        return [json.loads(l) for l in out.splitlines()]

    def post(self, server, path, body, **kw):
        headers = self.sign(path, body, **kw)[0]
        headers["Content-Type"] = "application/json"
        return server.request("POST", path, body=body, headers=headers)


def make_root(tree, name, cron_lines):
    """A tiny host root whose persist findings are cron jobs."""
    tree.write(f"{name}/etc/hostname", name + "\n")
    tree.write(f"{name}/etc/os-release", "ID=debian\nVERSION_ID=12\n")
    tree.write(f"{name}/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n")
    for i, line in enumerate(cron_lines):
        tree.write(f"{name}/etc/cron.d/job{i}", line + "\n")
    return tree.p(name)


def expected_findings(root):
    """The (rule, path) pairs a local `rasoat scan --only persist` gives."""
    code, out, err = run("scan", "--root", root, "--only", "persist", "--format", "jsonl", "--no-db")
    check(code in (0, 1), f"local scan exited {code}: {err}")
    lines = [json.loads(l) for l in out.splitlines() if l.strip()]
    return sorted((l["rule"], l["evidence"].get("path", "")) for l in lines if l["type"] == "finding")


def located(items):
    return sorted((i["rule"], i["evidence"].get("path", "")) for i in items)


def spooled_scans(agent):
    """The scan ids in AGENT's spool."""
    ids = []
    for name in agent.spool():
        with open(os.path.join(agent.state, "spool", name)) as f:
            ids += [s["summary"]["scan"] for s in json.load(f)["scans"]]
    return ids


def check_exactly_once(srv, key, made, want):
    """Every scan in MADE ({agent id: [scan ids]}) is on SRV once, with the
    findings WANT ((rule, path) pairs) once each; no other scan of those
    agents is there. Returns how many checks passed."""
    n = 0
    for agent_id, scans in made.items():
        status, host, _ = srv.get(f"/api/v1/hosts/{agent_id}", key)
        check(status == 200, f"host {agent_id}: {status}")
        stored = [s["scan"] for s in host["scans"]]
        check(sorted(stored) == sorted(set(stored)), f"host {agent_id}: a scan stored twice: {stored}")
        check(sorted(stored) == sorted(scans),
              f"host {agent_id}: stored {len(stored)} scans, made {len(scans)}: "
              f"missing {set(scans) - set(stored)}, extra {set(stored) - set(scans)}")
        for scan_id in scans:
            items = srv.get_all(f"/api/v1/findings?scan={scan_id}", key)
            check(located(items) == want, f"scan {scan_id}: findings {located(items)} != {want}")
        n += 1
    return n
