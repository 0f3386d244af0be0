#!/usr/bin/env python3
"""End-to-end: `rasoat device audit` over the Junos (curly and set forms),
FortiOS and RouterOS fixtures with the bundled policies.

- every weakness planted in a weak fixture is found, citing the line the
  test finds by searching the fixture text for the planted statement (a
  needle, or a chain of needles each searched after the previous one);
  weaknesses that are an absence are found without a line;
- the set form of the Junos weak configuration gives the same findings as
  its curly form, the multi-VDOM layout of the FortiOS one the same as its
  single-VDOM layout, and every cited line of every finding holds the cited
  statement;
- the hardened twin of each has no finding at medium or above;
- no secret written in a fixture (hashes, keys, passwords, community names)
  appears in any output format (text, jsonl, json, html);
- truncated and damaged files give one error each, naming the file and a
  line, and the other files are still assessed.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import Tree, check, done, fail, findings, jsonl, run, summary  # noqa: E402

FIX = os.path.join(os.environ.get("RS_FIXTURES") or os.path.join(os.path.dirname(__file__), "..", "fixtures"),
                   "devices")

# check id -> where the planted statement is (None: the weakness is an absence)
JUNOS_WEAK = {
    1001: "telnet;", 1002: "ftp;", 1003: "finger;", 1004: ("web-management {", "http {"),
    1005: "xnm-clear-text;", 1007: "protocol-version [ v1", 1008: "root-login allow;",
    1009: "ciphers [ 3des-cbc", 1010: "macs [ hmac-md5", 1011: ("services {", "ssh {"),
    1012: "class ops {", 1014: "class super-user;", 1015: None, 1016: None, 1017: "format md5;",
    1018: None, 1019: ("user admin {", "encrypted-password"),
    1020: ("root-authentication {", "encrypted-password"), 1021: None, 1022: "community public {",
    1023: "authorization read-write;", 1024: "community public {", 1026: None, 1027: None, 1028: None,
    1029: None, 1030: ("web-management {", "https {"), 1031: "interface ge-0/0/1.0;",
    1032: "group isp-a {", 1033: None, 1034: "allow-v4-source-route;", 1035: "proxy-arp unrestricted;",
    1036: "interface all;", 1037: None, 1038: ("security-zone trust {", "all;"),
    1039: ("security-zone untrust {", "ssh;"), 1040: ("security-zone untrust {", "protocols {", "all;"),
    1041: "security-zone untrust {", 1042: "policy allow-all-out {", 1043: "policy allow-web-out {",
    1044: ("policy deny-rest {", "then {"), 1045: ("policy allow-all-out {", "then {"),
    1046: "permit-all;", 1047: "address old-ftp", 1048: None, 1049: None, 1051: None,
    1052: "version 15.1X49",
}
FORTIOS_WEAK = {
    2001: "set admin-telnet enable", 2002: "set admin-ssh-v1 enable", 2003: "set allowaccess ping https ssh snmp http telnet",
    2004: "set allowaccess ping https ssh snmp http telnet", 2005: 'edit "wan1"', 2006: "set strong-crypto disable",
    2007: "set admin-https-ssl-versions tlsv1-0", 2008: "set admintimeout 480", 2009: "set admin-lockout-threshold 10",
    2010: 'edit "admin"', 2011: 'edit "admin"', 2012: 'edit "admin"', 2013: 'edit "admin"', 2014: None, 2016: None,
    2017: ("config system snmp community", "edit 1"), 2018: "set ip 0.0.0.0 0.0.0.0",
    2020: None, 2021: None, 2022: None,  # defaults: judged by the absence of the safe value
    2023: "set ssh-kex-algo diffie-hellman-group1-sha1", 2024: "set ssh-enc-algo aes128-cbc", 2025: None,
    2026: 'edit "internal-ospf"', 2027: ("config router bgp", 'edit "203.0.113.9"'), 2028: 'edit "wan1"',
    2029: 'edit "wan1"', 2030: ("config firewall policy", "edit 1"), 2031: ("config firewall policy", "edit 2"),
    2032: ("config firewall policy", "edit 3"), 2033: ("config firewall policy", "edit 1"),
    2034: ("config firewall policy", "edit 2"), 2035: 'edit "legacy-ftp"', 2036: None,
    2037: "set ntpsync disable", 2039: "set event disable", 2040: "#config-version=FGT60F-6.2.3",
    2041: "set ssl-min-proto-ver tls1-0", 2042: "set proposal des-md5", 2043: "set dhgrp 2",
    2044: "set mode aggressive", 2045: None,
}
ROUTEROS_WEAK = {
    3001: None, 3002: None, 3003: None, 3004: None, 3005: None, 3006: None, 3007: None,
    3008: ("/tool mac-server", "set allowed-interface-list=all"),
    3009: ("/tool mac-server mac-winbox", "set allowed-interface-list=all"), 3010: None,
    3011: "set discover-interface-list=all", 3012: ("/tool bandwidth-server", "set enabled=yes"),
    3013: "allow-remote-requests=yes", 3014: "set [ find default=yes ] addresses=0.0.0.0/0",
    3015: "write-access=yes", 3016: None, 3017: 'comment="allow everything to the router"',
    3018: "add action=accept chain=forward", 3019: 'comment="allow winbox from LAN"',
    3020: "add action=drop chain=forward connection-state=invalid", 3021: "list=lan-nets",
    3022: ("/ip proxy", "set enabled=yes"), 3023: ("/ip socks", "set enabled=yes"),
    3024: ("/ip upnp", "set enabled=yes"), 3025: "accept-source-route=yes", 3026: None,
    3027: "accept-redirects=yes", 3028: "arp=proxy-arp", 3029: "authentication=none",
    3030: "remote-as=64500", 3031: None, 3032: None, 3033: None, 3034: ("/tool romon", "set enabled=yes"),
    3035: None, 3036: ("/user", "password="), 3037: None, 3038: "by RouterOS 6.48.1",
}

# the secrets written in the fixtures, found by their syntax
SECRET_PATTERNS = [
    r'"(\$[0-9]\$[^"]+)"',                          # Junos hashes and $9$ keys
    r'community (\S+) \{', r'set snmp community (\S+) ',  # Junos communities
    r'\bENC (\S+)',                                 # FortiOS
    r'\b(?:password|auth-key|tcp-md5-key|secret)=(\S+)',  # RouterOS
    r'addresses=\S+ name=(\S+)',                    # RouterOS community name
]
# default community names are the subject of a check and appear in its rule text
NOT_SECRET = {"public", "private"}


def text_of(rel):
    with open(os.path.join(FIX, rel), newline="") as f:
        return f.read().replace("\r\n", "\n").replace("\r", "\n")


def line_of(rel, needle):
    """The 1-based line of the first line holding NEEDLE; a tuple is searched in order, each
    needle after the line of the one before."""
    lines = text_of(rel).split("\n")
    start = 0
    for n in (needle if isinstance(needle, tuple) else (needle,)):
        for i in range(start, len(lines)):
            if n in lines[i]:
                start = i
                break
        else:
            fail(f"{rel}: no line holds {n!r}")
        start += 1
    return start


RESULTS = {}


def audit(*files, fmt="jsonl"):
    """rasoat device audit over FILES (relative to the fixtures), run once per list."""
    if (files, fmt) not in RESULTS:
        paths = [os.path.join(FIX, f) for f in files]
        RESULTS[(files, fmt)] = run("device", "audit", "--no-db", "--format", fmt, *paths)
    return RESULTS[(files, fmt)]


def by_check(lines, rel):
    path = os.path.join(FIX, rel)
    got = {}
    for f in findings(lines):
        if f["evidence"].get("path") == path:
            got.setdefault(int(f["rule"].rsplit(":", 1)[1]), f)
    return got


def cited_lines_hold_text(rel, got):
    """Every finding's cited line holds the words of its (redacted) cited statement."""
    lines = text_of(rel).split("\n")
    for cid, f in got.items():
        ev = f["evidence"]
        if "line" not in ev:
            continue
        i = ev["line"] - 1
        have = lines[i]
        while have.endswith("\\") and i + 1 < len(lines):  # a RouterOS continuation
            i += 1
            have = have[:-1] + lines[i].lstrip()
        words = ev.get("text", "").split(" ")
        if have.lstrip().startswith("#"):  # the version a header comment gives, as "version X"
            check(words[0] == "version" and len(words) == 2, f"{rel}: check {cid} cites a comment for {words}")
            words = words[1:]
        for word in words:
            if word and word != "<redacted>" and "<redacted>" not in word and word.strip('"') not in have:
                fail(f"{rel}: check {cid} cites line {ev['line']} ({have.strip()!r}) for {ev['text']!r}")


