"""End-to-end: `rasoat device audit` and `rasoat scan --devices` over the
Cisco IOS, ASA and NX-OS fixtures (tests/fixtures/devices/): every planted
weakness of a weak configuration is found with the line it sits on (the
line is found here by searching the fixture text, never hard-coded); the
hardened twins have no finding at medium or above; no password, key, hash
or community of any fixture appears in any output format; malformed and
truncated files give one error naming the file and line while the other
files are still assessed; waivers per check and hostname; exit status 0/1/2."""
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(__file__))
import rasoat_e2e as e2e  # noqa: E402

SRC = os.environ.get("RS_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")
FIX = os.path.join(SRC, "tests", "fixtures", "devices")
passed = 0

# check id -> the statement(s) that plant the weakness (None: the weakness is
# a statement that is missing, so the finding cites no line)
PLANTED = {
    "ios_weak.cfg": ("rasoat_cisco_ios", "BR-RTR-07", {
        1001: "line vty 0 4", 1002: "ip http server", 1003: "ip http secure-server",
        1004: "ip ssh version 1", 1005: "ip ssh server algorithm encryption",
        1007: "ip ssh time-out 120", 1008: "ip ssh authentication-retries 5",
        1009: "line vty 0 4", 1010: "line aux 0", 1011: "exec-timeout 30 0", 1012: None, 1013: None,
        1014: None, 1015: "enable password 7", 1016: None, 1018: "username netops",
        1019: "username backup", 1020: ["password 7 045802150C2E1D1C5A", "password 7 1511021F07257A767B"],
        1021: "no service password-encryption", 1022: "snmp-server community public",
        1023: "snmp-server community N0cM0n1t0r", 1024: "snmp-server community public",
        1025: "snmp-server community public", 1028: None, 1029: None, 1030: "line aux 0", 1031: None,
        1040: None, 1042: "ip source-route", 1043: "interface GigabitEthernet0/0",
        1044: "interface GigabitEthernet0/0", 1045: "interface GigabitEthernet0/0",
        1046: "ip directed-broadcast", 1047: ["service tcp-small-servers", "service udp-small-servers"],
        1048: "ip finger", 1049: None, 1050: None, 1051: None, 1052: "ip identd", 1053: None,
        1054: "router ospf 10", 1056: "neighbor 203.0.113.1 remote-as 64500", 1058: "service config",
        1070: "permit ip any any",
        1071: ["permit tcp 10.20.0.0 0.0.0.255 any eq 443", "permit tcp 10.20.0.0 0.0.0.255 host 10.30.0.5 eq 443"],
        1072: ["ip access-list extended OLD-VENDOR", "access-list 10 permit", "access-list 110 permit"],
        1073: "object-group network LEGACY-SERVERS", 1074: "deny ip any any", 1080: None,
        1082: "service timestamps log uptime", 1083: None, 1084: None, 1086: None, 1090: "version 15.1",
    }),
    "asa_weak.cfg": ("rasoat_cisco_asa", "DMZ-FW-02", {
        2001: "telnet 10.1.0.0 255.255.0.0 inside", 2002: "ssh 0.0.0.0 0.0.0.0 outside",
        2003: "ssh 0.0.0.0 0.0.0.0 outside", 2004: "ssh version 1", 2005: "ssh timeout 60",
        2007: "ssh key-exchange group dh-group1-sha1", 2008: "http 0.0.0.0 0.0.0.0 outside",
        2009: "http 0.0.0.0 0.0.0.0 outside", 2010: "enable password", 2011: "passwd",
        2012: ["username admin password", "username helpdesk password"], 2013: None, 2014: None,
        2015: "http server enable", 2016: None, 2017: None, 2018: None, 2019: "console timeout 0",
        2020: None, 2021: "snmp-server host inside 10.1.5.9 community",
        2022: ["snmp-server host inside 10.1.5.9 community", "snmp-server community"],
        2024: "icmp permit any outside", 2025: "failover", 2026: None, 2040: "router ospf 1",
        2042: "neighbor 192.0.2.1 remote-as 64501", 2043: "interface GigabitEthernet1/1", 2044: None, 2045: None, 2046: "crypto ikev1 enable outside",
        2047: ["encryption 3des", "hash md5", "group 2"], 2048: "crypto ipsec ikev1 transform-set WEAK-TS",
        2049: "ssl server-version any", 2050: "ssl cipher default all",
        2070: "access-list DMZ-IN extended permit ip any any",
        2071: ["access-list OUTSIDE-IN extended permit tcp any host 172.16.10.20 eq https",
               "access-list OUTSIDE-IN extended permit tcp any host 172.16.10.20 eq 443"],
        2072: "access-list TEST-ACL", 2073: ["object network WEB-SRV", "object network OLD-MAIL",
                                             "object-group network ADMIN-HOSTS"],
        2074: "access-list OUTSIDE-IN extended deny ip any any",
        2076: "same-security-traffic permit inter-interface", 2080: None, 2081: None, 2082: None,
        2083: None, 2085: None, 2086: None, 2090: "ASA Version 9.4(4)5",
    }),
    "nxos_weak.cfg": ("rasoat_cisco_nxos", "DC-LEAF-03", {
        3001: "feature telnet", 3002: "nxapi http port 80", 3003: None, 3005: "exec-timeout 60",
        3006: "snmp-server community public", 3007: "snmp-server community Wr1teC0mm",
        3008: "snmp-server community public", 3009: "snmp-server community public",
        3010: "snmp-server user admin", 3011: ["username admin password", "username oper password"],
        3012: "no password strength-check", 3013: None, 3014: None, 3016: None, 3030: None,
        3031: "feature lldp", 3032: "router ospf 1", 3033: "neighbor 10.0.0.0", 3035: "ip proxy-arp",
        3036: "interface Vlan10", 3037: None, 3050: "30 permit ip any any",
        3051: ["10 permit tcp 10.10.0.0/16 10.20.0.0/24 eq 22", "20 permit tcp 10.10.5.0/24 10.20.0.0/24 eq 22"],
        3052: "ip access-list UNUSED-ACL", 3053: "object-group ip address STALE-GROUP",
        3054: "10 deny ip 192.168.0.0/16 any", 3070: None, 3071: None, 3073: None,
        3091: "version 7.0(3)I7(6)",
    }),
}

