"""Search latency of `storydiff serve` while `storydiff analyze --db` writes into the same SQLite file.

usage: python benchmarks/serve_load.py [--data DIR] [--seed N] [--write N] [--clients 50] [--seconds 30]

1. Fills a fresh SQLite store with --seed articles from DIR (default
   ../shared/data/polnear/train/text), so searches have something to find.
2. Starts `storydiff serve` on a free loopback port, and `storydiff analyze --db` on --write more
   articles from DIR in a second process (WAL: one writer, many readers).
3. Runs --clients concurrent clients (threads, keep-alive connections) that search for words drawn
   from the texts, for --seconds, all against 127.0.0.1 only.
Prints requests/s, p50/p95/p99 latency and the error count (target: 0 errors, p95 <= 200 ms), and
whether the writer was still writing during the whole measurement.
"""

from __future__ import annotations

import argparse
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--seed", type=int, default=100, help="articles stored before the load starts")
    ap.add_argument("--write", type=int, default=300, help="articles the concurrent analyze writes")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30)
    args = ap.parse_args()

    texts = sorted(args.data.rglob("*.txt"))
    if len(texts) < args.seed + 1:
        sys.exit(f"need more than {args.seed} .txt files under {args.data}")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.db"
        seed_dir, write_dir = Path(tmp) / "seed", Path(tmp) / "write"
        seed_dir.mkdir()
        write_dir.mkdir()
        for i, p in enumerate(texts[: args.seed]):
            (seed_dir / f"{i:05d}.txt").write_bytes(p.read_bytes())
        for i in range(args.write):
            src = texts[args.seed + i % (len(texts) - args.seed)]
            (write_dir / f"{i:05d}.txt").write_text(f"Copy {i}.\n\n" + src.read_text(encoding="utf-8"))
        subprocess.run(
            storydiff("-q", "analyze", str(seed_dir), "--db", str(db), "--json", str(Path(tmp) / "s.json")),
            check=True,
        )
        port = free_port()
        server = subprocess.Popen(
            storydiff("serve", "--db", str(db), "--port", str(port)),
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
                stderr=subprocess.PIPE,
            )
            time.sleep(2)  # let the writer get going
            latencies: list[float] = []
            errors: list[str] = []
            lock = threading.Lock()
            stop = time.monotonic() + args.seconds

            def client(seed: int) -> None:
                rng = random.Random(seed)
                with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
                    while time.monotonic() < stop:
                        q = rng.choice(QUERY_WORDS)
                        started = time.perf_counter()
                        try:
                            response = http.get("/api/search", params={"q": q, "limit": 20})
                            ok = response.status_code == 200
                            detail = f"HTTP {response.status_code}"
                        except httpx.HTTPError as e:
                            ok, detail = False, type(e).__name__
                        elapsed = time.perf_counter() - started
                        with lock:
                            latencies.append(elapsed)
                            if not ok:
                                errors.append(detail)

            threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
            began = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.monotonic() - began
            writing_throughout = writer.poll() is None
        finally:
            if writer is not None and writer.poll() is None:
                writer.terminate()
                writer.wait(timeout=30)
            server.terminate()
            server.wait(timeout=30)
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    print(
        f"{args.clients} clients for {wall:.1f}s on loopback; writer analysing {args.write} articles "
        f"into the same SQLite file ({'still writing at the end' if writing_throughout else 'done early'})"
    )
    print(
        f"requests: {len(latencies)} ({len(latencies) / wall:.1f}/s); errors: {len(errors)}"
        + (f" ({', '.join(sorted(set(errors)))})" if errors else "")
    )
    print(
        f"latency ms: p50 {pct(0.50):.1f}  p95 {pct(0.95):.1f}  p99 {pct(0.99):.1f}"
        "  (target: 0 errors, p95 <= 200)"
    )


if __name__ == "__main__":
    main()