def test_weak(rel, expected):
    rc, out, err = audit(rel)
    check(rc == 1, f"{rel}: exit {rc}, wanted 1 (findings at or above high)\n{err}")
    lines = jsonl(out)
    got = by_check(lines, rel)
    for cid, needle in expected.items():
        if cid not in got:
            fail(f"{rel}: planted weakness {cid} not found")
        ev = got[cid]["evidence"]
        if needle is None:
            check("line" not in ev, f"{rel}: check {cid} is an absence but cites line {ev.get('line')}")
            continue
        want = line_of(rel, needle)
        check(ev.get("line") == want, f"{rel}: check {cid} cites line {ev.get('line')}, the planted statement "
                                      f"{needle!r} is on line {want}")
        check(ev.get("device"), f"{rel}: check {cid} has no device name")
        check(got[cid]["attack"], f"{rel}: check {cid} has no ATT&CK technique")
        check(got[cid].get("remediation"), f"{rel}: check {cid} has no remediation")
    unexpected = sorted(set(got) - set(expected))
    check(not unexpected, f"{rel}: findings not planted: {unexpected}")
    cited_lines_hold_text(rel, got)
    return got


def test_set_form():
    curly = by_check(jsonl(audit("junos/weak.conf")[1]), "junos/weak.conf")
    rc, out, _ = audit("junos/weak.set")
    got = by_check(jsonl(out), "junos/weak.set")
    check(sorted(got) == sorted(curly), f"set form findings {sorted(got)} differ from curly {sorted(curly)}")
    for cid in got:
        check(("line" in got[cid]["evidence"]) == ("line" in curly[cid]["evidence"]),
              f"check {cid}: one form cites a line, the other not")
    cited_lines_hold_text("junos/weak.set", got)