HARDENED = {"ios_hardened.cfg": "HQ-EDGE-01", "asa_hardened.cfg": "HQ-FW-01", "nxos_hardened.cfg": "DC-SPINE-01"}

# every secret the fixtures hold: none may appear in any output
SECRETS = {
    "ios_weak.cfg": ["0822455D0A16544541", "070C285F4D06485744", "$1$mERr$hx5rVt7rPNoS4wqbXKX7m0",
                     "N0cM0n1t0r", "Tr4pC0mm", "045802150C2E1D1C5A", "1511021F07257A767B"],
    "ios_hardened.cfg": ["$9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM",
                         "$9$Q1FvYzhxL2pWbE$kC0m3B2nY5vXrT8uZq1wE4sD7fG0hJ6kL9pA2oI5uY3",
                         "110A1016141D5A5E57", "02050D4808095E731F", "AuthPassw0rd!x", "PrivPassw0rd!y",
                         "0822455D0A165445415F59", "104D000A061843595F"],
    "asa_weak.cfg": ["8Ry2YjIyt7RRXU24", "2KFQnbNIdI.2KYOU", "Pr1vC0mmStr", "Tunn3lPSK!2019",
                     "f3UhLvUj1QsXsuK7", "lKxn5AF1y9xk3rZW"],
    "asa_hardened.cfg": ["Osp5Key!Value", "Tac4csSharedK3y", "Auth!Pass2026", "Priv!Pass2026",
                         "Rem0te!PSK-2026", "L0cal!PSK-2026", "Ntp!Key2026", "Bgp!Md5Key2026"],
    "nxos_weak.cfg": ["$1$Ky8hLpzQ$Jt3c6PZf0E2Rgk1A3b9Xn.", "Oper4t0rPass", "0x3a7bd3e2360a3d29eea436fcfb7e44c7",
                      "Wr1teC0mm", "9125d59c18a9b015"],
    "nxos_hardened.cfg": ["$5$KLMNOP$0pQ9rS8tU7vW6xY5zA4bC3dE2fG1hI0jK9lM8nO7pQ6", "Fxqrb3Rw!ksn2",
                          "0x7c2d9e1f5a3b8c4d6e0f1a2b3c4d5e6f", "0x1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d",
                          "Ntp5ecretK3y", "a667d47acc18ea6b", "9125d59c18a9b015"],
}
# well-known default communities: must not appear in any finding's evidence
DEFAULT_COMMUNITIES = {"ios_weak.cfg": ["public"], "asa_weak.cfg": ["public"], "nxos_weak.cfg": ["public"]}


