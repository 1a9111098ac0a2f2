"""OAI-PMH 2.0 over the catalog: a pure request -> response function and its WSGI wrapper.

:func:`respond` takes the decoded request arguments and returns the response
document; everything the protocol says about arguments, errors, dates,
resumption tokens and deleted records lives here. :class:`OaiApp` adds HTTP:
GET and POST (``application/x-www-form-urlencoded``), strict UTF-8 decoding,
size limits, and HTTP 200 for every protocol error (spec section 3.6).

Responses are built with lxml and carry only values that satisfy the OAI-PMH
schema: a request argument that does not is never echoed in ``<request>``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote_to_bytes

from lxml import etree

from edition import lxmltypes
from edition.catalog import (
    CatalogError,
    Query,
    Record,
    Snapshot,
    format_datestamp,
    snapshot,
)
from edition.config import Config

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_ID_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    schema: str
    namespace: str
    column: str  # catalog column holding the disseminated XML


FORMATS: dict[str, MetadataFormat] = {
    f.prefix: f
    for f in (
        MetadataFormat(
            "oai_dc",
            "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
            "http://www.openarchives.org/OAI/2.0/oai_dc/",
            "oai_dc",
        ),
        MetadataFormat(
            "tei",
            "http://www.tei-c.org/release/xml/tei/custom/schema/xsd/tei_all.xsd",
            "http://www.tei-c.org/ns/1.0",
            "tei",
        ),
    )
}

# verb -> (required arguments, optional arguments); resumptionToken is handled apart
# because it is exclusive.
VERBS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "Identify": (frozenset(), frozenset()),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"})),
    "ListSets": (frozenset(), frozenset()),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset()),
    "ListIdentifiers": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"})),
    "ListRecords": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"})),
}
RESUMABLE = frozenset({"ListSets", "ListIdentifiers", "ListRecords"})

MAX_VALUE = 1024  # characters in one argument value (tokens are far shorter)
MAX_ARGUMENTS = 16
MAX_QUERY_BYTES = 8192
MAX_BODY_BYTES = 8192
# A page of records ends once its metadata passes this size (long TEI documents).
MAX_PAGE_BYTES = 4 * 1024 * 1024

# Values that the OAI-PMH schema accepts in <request> attributes. They end in \Z, not $:
# $ also matches before a final newline, which the schema's patterns do not allow.
_PREFIX = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+\Z")
_SET = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*\Z")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[A-Za-z0-9\-_.!~*'();/?:@&=+$,%\[\]#]+\Z")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\Z")
# Characters XML 1.0 cannot carry at all.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class OAIError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _bad(message: str) -> OAIError:
    return OAIError("badArgument", message)


# ---------------------------------------------------------------------------
# Dates


@dataclass(frozen=True)
class Bound:
    raw: str
    datestamp: str  # the inclusive bound as a full datestamp
    day: bool


def parse_bound(name: str, raw: str, *, upper: bool) -> Bound:
    """``from``/``until`` at day or seconds granularity, as an inclusive full datestamp."""
    if _DAY.match(raw):
        try:
            datetime.strptime(raw, "%Y-%m-%d")
        except ValueError:
            raise _bad(f"{name} is not a real date: {raw}") from None
        # Spelled out from the day as given, not with strftime: its %Y drops the leading
        # zeros of a year before 1000 ("999-01-01"), which then sorts after every datestamp.
        return Bound(raw, f"{raw}T23:59:59Z" if upper else f"{raw}T00:00:00Z", day=True)
    if _SECOND.match(raw):
        try:
            datetime.strptime(raw, "%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            raise _bad(f"{name} is not a real date and time: {raw}") from None
        return Bound(raw, raw, day=False)
    raise _bad(f"{name} must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ")


# ---------------------------------------------------------------------------
# Resumption tokens: base64url(JSON state) "." base64url(HMAC-SHA256)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: str, payload: str) -> str:
    return _b64(hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest()[:18])


def make_token(secret: str, state: dict) -> str:
    payload = _b64(json.dumps(state, separators=(",", ":"), sort_keys=True).encode())
    return f"{payload}.{_signature(secret, payload)}"


def catalog_tag(catalog_secret: str) -> str:
    """A name for one catalog file, carried in its tokens beside its version.

    Versions count from 1 in every new catalog (a clean rebuild makes one), and a
    configured ``token_secret`` signs the tokens of every catalog alike: without this, a
    token from the catalog a clean rebuild replaced would be taken up by the new one at
    the same version, continuing a list of other records under the old list's size. The
    catalog's own random secret tells them apart; only a keyed hash of it leaves the server.
    """
    return _signature(catalog_secret, "catalog")[:12]


def read_token(secret: str, token: str, verb: str, version: int, catalog: str) -> dict:
    invalid = OAIError("badResumptionToken", "the resumption token is invalid")
    if not re.fullmatch(r"[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+", token):
        raise invalid
    payload, signature = token.split(".")
    if not hmac.compare_digest(signature, _signature(secret, payload)):
        raise invalid
    try:
        state = json.loads(_unb64(payload))
    except ValueError:
        raise invalid from None
    if not isinstance(state, dict) or state.get("verb") != verb:
        raise OAIError("badResumptionToken", f"the resumption token does not belong to {verb}")
    if state.get("version") != version or state.get("catalog") != catalog:
        raise OAIError(
            "badResumptionToken",
            "the repository changed since this resumption token was issued; restart the list",
        )
    return state


# ---------------------------------------------------------------------------
# Requests


@dataclass(frozen=True)
class Request:
    verb: str
    args: dict[str, str]


def parse_request(pairs: Sequence[tuple[str, str]]) -> Request:
    """Check the arguments' names, counts and syntax (spec 3.1.1 and 4)."""
    if len(pairs) > MAX_ARGUMENTS:
        raise _bad("too many arguments")
    verbs = [value for key, value in pairs if key == "verb"]
    if not verbs:
        raise OAIError("badVerb", "the verb argument is missing")
    if len(verbs) > 1:
        raise OAIError("badVerb", "the verb argument is repeated")
    verb = verbs[0]
    if verb not in VERBS:
        raise OAIError("badVerb", "the value of the verb argument is not an OAI-PMH verb")
    required, optional = VERBS[verb]
    allowed = required | optional | ({"resumptionToken"} if verb in RESUMABLE else set())
    args: dict[str, str] = {}
    for key, value in pairs:
        if key == "verb":
            continue
        if key not in allowed:
            raise _bad(f"{verb} does not take the argument {_quote(key)}")
        if key in args:
            raise _bad(f"the argument {key} is repeated")
        if not value:
            raise _bad(f"the argument {key} is empty")
        if len(value) > MAX_VALUE or _NOT_XML.search(value):
            raise _bad(f"the value of {key} is too long or contains characters XML cannot carry")
        args[key] = value
    if "resumptionToken" in args:
        if len(args) > 1:
            raise _bad("resumptionToken is an exclusive argument")
    else:
        missing = sorted(required - args.keys())
        if missing:
            raise _bad(f"{verb} requires the argument {' and '.join(missing)}")
    if "set" in args and not _SET.match(args["set"]):
        raise _bad("set is not a valid setSpec")
    # Dates are checked here so that any bad date is a badArgument, whatever else is wrong.
    _bounds(args)
    return Request(verb, args)


