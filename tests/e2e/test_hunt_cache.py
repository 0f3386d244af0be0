"""End-to-end: the clean-file cache in the scan store. A second hunt of an
unchanged tree reads no file (all skipped as unchanged since found clean);
a modified file, a touched file and a new file are hunted again; a file
that matched is never cached; --full ignores the cache (and refreshes it);
another rule set is another cache; and the compiled rules come from the
rules cache on the second run."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import Tree, check, done, findings, jsonl, run, summary  # noqa: E402

EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def hunt(t, db, *extra):
    code, out, err = run("hunt", "--root", t.path, "/", "--db", db, "--format", "jsonl", "-q",
                         "--fail-on", "none", *extra, timeout=300)
    check(code == 0, f"exit 0, got {code}: {err[-2000:]}")
    lines = jsonl(out)
    return summary(lines)["modules"]["hunt"], findings(lines)


def main():
    passed = 0
    with Tree() as t, Tree() as state:
        os.environ["RASOAT_CACHE"] = state.p("rules-cache")
        db = state.p("rasoat.db")
        for i in range(50):
            t.write(f"data/f{i:02d}.txt", f"clean file {i}\n")
        t.write("data/eicar.com", EICAR)
        s1, f1 = hunt(t, db)
        check(s1["files"] == 51 and s1["skipped_reasons"]["unchanged_since_clean"] == 0, f"first hunt reads all: {s1}")
        check(len(f1) == 1, "the planted file is found")
        passed += 2

        s2, f2 = hunt(t, db)
        check(s2["files"] == 1 and s2["skipped_reasons"]["unchanged_since_clean"] == 50,
              f"second hunt: 50 clean files skipped, the matching one hunted again: {s2}")
        check(len(f2) == 1, "a file that matched is never cached: found again")
        check(s2["rules"]["from_cache"] is True, "compiled rules loaded from the rules cache")
        passed += 3

        t.write("data/f00.txt", "clean file 0, changed\n")      # new size
        with open(t.p("data/f01.txt"), "r+") as f:                # same size, new mtime
            f.write("C")
        os.utime(t.p("data/f02.txt"), None)                      # touched: new times
        time.sleep(0.01)
        t.write("data/new.txt", "new\n")
        s3, _ = hunt(t, db)
        check(s3["files"] == 5 and s3["skipped_reasons"]["unchanged_since_clean"] == 47,
              f"changed, touched and new files are hunted again: {s3}")
        passed += 1

        s4, _ = hunt(t, db, "--full")
        check(s4["files"] == 52 and s4["skipped_reasons"]["unchanged_since_clean"] == 0, f"--full reads all: {s4}")
        passed += 1

        rules = state.mkdir("extra-rules")
        state.write("extra-rules/x.yar", "rule Extra_Never { condition: false }\n")
        s5, _ = hunt(t, db, "--rules", rules)
        check(s5["files"] == 52 and s5["skipped_reasons"]["unchanged_since_clean"] == 0,
              f"another rule set does not use the cache of the first: {s5}")
        s6, _ = hunt(t, db, "--rules", rules)
        check(s6["files"] == 1, f"... and has its own: {s6}")
        passed += 2

        # nothing left to read: the summary still says how many files were read (0)
        os.unlink(t.p("data/eicar.com"))
        hunt(t, db, "--rules", rules)
        s8, f8 = hunt(t, db, "--rules", rules)
        check(s8.get("files") == 0 and s8.get("bytes") == 0 and not f8
              and s8["skipped_reasons"]["unchanged_since_clean"] == 51,
              f"a fully cached rescan reports files 0 and bytes 0: {s8}")
        passed += 1

        code, out, _ = run("hunt", "--root", t.path, "/", "--no-db", "--format", "jsonl", "-q", "--fail-on", "none")
        s7 = summary(jsonl(out))["modules"]["hunt"]
        check(s7["files"] == 51, "--no-db: no cache, every file hunted")
        passed += 1
    done("test_hunt_cache", passed)


if __name__ == "__main__":
    main()
