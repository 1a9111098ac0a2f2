"""Helpers shared by the harvest tests (tests/test_harvest_*.py).

Schema validation of OAI-PMH responses: the official OAI-PMH schema demands a
global declaration for whatever sits in <metadata> (processContents="strict").
oai_dc has one (in the reference wrapper); for the TEI format the test schema
adds a TEI element that accepts any content, and the TEI payload itself is
checked separately (byte-for-byte against the catalogued file).
"""

from __future__ import annotations

import functools
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lxml import etree

from edition import refschemas
from edition.config import Config, load_config
from edition.server import Server, create_server

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
HARVEST_FIXTURES = FIXTURES / "harvest"
CONTRACT = FIXTURES / "contract" / "wilson-119711.xml"
TEI_NS = "http://www.tei-c.org/ns/1.0"
OAI_NS = "http://www.openarchives.org/OAI/2.0/"
DC_NS = "http://purl.org/dc/elements/1.1/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
XS = "http://www.w3.org/2001/XMLSchema"
NS = {"oai": OAI_NS, "dc": DC_NS, "oai_dc": OAI_DC_NS, "tei": TEI_NS}


@functools.cache
def oai_schema() -> etree.XMLSchema:
    wrapper = refschemas.path("oai-pmh-with-dc.xsd")
    tei_stub = etree.Element(f"{{{XS}}}schema", nsmap={"xs": XS})
    tei_stub.set("targetNamespace", TEI_NS)
    element = etree.SubElement(tei_stub, f"{{{XS}}}element", name="TEI")
    complex_type = etree.SubElement(element, f"{{{XS}}}complexType", mixed="true")
    sequence = etree.SubElement(complex_type, f"{{{XS}}}sequence")
    etree.SubElement(sequence, f"{{{XS}}}any", processContents="skip", minOccurs="0", maxOccurs="unbounded",
                     namespace="##any")
    etree.SubElement(complex_type, f"{{{XS}}}anyAttribute", processContents="skip", namespace="##any")

    top = etree.Element(f"{{{XS}}}schema", nsmap={"xs": XS})
    top.set("targetNamespace", "urn:x-test:oai-with-tei")
    # The wrapper first: it loads xml.xsd before simple DC asks for it remotely.
    etree.SubElement(top, f"{{{XS}}}import", namespace="urn:x-local:oai-pmh-with-dc",
                     schemaLocation=wrapper.resolve().as_uri())
    # lxml resolves the TEI stub through a custom resolver: no temporary files.
    etree.SubElement(top, f"{{{XS}}}import", namespace=TEI_NS, schemaLocation="urn-x-test-tei-stub.xsd")

    class Resolver(etree.Resolver):
        def resolve(self, url, pubid, context):  # noqa: ANN001
            if url.endswith("urn-x-test-tei-stub.xsd"):
                return self.resolve_string(etree.tostring(tei_stub), context)
            return None

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(Resolver())
    document = etree.fromstring(etree.tostring(top), parser, base_url=str(wrapper.resolve().parent / "x.xsd"))
    return etree.XMLSchema(etree.ElementTree(document))


def assert_valid(body: bytes) -> etree._Element:
    """Parse an OAI-PMH response and fail with the schema's messages unless it is valid."""
    root = etree.fromstring(body)
    schema = oai_schema()
    if not schema.validate(root):
        messages = "\n".join(f"line {e.line}: {e.message}" for e in schema.error_log)
        raise AssertionError(f"response is not valid OAI-PMH:\n{messages}\n{body[:2000]!r}")
    return root


def error_code(root: etree._Element) -> str | None:
    error = root.find("oai:error", NS)
    return None if error is None else error.get("code")


@contextmanager
def serving(config: Config, *, threads: int = 2, idle_timeout: int = 30) -> Iterator[Server]:
    """The real server of ``config`` on a free port of 127.0.0.1, running in a thread of its
    own for the ``with`` block and stopped when it ends, however it ends (a failed assertion
    too), so no test leaves a port or a worker behind.

    create_server binds and listens before it returns: the kernel queues a request sent as
    soon as the block begins until the server's loop takes it, so the server is ready when
    it is yielded and no polling (which would only slow every test) is needed.
    """
    server = create_server(config, "127.0.0.1", 0, threads=threads, idle_timeout=idle_timeout)
    try:
        server.start_in_thread()
        yield server
    finally:
        server.stop()


def write_config(directory: Path, *, page_size: int = 4, repository: str = "test.example.org",
                 extra: str = "") -> Config:
    """A configuration whose paths all live in ``directory``."""
    text = (
        "[site]\n"
        'base_url = "https://edition.example.org/"\n'
        "[oai]\n"
        f'repository_identifier = "{repository}"\n'
        f"page_size = {page_size}\n"
        'admin_email = ["a@example.org", "b@example.org"]\n'
        f"{extra}"
        "[paths]\n"
        'tei = "tei"\n'
        'site = "site"\n'
        'catalog = "catalog.sqlite"\n'
    )
    path = directory / "edition.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def clone(source: Path, target_dir: Path, new_id: str, title_suffix: str = "") -> Path:
    """Copy a TEI file under a new id (and optionally a changed title)."""
    tree = etree.parse(str(source))
    root = tree.getroot()
    root.set("{http://www.w3.org/XML/1998/namespace}id", new_id)
    if title_suffix:
        title = root.find(".//tei:titleStmt/tei:title", NS)
        title.text = (title.text or "") + title_suffix
    target = target_dir / f"{new_id}.xml"
    tree.write(str(target), xml_declaration=True, encoding="UTF-8")
    return target


def corpus(target_dir: Path, clones: int = 0) -> list[Path]:
    """The edition's real TEI files, the contract, the harvest fixtures and ``clones`` copies."""
    target_dir.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    sources = sorted((ROOT / "tei").glob("*.xml")) + [CONTRACT] + sorted(HARVEST_FIXTURES.glob("*.xml"))
    for source in sources:
        root = etree.parse(str(source)).getroot()
        doc_id = root.get("{http://www.w3.org/XML/1998/namespace}id")
        if doc_id in seen:
            continue  # the contract and tei/ may both hold wilson-119711
        seen.add(doc_id)
        shutil.copyfile(source, target_dir / f"{doc_id}.xml")
    for number in range(clones):
        clone(CONTRACT, target_dir, f"clone-{number:03d}", f" (copy {number})")
    return sorted(target_dir.glob("*.xml"))
