"""rasoat facts on this machine: the same installed packages as dpkg-query,
the same listening TCP ports as ss -ltn, and a listener this test starts on
loopback found with its pid."""
import json
import os
import shutil
import socket
import subprocess
import sys

from rasoat_e2e import check, done, run

checks = 0


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


if os.geteuid() != 0:
    print("test_facts_live: needs root to see every socket owner; skipped")
    print("test_facts_live: 0 passed, 0 failed, 1 skipped")
    sys.exit(0)

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(("127.0.0.1", 0))
listener.listen(1)
port = listener.getsockname()[1]
listener6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
listener6.bind(("::1", 0))
listener6.listen(1)
port6 = listener6.getsockname()[1]

def listening_tcp_ports():
    q = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True, check=True)
    return {int(l.split()[3].rsplit(":", 1)[1]) for l in q.stdout.splitlines()}


# Other tests running at the same time may open or close listeners: ss runs
# before and after, and rasoat must see every port both saw and none that
# neither saw.
ss_before = listening_tcp_ports() if shutil.which("ss") else None
code, out, err = run("facts", "-q")
ss_after = listening_tcp_ports() if shutil.which("ss") else None
ok(code == 0, f"facts exit {code}: {err}")
facts = json.loads(out)
for key in ("host", "packages", "users", "processes", "sockets", "services", "cron", "modules", "mounts"):
    ok(key in facts, f"facts has {key}")
ok(facts["host"]["root"] == "/", "root is /")
ok(facts["host"]["hostname"] == socket.gethostname(), "hostname")

# packages: the same set as dpkg-query lists as installed
if shutil.which("dpkg-query"):
    q = subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Status}\t${Package}\t${Version}\n"],
                       capture_output=True, text=True, check=True)
    want = {tuple(l.split("\t")[1:3]) for l in q.stdout.splitlines() if l.split("\t")[0] == "installed"}
    got = {(p["name"], p["version"]) for p in facts["packages"] if p["manager"] == "dpkg"}
    ok(want == got, f"packages differ: only dpkg-query {sorted(want - got)[:10]}, only rasoat {sorted(got - want)[:10]}")
    ok(len(got) > 50, "a Debian machine has packages")

# listening TCP ports: the same as ss -ltn
if ss_before is not None:
    got = {int(s["local"].rsplit(":", 1)[1]) for s in facts["sockets"]
           if s["proto"].startswith("tcp") and s["state"] == "listen"}
    steady = ss_before & ss_after
    ok(steady <= got <= (ss_before | ss_after),
       f"listening ports differ: ss {sorted(ss_before)} then {sorted(ss_after)}, rasoat {sorted(got)}")

mine = [s for s in facts["sockets"] if s["local"] == f"127.0.0.1:{port}"]
ok(len(mine) == 1 and mine[0]["state"] == "listen" and mine[0]["pid"] == os.getpid(),
   f"test listener 127.0.0.1:{port} with pid {os.getpid()}: {mine}")
mine6 = [s for s in facts["sockets"] if s["local"] == f"[::1]:{port6}"]
ok(len(mine6) == 1 and mine6[0]["pid"] == os.getpid(), f"test listener [::1]:{port6}: {mine6}")

me = [p for p in facts["processes"] if p["pid"] == os.getpid()]
ok(len(me) == 1 and me[0]["exe"] == os.path.realpath(sys.executable), f"own process: {me}")
ok(me[0]["cmdline"][0:2] == [sys.executable, sys.argv[0]] or sys.argv[0] in me[0]["cmdline"], "own cmdline")
ok(any(u["name"] == "root" and u["uid"] == 0 for u in facts["users"]), "root user")
ok(all("$" not in json.dumps(u) for u in facts["users"]), "no password hash leaks into facts")
ok(any(m["mountpoint"] == "/" for m in facts["mounts"]), "/ is mounted")

listener.close()
listener6.close()
done("test_facts_live", checks)
