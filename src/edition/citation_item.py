"""The CSL item of a document: the one mapping from its TEI header
(``xslt/csl-json.xsl``, which reads it through ``xslt/csl.xsl``), checked against the
official CSL-JSON schema, and written as canonical CSL-JSON. Every citation format
is made from it (:mod:`edition.citations`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from edition.errors import EditionError

CSL_SCHEMA = "csl-data.json"

CslItem = dict[str, Any]


class CitationError(EditionError):
    """A document whose citation cannot be produced or does not validate."""


# The order fields are written in: the reading order of a citation, so a person
# comparing two files sees the same shape. Unknown keys follow, sorted.
_CSL_KEY_ORDER = (
    "id", "type", "title", "author", "recipient", "translator", "issued", "genre",
    "archive", "archive_collection", "archive_location", "archive-place", "language",
    "abstract", "source", "URL", "note", "custom",
)
_NAME_KEY_ORDER = ("family", "given", "non-dropping-particle", "dropping-particle", "suffix", "literal")
NAME_VARIABLES = frozenset({"author", "recipient", "translator", "editor", "contributor"})


def csl_item(tei_path: Path, base_url: str = "", *, data: bytes | None = None, xslt_dir: Path | None = None) -> CslItem:
    """The CSL item of one TEI file, checked against the official CSL-JSON schema.

    ``base_url`` is the published edition's address; the item's URL is then the
    document's page there (else the source's URL). ``data`` is the file's content
    when the caller has already read it (the build reads each file once).
    """
    return checked_csl_item(tei_path, base_url, data=data, xslt_dir=xslt_dir)[0]


def checked_csl_item(tei_path: Path, base_url: str = "", *, data: bytes | None = None, xslt_dir: Path | None = None,
                     valid: str = "") -> tuple[CslItem, str]:
    """:func:`csl_item`, and the key of its validity (:func:`validity_key`). ``valid``: a
    key the caller kept from an earlier check; an item with that key was found valid
    against this schema, and is not checked again (nor jsonschema imported, a fifth of
    a second of CPU for a rebuild after one correction, which maps one item)."""
    from edition.transform import XSLT_DIR, TransformError, transformer

    t = transformer(xslt_dir or XSLT_DIR)
    try:
        node = t.parse(data if data is not None else tei_path.read_bytes(), tei_path)
        text = t.apply("csl-json.xsl", node, {"base-url": base_url}, tei_path)
    except TransformError as exc:
        if exc.line is not None and exc.path is not None and Path(exc.path) != tei_path:
            raise  # a stylesheet that does not compile: named with its own place, not the document's
        raise CitationError(f"no citation: {exc.message}", tei_path) from exc
    except OSError as exc:
        raise CitationError(f"cannot read: {exc.strerror}", tei_path) from exc
    items = json.loads(text)
    key = validity_key(items)
    if not valid or valid != key:
        validate_csl(items, tei_path)
    return items[0], key


def validity_key(items: Any) -> str:
    """What the validity of ``items`` depends on, hashed: the items and the schema's
    bytes (the jsonschema package and this code are the callers' memo fingerprint)."""
    text = json.dumps(items, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{_csl_schema()[1]}\x1f{text}".encode("utf-8")).hexdigest()


@cache
def _csl_schema() -> tuple[dict[str, Any], str]:
    """The CSL-JSON schema, and the SHA-256 of its bytes."""
    from edition import refschemas

    data = refschemas.path(CSL_SCHEMA).read_bytes()
    schema = json.loads(data)
    if not isinstance(schema, dict):
        raise EditionError(f"{CSL_SCHEMA} is not a JSON schema (not an object)")
    return schema, hashlib.sha256(data).hexdigest()


@cache
def _csl_validator() -> Any:
    import jsonschema

    schema = _csl_schema()[0]
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


# The keywords of the CSL-JSON schema (1.0.2), none of which looks at a string's
# content or a number's value, and the one field whose value an enum constrains.
_SHAPE_KEYWORDS = frozenset({
    "$id", "$ref", "$schema", "additionalProperties", "anyOf", "definitions", "description", "enum",
    "examples", "items", "maxItems", "minItems", "properties", "required", "title", "type",
})
_ENUM_FIELDS = frozenset({"type"})


@cache
def _valid_shapes() -> set[str] | None:
    """Shapes of items found valid (see :func:`_shape`), or None when the schema has a
    keyword under which validity would depend on more than an item's shape."""
    keywords: set[str] = set()
    enum_fields: set[str] = set()

    def walk(node: Any, field: str, is_map: bool) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if is_map:  # under properties and definitions the keys are names, not keywords
                    walk(value, key, False)
                    continue
                keywords.add(key)
                if key == "enum":
                    enum_fields.add(field)
                walk(value, field, key in ("properties", "definitions"))
        elif isinstance(node, list):
            for value in node:
                walk(value, field, False)

    walk(_csl_schema()[0], "", False)
    known = keywords <= _SHAPE_KEYWORDS | {"metadata-double-checked", "other-ids", "short_id"}
    return set() if known and enum_fields <= _ENUM_FIELDS else None


def _shape(value: Any, key: str = "") -> Any:
    """``value`` with what no keyword of the schema looks at taken out: strings emptied
    (except the enum's), numbers reduced to integral or not; keys, nesting, list
    lengths and JSON types kept."""
    if isinstance(value, dict):
        return {k: _shape(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    if isinstance(value, str):
        return value if key in _ENUM_FIELDS else ""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return 0
    if isinstance(value, float):
        return 0.0 if value.is_integer() else 0.5
    return value


def validate_csl(items: Any, origin: Path | str) -> None:
    """Raise :class:`CitationError` naming the file and the JSON path of the first problem.

    An item list whose shape was found valid before is not checked again: under this
    schema's keywords (checked when it is loaded) validity depends on the shape alone,
    and the edition's items come in a few dozen shapes. Checking one took a twentieth
    of the work of rendering a document."""
    shapes = _valid_shapes()
    shape = json.dumps(_shape(items), sort_keys=True) if shapes is not None else ""
    if shapes is not None and shape in shapes:
        return
    errors = sorted(_csl_validator().iter_errors(items), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(root)"
        raise CitationError(f"CSL-JSON does not match the CSL schema at {where}: {first.message}", origin)
    if shapes is not None and len(shapes) < 10_000:
        shapes.add(shape)


def _ordered(item: Mapping[str, Any], order: Sequence[str]) -> dict[str, Any]:
    keys = [k for k in order if k in item] + sorted(k for k in item if k not in order)
    return {k: _canonical(item[k], k) for k in keys}


def _canonical(value: Any, key: str = "") -> Any:
    if isinstance(value, Mapping):
        return _ordered(value, _NAME_KEY_ORDER if key in NAME_VARIABLES else ())
    if isinstance(value, list):
        return [_canonical(v, key) for v in value]
    return value



def csl_json(items: Sequence[CslItem]) -> str:
    """CSL-JSON text with a fixed key order, so equal items give equal bytes."""
    return json.dumps([_ordered(i, _CSL_KEY_ORDER) for i in items], ensure_ascii=False, indent=2) + "\n"
