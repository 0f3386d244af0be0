"""End-to-end: `rasoat hunt --iocs FILE` with the four formats a CERT sends
(a CSV table with Vietnamese headers, a plain list, a STIX 2.1 bundle and
a MISP event), each listing some of the files planted in a fixture root
(by hash and by name), some hosts-file entries (domains, addresses and
URL hosts), with malformed lines and objects: exactly the listed ones are
found, with the IOC file and line (or STIX id / MISP uuid) in the rule id
and the evidence; each malformed entry is warned about by file and line or
object; an unusable file is an error (exit 2 when no file is usable). The
live part (root) opens a TCP connection on loopback (127.0.0.x) to a
listener the test starts and `rasoat hunt --iocs` with that address
listed reports the connection with its pid."""
import hashlib
import os
import socket
import sys

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import Tree, check, done, findings, jsonl, run, summary  # noqa: E402


def md5(b):
    return hashlib.md5(b).hexdigest()


def sha1(b):
    return hashlib.sha1(b).hexdigest()


def sha256(b):
    return hashlib.sha256(b).hexdigest()


def plant(t):
    """Files with distinct contents (so distinct hashes) and a hosts file."""
    files = {}
    for rel in ["var/tmp/csv_md5.bin", "opt/app/plain_sha1.bin", "srv/stix_sha256.bin", "home/u/misp_md5.bin",
                "var/tmp/unlisted.bin", "home/u/misp_pair.bin"]:
        content = ("rasoat iocs fixture " + rel + "\n").encode() * 3
        t.write(rel, content)
        files["/" + rel] = content
    for rel in ["usr/local/bin/csvtool.elf", "tmp/.cache/plainkit", "opt/stixname.run", "var/lib/misp-implant.so",
                "opt/notlisted.run"]:
        t.write(rel, "name only " + rel + "\n")
    t.write("etc/hosts", "127.0.0.1 localhost\n"
                         "203.0.113.61 csv-c2.example\n"        # 2: CSV domain
                         "198.51.100.62 mirror.example.org\n"   # 3: CSV IP
                         "203.0.113.63 plain-c2.example\n"      # 4: plain domain (defanged in the list)
                         "203.0.113.64 cdn.url-host.example\n"  # 5: plain URL host (a subdomain of it)
                         "203.0.113.65 stix-c2.example\n"       # 6: STIX domain
                         "198.51.100.66 misp-ip.example.net\n"  # 7: MISP ip-dst|port
                         "203.0.113.67 misp-c2.example\n"       # 8: MISP domain
                         "203.0.113.68 quiet.example\n"         # 9: MISP to_ids false: not listed
                         "203.0.113.69 unlisted.example\n")     # 10: in no list
    return files


