"""Generates the data of bench/vuln.sh's application part: under ROOT/srv,
APPS applications (npm package-lock.json, Python site-packages *.dist-info,
composer.lock, Cargo.lock, Gemfile.lock) whose libraries come from a pool of
names per ecosystem, and under FEED an OSV folder of RECORDS records over
the same names (SEMVER and ECOSYSTEM ranges, some with two segments, some
versions lists, CVE aliases, a few withdrawn). Fixed seed: the same data on
every run. Usage: vuln_apps_gen.py ROOT FEED [APPS] [RECORDS]"""
import json
import os
import random
import sys

root, feed = sys.argv[1], sys.argv[2]
n_apps = int(sys.argv[3]) if len(sys.argv) > 3 else 400
n_records = int(sys.argv[4]) if len(sys.argv) > 4 else 20000
rng = random.Random(2026)
POOL = 3000


def ver3():
    return f"{rng.randint(0, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 30)}"


def version(eco):
    v = ver3()
    r = rng.random()
    if eco in ("npm", "crates.io"):
        return v + (rng.choice(["-alpha.1", "-beta.2", "-rc.1"]) if r < 0.05 else "")
    if eco == "PyPI":
        return v + (rng.choice(["a1", "b2", "rc1", ".post1", ".dev3"]) if r < 0.05 else "")
    if eco == "Packagist":
        return ("v" if r < 0.5 else "") + v + (rng.choice(["-beta1", "-RC2"]) if rng.random() < 0.05 else "")
    return v + (rng.choice([".rc1", ".beta2"]) if r < 0.05 else "")  # RubyGems


names = {
    "npm": [f"lib{i}" if i % 3 else f"@scope{i % 50}/pkg{i}" for i in range(POOL)],
    "PyPI": [f"py_lib-{i}" for i in range(POOL)],
    "Packagist": [f"vendor{i % 100}/package{i}" for i in range(POOL)],
    "crates.io": [f"crate-{i}" for i in range(POOL)],
    "RubyGems": [f"gem{i}" for i in range(POOL)],
}


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


for a in range(n_apps):
    kind = ["npm", "PyPI", "Packagist", "crates.io", "RubyGems"][a % 5]
    app = os.path.join(root, "srv", f"app{a:04d}")
    libs = {rng.choice(names[kind]): version(kind) for _ in range(rng.randint(40, 160))}
    if kind == "npm":
        pk = {"": {"name": f"app{a}", "version": "1.0.0"}}
        for n, v in libs.items():
            pk[f"node_modules/{n}"] = {"version": v}
        write(os.path.join(app, "package-lock.json"),
              json.dumps({"name": f"app{a}", "lockfileVersion": 3, "requires": True, "packages": pk}, indent=2))
    elif kind == "PyPI":
        for n, v in libs.items():
            d = os.path.join(app, "venv", "lib", "python3.11", "site-packages", f"{n.replace('-', '_')}-{v}.dist-info")
            write(os.path.join(d, "METADATA"), f"Metadata-Version: 2.1\nName: {n}\nVersion: {v}\n\n")
    elif kind == "Packagist":
        write(os.path.join(app, "composer.lock"), json.dumps(
            {"packages": [{"name": n, "version": v} for n, v in libs.items()], "packages-dev": []}, indent=4))
    elif kind == "crates.io":
        text = "version = 3\n\n" + "".join(
            f'[[package]]\nname = "{n}"\nversion = "{v}"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n\n'
            for n, v in libs.items())
        write(os.path.join(app, "Cargo.lock"), text)
    else:
        text = "GEM\n  remote: https://rubygems.org/\n  specs:\n" + "".join(
            f"    {n} ({v})\n" for n, v in libs.items()) + "\nPLATFORMS\n  ruby\n"
        write(os.path.join(app, "Gemfile.lock"), text)

os.makedirs(feed, exist_ok=True)
for i in range(n_records):
    eco = ["npm", "PyPI", "Packagist", "crates.io", "RubyGems"][i % 5]
    name = rng.choice(names[eco])
    a, b = sorted([ver3(), ver3()], key=lambda v: tuple(int(x) for x in v.split(".")))
    rtype = "SEMVER" if eco in ("npm", "crates.io") else "ECOSYSTEM"
    events = [{"introduced": "0" if rng.random() < 0.3 else a}]
    r = rng.random()
    if r < 0.7:
        events.append({"fixed": b})
    elif r < 0.85:
        events.append({"last_affected": b})
    if rng.random() < 0.2 and "fixed" in events[-1]:
        events += [{"introduced": f"{int(b.split('.')[0]) + 1}.0.0"}, {"fixed": f"{int(b.split('.')[0]) + 1}.2.0"}]
    aff = {"package": {"ecosystem": eco, "name": name}, "ranges": [{"type": rtype, "events": events}]}
    if rng.random() < 0.1:
        aff["versions"] = [ver3() for _ in range(3)]
    rec = {"id": f"BENCH-{i:06d}", "summary": f"generated record {i}", "affected": [aff]}
    if rng.random() < 0.8:
        rec["aliases"] = [f"CVE-2099-{i:06d}"]
    if rng.random() < 0.02:
        rec["withdrawn"] = "2099-01-01T00:00:00Z"
    d = os.path.join(feed, eco, f"{i // 1000:03d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, rec["id"] + ".json"), "w") as f:
        json.dump(rec, f)
