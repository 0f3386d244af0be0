"""ctest fixture for the tests on PostgreSQL (e2e/pg_template, FIXTURES_SETUP
rs_pg_template): makes sure RS_PG_TEMPLATE (in the build tree) holds a
cluster initdb'd for this PostgreSQL, so that each test copies it
(pgserver.py) instead of running initdb itself — each test still starts,
uses and stops its own real server on its copy. The template is made once
and kept, like the packages of e2e/package_build, and only ever appears
whole (made aside, then renamed into place): ctest runs sharing the build
tree may copy it while another one checks it. Remade when PostgreSQL's
major version differs. Where PostgreSQL is absent it prints why and makes
nothing (the tests then skip on their own)."""
import os
import pwd
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import pgserver  # noqa: E402


def major_version():
    out = subprocess.run([os.path.join(pgserver.PG_BIN, "pg_ctl"), "--version"], capture_output=True,
                         text=True, check=True, timeout=60).stdout
    return out.split()[-1].split(".")[0]     # "pg_ctl (PostgreSQL) 15.10" -> "15"


def current(template, major):
    try:
        with open(os.path.join(template, "PG_VERSION")) as f:
            return f.read().strip() == major
    except OSError:
        return False


def make(template):
    """initdb as postgres (which may not reach the build tree) into a private
    temporary directory; root copies the cluster beside TEMPLATE, then
    renames it into place."""
    work = tempfile.mkdtemp(prefix="rasoat-pgtemplate-")
    aside = f"{template}.new.{os.getpid()}"
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
        subprocess.run(["cp", "-a", data, aside], check=True, timeout=300)
        if os.path.isdir(template):          # an older PostgreSQL's
            shutil.rmtree(template)
        try:
            os.rename(aside, template)
        except OSError:
            pass                             # another run put its own in place first
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(aside, ignore_errors=True)


def main():
    template = os.environ.get("RS_PG_TEMPLATE")
    if not template:
        print("pg_template: RS_PG_TEMPLATE is not set (ctest sets it)", file=sys.stderr)
        return 1
    why = pgserver.unavailable()
    if why:
        print(f"pg_template: SKIP: no template cluster: {why}")
        return 0
    major = major_version()
    if current(template, major):
        print(f"pg_template: PostgreSQL {major} template cluster in {template} (kept)")
        return 0
    make(template)
    if not current(template, major):
        print(f"pg_template: {template} holds no PostgreSQL {major} cluster after initdb", file=sys.stderr)
        return 1
    print(f"pg_template: PostgreSQL {major} template cluster made in {template}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