def write_lists(d, files):
    csv_md5 = md5(files["/var/tmp/csv_md5.bin"])
    d.write("warning.csv",
            "\ufeffSTT;Loại;Giá trị;Mô tả\r\n"
            f"1;MD5;{csv_md5};\"mã độc \"\"A\"\"\"\r\n"          # line 2
            "2;Tên miền;csv-c2[.]example;máy chủ C2\r\n"         # 3
            "3;Địa chỉ IP;198.51.100.62;\r\n"                    # 4
            "4;Tên tệp;csvtool.elf;công cụ\r\n"                  # 5
            "5;MD5;not-a-hash;hỏng\r\n"                          # 6: bad hash
            "6;IP;198.51.100.99\r\n"                             # 7: wrong column count
            "7;\"Tên miền;broken.example;x\r\n")                 # 8: quote never closed
    d.write("list.txt",
            "# IOCs sent with a warning\n"
            f"{sha1(files['/opt/app/plain_sha1.bin'])}\n"        # 2
            "plain-c2[.]example ; C2 domain\n"                   # 3
            "hxxp://url-host[.]example/drop/x.sh\n"              # 4
            "/tmp/.cache/plainkit\n"                             # 5
            "this is not an IOC!\n"                              # 6: junk
            "\n")
    stix_sha = sha256(files["/srv/stix_sha256.bin"])
    d.write("bundle.json", """{"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": [
 {"type": "indicator", "spec_version": "2.1", "id": "indicator--11111111-1111-4111-8111-111111111111",
  "name": "dropper", "pattern_type": "stix", "valid_from": "2024-01-01T00:00:00Z",
  "pattern": "[file:hashes.'SHA-256' = '%s'] OR [file:name = 'stixname.run']"},
 {"type": "indicator", "spec_version": "2.1", "id": "indicator--22222222-2222-4222-8222-222222222222",
  "pattern_type": "stix", "valid_from": "2024-01-01T00:00:00Z",
  "pattern": "[domain-name:value = 'stix-c2.example' OR file:size > 100]"},
 {"type": "indicator", "spec_version": "2.1", "id": "indicator--33333333-3333-4333-8333-333333333333",
  "pattern_type": "stix", "valid_from": "2020-01-01T00:00:00Z", "valid_until": "2021-01-01T00:00:00Z",
  "pattern": "[domain-name:value = 'unlisted.example']"},
 {"type": "indicator", "spec_version": "2.1", "id": "indicator--44444444-4444-4444-8444-444444444444",
  "pattern_type": "stix", "pattern": "[ipv4-addr:value = '203.0.113.69'"},
 {"type": "indicator", "spec_version": "2.1", "id": "indicator--55555555-5555-4555-8555-555555555555",
  "pattern_type": "stix", "revoked": true, "pattern": "[domain-name:value = 'unlisted.example']"},
 {"type": "malware", "spec_version": "2.1", "id": "malware--66666666-6666-4666-8666-666666666666", "name": "x",
  "is_family": false}
]}
""" % stix_sha)
    d.write("event.json", """{"Event": {"info": "VNCERT warning", "uuid": "e0000000-0000-4000-8000-000000000000",
 "Attribute": [
  {"type": "md5", "category": "Payload delivery", "value": "%s", "to_ids": true,
   "uuid": "a1000000-0000-4000-8000-000000000001"},
  {"type": "ip-dst|port", "category": "Network activity", "value": "198.51.100.66|443", "to_ids": true,
   "uuid": "a1000000-0000-4000-8000-000000000002"},
  {"type": "domain", "category": "Network activity", "value": "misp-c2.example", "to_ids": true,
   "uuid": "a1000000-0000-4000-8000-000000000003"},
  {"type": "domain", "category": "Network activity", "value": "quiet.example", "to_ids": false,
   "uuid": "a1000000-0000-4000-8000-000000000004"},
  {"type": "sha256", "category": "Payload delivery", "value": "12345", "to_ids": true,
   "uuid": "a1000000-0000-4000-8000-000000000005"}
 ],
 "Object": [{"name": "file", "Attribute": [
  {"type": "filename|sha256", "category": "Payload delivery", "value": "pair.bin|%s", "to_ids": true,
   "uuid": "a1000000-0000-4000-8000-000000000006"},
  {"type": "filename", "category": "Payload delivery", "value": "misp-implant.so", "to_ids": true,
   "uuid": "a1000000-0000-4000-8000-000000000007"}
 ]}]}}
""" % (md5(files["/home/u/misp_md5.bin"]), sha256(files["/home/u/misp_pair.bin"])))


def place(f):
    ev = f["evidence"]
    return ev.get("path") or ev.get("socket") or ev.get("cron")


