"""The Debian package as a user meets it (issue 16): installed with dpkg into
a throw-away root (maintainer scripts run chrootless with DPKG_ROOT, so this
machine's / is never touched), rasoat scan --root runs from the installed
paths with the installed rules, the man pages render, bash completion
completes commands and options, an upgrade keeps the store and an edited
conffile, remove keeps the store, purge leaves nothing; lintian reports no
error or warning. The packages come from package_build.py (the ctest fixture
e2e/package_build), built here when it has not run."""
import gzip
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import package_build  # noqa: E402
from rasoat_e2e import fail, findings, jsonl  # noqa: E402

RULE_NAME = "rasoat_package_test_rule"
MARKER = "rasoat-package-test-marker-7f3c1d"


def sh(*args, env=None, check=True, timeout=300):
    p = subprocess.run(list(args), capture_output=True, text=True, env=env, timeout=timeout,
                       errors="replace")
    if check and p.returncode != 0:
        fail(f"{' '.join(args)} exited {p.returncode}\nstdout:\n{p.stdout[-3000:]}\n"
             f"stderr:\n{p.stderr[-3000:]}")
    return p


class Root:
    """A throw-away root with an empty dpkg database."""

    def __init__(self, base):
        self.path = os.path.join(base, "root")
        # var/lib/systemd as on any systemd host (systemd owns it; the
        # units' maintainer snippets keep their state below it)
        for d in ("var/lib/dpkg/info", "var/lib/dpkg/updates", "var/log", "var/lib/systemd"):
            os.makedirs(os.path.join(self.path, d))
        for f in ("var/lib/dpkg/status", "var/lib/dpkg/available"):
            open(os.path.join(self.path, f), "w").close()

    def p(self, rel):
        return os.path.join(self.path, rel.lstrip("/"))

    def dpkg(self, *args):
        # chrootless: the maintainer scripts run from this system with
        # DPKG_ROOT set (dpkg sets it); the root has no libc to depend on.
        env = dict(os.environ, DPKG_ROOT=self.path)
        return sh("dpkg", f"--root={self.path}", "--force-script-chrootless", "--force-depends",
                  "--force-unsafe-io", "--log=/dev/null", *args, env=env)

    def status(self):
        p = sh("dpkg-query", f"--root={self.path}", "-W", "-f=${Status} ${Version}\n", "rasoat",
               check=False)
        return p.stdout.strip() if p.returncode == 0 else ""


def host_state():
    """What a leak onto this machine would change: systemd's enablement
    state of the package's units and dpkg's idea of rasoat (other rasoat
    units, e.g. a drill's cleanup timer, come and go with other tests)."""
    units = ("rasoat-scan.service", "rasoat-scan.timer", "rasoat-agent.service", "rasoat-server.service")
    seen = []
    for d in ("/var/lib/systemd/deb-systemd-helper-enabled", "/var/lib/systemd/deb-systemd-helper-masked",
              "/etc/systemd/system"):
        for top, _dirs, files in os.walk(d):
            seen += [os.path.join(top, f) for f in files if f.startswith(units)]
    p = subprocess.run(["dpkg-query", "-W", "-f=${Status}", "rasoat"], capture_output=True, text=True)
    return sorted(seen), p.stdout


def check_layout(root):
    for rel in ("usr/bin/rasoat", "usr/share/rasoat/rules/yara", "usr/share/rasoat/rules/policies",
                "etc/rasoat/rasoat.conf", "lib/systemd/system/rasoat-scan.service",
                "lib/systemd/system/rasoat-scan.timer", "lib/systemd/system/rasoat-agent.service",
                "lib/systemd/system/rasoat-server.service",
                "usr/share/bash-completion/completions/rasoat", "usr/share/zsh/vendor-completions/_rasoat"):
        if not os.path.exists(root.p(rel)):
            fail(f"the package did not install /{rel}")
    st = os.stat(root.p("var/lib/rasoat"))
    if stat.S_IMODE(st.st_mode) != 0o700 or st.st_uid != 0:
        fail(f"/var/lib/rasoat is mode {oct(stat.S_IMODE(st.st_mode))} uid {st.st_uid}, wanted 0700 root")
    conffiles = sh("dpkg-query", f"--root={root.path}", "-W", "-f=${Conffiles}", "rasoat").stdout
    if "/etc/rasoat/rasoat.conf" not in conffiles:
        fail(f"/etc/rasoat/rasoat.conf is not a conffile: {conffiles!r}")
    unit = open(root.p("lib/systemd/system/rasoat-scan.service")).read()
    if "ExecStart=/usr/bin/rasoat scan" not in unit:
        fail(f"rasoat-scan.service does not run the installed binary:\n{unit}")


