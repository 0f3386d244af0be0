"""End-to-end: every option a command accepts is in its --help and in its
man page, and neither lists an option the command does not accept.

The accepted options are the command's real option table: with
RASOAT_OPTION_TABLE in the environment, the getopt call of every command
(rs_getopt_long, src/cmd/option_table.c) prints the table it parses with
and ends before any work. The man pages are read from their scdoc sources
(man/*.scd), the same text the installed pages are built from."""
import concurrent.futures
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import check, done, run  # noqa: E402

MAN = os.path.join(os.path.dirname(__file__), "..", "..", "man")

# (invocation, man page). An invocation's positional arguments bring the
# command to its option parsing without doing any work.
INVOCATIONS = [
    (["scan"], "rasoat-scan"),
    (["audit"], "rasoat-audit"),
    (["rootkit"], "rasoat-rootkit"),
    (["persist"], "rasoat-persist"),
    (["integrity"], "rasoat-integrity"),
    (["hunt", "/"], "rasoat-hunt"),
    (["vuln"], "rasoat-vuln"),
    (["vuln", "import", "FILE"], "rasoat-vuln"),
    (["vuln", "--inventory"], "rasoat-vuln"),
    (["fim", "init"], "rasoat-fim"),
    (["fim", "check"], "rasoat-fim"),
    (["device", "audit", "FILE"], "rasoat-device"),
    (["collect"], "rasoat-collect"),
    (["facts"], "rasoat-facts"),
    (["history"], "rasoat-history"),
    (["show", "1"], "rasoat-show"),
    (["diff", "1", "2"], "rasoat-diff"),
    (["respond", "plan"], "rasoat-respond"),
    (["respond", "apply"], "rasoat-respond"),
    (["respond", "list"], "rasoat-respond"),
    (["respond", "undo", "X"], "rasoat-respond"),
    (["respond", "verify"], "rasoat-respond"),
    (["respond", "kill", "1"], "rasoat-respond"),
    (["incident", "new"], "rasoat-incident"),
    (["incident", "list"], "rasoat-incident"),
    (["incident", "show", "1"], "rasoat-incident"),
    (["incident", "note", "1", "X"], "rasoat-incident"),
    (["incident", "advance", "1", "closed"], "rasoat-incident"),
    (["incident", "link", "1"], "rasoat-incident"),
    (["incident", "report", "1"], "rasoat-incident"),
    (["quarantine", "list"], "rasoat-quarantine"),
    (["quarantine", "restore", "1"], "rasoat-quarantine"),
    (["drill", "list"], "rasoat-drill"),
    (["drill", "run", "X"], "rasoat-drill"),
    (["drill", "atomic"], "rasoat-drill"),
    (["server"], "rasoat-server"),
    (["server", "token", "create"], "rasoat-server"),
    (["agent"], "rasoat-agent"),
    (["agent", "run"], "rasoat-agent"),
    (["agent", "bench"], "rasoat-agent"),
]

# Options a command handles before its getopt table: hunt reads
# --no-archives and --webroot, audit --lint, vuln --inventory and device --type and
# --policies itself, and pass the rest on to scan's table.
OWN_PARSING = {"hunt": {"--no-archives", "--webroot"}, "audit": {"--lint"}, "vuln": {"--inventory"},
               "device": {"--type", "--policies"}}

# The scan shortcuts print scan's help and their man pages refer to
# rasoat-scan(1) for the shared options.
SHORTCUTS = {"audit", "rootkit", "persist", "integrity", "hunt", "vuln", "device"}

OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*[a-z0-9]")


def option_table(args):
    env = dict(os.environ, RASOAT_OPTION_TABLE="1", ASAN_OPTIONS="detect_leaks=0")
    code, out, err = run(*args, env=env, timeout=60)
    table = set()
    for line in out.splitlines():
        name = line.split("\t")[0]
        if name.startswith("--"):
            table.add(name)
    return code, table, err


def help_options(args):
    code, out, err = run(*args, "--help", timeout=60)
    return code, set(OPTION.findall(out + err))


def man_options(page):
    path = os.path.join(MAN, page + ".1.scd")
    with open(path, encoding="utf-8") as f:
        return set(OPTION.findall(f.read()))


def main():
    passed = 0
    tables, helps = {}, {}

    def probe(invocation):
        args = invocation[0]
        return option_table(args), help_options(args)

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(probe, INVOCATIONS))
    for (args, page), ((code, table, err), (help_code, shown)) in zip(INVOCATIONS, results):
        name = " ".join(args)
        check(code == 0 and table, f"`rasoat {name}` prints its option table ({code}: {err[-300:]})")
        table.discard("--help")
        table |= OWN_PARSING.get(args[0], set())
        check(help_code == 0, f"`rasoat {name} --help` exits 0 (got {help_code})")
        shown.discard("--help")
        tables[name] = (args[0], page, table)
        helps[name] = shown
        passed += 2

    # A command's help is the help of all its subcommands together; a help
    # that sends the reader to `rasoat scan --help` includes that one.
    scan_help = helps["scan"]
    by_command = {}
    for name, (command, page, table) in tables.items():
        c = by_command.setdefault(command, {"page": page, "table": set(), "help": set()})
        c["table"] |= table
        c["help"] |= helps[name]
    for command, c in by_command.items():
        if command in SHORTCUTS:
            c["help"] |= scan_help
    for command, c in sorted(by_command.items()):
        missing = sorted(c["table"] - c["help"])
        check(not missing, f"`rasoat {command} --help` lists every option it accepts; missing: {missing}")
        phantom = sorted(c["help"] - c["table"])
        check(not phantom, f"`rasoat {command} --help` lists only options it accepts; not accepted: {phantom}")
        passed += 2

    scan_man = man_options("rasoat-scan")
    for command, c in sorted(by_command.items()):
        documented = man_options(c["page"])
        documented.discard("--help")
        shared = scan_man if command in SHORTCUTS else set()
        missing = sorted(c["table"] - documented - shared)
        check(not missing, f"man page {c['page']}(1) documents every option; missing: {missing}")
        phantom = sorted(documented - c["table"])
        check(not phantom, f"man page {c['page']}(1) lists only accepted options; not accepted: {phantom}")
        passed += 2
    done("options: --help, man pages and option tables agree", passed)


if __name__ == "__main__":
    main()
