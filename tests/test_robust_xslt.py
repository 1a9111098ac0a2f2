"""XML safety where TEI files are read: XSLT, validation, catalog, build (issue 8, item 3).

Hand-edited TEI files are untrusted. A DTD with an external entity, an
XInclude, or a URL in an attribute that a stylesheet might dereference must
never bring a local file into the site, the catalog, a report or an error.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from edition.catalog_entries import read_entry
from edition.config import load_config
from edition.convert import convert_source
from edition.errors import EditionError
from edition.transform import Transformer, TransformError
from robust_support import ROBUST_FIXTURES, ROOT, TEI_NS

SECRET = "ROBUST-XSLT-SECRET-91c2"
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


@pytest.fixture(scope="module")
def secret(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("secret") / "secret.xml"
    path.write_text(f"<s>{SECRET}</s>\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tei_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real converted document (house-style TEI) to make hostile variants of."""
    return convert_source(ROBUST_FIXTURES / "russian_letter.md", "wilson")[1]


def with_doctype(tei: bytes, secret: Path) -> bytes:
    """The document with an external entity declared and used in its first paragraph."""
    text = tei.decode("utf-8")
    decl = f'<!DOCTYPE TEI [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>\n'
    text = text.replace("?>\n", "?>\n" + decl, 1)
    text = re.sub(r"(<p>)", r"\1&leak;", text, count=1)
    return text.encode("utf-8")


def with_references(tei: bytes, secret: Path) -> bytes:
    """The document with every kind of pointer a stylesheet might follow aimed at the secret."""
    root = etree.fromstring(tei)
    ns = {"t": TEI_NS}
    p = root.xpath("//t:body//t:p", namespaces=ns)[0]
    xi = etree.SubElement(p, "{http://www.w3.org/2001/XInclude}include", href=secret.as_uri(), parse="text")
    xi.tail = " "
    etree.SubElement(p, f"{{{TEI_NS}}}ref", target=secret.as_uri()).text = "a link"
    etree.SubElement(p, f"{{{TEI_NS}}}ptr", target=str(secret))
    figure = etree.SubElement(p.getparent(), f"{{{TEI_NS}}}figure")
    etree.SubElement(figure, f"{{{TEI_NS}}}graphic", url=secret.as_uri())
    root.set("{http://www.w3.org/XML/1998/namespace}base", secret.parent.as_uri() + "/")
    pi = etree.ProcessingInstruction("xml-stylesheet", f'type="text/xsl" href="{secret.as_uri()}"')
    root.addprevious(pi)
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")


def test_transformer_refuses_a_dtd_before_saxon_sees_it(tei_bytes: bytes, secret: Path) -> None:
    with pytest.raises(TransformError) as info:
        Transformer().parse(with_doctype(tei_bytes, secret), "hostile.xml")
    assert info.value.path == "hostile.xml" and info.value.line == 2
    assert "DOCTYPE" in info.value.message and SECRET not in str(info.value)


def test_saxon_itself_refuses_dtds_and_file_access(tmp_path: Path, secret: Path) -> None:
    """Even a stylesheet that dereferences document content, and a DTD slipped past xmlsafe, read nothing."""
    (tmp_path / "common.xsl").write_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        '<xsl:template name="ok"><ok/></xsl:template></xsl:stylesheet>',
        encoding="utf-8",
    )
    (tmp_path / "reader.xsl").write_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        '<xsl:import href="common.xsl"/>'
        '<xsl:template match="/"><out><xsl:call-template name="ok"/>'
        '<xsl:if test="/r/@text"><xsl:value-of select="unparsed-text(/r/@text)"/></xsl:if>'
        '<xsl:if test="/r/@doc"><xsl:copy-of select="doc(/r/@doc)"/></xsl:if>'
        '<xsl:if test="/r/@document"><xsl:copy-of select="document(/r/@document)"/></xsl:if>'
        "</out></xsl:template></xsl:stylesheet>",
        encoding="utf-8",
    )
    t = Transformer(tmp_path)
    assert "<ok/>" in t.apply("reader.xsl", t.parse(b"<r/>", "plain.xml"))
    for attr in ("text", "doc", "document"):
        for ref in (secret.as_uri(), str(secret), f"http://127.0.0.1:9/{attr}"):
            node = t.parse(etree.tostring(etree.Element("r", {attr: ref})), "hostile.xml")
            try:
                out = t.apply("reader.xsl", node, origin="hostile.xml")
            except TransformError as exc:
                assert SECRET not in str(exc)
            else:
                assert SECRET not in out
    # Saxon's own parser, had the bytes not gone through xmlsafe.
    from saxonche import PySaxonApiError

    with pytest.raises(PySaxonApiError):
        t._proc.parse_xml(xml_text=f'<!DOCTYPE r [<!ENTITY x SYSTEM "{secret.as_uri()}">]><r>&x;</r>')


