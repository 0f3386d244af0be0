"""End-to-end: C2 domain IOCs are found in the DNS caches kept on disk of a
scanned tree (--root): nscd's persistent hosts database (binary: names are
NUL-terminated strings among binary records) and a BIND cache dump; a name
that only ends like an IOC is not a hit. The nscd file is read without
following or blocking: a FIFO in its place or a symlink out of the root is
a warning, and the scan goes on."""
import os
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import Tree, check, done, findings, jsonl, run  # noqa: E402


def nscd_hosts():
    """Bytes laid out like glibc's nscd persistent "hosts" database
    (nscd/hstcache.c, aicache.c): a header, a hash table of offsets, then
    records: a gethostbyname answer (response header, h_name, alias lengths,
    aliases, addresses, the key looked up) and a getaddrinfo answer
    (addresses, families, canonical name, key), and a negative entry."""
    head = struct.pack("<iiQQ", 2, 0, 211, 4096) + b"\x00" * 40
    table = struct.pack("<211Q", *[(i * 7919) % 65536 for i in range(211)])
    datahead = struct.pack("<QQBBBBIII", 128, 96, 0, 0, 1, 0, 3600, 0, 0)
    gethost = datahead + struct.pack("<8i", 2, 1, 20, 1, 2, 4, 1, 0) + b"cdn.evil-c2.example\x00" + \
        struct.pack("<I", 15) + b"www.normal.org\x00" + bytes([10, 0, 0, 50]) + b"cdn.evil-c2.example\x00"
    getai = datahead + struct.pack("<6i", 2, 1, 1, 0, 23, 0) + bytes([192, 0, 2, 55]) + b"\x02" + \
        b"static.other-site.net\x00" + b"beacon.evil-c2.example\x00"
    negative = datahead + struct.pack("<8i", 2, 0, 0, 0, -1, -1, 0, 1) + b"notevil-c2.example\x00"
    return head + table + gethost + b"\x00" * 13 + getai + b"\xff\xfe" * 9 + negative + b"\x00" * 4096


def scan(t, r):
    start = time.monotonic()
    code, out, err = run("scan", "--root", t.path, "--only", "hunt", "--rules", r.path, "--format", "jsonl",
                         "--no-db", "--fail-on", "none", timeout=300)
    check(code == 0, f"exit 0, got {code}: {err[-2000:]}")
    check(time.monotonic() - start < 120, "the scan did not block")
    return [f for f in findings(jsonl(out)) if f["rule"].startswith("ioc-c2:")], err


def main():
    passed = 0
    with Tree() as t, Tree() as r:
        r.write("c2-iocs.txt", "# test C2 IOCs\nevil-c2.example;test domain\n")
        t.write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\n")
        t.write("var/cache/nscd/hosts", nscd_hosts())
        t.write("var/cache/bind/named_dump.db", "; Cache dump of view '_default'\n$DATE 20261124000000\n"
                "; authanswer\nupdate.evil-c2.example. 3521 IN A 198.51.100.7\n")
        fs, _ = scan(t, r)
        got = {(f["rule"], f["evidence"]["path"], f["evidence"]["indicator"]) for f in fs}
        nscd = [f for f in fs if f["evidence"]["path"] == "/var/cache/nscd/hosts"]
        check(len(nscd) == 1, f"one finding for the nscd cache (one per IOC and place): {sorted(got)}")
        check(nscd[0]["evidence"]["indicator"] in ("cdn.evil-c2.example", "beacon.evil-c2.example")
              and nscd[0]["severity"] == "high" and "T1071" in nscd[0]["attack"], f"{nscd[0]}")
        passed += 2
        check(("ioc-c2:c2-iocs.txt:2", "/var/cache/bind/named_dump.db", "update.evil-c2.example") in got,
              f"the BIND cache dump: {sorted(got)}")
        check(len(fs) == 2, f"nothing else: {sorted(got)}")
        passed += 2

        # only a look-alike name in the cache: no finding
        t.write("var/cache/nscd/hosts", nscd_hosts().replace(b"cdn.evil-c2.example", b"cdn.evil-c3.example")
                .replace(b"beacon.evil-c2.example", b"beacon.evil-c3.example"))
        os.remove(t.p("var/cache/bind/named_dump.db"))
        fs, _ = scan(t, r)
        check(not fs, f"notevil-c2.example and evil-c3 names are not hits: {fs}")
        passed += 1

        # a FIFO in the cache's place is not opened (a read would block)
        os.remove(t.p("var/cache/nscd/hosts"))
        t.fifo("var/cache/nscd/hosts")
        fs, err = scan(t, r)
        check(not fs and "/var/cache/nscd/hosts: cannot read the DNS cache: not a regular file" in err,
              f"a FIFO is refused with a warning: {err[-1500:]}")
        passed += 1

        # a symlink out of the root to a cache that holds the IOC is not followed
        with Tree() as outside:
            outside.write("hosts", nscd_hosts())
            os.remove(t.p("var/cache/nscd/hosts"))
            t.symlink("var/cache/nscd/hosts", outside.p("hosts"))
            fs, err = scan(t, r)
            check(not fs, f"the symlink out of the root is not followed: {fs}")
            passed += 1
    done("test_hunt_c2_dnscache", passed)


if __name__ == "__main__":
    main()
