"""Live block and isolate between two network namespaces this test creates
(A runs rasoat, B runs listeners; a veth pair joins them, IPv4 10.x/24 and
IPv6 fd00:..::/64 without DAD). The host's own network namespace and its
firewall are never touched; the namespaces (and /etc/netns/A) are deleted
at the end whatever happens.

Checks what a responder relies on: a blocked address is unreachable over
IPv4 and IPv6 and reachable again after undo; --ttl expires in the kernel
(no element left, reachable again); a blocked domain's every address is
dropped and the name sinkholed in /etc/hosts, which undo restores
byte-exactly; isolate keeps the allowed HOST:PORT and cuts the other port
and the other address family; a network holding the default gateway is
refused; undo removes the table."""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from rasoat_e2e import RASOAT, check, done, fail

checks = 0


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


def skip(why):
    print(f"test_respond_net_live: 0 passed, 0 failed, 1 skipped ({why})")
    sys.exit(0)


if os.geteuid() != 0:
    skip("needs root for network namespaces")
if not shutil.which("ip") or not shutil.which("nft"):
    skip("needs ip (iproute2) and nft (nftables)")

PID = os.getpid()
A, B = f"rsnA{PID}", f"rsnB{PID}"
VA, VB = f"rsva{PID}"[:15], f"rsvb{PID}"[:15]
X = PID % 250
A4, B4 = f"10.213.{X}.1", f"10.213.{X}.2"
A6, B6 = f"fd00:213:{X:x}::1", f"fd00:213:{X:x}::2"
DOMAIN = f"c2-{PID}.rasoat-test.example"
NETNS_ETC = f"/etc/netns/{A}"

SERVER = r"""
import socket, sys, threading
def echo(c):
    try:
        while True:
            data = c.recv(4096)
            if not data:
                break
            c.sendall(data)
    except OSError:
        pass
    c.close()
def serve(port):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::", port))
    s.listen(16)
    while True:
        c, _ = s.accept()
        threading.Thread(target=echo, args=(c,), daemon=True).start()
for p in sys.argv[1:]:
    threading.Thread(target=serve, args=(int(p),), daemon=True).start()
print("ready", flush=True)
threading.Event().wait()
"""

# Connects to HOST PORT, prints its own port, then sends each line of stdin
# and prints "ok" when it comes back, "lost" when not within 1.5 s.
CLIENT = r"""
import socket, sys
c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3)
print(c.getsockname()[1], flush=True)
c.settimeout(1.5)
for line in sys.stdin:
    try:
        c.sendall(line.encode())
        print("ok" if c.recv(4096) == line.encode() else "lost", flush=True)
    except OSError:
        print("lost", flush=True)
"""

# Runs in A for the whole test (python starts slowly on a loaded machine):
# reads "ADDR PORT TIMEOUT" lines, answers "1" when a TCP connect succeeds.
PROBER = r"""
import socket, sys
for line in sys.stdin:
    addr, port, timeout = line.split()
    try:
        socket.create_connection((addr, int(port)), timeout=float(timeout)).close()
        print(1, flush=True)
    except OSError:
        print(0, flush=True)
"""


def sh(*args, ns=None, check_rc=True, timeout=60, env=None):
    cmd = (["ip", "netns", "exec", ns] if ns else []) + list(args)
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    if check_rc and p.returncode != 0:
        fail(f"{' '.join(cmd)} exited {p.returncode}: {p.stderr.strip()}")
    return p


def reachable(addr, port, timeout=0.6):
    prober.stdin.write(f"{addr} {port} {timeout}\n")
    prober.stdin.flush()
    return prober.stdout.readline().strip() == "1"


def rasoat(*args, env=None):
    return sh(RASOAT, *args, "--db", DB, ns=A, check_rc=False, timeout=120, env=env)


