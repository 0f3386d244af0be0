"""rasoat hunt --root: the `owner` in evidence (and the YARA `owner`
external) is the name the scanned system gives the file's uid, from the
image's own /etc/passwd, not the scanning machine's."""
import os

from rasoat_e2e import Tree, check, done, findings, jsonl, run

EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

with Tree() as t:
    t.write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nwebdev:x:4242:4242::/home/webdev:/bin/sh\n")
    sample = t.write("var/www/html/test.txt", EICAR)
    os.chown(sample, 4242, 4242)
    code, out, err = run("hunt", "/var/www", "--root", t.path, "--no-db", "--format", "jsonl", "-q",
                         "--fail-on", "none")
    fs = [f for f in findings(jsonl(out)) if f["evidence"].get("path") == "/var/www/html/test.txt"]
    check(code == 0 and fs, f"EICAR sample found: exit {code}, {err[-500:]}")
    check(fs[0]["evidence"]["owner"] == "webdev", f"owner from the image's passwd: {fs[0]['evidence']}")
    check(fs[0]["evidence"]["uid"] == 4242, "uid in evidence")
done("test_hunt_owner", 3)
