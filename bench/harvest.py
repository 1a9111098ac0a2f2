"""Harvest benchmarks: catalog build, full harvests, and one server under 20 concurrent harvesters.

    .venv/bin/python bench/harvest.py [--records 10000] [--seconds 20] [--clients 20]

Everything runs on loopback against a server this script starts (``edition serve``
in a subprocess: one server process) and stops; every loop is bounded by a
request count and a time limit. Prints one line per measurement.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from edition.catalog import update  # noqa: E402
from edition.config import load_config  # noqa: E402

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
OAI = {"oai": "http://www.openarchives.org/OAI/2.0/"}
DOCTYPES = ["letter", "memorandum", "cable", "resolution", "report", "minutes"]
LANGS = [("ru", "Russian"), ("en", "English"), ("az-Cyrl", "Azerbaijani"), ("fa", "Persian")]


def make_corpus(target: Path, count: int) -> list[Path]:
    """``count`` TEI files cloned from the edition's own, with distinct ids, titles and sets."""
    templates = sorted((ROOT / "tei").glob("*.xml")) or [ROOT / "tests/fixtures/contract/wilson-119711.xml"]
    trees = [etree.parse(str(p)) for p in templates]
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        tree = trees[number % len(trees)]
        root = tree.getroot()
        doc_id = f"bench-{number:06d}"
        root.set(XML_ID, doc_id)
        title = root.find(f".//{{{TEI_NS}}}titleStmt/{{{TEI_NS}}}title")
        original_title = title.text
        title.text = f"{original_title} [{number}]"
        term = root.find(f".//{{{TEI_NS}}}term[@type='doctype']")
        old_term = term.text if term is not None else None
        if term is not None:
            term.text = DOCTYPES[number % len(DOCTYPES)]
        path = target / f"{doc_id}.xml"
        tree.write(str(path), xml_declaration=True, encoding="UTF-8")
        title.text = original_title
        if term is not None:
            term.text = old_term
        paths.append(path)
    return paths


def write_config(directory: Path, page_size: int) -> Path:
    path = directory / "edition.toml"
    path.write_text(
        f'[oai]\nrepository_identifier = "bench.example.org"\npage_size = {page_size}\n'
        '[paths]\ntei = "tei"\nsite = "site"\ncatalog = "catalog.sqlite"\n',
        encoding="utf-8",
    )
    return path