def fixture_part():
    passed = 0
    with Tree() as t, Tree() as d:
        files = plant(t)
        write_lists(d, files)
        lists = [d.p(n) for n in ("warning.csv", "list.txt", "bundle.json", "event.json")]
        args = []
        for l in lists:
            args += ["--iocs", l]
        code, out, err = run("hunt", "--root", t.path, "/", *args, "--no-db", "--format", "jsonl",
                             "--fail-on", "none", timeout=600)
        check(code == 0, f"exit 0, got {code}: {err[-3000:]}")
        lines = jsonl(out)
        ours = [f for f in findings(lines)
                if any(m.get("ioc_file") in lists for m in f["evidence"].get("matches", []))
                or f["evidence"].get("ioc_file") in lists]
        got = {(f["rule"], place(f)) for f in ours}
        want = {
            ("ioc-hash:warning.csv:2", "/var/tmp/csv_md5.bin"),
            ("ioc-c2:warning.csv:3", "/etc/hosts"),
            ("ioc-c2:warning.csv:4", "/etc/hosts"),
            ("ioc-name:warning.csv:5", "/usr/local/bin/csvtool.elf"),
            ("ioc-hash:list.txt:2", "/opt/app/plain_sha1.bin"),
            ("ioc-c2:list.txt:3", "/etc/hosts"),
            ("ioc-c2:list.txt:4", "/etc/hosts"),
            ("ioc-name:list.txt:5", "/tmp/.cache/plainkit"),
            ("ioc-hash:bundle.json:indicator--11111111-1111-4111-8111-111111111111", "/srv/stix_sha256.bin"),
            ("ioc-name:bundle.json:indicator--11111111-1111-4111-8111-111111111111", "/opt/stixname.run"),
            ("ioc-c2:bundle.json:indicator--22222222-2222-4222-8222-222222222222", "/etc/hosts"),
            ("ioc-hash:event.json:a1000000-0000-4000-8000-000000000001", "/home/u/misp_md5.bin"),
            ("ioc-c2:event.json:a1000000-0000-4000-8000-000000000002", "/etc/hosts"),
            ("ioc-c2:event.json:a1000000-0000-4000-8000-000000000003", "/etc/hosts"),
            ("ioc-hash:event.json:a1000000-0000-4000-8000-000000000006", "/home/u/misp_pair.bin"),
            ("ioc-name:event.json:a1000000-0000-4000-8000-000000000007", "/var/lib/misp-implant.so"),
        }
        check(want <= got, f"every listed IOC found: missing {sorted(want - got)}")
        check(got <= want, f"nothing unlisted found: extra {sorted(got - want)}")
        passed += 2
        # the hosts-file findings name the line of /etc/hosts that holds each indicator
        hosts = {f["rule"]: f["evidence"].get("line") for f in ours if place(f) == "/etc/hosts"}
        check(hosts == {"ioc-c2:warning.csv:3": 2, "ioc-c2:warning.csv:4": 3, "ioc-c2:list.txt:3": 4,
                        "ioc-c2:list.txt:4": 5,
                        "ioc-c2:bundle.json:indicator--22222222-2222-4222-8222-222222222222": 6,
                        "ioc-c2:event.json:a1000000-0000-4000-8000-000000000002": 7,
                        "ioc-c2:event.json:a1000000-0000-4000-8000-000000000003": 8}, f"hosts lines: {hosts}")
        byrule = {f["rule"]: f for f in ours}
        h = byrule["ioc-hash:warning.csv:2"]
        check(h["severity"] == "critical" and h["score"] == 100 and 'mã độc "A"' in h["title"]
              and h["evidence"]["matches"][0]["ioc_line"] == 2, f"the CSV hash finding: {h}")
        c2 = byrule["ioc-c2:event.json:a1000000-0000-4000-8000-000000000003"]
        check(c2["severity"] == "high" and c2["evidence"]["ioc_ref"] == "a1000000-0000-4000-8000-000000000003"
              and c2["evidence"]["indicator"] == "misp-c2.example", f"the MISP C2 finding: {c2}")
        u = byrule["ioc-c2:list.txt:4"]
        check(u["evidence"]["indicator"] == "cdn.url-host.example" and "url-host.example/drop/x.sh"
              in u["evidence"]["description"], f"a URL's host is hunted: {u}")
        passed += 4
        # every malformed entry is named with its file and line or object
        for needle in ["warning.csv:6: column \"Giá trị\": \"not-a-hash\" is not an MD5 digest",
                       "warning.csv:7: row has 3 fields where the header has 4",
                       "warning.csv:8: row has a quote that is never closed",
                       "list.txt:6: line \"this\"",
                       "bundle.json: object 3 (indicator--44444444-4444-4444-8444-444444444444): the pattern",
                       "bundle.json: object 1 (indicator--22222222-2222-4222-8222-222222222222): 1 comparison is "
                       "not hunted (the first: file:size >)",
                       "event.json: event 0 attribute 4 (a1000000-0000-4000-8000-000000000005): sha256 \"12345\""]:
            check(needle in err, f"warned: {needle!r} in\n{err[-3000:]}")
        passed += 1
        r = summary(lines)["modules"]["hunt"]["rules"]
        check(r["iocs_imported"] == 16 and r["ioc_bad_lines"] == 6 and r["iocs_skipped"] == 4,
              f"counted: {r}")
        passed += 1

        # the whole root without a PATH; the configuration key does the same as --iocs
        d.write("rasoat.conf", f"iocs = {lists[1]}\n")
        code, out, err = run("hunt", "--root", t.path, "--config", d.p("rasoat.conf"), "--no-db", "--format",
                             "jsonl", "--fail-on", "high", timeout=600)
        rules = {f["rule"] for f in findings(jsonl(out))}
        check(code == 1 and {"ioc-hash:list.txt:2", "ioc-c2:list.txt:3", "ioc-name:list.txt:5"} <= rules,
              f"the config key, whole root: exit {code}, {sorted(rules)}\n{err[-2000:]}")
        passed += 1

        # `rasoat scan --iocs` hunts them the same way
        code, out, err = run("scan", "--root", t.path, "--only", "hunt", "--iocs", lists[3], "--no-db", "--format",
                             "jsonl", "--fail-on", "none", timeout=600)
        rules = {f["rule"] for f in findings(jsonl(out)) if f["rule"].startswith("ioc-") and "event.json" in f["rule"]}
        check(code == 0 and rules == {r for r, _ in want if "event.json" in r},
              f"scan --iocs: exit {code}, {sorted(rules)}\n{err[-2000:]}")
        passed += 1

        # a file with nothing usable: an error naming it; exit 2 only when no file is usable
        d.write("empty-iocs.txt", "# nothing here\nnot an ioc!\n")
        code, out, err = run("hunt", "--root", t.path, "/srv", "--iocs", d.p("empty-iocs.txt"), "--iocs", lists[2],
                             "--no-db", "--format", "jsonl", "--fail-on", "none", timeout=600)
        check(code == 0 and "empty-iocs.txt: no usable IOC" in err, f"one usable file is enough: {code} {err[-1500:]}")
        code, out, err = run("hunt", "--root", t.path, "/srv", "--iocs", d.p("empty-iocs.txt"),
                             "--iocs", d.p("missing.csv"), "--no-db", "--format", "jsonl", "--fail-on", "none",
                             timeout=600)
        check(code == 2 and "missing.csv: cannot read the IOC file" in err and "none of the --iocs files" in err,
              f"no usable file: exit 2, got {code}: {err[-1500:]}")
        passed += 2
    return passed


