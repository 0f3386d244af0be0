"""The dashboard's fleet-size and task pages in a real browser: Debian's
chromium driven by playwright-core (tests/e2e/fleet_pages_browser.js) over
a fleet of 250 simulated hosts (`rasoat agent bench`) and one agent with
policy history: paging of the hosts and findings pages, the compliance
history and its window, the task form (a scan with modules; a refused
drill; a respond plan that waits for approval) and the admin's approval;
no console error, no request off loopback. Screenshots into
$RS_DASH_SCREENSHOTS when set. Skipped with a line when node, chromium or
playwright-core is missing. RS_FLEET_DB=postgresql runs it on PostgreSQL."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import Tree, done  # noqa: E402
from fleet_e2e import Server, require_backend  # noqa: E402
import test_fleet_compliance as tc  # noqa: E402

HOSTS = 250


def main():
    require_backend("test_fleet_pages_browser")
    with Tree("rasoat-fleet-browser-") as t:
        srv = Server(t.p("server/fleet.db"), extra=["--address-rate", "100000", "--address-burst", "100000",
                                                    "--agent-rate", "1000", "--agent-burst", "1000"]).start()
        try:
            agent, _ = tc.build_fleet(t, srv, HOSTS, tc.REPORTS)
            total = HOSTS + 1
            tc.browser(t, srv, agent, (total + 99) // 100, total - 100 * ((total - 1) // 100))
        finally:
            srv.stop()
    done("test_fleet_pages_browser", tc.PASSED)


if __name__ == "__main__":
    main()
