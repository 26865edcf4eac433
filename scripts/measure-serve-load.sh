#!/usr/bin/env bash
# Dev-server load figures (issue 9): 500 connections at once, each sending 20 keep-alive requests
# for the site's pages and assets, against `site-builder serve` on this repository's site. Reports
# the server's memory (resident, before and peak) and its most threads, sampled from /proc.
# Only 127.0.0.1 is used; the run is bounded (10,000 requests, 120 s at most).
# Usage: bash scripts/measure-serve-load.sh [CONNECTIONS] [REQUESTS_EACH]
# SITE_BUILDER_BIN=path measures another build of the builder (e.g. an older commit's) the same way.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${SITE_BUILDER_BIN:-target/release/site-builder}
[ -n "${SITE_BUILDER_BIN:-}" ] || cargo build --release -q -p site-builder --bin site-builder
work=$(mktemp -d)
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
