"""End-to-end: every bundled YARA rule and file-name IOC fires on its
true-positive sample (tests/fixtures/hunt, plus binary samples generated
here), in place and inside zip and tar.gz archives; a rule that depends on
an external variable (filepath) fires on a file in a system path and not on
the same bytes elsewhere; a false-positive regex hides its own line only;
findings carry the evidence FORMATS.md promises; exit status follows
--fail-on."""
import io
import os
import shutil
import sys
import tarfile
import zipfile

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import Tree, check, done, findings, jsonl, run, summary  # noqa: E402

FIXTURES = os.path.join(os.environ.get("RS_FIXTURES", os.path.join(os.path.dirname(__file__), "..", "fixtures")), "hunt")
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
ELF = b"\x7fELF\x02\x01\x01" + b"\0" * 57

# sample (relative to the web root) -> the rule it must raise
TEXT_SAMPLES = {
    "eval_request.php": "yara:RASOAT_PHP_Webshell_Eval_Request",
    "command_request.php": "yara:RASOAT_PHP_Webshell_Command_On_Request",
    "upload_exec.php": "yara:RASOAT_PHP_Webshell_Upload_Exec",
    "obfuscated.php": "yara:RASOAT_PHP_Obfuscated_Loader",
    "shell.jsp": "yara:RASOAT_JSP_Webshell",
    "shell.aspx": "yara:RASOAT_ASPX_Webshell",
    "miner.sh": "yara:RASOAT_Miner_Stratum_Command",
    "config.json": "yara:RASOAT_Miner_XMRig_Config",
    "revshell.sh": "yara:RASOAT_RevShell_Bash_Dev_Tcp",
    "revshell.py": "yara:RASOAT_RevShell_Python",
    "revshell.pl": "yara:RASOAT_RevShell_Perl",
    "revshell_php.php": "yara:RASOAT_RevShell_PHP",
    "kaiten.c.txt": "yara:RASOAT_Linux_Backdoor_Tsunami_Kaiten",
}

BINARY_SAMPLES = {
    "/srv/samples/mirai.bin": (ELF + b"/bin/busybox MIRAI\0/proc/net/tcp\0/dev/watchdog\0", "yara:RASOAT_IoT_Botnet_Mirai"),
    "/srv/samples/gafgyt.bin": (ELF + b"PING\0PONG!\0GETLOCALIP\0SCANNER ON\0HTTPFLOOD\0UDPFLOOD\0",
                                "yara:RASOAT_IoT_Botnet_Gafgyt"),
    "/srv/samples/xmrig.bin": (ELF + b"XMRig\0donate.v2.xmrig.com\0cryptonight\0randomx\0", "yara:RASOAT_Miner_XMRig_Binary"),
    "/usr/bin/packed": (ELF + b"\0" * 172 + b"UPX!" + b"\0" * 64, "yara:RASOAT_Packed_ELF_UPX_System_Path"),
}

# file-name IOCs (rules/iocs/filename-iocs.txt): path -> should fire
NAME_SAMPLES = {
    "/tmp/kdevtmpfsi": True,
    "/dev/shm/.x/xmrig-6.20": True,
    "/tmp/... ": True,
    "/tmp/.ICE-unix/run.sh": True,
    "/tmp/.ICE-unix/.hidden": True,
    "/tmp/.X11-unix/.X0-lock": False,        # its line's false-positive regex
    "/var/tmp/up.phtml": True,
    "/var/www/html/uploads/wso2.php": True,
    "/usr/bin/kworker": True,
    "/root/linpeas.sh": True,
    "/tmp/notes.txt": False,
    "/var/www/html/index.php": False,
}


def by_path(fs):
    out = {}
    for f in fs:
        out.setdefault(f["evidence"]["path"], []).append(f)
    return out


def rules_of(f):
    return {m["rule"] for m in f["evidence"]["matches"]}