class Serve:
    def __init__(self, config_path: Path, threads: int) -> None:
        edition = Path(sys.executable).with_name("edition")
        self.process = subprocess.Popen(
            [str(edition), "serve", "--config", str(config_path), "--port", "0", "--threads", str(threads)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        line = self.process.stdout.readline()
        match = re.search(r"serving http://([\d.]+):(\d+)/", line)
        if not match:
            self.stop()
            raise SystemExit(f"server did not start: {line!r}")
        self.host, self.port = match.group(1), int(match.group(2))

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def harvest(host: str, port: int, query: dict[str, str], limit: int = 100_000) -> tuple[int, int, float]:
    """Follow resumption tokens to the end: (items, requests, seconds)."""
    conn = http.client.HTTPConnection(host, port, timeout=60)
    started = time.perf_counter()
    items = requests = 0
    verb = query["verb"]
    params = dict(query)
    while requests < limit:
        conn.request("GET", "/oai?" + urllib.parse.urlencode(params))
        response = conn.getresponse()
        body = response.read()
        requests += 1
        if response.status != 200:
            raise SystemExit(f"HTTP {response.status}")
        root = etree.fromstring(body)
        if root.find("oai:error", OAI) is not None:
            raise SystemExit(etree.tostring(root).decode())
        node = root.find(f"oai:{verb}", OAI)
        items += len(node) - (1 if node.find("oai:resumptionToken", OAI) is not None else 0)
        token = node.findtext("oai:resumptionToken", namespaces=OAI)
        if not token:
            break
        params = {"verb": verb, "resumptionToken": token}
    conn.close()
    return items, requests, time.perf_counter() - started


def load(host: str, port: int, clients: int, seconds: float, max_requests: int) -> None:
    """``clients`` harvesters, each paging through ListRecords (oai_dc) over and over."""
    stop_at = time.perf_counter() + seconds
    counts = [0] * clients
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def harvester(index: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=60)
        params = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
        while time.perf_counter() < stop_at and sum(counts) < max_requests:
            t = time.perf_counter()
            try:
                conn.request("GET", "/oai?" + urllib.parse.urlencode(params))
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                with lock:
                    errors[0] += 1
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=60)
                continue
            elapsed = time.perf_counter() - t
            counts[index] += 1
            with lock:
                latencies.append(elapsed)
            if response.status != 200:
                with lock:
                    errors[0] += 1
                continue
            match = re.search(rb"<resumptionToken[^>]*>([^<]+)</resumptionToken>", body)
            params = ({"verb": "ListRecords", "resumptionToken": match.group(1).decode()} if match
                      else {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
        conn.close()

    threads = [threading.Thread(target=harvester, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    total = sum(counts)
    latencies.sort()
    p50 = statistics.median(latencies) if latencies else 0
    p95 = latencies[int(len(latencies) * 0.95)] if latencies else 0
    print(f"load: {clients} concurrent harvesters, {total} ListRecords pages in {elapsed:.1f} s = "
          f"{total / elapsed:.0f} requests/s ({errors[0]} errors; latency p50 {p50 * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=50)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="edition-bench-") as tmp:
        base = Path(tmp)
        # 1. The whole edition as it is in tei/.
        edition_dir = base / "edition"
        edition_dir.mkdir()
        config = load_config(write_config(edition_dir, args.page_size))
        paths = sorted((ROOT / "tei").glob("*.xml"))
        t = time.perf_counter()
        update(paths, config.catalog, config=config)
        print(f"catalog: {len(paths)} edition documents in {time.perf_counter() - t:.2f} s")
        server = Serve(config.source, args.threads)
        try:
            for prefix in ("oai_dc", "tei"):
                items, requests, seconds = harvest(server.host, server.port,
                                                   {"verb": "ListRecords", "metadataPrefix": prefix})
                print(f"harvest edition ({prefix}): {items} records, {requests} requests, {seconds * 1000:.0f} ms")
        finally:
            server.stop()

        # 2. A catalog of --records documents.
        big_dir = base / "big"
        big_dir.mkdir()
        config = load_config(write_config(big_dir, args.page_size))
        t = time.perf_counter()
        paths = make_corpus(config.tei_dir, args.records)
        print(f"corpus: {len(paths)} TEI files generated in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        report = update(paths, config.catalog, config=config)
        print(f"catalog: {len(report.added)} records built in {time.perf_counter() - t:.1f} s "
              f"({os.path.getsize(config.catalog) / 1e6:.0f} MB)")
        t = time.perf_counter()
        report = update(paths, config.catalog, config=config)
        print(f"catalog: unchanged rebuild of {report.unchanged} records in {time.perf_counter() - t:.1f} s")
        server = Serve(config.source, args.threads)
        try:
            for query in ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"},
                          {"verb": "ListRecords", "metadataPrefix": "oai_dc"}):
                items, requests, seconds = harvest(server.host, server.port, query)
                print(f"harvest {args.records} ({query['verb']} {query['metadataPrefix']}): {items} records, "
                      f"{requests} requests, {seconds:.1f} s ({items / seconds:.0f} records/s)")
            items, requests, seconds = harvest(server.host, server.port,
                                               {"verb": "ListRecords", "metadataPrefix": "tei"}, limit=1000)
            print(f"harvest {args.records} (ListRecords tei, first {requests} requests): {items} records, "
                  f"{seconds:.1f} s ({items / seconds:.0f} records/s)")
            load(server.host, server.port, args.clients, args.seconds, args.max_requests)
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