def test_multi_vdom():
    """The weak FortiOS backup rearranged as a multi-VDOM one (config global, config vdom > edit
    root) gives the same findings, each citing a line that holds its statement."""
    single = by_check(jsonl(audit("fortios/weak.conf")[1]), "fortios/weak.conf")
    multi = by_check(jsonl(audit("fortios/weak-multi-vdom.conf")[1]), "fortios/weak-multi-vdom.conf")
    check(sorted(multi) == sorted(single), f"multi-VDOM findings {sorted(multi)} differ from {sorted(single)}")
    cited_lines_hold_text("fortios/weak-multi-vdom.conf", multi)


def test_hardened(files):
    rc, out, err = audit(*files)
    lines = jsonl(out)
    bad = [(f["evidence"]["path"], f["rule"], f["severity"], f["title"]) for f in findings(lines)
           if f["severity"] in ("medium", "high", "critical")]
    check(not bad, f"hardened twins have findings at medium or above: {bad}")
    check(rc == 0, f"exit {rc}, wanted 0\n{err}")
    dev = summary(lines)["modules"]["device"]
    check(dev["errors"] == 0, f"errors: {dev}")
    assessed = {os.path.relpath(d["path"], FIX): d["checks"] for d in dev["devices"]}
    for rel in files:
        check(assessed.get(rel, 0) >= 20, f"{rel}: not assessed with the bundled checks: {assessed}")


def secrets_of(rel):
    text = text_of(rel)
    found = set()
    for pat in SECRET_PATTERNS:
        for m in re.finditer(pat, text):
            v = m.group(1).strip('"')
            if v not in NOT_SECRET and len(v) >= 6:
                found.add(v)
    return found


def test_no_secret(files):
    secrets = set()
    for rel in files:
        secrets |= secrets_of(rel)
    check(len(secrets) >= 20, f"too few secrets found in the fixtures to mean anything: {sorted(secrets)}")
    with Tree() as t:
        for fmt in ("text", "jsonl", "json", "html"):
            out = t.p(f"out.{fmt}")
            rc, stdout, err = run("device", "audit", "--no-db", "--all", "--format", fmt, "-o", out,
                                  *[os.path.join(FIX, f) for f in files])
            with open(out, errors="replace") as f:
                body = f.read() + stdout + err
            check(len(body) > 1000, f"{fmt}: output too short to judge")
            leaked = sorted(s for s in secrets if s in body)
            check(not leaked, f"{fmt}: secrets from the fixtures in the output: {leaked}")


def test_malformed():
    bad = {"junos/truncated.conf": "never closed", "junos/unclosed-quote.set": "quoted string is never closed",
           "fortios/truncated.conf": "is never closed with 'end'", "routeros/truncated.rsc": "the line goes on"}
    rc, out, err = audit("junos/weak.conf", *bad, "fortios/weak.conf", "routeros/weak.rsc")
    check(rc == 1, f"exit {rc}, wanted 1 (the good files still have findings)")
    for rel, cause in bad.items():
        m = re.search(re.escape(os.path.join(FIX, rel)) + r":(\d+): ([^\n]*)", err)
        check(m and cause in m.group(2), f"{rel}: no error naming the file, a line and {cause!r}:\n{err}")
    lines = jsonl(out)
    dev = summary(lines)["modules"]["device"]
    check(dev["errors"] == len(bad), f"errors {dev['errors']}, wanted {len(bad)}")
    assessed = {os.path.relpath(d["path"], FIX) for d in dev["devices"]}
    check(assessed == {"junos/weak.conf", "fortios/weak.conf", "routeros/weak.rsc"}, f"assessed: {assessed}")
    for rel in ("junos/weak.conf", "fortios/weak.conf", "routeros/weak.rsc"):
        check(by_check(lines, rel), f"{rel}: no findings next to the malformed files")


def main():
    counts = {}
    for rel, expected in (("junos/weak.conf", JUNOS_WEAK), ("fortios/weak.conf", FORTIOS_WEAK),
                          ("routeros/weak.rsc", ROUTEROS_WEAK)):
        counts[rel] = len(test_weak(rel, expected))
    test_set_form()
    test_multi_vdom()
    test_hardened(("junos/hardened.conf", "junos/hardened.set", "fortios/hardened.conf", "fortios/multi-vdom.conf",
                   "routeros/hardened.rsc"))
    test_no_secret(["junos/weak.conf", "junos/weak.set", "junos/hardened.conf", "fortios/weak.conf",
                    "fortios/hardened.conf", "routeros/weak.rsc", "routeros/hardened.rsc"])
    test_malformed()
    print("planted weaknesses found: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    done("test_device_families", True)


if __name__ == "__main__":
    try:
        main()
    finally:
        Tree.remove_all()
