"""The edition's document model: plain data, no XML.

Readers (``edition.sources``) build a :class:`Document` from an export; the TEI
writer (``edition.tei``) is the only code that turns it into TEI. Keeping the
model free of markup lets a new export shape be added without touching TEI, and
lets the TEI house style change without touching the readers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Union

if TYPE_CHECKING:
    from edition.body.language import Evidence

# Who publishes the edition, named in every TEI header when the configuration names no one.
EDITION_PUBLISHER = "edition"
# Where the site puts a document's reading page, relative to the edition's base URL.
DOCUMENT_PAGE = "documents/{id}.html"


@dataclass(frozen=True)
class Publication:
    """What every TEI header says of this edition's publication (publicationStmt), from the
    configuration: its publisher, and the licence of its own work, the encoding (a URL, and
    the sentence that says what it covers); no licence when ``licence`` is ''."""

    publisher: str = EDITION_PUBLISHER
    licence: str = ""
    licence_statement: str = ""
    # The edition's public address (site.base_url, ending in "/"); '' while it has none, as
    # when the configuration names only the preview server's loopback address.
    base_url: str = ""

    def document_url(self, doc_id: str) -> str:
        """The public address of a document's reading page; '' without a public address."""
        return f"{self.base_url}{DOCUMENT_PAGE.format(id=doc_id)}" if self.base_url else ""


@dataclass(frozen=True)
class SourceFile:
    """Provenance of the export a document was converted from."""

    name: str  # file name only, never a path: the TEI must not leak local paths
    sha256: str
    shape: str  # reader id, e.g. "web-page", "line-per-paragraph", "markdown"
    encoding: str  # how the bytes were decoded, e.g. "utf-8", "utf-8-sig", "cp1251"
    encoding_note: str = ""  # how the encoding was determined, when not plain UTF-8


@dataclass(frozen=True)
class DocDate:
    """A date as printed plus its machine-readable reading.

    ``when`` is ISO 8601 and may be partial ("1955", "1955-12"); for ranges the
    reader fills ``not_before``/``not_after`` instead. ``cert`` follows TEI's
    att.global.responsibility certainty values.
    """

    text: str
    when: str | None = None
    not_before: str | None = None
    not_after: str | None = None
    cert: Literal["high", "medium", "low"] = "high"


@dataclass(frozen=True)
class Agent:
    """A person or organisation named in the metadata."""

    name: str
    # "office": an office or title without a name ("the Ambassador"), a roleName, not a persName.
    kind: Literal["person", "org", "office"] = "person"
    role_name: str | None = None  # office or description before the name: "CPSU CC Secretary"


@dataclass(frozen=True)
class ArchiveCitation:
    """An archival reference, verbatim and split into its parts.

    Only parts the citation states are filled: a reader never invents a fond.
    ``folio`` is the Russian *list* (sheet) reference, kept as printed.
    """

    verbatim: str
    repository_acronym: str | None = None  # "RGANI"
    repository_name: str | None = None  # "Russian State Archive of Contemporary History"
    country: str | None = None
    settlement: str | None = None
    collection: str | None = None
    fond: str | None = None
    opis: str | None = None
    opis_subtype: str | None = None  # "perechen": fond 89's inventories stand where an opis does
    papka: str | None = None  # the AVP RF's folder between opis and delo ("p. 45")
    papka_subtype: str | None = None  # "svazek": the Czech bundle of units ("sv. 58") stands where a papka does
    delo: str | None = None
    delo_subtype: str | None = None  # "dokument": fond 89's documents stand where a delo does; "jednotka": the Czech a.j.
    tom: str | None = None  # the volume of a delo in several ("d. 189, t. 1")
    folio: str | None = None
    # "siyahi", "is", "vereq" (opis, delo, folio): Azerbaijani archives' labels, kept for the
    # citations; "pages" (folio): the citation counts pages ("pp. 3-4"), not leaves
    folio_subtype: str | None = None
    reel: str | None = None
    # The box and folder of an American library's papers ("Box 52", 'Folder "Cuba (3)"'), after
    # the collection they hold ("Ann Whitman File, International Series"), as printed.
    box: str | None = None
    folder: str | None = None
    # The reference within a repository that is cited without a fond ("RG 59, Box 3456",
    # "FO 371/128456"), or the rest of one after the parts split ("a.e. 123, l. 4"), as
    # printed: the edition does not split what it has no labels for.
    shelfmark: str | None = None


