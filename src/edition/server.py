"""The edition's web server: the static site from the build and OAI-PMH at ``/oai``.

A production WSGI server (waitress: pure Python, multi-threaded, maintained by
the Pylons project) runs one small dispatcher. Static files are looked up
strictly inside the site directory: no ``..``, no hidden files, no symlinks out,
no directory listings, and error pages that never show a filesystem path.
"""

from __future__ import annotations

import base64
import email.utils
import hashlib
import mimetypes
import os
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

import waitress.server
from waitress.server import BaseWSGIServer

from edition.config import Config
from edition.errors import EditionError
from edition.oai import OaiApp

OAI_PATH = "/oai"
MAX_PATH_BYTES = 2048

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".bib": "application/x-bibtex; charset=utf-8",
    ".ris": "application/x-research-info-systems; charset=utf-8",
    # The schemas the TEI downloads name in their xml-model lines (edition.build publishes
    # them): XML, which the system's table does not know by these names, so an XML editor
    # or a browser was sent application/octet-stream. The ODD is a TEI document.
    ".rng": "application/xml",
    ".sch": "application/xml",
    ".odd": "application/tei+xml",
}


# HTML pages may load only the site's own files; the one thing a page may run
# inline is a script whose exact text it carries (allowed by its hash), so an
# injected script or handler in a document's content cannot run.
CSP = (
    "default-src 'none'; script-src 'self'{scripts}; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_INLINE_SCRIPT = re.compile(
    rb"<script(?![^>]*\bsrc\s*=)(?![^>]*\btype\s*=\s*[\"']?application/(?:ld\+)?json)[^>]*>(.*?)</script\s*>",
    re.DOTALL | re.IGNORECASE,
)


def content_security_policy(html: bytes) -> str:
    hashes = sorted({base64.b64encode(hashlib.sha256(m.group(1)).digest()).decode() for m in _INLINE_SCRIPT.finditer(html)})
    return CSP.format(scripts="".join(f" 'sha256-{h}'" for h in hashes))


_POLICIES: dict[tuple[int, int, int, int], str] = {}
_POLICIES_MAX = 4096
_POLICIES_LOCK = threading.Lock()


def _page_policy(handle: BinaryIO, stat: os.stat_result) -> str:
    """The policy for the page open in ``handle``, from the bytes about to be served.

    A rebuild replaces pages while they are served: reading the path again could
    hash the new page's scripts for the old page's body. The cache is keyed by the
    open file's identity (a replaced page is a new inode), so a changed page is read again.
    """
    key = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
    policy = _POLICIES.get(key)
    if policy is None:
        policy = content_security_policy(handle.read())
        handle.seek(0)
        with _POLICIES_LOCK:
            if len(_POLICIES) >= _POLICIES_MAX:
                _POLICIES.pop(next(iter(_POLICIES)))  # the oldest entry
            _POLICIES[key] = policy
    return policy


def _plain(start_response: Callable, status: str, text: str, extra: list[tuple[str, str]] | None = None) -> list[bytes]:
    body = (text + "\n").encode("utf-8")
    start_response(status, [
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Length", str(len(body))),
        ("X-Content-Type-Options", "nosniff"),
        *(extra or []),
    ])
    return [body]


