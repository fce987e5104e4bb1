"""Search latency of `storydiff serve` while `storydiff analyze --db` writes into the same SQLite file.

usage: python benchmarks/serve_load.py [--data PATH] [--columns MAP] [--seed N] [--write N]
                                      [--clients 50] [--seconds 30] [--serve-args "--workers 2"]

1. Fills a fresh SQLite store with --seed articles from PATH (default
   ../shared/data/polnear/train/text), so searches have something to find.
2. Starts `storydiff serve` on a free loopback port, and `storydiff analyze --db` on --write more
   articles from PATH in a second process (WAL: one writer, many readers).
   The writer runs as `storydiff analyze` does by default (its worker processes included) and is
   stopped with all of them at the end.
3. Once the writer is analysing, runs --clients concurrent clients (threads, one keep-alive HTTP/1.1
   connection each, the next request as soon as the last answer is read) that search for common
   news words and phrases (a fixed list), for --seconds, all against 127.0.0.1 only. Latency is
   measured by the client, from sending the request to having read and parsed the whole answer.
   Anything but a 200 with a JSON list, or no answer within 10 s, is an error.
Prints requests/s, p50/p95/p99 latency and the error count (target: 0 errors, p95 <= 200 ms); how
many articles the writer committed during the measurement and whether it was still writing at the
end; and where the 2 cores went: CPU per request of the server and of the load generator (the
clients use the standard library's http.client: a load generator on the same cores should take as
little of them as it can), the writer's share, and what other processes on the machine took.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import resource
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import documents  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "polnear" / "train" / "text"
QUERY_WORDS = [
    "said",
    "campaign",
    "president",
    "told",
    "voters",
    "poll",
    "debate",
    "clinton",
    "trump",
    "state",
    "security",
    "tax",
    '"white house"',
    "elect*",
    "'; DROP TABLE quotes; --",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def storydiff(*args: str) -> list[str]:
    return [sys.executable, "-m", "storydiff", *args]


def wait_for(port: int, proc: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit("storydiff serve exited early")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("storydiff serve did not start")


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: set[int]) -> float:
    """User + system CPU time of these processes (those still running)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / TICK


def group_pids(pgid: int) -> set[int]:
    """The live processes in process group `pgid` (the writer and its worker processes)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                found.add(int(entry.name))
    return found


def machine_busy_seconds() -> float:
    """CPU time used by everything on the machine (all cores), from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / TICK


def stored_articles(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=60) as conn:
        count: int = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    conn.close()
    return count