def check_man(root, rasoat):
    """A page per command (from `rasoat --help`), rasoat(1), rasoat.conf(5):
    each renders without warnings; `man rasoat-scan` finds the installed page."""
    out = sh(rasoat, "--help").stdout
    cmds = [l.split()[0] for l in out.split("commands:\n", 1)[1].split("\n\n", 1)[0].splitlines()]
    if "scan" not in cmds or len(cmds) < 10:
        fail(f"could not read the commands from rasoat --help: {cmds}")
    pages = ["man1/rasoat.1.gz", "man5/rasoat.conf.5.gz"] + [f"man1/rasoat-{c}.1.gz" for c in cmds]
    env = dict(os.environ, MANPAGER="cat", PAGER="cat", MANWIDTH="80", LANG="C.UTF-8")
    for page in pages:
        path = root.p("usr/share/man/" + page)
        if not os.path.exists(path):
            fail(f"no man page {page} for a command rasoat --help lists")
        name = os.path.basename(page).rsplit(".", 2)[0]
        p = sh("man", "--warnings", "-l", path, env=env)
        if "NAME" not in p.stdout or name.split(".")[0] not in p.stdout or p.stderr.strip():
            fail(f"man -l {page} rendered badly:\nstdout:\n{p.stdout[:800]}\nstderr:\n{p.stderr}")
    with gzip.open(root.p("usr/share/man/man1/rasoat-scan.1.gz"), "rt") as f:
        if "--root" not in f.read():
            fail("rasoat-scan(1) does not describe --root")
    env["MANPATH"] = root.p("usr/share/man")
    for name in ("rasoat", "rasoat-scan"):
        p = sh("man", name, env=env)
        if f"{name} -" not in p.stdout and f"{name} \u2010" not in p.stdout:
            fail(f"`man {name}` with the installed pages shows:\n{p.stdout[:600]}\n{p.stderr}")
    print(f"man: {len(pages)} pages render")


def complete(root, words, with_bash_completion):
    """Runs the installed bash completion for the command line WORDS (the
    last one being completed); returns COMPREPLY."""
    script = root.p("usr/share/bash-completion/completions/rasoat")
    pre = "source /usr/share/bash-completion/bash_completion\n" if with_bash_completion else ""
    line = " ".join(words)
    prog = (pre + f"source {script}\n"
            f"COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; COMP_LINE='{line}'; COMP_POINT={len(line)}\n"
            f"_rasoat rasoat '{words[-1]}' '{words[-2]}'\n"
            'printf "%s\\n" "${COMPREPLY[@]}"\n')
    env = dict(os.environ, PATH=root.p("usr/bin") + ":" + os.environ["PATH"])
    return sh("bash", "-c", prog, env=env).stdout.split()


def check_completion(root):
    variants = [False]
    if os.path.exists("/usr/share/bash-completion/bash_completion"):
        variants.append(True)
    for full in variants:
        got = complete(root, ["rasoat", "sc"], full)
        if got != ["scan"]:
            fail(f"`rasoat sc<TAB>` completed to {got} (bash-completion loaded: {full}), wanted scan")
        got = complete(root, ["rasoat", "scan", "--fo"], full)
        if got != ["--format"]:
            fail(f"`rasoat scan --fo<TAB>` completed to {got} (bash-completion loaded: {full}), wanted --format")
        got = complete(root, ["rasoat", "scan", "--format", "js"], full)
        if sorted(got) != ["json", "jsonl"]:
            fail(f"`rasoat scan --format js<TAB>` completed to {got}")
    print(f"completion: commands and options complete ({len(variants)} bash set-ups)")


def scan(root, fixture, cache):
    """rasoat scan --root FIXTURE from the installed binary, stored in the
    root's store; the finding of a rule added to the installed rules proves
    the installed rules are the ones read."""
    env = {k: v for k, v in os.environ.items() if k not in ("RASOAT_RULES", "RASOAT_WAIVERS")}
    env["RASOAT_CACHE"] = cache
    rule = root.p(f"usr/share/rasoat/rules/yara/{RULE_NAME}.yar")
    with open(rule, "w") as f:
        f.write(f'rule {RULE_NAME} {{ strings: $a = "{MARKER}" condition: $a }}\n')
    try:
        p = sh(root.p("usr/bin/rasoat"), "scan", "--root", fixture, "--format", "jsonl",
               "--db", root.p("var/lib/rasoat/rasoat.db"), "--config", root.p("etc/rasoat/rasoat.conf"),
               "--fail-on", "none", env=env)
    finally:
        os.unlink(rule)
    if any("bundled" in l and "not found" in l for l in p.stderr.splitlines()):
        fail(f"the installed binary did not find its bundled rules:\n{p.stderr[-2000:]}")
    fs = findings(jsonl(p.stdout))
    if not any(RULE_NAME in str(f) for f in fs):
        fail(f"no finding of the rule added to /usr/share/rasoat/rules: {len(fs)} findings\n{p.stderr[-2000:]}")
    print(f"scan --root: {len(fs)} findings with the installed rules")


