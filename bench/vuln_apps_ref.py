"""An independent reference for bench/vuln.sh's application part (no
osv-scanner or Trivy installs here): Python 3 stdlib only, written apart
from rasoat's C code. It walks DIR for the declaring files the bench
generates (package-lock.json, *.dist-info/METADATA, composer.lock,
Cargo.lock, Gemfile.lock), reads the OSV folder or zip FEED (ECOSYSTEM and SEMVER
ranges, versions lists, withdrawn records skipped) and prints one line per
(ecosystem, package, version, declaring file, CVE or record id):
  ECOSYSTEM<TAB>NAME<TAB>VERSION<TAB>SOURCE<TAB>ID
with each ecosystem's ordering implemented here (SemVer 2.0, PEP 440,
Composer's normalisation + PHP version_compare for the shapes the bench
generates, Gem::Version). Usage: vuln_apps_ref.py DIR FEED [PREFIX]
(PREFIX is cut from the printed paths: the root rasoat was given)."""
import json
import os
import re
import sys
import zipfile

# ---- orderings ----


def semver_key(v):
    v = v.strip().lstrip("v").split("+", 1)[0]
    core, _, pre = v.partition("-")
    nums = tuple(int(x) for x in core.split("."))
    if not pre:
        return (nums, 1, ())
    ids = tuple((0, int(i), "") if i.isdigit() else (1, 0, i) for i in pre.split("."))
    return (nums, 0, ids)


PEP440 = re.compile(r"^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d+)?)?"
                    r"(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$",
                    re.I)
INF, NINF = (1, ), (-1, )


def pep440_key(v):
    m = PEP440.match(v.strip())
    if not m:
        return None
    epoch, rel, pl, pn, post1, postl, post2, dev, devn, local = m.groups()
    release = [int(x) for x in rel.split(".")]
    while release and release[-1] == 0:
        release.pop()
    pre = None
    if pl:
        pl = pl.lower()
        pre = ({"alpha": "a", "beta": "b", "c": "rc", "pre": "rc", "preview": "rc"}.get(pl, pl), int(pn or 0))
    post = int(post1) if post1 is not None else (int(post2 or 0) if postl else None)
    devv = int(devn or 0) if dev else None
    if pre is None and post is None and devv is not None:
        k_pre = (0, "", 0)
    elif pre is None:
        k_pre = (2, "", 0)
    else:
        k_pre = (1, pre[0], pre[1])
    k_post = (0, 0) if post is None else (1, post)
    k_dev = (1, 0) if devv is None else (0, devv)
    k_local = () if local is None else tuple((1, int(p), "") if p.isdigit() else (0, 0, p.lower())
                                             for p in re.split(r"[-_.]", local))
    return (int(epoch or 0), tuple(release), k_pre, k_post, k_dev, (0 if local is None else 1, k_local))


def pep440_cmp(a, b):
    x, y = pep440_key(a), pep440_key(b)
    return (x > y) - (x < y)