def client(ns, host, port):
    """A connection that stays open (CLIENT above): (process, its port)."""
    p = subprocess.Popen(["ip", "netns", "exec", ns, sys.executable, "-c", CLIENT, host, str(port)],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    helpers.append(p)
    return p, int(p.stdout.readline())


def talk(p):
    p.stdin.write("ping\n")
    p.stdin.flush()
    return p.stdout.readline().strip() == "ok"


def table_listed():
    return "rasoat" in sh("nft", "list", "tables", ns=A).stdout


def block_elements():
    p = sh("nft", "-j", "list", "table", "inet", "rasoat", ns=A, check_rc=False)
    if p.returncode != 0:
        return None
    elems = []
    for item in json.loads(p.stdout)["nftables"]:
        s = item.get("set")
        if s and s["name"] in ("block4", "block6"):
            elems += s.get("elem", [])
    return elems


def temp_files():
    return {f for f in os.listdir("/etc") if f.startswith(".hosts.rasoat-")}


def undo_all(what):
    p = rasoat("respond", "undo", "--all")
    ok(p.returncode == 0, f"undo --all after {what} exited {p.returncode}: {p.stderr}")


def setup():
    sh("ip", "netns", "add", A)
    sh("ip", "netns", "add", B)
    sh("ip", "link", "add", VA, "type", "veth", "peer", "name", VB)
    sh("ip", "link", "set", VA, "netns", A)
    sh("ip", "link", "set", VB, "netns", B)
    for ns, dev, a4, a6 in ((A, VA, A4, A6), (B, VB, B4, B6)):
        sh("ip", "-n", ns, "addr", "add", a4 + "/24", "dev", dev)
        sh("ip", "-n", ns, "addr", "add", a6 + "/64", "dev", dev, "nodad")
        sh("ip", "-n", ns, "link", "set", dev, "up")
        sh("ip", "-n", ns, "link", "set", "lo", "up")


def teardown():
    for f in temp_files() - TEMPS_AT_START:  # what a failed run may leave in the real /etc
        os.unlink(os.path.join("/etc", f))
    for p in helpers:
        p.kill()
        p.wait()
    for ns in (A, B):
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)
    shutil.rmtree(NETNS_ETC, ignore_errors=True)
    if not NETNS_DIR_EXISTED:
        try:
            os.rmdir("/etc/netns")
        except OSError:
            pass  # not empty: another test's namespace uses it
    shutil.rmtree(TMP, ignore_errors=True)


