"""The libraries only some commands need are loaded when first used
(src/core/dynlib.h), not linked: the binary does not name libcurl, libpq,
libmicrohttpd, libnftables or libarchive among its needed libraries; when one cannot be
loaded (RASOAT_SONAME_* names a file that does not exist), the command that
needs it fails with exit 2 and a message naming the file and the Debian
package to install, and the commands that do not need it still work."""
import os
import shutil
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import RASOAT, Tree, check, done, run  # noqa: E402

ABSENT = "librasoat-test-absent.so.9"
PASSED = 0


def ok(cond, message):
    global PASSED
    check(cond, message)
    PASSED += 1


def env_without(var):
    """The environment with VAR naming a library that does not exist."""
    env = dict(os.environ)
    env[var] = ABSENT
    return env


def missing_message(err, package, what):
    ok(ABSENT in err, f"{what}: the error names the file it tried to load: {err[-800:]}")
    ok(f"apt-get install {package}" in err, f"{what}: the error names the package {package}: {err[-800:]}")


def main():
    if shutil.which("readelf"):
        dyn = subprocess.run(["readelf", "-d", RASOAT], capture_output=True, text=True, check=True).stdout
        needed = [l for l in dyn.splitlines() if "(NEEDED)" in l]
        ok(needed, "readelf lists the needed libraries")
        for lib in ("libcurl", "libpq", "libmicrohttpd", "libnftables", "libarchive"):
            ok(not any(f"[{lib}." in l for l in needed), f"{lib} is not linked: {needed}")
    else:
        print("readelf missing: the needed libraries are not checked")

    with Tree("rasoat-lazy-libs-") as t:
        # the agent's HTTP side needs libcurl
        code, _, err = run("agent", "run", "--once", "--state", t.p("agent"), env=env_without("RASOAT_SONAME_LIBCURL"))
        ok(code == 2, f"agent run without libcurl exits 2, not {code}")
        missing_message(err, "libcurl4", "agent run")

        # the fleet server's HTTP side needs libmicrohttpd ...
        db = "sqlite:" + t.p("fleet.db")
        code, _, err = run("server", "--listen", "127.0.0.1:0", "--db", db,
                           env=env_without("RASOAT_SONAME_LIBMICROHTTPD"), timeout=60)
        ok(code == 2, f"server without libmicrohttpd exits 2, not {code}")
        missing_message(err, "libmicrohttpd12", "server")
        # ... its token management does not
        code, out, err = run("server", "--db", db, "token", "create",
                             env=env_without("RASOAT_SONAME_LIBMICROHTTPD"))
        ok(code == 0 and "rst1." in out, f"server token create works without libmicrohttpd: {code} {err[-800:]}")

        # a PostgreSQL store needs libpq; with it, the connection itself is tried
        url = "postgresql://rasoat@127.0.0.1:1/none?connect_timeout=5"
        code, _, err = run("server", "--db", url, "token", "list", env=env_without("RASOAT_SONAME_LIBPQ"))
        ok(code == 2, f"server --db postgresql:// without libpq exits 2, not {code}")
        missing_message(err, "libpq5", "server --db postgresql://")
        code, _, err = run("server", "--db", url, "token", "list")
        ok(code == 2 and "cannot connect to the PostgreSQL database" in err and ABSENT not in err,
           f"with libpq, the refused connection is the error: {code} {err[-800:]}")

        # an OSV zip needs libarchive; the error names the feed, the file and the package
        os.makedirs(t.p("root"))
        with zipfile.ZipFile(t.p("osv.zip"), "w") as z:
            z.writestr("GHSA-0000-0000-0000.json", '{"id": "GHSA-0000-0000-0000"}')
        args = ("vuln", "--root", t.p("root"), "--feed", t.p("osv.zip"), "--no-db", "-q", "--format", "jsonl")
        code, out, err = run(*args, env=env_without("RASOAT_SONAME_LIBARCHIVE"))
        missing_message(err, "libarchive13", "vuln --feed ZIP")
        ok(t.p("osv.zip") in err, f"vuln --feed ZIP: the error names the feed: {err[-800:]}")
        code, out, err = run(*args)
        ok(ABSENT not in err and "libarchive13" not in err, f"with libarchive, the zip is read: {err[-800:]}")
    done("test_lazy_libs", PASSED)


if __name__ == "__main__":
    main()