def test_no_stylesheet_evaluates_strings_as_code() -> None:
    """xsl:evaluate or extension functions would let document content choose what runs."""
    for xsl in sorted((ROOT / "xslt").rglob("*.xsl")):
        text = xsl.read_text(encoding="utf-8")
        assert "xsl:evaluate" not in text, xsl
        assert "http://saxon.sf.net/" not in text or "saxon:" not in re.sub(r"xmlns:saxon=\"[^\"]*\"", "", text), xsl
        assert "http://exslt.org/dynamic" not in text, xsl


def test_validation_reports_a_dtd_without_reading_it(tei_bytes: bytes, secret: Path, tei_all_validator) -> None:
    findings = tei_all_validator.validate_bytes(with_doctype(tei_bytes, secret), "hostile.xml")
    assert findings and findings[0].rule == "unsafe-xml" and findings[0].line == 2
    assert all(SECRET not in f.format() for f in findings)


def test_catalog_refuses_a_dtd(tmp_path: Path, tei_bytes: bytes, secret: Path) -> None:
    path = tmp_path / "wilson-400123.xml"
    path.write_bytes(with_doctype(tei_bytes, secret))
    with pytest.raises(EditionError) as info:
        read_entry(path, load_config(None))
    assert info.value.path == path and SECRET not in str(info.value)


