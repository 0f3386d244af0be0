"""The application ecosystems' version orderings against the ecosystems' own
tools: node-semver (npm's bundled copy, or `npm install semver` into a temp
dir), Python's packaging (Debian python3-packaging, run by /usr/bin/python3),
composer/semver (Debian php-composer-semver: VersionParser::normalize, then
version_compare), Maven's ComparableVersion (libmaven3-core-java, its main())
and Gem::Version (Debian ruby). Pairs: every adjacent pair of the vectors in
tests/fixtures/vuln/version-vectors/, pairs sampled from the vectors, and
pairs of versions generated at random (fixed seed) from each scheme's
pieces. rasoat's order comes from the unit-test executable test_version_eco
(--compare). A tool that is not installed prints a skip line for that
ecosystem only; any disagreement fails."""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from rasoat_e2e import fail, done  # noqa: E402

FIXTURES = os.environ.get("RS_FIXTURES") or os.path.join(os.path.dirname(__file__), "..", "fixtures")
HELPER = os.environ.get("RS_VERSION_ECO") or os.path.join(
    os.path.dirname(os.environ.get("RASOAT", "build/rasoat")), "tests", "test_version_eco")
rng = random.Random(14)


def vectors(name):
    out = []
    with open(os.path.join(FIXTURES, "vuln", "version-vectors", name + ".txt")) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            out.append(line[2:] if line.startswith("= ") else line)
    return out