def main():
    passed = 0
    with Tree() as t:
        web = "var/www/html/"
        t.mkdir(web)
        for name in TEXT_SAMPLES:
            shutil.copy(os.path.join(FIXTURES, name), t.p(web + name))
        for path, (data, _) in BINARY_SAMPLES.items():
            t.write(path, data, mode=0o755)
        # the same packed bytes outside a system path: the filepath rule stays silent
        t.write("/home/u/packed", BINARY_SAMPLES["/usr/bin/packed"][0], mode=0o755)
        t.write("/tmp/eicar.com", EICAR)
        for path in NAME_SAMPLES:
            t.write(path, "#!/bin/sh\nexit 0\n")
        # archives: a zip and a tar.gz holding a sample
        zbuf = io.BytesIO()
        with zipfile.ZipFile(zbuf, "w", zipfile.ZIP_DEFLATED) as z:
            z.write(os.path.join(FIXTURES, "eval_request.php"), "site/eval_request.php")
        t.write("/srv/backup/site.zip", zbuf.getvalue())
        with tarfile.open(t.p("srv/backup/tools.tar.gz"), "w:gz") as tar:
            tar.add(os.path.join(FIXTURES, "revshell.py"), "tools/revshell.py")

        # a hash IOC given with --rules, beside the bundled content
        iocs = Tree()
        iocs.write("hash-iocs.txt", "# test\n44d88612fea8a8f36de82e1278abb02f;EICAR test file (MD5)\n")
        code, out, err = run("hunt", "--root", t.path, "/", "--rules", iocs.path, "--format", "jsonl", "--no-db",
                             "--fail-on", "high", timeout=300)
        iocs.cleanup()
        lines = jsonl(out)
        fs = findings(lines)
        paths = by_path(fs)
        check(code == 1, f"exit 1 with high findings (got {code}): {err[-2000:]}")
        passed += 1

        for name, rule in TEXT_SAMPLES.items():
            got = paths.get("/" + web + name, [])
            check(len(got) == 1, f"{name}: one finding, got {len(got)}")
            check(rule in rules_of(got[0]), f"{name}: {rule} in {rules_of(got[0])}")
            passed += 1
        for path, (_, rule) in BINARY_SAMPLES.items():
            got = paths.get(path, [])
            check(len(got) == 1 and rule in rules_of(got[0]), f"{path}: {rule} in {[rules_of(f) for f in got]}")
            passed += 1
        check("/home/u/packed" not in paths, "the UPX rule depends on filepath: silent outside system paths")
        passed += 1

        eicar = paths.get("/tmp/eicar.com", [])
        check(len(eicar) == 1, "EICAR found once")
        e = eicar[0]
        check({"yara:RASOAT_EICAR_Test_File", "ioc-hash:hash-iocs.txt:2"} <= rules_of(e),
              f"EICAR: YARA rule and hash IOC, got {rules_of(e)}")
        check(e["rule"] == "ioc-hash:hash-iocs.txt:2" and e["score"] == 100 and e["severity"] == "critical",
              f"EICAR: the strongest sub-score names the finding; THOR combination {e['score']}")
        ev = e["evidence"]
        check(ev["md5"] == "44d88612fea8a8f36de82e1278abb02f" and len(ev["sha256"]) == 64 and ev["size"] == len(EICAR),
              "EICAR hashes and size in evidence")
        check(ev["mode"] == "0644" and "owner" in ev and ev["mtime"].endswith("Z"), "owner, mode, times in evidence")
        y = [m for m in ev["matches"] if m["rule"] == "yara:RASOAT_EICAR_Test_File"][0]
        check(y["strings"][0]["id"] == "$eicar" and y["strings"][0]["offset"] == 0, "string id and offset")
        passed += 4

        for path, fires in NAME_SAMPLES.items():
            got = paths.get(path, [])
            if fires:
                check(len(got) == 1 and all(r.startswith("ioc-name:filename-iocs.txt:") for r in rules_of(got[0])),
                      f"{path}: a file-name IOC, got {[rules_of(f) for f in got]}")
            else:
                check(not got, f"{path}: no finding, got {[rules_of(f) for f in got]}")
            passed += 1

        z = paths.get("/srv/backup/site.zip!site/eval_request.php", [])
        check(len(z) == 1 and "yara:RASOAT_PHP_Webshell_Eval_Request" in rules_of(z[0]), "zip member hunted")
        tz = paths.get("/srv/backup/tools.tar.gz!tools/revshell.py", [])
        check(len(tz) == 1 and "yara:RASOAT_RevShell_Python" in rules_of(tz[0]), "tar.gz member hunted")
        passed += 2

        expected = len(TEXT_SAMPLES) + len(BINARY_SAMPLES) + 1 + sum(NAME_SAMPLES.values()) + 2
        check(len(fs) == expected, f"{expected} findings and no other, got {len(fs)}: "
              f"{sorted(p for p in paths)}")
        s = summary(lines)["modules"]["hunt"]
        check(s["rules"]["yara_files_skipped"] == 0 and s["rules"]["yara_rules"] >= 18, "bundled rules all load")
        check(s["archives"] >= 2 and s["archive_members"] >= 2, "archive counts")
        passed += 3

        # without the hash IOC, EICAR is the bundled rule's 50 (low); none never fails
        code, out, _ = run("hunt", "--root", t.path, "/tmp/eicar.com", "--format", "jsonl", "--no-db", "-q",
                           "--fail-on", "none")
        fs = findings(jsonl(out))
        check(code == 0 and len(fs) == 1 and fs[0]["rule"] == "yara:RASOAT_EICAR_Test_File" and fs[0]["score"] == 50
              and fs[0]["severity"] == "low", f"--fail-on none; EICAR by the bundled rule alone: {fs}")
        passed += 1
        # a plain path (no --root) is hunted as the real path
        code, out, _ = run("hunt", t.p("tmp/eicar.com"), "--format", "jsonl", "--no-db", "-q", "--fail-on", "none")
        fs = findings(jsonl(out))
        check(len(fs) == 1 and fs[0]["evidence"]["path"] == os.path.realpath(t.p("tmp/eicar.com")), "hunt FILE")
        code, _, err = run("hunt", "--no-db")
        check(code == 2 and "file or directory" in err, "hunt without a path is exit 2")
        code, _, err = run("hunt", t.p("nonexistent"), "--no-db")
        check(code == 2 and "nonexistent" in err, "a missing path is exit 2 naming it")
        passed += 3
    done("test_hunt_bundled", passed)


if __name__ == "__main__":
    main()
