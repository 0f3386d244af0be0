"""End-to-end: on the live host the hunt never reports rasoat's own state —
the store and its side files, respond's journal and the quarantine (which
keeps the bytes of what was taken away) in the store's directory — while
the same bytes anywhere else are still found. Without this, every scan
after a quarantine would report the quarantined implant again."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import Tree, check, done, findings, jsonl, run  # noqa: E402

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def main():
    with Tree() as t:
        state = t.mkdir("state", 0o700)
        t.write("state/quarantine/q-1/image/implant", EICAR)
        t.write("state/journal.jsonl", EICAR + b"\n")
        t.write("state/rasoat.db-wal", EICAR)
        t.write("state/notes.txt", EICAR)         # not rasoat's: still found
        t.write("elsewhere/implant", EICAR)
        db = os.path.join(state, "rasoat.db")
        code, out, err = run("hunt", t.path, "--db", db, "--format", "jsonl", "-q", "--fail-on", "none",
                             "--no-trust-packages", timeout=300)
        check(code == 0, f"exit 0, got {code}: {err[-1500:]}")
        paths = sorted(f["evidence"]["path"] for f in findings(jsonl(out)))
        want = sorted([t.p("elsewhere/implant"), t.p("state/notes.txt")])
        check(paths == want, f"only the files outside rasoat's own state are found: {paths}")

        # another store directory: then this one's files are ordinary files again
        other = os.path.join(t.path, "other.db")
        code, out, err = run("hunt", state, "--db", other, "--format", "jsonl", "-q", "--fail-on", "none",
                             "--no-trust-packages", timeout=300)
        paths = {f["evidence"]["path"] for f in findings(jsonl(out))}
        check(t.p("state/quarantine/q-1/image/implant") in paths and t.p("state/journal.jsonl") in paths,
              f"the state of a store not in use is hunted like any file: {sorted(paths)}")
    done("test_hunt_own", 3)


if __name__ == "__main__":
    main()
