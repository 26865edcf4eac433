#!/usr/bin/env bash
# How long a normal request waits while hundreds of hostile local clients hold serve's connections
# (red-team review 4, F8). Each case runs against a fresh `serve` of a copy of this repository's site
# plus a 6 MB page (content/big.md, within every content limit):
#   a. N "stalled readers": each connects with a 2 KB receive buffer, sends a whole request for the
#      6 MB page, reads nothing, closes after 3 s and connects again (N = 64, 120, 300);
#   b. 1,500 "silent" clients: each connects, sends nothing, and connects again as soon as the server
#      closes it.
# Meanwhile a probe asks for /guides/ on a new connection every 0.5 s: its status and the time from
# connecting to the end of the answer. The attackers run in another process, so the probe's timings
# are not slowed by them. Only 127.0.0.1 is used; each case runs about 20 s.
# Usage: bash scripts/measure-serve-flood.sh [CASE...]      (cases: a64 a120 a300 b1500; all by default)
# SITE_BUILDER_BIN=path measures another build the same way (e.g. an older commit's release build).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${SITE_BUILDER_BIN:-target/release/site-builder}
[ -n "${SITE_BUILDER_BIN:-}" ] || cargo build --release -q -p site-builder --bin site-builder
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/site"
cp -r content templates site.toml "$work/site/"
python3 - "$work/site/content/big.md" <<'PY'
import sys
paragraph = "这是一段很长的正文，只用来测试本地服务器的负载。" * 40
with open(sys.argv[1], "w") as f:
    f.write("# 大页面\n\n" + "\n\n".join([paragraph] * 2100) + "\n")
PY
ulimit -n 16384 2>/dev/null || true
exec python3 - "$bin" "$work" "$@" <<'PY'
import os, socket, statistics, subprocess, sys, threading, time
binary, work, cases = sys.argv[1], sys.argv[2], sys.argv[3:] or ["a64", "a120", "a300", "b1500"]
site = f"{work}/site"

ATTACK = r'''
import socket, sys, threading, time
kind, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
count, stop, lock = [0], False, threading.Lock()
def stalled():
    head = f"GET /big/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    while not stop:
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
        try:
            s.connect(("127.0.0.1", port))
            s.sendall(head)
            with lock:
                count[0] += 1
            time.sleep(3)
        except OSError:
            time.sleep(0.05)
        finally:
            s.close()
def silent():
    while not stop:
        try:
            s = socket.create_connection(("127.0.0.1", port))
        except OSError:
            time.sleep(0.05)
            continue
        with lock:
            count[0] += 1
        s.settimeout(1)
        while not stop:
            try:
                if not s.recv(4096):
                    break
            except socket.timeout:
                pass
            except OSError:
                break
        s.close()
threads = [threading.Thread(target=stalled if kind == "a" else silent, daemon=True) for _ in range(n)]
for t in threads:
    t.start()
sys.stdin.read()
stop = True
print(count[0], flush=True)
'''

def start():
    """A fresh `serve` of the site, once its big page is served: the process and its port."""
    p = subprocess.Popen([binary, "serve", "--port", "0", "--root", site, "--output", f"{work}/public"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in p.stdout:
        if "serving http://127.0.0.1:" in line:
            port = int(line.split("127.0.0.1:")[1].split("/")[0])
            threading.Thread(target=lambda: [None for _ in p.stdout], daemon=True).start()
            deadline = time.time() + 60
            while probe(port, "/big/")[0] != 200:
                if time.time() > deadline:
                    raise SystemExit("serve did not build the site")
                time.sleep(0.2)
            return p, port
    raise SystemExit("serve did not start")

def probe(port, path="/guides/"):
    """(status, seconds) of a normal request on a new connection; status 0 if it failed."""
    start = time.perf_counter()
    s = socket.socket()
    s.settimeout(20)
    try:
        s.connect(("127.0.0.1", port))
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
        status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else 0
    except OSError:
        status = 0
    finally:
        s.close()
    return status, time.perf_counter() - start

def proc(pid, key):
    fields = dict(l.split(":", 1) for l in open(f"/proc/{pid}/status"))
    return int(fields[key].split()[0])

print(f"serve under hostile floods: {binary}")
for case in cases:
    kind, n = case[0], int(case[1:])
    server, port = start()
    try:
        base = proc(server.pid, "VmRSS") // 1024
        most = [base]
        def sample():
            while attack.poll() is None:
                most[0] = max(most[0], proc(server.pid, "VmRSS") // 1024)
                time.sleep(0.1)
        attack = subprocess.Popen([sys.executable, "-c", ATTACK, kind, str(port), str(n)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        threading.Thread(target=sample, daemon=True).start()
        time.sleep(3)
        probes = []
        for _ in range(30):
            probes.append(probe(port))
            time.sleep(0.5)
        attack.stdin.close()
        connections = int(attack.stdout.read().strip() or 0)
        attack.wait()
        time.sleep(1)
        files = len(os.listdir(f"/proc/{server.pid}/fd"))
        times = [t for _, t in probes]
        bad = [(s, t) for s, t in probes if s != 200 or t > 0.5]
        shape = f"{n} stalled readers of a 6 MB page" if kind == "a" else f"{n} silent reconnecting clients"
        print(f"  {shape} ({connections} attacking connections): {len(probes)} probes, "
              f"median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms, "
              f"not 200: {sum(s != 200 for s, _ in probes)}, over 0.5 s: {sum(t > 0.5 for t in times)}; "
              f"server memory {base} MB before, at most {most[0]} MB during; {files} open files 1 s after")
        if bad:
            print("    bad probes: " + ", ".join(f"{s} in {t:.2f} s" for s, t in bad))
        sys.stdout.flush()
    finally:
        server.kill()
        server.wait()
PY