def history(root):
    p = sh(root.p("usr/bin/rasoat"), "history", "--db", root.p("var/lib/rasoat/rasoat.db"),
           "--format", "jsonl")
    return [json.loads(l) for l in p.stdout.splitlines() if l.strip()]


def leftovers(root):
    """Files and directories in the root that dpkg's own bookkeeping does not explain."""
    left = []
    for top, dirs, files in os.walk(root.path):
        rel = os.path.relpath(top, root.path)
        if rel == "." or rel.startswith("var/lib/dpkg") or rel.startswith("var/log"):
            continue
        left += [os.path.join(rel, n) for n in files] + ([rel] if not files and not dirs else [])
    return [x for x in left if x != "var/lib/systemd"]


def main():
    missing = package_build.tools_missing()
    if missing or not shutil.which("lintian"):
        print(f"SKIP: the Debian packaging tools are missing ({', '.join(missing or ['lintian'])}); "
              "scripts/deps.sh deb installs them")
        return
    first, second = package_build.debs()
    if not first or not second:
        package_build.build()
        first, second = package_build.debs()
    before = host_state()
    base = tempfile.mkdtemp(prefix="rasoat-package-")
    try:
        root = Root(base)
        fixture = os.path.join(base, "fixture")
        os.makedirs(os.path.join(fixture, "srv/www"))
        os.makedirs(os.path.join(fixture, "etc"))
        with open(os.path.join(fixture, "srv/www/upload.php"), "w") as f:
            f.write(f"<?php // {MARKER}\n")

        root.dpkg("-i", first)
        if not root.status().startswith("install ok installed"):
            fail(f"after dpkg -i: {root.status()!r}")
        check_layout(root)
        rasoat = root.p("usr/bin/rasoat")
        scan(root, fixture, os.path.join(base, "cache"))
        check_man(root, rasoat)
        check_completion(root)

        stored = history(root)
        if len(stored) != 1:
            fail(f"history lists {len(stored)} scans after one stored scan")
        conf = root.p("etc/rasoat/rasoat.conf")
        with open(conf, "a") as f:
            f.write("# edited by the operator\nrecent_days = 3\n")

        root.dpkg("-i", second)
        version = root.status()
        if not version.startswith("install ok installed") or not version.endswith(package_build.UPGRADE_SUFFIX):
            fail(f"after the upgrade: {version!r}")
        after = history(root)
        if [s["scan"] for s in after] != [s["scan"] for s in stored]:
            fail(f"the upgrade lost the stored scan: before {stored}, after {after}")
        if "recent_days = 3" not in open(conf).read():
            fail("the upgrade replaced the operator's edited /etc/rasoat/rasoat.conf")
        if stat.S_IMODE(os.stat(root.p("var/lib/rasoat")).st_mode) != 0o700:
            fail("the upgrade changed /var/lib/rasoat's mode")
        print(f"upgrade: {os.path.basename(first)} -> {os.path.basename(second)} kept the scan and the conffile")

        root.dpkg("-r", "rasoat")
        if os.path.exists(root.p("usr/bin/rasoat")):
            fail("dpkg -r left /usr/bin/rasoat")
        if not os.path.exists(root.p("var/lib/rasoat/rasoat.db")) or not os.path.exists(conf):
            fail("dpkg -r removed the store or the configuration (only purge may)")
        root.dpkg("-P", "rasoat")
        left = leftovers(root)
        if left or root.status():
            fail(f"purge left: {left} (status {root.status()!r})")
        print("remove kept the store; purge left nothing")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    if host_state() != before:
        fail(f"the test changed this machine: before {before}, after {host_state()}")

    # lintian leaves its ELF index files (mldbm-elf-*) in TMPDIR: give it its own.
    # One run checks both packages, each in full as two runs did (its start-up
    # and profile are loaded once: 20.9 CPU-s against 2 x 13.3 at load 11-14);
    # a tag of either fails the test (a tag names the package, not the
    # version: lintian on each .deb tells which).
    lint_tmp = tempfile.mkdtemp(prefix="rasoat-lintian-")
    try:
        p = sh("lintian", "--fail-on", "error,warning", "--tag-display-limit", "0", first, second,
               check=False, timeout=900, env=dict(os.environ, TMPDIR=lint_tmp))
        bad = [l for l in p.stdout.splitlines() if l.startswith(("E:", "W:"))]
        if p.returncode != 0 or bad:
            fail(f"lintian {os.path.basename(first)} {os.path.basename(second)} exited {p.returncode}:\n"
                 f"{p.stdout}\n{p.stderr[-2000:]}")
    finally:
        shutil.rmtree(lint_tmp, ignore_errors=True)
    print("lintian: no error or warning on either package")
    print("PASS")


if __name__ == "__main__":
    main()
