"""The fleet's unit tests of the storage (test_db: the database interface;
test_fleet_store: tokens, counters, idempotent batches, views, daily
snapshots) run against a real PostgreSQL 15 started here, the same tests
that run on SQLite in the unit suite."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import RASOAT, check, done  # noqa: E402
import pgserver  # noqa: E402


def main():
    why = pgserver.unavailable()
    if why:
        print(f"test_fleet_pg_unit: SKIP: {why}")
        return
    unit_dir = os.environ.get("RS_UNIT_DIR") or os.path.join(os.path.dirname(RASOAT), "tests")
    passed = 0
    pg = pgserver.shared()
    for name in ("test_db", "test_fleet_store"):
        exe = os.path.join(unit_dir, name)
        check(os.access(exe, os.X_OK), f"{exe}: not built (cmake --build … --target {name})")
        env = dict(os.environ, RS_TEST_PG_URL=pg.create_db())
        p = subprocess.run([exe], capture_output=True, text=True, timeout=300, env=env)
        out = p.stdout + p.stderr
        check(p.returncode == 0, f"{name} on PostgreSQL exited {p.returncode}:\n{out[-4000:]}")
        if name == "test_db":  # a SQLite group, then the PostgreSQL group
            check(out.count("[  PASSED  ]") == 2, f"{name}: the PostgreSQL group did not run:\n{out[-2000:]}")
        print(out.strip().splitlines()[-1])
        passed += 1
    done("test_fleet_pg_unit", passed)


if __name__ == "__main__":
    main()
