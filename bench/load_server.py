"""Load test of ``edition serve``: 50 concurrent clients for a minute on localhost.

Run by ``make bench`` (never by ``make test``). It converts the seeds, builds the
site and catalog in a temporary folder, starts the real ``edition serve`` as a
separate process, and lets CLIENTS threads loop over a mix of requests for
SECONDS: reading pages (checked byte for byte against the files on disk), OAI-PMH
harvesting (well-formed responses, resumption tokens followed), and hostile
requests (traversal, bad verbs) that must keep getting their 4xx or protocol
error. At the end the server must still answer correctly. Prints throughput and
latency percentiles; exits 1 if any response was wrong or the server died.

    python bench/load_server.py [--clients 50] [--seconds 60] [--json build/load_server.json]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
OAI_NS = "{http://www.openarchives.org/OAI/2.0/}"
HOSTILE = ["/../edition.toml", "/%2e%2e/catalog.sqlite", "/..%2f..%2fetc/passwd", "/.hidden", "/no-such-page.html"]


def edition(*args: str, cwd: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "edition", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    if proc.returncode != 0:
        sys.exit(f"load_server: edition {' '.join(args)} failed:\n{proc.stderr}")


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, failure: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.kinds[kind] += 1
            if failure and len(self.failures) < 50:
                self.failures.append(f"{kind}: {failure}")
            if failure:
                self.kinds["FAILED"] += 1


class Client:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.conn: http.client.HTTPConnection | None = None

    def get(self, target: str) -> tuple[int, bytes]:
        for attempt in (1, 2):  # a kept-alive connection the server closed is reopened once
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.conn.request("GET", target)
                response = self.conn.getresponse()
                body = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                return response.status, body
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def check_oai(body: bytes, expect_error: bool = False) -> tuple[str | None, str | None]:
    """(failure, resumption token) of an OAI-PMH response."""
    try:
        root = etree.fromstring(body)
    except etree.XMLSyntaxError as exc:
        return f"not well-formed: {exc}", None
    errors = root.findall(f"{OAI_NS}error")
    if expect_error != bool(errors):
        return f"expected {'an error' if expect_error else 'no error'}, got {[e.get('code') for e in errors]}", None
    token = root.find(f".//{OAI_NS}resumptionToken")
    return None, (token.text if token is not None and token.text else None)


def worker(n: int, host: str, port: int, pages: dict[str, bytes], deadline: float, stats: Stats) -> None:
    rng = random.Random(n)
    client = Client(host, port)
    paths = sorted(pages)
    token: str | None = None
    verb = ""
    try:
        while time.monotonic() < deadline:
            roll = rng.random()
            start = time.monotonic()
            failure = None
            try:
                if roll < 0.55:
                    kind, path = "page", rng.choice(paths)
                    status, body = client.get(quote(path))
                    if status != 200 or body != pages[path]:
                        failure = f"{path}: status {status}, {len(body)} bytes (expected {len(pages[path])})"
                elif roll < 0.85:
                    kind = "oai"
                    if token:
                        target = f"/oai?verb={verb}&resumptionToken={quote(token, safe='')}"
                    else:
                        target = rng.choice([
                            "/oai?verb=Identify", "/oai?verb=ListSets", "/oai?verb=ListMetadataFormats",
                            "/oai?verb=ListRecords&metadataPrefix=oai_dc", "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc",
                        ])
                        verb = re.search(r"verb=(\w+)", target)[1]
                    status, body = client.get(target)
                    failure, token = check_oai(body) if status == 200 else (f"status {status}", None)
                else:
                    kind = "hostile"
                    if rng.random() < 0.5:
                        path = rng.choice(HOSTILE)
                        status, body = client.get(path)
                        if status not in (400, 404) or b"root:" in body or b"[paths]" in body:
                            failure = f"{path}: status {status}"
                    else:
                        status, body = client.get("/oai?verb=Nonsense&from=%ff")
                        failure = check_oai(body, expect_error=True)[0] if status == 200 else f"status {status}"
            except (OSError, http.client.HTTPException) as exc:
                kind, failure = "connection", f"{type(exc).__name__}: {exc}"
                client.close()
            stats.record(kind, time.monotonic() - start, failure)
    finally:
        client.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="edition-load-"))
    server = None
    try:
        (work / "edition.toml").write_text(
            '[site]\nbase_url = "http://127.0.0.1:8000/"\n[oai]\npage_size = 2\n'
            '[paths]\ntei = "tei"\nbuild = "build"\nsite = "build/site"\ncatalog = "build/catalog.sqlite"\n',
            encoding="utf-8",
        )
        print("load_server: converting the seeds and building the site ...", flush=True)
        edition("convert", str(ROOT / "seeds"), "--out", str(work / "tei"), "--config", str(work / "edition.toml"), cwd=work)
        edition("build", "--config", str(work / "edition.toml"), cwd=work)
        site = work / "build" / "site"
        (site / ".hidden").write_text("hidden", encoding="utf-8")
        pages = {"/" + str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file() and not p.name.startswith(".")}
        # Directory requests answer with their index.html.
        pages.update({k[: -len("index.html")]: v for k, v in list(pages.items()) if k.endswith("/index.html")})

        log = (work / "serve.log").open("w")  # waitress logs its queue depth under load
        server = subprocess.Popen(
            [sys.executable, "-m", "edition", "serve", "--port", "0", "--threads", "8", "--config", str(work / "edition.toml")],
            cwd=work, stdout=subprocess.PIPE, stderr=log, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        )  # fmt: skip
        assert server.stdout is not None
        line = server.stdout.readline()
        # Keep draining: a full pipe would block the server, not the load.
        threading.Thread(target=server.stdout.read, daemon=True).start()
        m = re.search(r"http://([\d.]+):(\d+)/", line)
        if not m:
            sys.exit(f"load_server: the server did not start: {line}{(work / 'serve.log').read_text()}")
        host, port = m[1], int(m[2])
        print(f"load_server: {args.clients} clients for {args.seconds:.0f} s against {m[0]} "
              f"({len(pages)} static paths, OAI-PMH, hostile requests)", flush=True)

        stats = Stats()
        deadline = time.monotonic() + args.seconds
        threads = [threading.Thread(target=worker, args=(i, host, port, pages, deadline, stats)) for i in range(args.clients)]
        began = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - began

        alive = server.poll() is None
        try:
            final_status, final_body = Client(host, port).get("/oai?verb=Identify") if alive else (0, b"")
        except (OSError, http.client.HTTPException) as exc:
            final_status, final_body = 0, str(exc).encode()
        still_correct = alive and final_status == 200 and check_oai(final_body)[0] is None

        lat = sorted(stats.latencies)
        q = statistics.quantiles(lat, n=100) if len(lat) >= 2 else [0.0] * 99
        figures = {
            "clients": args.clients,
            "seconds": round(elapsed, 1),
            "requests": len(lat),
            "requests_per_second": round(len(lat) / elapsed, 1),
            "by_kind": dict(sorted(stats.kinds.items())),
            "latency_ms": {"p50": round(q[49] * 1000, 1), "p95": round(q[94] * 1000, 1), "p99": round(q[98] * 1000, 1),
                           "max": round(lat[-1] * 1000, 1) if lat else 0.0},
            "failures": stats.kinds.get("FAILED", 0),
            "server_alive_and_correct": still_correct,
        }
        print(f"load_server: {figures['requests']} requests in {figures['seconds']} s "
              f"({figures['requests_per_second']}/s); latency p50 {figures['latency_ms']['p50']} ms, "
              f"p95 {figures['latency_ms']['p95']} ms, p99 {figures['latency_ms']['p99']} ms, max {figures['latency_ms']['max']} ms")
        print(f"load_server: by kind {figures['by_kind']}; failures {figures['failures']}; "
              f"server alive and correct afterwards: {still_correct}")
        for failure in stats.failures[:20]:
            print(f"load_server: FAILED {failure}")
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        return 0 if figures["failures"] == 0 and still_correct else 1
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
