"""End-to-end test of the evidence bundles' retention and of their
streamed upload on a `rasoat server` on 127.0.0.1 (SQLite; PostgreSQL 15
with RS_FLEET_DB=postgresql): with --bundle-keep-days 1 a bundle received
two days ago is removed when the server starts, a fresh one is kept and
still downloads byte for byte; without the option (the default) an old
bundle is kept; a bad value is refused. A bundle of several MiB (random
bytes) is uploaded, listed with its SHA-256 and downloaded unchanged; one
over 64 MiB, or from no enrolled agent, is refused before it is read; a 48 MiB one sent slowly does not grow the
server's memory while it arrives (it is spooled to disk) and is stored
unchanged."""
import hashlib
import json
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import Tree, check, done, run  # noqa: E402
from fleet_e2e import Agent, Server, require_backend  # noqa: E402
from test_fleet_task_gaps import download, sql  # noqa: E402

PASSED = 0


def ok(cond, message):
    global PASSED
    check(cond, message)
    PASSED += 1


def collect_task(srv, key, agent):
    body = json.dumps({"host": agent.id, "type": "collect"}).encode()
    status, res, _ = srv.request("POST", "/api/v1/tasks", body=body,
                                 headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    ok(status == 201 and len(res["ids"]) == 1, f"collect task queued: {status} {res}")
    return res["ids"][0]


def upload(srv, agent, task, data):
    status, body, _ = agent.post(srv, f"/api/v1/bundles/{task}", data)
    ok(status == 200 and body["sha256"] == hashlib.sha256(data).hexdigest() and body["size"] == len(data),
       f"bundle upload for {task}: {status} {body}")


def listed(srv, key):
    status, body, _ = srv.get("/api/v1/bundles", key)
    ok(status == 200, f"bundle list: {status} {body}")
    return {b["task"]: b for b in body["items"]}


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def streamed_upload(srv, agent, task):
    """A 48 MiB bundle sent slowly: while 40 MiB of it are in, the server's
    memory has not grown by them (the body goes to disk as it arrives);
    then it is stored and downloads unchanged."""
    data = os.urandom(48 << 20)
    path = f"/api/v1/bundles/{task}"
    headers = agent.sign(path, data)[0]
    head = f"POST {path} HTTP/1.1\r\nHost: {srv.host}\r\nContent-Length: {len(data)}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "Connection: close\r\n\r\n"
    before = rss_kib(srv.proc.pid)
    with socket.create_connection((srv.host, srv.port), timeout=60) as sock:
        sock.sendall(head.encode())
        sock.sendall(data[:40 << 20])
        time.sleep(1.0)
        during = rss_kib(srv.proc.pid)
        sock.sendall(data[40 << 20:])
        reply = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            reply += chunk
    ok(during - before < 16 << 10, f"40 MiB received, the server grew by {during - before} KiB (streamed to disk)")
    ok(reply.startswith(b"HTTP/1.1 200") and hashlib.sha256(data).hexdigest().encode() in reply,
       f"the streamed upload is acknowledged with its SHA-256: {reply[:300]}")
    status, got, _ = download(srv, srv.apikey("admin"), task)
    ok(status == 200 and got == data, f"the 48 MiB bundle downloads unchanged: {status} {len(got)}")


def main():
    require_backend("test_fleet_bundle_keep")
    code, _, err = run("server", "--bundle-keep-days", "soon", "--db", "/nonexistent/x.db")
    ok(code == 2 and "bundle-keep-days" in err, f"a bad --bundle-keep-days: {code} {err}")
    with Tree("rasoat-fleet-bundle-keep-") as t:
        srv = Server(t.p("server/fleet.db"))
        srv.start()
        try:
            admin = srv.apikey("admin")
            agent = Agent(t.p("agent"))
            agent.enrol(srv.url, srv.token())
            old, fresh, big = (collect_task(srv, admin, agent) for _ in range(3))
            upload(srv, agent, old, b"\x1f\x8b old bundle")
            upload(srv, agent, fresh, b"\x1f\x8b fresh bundle")
            data = os.urandom(6 << 20)
            upload(srv, agent, big, data)
            status, got, headers = download(srv, admin, big)
            ok(status == 200 and got == data and headers.get("X-Rasoat-SHA256") == hashlib.sha256(data).hexdigest(),
               f"the 6 MiB bundle downloads unchanged: {status} {len(got)}")
            # a body past the bundle cap (64 MiB) is refused before it is read
            headers = agent.sign(f"/api/v1/bundles/{big}", b"x")[0]
            headers["Content-Length"] = str((64 << 20) + 1)
            status, body, _ = srv.request("POST", f"/api/v1/bundles/{big}", body=b"", headers=headers)
            ok(status == 413, f"a bundle over 64 MiB: {status} {body}")
            # a body from no enrolled agent is refused before it is read
            # (the answer comes before any of its 10 MiB is sent)
            with socket.create_connection((srv.host, srv.port), timeout=20) as sock:
                sock.sendall(f"POST /api/v1/bundles/{big} HTTP/1.1\r\nHost: x\r\n"
                             f"Content-Length: {10 << 20}\r\n\r\n".encode())
                answer = sock.recv(4096)
            ok(answer.startswith(b"HTTP/1.1 401") and b"bad_auth" in answer, f"an unsigned bundle: {answer[:200]}")
            streamed = collect_task(srv, admin, agent)
            streamed_upload(srv, agent, streamed)
        finally:
            srv.stop()
        sql(srv, f"UPDATE fleet_bundles SET received = received - 2 * 86400 WHERE task = '{old}'")
        # the default keeps every bundle
        srv.start()
        try:
            ok(set(listed(srv, admin)) == {old, fresh, big, streamed}, "without --bundle-keep-days every bundle is kept")
        finally:
            srv.stop()
        srv.extra = ["--bundle-keep-days", "1"]
        srv.start()
        try:
            items = listed(srv, admin)
            ok(set(items) == {fresh, big, streamed}, f"the two-day-old bundle is removed at start: {sorted(items)}")
            status, _, _ = download(srv, admin, old)
            ok(status == 404, f"the removed bundle is not handed out: {status}")
            status, got, _ = download(srv, admin, fresh)
            ok(status == 200 and got == b"\x1f\x8b fresh bundle", f"the fresh bundle is kept: {status} {got[:40]}")
        finally:
            srv.stop()
        ok("evidence bundles older than 1 days removed: 1" in srv.read_log(), "the removal is logged")
    done("test_fleet_bundle_keep", PASSED)


if __name__ == "__main__":
    main()
