"""The group commit with the request threads left free: a server with ONE
request thread takes the uploads of 16 simulated agents on 16 connections
at once (each upload waits for its commit with its connection suspended,
not in the request thread), and every acknowledged batch is stored once
with all its findings. Then the server is stopped with SIGTERM in the
middle of such an upload storm: it must stop cleanly (exit 0; libmicrohttpd
must not be stopped with a connection still suspended), and every batch it
acknowledged before stopping is in the database, exactly once, whole.
SQLite (the PostgreSQL writers are exercised by the _pg fleet tests)."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import RASOAT, Tree, check, done  # noqa: E402
from fleet_e2e import BACKEND, Server  # noqa: E402

AGENTS = 16
FINDINGS = 5
PASSED = 0
LIMITS = ["--workers", "1", "--address-rate", "1000000", "--address-burst", "1000000",
          "--agent-rate", "1000", "--agent-burst", "1000"]


def ok(cond, message):
    global PASSED
    check(cond, message)
    PASSED += 1


def bench(srv, token, reports):
    return subprocess.Popen([RASOAT, "agent", "bench", "--server", srv.url, "--token", token,
                             "--mode", "results", "--agents", str(AGENTS), "--reports", str(reports),
                             "--findings", str(FINDINGS), "--threads", str(AGENTS)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def figures(proc, timeout=300):
    out, err = proc.communicate(timeout=timeout)
    line = [ln for ln in out.splitlines() if ln.startswith("{")]
    check(line, f"agent bench printed no figures: {out[-500:]} {err[-500:]}")
    return json.loads(line[-1])


def stored(db):
    """Scans stored, and the scans whose findings are not exactly FINDINGS."""
    con = sqlite3.connect(db)
    try:
        scans = con.execute("SELECT count(*) FROM scans").fetchone()[0]
        batches = con.execute("SELECT count(*) FROM fleet_batches").fetchone()[0]
        odd = con.execute("SELECT count(*) FROM scans s WHERE (SELECT count(*) FROM findings f"
                          " WHERE f.scan = s.id) != ?", (FINDINGS,)).fetchone()[0]
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()
    return scans, batches, odd, integrity


def main():
    if BACKEND != "sqlite":
        print("test_fleet_group_commit: SKIP: SQLite only (RS_FLEET_DB is not sqlite)")
        return
    with Tree("rasoat-fleet-gc-") as t:
        db = t.p("server/fleet.db")
        srv = Server(db, extra=LIMITS).start()
        try:
            scenario(srv, db)
        finally:
            srv.kill9()
    done("test_fleet_group_commit", PASSED)


def scenario(srv, db):
    # 1. sixteen connections, one request thread: every upload answered 200
    r = figures(bench(srv, srv.token("--uses", str(AGENTS)), 320))
    ok(r["ok"] == 320 and r["failed"] == 0, f"320 uploads on 16 connections, one request thread: {r}")
    scans, batches, odd, integrity = stored(db)
    ok(scans == 320 and batches == 320, f"every upload stored once: {scans} scans, {batches} batches")
    ok(odd == 0, f"every scan has its {FINDINGS} findings ({odd} do not)")

    # 2. SIGTERM while 16 connections upload: a clean stop, nothing acknowledged lost
    proc = bench(srv, srv.token("--uses", str(AGENTS)), 20000)
    deadline = time.time() + 60
    while time.time() < deadline and stored(db)[0] < 320 + 50:
        time.sleep(0.1)
    srv.proc.send_signal(signal.SIGTERM)
    try:
        code = srv.proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        srv.proc.kill()
        code = "none within 30 s"
    ok(code == 0, f"the server stops cleanly on SIGTERM during uploads: exit {code}\n{srv.read_log()[-2000:]}")
    srv.proc = None
    r = figures(proc)
    scans, batches, odd, integrity = stored(db)
    ok(r["ok"] >= 50, f"uploads were acknowledged before the stop: {r}")
    ok(scans == batches and scans >= 320 + r["ok"],
       f"every acknowledged batch is stored: {r['ok']} acknowledged, {scans - 320} stored")
    ok(odd == 0 and integrity == "ok", f"each whole, the database intact: {odd} odd, {integrity}")


if __name__ == "__main__":
    main()