def _bounds(args: dict[str, str]) -> tuple[Bound | None, Bound | None]:
    start = parse_bound("from", args["from"], upper=False) if "from" in args else None
    end = parse_bound("until", args["until"], upper=True) if "until" in args else None
    if start and end:
        if start.day != end.day:
            raise _bad("from and until must have the same granularity")
        if start.datestamp > end.datestamp:
            raise _bad("from is later than until")
    return start, end


def _quote(text: str) -> str:
    # Error messages go into XML; keep them short and printable.
    shown = _NOT_XML.sub("?", text[:40])
    return repr(shown + ("..." if len(text) > 40 else ""))


def _echo(args: dict[str, str]) -> dict[str, str]:
    """The arguments that may appear as attributes of <request> (schema-valid only)."""
    shown: dict[str, str] = {}
    for key, value in args.items():
        ok = {
            "identifier": bool(_URI.match(value)),
            "metadataPrefix": bool(_PREFIX.match(value)),
            "set": bool(_SET.match(value)),
            "from": bool(_DAY.match(value) or _SECOND.match(value)),
            "until": bool(_DAY.match(value) or _SECOND.match(value)),
            "resumptionToken": True,
        }.get(key, False)
        if ok:
            shown[key] = value
    return shown


# ---------------------------------------------------------------------------
# Responses


