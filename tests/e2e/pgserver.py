"""A throw-away PostgreSQL 15 for the fleet tests: initdb in a temporary
directory as the unprivileged `postgres` user (the postgresql-15 package
creates it), a server on 127.0.0.1 and a free port (its socket in the same
directory), databases created per test, stopped and started on demand, and
everything removed at exit. No mocks: the real server the package ships.
Under ctest, RS_PG_TEMPLATE names a cluster initdb'd once for the build
tree (pg_template.py, a ctest fixture); each test copies it instead of
running initdb, then starts its own server on the copy."""
import atexit
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time

PG_BIN = os.environ.get("RS_PG_BIN", "/usr/lib/postgresql/15/bin")
USER = "postgres"


def unavailable():
    """Why a PostgreSQL cannot be started here, or None."""
    if not os.path.exists(os.path.join(PG_BIN, "initdb")):
        return f"no {PG_BIN}/initdb (install postgresql-15: scripts/deps.sh test)"
    try:
        pwd.getpwnam(USER)
    except KeyError:
        return f"no '{USER}' user to run PostgreSQL as"
    if os.geteuid() != 0:
        return "not root (the test runs PostgreSQL as the postgres user)"
    return None


def initdb(data, run):
    """A new cluster in DATA (RUN runs a command as the postgres user)."""
    run([os.path.join(PG_BIN, "initdb"), "-D", data, "-A", "trust", "-U", USER,
         "-E", "UTF8", "--locale=C", "--no-sync"])


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    """One PostgreSQL cluster. FAST=True turns fsync and synchronous commit
    off, for tests that never crash the database (a commit is then not
    durable across a crash of PostgreSQL); tests that crash it and the
    benchmarks keep the durable defaults (FAST=False)."""

    def __init__(self, fast=True):
        self.dir = tempfile.mkdtemp(prefix="rasoat-pg-")
        pw = pwd.getpwnam(USER)
        os.chmod(self.dir, 0o700)
        os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        self.data = os.path.join(self.dir, "data")
        self.log = os.path.join(self.dir, "server.log")
        self.port = _free_port()
        self.fast = fast
        self.count = 0
        atexit.register(self.destroy)   # also when initdb fails below
        if not os.access("/dev/null", os.W_OK) or (os.stat("/dev/null").st_mode & 0o666) != 0o666:
            raise RuntimeError("/dev/null is not writable by everyone (mode "
                               f"{os.stat('/dev/null').st_mode & 0o777:o}); initdb needs it: chmod 666 /dev/null")
        template = os.environ.get("RS_PG_TEMPLATE")
        if template and os.path.isfile(os.path.join(template, "PG_VERSION")):
            # a copy of the cluster pg_template.py made once for the suite
            # (the same initdb as below); cp -a keeps the owner and modes
            subprocess.run(["cp", "-a", template, self.data], check=True, timeout=120)
        else:
            initdb(self.data, self._run)
        with open(os.path.join(self.data, "postgresql.conf"), "a") as f:
            f.write(f"listen_addresses = '127.0.0.1'\nport = {self.port}\n"
                    f"unix_socket_directories = '{self.dir}'\nmax_connections = 200\n")
            if fast:
                f.write("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
        self.start()

    def _run(self, args, check=True, timeout=60):
        p = subprocess.run(["runuser", "-u", USER, "--", *args], capture_output=True, text=True,
                           timeout=timeout, cwd=self.dir)
        if check and p.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} exited {p.returncode}: {p.stderr[-2000:]}")
        return p

    def start(self):
        self._run([os.path.join(PG_BIN, "pg_ctl"), "-D", self.data, "-l", self.log, "-w", "-t", "60",
                   "start"])

    def stop(self, mode="fast"):
        self._run([os.path.join(PG_BIN, "pg_ctl"), "-D", self.data, "-w", "-t", "60", "-m", mode,
                   "stop"], check=False)

    def running(self):
        return self._run([os.path.join(PG_BIN, "pg_ctl"), "-D", self.data, "status"],
                         check=False).returncode == 0

    def psql(self, sql, db="postgres"):
        p = self._run([os.path.join(PG_BIN, "psql"), "-h", self.dir, "-p", str(self.port), "-d", db,
                       "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql])
        return p.stdout.strip()

    def create_db(self, name=None):
        """A new empty database; returns its URL."""
        self.count += 1
        name = name or f"fleet{self.count}_{os.getpid()}"
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def url(self, name):
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{name}"

    def destroy(self):
        if self.dir and os.path.isdir(self.dir):
            if os.path.isdir(self.data):
                self.stop("immediate")
            shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None


_shared = None


def shared():
    """One cluster per test process, started on first use."""
    global _shared
    if _shared is None:
        _shared = PgServer()
    return _shared


def _serve(url_file):
    """`python3 pgserver.py URLFILE`: starts a durable cluster, writes the URL
    of a new database to URLFILE, and keeps it until SIGTERM or SIGINT
    (bench/server.sh uses this)."""
    import signal
    import sys
    why = unavailable()
    if why:
        print(f"pgserver: {why}", file=sys.stderr)
        sys.exit(2)
    pg = PgServer(fast=False)
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    signal.signal(signal.SIGINT, lambda *a: stop.append(1))
    with open(url_file + ".tmp", "w") as f:
        f.write(pg.create_db("bench") + "\n")
    os.rename(url_file + ".tmp", url_file)
    while not stop:
        time.sleep(0.2)
    pg.destroy()


if __name__ == "__main__":
    import sys
    _serve(sys.argv[1])