COMPOSER = re.compile(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(?:[-_.]?(beta|b|rc|alpha|a|patch|pl|p)[-.]?(\d+)?)?$", re.I)
STAB = {"alpha": 1, "a": 1, "beta": 2, "b": 2, "rc": 3, "patch": 5, "pl": 5, "p": 5}


def composer_key(v):
    m = COMPOSER.match(v.strip())
    if not m:
        return None
    nums = tuple(int(x or 0) for x in m.groups()[:4])
    if not m.group(5):
        return (nums, 4, 0)
    return (nums, STAB[m.group(5).lower()], int(m.group(6) or 0))


def gem_segments(v):
    v = v.strip().replace("-", ".pre.")
    segs = [int(s) if s.isdigit() else s for s in re.findall(r"[0-9]+|[a-zA-Z]+", v)]
    first = next((i for i, s in enumerate(segs) if isinstance(s, str)), len(segs))
    num, rest = segs[:first], segs[first:]
    while num and num[-1] == 0:
        num.pop()
    while rest and rest[-1] == 0:
        rest.pop()
    return num + rest


def gem_cmp(a, b):
    x, y = gem_segments(a), gem_segments(b)
    for i in range(max(len(x), len(y))):
        l = x[i] if i < len(x) else 0
        r = y[i] if i < len(y) else 0
        if l == r:
            continue
        if isinstance(l, str) != isinstance(r, str):
            return -1 if isinstance(l, str) else 1
        return -1 if l < r else 1
    return 0


def key_cmp(keyf):
    def cmp(a, b):
        x, y = keyf(a), keyf(b)
        return (x > y) - (x < y)
    return cmp


CMP = {"npm": key_cmp(semver_key), "crates.io": key_cmp(semver_key), "PyPI": pep440_cmp,
       "Packagist": key_cmp(composer_key), "RubyGems": gem_cmp}


def norm(eco, name):
    if eco == "PyPI":
        return re.sub(r"[-_.]+", "-", name).lower()
    if eco == "Packagist":
        return name.lower()
    return name

# ---- the inventory ----


def inventory(top):
    out = []  # (eco, name, version, source)
    for d, dirs, files in os.walk(top):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(d, f)
            if f == "package-lock.json":
                doc = json.load(open(p))
                for k, v in doc.get("packages", {}).items():
                    if k.startswith("node_modules/") and "version" in v:
                        out.append(("npm", k.rsplit("node_modules/", 1)[1], v["version"], p))
            elif f == "METADATA" and d.endswith(".dist-info"):
                name = ver = None
                for line in open(p):
                    if not line.strip():
                        break
                    if line.startswith("Name:"):
                        name = line[5:].strip()
                    elif line.startswith("Version:"):
                        ver = line[8:].strip()
                if name and ver:
                    out.append(("PyPI", norm("PyPI", name), ver, p))
            elif f == "composer.lock":
                doc = json.load(open(p))
                for v in doc.get("packages", []) + doc.get("packages-dev", []):
                    out.append(("Packagist", v["name"], v["version"], p))
            elif f == "Cargo.lock":
                for m in re.finditer(r'\[\[package\]\]\nname = "([^"]+)"\nversion = "([^"]+)"\nsource = "registry', open(p).read()):
                    out.append(("crates.io", m.group(1), m.group(2), p))
            elif f == "Gemfile.lock":
                for m in re.finditer(r"^    ([^ ]+) \(([^)]+)\)$", open(p).read(), re.M):
                    out.append(("RubyGems", m.group(1), m.group(2), p))
    return out

# ---- the records ----


def feed_docs(feed):
    """The records of an OSV folder or zip (as osv.dev publishes them)."""
    if feed.endswith(".zip"):
        with zipfile.ZipFile(feed) as z:
            for n in z.namelist():
                if n.endswith(".json"):
                    yield json.loads(z.read(n))
        return
    for d, dirs, files in os.walk(feed):
        for f in files:
            if f.endswith(".json"):
                yield json.load(open(os.path.join(d, f)))


def records(feed):
    idx = {}
    for rec in feed_docs(feed):
            if rec.get("withdrawn"):
                continue
            ids = [a for a in [rec["id"]] + rec.get("aliases", []) if a.startswith("CVE-")] or [rec["id"]]
            for aff in rec.get("affected", []):
                eco, name = aff["package"]["ecosystem"], aff["package"]["name"]
                ranges = []
                for v in aff.get("versions", []):
                    ranges.append((v, None, v))
                for r in aff.get("ranges", []):
                    if r["type"] not in ("ECOSYSTEM", "SEMVER"):
                        continue
                    intro = None
                    for ev in r["events"]:
                        if "introduced" in ev:
                            intro = ev["introduced"]
                        elif "fixed" in ev or "last_affected" in ev:
                            ranges.append((intro or "0", ev.get("fixed"), ev.get("last_affected")))
                            intro = None
                    if intro is not None:
                        ranges.append((intro, None, None))
                idx.setdefault((eco, norm(eco, name)), []).append((ids, ranges))
    return idx


def affected(cmp, v, intro, fixed, last):
    if intro != "0" and cmp(v, intro) < 0:
        return False
    if fixed is not None:
        return cmp(v, fixed) < 0
    if last is not None:
        return cmp(v, last) <= 0
    return True


def main():
    top, feed = sys.argv[1], sys.argv[2]
    prefix = sys.argv[3] if len(sys.argv) > 3 else ""
    idx = records(feed)
    seen = set()
    for eco, name, ver, src in inventory(top):
        cmp = CMP[eco]
        for ids, ranges in idx.get((eco, norm(eco, name)), []):
            if any(affected(cmp, ver, *r) for r in ranges):
                for i in ids:
                    key = (eco, norm(eco, name), ver, src[len(prefix):] if src.startswith(prefix) else src, i)
                    if key not in seen:
                        seen.add(key)
                        print("\t".join(key))


main()
