"""End-to-end test: no fleet task outcome is lost, or shown as done when it
is not. A `rasoat server` on 127.0.0.1 (handing unreported tasks out again
after 1 s) and one agent:
- a task whose check-in reply was lost is handed out again (attempts
  counted) and done;
- a task never reported is handed out twice more, then marked lost (in
  the API's state filter and on the dashboard); the agent's late report
  still ends it;
- reports that cannot reach the server (a proxy loses them) wait in the
  agent's journal and are sent at the next round, the task not run twice;
- a task running when the agent is SIGKILLed is reported failed at the
  agent's next start, not run again.
RS_FLEET_DB=postgresql runs it on a PostgreSQL 15 the test starts."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import Tree, done  # noqa: E402
from fleet_e2e import Agent, Server, make_root, require_backend  # noqa: E402
import test_fleet_task_gaps as gaps  # noqa: E402


def main():
    require_backend("test_fleet_task_lost")
    with Tree("rasoat-fleet-lost-") as t:
        # the agents here run back to back: the per-agent rate limit (tested in
        # test_fleet_security) would answer some reports with 429
        srv = Server(t.p("server/fleet.db"), extra=["--task-redeliver", "1s", "--agent-rate", "1000",
                                                   "--agent-burst", "1000"]).start()
        try:
            analyst, viewer = srv.apikey("analyst"), srv.apikey("viewer")
            token = srv.token("--uses", "2")
            root = make_root(t, "roots/web1", ["* * * * * root /tmp/.x/web1"])
            agent = Agent(t.p("agents/web1"))
            agent.enrol(srv.url, token)
            deny = t.write("conf/deny.conf", "# nothing allowed\n")
            gaps.run_agent(agent, root, deny)        # the first, scheduled scan
            gaps.lost_reports(t, srv, analyst, viewer, agent, root, deny, token)
        finally:
            srv.stop()
    done("test_fleet_task_lost", gaps.PASSED)


if __name__ == "__main__":
    main()