def fixture(name):
    return os.path.join(FIX, name)


def read_text(name):
    with open(fixture(name), "rb") as f:
        return f.read().decode("latin-1")


def line_of(name, needle):
    """The 1-based line of the first statement of fixture NAME that is NEEDLE
    or starts with NEEDLE and a space (blanks normalised)."""
    for no, raw in enumerate(read_text(name).split("\n"), 1):
        text = " ".join(raw.replace("\r", "").split())
        if text == needle or text.startswith(needle + " "):
            return no
    e2e.fail(f"{name}: the planted statement '{needle}' is not in the fixture (fix the test)")


def last_line(name):
    text = read_text(name)
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def audit(*args, code=None):
    c, out, err = e2e.run("device", "audit", "--no-db", *args, check_exit=code)
    return c, out, err


def by_path(lines):
    """Findings of each assessed file."""
    out = {}
    for f in e2e.findings(lines):
        out.setdefault(f["evidence"]["path"], {})[f["rule"]] = f
    return out


def test_planted():
    global passed
    code, out, err = audit(*[fixture(n) for n in PLANTED], "--format", "jsonl", code=1)
    lines = e2e.jsonl(out)
    found = by_path(lines)
    for name, (policy, host, planted) in PLANTED.items():
        path = fixture(name)
        got = found.get(path, {})
        for check, needle in planted.items():
            rule = f"device:{policy}:{check}"
            e2e.check(rule in got, f"{name}: planted weakness {rule} not found")
            ev = got[rule]["evidence"]
            e2e.check(ev["path"] == path and ev.get("device") == host and got[rule]["module"] == "device",
                      f"{name}: {rule} evidence {ev}")
            if needle is None:
                continue
            needles = needle if isinstance(needle, list) else [needle]
            want = [line_of(name, n) for n in needles]
            e2e.check(ev.get("line") in want,
                      f"{name}: {rule} cites line {ev.get('line')}, the weakness is on line(s) {want}")
            e2e.check(all(w in ev.get("lines", []) for w in want),
                      f"{name}: {rule} lines {ev.get('lines')} miss {want}")
            passed += 1
        print(f"{name}: {len(planted)} planted weaknesses found, {len(got)} findings")
    s = e2e.summary(lines)
    dev = s["modules"]["device"]
    e2e.check(dev["files"] == len(PLANTED) and dev.get("errors", 0) == 0 and s["exit"] == 1, f"summary {dev}")
    passed += 1


def test_hardened():
    global passed
    code, out, err = audit(*[fixture(n) for n in HARDENED], "--format", "jsonl", "--fail-on", "medium", code=0)
    lines = e2e.jsonl(out)
    bad = [(f["evidence"]["path"], f["rule"], f["severity"]) for f in e2e.findings(lines)
           if f["severity"] in ("medium", "high", "critical")]
    e2e.check(not bad, f"a hardened twin has findings at medium or above: {bad}")
    dev = e2e.summary(lines)["modules"]["device"]
    hosts = {d["device"]: d["checks"] for d in dev["devices"]}
    e2e.check(set(hosts) == set(HARDENED.values()) and min(hosts.values()) >= 20, f"hardened: {dev}")
    passed += 1


def test_no_secret_anywhere():
    global passed
    files = [fixture(n) for n in SECRETS]
    every = []
    for name, secrets in SECRETS.items():
        text = read_text(name)
        for s in secrets:
            e2e.check(s in text, f"{name}: the secret {s} listed by the test is not in the fixture")
        every += secrets
    with e2e.Tree() as t:
        for fmt in ("text", "jsonl", "json", "html"):
            outfile = t.p(f"report.{fmt}")
            code, out, err = audit(*files, "--all", "--format", fmt, "-o", outfile)
            e2e.check(code == 1, f"--format {fmt}: exit {code} {err}")
            with open(outfile, encoding="utf-8", errors="replace") as f:
                report = f.read()
            e2e.check(len(report) > 1000, f"--format {fmt}: the report is empty")
            for s in every:
                for where, blob in (("report", report), ("stdout", out), ("stderr", err)):
                    e2e.check(s not in blob, f"--format {fmt}: secret {s} printed in the {where}")
            if fmt == "jsonl":
                for f in e2e.findings(e2e.jsonl(report)):
                    ev = json.dumps(f["evidence"]) + f["title"]
                    name = os.path.basename(f["evidence"]["path"])
                    for c in DEFAULT_COMMUNITIES.get(name, []):
                        e2e.check(c not in ev, f"{name}: community {c} in {f['rule']}: {ev}")
            passed += 1