class StaticSite:
    """Serves files below ``root``; anything that is not plainly inside it is a 404."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def resolve(self, path_info: str) -> tuple[Path, bool] | None:
        """The file for a request path and whether it is a directory's index, or None.

        ``path_info`` is WSGI's latin-1 string of the percent-decoded path.
        """
        try:
            text = path_info.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return None
        if "\x00" in text or "\\" in text:
            return None
        parts = [part for part in text.split("/") if part not in {"", "."}]
        if any(part == ".." or part.startswith(".") for part in parts):
            return None
        try:
            root = self.root.resolve(strict=True)
            candidate = root.joinpath(*parts).resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        if candidate != root and root not in candidate.parents:
            return None  # a symlink pointing out of the site
        if candidate.is_dir():
            # The index is a path of its own, and may be a symlink out of the site too.
            try:
                index = (candidate / "index.html").resolve(strict=True)
            except (OSError, RuntimeError):
                return None
            return (index, True) if root in index.parents and index.is_file() else None
        if text.endswith("/"):
            return None  # a file is not a folder: /page.html/ would break relative links
        return (candidate, False) if candidate.is_file() else None

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in {"GET", "HEAD"}:
            return _plain(start_response, "405 Method Not Allowed", "Method not allowed.", [("Allow", "GET, HEAD")])
        path_info = environ.get("PATH_INFO", "") or "/"
        if len(path_info) > MAX_PATH_BYTES:
            return _plain(start_response, "414 URI Too Long", "The request path is too long.")
        resolved = self.resolve(path_info)
        if resolved is None:
            return _plain(start_response, "404 Not Found", "Not found.")
        found, is_index = resolved
        if is_index and not path_info.endswith("/"):
            # /docs -> /docs/ so relative links inside the index resolve.
            path = (environ.get("SCRIPT_NAME", "") + path_info).encode("latin-1")
            location = quote(path) + "/"
            return _plain(start_response, "301 Moved Permanently", "Moved.", [("Location", location)])
        try:
            handle = found.open("rb")
        except OSError:
            return _plain(start_response, "404 Not Found", "Not found.")
        # The open file's own size and time: a rebuild may replace the path in between,
        # and a length taken from the old file would cut the new one short (or hang).
        stat = os.fstat(handle.fileno())
        # The inode too: a rebuild replaces a file by a new one, which may have the old one's
        # size and, on a file system with a coarse clock, its time.
        etag = f'"{stat.st_ino:x}-{stat.st_size:x}-{stat.st_mtime_ns:x}"'
        headers = [
            ("Content-Type", _TYPES.get(found.suffix.lower()) or mimetypes.guess_type(found.name)[0]
             or "application/octet-stream"),
            ("Content-Length", str(stat.st_size)),
            ("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True)),
            ("ETag", etag),
            # Pages keep their URLs across rebuilds, so a browser or cache must ask each time
            # (a 304 when unchanged): without this it may reuse a page, or the CSS and JS, for
            # hours or days after a rebuild, guessing freshness from Last-Modified.
            ("Cache-Control", "no-cache"),
            ("X-Content-Type-Options", "nosniff"),
            # Links out (to the archives) may name this site, never the page a reader was on:
            # said here because older browsers' default sends the whole address.
            ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ]
        if found.suffix.lower() in {".html", ".htm"}:
            try:
                headers.append(("Content-Security-Policy", _page_policy(handle, stat)))
            except OSError:
                handle.close()
                return _plain(start_response, "404 Not Found", "Not found.")
        if _not_modified(environ, etag, stat.st_mtime):
            handle.close()
            start_response("304 Not Modified", [h for h in headers if h[0] != "Content-Length"])
            return []
        start_response("200 OK", headers)
        if method == "HEAD":
            handle.close()
            return []
        wrapper = environ.get("wsgi.file_wrapper")
        if wrapper is not None:
            return wrapper(handle, 1 << 16)
        return _chunks(handle)


def _not_modified(environ: dict, etag: str, mtime: float) -> bool:
    """Whether the client's copy is current (RFC 9110, 13.1.2 and 13.1.3).

    If-None-Match, when sent, decides alone (weak comparison, ``*`` matches any
    file); otherwise If-Modified-Since, which clients such as ``curl -z`` and
    caches that kept only Last-Modified send.
    """
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if since is None:
        return False
    try:
        when = email.utils.parsedate_to_datetime(since)
    except (TypeError, ValueError, IndexError):
        return False  # an unreadable date is ignored, as the RFC says
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)  # the asctime form names no zone; HTTP dates are GMT
    return int(mtime) <= when.timestamp()  # Last-Modified has whole seconds


def _chunks(handle) -> Iterable[bytes]:
    with handle:
        while chunk := handle.read(1 << 16):
            yield chunk


class EditionApp:
    """Dispatches ``/oai`` to the OAI-PMH provider and everything else to the static site."""

    def __init__(self, config: Config) -> None:
        self.oai = OaiApp(config)
        self.site = StaticSite(config.site_dir)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == OAI_PATH:
            return self.oai(environ, start_response)
        return self.site(environ, start_response)


@dataclass
class Server:
    """A bound waitress server; ``url`` is known as soon as it exists (port 0 picks a free port)."""

    wsgi: BaseWSGIServer
    host: str
    port: int

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def run(self) -> None:
        self.wsgi.run()

    thread: threading.Thread | None = None

    def start_in_thread(self) -> threading.Thread:
        self.thread = threading.Thread(target=self.run, name="edition-server", daemon=True)
        self.thread.start()
        return self.thread

    def stop(self) -> None:
        """Close every socket and stop the workers; safe whether or not the loop still runs."""
        from waitress import wasyncore

        def close() -> None:
            # types-waitress leaves out the dispatcher's socket map, which only _map gives.
            wasyncore.close_all(self.wsgi._map)  # type: ignore[attr-defined]  # noqa: SLF001 - waitress has no public stop

        if self.thread is not None and self.thread.is_alive():
            # The sockets belong to the loop's thread: close them there, between two polls.
            try:
                # types-waitress types trigger as int; it is a waitress.trigger.trigger.
                self.wsgi.trigger.pull_trigger(close)  # type: ignore[attr-defined]
            except OSError:
                # The loop's wake-up pipe is closed already (seen once in CI, under many
                # concurrent clients): the loop is going down; close what is left from here.
                close()
            self.thread.join(timeout=10)
        else:
            close()
        self.wsgi.task_dispatcher.shutdown()


def create_server(config: Config, host: str = "127.0.0.1", port: int = 8000, *, threads: int = 8,
                  idle_timeout: int = 30) -> Server:
    """Bind the server (without running it); a busy port is an error a user can act on.

    A connection that sends nothing for ``idle_timeout`` seconds (a half-sent
    request, an idle keep-alive) is closed, so slow clients cannot pile up.
    """
    try:
        # waitress.server's, which the package re-exports (types-waitress does not say so).
        wsgi = waitress.server.create_server(
            EditionApp(config),
            host=host,
            port=port,
            threads=threads,
            ident="edition",
            # Protocol requests are tiny; refuse large ones before the app sees them.
            max_request_header_size=64 * 1024,
            max_request_body_size=64 * 1024,
            expose_tracebacks=False,
            clear_untrusted_proxy_headers=True,
            channel_timeout=idle_timeout,
            cleanup_interval=max(1, min(30, idle_timeout)),
        )
    except OSError as exc:
        raise EditionError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    if not isinstance(wsgi, BaseWSGIServer):
        # A host name with several addresses (localhost as 127.0.0.1 and ::1) gives one
        # socket each, under a MultiSocketServer, which has no single address to report.
        wsgi.close()
        raise EditionError(f"{host} resolves to several addresses; give one of them (such as 127.0.0.1) to listen on")
    host_bound, port_bound = wsgi.getsockname()  # what waitress keeps as effective_host/_port
    return Server(wsgi, str(host_bound), int(port_bound))
