"""ctest fixture for the tests on PostgreSQL (e2e/pg_template, FIXTURES_SETUP
rs_pg_template): runs initdb once for the whole suite into RS_PG_TEMPLATE
(in the build tree), so that each test copies that cluster (pgserver.py)
instead of running initdb itself — each test still starts, uses and stops
its own real server on its copy. `--remove` (FIXTURES_CLEANUP) deletes the
template. Where PostgreSQL is absent it prints why and makes nothing (the
tests then skip on their own)."""
import os
import pwd
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import pgserver  # noqa: E402


def main():
    template = os.environ.get("RS_PG_TEMPLATE")
    if not template:
        print("pg_template: RS_PG_TEMPLATE is not set (ctest sets it)", file=sys.stderr)
        return 1
    shutil.rmtree(template, ignore_errors=True)
    if sys.argv[1:] == ["--remove"]:
        print(f"pg_template: removed {template}")
        return 0
    why = pgserver.unavailable()
    if why:
        print(f"pg_template: SKIP: no template cluster: {why}")
        return 0
    # initdb runs as postgres, which may not reach the build tree: it writes
    # into a private temporary directory, then root copies the cluster over
    work = tempfile.mkdtemp(prefix="rasoat-pgtemplate-")
    try:
        pw = pwd.getpwnam(pgserver.USER)
        os.chmod(work, 0o700)
        os.chown(work, pw.pw_uid, pw.pw_gid)
        data = os.path.join(work, "data")

        def as_postgres(args):
            p = subprocess.run(["runuser", "-u", pgserver.USER, "--", *args], capture_output=True,
                               text=True, timeout=300, cwd=work)
            if p.returncode != 0:
                raise RuntimeError(f"{' '.join(args)} exited {p.returncode}: {p.stderr[-2000:]}")
            return p

        pgserver.initdb(data, as_postgres)
        os.makedirs(os.path.dirname(template), exist_ok=True)
        subprocess.run(["cp", "-a", data, template], check=True, timeout=300)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if not os.path.isfile(os.path.join(template, "PG_VERSION")):
        print(f"pg_template: {template} has no PG_VERSION after initdb", file=sys.stderr)
        return 1
    print(f"pg_template: template cluster in {template}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