def live_part():
    if os.geteuid() != 0 or not os.path.exists("/proc/net/tcp"):
        print("test_hunt_iocs: live part skipped (needs root on a live Linux host)")
        return 0
    passed = 0
    addr = "127.0.0.%d" % (100 + os.getpid() % 100)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.bind((addr, 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        client.bind(("127.0.0.1", 0))
        client.connect((addr, port))
        conn, _ = listener.accept()
        with Tree() as d, conn:
            d.mkdir("empty")
            d.write("c2.txt", f"# live C2\n{addr.replace('.', '[.]', 1)} ; test listener\n")
            code, out, err = run("hunt", d.p("empty"), "--iocs", d.p("c2.txt"), "--no-db", "--format", "jsonl",
                                 "--fail-on", "none", "-q", timeout=600)
            check(code == 0, f"exit 0, got {code}: {err[-2000:]}")
            fs = [f for f in findings(jsonl(out)) if f["rule"] == "ioc-c2:c2.txt:2"]
            socks = [f for f in fs if "socket" in f["evidence"]]
            want = f"{addr}:{port}"
            hit = [f for f in socks if want in f["evidence"]["socket"]]
            check(hit, f"the connection to {want} is reported: {[f['evidence'] for f in fs]}")
            check(f"pid {os.getpid()}" in hit[0]["evidence"]["socket"] and hit[0]["severity"] == "high"
                  and hit[0]["evidence"]["indicator"] == addr, f"with its pid: {hit[0]}")
            passed += 2
    finally:
        client.close()
        listener.close()
    return passed


def main():
    passed = fixture_part()
    passed += live_part()
    done("test_hunt_iocs", passed)


if __name__ == "__main__":
    main()
