#!/usr/bin/env bash
# Dev-server load figures: 500 connections at once, each sending 20 keep-alive requests
# for the site's pages and assets, against `site-builder serve` on this repository's site. Reports
# the server's memory (resident, before and peak) and its most threads, sampled from /proc.
# Then hostile connections, each case against a fresh serve: how long a normal request
# takes with 64 idle connections open, 64 that sent half their headers, 64 waiting live-reload
# requests, 64 keep-alive clients each asking every 100 ms, and all three kinds at once; and the server's memory with 64 connections that request a
# 10 MB page and read none of it (plain, and gzip), with the time a normal request takes then.
# The hostile cases serve a small generated site (21 pages), which older builds build too.
# Only 127.0.0.1 is used; the load run is bounded (10,000 requests, 120 s at most), and a normal
# request is waited for 60 s at most.
# Usage: bash scripts/measure-serve-load.sh [CONNECTIONS] [REQUESTS_EACH]
#        bash scripts/measure-serve-load.sh hostile     (only the hostile cases)
# SITE_BUILDER_BIN=path measures another build of the builder (e.g. an older commit's) the same way:
#   git worktree add /tmp/serve-old 19caa73
#   (cd /tmp/serve-old && CARGO_TARGET_DIR=/tmp/serve-old-target cargo build --release -p site-builder)
#   SITE_BUILDER_BIN=/tmp/serve-old-target/release/site-builder bash scripts/measure-serve-load.sh hostile
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${SITE_BUILDER_BIN:-target/release/site-builder}
[ -n "${SITE_BUILDER_BIN:-}" ] || cargo build --release -q -p site-builder --bin site-builder
work=$(mktemp -d)
if [ "${1:-}" = hostile ]; then
  trap 'rm -rf "$work"' EXIT
  exec python3 - "$bin" "$work" <<'PY'
import os, socket, subprocess, sys, time
binary, work = sys.argv[1], sys.argv[2]

# A small site of its own that an older builder builds too (this repository's content may use
# front matter an older commit does not know).
site = f"{work}/site"
os.makedirs(f"{site}/content/guides")
with open(f"{site}/content/_index.md", "w") as f:
    f.write("# 首页\n\n" + "备案说明。" * 200 + "\n")
for i in range(20):
    with open(f"{site}/content/guides/p{i}.md", "w") as f:
        f.write(f"# 指南 {i}\n\n" + "这是一段正文。" * 300 + "\n")

def start():
    """A fresh `serve` of that site: the process and its port."""
    p = subprocess.Popen([binary, "serve", "--port", "0", "--root", site], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in p.stdout:
        if "serving http://127.0.0.1:" in line:
            port = int(line.split("127.0.0.1:")[1].split("/")[0])
            # Drain stdout so the server never blocks writing to it.
            import threading
            threading.Thread(target=lambda: [None for _ in p.stdout], daemon=True).start()
            return p, port
    raise SystemExit("serve did not start")

def rss(pid):
    fields = dict(l.split(":", 1) for l in open(f"/proc/{pid}/status"))
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024

def connections(port, n, text):
    out = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port))
        if text:
            s.sendall(text.replace("{host}", f"127.0.0.1:{port}").encode())
        out.append(s)
    time.sleep(0.5)
    return out

def normal(port, limit=60.0):
    """Seconds to the whole answer to GET /, or None if not within `limit`."""
    start = time.perf_counter()
    s = socket.create_connection(("127.0.0.1", port), timeout=limit)
    try:
        s.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        if not data.startswith(b"HTTP/1.1 200"):
            raise SystemExit(f"GET / was answered with {data[:40]!r}: the site did not build")
        return time.perf_counter() - start
    except OSError:
        return None
    finally:
        s.close()

def fmt(t):
    return "not answered within 60 s" if t is None else f"{t * 1000:.1f} ms"

