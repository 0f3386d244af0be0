"""rasoat rootkit on this live host, for the blind spots closed last:

- a library loaded from memory: a test program built here (data/memfdload.c)
  copies a harmless shared object into a memfd and dlopens it through
  /proc/self/fd/N; rasoat reports it (rasoat:process.memfd_library, high,
  T1620 and T1574.006, with the mapping to copy it from). Its look-alikes: the
  same bytes mapped readable only (not reported) and non-ELF bytes mapped
  executable from a memfd, a JIT's double mapping (low at most);
- a socket hidden by a userland rootkit inside rasoat: run under
  LD_PRELOAD of data/hidepid.c with RS_HIDE_PORT, which drops a listener's
  port from fopen of /proc/net/tcp and makes bind() on it "succeed",
  rasoat names the socket as hidden from libc (rasoat:rootkit.libc_hidden_socket,
  critical) and does not blame the kernel for it (no rasoat:rootkit.hidden_port):
  its own listings and bind probes are raw system calls.
Besides the test's own processes and port, this host gives nothing from
these checks at high or above (one run: the port sweep is the slow part)."""
import os
import socket
import subprocess
import sys
import tempfile
import shutil

from rasoat_e2e import check, done, findings, jsonl, run
import rklib

checks = 0
SEV = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
HERE = os.path.dirname(os.path.abspath(__file__))


def ok(cond, message):
    global checks
    check(cond, message)
    checks += 1


def rootkit(env=None):
    code, out, err = run("rootkit", "--no-db", "--format", "jsonl", "-q", "--fail-on", "none", env=env,
                         timeout=180)
    ok(code == 0, f"rasoat exited {code}: {err[-2000:]}")
    return findings(jsonl(out)), err


if os.geteuid() != 0:
    print("test_depth_gaps_live: 0 passed, 0 failed, 1 skipped (needs root to read every process's maps)")
    sys.exit(0)
cc = rklib.compiler()
if not cc:
    print("test_depth_gaps_live: 0 passed, 0 failed, 1 skipped (no C compiler (cc) to build the test programs)")
    sys.exit(0)

work = tempfile.mkdtemp(prefix="rasoat-depth-")
procs = []
listener = None
try:
    hide, clean = rklib.build(work)
    loader = os.path.join(work, "memfdload")
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    subprocess.run([cc, "-O1", "-o", loader, os.path.join(HERE, "data", "memfdload.c"), "-ldl"], check=True,
                   env=env, capture_output=True)
    pids = {}
    for mode, arg in (("lib", clean), ("data", clean), ("jit", None)):
        p = subprocess.Popen([loader, mode] + ([arg] if arg else []), stdout=subprocess.PIPE, env=env)
        procs.append(p)
        line = p.stdout.readline().decode().strip()
        ok(line == "ready", f"memfdload {mode} did not start: {line!r}")
        pids[mode] = p.pid

    # --- the library loaded from a memfd, and a socket hidden from libc inside rasoat ---
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    fs, err = rootkit(dict(env, LD_PRELOAD=hide, RS_HIDE_PORT=str(port)))
    mem = {f["evidence"].get("pid"): f for f in fs if f["rule"] == "rasoat:process.memfd_library"}
    f = mem.get(pids["lib"])
    ok(f is not None, f"the library loaded from a memfd is not reported: {list(mem.values())}")
    if f:
        ok(f["severity"] == "high", f"severity {f['severity']}: {f['title']}")
        ok("T1620" in f["attack"] and "T1574.006" in f["attack"], f"ATT&CK {f['attack']}")
        ok(f["evidence"].get("library") == "/memfd:rs-test-lib (deleted)", f"library {f['evidence']}")
        ok(f["evidence"].get("content") == "elf", f"content {f['evidence']}")
        ok(f.get("remediation") and "map_files" in f["remediation"], f"remediation {f.get('remediation')}")
        rng = f["evidence"].get("mapping", "")
        ok(os.path.exists(f"/proc/{pids['lib']}/map_files/{rng}"), f"the mapping to copy from: {rng}")
    ok(pids["data"] not in mem, f"a memfd mapped as data is reported: {mem.get(pids['data'])}")
    j = mem.get(pids["jit"])
    ok(j is None or SEV[j["severity"]] <= SEV["low"], f"a JIT double mapping at {j and j['severity']}: {j}")
    ok(j is None or j["evidence"].get("content") == "other", f"JIT content: {j}")

    hidden = [f for f in fs if f["rule"] == "rasoat:rootkit.libc_hidden_socket"]
    mine = [f for f in hidden if f["evidence"].get("port") == port]
    ok(len(mine) == 1 and mine[0]["severity"] == "critical",
       f"the socket hidden from libc is not named: {[f['title'] for f in hidden]}")
    ok(all(f["evidence"].get("port") == port for f in hidden), f"other sockets named: {[f['title'] for f in hidden]}")
    ok(not [f for f in fs if f["rule"] == "rasoat:rootkit.hidden_port" and f["evidence"].get("port") == port],
       "a userland hook was blamed on the kernel (hidden_port)")
    ok("hidden from libc's reads of /proc/net" in err, f"not said on stderr: {err[-800:]}")

    # --- the rest of this host, in the same run: nothing from these checks at high or above ---
    for f in fs:
        if f["evidence"].get("pid") in pids.values() or f["evidence"].get("port") == port:
            continue
        if f["rule"] in ("rasoat:process.memfd_library", "rasoat:rootkit.libc_hidden_socket",
                         "rasoat:rootkit.hidden_port"):
            ok(SEV[f["severity"]] < SEV["high"], f"this host: {f['rule']} at {f['severity']}: {f['title']}")
finally:
    for p in procs:
        p.kill()
        p.wait()
    if listener:
        listener.close()
    shutil.rmtree(work, ignore_errors=True)

done("test_depth_gaps_live", checks)
