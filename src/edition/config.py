"""The edition's configuration: one TOML file (``edition.toml``) with documented defaults.

Every part of the pipeline that needs a name, a URL or a path of the deployed
edition reads it from here, so a fork changes one file, never a stylesheet.
Unknown keys are errors: a typo such as ``page_sise`` must not silently fall
back to a default.
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from edition.errors import EditionError
from edition.ids import prefix_problem
from edition.model import Publication

CONFIG_NAME = "edition.toml"

# OAI identifier scheme, repositoryIdentifier (oai-identifier.xsd): a domain-like name
# with at least one dot. Both patterns end in \Z: $ would let a final newline through,
# which the schema's patterns (and adminEmail's) do not.
_REPOSITORY_ID = re.compile(
    r"^[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+\Z"
)
_EMAIL = re.compile(r"^\S+@(\S+\.)+\S+\Z")
MAX_INDEX_PAGE_SIZE = 100_000
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class Config:
    """Settings of one edition; every field has a default so a missing file still works.

    Paths are absolute once loaded (relative paths in the file are taken from the
    file's own directory, not from wherever the command runs).
    """

    # [site]
    site_title: str = "Cold War Documents: A Digital Edition"
    base_url: str = "http://127.0.0.1:8000/"
    # Documents per page of the index and of each browse page; longer lists get more pages.
    index_page_size: int = 500
    # [oai]
    repository_name: str = "Cold War Documents: A Digital Edition"
    repository_identifier: str = "edition.example.org"
    admin_emails: tuple[str, ...] = ("editor@edition.example.org",)
    page_size: int = 50
    # Fixed URL the OAI endpoint announces in Identify; empty means "the URL it was
    # reached at", which is right for `edition serve` and wrong behind a proxy.
    oai_base_url: str = ""
    # Key for signing resumption tokens; empty means a random key kept in the catalog.
    token_secret: str = ""
    # [convert]
    # Publisher of this edition named in every TEI header; empty means the site title.
    publisher: str = ""
    # Prefix of ids made from an archive's record id ("wilson" gives "wilson-119711").
    record_id_prefix: str = "record"
    # The licence of this edition's own work (the encoding: markup, metadata, notes), a URL
    # in every header's availability/licence; '' writes none. The source's rights statement
    # stays the terms of the document and its translation.
    licence: str = "https://creativecommons.org/licenses/by/4.0/"
    licence_statement: str = (
        "The encoding of this edition (its markup, metadata and notes) is available under the Creative "
        "Commons Attribution 4.0 International licence (CC BY 4.0). The document and its translation "
        "remain subject to the rights of their holders.")
    # [paths]
    sources_dir: Path = Path("seeds")
    tei_dir: Path = Path("tei")
    build_dir: Path = Path("build")
    site_dir: Path = Path("build/site")
    catalog: Path = Path("build/catalog.sqlite")
    # Where the configuration was read from (None: built-in defaults).
    source: Path | None = field(default=None, compare=False)

    @property
    def edition_publisher(self) -> str:
        return self.publisher or self.site_title

    @property
    def publication(self) -> Publication:
        return Publication(self.edition_publisher, self.licence, self.licence_statement if self.licence else "",
                           self.base_url if is_public_address(self.base_url) else "")

    def oai_identifier(self, doc_id: str) -> str:
        return f"oai:{self.repository_identifier}:{doc_id}"


# TOML section -> {key in the file: Config field}
_LAYOUT: dict[str, dict[str, str]] = {
    "site": {"title": "site_title", "base_url": "base_url", "index_page_size": "index_page_size"},
    "oai": {
        "repository_name": "repository_name",
        "repository_identifier": "repository_identifier",
        "admin_email": "admin_emails",
        "page_size": "page_size",
        "base_url": "oai_base_url",
        "token_secret": "token_secret",
    },
    "convert": {"publisher": "publisher", "record_id_prefix": "record_id_prefix", "licence": "licence",
                "licence_statement": "licence_statement"},
    "paths": {
        "sources": "sources_dir",
        "tei": "tei_dir",
        "build": "build_dir",
        "site": "site_dir",
        "catalog": "catalog",
    },
}
_PATH_FIELDS = {"sources_dir", "tei_dir", "build_dir", "site_dir", "catalog"}
# The folders every command takes as folders (the sources may be one file).
_FOLDER_KEYS = {"tei_dir": "paths.tei", "build_dir": "paths.build", "site_dir": "paths.site"}


def is_public_address(url: str) -> bool:
    """Whether ``url`` can be where the edition is published: not the loopback address
    `edition serve` previews on, which is the default and which no TEI file should name
    as its address (a reader's own machine, or nothing, for everyone who downloads it)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return bool(host)
    return not (address.is_loopback or address.is_unspecified)


def as_given(path: Path) -> Path:
    """A configured path (absolute once loaded) as a command names it in its messages:
    relative to the current folder when inside it, as a path typed on the command line is."""
    try:
        return path.relative_to(Path.cwd()) if path != Path.cwd() else path
    except ValueError:
        return path


def load_config(path: Path | str | None = None) -> Config:
    """Read the configuration.

    ``path=None`` looks for ``edition.toml`` in the current directory and falls
    back to the defaults (with paths relative to the current directory) when
    there is none; an explicit path that does not exist is an error.
    """
    if path is None:
        candidate = Path.cwd() / CONFIG_NAME
        if not candidate.is_file():
            return _check_folders(_absolute(Config(), Path.cwd()), None)
        path = candidate
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise EditionError("configuration file not found", path) from None
    except OSError as exc:
        raise EditionError(f"cannot read configuration: {exc.strerror}", path) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EditionError(f"not UTF-8 (byte {exc.start}: {raw[exc.start]:#04x})", path, *_byte_place(raw, exc.start)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message, line, column = _toml_place(exc, text)
        raise EditionError(f"invalid TOML: {message}", path, line, column) from None
    values = _collect(data, path)
    config = Config(source=path.resolve(), **values)
    _check(config, path)
    return _check_folders(_absolute(config, path.resolve().parent), path)


def _byte_place(raw: bytes, offset: int) -> tuple[int, int]:
    """The line and column (from 1) of the byte at ``offset``, the column counted in the
    characters before it on its line, so that an editor's tools go to the bad byte."""
    start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, len(raw[start:offset].decode("utf-8", errors="replace")) + 1


# How tomllib before Python 3.14 gives the place: only in its message's words.
_TOML_PLACE = re.compile(r"^(?P<message>.*) \(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)\Z", re.DOTALL)


def _toml_place(exc: tomllib.TOMLDecodeError, text: str) -> tuple[str, int | None, int | None]:
    """The message of ``exc`` without its place, and the place as line and column (from 1),
    so that a broken edition.toml is FILE:LINE:COLUMN like every other message."""
    line, column, message = (getattr(exc, name, None) for name in ("lineno", "colno", "msg"))
    if not (isinstance(line, int) and isinstance(column, int) and isinstance(message, str)):
        found = _TOML_PLACE.match(str(exc))
        if found is None:
            return str(exc), None, None
        message = found["message"]
        if found["line"] is not None:
            line, column = int(found["line"]), int(found["column"])
        else:
            # The end of the document: where an editor's cursor goes after its last character.
            line = text.count("\n") + 1
            column = len(text) - text.rfind("\n")
    if message[:1].isupper() and message[1:2].islower():
        message = message[0].lower() + message[1:]
    return message, line, column


def _collect(data: dict[str, Any], path: Path) -> dict[str, Any]:
    types = {f.name: f.type for f in fields(Config)}
    values: dict[str, Any] = {}
    for section, table in data.items():
        if section not in _LAYOUT:
            raise EditionError(f"unknown section [{section}] (known: {', '.join(_LAYOUT)})", path)
        if not isinstance(table, dict):
            raise EditionError(f"{section} must be a table [{section}]", path)
        for key, value in table.items():
            name = _LAYOUT[section].get(key)
            if name is None:
                known = ", ".join(_LAYOUT[section])
                raise EditionError(f"unknown key {section}.{key} (known: {known})", path)
            values[name] = _coerce(name, types[name], value, f"{section}.{key}", path)
    return values


def _coerce(name: str, kind: Any, value: Any, where: str, path: Path) -> Any:
    if name in _PATH_FIELDS:
        if not isinstance(value, str) or not value:
            raise EditionError(f"{where} must be a non-empty path string", path)
        return Path(value)
    if name == "admin_emails":
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
            raise EditionError(f"{where} must be an e-mail address or a list of them", path)
        return tuple(items)
    if name in {"page_size", "index_page_size"}:
        if not isinstance(value, int) or isinstance(value, bool):
            raise EditionError(f"{where} must be an integer", path)
        return value
    if not isinstance(value, str):
        raise EditionError(f"{where} must be a string", path)
    return value


def _check(config: Config, path: Path) -> None:
    if not _REPOSITORY_ID.match(config.repository_identifier):
        raise EditionError(
            "oai.repository_identifier must be a domain-like name with at least one dot "
            f"(such as edition.example.org), not {config.repository_identifier!r}",
            path,
        )
    for email in config.admin_emails:
        if not _EMAIL.match(email):
            raise EditionError(f"oai.admin_email {email!r} is not an e-mail address", path)
    if not 1 <= config.index_page_size <= MAX_INDEX_PAGE_SIZE:
        raise EditionError(f"site.index_page_size must be between 1 and {MAX_INDEX_PAGE_SIZE}", path)
    if not 1 <= config.page_size <= MAX_PAGE_SIZE:
        raise EditionError(f"oai.page_size must be between 1 and {MAX_PAGE_SIZE}", path)
    for key, url in (("site.base_url", config.base_url), ("oai.base_url", config.oai_base_url)):
        if key == "oai.base_url" and not url:
            continue
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise EditionError(f"{key} must be an absolute http(s) URL, not {url!r}", path)
    if not config.repository_name.strip() or not config.site_title.strip():
        raise EditionError("site.title and oai.repository_name must not be empty", path)
    if (problem := prefix_problem(config.record_id_prefix)) is not None:
        raise EditionError(f"convert.record_id_prefix: {problem}", path)
    if config.licence:
        # The licence is a link a reader and a harvester follow (licence/@target, dc:rights).
        parts = urlsplit(config.licence)
        if parts.scheme not in {"http", "https"} or not parts.netloc or any(c.isspace() for c in config.licence):
            raise EditionError(f"convert.licence must be the licence's http(s) URL (or \"\" for none), not {config.licence!r}", path)


def _check_folders(config: Config, path: Path | None) -> Config:
    """``config``, once no folder of it is a file. A file there failed differently in
    each command, and none named the key to correct: convert said "File exists", check
    "no such folder", make a usage error about an ``--out`` the editor never gave."""
    for name, key in _FOLDER_KEYS.items():
        folder: Path = getattr(config, name)
        if folder.exists() and not folder.is_dir():
            raise EditionError(f"{key} names {as_given(folder)}, which is a file, not a folder: "
                               f"move the file away or set {key} to a folder", path)
    return config


def _absolute(config: Config, base: Path) -> Config:
    changes: dict[str, Any] = {
        name: (base / getattr(config, name)).resolve() for name in _PATH_FIELDS
    }
    # Site URLs are joined with relative paths everywhere; one trailing slash avoids
    # both "//" and a missing separator.
    changes["base_url"] = config.base_url.rstrip("/") + "/"
    return replace(config, **changes)
