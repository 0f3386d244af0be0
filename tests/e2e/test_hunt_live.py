"""Live end-to-end (root, this host): a process whose memory holds a unique
marker string (built at run time, so it is in no file) and a process
running from a deleted executable that carries a second marker are both
found by test rules with `rasoat scan --only hunt --pid ...`, with the pid,
executable and command line in evidence."""
import os
import shutil
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import Tree, check, done, findings, jsonl, run, summary  # noqa: E402


def main():
    if os.geteuid() != 0 or not os.path.exists("/proc/self/mem"):
        print("test_hunt_live: skipped (needs root on a live Linux host)")
        done("test_hunt_live", 0)
        return
    token = uuid.uuid4().hex.upper()
    mem_marker = "RASOAT-MEM-" + token
    exe_marker = "RASOAT-EXE-" + token
    passed = 0
    with Tree() as t:
        rules = t.mkdir("rules")
        t.write("rules/live.yar",
                'rule Live_Memory_Marker { meta: score = 90 strings: $m = "%s" condition: $m }\n'
                'rule Live_Exe_Marker { meta: score = 85 strings: $m = "%s" condition: $m }\n'
                % (mem_marker, exe_marker))
        # a process holding the marker only in memory: the string is assembled at run time
        code = ("import sys,time\nparts=sys.argv[1:3]\nm=(parts[0]+'-'+parts[1]).encode()*3\n"
                "sys.stdout.write('ready\\n');sys.stdout.flush()\ntime.sleep(60)\n")
        holder = subprocess.Popen([sys.executable, "-c", code, "RASOAT-MEM", token],
                                  stdout=subprocess.PIPE, text=True)
        # a deleted executable carrying the second marker after its ELF image
        exe = t.p("sleeper")
        shutil.copy("/bin/sleep", exe)
        with open(exe, "ab") as f:
            f.write(b"\0" + exe_marker.encode() + b"\0")
        os.chmod(exe, 0o755)
        sleeper = subprocess.Popen([exe, "60"])
        try:
            check(holder.stdout.readline().strip() == "ready", "marker process started")
            time.sleep(0.2)
            os.unlink(exe)
            check(os.readlink(f"/proc/{sleeper.pid}/exe").endswith("(deleted)"), "the executable is deleted")
            code, out, err = run("scan", "--only", "hunt", "--pid", str(holder.pid), "--pid", str(sleeper.pid),
                                 "--rules", rules, "--format", "jsonl", "--no-db",
                                 "--fail-on", "none", "-q", timeout=300)
            check(code == 0, f"exit 0, got {code}: {err[-2000:]}")
            lines = jsonl(out)
            fs = findings(lines)
            mem = [f for f in fs if f["rule"] == "yara:Live_Memory_Marker"]
            check(len(mem) == 1, f"the memory marker found once, got {[(f['rule'], f['evidence'].get('pid')) for f in fs]}")
            ev = mem[0]["evidence"]
            check(ev["pid"] == holder.pid and "python" in ev["exe"] and token in ev.get("cmdline", ""),
                  f"pid, exe and command line in evidence: {ev}")
            check(mem[0]["severity"] == "high" and mem[0]["score"] == 90, "rule score and severity")
            offs = [s["offset"] for m in ev["matches"] for s in m["strings"]]
            check(offs and all(o > 4096 for o in offs), "offsets are addresses in the process")
            passed += 5
            ex = [f for f in fs if f["rule"] == "yara:Live_Exe_Marker"]
            check(len(ex) == 1 and ex[0]["evidence"]["path"].endswith("sleeper (deleted)"),
                  f"the deleted executable is hunted from /proc/PID/exe: {[f['evidence'] for f in ex]}")
            s = summary(lines)["modules"]["hunt"]
            check(s["processes"] >= 2 and s["process_bytes"] > 0, f"processes counted: {s}")
            passed += 2
        finally:
            holder.kill()
            sleeper.kill()
            holder.wait()
            sleeper.wait()
    done("test_hunt_live", passed)


if __name__ == "__main__":
    main()