def test_malformed():
    global passed
    with e2e.Tree() as t:
        binary = t.write("binary.cfg", b"hostname X\nversion 15.2\n\x00\x01\x02garbage\n")
        bad = {
            fixture("ios_truncated.cfg"): (last_line("ios_truncated.cfg"), "truncated"),
            fixture("ios_banner_unclosed.cfg"): (line_of("ios_banner_unclosed.cfg", "banner login ^C"), "never closed"),
            fixture("asa_truncated.cfg"): (last_line("asa_truncated.cfg"), "truncated"),
            binary: (3, "not a text configuration"),
            fixture("not_a_config.txt"): (None, "--type"),
        }
        code, out, err = audit(fixture("ios_weak.cfg"), *bad.keys(), fixture("nxos_hardened.cfg"),
                               "--format", "jsonl")
        e2e.check(code == 1, f"weak file with malformed ones: exit {code}, wanted 1 (findings)\n{err}")
        errors = [l for l in err.splitlines() if "error:" in l]
        for path, (line, cause) in bad.items():
            mine = [l for l in errors if path in l]
            e2e.check(len(mine) == 1, f"{path}: wanted one error line, got {mine}")
            if line is not None:
                e2e.check(f"{path}:{line}:" in mine[0], f"{path}: error does not name line {line}: {mine[0]}")
            e2e.check(cause in mine[0], f"{path}: error does not say '{cause}': {mine[0]}")
        lines = e2e.jsonl(out)
        dev = e2e.summary(lines)["modules"]["device"]
        assessed = {d["path"] for d in dev["devices"]}
        e2e.check(assessed == {fixture("ios_weak.cfg"), fixture("nxos_hardened.cfg")},
                  f"the good files were not both assessed: {assessed}")
        e2e.check(dev["errors"] == len(bad) and len(dev["file_errors"]) == len(bad), f"errors counted: {dev}")
        e2e.check(any(f["evidence"]["path"] == fixture("ios_weak.cfg") for f in e2e.findings(lines)),
                  "no finding of the good file")
        # nothing assessable: exit 2
        code, out, err = audit(fixture("ios_truncated.cfg"))
        e2e.check(code == 2 and "no configuration could be assessed" in err, f"only a bad file: {code} {err}")
        passed += 1


def test_exit_and_arguments():
    global passed
    audit(fixture("ios_weak.cfg"), "--fail-on", "none", code=0)
    audit(fixture("ios_hardened.cfg"), "--type", "cisco-ios", code=0)
    c, out, err = audit("--type", "cisco-catos", fixture("ios_weak.cfg"))
    e2e.check(c == 2 and "cisco-catos" in err, f"unknown --type: {c} {err}")
    c, out, err = audit()
    e2e.check(c == 2 and "name at least one" in err, f"no file: {c} {err}")
    c, out, err = e2e.run("device", "audit", "--help")
    e2e.check(c == 0 and "--type" in out and "--policies" in out, f"help: {c} {out}")
    c, out, err = audit("/nonexistent/r1.cfg")
    e2e.check(c == 2 and "/nonexistent/r1.cfg" in err, f"missing file: {c} {err}")
    # waivers apply per check and device hostname
    with e2e.Tree() as t:
        wf = t.write("waivers", "device:rasoat_cisco_ios:1002 2099-12-31 host=BR-RTR-07 web UI needed until the migration\n"
                     "device:rasoat_cisco_ios:1040 2099-12-31 host=OTHER-HOST not this device\n"
                     "device:rasoat_cisco_ios:1046 2000-01-01 expired long ago\n")
        env = dict(os.environ, RASOAT_WAIVERS=wf)
        c, out, err = e2e.run("device", "audit", "--no-db", fixture("ios_weak.cfg"), "--format", "jsonl", "--all",
                              env=env)
        lines = e2e.jsonl(out)
        got = {f["rule"]: f for f in e2e.findings(lines)}
        checks = {l["rule"]: l for l in lines if l["type"] == "check"}
        e2e.check("device:rasoat_cisco_ios:1002" not in got and
                  "waived" in checks["device:rasoat_cisco_ios:1002"]["reason"], f"waiver not applied: {err}")
        e2e.check("device:rasoat_cisco_ios:1040" in got, "a waiver for another host applied")
        e2e.check(got["device:rasoat_cisco_ios:1046"]["evidence"].get("waiver_expired"), "expired waiver not said")
    # --policies replaces the bundled ones
    with e2e.Tree() as t:
        t.write("p/mine.yml", "policy:\n  id: mine\n  regex_type: pcre2\n  devices: [cisco-ios]\nchecks:\n"
                "  - id: 1\n    title: 'Hostname starts with BR'\n    severity: high\n    condition: all\n"
                "    rules:\n      - 'not cfg:^hostname BR'\n")
        c, out, err = audit(fixture("ios_weak.cfg"), "--policies", t.p("p"), "--format", "jsonl")
        rules = [f["rule"] for f in e2e.findings(e2e.jsonl(out))]
        e2e.check(c == 1 and rules == ["device:mine:1"], f"--policies: {c} {rules} {err}")
    passed += 1