def rasoat_order(scheme, pairs):
    text = "".join(f"{scheme}\t{a}\t{b}\n" for a, b in pairs)
    p = subprocess.run([HELPER, "--compare"], input=text, capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        fail(f"{HELPER} --compare exited {p.returncode}: {p.stderr[-2000:]}")
    got = p.stdout.split()
    if len(got) != len(pairs):
        fail(f"{HELPER} --compare answered {len(got)} lines for {len(pairs)} pairs")
    return [int(x) for x in got]


def pairs_of(versions, sampled=400):
    pairs = [(versions[i], versions[i + 1]) for i in range(len(versions) - 1)]
    pairs += [(rng.choice(versions), rng.choice(versions)) for _ in range(sampled)]
    return pairs


def compare(scheme, pairs, tool_order, tool):
    """TOOL_ORDER: the tool's -1/0/1 per pair, None for a pair the tool refuses."""
    keep = [(p, t) for p, t in zip(pairs, tool_order) if t is not None]
    ours = rasoat_order(scheme, [p for p, _ in keep])
    bad = [(p, t, o) for (p, t), o in zip(keep, ours) if t != o]
    for (a, b), t, o in bad[:20]:
        print(f"  {scheme}: {a!r} vs {b!r}: {tool} says {t}, rasoat {o}", file=sys.stderr)
    if bad:
        fail(f"{scheme}: {len(bad)} of {len(keep)} pairs ordered differently from {tool}")
    print(f"{scheme}: {len(keep)} pairs agree with {tool} ({len(pairs) - len(keep)} refused by the tool)")
    return len(keep)


# ---- generators of random versions, from each scheme's pieces ----

def gen_semver():
    v = f"{rng.choice([0, 1, 2, 10])}.{rng.choice([0, 1, 9, 10])}.{rng.choice([0, 1, 2, 11])}"
    if rng.random() < 0.6:
        ids = [rng.choice(["alpha", "beta", "rc", "0", "1", "2", "10", "a-b", "x", "A", "1a", "-", "alpha1"])
               for _ in range(rng.randint(1, 3))]
        v += "-" + ".".join(ids)
    if rng.random() < 0.2:
        v += "+" + rng.choice(["build.1", "incompatible", "sha.0abc"])
    return ("v" if rng.random() < 0.1 else "") + v


def gen_pep440():
    sep = lambda: rng.choice(["", ".", "-", "_"])  # noqa: E731
    v = ".".join(str(rng.choice([0, 1, 2, 10, 0])) for _ in range(rng.randint(1, 4)))
    if rng.random() < 0.15:
        v = f"{rng.randint(0, 2)}!" + v
    if rng.random() < 0.4:
        v += sep() + rng.choice(["a", "b", "rc", "c", "alpha", "beta", "pre", "preview", "A", "RC"]) + \
            rng.choice(["", sep() + str(rng.randint(0, 3))])
    if rng.random() < 0.3:
        v += rng.choice([f"-{rng.randint(0, 3)}", sep() + rng.choice(["post", "r", "rev"]) +
                         rng.choice(["", sep() + str(rng.randint(0, 3))])])
    if rng.random() < 0.3:
        v += sep() + "dev" + rng.choice(["", str(rng.randint(0, 3))])
    if rng.random() < 0.2:
        v += "+" + rng.choice([".", "-", "_"]).join(rng.choice(["abc", "1", "01", "ubuntu", "2"])
                                                   for _ in range(rng.randint(1, 3)))
    if rng.random() < 0.08:
        v += rng.choice(["-", "..", "+", "x", " 1", "a-", ".dev.", "--1", "a--1", "_"])  # odd or malformed on purpose
    return v


def gen_maven():
    words = ["1", "0", "2", "10", "01", "alpha", "a", "b", "m", "beta", "rc", "cr", "snapshot", "SNAPSHOT",
             "ga", "final", "sp", "abc", "release", "milestone", "x"]
    v = str(rng.randint(0, 3))
    for _ in range(rng.randint(0, 4)):
        v += rng.choice([".", "-", "", ""]) + rng.choice(words)
    return v


def gen_composer():
    v = ("v" if rng.random() < 0.1 else "") + ".".join(str(rng.choice([0, 1, 2, 10]))
                                                     for _ in range(rng.randint(1, 4)))
    if rng.random() < 0.5:
        v += rng.choice(["", "-", ".", "_"]) + rng.choice(
            ["alpha", "a", "beta", "b", "RC", "rc", "patch", "pl", "p", "stable", "BETA"]) + \
            rng.choice(["", "1", ".2", "-3", "1.2"])
    if rng.random() < 0.2:
        v += rng.choice(["-dev", ".dev", "dev"])
    if rng.random() < 0.05:
        v += rng.choice(["-gamma", "..", "+build", "@beta", "@dev", " as 9.0", ".x-dev", ".*-dev", "-", "."])
    if rng.random() < 0.05:
        v = rng.choice(["2023.01.15", "2023-01-15-beta2", "20230115", "202301151230", "2023.1.15", "dev-main",
                        "master", "1.x-dev", "v2.3.X-dev", "123456.1", "1.2.3.4.5"])
    return v


def gen_rubygems():
    v = str(rng.randint(0, 2))
    for _ in range(rng.randint(0, 4)):
        v += "." + rng.choice(["0", "1", "2", "10", "a", "b", "pre", "rc1", "beta2", "A", "0a"])
    if rng.random() < 0.15:
        v += "-" + rng.choice(["1", "pre", "rc.1", "x-y"])
    return v


def generated(gen, n=300):
    return [gen() for _ in range(n)]


def gen_pairs(gen):
    vs = generated(gen)
    return [(rng.choice(vs), rng.choice(vs)) for _ in range(600)]


# ---- the tools ----

def run_tool(cmd, text, what):
    p = subprocess.run(cmd, input=text, capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        fail(f"{what} exited {p.returncode}: {p.stderr[-2000:]}")
    return p.stdout.splitlines()


def node_semver_dir(tmp):
    """A directory whose node_modules holds node-semver, or None."""
    if not shutil.which("node"):
        return None
    npm_root = subprocess.run(["npm", "root", "-g"], capture_output=True, text=True).stdout.strip() \
        if shutil.which("npm") else ""
    for cand in [os.path.join(npm_root, "npm", "node_modules", "semver")]:
        if npm_root and os.path.exists(os.path.join(cand, "package.json")):
            return cand
    if shutil.which("npm"):
        p = subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", tmp, "semver"],
                           capture_output=True, text=True, timeout=180)
        cand = os.path.join(tmp, "node_modules", "semver")
        if p.returncode == 0 and os.path.exists(cand):
            return cand
    return None


NODE_SCRIPT = r"""
const semver = require(process.argv[1]);
const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter(l => l.length);
for (const l of lines) {
  const [a, b] = l.split('\t');
  if (semver.valid(a) === null || semver.valid(b) === null) { console.log('x'); continue; }
  console.log(String(semver.compare(a, b)));
}
"""

PY_SCRIPT = r"""
import sys
from packaging.version import Version, InvalidVersion
def parse(s):
    try:
        return Version(s)
    except InvalidVersion:
        return None
for line in sys.stdin:
    line = line.rstrip("\n")
    if line.startswith("V\t"):
        print("1" if parse(line[2:]) is not None else "0")
        continue
    a, b = line.split("\t")
    x, y = parse(a), parse(b)
    print("x" if x is None or y is None else (-1 if x < y else 1 if x > y else 0))
"""

PHP_SCRIPT = r"""<?php
require '/usr/share/php/Composer/Semver/autoload.php';
$p = new Composer\Semver\VersionParser();
function norm($p, $v) { try { $n = $p->normalize($v); } catch (Exception $e) { return null; }
  return strpos($n, 'dev-') === 0 ? null : $n; }
while (($line = fgets(STDIN)) !== false) {
  $line = rtrim($line, "\n");
  if (substr($line, 0, 2) === "N\t") { $n = norm($p, substr($line, 2)); echo $n === null ? "!" : $n, "\n"; continue; }
  list($a, $b) = explode("\t", $line);
  $x = norm($p, $a); $y = norm($p, $b);
  echo ($x === null || $y === null) ? "x" : version_compare($x, $y), "\n";
}
"""

RUBY_SCRIPT = r"""
STDIN.each_line do |line|
  a, b = line.chomp.split("\t", 2)
  if !Gem::Version.correct?(a) || !Gem::Version.correct?(b) then puts "x"; next end
  puts(Gem::Version.new(a) <=> Gem::Version.new(b))
end
"""


def order_list(out):
    return [None if x == "x" else int(x) for x in out]


def check_semver(tmp):
    mod = node_semver_dir(tmp)
    if not mod:
        print("semver: skipped (node-semver is not installed and npm cannot fetch it)")
        return 0
    pairs = pairs_of(vectors("semver")) + gen_pairs(gen_semver)
    text = "".join(f"{a}\t{b}\n" for a, b in pairs)
    out = run_tool(["node", "-e", NODE_SCRIPT, mod], text, "node-semver")
    return compare("semver", pairs, order_list(out), "node-semver " + json.load(
        open(os.path.join(mod, "package.json")))["version"])


def check_pep440():
    py = "/usr/bin/python3"
    if not os.path.exists(py) or subprocess.run([py, "-c", "import packaging.version"],
                                                capture_output=True).returncode != 0:
        print("pep440: skipped (python3-packaging is not installed: scripts/deps.sh test)")
        return 0
    gen = generated(gen_pep440, 400)
    pairs = pairs_of(vectors("pep440")) + [(rng.choice(gen), rng.choice(gen)) for _ in range(600)]
    text = "".join(f"{a}\t{b}\n" for a, b in pairs)
    out = run_tool([py, "-c", PY_SCRIPT], text, "packaging")
    n = compare("pep440", pairs, order_list(out), "packaging")
    # validity: packaging accepts exactly what rasoat accepts
    allv = vectors("pep440") + gen
    acc = run_tool([py, "-c", PY_SCRIPT], "".join(f"V\t{v}\n" for v in allv), "packaging")
    p = subprocess.run([HELPER, "--valid", "pep440"], input="".join(v + "\n" for v in allv),
                       capture_output=True, text=True, timeout=60)
    ours = p.stdout.splitlines()
    bad = [v for v, a, o in zip(allv, acc, ours) if a != o]
    if len(ours) != len(allv):
        fail("pep440: the helper did not answer every line")
    if bad:
        fail(f"pep440: packaging and rasoat disagree on validity of {bad[:10]}")
    print(f"pep440: {len(allv)} strings accepted or refused alike")
    return n


def check_composer():
    if not shutil.which("php") or not os.path.exists("/usr/share/php/Composer/Semver/VersionParser.php"):
        print("composer: skipped (php-composer-semver is not installed: scripts/deps.sh test)")
        return 0
    gen = generated(gen_composer, 400)
    pairs = pairs_of(vectors("composer")) + [(rng.choice(gen), rng.choice(gen)) for _ in range(600)]
    with tempfile.NamedTemporaryFile("w", suffix=".php", delete=False) as f:
        f.write(PHP_SCRIPT)
    try:
        out = run_tool(["php", f.name], "".join(f"{a}\t{b}\n" for a, b in pairs), "composer/semver")
        n = compare("composer", pairs, order_list(out), "composer/semver")
        allv = vectors("composer") + gen
        theirs = run_tool(["php", f.name], "".join(f"N\t{v}\n" for v in allv), "composer/semver")
    finally:
        os.unlink(f.name)
    p = subprocess.run([HELPER, "--normalize-composer"], input="".join(v + "\n" for v in allv),
                       capture_output=True, text=True, timeout=60)
    ours = p.stdout.splitlines()
    bad = [(v, t, o) for v, t, o in zip(allv, theirs, ours) if t != o]
    for v, t, o in bad[:20]:
        print(f"  composer: normalize({v!r}): composer/semver {t!r}, rasoat {o!r}", file=sys.stderr)
    if bad or len(ours) != len(allv):
        fail(f"composer: {len(bad)} of {len(allv)} normalised forms differ")
    print(f"composer: {len(allv)} normalised forms equal to VersionParser::normalize")
    return n


def check_maven():
    jar = "/usr/share/java/maven-artifact-3.x.jar"
    if not shutil.which("java") or not os.path.exists(jar):
        print("maven: skipped (libmaven3-core-java or a JRE is not installed: scripts/deps.sh test)")
        return 0
    # ComparableVersion's main() compares each argument with the next
    seq = vectors("maven")
    vs = seq + generated(gen_maven, 300)
    seq += [rng.choice(vs) for _ in range(800)]
    p = subprocess.run(["java", "-cp", jar, "org.apache.maven.artifact.versioning.ComparableVersion", *seq],
                       capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        fail(f"ComparableVersion exited {p.returncode}: {p.stderr[-2000:]}")
    rel = [l for l in p.stdout.splitlines() if l.startswith("   ")]
    if len(rel) != len(seq) - 1:
        fail(f"ComparableVersion printed {len(rel)} comparisons for {len(seq) - 1} pairs")
    order = []
    for (a, b), line in zip(zip(seq, seq[1:]), rel):
        op = line[3 + len(a):].split(" ", 2)[1]
        order.append({"<": -1, "==": 0, ">": 1}[op])
    return compare("maven", list(zip(seq, seq[1:])), order, "Maven ComparableVersion")


def check_rubygems():
    if not shutil.which("ruby"):
        print("rubygems: skipped (ruby is not installed: scripts/deps.sh test)")
        return 0
    gen = generated(gen_rubygems, 300)
    pairs = pairs_of(vectors("rubygems")) + [(rng.choice(gen), rng.choice(gen)) for _ in range(600)]
    out = run_tool(["ruby", "-e", RUBY_SCRIPT], "".join(f"{a}\t{b}\n" for a, b in pairs), "Gem::Version")
    return compare("rubygems", pairs, order_list(out), "Gem::Version")


def main():
    if not os.path.exists(HELPER):
        fail(f"{HELPER} is missing: build the unit tests (test_version_eco)")
    tmp = tempfile.mkdtemp(prefix="rs-version-eco-")
    # RS_VERSION_ECO_ROUNDS=N repeats with N seeds (a deeper run by hand; CI runs one)
    rounds = int(os.environ.get("RS_VERSION_ECO_ROUNDS", "1"))
    total = 0
    try:
        for r in range(rounds):
            for check_one in (check_semver, check_pep440, check_composer, check_maven, check_rubygems):
                rng.seed(f"{check_one.__name__}-{14 + r}")  # each ecosystem its own stream
                total += check_one(tmp) if check_one is check_semver else check_one()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    done("test_version_eco", total)


if __name__ == "__main__":
    main()
