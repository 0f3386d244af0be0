"""End-to-end test: the incident records live in the fleet's own database,
SQLite or PostgreSQL, as the same records. `rasoat incident new/note/show
--db` on the fleet's database (a postgresql:// URL with
RS_FLEET_DB=postgresql, which starts a PostgreSQL 15 of its own), then
`rasoat server` on that database with no --incidents: the dashboard's
incidents page and the overview's overdue incidents show the records from
it. On PostgreSQL the same commands run against a SQLite store too and
the two records must be the same (times aside). A scan uploaded to the
server (by `rasoat agent bench`) is linked to the first incident by an id
prefix and by "last" (`incident link --scan`), on either backend, and the
record lists its findings; an unknown prefix is refused."""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import Tree, check, done, run  # noqa: E402
from fleet_e2e import BACKEND, Server, require_backend  # noqa: E402
from test_dashboard import Browser  # noqa: E402
import test_fleet_tasks  # noqa: E402

PASSED = 0
DETECTED = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 10 * 86400))
VOLATILE = ("created", "time", "detected_at", "updated")


def ok(cond, message):
    global PASSED
    check(cond, message)
    PASSED += 1


def make_incidents(t, db):
    """Two incidents on DB (one overdue, with a note); the first one's record."""
    env = dict(os.environ, RASOAT_INCIDENT_CONF=t.p("incident.conf"))
    code, out, err = run("incident", "new", "--db", db, "--title", "Web shell on web-1 <b>x</b>", "--category",
                         "malware", "--severity", "high", "--detected", DETECTED, env=env)
    ok(code == 0 and out.strip().startswith("INC-"), f"incident new on {db[:40]}: {code} {err}")
    first = out.strip()
    code, out, err = run("incident", "new", "--db", db, "--title", "Port scan", "--category", "intrusion",
                         "--severity", "low", env=env)
    ok(code == 0, f"second incident: {code} {err}")
    ok(out.strip() != first, "two incidents, two numbers")
    code, _, err = run("incident", "note", first, "contained by isolating the host", "--db", db, env=env)
    ok(code == 0, f"incident note: {code} {err}")
    code, out, err = run("incident", "show", first, "--db", db, "--format", "json", env=env)
    ok(code == 0, f"incident show: {code} {err}")
    return first, json.loads(out)


def strip_times(value):
    if isinstance(value, dict):
        return {k: strip_times(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [strip_times(v) for v in value]
    return value


def link_uploaded_scan(srv, db, incident, t):
    """A scan an agent uploaded is linked to INCIDENT by id prefix on DB."""
    env = dict(os.environ, RASOAT_INCIDENT_CONF=t.p("incident.conf"))
    code, out, err = run("agent", "bench", "--server", srv.url, "--token", srv.token("--uses", "1"),
                         "--mode", "results", "--agents", "1", "--reports", "1", "--findings", "10",
                         "--threads", "1")
    ok(code == 0, f"one scan uploaded: {code} {out} {err[-1000:]}")
    findings = srv.get_all("/api/v1/findings", srv.apikey())
    scans = {f["scan"] for f in findings}
    ok(len(scans) == 1 and len(findings) == 10, f"the uploaded scan on the server: {scans} {len(findings)}")
    scan = scans.pop()
    code, _, err = run("incident", "link", incident, "--scan", "ffff" if scan[:4] != "ffff" else "0000",
                       "--db", db, env=env)
    ok(code != 0 and "no scan" in err, f"an unknown scan prefix is refused: {code} {err}")
    code, _, err = run("incident", "link", incident, "--scan", scan[:8], "--db", db, env=env)
    ok(code == 0, f"incident link --scan {scan[:8]} on {db[:40]}: {code} {err}")
    code, _, err = run("incident", "link", incident, "--scan", "last", "--db", db, env=env)
    ok(code == 0, f"incident link --scan last: {code} {err}")
    code, out, err = run("incident", "show", incident, "--db", db, "--format", "json", env=env)
    ok(code == 0, f"incident show after the link: {code} {err}")
    record = json.loads(out)
    ok(record["scans"] == [scan], f"the linked scan, once: {record['scans']} (want {scan})")
    linked = [f for f in record["findings"] if f.get("scan") == scan]
    ok(len(linked) > 0 and all(f["rule"] in ("rasoat:persist.cron", "cis:debian12.5.2.3") for f in linked),
       f"the scan's findings in the record: {len(linked)} of {len(record['findings'])}")


def main():
    require_backend("test_fleet_incidents")
    with Tree("rasoat-fleet-incidents-") as t:
        open(t.p("incident.conf"), "w").close()
        srv = Server(t.p("server/fleet.db"))
        db = srv.db_url if BACKEND == "postgresql" else t.p("server/fleet.db")
        first, record = make_incidents(t, db)
        ok(record["title"] == "Web shell on web-1 <b>x</b>" and record["state"] == "detected"
           and [e["kind"] for e in record["timeline"]][-1] == "note", f"the record: {record['timeline']}")
        if BACKEND == "postgresql":
            lite_first, lite = make_incidents(t, t.p("lite/incidents.db"))
            ok(lite_first == first, f"the same numbering: {lite_first} {first}")
            ok(strip_times(lite) == strip_times(record), "the PostgreSQL record differs from the SQLite one:\n"
               f"{json.dumps(strip_times(record), sort_keys=True)[:1500]}\n"
               f"{json.dumps(strip_times(lite), sort_keys=True)[:1500]}")
        srv.start()
        try:
            test_fleet_tasks.add_users(srv)
            vic = Browser(srv)
            vic.login("vic")
            status, html, _ = vic.get("/incidents")
            ok(status == 200 and first in html and "Web shell on web-1 &lt;b&gt;x&lt;/b&gt;" in html
               and "Port scan" in html and "<b>x</b>" not in html, f"the incidents page: {status}")
            ok('id="incidents"' in html, "the incidents table is shown (not the 'stored elsewhere' notice)")
            status, html, _ = vic.get("/overview")
            ok(status == 200 and 'id="overdue"' in html and first in html, "the overview's overdue incident")
            link_uploaded_scan(srv, db, first, t)
        finally:
            srv.stop()
    done("test_fleet_incidents", PASSED)


if __name__ == "__main__":
    main()