@dataclass
class Metadata:
    title: str
    date: DocDate | None = None
    doc_type: str | None = None  # closed list, see edition.doctypes
    doc_type_evidence: str = ""  # "Type field" or "title"
    # The source's own name of a compound type ("Memorandum of Conversation"), which its
    # class ("conversation") does not say: what a citation calls the document.
    doc_type_name: str | None = None
    senders: list[Agent] = field(default_factory=list)
    addressees: list[Agent] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)  # the export's Author(s) field
    translators: list[str] = field(default_factory=list)
    contributors: list[str] = field(default_factory=list)
    contribution_verb: str = "Contributed by"  # "Obtained by" in some exports
    # A page's funder sentence, a labelled Funder field: titleStmt/funder, never a subject.
    funders: list[str] = field(default_factory=list)
    archive: ArchiveCitation | None = None
    citation: str | None = None  # the export's full suggested citation, verbatim
    publisher: str | None = None  # "Wilson Center Digital Archive"
    record_id: str | None = None
    source_url: str | None = None
    summary: str | None = None
    original_language: str | None = None  # as declared by the export ("Russian")
    classification: str | None = None
    rights: str | None = None
    uploaded: str | None = None  # Original Uploaded Date, as printed
    # The export's Original Archive field, as printed: the archive holding the original,
    # which the export's record names; not a subject of the document.
    original_archive: str | None = None
    keywords: dict[str, list[str]] = field(default_factory=dict)  # "places" -> [...]


# --- body ---------------------------------------------------------------
#
# A part is a sequence of blocks; a block holds inline content, which is text
# interleaved with spans for editorial phenomena. Span kinds are the edition's
# own vocabulary; edition.tei maps each to TEI.

SpanKind = Literal[
    "supplied",  # [[195]]7, translator's insertions
    "expan",  # IKKI [Executive Committee ...]: abbr + expansion
    "sic",  # [sic]
    "del",  # ~~struck~~
    "add",  # handwritten additions
    "hi",  # *italic*, <sup>
    "gap",  # [illegible], [illegible signature]
    "stamp",  # [Stamp: ...]
    "note",  # editorial or handwritten notes
    "date",  # a date inside a dateline
    "name",  # a personal name inside a signature
    "org",  # a body's name where a signature's name stands ("ЦК КПСС" under the closing)
    "fw",  # a page number or running head inside a paragraph joined across a page break
    "pb",  # the page break inside such a paragraph (no content)
    "ptr",  # one more reference to a footnote encoded at another reference (no content)
]


@dataclass
class Span:
    kind: SpanKind
    content: list[Inline] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)


Inline = Union[str, Span]

BlockKind = Literal[
    "p",
    "head",
    "address",  # addressee line(s) in an opener
    "dateline",
    "salute",
    "signed",
    "list",  # items in .items
    "item",
    "note",
    "postscript",
    "registry",  # routing and registry marks: "Incoming No 4202/sh", "[to the archives]"
    "fw",  # running heads, page numbers, archival foliation stamps
    "pb",  # page break (no content)
    "ab",  # an anonymous block: OCR fragments and other text with no known function
]

Zone = Literal["front", "opener", "body", "closer", "back"]


@dataclass
class Block:
    kind: BlockKind
    content: list[Inline] = field(default_factory=list)
    items: list[Block] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)
    zone: Zone = "body"


@dataclass
class Part:
    """One language version of the text: an original or a translation."""

    role: Literal["original", "translation", "transcription"]
    lang: str  # BCP 47, e.g. "ru", "az-Cyrl", "en"
    lang_evidence: str  # how the language was determined, for the header
    paragraphs: list[str] = field(default_factory=list)  # raw text as the reader found it
    blocks: list[Block] = field(default_factory=list)  # encoded by edition.body
    ocr: bool = False  # the export's text is uncorrected OCR
    # The language evidence of paragraphs (by their text) that the reader gathered to
    # settle the part's role or bounds, for edition.body.language.segment to read rather
    # than gather again. Not part of what the part is: left out of its equality and repr.
    evidence: Mapping[str, Evidence] = field(default_factory=dict, compare=False, repr=False)


SegmentRole = str  # "title", "date", "body", "summary", "citation", "field:<Label>", "furniture"


@dataclass(frozen=True)
class Segment:
    """One line of the source and what the reader took it to be.

    Readers account for every non-blank line, so the fidelity check can prove
    that nothing was dropped: a line is either carried into the TEI under its
    role or declared "furniture" (navigation, empty labels) on purpose.
    """

    role: SegmentRole
    line: int  # 1-based line number in the decoded source
    text: str


@dataclass
class Document:
    id: str
    metadata: Metadata
    parts: list[Part]
    source: SourceFile
    segments: list[Segment] = field(default_factory=list)
