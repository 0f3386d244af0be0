"""The agent's local store (STATE/local.db): the checks that compare a host
with its earlier scans work on fleet hosts too. An agent scans a fixture
root with the audit module, an account is added to the root, the agent
scans again: the server holds audit's new_account finding for it, from the
second scan only, and the agent's state directory holds local.db."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import Tree, check, done, run  # noqa: E402
from fleet_e2e import Agent, Server, make_root, require_backend  # noqa: E402

PASSED = 0
RULE = "rasoat:accounts.new_account"


def ok(cond, message):
    global PASSED
    check(cond, message)
    PASSED += 1


def agent_scan(agent, root):
    code, out, err = run("agent", "run", "--once", "--scan", "--state", agent.state, "--root", root, "--only", "audit",
                         timeout=300)
    ok(code == 0, f"agent run exited {code}: {err[-1500:]}")
    ok(agent.spool() == [], f"the scan left the spool (acknowledged): {agent.spool()}")


def new_accounts(srv, key, agent):
    items = srv.get_all(f"/api/v1/findings?host={agent.id}&limit=100", key)
    return sorted(f.get("evidence", {}).get("user", "") for f in items if f.get("rule") == RULE)


def main():
    require_backend("test_fleet_agent_local")
    with Tree("rasoat-fleet-local-") as t:
        db = t.p("server/fleet.db")
        os.makedirs(os.path.dirname(db))
        srv = Server(db).start()
        try:
            root = make_root(t, "host-a", ["0 3 * * * root /usr/bin/true"])
            token = srv.token("--uses", "1", "--ttl", "1h")
            key = srv.apikey("viewer")
            agent = Agent(t.p("agent"))
            agent.enrol(srv.url, token)
            agent_scan(agent, root)
            ok(os.path.isfile(os.path.join(agent.state, "local.db")), "the agent keeps local.db in its state")
            ok(new_accounts(srv, key, agent) == [], "no new account on the first scan")
            with open(os.path.join(root, "etc/passwd"), "a") as f:
                f.write("eve:x:1005:1005::/home/eve:/bin/bash\n")
            agent_scan(agent, root)
            ok(new_accounts(srv, key, agent) == ["eve"],
               f"the second scan reports the added account: {new_accounts(srv, key, agent)}")
        finally:
            srv.kill9()
    done("test_fleet_agent_local", PASSED)


if __name__ == "__main__":
    main()
