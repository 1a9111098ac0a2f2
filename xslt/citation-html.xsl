<?xml version="1.0" encoding="UTF-8"?>
<!--
  Citation parts of a document page, included by html.xsl (which also includes
  common.xsl and declares $root-href and $cite-formats):

  - citation-meta: in <head>, Highwire citation_* tags and Dublin Core tags that
    reference managers (Zotero, Mendeley, EndNote's capture) read, so a saved page
    becomes a letter or a manuscript with its archive, not a journal article; and
    <link rel="alternate"> to the RIS, BibTeX and CSL-JSON files of the document.
  - cite-box: "Cite this document": the Chicago note and bibliography entry as the
    CSL processor rendered them (params chicago-note, chicago-bibliography: HTML
    fragments), each with a copy button that only appears when JavaScript runs;
    without it the text is there to select.

  Both read the CSL item from csl.xsl, the same mapping the citation files use.
  HTML is in no namespace, like html.xsl's.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:array="http://www.w3.org/2005/xpath-functions/array"
  xmlns:ed="https://edition.example/ns"
  exclude-result-prefixes="#all" expand-text="yes">

  <xsl:include href="csl.xsl"/>

  <!-- Chicago renderings (HTML fragments from citeproc-py), passed by the build per document. -->
  <xsl:param name="chicago-note" as="xs:string" select="''"/>
  <xsl:param name="chicago-bibliography" as="xs:string" select="''"/>

  <!-- The document's CSL item as the citation stage made it (the text of cite/<id>.json, an
       array of that one item), passed by the build: the page then reads it instead of mapping
       the header a second time, which was a tenth of the page's time. Without it (a page made
       alone) the page maps the header itself, with the same csl.xsl. -->
  <xsl:param name="csl-item-json" as="xs:string" select="''"/>

  <!-- Citation file extension -> media type and label. -->
  <xsl:variable name="ed:cite-media" as="map(xs:string, xs:string)" select="map{
      'ris': 'application/x-research-info-systems',
      'bib': 'application/x-bibtex',
      'json': 'application/vnd.citationstyles.csl+json'}"/>
  <xsl:variable name="ed:cite-labels" as="map(xs:string, xs:string)" select="map{
      'ris': 'RIS', 'bib': 'BibTeX', 'json': 'CSL-JSON'}"/>

  <xsl:template name="citation-meta">
    <xsl:param name="tei" as="element(tei:TEI)" select="(ancestor-or-self::tei:TEI, /tei:TEI)[1]"/>
    <xsl:variable name="item" as="map(*)" select="if ($csl-item-json ne '') then parse-json($csl-item-json)?1 else ed:csl-item($tei)"/>
    <xsl:variable name="authors" select="ed:csl-array($item, 'author')"/>
    <xsl:variable name="translators" select="ed:csl-array($item, 'translator')"/>
    <xsl:variable name="recipients" select="ed:csl-array($item, 'recipient')"/>
    <xsl:variable name="parts" select="ed:csl-first-date-parts($item)"/>
    <xsl:variable name="edition-url" select="string($item?custom?edition-url)"/>

    <!-- Highwire Press tags (Google Scholar's inclusion guidelines); no PDF, so no citation_pdf_url. -->
    <meta name="citation_title" content="{$item?title}"/>
    <xsl:for-each select="$authors">
      <meta name="citation_author" content="{ed:csl-name-inverted(.)}"/>
    </xsl:for-each>
    <xsl:if test="exists($parts)">
      <meta name="citation_date" content="{string-join(
          (format-number($parts[1], '0000'), $parts[position() gt 1] ! format-number(., '00')), '/')}"/>
    </xsl:if>
    <xsl:if test="map:contains($item, 'language')">
      <meta name="citation_language" content="{$item?language}"/>
    </xsl:if>
    <xsl:if test="map:contains($item, 'abstract')">
      <meta name="citation_abstract" content="{$item?abstract}"/>
    </xsl:if>
    <xsl:if test="$edition-url ne ''">
      <meta name="citation_public_url" content="{$edition-url}"/>
    </xsl:if>

    <!-- Dublin Core: DC.type with a reference manager's item type ("letter", "manuscript")
         is what makes Zotero's page import pick that type instead of journalArticle. -->
    <link rel="schema.DC" href="http://purl.org/dc/elements/1.1/"/>
    <meta name="DC.type" content="{if ($item?type eq 'personal_communication') then 'letter' else 'manuscript'}"/>
    <meta name="DC.title" content="{$item?title}"/>
    <xsl:for-each select="$authors">
      <meta name="DC.creator" content="{ed:csl-name-inverted(.)}"/>
    </xsl:for-each>
    <xsl:for-each select="$translators, $recipients">
      <meta name="DC.contributor" content="{ed:csl-name-inverted(.)}"/>
    </xsl:for-each>
    <xsl:if test="exists($parts)">
      <meta name="DC.date" content="{string-join(
          (format-number($parts[1], '0000'), $parts[position() gt 1] ! format-number(., '00')), '-')}"/>
    </xsl:if>
    <xsl:if test="map:contains($item, 'language')">
      <meta name="DC.language" content="{$item?language}"/>
    </xsl:if>
    <!-- DC.source: the archival original this page is derived from (no Highwire tag exists for archives). -->
    <xsl:variable name="archival" select="string-join(
        ($item?archive_location, $item?archive_collection, $item?archive, $item?archive-place)[. ne ''], ', ')"/>
    <xsl:if test="$archival ne ''">
      <meta name="DC.source" content="{$archival}"/>
    </xsl:if>
    <xsl:if test="$edition-url ne ''">
      <meta name="DC.identifier" content="{$edition-url}"/>
    </xsl:if>

    <xsl:for-each select="$cite-formats[map:contains($ed:cite-media, .)]">
      <link rel="alternate" type="{$ed:cite-media(.)}" title="{$ed:cite-labels(.)}"
        href="{$root-href}cite/{encode-for-uri(string($tei/@xml:id))}.{.}"/>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="cite-box">
    <xsl:param name="tei" as="element(tei:TEI)" select="(ancestor-or-self::tei:TEI, /tei:TEI)[1]"/>
    <xsl:variable name="id" select="string($tei/@xml:id)"/>
    <xsl:variable name="downloads" select="$cite-formats[map:contains($ed:cite-media, .)]"/>
    <xsl:if test="normalize-space($chicago-note) ne '' or normalize-space($chicago-bibliography) ne '' or exists($downloads)">
      <section class="cite-box" id="cite" aria-labelledby="cite-heading">
        <h2 id="cite-heading">Cite this document</h2>
        <xsl:call-template name="ed:cite-entry">
          <xsl:with-param name="key" select="'chicago-note'"/>
          <xsl:with-param name="label" select="'Chicago (note)'"/>
          <xsl:with-param name="html" select="$chicago-note"/>
        </xsl:call-template>
        <xsl:call-template name="ed:cite-entry">
          <xsl:with-param name="key" select="'chicago-bibliography'"/>
          <xsl:with-param name="label" select="'Chicago (bibliography)'"/>
          <xsl:with-param name="html" select="$chicago-bibliography"/>
        </xsl:call-template>
        <xsl:if test="exists($downloads)">
          <p class="cite-downloads">For reference managers:
            <xsl:for-each select="$downloads">
              <xsl:if test="position() gt 1">, </xsl:if>
              <a href="{$root-href}cite/{encode-for-uri($id)}.{.}" type="{$ed:cite-media(.)}" download="">{$ed:cite-labels(.)}</a>
            </xsl:for-each>
          </p>
        </xsl:if>
        <script>{$ed:cite-copy-script}</script>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template name="ed:cite-entry">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="html" as="xs:string"/>
    <xsl:if test="normalize-space($html) ne ''">
      <div class="cite-entry">
        <h3 id="{$key}-label">{$label}</h3>
        <p class="citation" id="{$key}">
          <!-- The processor's HTML (i, b, span) is copied as elements, not re-escaped text.
               Text with no markup, reference or carriage return is that text already:
               parsing it (a new XML parser per call) was a fifth of the page's time. -->
          <xsl:choose>
            <xsl:when test="not(contains($html, '&lt;') or contains($html, '&amp;') or contains($html, '&#13;'))">
              <xsl:value-of select="$html"/>
            </xsl:when>
            <xsl:otherwise>
              <xsl:copy-of select="parse-xml-fragment($html)"/>
            </xsl:otherwise>
          </xsl:choose>
        </p>
        <button type="button" class="cite-copy" data-copy="{$key}" hidden="">Copy {$label}</button>
      </div>
    </xsl:if>
  </xsl:template>

  <!-- Reveals the copy buttons and copies the citation's text; without JavaScript the buttons stay hidden. -->
  <xsl:variable name="ed:cite-copy-script" as="xs:string">
(function () {{
  if (!navigator.clipboard) return;
  document.querySelectorAll("button.cite-copy").forEach(function (button) {{
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {{
      var target = document.getElementById(button.getAttribute("data-copy"));
      navigator.clipboard.writeText(target.textContent.trim()).then(function () {{
        button.textContent = "Copied";
        setTimeout(function () {{ button.textContent = label; }}, 2000);
      }});
    }});
  }});
}})();
</xsl:variable>

  <!-- A CSL array variable (author, translator, ...) as a sequence of name maps. -->
  <xsl:function name="ed:csl-array" as="map(*)*">
    <xsl:param name="item" as="map(*)"/>
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="if (map:contains($item, $key)) then array:flatten($item($key)) else ()"/>
  </xsl:function>

  <!-- Integers, also where the item was read from JSON, whose numbers are doubles. -->
  <xsl:function name="ed:csl-first-date-parts" as="xs:integer*">
    <xsl:param name="item" as="map(*)"/>
    <xsl:sequence select="if (exists($item?issued?date-parts)) then array:flatten($item?issued?date-parts(1)) ! xs:integer(.) else ()"/>
  </xsl:function>
</xsl:stylesheet>
