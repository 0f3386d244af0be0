"""rasoat hunt with rules that test the first bytes and the size: each file
is scanned with its class's copy of the rule set (rules proven false for
the class dropped), and the findings are exactly the rules that hold for
each file — on the first run, which makes the copies, on a second run that
loads them from the rules cache, and inside an archive whose own bytes
match as well (and in a member of 2 MiB, marked at its end). The summary counts
the copies in use. A hunt of one small file with a fresh cache makes no
copy (its bytes do not earn back a compile) but caches the whole set."""
import io
import os
import tarfile

from rasoat_e2e import Tree, check, done, findings, jsonl, run, summary

RULES = r"""
rule Mz_Marker { strings: $a = "RS-CLASS-MARKER" condition: uint16(0) == 0x5a4d and $a }
rule Elf_Marker { strings: $a = "RS-CLASS-MARKER" condition: (uint32(0) == 0x464c457f) and $a }
rule Not_Mz_Marker { strings: $a = "RS-CLASS-MARKER" condition: uint16(0) != 0x5a4d and $a }
rule Small_Marker { strings: $a = "RS-CLASS-MARKER" condition: $a and filesize < 1MB }
rule Big_Marker { strings: $a = "RS-CLASS-MARKER" condition: filesize > 16MB and $a }
rule Either_Start { strings: $a = "RS-CLASS-MARKER" condition: (uint16(0) == 0x5a4d or uint32(0) == 0x464c457f) and $a }
rule Refers_Mz { condition: Mz_Marker and filesize < 100 }
rule Mz_Gate_1 { strings: $a = "RS-CLASS-NEVER-1" condition: uint16(0) == 0x5a4d and $a }
rule Mz_Gate_2 { strings: $a = "RS-CLASS-NEVER-2" condition: uint16(0) == 0x5a4d and $a }
rule Mz_Gate_3 { strings: $a = "RS-CLASS-NEVER-3" condition: uint16(0) == 0x5a4d and $a }
"""

MARK = b"RS-CLASS-MARKER"
MIB = 1024 * 1024

# file name -> (first bytes, size, the rules that must match)
FILES = {
    "small.exe": (b"MZ" + MARK, 64, {"Mz_Marker", "Small_Marker", "Either_Start", "Refers_Mz"}),
    "mid.exe": (b"MZ" + MARK, 2 * MIB, {"Mz_Marker", "Either_Start"}),
    "small.so": (b"\x7fELF" + MARK, 64, {"Elf_Marker", "Not_Mz_Marker", "Small_Marker", "Either_Start"}),
    "big.so": (b"\x7fELF" + MARK, 17 * MIB, {"Elf_Marker", "Not_Mz_Marker", "Big_Marker", "Either_Start"}),
    "notes.txt": (MARK, 100, {"Not_Mz_Marker", "Small_Marker"}),
    "big.txt": (b"xx" + MARK, 17 * MIB, {"Not_Mz_Marker", "Big_Marker"}),
    "empty": (b"", 0, set()),
}


def matched(lines):
    """(file name, rule) pairs of this test's rules, from the findings' evidence."""
    pairs = set()
    for f in findings(lines):
        path = f["evidence"].get("path", "")
        outer, _, member = path.partition("!")
        name = os.path.basename(outer) + ("!" + member if member else "")
        for m in f["evidence"].get("matches", []):
            rule = m["rule"].removeprefix("yara:")
            if rule in RULES:
                pairs.add((name, rule))
    return pairs


passed = 0
with Tree() as t:
    t.write("rules/gated.yar", RULES)
    want = set()
    for name, (head, size, rules) in FILES.items():
        p = t.p("data/" + name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(head)
            f.truncate(size)
        want |= {(name, r) for r in rules}
    # the same small ELF inside a tar archive
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        data = b"\x7fELF" + MARK + b"\0" * 40
        info = tarfile.TarInfo("inner.so")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with open(t.p("data/pack.tar"), "wb") as f:
        f.write(buf.getvalue())
    want |= {("pack.tar!inner.so", r) for r in ("Elf_Marker", "Not_Mz_Marker", "Small_Marker", "Either_Start")}
    # the archive's own bytes match too, and that does not stop its members being hunted
    want |= {("pack.tar", r) for r in ("Not_Mz_Marker", "Small_Marker")}
    # a member of 2 MiB whose marker is in its last bytes: read whole (the
    # member's buffer grows from 64 KiB as its bytes come, hunt/archive.c)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        data = b"\x7fELF" + b"\0" * (2 * MIB) + MARK
        info = tarfile.TarInfo("grown.so")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with open(t.p("data/grown.tar"), "wb") as f:
        f.write(buf.getvalue())
    want |= {("grown.tar!grown.so", r) for r in ("Elf_Marker", "Not_Mz_Marker", "Either_Start")}
    want |= {("grown.tar", "Not_Mz_Marker")}

    env = {**os.environ, "RASOAT_CACHE": t.p("cache")}
    for attempt in ("first run (makes the class copies)", "second run (copies from the cache)"):
        code, out, err = run("hunt", t.p("data"), "--rules", t.p("rules"), "--no-db", "--format", "jsonl",
                             "-q", "--fail-on", "none", env=env)
        lines = jsonl(out)
        got = matched(lines)
        check(code == 0, f"{attempt}: exit {code}: {err[-1000:]}")
        check(got == want, f"{attempt}: matches differ\n only found: {sorted(got - want)}\n"
                           f" missing: {sorted(want - got)}")
        hunt = summary(lines)["modules"]["hunt"]
        check(hunt["rules"]["class_sets"] >= 3, f"{attempt}: class copies in use: {hunt['rules']}")
        passed += 3
    made = sorted(n for n in os.listdir(t.p("cache")) if "-class" in n)
    check(any(n.endswith(".yarc") for n in made), f"class copies cached: {made}")
    passed += 1
    # a hunt of one small file with a fresh cache compiles the set once and
    # makes no class copy: 100 bytes do not earn back a compile
    small_env = {**os.environ, "RASOAT_CACHE": t.p("small-cache")}
    code, out, err = run("hunt", t.p("data/notes.txt"), "--rules", t.p("rules"), "--no-db", "--format", "jsonl",
                         "-q", "--fail-on", "none", env=small_env)
    lines = jsonl(out)
    check(code == 0 and matched(lines) == {("notes.txt", "Not_Mz_Marker"), ("notes.txt", "Small_Marker")},
          f"one small file: its matches ({code}: {err[-500:]})")
    hunt = summary(lines)["modules"]["hunt"]
    cached = sorted(os.listdir(t.p("small-cache")))
    check(hunt["rules"]["class_sets"] == 0 and not any("-class" in n for n in cached)
          and any(n.endswith(".yarc") for n in cached),
          f"one small file: the whole set compiled and cached, no class copy: {hunt['rules']}, {cached}")
    passed += 2
done("test_hunt_classes", passed)