def test_scan_devices():
    global passed
    with e2e.Tree() as t:
        t.mkdir("configs/site-b")
        for name in ("ios_weak.cfg", "asa_hardened.cfg", "nxos_weak.cfg"):
            shutil.copy(fixture(name), t.p("configs/" + name))
        shutil.copy(fixture("asa_truncated.cfg"), t.p("configs/site-b/fw-b.cfg"))
        shutil.copy(fixture("ios_hardened.cfg"), t.p("configs/site-b/r-b.cfg"))
        t.symlink("configs/link.cfg", "/etc/shadow")   # never followed
        t.write(".hidden/x", "x")
        root = t.mkdir("root")
        code, out, err = e2e.run("scan", "--root", root, "--only", "device", "--devices", t.p("configs"),
                                 "--no-db", "--format", "jsonl")
        e2e.check(code == 1, f"scan --devices: exit {code}\n{err}")
        lines = e2e.jsonl(out)
        dev = e2e.summary(lines)["modules"]["device"]
        assessed = sorted(os.path.relpath(d["path"], t.p("configs")) for d in dev["devices"])
        e2e.check(assessed == ["asa_hardened.cfg", "ios_weak.cfg", "nxos_weak.cfg", "site-b/r-b.cfg"],
                  f"assessed: {assessed}")
        e2e.check(dev["errors"] == 1 and "site-b/fw-b.cfg:" in err and "truncated" in err, f"{dev} {err}")
        e2e.check("link.cfg" not in out and "link.cfg" not in err, "the symlink was followed")
        paths = {f["evidence"]["path"] for f in e2e.findings(lines)}
        e2e.check(t.p("configs/ios_weak.cfg") in paths and t.p("configs/nxos_weak.cfg") in paths, f"{paths}")
        hosts = {f["evidence"].get("device") for f in e2e.findings(lines)}
        e2e.check({"BR-RTR-07", "DC-LEAF-03"} <= hosts, f"devices: {hosts}")
        # the option names a path that does not exist: exit 2
        c, o, e = e2e.run("scan", "--root", root, "--only", "device", "--devices", t.p("nope"), "--no-db")
        e2e.check(c == 2 and "nope" in e, f"--devices missing dir: {c} {e}")
        # `devices = DIR` in the configuration file: assessed by every scan that names none
        conf = t.write("rasoat.conf", f"devices = {t.p('configs/site-b')}\n")
        c, o, e = e2e.run("scan", "--root", root, "--only", "device", "--config", conf, "--no-db", "--format", "jsonl")
        dev = e2e.summary(e2e.jsonl(o))["modules"]["device"]
        e2e.check([d["device"] for d in dev.get("devices", [])] == ["HQ-EDGE-01"] and dev["errors"] == 1,
                  f"devices = in the configuration: {c} {dev} {e}")
        # without --devices the module does not apply
        c, o, e = e2e.run("scan", "--root", root, "--only", "device", "--no-db", "--format", "jsonl")
        dev = e2e.summary(e2e.jsonl(o))["modules"]["device"]
        e2e.check(c == 0 and "not_applicable" in dev, f"no --devices: {c} {dev}")
        passed += 1


if __name__ == "__main__":
    try:
        test_planted()
        test_hardened()
        test_no_secret_anywhere()
        test_malformed()
        test_exit_and_arguments()
        test_scan_devices()
    finally:
        e2e.Tree.remove_all()
    e2e.done("test_device", passed)
