"""The genre a citation gives a document: the source's name of its type, compound names whole,
which the reading page and the plain text give too while the index groups by the type's class.

Each test converts an export of its own with the real converter and reads the citation files
the real stylesheets and formatters make of its TEI (CSL-JSON, BibLaTeX, RIS, Chicago).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html
from test_cite_archives import BASE, EXPORT, cite_export, render, validation_errors

from edition import citations
from edition.build_documents import load_documents
from edition.convert import convert_source
from edition.render import BuildContext
from edition.site_index import render_index

REFERENCE = "GAPPOD AzR, f. 1, op. 89, d. 104, l. 1-3."


@pytest.mark.parametrize(("title", "doctype", "genre"), [
    ("Memorandum of Conversation between Ambassador Sadchikov and Prime Minister Qavam", "conversation",
     "Memorandum of Conversation"),
    ("RECORD OF A CONVERSATION WITH THE SHAH OF IRAN", "conversation", "Record of Conversation"),
    ("Minutes of the Meeting of the Bureau of the Central Committee", "minutes", "Minutes of Meeting"),
    ("Letter of Credence from the Government of Iran", "letter", "Letter of Credence"),
])
def test_a_compound_type_is_the_genre_whole(tmp_path: Path, title: str, doctype: str, genre: str) -> None:
    # "Memorandum of Conversation" was cited as a "Conversation": the genre was the class
    # of the closed list, capitalised, and the source's own name of the type was lost.
    c = cite_export(tmp_path, REFERENCE, title=title)
    assert c.item["genre"] == genre
    assert re.search(rf"\n  type +=  ?\{{{genre}\}},\n", c.files[".bib"])
    assert f"M3  - {genre}\r\n" in c.files[".ris"]
    note, bibliography = c.files[".chicago.txt"].split("\n\n")[:2]
    assert f",” {genre}, " in note and f".” {genre}. " in bibliography
    # The class stays the closed list's, which the facets and the schema read.
    assert f'<term type="doctype" n="{genre}">{doctype}</term>'.encode() in c.tei
    assert validation_errors(tmp_path, c.tei) == []


@pytest.mark.parametrize(("title", "genre"), [
    ("Letter of Kim Il Sung to Stalin on the Situation in Korea", "Letter"),  # "of" a person, not a kind
    ("Conversation between Bagirov and Pishevari", "Conversation"),
    ("Memorandum from the Soviet Embassy in Tehran", "Memorandum"),
])
def test_a_one_word_type_is_the_genre_of_its_class(tmp_path: Path, title: str, genre: str) -> None:
    c = cite_export(tmp_path, REFERENCE, title=title)
    assert c.item["genre"] == genre and f"M3  - {genre}\r\n" in c.files[".ris"]
    assert b'<term type="doctype">' in c.tei


def test_a_type_field_naming_a_compound_type_is_the_genre(tmp_path: Path) -> None:
    # The Type field outranks the title: "Talks between ..." names no type, the field does.
    source = tmp_path / "export.md"
    source.write_text(EXPORT.format(title="Talks between Bagirov and Qavam", date="March 3, 1947",
                                    cited_date="March 3, 1947", reference=REFERENCE, record="700012")
                      .replace("**Original Language:**\n\nRussian", "**Original Language:**\n\nRussian\n\n**Type:**\n\nrecord of conversation"),
                      encoding="utf-8")
    doc, tei = convert_source(source, "wilson")
    assert (doc.metadata.doc_type, doc.metadata.doc_type_evidence) == ("conversation", "Type field: record of conversation")
    path = tmp_path / f"{doc.id}.xml"
    path.write_bytes(tei)
    cited = citations.cite_document(path, BASE)
    assert cited.item["genre"] == "Record of Conversation"
    assert "M3  - Record of Conversation\r\n" in citations.document_outputs(cited)[".ris"].decode("utf-8")


def test_the_reading_page_and_the_text_name_a_compound_type_and_the_index_groups_by_class(tmp_path: Path) -> None:
    # The page said "Conversation" of a "Memorandum of Conversation" while its own citations
    # said the whole name; the facets must still put both under one "Conversation".
    compound = cite_export(tmp_path, REFERENCE, record="700021",
                           title="Memorandum of Conversation between Ambassador Sadchikov and Prime Minister Qavam")
    plain = cite_export(tmp_path, REFERENCE, record="700022", title="Conversation between Bagirov and Pishevari")
    for c, name in ((compound, "Memorandum of Conversation"), (plain, "Conversation")):
        page, text = render(c.tei)
        assert page.xpath("string(//header[@class = 'document-header']//span[@class = 'doctype'])") == name
        assert page.xpath("normalize-space(//div[dt = 'Document type']/dd)") == name
        assert re.search(rf"^Type: +{name}$", text, re.MULTILINE)
    tei = tmp_path / "tei"
    tei.mkdir()
    for c in (compound, plain):
        root = etree.fromstring(c.tei)
        (tei / f"{root.get('{http://www.w3.org/XML/1998/namespace}id')}.xml").write_bytes(c.tei)
    pages = render_index(load_documents(tei), BuildContext(tei_dir=tei, out_dir=tmp_path / "site"))
    assert sorted(p for p in pages if p.startswith("browse/type-")) == ["browse/type-conversation.html"]
    listing = lxml_html.fromstring(pages["browse/type-conversation.html"])
    assert len(listing.xpath("//li[@class = 'entry']")) == 2


FIXTURES = Path(__file__).resolve().parent / "fixtures" / "convert"


def test_a_type_field_in_the_plural_is_the_genre_as_written(tmp_path: Path) -> None:
    # "Notes" (of a session) were cited as a "Note": the genre was the class's singular,
    # though the export names a set of jottings. The class stays note, which the facets read.
    doc, tei = convert_source(FIXTURES / "line_notes_of_a_meeting.txt", "wilson")
    assert (doc.metadata.doc_type, doc.metadata.doc_type_evidence) == ("note", "Type field: Notes")
    path = tmp_path / f"{doc.id}.xml"
    path.write_bytes(tei)
    cited = citations.cite_document(path, BASE)
    assert cited.item["genre"] == "Notes"
    files = {suffix: data.decode("utf-8") for suffix, data in citations.document_outputs(cited).items()}
    assert "M3  - Notes\r\n" in files[".ris"] and re.search(r"\n  type +=  ?\{Notes\},\n", files[".bib"])
    assert b'<term type="doctype" n="Notes">note</term>' in tei
    page, text = render(tei)
    assert page.xpath("normalize-space(//div[dt = 'Document type']/dd)") == "Notes"
    # (tests/test_convert_valid.py validates and checks the fixture with the others.)


@pytest.mark.parametrize(("type_field", "genre"), [("Note", "Note"), ("Minutes", "Minutes"), ("Memo", "Memorandum")])
def test_a_type_field_in_the_singular_is_the_genre_of_its_class(tmp_path: Path, type_field: str, genre: str) -> None:
    source = tmp_path / "export.txt"
    source.write_text((FIXTURES / "line_notes_of_a_meeting.txt").read_text(encoding="utf-8")
                      .replace("Type\nNotes\n", f"Type\n{type_field}\n"), encoding="utf-8")
    doc, tei = convert_source(source, "wilson")
    path = tmp_path / f"{doc.id}.xml"
    path.write_bytes(tei)
    assert citations.cite_document(path, BASE).item["genre"] == genre
    assert b'<term type="doctype">' in tei