def version(port):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(f"GET /__livereload HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
    data = b""
    while chunk := s.recv(4096):
        data += chunk
    return data.split(b"\r\n\r\n", 1)[1].decode().strip()

class Busy:
    """A keep-alive client asking for the home page every 100 ms (so never idle for a quarter of a
    second), reconnecting when an answer says `Connection: close`, until closed."""
    def __init__(self, port):
        import threading
        self.port, self.stopped = port, False
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
    def run(self):
        s, request = None, f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n\r\n".encode()
        while not self.stopped:
            s = s or socket.create_connection(("127.0.0.1", self.port))
            s.sendall(request)
            f = s.makefile("rb")
            head = b""
            while not head.endswith(b"\r\n\r\n"):
                head += f.read(1)
            length = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")][0].split(b":")[1])
            f.read(length)
            if b"connection: close" in head.lower():
                s.close()
                s = None
            time.sleep(0.1)
    def close(self):
        self.stopped = True
        self.thread.join()

def busy(port, n):
    clients = [Busy(port) for _ in range(n)]
    time.sleep(1)
    return clients

IDLE, PARTIAL = "", "GET / HTTP/1.1\r\nHost: {host}\r\nX-Waiting: "
poll = lambda port: f"GET /__livereload?since={version(port)} HTTP/1.1\r\nHost: {{host}}\r\n\r\n"
cases = [
    ("64 idle connections", lambda port: connections(port, 64, IDLE)),
    ("64 connections with partial headers", lambda port: connections(port, 64, PARTIAL)),
    ("64 live-reload long polls", lambda port: connections(port, 64, poll(port))),
    ("64 keep-alive clients each asking every 100 ms", lambda port: busy(port, 64)),
    ("64 of the three kinds (22 idle, 21 partial, 21 long polls)", lambda port: connections(port, 22, IDLE) + connections(port, 21, PARTIAL) + connections(port, 21, poll(port))),
]
print(f"hostile connections against {binary}:")
for name, open_them in cases:
    server, port = start()
    try:
        held = open_them(port)
        print(f"  {name}: a normal request answered in {fmt(normal(port))}")
        for s in held:
            s.close()
    finally:
        server.kill()
        server.wait()

page = bytes(b"0123456789abcdef"[b] for b in (x & 15 for x in os.urandom(10 << 20)))
for coding in ["", "Accept-Encoding: gzip\r\n"]:
    server, port = start()
    try:
        with open(f"{site}/public/big.html", "wb") as f:
            f.write(page)
        # One whole read first, so what any first request allocates is in the baseline.
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(f"GET /big.html HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{coding}Connection: close\r\n\r\n".encode())
        while s.recv(1 << 20):
            pass
        s.close()
        before, _ = rss(server.pid)
        held = connections(port, 64, f"GET /big.html HTTP/1.1\r\nHost: {{host}}\r\n{coding}\r\n")
        time.sleep(3)
        during, peak = rss(server.pid)
        answer = normal(port)
        kind = "gzip" if coding else "plain"
        print(f"  64 slow readers of a 10 MB page ({kind}): server memory {before:.0f} MB before, {during:.0f} MB with them (peak {peak:.0f} MB); a normal request then: {fmt(answer)}")
        for s in held:
            s.close()
    finally:
        server.kill()
        server.wait()
PY
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --port "$port" --no-reload --output "$work/public" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
python3 - "$server" "$port" "${1:-500}" "${2:-20}" <<'PY'
import asyncio, sys, time, threading
pid, port, connections, each = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])

def status():
    fields = dict(l.split(":", 1) for l in open(f"/proc/{pid}/status"))
    return int(fields["VmRSS"].split()[0]) // 1024, int(fields["VmHWM"].split()[0]) // 1024, int(fields["Threads"])

deadline = time.time() + 120
while time.time() < deadline:
    try:
        import socket
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        break
    except OSError:
        time.sleep(0.2)
rss_before, _, threads_before = status()
most_threads = threads_before
sampling = True
def sample():
    global most_threads
    while sampling:
        most_threads = max(most_threads, status()[2])
        time.sleep(0.02)
threading.Thread(target=sample, daemon=True).start()

paths = ["/", "/faq/", "/guides/first-filing/", "/codes/1041/", "/check/", "/assets/style.css", "/search/", "/assets/search-engine.js"]
done = errors = 0
async def client(n):
    global done, errors
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for i in range(each):
            path = paths[(n + i) % len(paths)]
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept-Encoding: gzip\r\n\r\n".encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            length = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")][0].split(b":")[1])
            await reader.readexactly(length)
            done += 1
            # While connections wait for a place, answers close theirs: reconnect, as a browser does.
            if b"connection: close" in head.lower():
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.close()
    except Exception:
        errors += 1
async def main():
    start = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(client(n) for n in range(connections))), timeout=120)
    return time.perf_counter() - start
wall = asyncio.run(main())
sampling = False
rss_after, peak, _ = status()
print(f"{connections} connections x {each} requests: {done} answered, {errors} connections failed, in {wall:.1f} s")
print(f"server memory: {rss_before} MB before, peak {peak} MB, {rss_after} MB after; threads: {threads_before} before, at most {most_threads}")
PY