_TAGS: dict[str, str] = {}


def _el(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> etree._Element:
    tag = _TAGS.get(name)
    if tag is None:
        tag = _TAGS[name] = f"{{{OAI_NS}}}{name}"
    child = etree.SubElement(parent, tag, attrs) if attrs else etree.SubElement(parent, tag)
    if text is not None:
        child.text = text
    return child


_METADATA_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


class Responder:
    """Answers one request from one catalog snapshot."""

    def __init__(self, config: Config, snap: Snapshot, base_url: str) -> None:
        self.config = config
        self.snap = snap
        self.base_url = base_url
        self.page_size = config.page_size
        self.secret = config.token_secret or snap.secret
        self.catalog = catalog_tag(snap.secret)

    # -- identifiers

    def identifier(self, doc_id: str) -> str:
        return self.config.oai_identifier(doc_id)

    def local_id(self, identifier: str) -> str:
        prefix = f"oai:{self.config.repository_identifier}:"
        if not identifier.startswith(prefix) or len(identifier) == len(prefix):
            raise OAIError("idDoesNotExist", "no item has this identifier in this repository")
        return identifier[len(prefix):]

    def find(self, identifier: str, column: str | None = None) -> Record:
        if not identifier.startswith(f"oai:{self.config.repository_identifier}:"):
            # A name under a former repository identifier: a deleted record (catalog._retire).
            retired = self.snap.get_retired(identifier)
            if retired is not None:
                return retired
        record = self.snap.get(self.local_id(identifier), column)
        if record is None:
            raise OAIError("idDoesNotExist", "no item has this identifier in this repository")
        return record

    def metadata_format(self, prefix: str) -> MetadataFormat:
        found = FORMATS.get(prefix)
        if found is None:
            raise OAIError(
                "cannotDisseminateFormat",
                f"metadataPrefix must be one of {', '.join(sorted(FORMATS))}",
            )
        return found

    # -- verbs

    def Identify(self, parent: etree._Element, args: dict[str, str]) -> None:
        node = _el(parent, "Identify")
        _el(node, "repositoryName", self.config.repository_name)
        _el(node, "baseURL", self.base_url)
        _el(node, "protocolVersion", "2.0")
        for email in self.config.admin_emails:
            _el(node, "adminEmail", email)
        _el(node, "earliestDatestamp", self.snap.earliest_datestamp())
        _el(node, "deletedRecord", "persistent")
        _el(node, "granularity", GRANULARITY)
        description = _el(node, "description")
        # lxml-stubs bug: nsmap is typed Mapping[str, str], but None is lxml's key for the default namespace.
        ident = etree.SubElement(description, f"{{{OAI_ID_NS}}}oai-identifier", nsmap={None: OAI_ID_NS})  # type: ignore[dict-item]
        ident.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_ID_NS} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd")
        for name, value in (
            ("scheme", "oai"),
            ("repositoryIdentifier", self.config.repository_identifier),
            ("delimiter", ":"),
            ("sampleIdentifier", self.identifier(self._sample_id())),
        ):
            etree.SubElement(ident, f"{{{OAI_ID_NS}}}{name}").text = value

    def _sample_id(self) -> str:
        first = self.snap.page(Query(), None, 1)
        return first[0].id if first and not first[0].identifier else "example"

    def ListMetadataFormats(self, parent: etree._Element, args: dict[str, str]) -> None:
        if "identifier" in args and self.find(args["identifier"]).deleted:
            raise OAIError("noMetadataFormats", "the item is deleted; no metadata can be disseminated")
        node = _el(parent, "ListMetadataFormats")
        for fmt in FORMATS.values():
            entry = _el(node, "metadataFormat")
            _el(entry, "metadataPrefix", fmt.prefix)
            _el(entry, "schema", fmt.schema)
            _el(entry, "metadataNamespace", fmt.namespace)

    def GetRecord(self, parent: etree._Element, args: dict[str, str]) -> None:
        fmt = self.metadata_format(args["metadataPrefix"])
        record = self.find(args["identifier"], fmt.column)
        self._record(_el(parent, "GetRecord"), record)

    def ListIdentifiers(self, parent: etree._Element, args: dict[str, str]) -> None:
        self._list_records(parent, args, "ListIdentifiers", with_metadata=False)

    def ListRecords(self, parent: etree._Element, args: dict[str, str]) -> None:
        self._list_records(parent, args, "ListRecords", with_metadata=True)

    def ListSets(self, parent: etree._Element, args: dict[str, str]) -> None:
        total = self.snap.set_count()
        if total == 0:
            raise OAIError("noSetHierarchy", "this repository has no sets")
        if "resumptionToken" in args:
            state = read_token(self.secret, args["resumptionToken"], "ListSets", self.snap.version, self.catalog)
            after, offset = _state_position(state)
        else:
            after, offset = None, 0
        sets = self.snap.sets(after, self.page_size)
        if not sets:
            raise OAIError("badResumptionToken", "the resumption token points past the end of the list")
        node = _el(parent, "ListSets")
        for info in sets:
            entry = _el(node, "set")
            _el(entry, "setSpec", info.spec)
            _el(entry, "setName", info.name)
        self._resumption(node, "ListSets", {}, sets[-1].spec, offset, len(sets), total,
                         resumed="resumptionToken" in args)

    # -- lists of records

    def _list_records(self, parent: etree._Element, args: dict[str, str], verb: str, *, with_metadata: bool) -> None:
        if "resumptionToken" in args:
            state = read_token(self.secret, args["resumptionToken"], verb, self.snap.version, self.catalog)
            query_args = {k: v for k, v in state.get("args", {}).items() if k in {"metadataPrefix", "from", "until", "set"}}
            if "metadataPrefix" not in query_args:
                raise OAIError("badResumptionToken", "the resumption token is invalid")
            after, offset = _state_position(state)
        else:
            state = {}
            query_args = dict(args)
            after, offset = None, 0
        fmt = self.metadata_format(query_args["metadataPrefix"])
        query = self._query(query_args)
        # The catalog version in the token pins the list, so its size is carried, not recounted.
        total = state.get("total")
        if not isinstance(total, int) or isinstance(total, bool) or total <= offset:
            total = self.snap.count(query)
        if total == 0:
            raise OAIError("noRecordsMatch", "no record matches the arguments")
        records = self.snap.page(query, after, self.page_size, fmt.column if with_metadata else None)
        if not records:
            raise OAIError("badResumptionToken", "the resumption token points past the end of the list")
        node = _el(parent, verb)
        if with_metadata:
            records = self._fill_page(node, records)
        else:
            for record in records:
                self._header(node, record)
        self._resumption(node, verb, query_args, records[-1].key, offset, len(records), total,
                         resumed="resumptionToken" in args)

    def _query(self, args: dict[str, str]) -> Query:
        start, end = _bounds(args)
        spec = args.get("set")
        if spec is not None and self.snap.set_count() == 0:
            raise OAIError("noSetHierarchy", "this repository has no sets")
        return Query(start.datestamp if start else None, end.datestamp if end else None, spec)

    def _resumption(self, node: etree._Element, verb: str, query_args: dict[str, str], last: str,
                    offset: int, count: int, total: int, *, resumed: bool) -> None:
        done = offset + count >= total
        if done and not resumed:
            return  # the whole list in one response: no token at all (spec 3.5)
        token = "" if done else make_token(self.secret, {
            "verb": verb, "args": query_args, "after": last, "offset": offset + count,
            "version": self.snap.version, "catalog": self.catalog, "total": total,
        })
        _el(node, "resumptionToken", token, completeListSize=str(total), cursor=str(offset))

    def _header(self, parent: etree._Element, record: Record) -> None:
        header = _el(parent, "header")
        if record.deleted:
            header.set("status", "deleted")
        _el(header, "identifier", record.identifier or self.identifier(record.id))
        _el(header, "datestamp", record.datestamp)
        for spec in record.sets:
            # Spec 2.6: only the setSpecs that give the membership; a parent (type) is
            # implied by its child (type:letter). The catalog keeps parents, to select by them.
            if not any(other.startswith(spec + ":") for other in record.sets):
                _el(header, "setSpec", spec)

    def _fill_page(self, node: etree._Element, records: list[Record]) -> list[Record]:
        """Add records until one would repeat an xml:id already in the response, or
        until the page is large enough.

        Full TEI documents carry their own xml:ids (translator-1, ...), which
        repeat from document to document; one response holding two of them would
        break XML's ID uniqueness and make parsers such as lxml reject it. Such a
        page simply ends early: the next resumption token continues from there.
        """
        seen: set[str] = set()
        kept: list[Record] = []
        size = 0
        for record in records:
            element = self._metadata(record)
            ids: set[str] = set()
            if element is not None and record.metadata is not None and b"xml:id" in record.metadata:
                ids = set(lxmltypes.strings(element.xpath("descendant-or-self::*/@xml:id")))
            if kept and (ids & seen or size >= MAX_PAGE_BYTES):
                break
            size += len(record.metadata or b"")
            seen |= ids
            self._record(node, record, element)
            kept.append(record)
        return kept

    @staticmethod
    def _metadata(record: Record) -> etree._Element | None:
        if record.deleted or record.metadata is None:
            return None
        return etree.fromstring(record.metadata, _METADATA_PARSER)

    def _record(self, parent: etree._Element, record: Record, element: etree._Element | None = None) -> None:
        node = _el(parent, "record")
        self._header(node, record)
        if element is None:
            element = self._metadata(record)
        if element is not None:
            _el(node, "metadata").append(element)


