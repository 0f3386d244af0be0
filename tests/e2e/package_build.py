"""Builds the two Debian packages the package test installs, once, into
RS_PACKAGE_DIR (ctest: build-test/tests/package; the e2e/package_build
fixture that e2e/test_package requires): rasoat_VERSION with `make deb`'s
script (scripts/deb.sh; a Release build inside dpkg-buildpackage, several
minutes on a loaded 2-core machine), then rasoat_VERSION+test1 from the same
build tree (only the packaging is redone) to upgrade to. Prints a skip line
and exits 0 when the Debian packaging tools are absent."""
import glob
import os
import shutil
import subprocess
import sys

SRC = os.environ.get("RS_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")
OUT = os.environ.get("RS_PACKAGE_DIR") or os.path.join(os.getcwd(), "package")
UPGRADE_SUFFIX = "+test1"


def tools_missing():
    return [t for t in ("dpkg-buildpackage", "dh", "scdoc") if not shutil.which(t)]


def project_version():
    with open(os.path.join(SRC, "CMakeLists.txt")) as f:
        for line in f:
            if line.startswith("project(rasoat VERSION "):
                return line.split()[2]
    sys.exit("package_build: no project(rasoat VERSION ...) in CMakeLists.txt")


def debs():
    """(first, upgrade) .deb paths in OUT, or None for one not built."""
    v = project_version()
    first = glob.glob(os.path.join(OUT, f"rasoat_{v}_*.deb"))
    second = glob.glob(os.path.join(OUT, f"rasoat_{v}{UPGRADE_SUFFIX}_*.deb"))
    return (first[0] if first else None, second[0] if second else None)


def build():
    v = project_version()
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    # noddebs: no -dbgsym package (no test installs it; `make deb` still makes
    # it), so no debug information to compile either (DEB_CFLAGS_STRIP -g:
    # gcc -O2 compiles 23 % faster, the same code; dh_strip removed it anyway)
    env = dict(os.environ, RS_DEB_OUT=OUT, DEB_BUILD_OPTIONS="nocheck parallel=2 noddebs",
               DEB_CFLAGS_STRIP="-g")
    script = os.path.join(SRC, "scripts", "deb.sh")
    for extra in ({}, {"RS_DEB_VERSION": v + UPGRADE_SUFFIX, "RS_DEB_REUSE": "1"}):
        p = subprocess.run([script], env=dict(env, **extra), capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(f"package_build: scripts/deb.sh {extra} exited {p.returncode}:\n{p.stderr[-4000:]}")
    first, second = debs()
    if not first or not second:
        sys.exit(f"package_build: the packages are not in {OUT}: {os.listdir(OUT)}")
    print(f"package_build: built {os.path.basename(first)} and {os.path.basename(second)} in {OUT}")


if __name__ == "__main__":
    missing = tools_missing()
    if missing:
        print(f"SKIP: the Debian packaging tools are missing ({', '.join(missing)}); "
              "scripts/deps.sh deb installs them")
        sys.exit(0)
    build()