def stop_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop a process and every process it started (they share its process group)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            proc.poll()  # reaps the leader
            if not group_pids(proc.pid):
                return
            time.sleep(0.1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="a folder or file of articles")
    ap.add_argument("--columns", help="CSV columns as for `storydiff analyze` (e.g. text=articleBody)")
    ap.add_argument("--seed", type=int, default=100, help="articles stored before the load starts")
    ap.add_argument("--write", type=int, default=300, help="articles the concurrent analyze writes")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument(
        "--serve-args", default="", help="extra arguments for `storydiff serve`, e.g. '--workers 2'"
    )
    args = ap.parse_args()

    texts = [d.text for d in documents(args.data, args.columns)]
    if len(texts) < args.seed + 1:
        sys.exit(f"need more than {args.seed} articles under {args.data}")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.db"
        seed_dir, write_dir = Path(tmp) / "seed", Path(tmp) / "write"
        seed_dir.mkdir()
        write_dir.mkdir()
        for i, text in enumerate(texts[: args.seed]):
            (seed_dir / f"{i:05d}.txt").write_text(text, encoding="utf-8")
        for i in range(args.write):
            text = texts[args.seed + i % (len(texts) - args.seed)]
            (write_dir / f"{i:05d}.txt").write_text(f"Copy {i}.\n\n" + text, encoding="utf-8")
        subprocess.run(
            storydiff("-q", "analyze", str(seed_dir), "--db", str(db), "--json", str(Path(tmp) / "s.json")),
            check=True,
        )
        port = free_port()
        server = subprocess.Popen(
            storydiff("serve", "--db", str(db), "--port", str(port), *args.serve_args.split()),
            process_group=0,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        writer: subprocess.Popen[bytes] | None = None
        try:
            wait_for(port, server)
            writer = subprocess.Popen(
                storydiff(
                    "-q", "analyze", str(write_dir), "--db", str(db), "--json", str(Path(tmp) / "w.json")
                ),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                # Its own process group (not its own session: the scheduler must share the cores
                # between writer, server and clients just as it would without the benchmark).
                process_group=0,
            )
            # Let the writer get going (spaCy loaded, articles being parsed): busy for a second.
            time.sleep(2)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and writer.poll() is None:
                before = cpu_seconds(group_pids(writer.pid))
                time.sleep(1)
                if cpu_seconds(group_pids(writer.pid)) - before > 0.8:
                    break
            latencies: list[float] = []
            errors: list[str] = []
            lock = threading.Lock()
            stop = time.monotonic() + args.seconds

            def client(seed: int) -> None:
                rng = random.Random(seed)
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                while time.monotonic() < stop:
                    q = rng.choice(QUERY_WORDS)
                    path = "/api/search?" + urllib.parse.urlencode({"q": q, "limit": 20})
                    started = time.perf_counter()
                    try:
                        conn.request("GET", path)
                        response = conn.getresponse()
                        body = response.read()
                        ok = response.status == 200 and isinstance(json.loads(body), list)
                        detail = f"HTTP {response.status}" if response.status != 200 else "not a JSON list"
                    except (OSError, http.client.HTTPException, ValueError) as e:
                        ok, detail = False, type(e).__name__
                        conn.close()  # reconnects on the next request
                    elapsed = time.perf_counter() - started
                    with lock:
                        latencies.append(elapsed)
                        if not ok:
                            errors.append(detail)
                conn.close()

            writer_pids = group_pids(writer.pid)
            server_pids = group_pids(server.pid)
            articles_before = stored_articles(db)
            cpu_before = (
                cpu_seconds(server_pids),
                cpu_seconds(writer_pids),
                resource.getrusage(resource.RUSAGE_SELF),
                machine_busy_seconds(),
            )
            threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
            began = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.monotonic() - began
            writer_pids |= group_pids(writer.pid)
            server_pids |= group_pids(server.pid)
            own = resource.getrusage(resource.RUSAGE_SELF)
            cpu_after = (cpu_seconds(server_pids), cpu_seconds(writer_pids), own, machine_busy_seconds())
            writing_throughout = writer.poll() is None
            articles_after = stored_articles(db)
        finally:
            if writer is not None:
                stop_group(writer)
            stop_group(server)
    latencies.sort()
    server_cpu = cpu_after[0] - cpu_before[0]
    writer_cpu = cpu_after[1] - cpu_before[1]
    client_cpu = sum(getattr(cpu_after[2], f) - getattr(cpu_before[2], f) for f in ("ru_utime", "ru_stime"))
    other_cpu = max(0.0, cpu_after[3] - cpu_before[3] - server_cpu - writer_cpu - client_cpu)

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    print(
        f"{args.clients} clients for {wall:.1f}s on loopback; writer analysing {args.write} articles "
        f"into the same SQLite file ({'still writing at the end' if writing_throughout else 'done early'}); "
        f"it committed {articles_after - articles_before} articles during the measurement"
    )
    print(
        f"requests: {len(latencies)} ({len(latencies) / wall:.1f}/s); errors: {len(errors)}"
        + (f" ({', '.join(sorted(set(errors)))})" if errors else "")
    )
    print(
        f"latency ms: p50 {pct(0.50):.1f}  p95 {pct(0.95):.1f}  p99 {pct(0.99):.1f}"
        "  (target: 0 errors, p95 <= 200)"
    )
    n = max(1, len(latencies))
    print(
        f"cpu ({os.cpu_count()} cores): server {server_cpu / n * 1000:.2f} ms/request "
        f"({server_cpu / wall:.2f} cores), load generator {client_cpu / n * 1000:.2f} ms/request "
        f"({client_cpu / wall:.2f} cores), writer {writer_cpu / wall:.2f} cores, "
        f"other processes {other_cpu / wall:.2f} cores"
    )


if __name__ == "__main__":
    main()