def _state_position(state: dict) -> tuple[str, int]:
    after, offset = state.get("after"), state.get("offset")
    if not isinstance(after, str) or not isinstance(offset, int) or isinstance(offset, bool) or offset < 1:
        raise OAIError("badResumptionToken", "the resumption token is invalid")
    return after, offset


def respond(
    pairs: Sequence[tuple[str, str]] | None,
    *,
    config: Config,
    catalog_path: Path,
    base_url: str,
    now: datetime | None = None,
    malformed: str | None = None,
) -> bytes:
    """The OAI-PMH response document for one request.

    ``pairs`` are the decoded arguments in request order; ``malformed`` explains
    why the request could not be decoded at all (answered with badArgument).
    Raises :class:`CatalogError` only when the catalog cannot be read.
    """
    # lxml-stubs bug: nsmap is typed Mapping[str, str], but None is lxml's key for the default namespace.
    root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})  # type: ignore[dict-item]
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
    _el(root, "responseDate", format_datestamp(now or datetime.now(UTC)))
    request_el = _el(root, "request", base_url)
    try:
        if malformed is not None:
            raise _bad(malformed)
        request = parse_request(pairs or [])
        request_el.set("verb", request.verb)
        for key, value in _echo(request.args).items():
            request_el.set(key, value)
        with snapshot(catalog_path) as snap:
            responder = Responder(config, snap, base_url)
            getattr(responder, request.verb)(root, request.args)
    except OAIError as exc:
        # A half-built verb element must not stay next to the error.
        del root[2:]
        if exc.code in {"badVerb", "badArgument"}:
            # Spec 3.2: the request element then carries no attributes.
            request_el.attrib.clear()
        _el(root, "error", exc.message, code=exc.code)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# ---------------------------------------------------------------------------
