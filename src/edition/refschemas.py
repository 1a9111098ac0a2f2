"""Where the reference schemas (tei_all, OAI-PMH, CSL) live on this machine.

The reference schemas are inputs published by others, so they are not copied
into the repository. ``make schemas`` fills ``.cache/schemas/`` with them: from
``../shared/schemas-ref/`` when that folder exists, otherwise downloaded from
their publishers. Code asks :func:`path` for a file and gets, in order:

1. a per-file override from the environment (``EDITION_TEI_ALL=/path/tei_all.rng``
   for the TEI schema; ``EDITION_SCHEMAS=/dir`` for a whole folder);
2. the cache (``.cache/schemas/``, or ``$EDITION_SCHEMA_CACHE``);
3. ``../shared/schemas-ref/`` beside the checkout, so a developer who has not run
   ``make schemas`` yet still validates offline.

Both folders are those of the checkout; a copy installed with ``pip install .`` has no
checkout, and uses those of the folder it runs in (:func:`edition.locations.project_dir`).

Nothing here touches the network except :func:`fetch`, which only ``make
schemas`` calls.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from edition import xmlsafe
from edition.errors import EditionError
from edition.fsutil import atomic_write
from edition.locations import project_dir


@dataclass(frozen=True)
class Reference:
    name: str
    url: str
    env: str | None = None  # environment variable naming a local copy of just this file


TEI_ALL = "tei_all.rng"

# The publishers' own addresses; the TEI Consortium's "release" path always holds the current P5.
REFERENCES: tuple[Reference, ...] = (
    Reference(TEI_ALL, "https://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng", "EDITION_TEI_ALL"),
    Reference("OAI-PMH.xsd", "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"),
    Reference("oai_dc.xsd", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"),
    Reference("oai-identifier.xsd", "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"),
    Reference("simpledc20021212.xsd", "http://dublincore.org/schemas/xmls/simpledc20021212.xsd"),
    Reference("xml.xsd", "http://www.w3.org/2001/xml.xsd"),
    Reference("csl-data.json", "https://resource.citationstyles.org/schema/v1.0/input/json/csl-data.json"),
    Reference("csl-citation.json", "https://resource.citationstyles.org/schema/v1.0/input/json/csl-citation.json"),
)
BY_NAME = {ref.name: ref for ref in REFERENCES}

# Written locally after a download (it is local in ../shared too): imports the OAI and DC
# schemas from the same folder so full OAI-PMH responses validate offline.
OAI_WRAPPER = "oai-pmh-with-dc.xsd"
_WRAPPER_IMPORTS = (
    ("http://www.w3.org/XML/1998/namespace", "xml.xsd"),
    ("http://purl.org/dc/elements/1.1/", "simpledc20021212.xsd"),
    ("http://www.openarchives.org/OAI/2.0/oai_dc/", "oai_dc.xsd"),
    ("http://www.openarchives.org/OAI/2.0/oai-identifier", "oai-identifier.xsd"),
    ("http://www.openarchives.org/OAI/2.0/", "OAI-PMH.xsd"),
)
XS = "http://www.w3.org/2001/XMLSchema"


def cache_dir() -> Path:
    return Path(os.environ.get("EDITION_SCHEMA_CACHE", project_dir() / ".cache" / "schemas"))


def shared_dir() -> Path:
    return project_dir().parent / "shared" / "schemas-ref"


def candidates(name: str) -> list[Path]:
    """Every place :func:`path` looks for ``name``, in order."""
    found: list[Path] = []
    ref = BY_NAME.get(name)
    if ref is not None and ref.env and os.environ.get(ref.env):
        found.append(Path(os.environ[ref.env]))
    if os.environ.get("EDITION_SCHEMAS"):
        found.append(Path(os.environ["EDITION_SCHEMAS"]) / name)
    found += [cache_dir() / name, shared_dir() / name]
    return found


def path(name: str) -> Path:
    """Return the local file for reference schema ``name`` or say how to get it."""
    places = candidates(name)
    ref = BY_NAME.get(name)
    # An explicit override that points nowhere is a mistake to report, not to paper over.
    if ref is not None and ref.env and os.environ.get(ref.env):
        override = places[0]
        if not override.is_file():
            raise EditionError(f"{ref.env} points to a missing file", override)
        return override
    for place in places:
        if place.is_file():
            return place
    raise EditionError(
        f"reference schema {name} not found (looked in {', '.join(str(p.parent) for p in places)}); "
        "run 'make schemas' (where there is no Makefile: python -m edition.refschemas)"
        " or set EDITION_TEI_ALL / EDITION_SCHEMAS to a local copy"
    )


def tei_all() -> Path:
    return path(TEI_ALL)


def _check(name: str, data: bytes) -> None:
    """Refuse to cache something that is not the kind of file it claims to be (an HTML error page)."""
    try:
        if name.endswith(".json"):
            json.loads(data)
        else:
            # Downloaded: parsed as untrusted XML (no DTD, entities or network).
            xmlsafe.parse_bytes(data, name)
    except (ValueError, EditionError) as exc:
        raise EditionError(f"{name} is not well-formed: {exc}") from exc


def _download(url: str, timeout: float = 60.0) -> bytes:
    import urllib.request  # only to download: ssl and email cost every run a tenth of a second

    request = urllib.request.Request(url, headers={"User-Agent": "edition-schemas/1"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - fixed publisher URLs
        return response.read()


def _localise_oai_dc(data: bytes) -> bytes:
    """Point oai_dc's import of simple DC at the cached copy, as the shared copy does."""
    tree = xmlsafe.parse_bytes(data, "oai_dc.xsd").getroot()
    for imp in tree.iter(f"{{{XS}}}import"):
        if imp.get("schemaLocation", "").endswith("simpledc20021212.xsd"):
            imp.set("schemaLocation", "simpledc20021212.xsd")
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def _wrapper() -> bytes:
    schema = etree.Element(f"{{{XS}}}schema", nsmap={"xs": XS})
    schema.set("targetNamespace", "urn:x-local:oai-pmh-with-dc")
    schema.set("elementFormDefault", "qualified")
    for namespace, location in _WRAPPER_IMPORTS:
        etree.SubElement(schema, f"{{{XS}}}import", namespace=namespace, schemaLocation=location)
    return etree.tostring(schema, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def fetch(dest: Path, shared: Path | None, *, download: bool = True, log=print) -> list[Path]:
    """Fill ``dest`` with every reference schema: copied from ``shared`` or downloaded."""
    dest.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    names = [ref.name for ref in REFERENCES] + [OAI_WRAPPER]
    for name in names:
        target = dest / name
        source = shared / name if shared is not None else None
        if source is not None and source.is_file():
            data = source.read_bytes()
            origin = str(source)
        elif name == OAI_WRAPPER:
            data, origin = _wrapper(), "written locally"
        elif target.is_file():
            continue  # downloaded before; `make distclean` forces a fresh copy
        elif download:
            ref = BY_NAME[name]
            try:
                data = _download(ref.url)
            except OSError as exc:
                # One try, then say what to do: there is no network, or the publisher is down.
                local = (shared if shared is not None else shared_dir()).resolve()
                raise EditionError(
                    f"cannot download {name} from {ref.url}: {exc}; connect to the network and run"
                    f" 'make schemas' again, or put the reference schemas in {local}, where"
                    " 'make schemas' copies them from"
                ) from exc
            if name == "oai_dc.xsd":
                data = _localise_oai_dc(data)
            origin = ref.url
        else:
            raise EditionError(f"{name} is neither in {shared} nor cached, and downloads are off")
        _check(name, data)
        if not target.is_file() or target.read_bytes() != data:
            atomic_write(target, data)
            log(f"schemas: {name} <- {origin}")
        written.append(target)
    if shared is not None and (shared / "cmif").is_dir():
        # Correspondence schemas are optional extras: copied when present, never downloaded.
        for item in sorted((shared / "cmif").iterdir()):
            target = dest / "cmif" / item.name
            if item.is_file() and (not target.is_file() or target.read_bytes() != item.read_bytes()):
                atomic_write(target, item.read_bytes())
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m edition.refschemas", description=fetch.__doc__)
    parser.add_argument("--dest", type=Path, default=cache_dir())
    parser.add_argument("--shared", type=Path, default=shared_dir())
    parser.add_argument("--no-download", action="store_true")
    args = parser.parse_args(argv)
    try:
        # A --shared folder that is not there is no error: everything is downloaded, and the
        # folder is named in the message if that fails.
        fetch(args.dest, args.shared, download=not args.no_download)
    except EditionError as exc:
        print(f"schemas: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