# ctest's timeout sends SIGTERM: clean up then too
signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
TEMPS_AT_START = temp_files()
NETNS_DIR_EXISTED = os.path.isdir("/etc/netns")
TMP = tempfile.mkdtemp(prefix="rasoat-net-")
DB = os.path.join(TMP, "rasoat.db")
helpers = []
try:
    setup()
    prober = subprocess.Popen(["ip", "netns", "exec", A, sys.executable, "-c", PROBER],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    helpers.append(prober)
    for ns, ports in ((B, ("8081", "8082")), (A, ("2222",))):
        server = subprocess.Popen(["ip", "netns", "exec", ns, sys.executable, "-c", SERVER, *ports],
                                  stdout=subprocess.PIPE, text=True)
        helpers.append(server)
        if server.stdout.readline().strip() != "ready":
            fail(f"the listeners in namespace {ns} did not start")
    for addr in (B4, B6):
        for port in (8081, 8082):
            ok(reachable(addr, port, 3), f"{addr}:{port} reachable from A before any action")
    probe = rasoat("respond", "block", B4)
    if probe.returncode != 0 and ("unknown" in probe.stderr.lower() or "usage" in probe.stderr.lower()):
        skip("this rasoat has no `respond` command yet")

    # --- dry run changes nothing
    p = rasoat("respond", "block", B4)
    ok(p.returncode == 0, f"dry run of block {B4} exited {p.returncode}: {p.stderr}")
    ok(reachable(B4, 8081) and not table_listed(), "a dry run changes nothing")

    # --- block over IPv4 and IPv6, then undo
    p = rasoat("respond", "block", B4, "--apply")
    ok(p.returncode == 0, f"block {B4} exited {p.returncode}: {p.stderr}")
    action = re.search(r"applied (a-[0-9a-f]+)", p.stdout)
    ok(action and block_elements() == [{"elem": {"val": B4, "comment": f"rasoat {action.group(1)}"}}],
       f"the element carries its action's id: {p.stdout!r} {block_elements()}")
    ok(not reachable(B4, 8081), f"{B4} unreachable once blocked")
    ok(reachable(B6, 8081), f"{B6} still reachable (only {B4} blocked)")
    p = rasoat("respond", "block", B6, "--apply")
    ok(p.returncode == 0, f"block {B6} exited {p.returncode}: {p.stderr}")
    ok(not reachable(B6, 8081) and not reachable(B6, 8082), f"{B6} unreachable once blocked")
    ok(table_listed(), "table inet rasoat exists while blocking")
    undo_all("block")
    ok(not table_listed(), "undo removed table inet rasoat")
    ok(reachable(B4, 8081) and reachable(B6, 8081), "reachable again over IPv4 and IPv6 after undo")

    # --- the TTL is the kernel's
    t0 = time.monotonic()
    p = rasoat("respond", "block", B4, "--ttl", "2", "--apply")
    ok(p.returncode == 0, f"block --ttl 2 exited {p.returncode}: {p.stderr}")
    returned = time.monotonic()
    elems = block_elements()
    if time.monotonic() - t0 < 1.5:  # else a loaded machine may already be past the TTL
        ok(elems and elems[0]["elem"].get("timeout") == 2, f"the element has its kernel timeout: {elems}")
        ok(not reachable(B4, 8081, 0.3), f"{B4} unreachable during its TTL")
    else:
        print(f"note: rasoat took {time.monotonic() - t0:.1f} s; the during-TTL checks are skipped")
    time.sleep(max(0.0, max(t0 + 3.5, returned + 2.2) - time.monotonic()))
    ok(block_elements() == [], f"no element left in the kernel after the TTL: {block_elements()}")
    ok(reachable(B4, 8081), f"{B4} reachable again after the TTL, without rasoat running")
    undo_all("an expired block")
    ok(not table_listed(), "undo of an expired block removed the table")

    # --- a domain: every address blocked, the name sinkholed, undone exactly
    os.makedirs(NETNS_ETC, exist_ok=True)
    hosts = os.path.join(NETNS_ETC, "hosts")
    original = f"127.0.0.1 localhost\n{B4} {DOMAIN}\n{B6} {DOMAIN}\n"
    with open(hosts, "w") as f:
        f.write(original)
    os.chmod(hosts, 0o644)
    p = rasoat("respond", "block", DOMAIN, "--apply")
    ok(p.returncode == 0, f"block {DOMAIN} exited {p.returncode}: {p.stderr}")
    ok(not reachable(B4, 8081) and not reachable(B6, 8081), f"both addresses of {DOMAIN} unreachable")
    text = open(hosts).read()
    action = re.search(r"applied (a-[0-9a-f]+)", p.stdout)
    ok(action and f"\n# rasoat {action.group(1)}\n" in text, f"the marker names the action: {text!r}")
    ok("# rasoat " in text and f"0.0.0.0 {DOMAIN}" in text and f":: {DOMAIN}" in text,
       f"{DOMAIN} sinkholed in /etc/hosts: {text!r}")
    undo_all("a domain block")
    ok(open(hosts).read() == original, "undo restored /etc/hosts byte for byte")
    ok(not table_listed() and reachable(B4, 8081) and reachable(B6, 8081), "domain block undone")

    # --- crash safety: SIGKILL at every crash point of a domain block; the
    # next start leaves it fully applied or fully rolled back
    log = os.path.join(TMP, "crash.log")
    p = rasoat("respond", "block", DOMAIN, "--apply", env=dict(os.environ, RASOAT_CRASH_LOG=log))
    ok(p.returncode == 0, f"counting run of block {DOMAIN}: {p.stderr}")
    steps = open(log).read().splitlines()
    print(f"crash points of block {DOMAIN}: {len(steps)}")
    ok(any("nft" in l for l in steps) and any("hosts" in l for l in steps),
       f"the block's nftables batch and hosts file writes are crash points: {steps}")
    undo_all("the counting run")
    temps_before = temp_files()
    for n in range(1, len(steps) + 1):
        p = rasoat("respond", "block", DOMAIN, "--apply", env=dict(os.environ, RASOAT_CRASH_AT=str(n)))
        ok(p.returncode == -9 or p.returncode == 137, f"killed at crash point {n} ({steps[n - 1]}): {p.returncode}")
        p = rasoat("respond", "list", "--format", "jsonl")
        ok(p.returncode == 0, f"respond list recovers after a crash at {n}: {p.stderr}")
        text, elems = open(hosts).read(), block_elements()  # None: no table
        applied = elems is not None and len(elems) == 2 and f"0.0.0.0 {DOMAIN}" in text
        rolled_back = elems is None and text == original
        ok(applied or rolled_back, f"crash at {n} ({steps[n - 1]}) left the block half-done: "
           f"elements={elems} hosts={text!r}")
        undo_all(f"the crash at {n}")
        # /etc/hosts is a bind mount here, so the temporary file is made in
        # the real /etc: undo (and recovery) remove what a crash left
        ok(temp_files() == temps_before, f"no temporary hosts file left after the crash at {n} and undo")
        ok(block_elements() is None and open(hosts).read() == original, f"undo after the crash at {n}")
    ok(rasoat("respond", "verify").returncode == 0, "the journal chain verifies after the crashes")

    # --- a network holding the default gateway is refused
    sh("ip", "-n", A, "route", "add", "default", "via", B4)
    p = rasoat("respond", "block", f"10.213.{X}.0/24", "--apply")
    ok(p.returncode != 0 and "gateway" in (p.stderr + p.stdout),
       f"blocking the gateway's network refused: {p.returncode} {p.stderr}")
    ok(not table_listed() and reachable(B4, 8081), "the refused block changed nothing")
    sh("ip", "-n", A, "route", "del", "default", "via", B4)
    # ... and so is the configured management server (every address of it)
    conf = os.path.join(TMP, "rasoat.conf")
    with open(conf, "w") as f:
        f.write(f"management = {DOMAIN}:8081\n")
    with open(os.path.join(NETNS_ETC, "hosts"), "w") as f:
        f.write(original)
    p = rasoat("respond", "block", B6, "--apply", "--config", conf)
    ok(p.returncode != 0 and "management server" in (p.stderr + p.stdout),
       f"blocking an address of the management server refused: {p.returncode} {p.stderr}")
    ok(not table_listed(), "the refused block changed nothing")
    shutil.rmtree(NETNS_ETC, ignore_errors=True)

    # --- isolate: the allowed HOST:PORT and the operator's session only;
    # an established connection that is not the session (a C2 channel) is cut
    session, session_port = client(B, A4, 2222)    # the operator, from B, into A
    c2, _ = client(A, B4, 8082)                     # an implant's channel, from A out to B
    ok(talk(session) and talk(c2), "both connections carry data before isolation")
    os.environ["SSH_CONNECTION"] = f"{B4} {session_port} {A4} 2222"
    p = rasoat("respond", "isolate", "--allow", f"{B4}:8081", "--apply")
    del os.environ["SSH_CONNECTION"]
    ok(p.returncode == 0, f"isolate exited {p.returncode}: {p.stderr}")
    ok(talk(session), "the operator's SSH session ($SSH_CONNECTION) still carries data while isolated")
    ok(not talk(c2), "an established connection that is not the session is cut by isolation")
    ok(reachable(B4, 8081), f"the allowed {B4}:8081 reachable while isolated")
    ok(not reachable(B4, 8082), f"{B4}:8082 cut while isolated")
    ok(not reachable(B6, 8081), f"{B6}:8081 (the other family, not allowed) cut while isolated")
    undo_all("isolate")
    ok(not table_listed(), "undo of isolate removed the table")
    ok(reachable(B4, 8082) and reachable(B6, 8081), "everything reachable after undoing isolate")

    # --- isolate whose self-test fails rolls itself back
    p = rasoat("respond", "isolate", "--allow", f"{B4}:8089", "--apply")
    ok(p.returncode != 0 and "self-test" in (p.stderr + p.stdout),
       f"isolate with an unreachable allow entry failed its self-test: {p.returncode} {p.stderr}")
    ok(not table_listed() and reachable(B4, 8082), "the failed isolation rolled itself back")
finally:
    teardown()

done("test_respond_net_live", checks)
