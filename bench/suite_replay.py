#!/usr/bin/env python3
"""Replays a ctest log's test times through ctest's start order (docs/
BENCHMARKS.md, the test suite section): what a change of COSTs or locks
would have done to that run, if every test took as long as it did there
(a different -j changes how long tests take on busy cores, so -j N
replays only the slots, not the contention).
Reads the tests and their properties from the build tree in the current
directory (`ctest --show-only=json-v1`, the same selection ARGS as the run),
the times from LOG (a `make test` or ctest output with its "Start" and
"... sec" lines; the first ctest run in it, fuzz targets excluded by the
usual -E '^fuzz/'). Order as ctest's: the tests others depend on first
(fixture setups and DEPENDS targets, in levels: the deepest first), each group by COST,
highest first, then the test's number; a test starts when its fixtures' setup tests and its DEPENDS are done, no running
test holds its RESOURCE_LOCK and its PROCESSORS fit in the free slots
(else the next one in the order that fits starts: a test counting for two
slots waits while one-slot tests keep filling the third).
Prints the replayed end of the run and, for the log's own order, the end
the log's Start/Passed lines give (they should agree).
Usage: cd build-test && python3 ../bench/suite_replay.py LOG [-j N] [ctest selection args...]"""
import heapq
import json
import re
import subprocess
import sys


def log_times(path):
    """{test: (start, end)} rebuilt from the order of Start and result lines."""
    now, start, end = 0.0, {}, {}
    with open(path, errors="replace") as f:
        for line in f:
            if "Total Test time" in line:
                break
            m = re.search(r"Start +\d+: (\S+)", line)
            if m:
                start[m.group(1)] = now
                continue
            m = re.search(r"Test +#\d+: (\S+) .*?([\d.]+) sec$", line.rstrip())
            if m and m.group(1) in start:
                end[m.group(1)] = start[m.group(1)] + float(m.group(2))
                now = max(now, end[m.group(1)])
    return {n: (start[n], end[n]) for n in end}


def start_order(tests, setups, users):
    """ctest's list (cmCTestMultiProcessHandler): the tests others depend on
    (fixture setups; a cleanup depends on the fixture's users) in levels,
    the deepest level first, each by COST; then the rest by COST."""
    by_name = {t["name"]: t for t in tests}

    def deps(t):
        d = {s for fx in t["req"] for s in setups.get(fx, [])}
        for fx in t["cleanup"]:
            d |= set(users.get(fx, [])) | set(setups.get(fx, []))
        d |= {n for n in t["depends"] if n in by_name}
        return d - {t["name"]}

    levels = [set(by_name)]
    while levels[-1]:
        cur = set()
        for n in levels[-1]:
            cur |= deps(by_name[n])
        levels[-1] -= cur
        levels.append(cur)
    levels.pop()
    order = []
    for level in reversed(levels):
        order += sorted((by_name[n] for n in level), key=lambda t: (-t["cost"], t["idx"]))
    return order


def replay(tests, dur, jobs):
    setups, users = {}, {}
    for t in tests:
        for fx in t["setup"]:
            setups.setdefault(fx, []).append(t["name"])
        for fx in t["req"]:
            users.setdefault(fx, []).append(t["name"])
    pending = start_order(tests, setups, users)
    names = {t["name"] for t in tests}
    running, done, locks, free, now = [], set(), set(), jobs, 0.0

    def ready(t):
        return (not any(lk in locks for lk in t["lock"])
                and all(s in done for fx in t["req"] for s in setups.get(fx, []))
                and all(u in done for fx in t["cleanup"] for u in users.get(fx, []))
                and all(n in done for n in t["depends"] if n in names)
                and min(t["procs"], jobs) <= free)

    while pending or running:
        t = next((t for t in pending if ready(t)), None)
        if t is not None:
            pending.remove(t)
            free -= min(t["procs"], jobs)
            locks.update(t["lock"])
            heapq.heappush(running, (now + dur.get(t["name"], 0.0), t["idx"], t))
            continue
        if not running:
            sys.exit("suite_replay: a test can never start (a fixture or lock missing?)")
        now, _, t = heapq.heappop(running)
        done.add(t["name"])
        free += min(t["procs"], jobs)
        locks.difference_update(t["lock"])
    return now


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    log, jobs = args.pop(0), 3
    if args[:1] == ["-j"]:
        jobs = int(args[1])
        args = args[2:]
    sel = args or ["-E", "^fuzz/"]
    shown = json.loads(subprocess.run(["ctest", "--show-only=json-v1", *sel], capture_output=True,
                                      text=True, check=True).stdout)
    tests = []
    for i, t in enumerate(shown["tests"]):
        p = {x["name"]: x["value"] for x in t.get("properties", [])}
        tests.append({"name": t["name"], "idx": i, "cost": p.get("COST", 0.0), "lock": p.get("RESOURCE_LOCK", []),
                      "req": p.get("FIXTURES_REQUIRED", []), "setup": p.get("FIXTURES_SETUP", []),
                      "cleanup": p.get("FIXTURES_CLEANUP", []), "depends": p.get("DEPENDS", []),
                      "procs": p.get("PROCESSORS", 1)})
    times = log_times(log)
    dur = {n: e - s for n, (s, e) in times.items()}
    missing = [t["name"] for t in tests if t["name"] not in dur]
    if missing:
        print(f"suite_replay: {len(missing)} tests not in the log, taken as 0 s: {' '.join(missing[:8])}")
    print(f"the log's own run: {max(e for _, e in times.values()):.1f} s")
    print(f"replayed, -j{jobs}, this tree's order: {replay(tests, dur, jobs):.1f} s")


if __name__ == "__main__":
    main()
