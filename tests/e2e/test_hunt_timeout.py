"""End-to-end: the per-file YARA time limit. `--timeout SECONDS` (and the
configuration key `timeout`) reach libyara: a rule that loops for far
longer than one second times out under --timeout 1, and the file is counted
in scan_errors.timeouts, not as clean. Bad values are refused with exit 2
and a message that names the option (or the file and line) and the range."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import Tree, check, done, jsonl, run, summary  # noqa: E402

SLOW_RULE = """rule RASOAT_TEST_Slow_Loop {
   meta:
      description = "loops far longer than a second on any file"
   condition:
      for all i in (0..4000000000) : (i >= 0)
}
"""


def main():
    passed = 0
    with Tree() as t, Tree() as state:
        os.environ["RASOAT_CACHE"] = state.p("rules-cache")
        rules = state.mkdir("rules")
        state.write("rules/slow.yar", SLOW_RULE)
        t.write("data/file.txt", "any content\n")

        for bad in ("0", "-5", "abc", "86401", "1.5", ""):
            code, out, err = run("hunt", t.p("data"), "--no-db", "--timeout", bad, "-q")
            check(code == 2, f"--timeout {bad!r} is refused with exit 2, got {code}: {err}")
            check(f"--timeout {bad}: not a number of seconds; use 1 to 86400" in err,
                  f"--timeout {bad!r}: the message names the option and the range: {err!r}")
            check("type" not in out, "nothing is scanned")
            passed += 2
        code, _, err = run("scan", "--root", t.path, "--only", "hunt", "--no-db", "--timeout", "x")
        check(code == 2 and "--timeout x: not a number of seconds" in err, f"rasoat scan too: {code} {err}")
        passed += 1

        conf = state.write("rasoat.conf", "threads = 1\ntimeout = forever\n")
        code, _, err = run("hunt", t.p("data"), "--no-db", "--config", conf)
        check(code == 2 and f"{conf}:2: bad value \"forever\" for timeout" in err,
              f"the configuration key: file, line and value named: {code} {err}")
        passed += 1

        start = time.monotonic()
        code, out, err = run("hunt", t.p("data"), "--rules", rules, "--no-db", "--format", "jsonl",
                             "--fail-on", "none", "--timeout", "1", "-q", timeout=120)
        took = time.monotonic() - start
        check(code == 0, f"a hunt with --timeout 1 runs: {code} {err}")
        check(took < 30, f"the limit is 1 s, not the default 60 s: the hunt took {took:.1f} s")
        s = summary(jsonl(out))["modules"]["hunt"]
        check(s["scan_errors"]["timeouts"] == 1, f"the slow rule timed out on the file: {s}")
        check(s["files"] == 1, f"the file was read: {s}")
        passed += 2

        conf = state.write("rasoat.conf", "timeout = 1\n")
        start = time.monotonic()
        code, out, err = run("hunt", t.p("data"), "--rules", rules, "--no-db", "--format", "jsonl",
                             "--fail-on", "none", "--config", conf, "-q", timeout=120)
        check(time.monotonic() - start < 30, "timeout = 1 is the limit, not the default")
        s = summary(jsonl(out))["modules"]["hunt"]
        check(code == 0 and s["scan_errors"]["timeouts"] == 1, f"timeout = 1 in the configuration: {s}")
        passed += 1
    done("hunt_timeout", passed)


if __name__ == "__main__":
    main()