# HTTP


def decode_form(raw: bytes) -> list[tuple[str, str]]:
    """application/x-www-form-urlencoded, strictly UTF-8; raises ValueError on bad bytes."""
    pairs: list[tuple[str, str]] = []
    for part in raw.split(b"&"):
        if not part:
            continue
        key, _, value = part.partition(b"=")
        pairs.append((
            unquote_to_bytes(key.replace(b"+", b" ")).decode("utf-8"),
            unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8"),
        ))
        if len(pairs) > MAX_ARGUMENTS:
            break  # parse_request rejects the count; no need to decode the rest
    return pairs


def request_base_url(environ: dict) -> str:
    """The URL this endpoint was reached at, from a Host header we can trust the shape of."""
    scheme = environ.get("wsgi.url_scheme", "http")
    host = environ.get("HTTP_HOST", "")
    if not re.fullmatch(r"[A-Za-z0-9.\-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?", host):
        host = environ.get("SERVER_NAME", "localhost")
        port = environ.get("SERVER_PORT", "")
        default = "443" if scheme == "https" else "80"
        if port and port != default:
            host = f"{host}:{port}"
    path = (environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")) or "/"
    return f"{scheme}://{host}{path}"


Response = tuple[str, list[tuple[str, str]], bytes]


class OaiApp:
    """WSGI application answering OAI-PMH requests at whatever path it is mounted on."""

    def __init__(self, config: Config, catalog_path: Path | None = None) -> None:
        self.config = config
        self.catalog_path = catalog_path or config.catalog

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        status, headers, body = self.handle(environ)
        if environ.get("REQUEST_METHOD") == "HEAD":
            body = b""
        start_response(status, headers)
        return [body]

    def handle(self, environ: dict) -> Response:
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            if method in {"GET", "HEAD"}:
                raw = environ.get("QUERY_STRING", "").encode("latin-1")
                if len(raw) > MAX_QUERY_BYTES:
                    return _plain("414 URI Too Long", "The request's query string is too long.")
            elif method == "POST":
                content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
                if content_type != "application/x-www-form-urlencoded":
                    return _plain("415 Unsupported Media Type",
                                  "POST requests must be application/x-www-form-urlencoded.")
                try:
                    length = int(environ.get("CONTENT_LENGTH") or 0)
                except ValueError:
                    return _plain("400 Bad Request", "Invalid Content-Length.")
                if length > MAX_BODY_BYTES:
                    return _plain("413 Content Too Large", "The request body is too large.")
                raw = environ["wsgi.input"].read(length) if length > 0 else b""
            else:
                status, headers, body = _plain("405 Method Not Allowed", "Use GET or POST.")
                return status, headers + [("Allow", "GET, HEAD, POST")], body
            malformed = None
            try:
                pairs = decode_form(raw)
            except UnicodeDecodeError:
                pairs, malformed = [], "the request is not valid UTF-8 after percent-decoding"
            base_url = self.config.oai_base_url or request_base_url(environ)
            try:
                body = respond(pairs, config=self.config, catalog_path=self.catalog_path,
                               base_url=base_url, malformed=malformed)
            except CatalogError:
                status, headers, text = _plain("503 Service Unavailable",
                                               "The catalog is not available; try again later.")
                return status, headers + [("Retry-After", "60")], text
            return "200 OK", [
                ("Content-Type", "text/xml; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-cache"),
            ], body
        except Exception:  # noqa: BLE001 - the details go to the server log, never to the client
            traceback.print_exc(file=sys.stderr)
            return _plain("500 Internal Server Error", "Internal error.")


def _plain(status: str, text: str) -> Response:
    body = (text + "\n").encode("utf-8")
    return status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))], body