def _build(tmp_path: Path, tei: bytes) -> subprocess.CompletedProcess[str]:
    tei_dir = tmp_path / "tei"
    tei_dir.mkdir()
    (tei_dir / "wilson-400123.xml").write_bytes(tei)
    return subprocess.run(
        [sys.executable, "-m", "edition", "build", "--tei", str(tei_dir), "--out", str(tmp_path / "build")],
        cwd=tmp_path, env=ENV, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def _leaks(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()] if folder.exists() else []


def test_build_refuses_a_dtd_by_file_and_line(tmp_path: Path, tei_bytes: bytes, secret: Path) -> None:
    proc = _build(tmp_path, with_doctype(tei_bytes, secret))
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and SECRET not in proc.stderr + proc.stdout
    assert f"{tmp_path / 'tei' / 'wilson-400123.xml'}:2" in proc.stderr, proc.stderr
    assert _leaks(tmp_path / "build") == []


def test_build_follows_no_pointer_out_of_the_document(tmp_path: Path, tei_bytes: bytes, secret: Path) -> None:
    proc = _build(tmp_path, with_references(tei_bytes, secret))
    assert "Traceback" not in proc.stderr and SECRET not in proc.stderr + proc.stdout
    assert _leaks(tmp_path / "build") == [], "a local file's content reached the build output"


HOSTILE_FILES = {
    "dtd.xml": None,  # filled in by the test: the real document with an external entity
    "deep.xml": b"<TEI xmlns='http://www.tei-c.org/ns/1.0'>" + b"<div>" * 5000 + b"</div>" * 5000 + b"</TEI>",
    "binary.xml": bytes(range(256)) * 8,
    "empty.xml": b"",
    "not-tei.xml": b"<?xml version='1.0'?><html><body>hello</body></html>",
    "truncated.xml": b"<?xml version='1.0'?>\n<TEI xmlns='http://www.tei-c.org/ns/1.0'>\n  <teiHeader>",
    "latin1.xml": "<?xml version='1.0' encoding='UTF-8'?><TEI xmlns='http://www.tei-c.org/ns/1.0'>caf\u00e9</TEI>".encode("latin-1"),
}


@pytest.mark.parametrize("command", ["validate", "build"])
def test_commands_name_every_hostile_file_without_traceback(tmp_path: Path, tei_bytes: bytes, secret: Path, command: str) -> None:
    tei_dir = tmp_path / "tei"
    tei_dir.mkdir()
    for name, data in HOSTILE_FILES.items():
        (tei_dir / name).write_bytes(with_doctype(tei_bytes, secret) if data is None else data)
    args = ["validate", "--layers", "tei_all", str(tei_dir)] if command == "validate" else ["build", "--tei", str(tei_dir), "--out", str(tmp_path / "build")]
    proc = subprocess.run([sys.executable, "-m", "edition", *args], cwd=tmp_path, env=ENV, capture_output=True, text=True, timeout=600)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "Traceback" not in output and "internal error" not in output and SECRET not in output, output
    named = [name for name in HOSTILE_FILES if str(tei_dir / name) in output]
    # validate reports every file; build stops at the first bad file but must name it.
    assert named if command == "build" else sorted(named) == sorted(HOSTILE_FILES), output
    assert _leaks(tmp_path / "build") == []


def test_a_stylesheet_missing_from_a_copy_is_named_even_from_pool_workers(tmp_path: Path) -> None:
    """EDITION_XSLT_DIR may point at an editor's copy of the stylesheets; one it lacks
    stops the build with its name, not with a broken process pool."""
    import shutil

    xslt = tmp_path / "xslt"
    shutil.copytree(ROOT / "xslt", xslt)
    (xslt / "text.xsl").unlink()
    tei_dir = tmp_path / "tei"
    tei_dir.mkdir()
    for source in sorted((ROOT / "tei").glob("*.xml")):
        shutil.copy(source, tei_dir / source.name)
    proc = subprocess.run(
        [sys.executable, "-m", "edition", "build", "--tei", str(tei_dir), "--out", str(tmp_path / "build"), "--jobs", "2"],
        cwd=tmp_path, env={**ENV, "EDITION_XSLT_DIR": str(xslt)}, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert f"{xslt / 'text.xsl'}: stylesheet not found" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and "BrokenProcessPool" not in proc.stderr


def test_a_stylesheet_that_does_not_compile_is_named_with_saxons_reason(tmp_path: Path, tei_bytes: bytes) -> None:
    """The lock-down compiles every stylesheet before the first transform and then forbids
    Saxon to read files: a stylesheet that failed there, asked for afterwards, must be
    reported with why it does not compile, not with Saxon's refusal to read it again."""
    import shutil

    xslt = tmp_path / "xslt"
    shutil.copytree(ROOT / "xslt", xslt)
    text = xslt / "text.xsl"
    broken = '<xsl:template match="ed:nothing"><xsl:value-of select="ed:no-such-function()"/></xsl:template>\n'
    text.write_text(text.read_text(encoding="utf-8").replace("</xsl:stylesheet>", broken + "</xsl:stylesheet>"), encoding="utf-8")
    t = Transformer(xslt)
    t.apply("dc.xsl", t.parse(tei_bytes, "doc.xml"))  # the first transform locks Saxon down
    with pytest.raises(TransformError) as raised:
        t.stylesheet("text.xsl")
    assert "no-such-function" in str(raised.value) and "prohibited" not in str(raised.value), str(raised.value)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_saxons_own_report_of_a_dynamic_error_reaches_the_terminal_only_inside_the_editions(tmp_path: Path, jobs: str) -> None:
    """Saxon writes a dynamic error to standard error itself, in lines of its own with
    the stylesheet's line and column, then raises an exception without them: the
    editor saw Saxon's text, then the edition's line, which lacked the place."""
    import shutil

    xslt = tmp_path / "xslt"
    shutil.copytree(ROOT / "xslt", xslt)
    page = xslt / "html.xsl"
    source = page.read_text(encoding="utf-8")
    start = '<xsl:template match="/">'
    assert source.count(start) == 1
    # A type error only a document can raise: more than one title where one is cast.
    page.write_text(source.replace(start, start + '<xsl:value-of select="xs:integer(//*:title)"/>'), encoding="utf-8")
    line = source[: source.index(start)].count("\n") + 1
    tei_dir = tmp_path / "tei"
    shutil.copytree(ROOT / "tei", tei_dir)
    # The TEI folder given, and the configuration's (tei/ by default): named as given
    # (a worker names the file by the absolute path it was handed).
    for folder in (["--tei", "tei"], []):
        proc = subprocess.run(
            [sys.executable, "-m", "edition", "build", *folder, "--out", "build", "--jobs", jobs],
            cwd=tmp_path, env={**ENV, "EDITION_XSLT_DIR": str(xslt)}, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert proc.returncode == 1, proc.stderr
        lines = proc.stderr.splitlines()
        assert lines and all(text.startswith("edition: error: tei/") for text in lines), proc.stderr
        assert "html.xsl: Type error" in lines[0] and f"on line {line} column" in lines[0] and "XPTY0004" in lines[0], proc.stderr


@pytest.mark.parametrize(("module", "start", "broken", "says"), [
    ("html.xsl", '<xsl:template match="/">', '<xsl:template match="/"><xsl:value-of select="$nope"/>',
     "stylesheet does not compile: in xsl:value-of/@select: XPST0008 Variable $nope has not been declared"),
    # A module every stylesheet imports: named itself, not as the first document's
    # "no citation" (the citation's stylesheet is the first compiled).
    ("common.xsl", "<xsl:function ", '<xsl:function xx="1" ', "stylesheet does not compile: in xsl:function/@xx: XTSE0090"),
])
def test_a_stylesheet_that_does_not_compile_is_named_with_its_line_and_column(tmp_path: Path, module: str, start: str,
                                                                                broken: str, says: str) -> None:
    # Saxon's place was inside the message ("Error in xsl:value-of/@select on line 49
    # column 57 of html.xsl: ..."), after the absolute path of the stylesheet.
    import shutil

    xslt = tmp_path / "xslt"
    shutil.copytree(ROOT / "xslt", xslt)
    path = xslt / module
    source = path.read_text(encoding="utf-8")
    at = source.index(start)
    path.write_text(source.replace(start, broken, 1), encoding="utf-8")
    line = source[:at].count("\n") + 1
    shutil.copytree(ROOT / "tei", tmp_path / "tei")
    proc = subprocess.run(
        [sys.executable, "-m", "edition", "build", "--tei", "tei", "--out", "build"],
        cwd=tmp_path, env={**ENV, "EDITION_XSLT_DIR": "xslt"}, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.splitlines()[0].startswith(f"edition: error: xslt/{module}:{line}:"), proc.stderr
    assert says in proc.stderr and " of " + module not in proc.stderr, proc.stderr


def test_transforms_in_threads_leave_standard_error_where_it_was(tmp_path: Path) -> None:
    # While Saxon runs, descriptor 2 points at a scratch file: threads of one process
    # (a Dask worker's, or two transformers') swapping it at once would each restore what
    # the other had put there, and the process's standard error would stay in the file.
    import shutil
    import threading

    copy = tmp_path / "xslt"
    shutil.copytree(ROOT / "xslt", copy)
    transformers = [Transformer(ROOT / "xslt"), Transformer(copy)]
    tei = (ROOT / "tei" / "wilson-119711.xml").read_bytes()
    before = os.fstat(2)
    failures: list[BaseException] = []

    def work(t: Transformer) -> None:
        try:
            for _ in range(15):
                t.apply("text.xsl", t.parse(tei, "wilson-119711.xml"), {}, "wilson-119711.xml")
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(transformers[i % 2],)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    after = os.fstat(2)
    assert failures == []
    assert (after.st_dev, after.st_ino) == (before.st_dev, before.st_ino)
