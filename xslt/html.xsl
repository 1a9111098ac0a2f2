<?xml version="1.0" encoding="UTF-8"?>
<!--
  One TEI document to its reading page, build/site/documents/<id>.html.

  HTML is written in no namespace (the HTML5 serialiser's own vocabulary);
  templates included from other stylesheets (citation-html.xsl) must do the same.

  Page: site banner, the document's header (type, date, title, summary, formats),
  the metadata panel, the text versions (translation and original side by side
  on wide screens) with a legend of the editorial marks they use, notes, the
  citation box, and previous/next by date. Everything links relatively, so the
  site reads from disk and under any base path.

  Body elements render in mode "body". HTML forbids blocks inside phrasing
  content, so a tunnel parameter $phrasing says whether the enclosing HTML
  element only takes phrasing content; block-like TEI elements (p, list,
  address, signed, ...) then render as spans instead of p/ul/div.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:ed="https://edition.example/ns"
  exclude-result-prefixes="#all" expand-text="yes">

  <xsl:include href="common.xsl"/>
  <xsl:include href="citation-html.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no" include-content-type="no"/>

  <!-- Neighbours by date, worked out by the build (it sees every document). -->
  <xsl:param name="prev-id" as="xs:string" select="''"/>
  <xsl:param name="prev-title" as="xs:string" select="''"/>
  <!-- The neighbours' dates as printed, and as ISO for when there is no printed form. -->
  <xsl:param name="prev-date" as="xs:string" select="''"/>
  <xsl:param name="prev-when" as="xs:string" select="''"/>
  <xsl:param name="next-id" as="xs:string" select="''"/>
  <xsl:param name="next-title" as="xs:string" select="''"/>
  <xsl:param name="next-date" as="xs:string" select="''"/>
  <xsl:param name="next-when" as="xs:string" select="''"/>
  <!-- The neighbours' titles' languages (edition.build_documents.DocumentInput.title_lang). -->
  <xsl:param name="prev-title-lang" as="xs:string" select="''"/>
  <xsl:param name="next-title-lang" as="xs:string" select="''"/>
  <!-- Citation formats the build has written to ../cite/ for this document. -->
  <xsl:param name="cite-formats" as="xs:string*" select="()"/>

  <xsl:variable name="root-href" select="'../'"/>

  <xsl:template match="/">
    <xsl:if test="not(tei:TEI)">
      <xsl:message terminate="yes">Expected a TEI document (tei:TEI root), found {name(*)}</xsl:message>
    </xsl:if>
    <xsl:apply-templates select="tei:TEI"/>
  </xsl:template>

  <xsl:template match="tei:TEI">
    <xsl:variable name="id" select="ed:id(.)"/>
    <xsl:if test="$id = ''">
      <xsl:message terminate="yes">The TEI element has no xml:id; the page needs it for its name and links.</xsl:message>
    </xsl:if>
    <xsl:variable name="title" select="ed:title(.)"/>
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>{$title} · {$site-title}</title>
        <xsl:for-each select="ed:summary(.)">
          <meta name="description" content="{.}"/>
        </xsl:for-each>
        <meta name="generator" content="{normalize-space('edition ' || $edition-version)}"/>
        <xsl:for-each select="ed:absolute('documents/' || ed:doc-href($id))">
          <link rel="canonical" href="{.}"/>
        </xsl:for-each>
        <link rel="stylesheet" href="{$root-href}assets/edition.css"/>
        <link rel="icon" type="image/svg+xml" href="{$root-href}assets/favicon.svg"/>
        <link rel="alternate" type="application/tei+xml" href="{$root-href}tei/{encode-for-uri($id)}.xml" title="TEI XML"/>
        <link rel="alternate" type="text/plain" href="{$root-href}text/{encode-for-uri($id)}.txt" title="Plain text"/>
        <xsl:call-template name="citation-meta"/>
      </head>
      <body class="document-page">
        <a class="skip-link" href="#main">Skip to the document</a>
        <xsl:call-template name="site-header"/>
        <main id="main">
          <article class="document" aria-labelledby="doc-title">
            <xsl:call-template name="document-header">
              <xsl:with-param name="id" select="$id"/>
              <xsl:with-param name="title" select="$title"/>
            </xsl:call-template>
            <xsl:call-template name="metadata-panel"/>
            <xsl:call-template name="texts"/>
            <xsl:call-template name="notes"/>
            <xsl:call-template name="cite-box"/>
          </article>
          <xsl:call-template name="prev-next"/>
        </main>
        <xsl:call-template name="site-footer"/>
      </body>
    </html>
  </xsl:template>

  <!-- ============================ page furniture ============================ -->

  <xsl:template name="site-header">
    <header class="site-header">
      <div class="site-header-inner">
        <a class="site-title" href="{$root-href}index.html">{$site-title}</a>
        <nav class="site-nav" aria-label="Site">
          <ul>
            <li><a href="{$root-href}index.html">All documents</a></li>
          </ul>
        </nav>
      </div>
    </header>
  </xsl:template>

  <xsl:template name="site-footer">
    <footer class="site-footer">
      <p>{$site-title}<xsl:if test="$edition-version ne ''">, version {$edition-version}</xsl:if>.
        Encoded in TEI P5; each page links to its TEI source and plain text.</p>
    </footer>
  </xsl:template>

  <xsl:template name="document-header">
    <xsl:param name="id" as="xs:string"/>
    <xsl:param name="title" as="xs:string"/>
    <xsl:variable name="date" select="ed:date(.)"/>
    <header class="document-header">
      <p class="kicker">
        <span class="doctype">{ed:doctype-name(.)}</span>
        <span class="sep" aria-hidden="true"> · </span>
        <xsl:call-template name="date">
          <xsl:with-param name="date" select="$date"/>
        </xsl:call-template>
        <xsl:for-each select="ed:classification(.)">
          <span class="sep" aria-hidden="true"> · </span>
          <span class="classification">{.}</span>
        </xsl:for-each>
      </p>
      <h1 id="doc-title">
        <xsl:call-template name="title-lang">
          <xsl:with-param name="tei" select="."/>
        </xsl:call-template>
        <xsl:text>{$title}</xsl:text>
      </h1>
      <xsl:for-each select="ed:summary(.)">
        <p class="summary">{.}</p>
      </xsl:for-each>
      <nav class="formats" aria-label="This document in other formats">
        <ul>
          <li><a href="{$root-href}tei/{encode-for-uri($id)}.xml">TEI XML</a></li>
          <li><a href="{$root-href}text/{encode-for-uri($id)}.txt">Plain text</a></li>
          <xsl:for-each select="$cite-formats">
            <li><a href="{$root-href}cite/{encode-for-uri($id)}.{.}">{ed:cite-format-label(.)}</a></li>
          </xsl:for-each>
        </ul>
      </nav>
    </header>
  </xsl:template>

  <xsl:function name="ed:cite-format-label" as="xs:string">
    <xsl:param name="ext" as="xs:string"/>
    <xsl:sequence select="(map { 'json': 'CSL JSON', 'bib': 'BibTeX', 'ris': 'RIS' }($ext), upper-case($ext))[1]"/>
  </xsl:function>

  <xsl:template name="prev-next">
    <xsl:if test="$prev-id ne '' or $next-id ne ''">
      <nav class="prev-next" aria-label="Previous and next document by date">
        <ul>
          <xsl:if test="$prev-id ne ''">
            <li class="prev">
              <a rel="prev" href="{ed:doc-href($prev-id)}">
                <span class="direction">Previous document</span>
                <span class="neighbour-title">
                  <xsl:call-template name="foreign-lang">
                    <xsl:with-param name="lang" select="$prev-title-lang"/>
                  </xsl:call-template>
                  <xsl:text>{$prev-title}</xsl:text>
                </span>
                <span class="neighbour-date">{ed:neighbour-date($prev-date, $prev-when)}</span>
              </a>
            </li>
          </xsl:if>
          <xsl:if test="$next-id ne ''">
            <li class="next">
              <a rel="next" href="{ed:doc-href($next-id)}">
                <span class="direction">Next document</span>
                <span class="neighbour-title">
                  <xsl:call-template name="foreign-lang">
                    <xsl:with-param name="lang" select="$next-title-lang"/>
                  </xsl:call-template>
                  <xsl:text>{$next-title}</xsl:text>
                </span>
                <span class="neighbour-date">{ed:neighbour-date($next-date, $next-when)}</span>
              </a>
            </li>
          </xsl:if>
        </ul>
      </nav>
    </xsl:if>
  </xsl:template>

  <xsl:function name="ed:neighbour-date" as="xs:string">
    <xsl:param name="printed" as="xs:string"/>
    <xsl:param name="iso" as="xs:string"/>
    <xsl:sequence select="if ($printed ne '') then $printed else if ($iso ne '') then ed:format-iso($iso) else 'Undated'"/>
  </xsl:function>

  <!-- ============================ metadata panel ============================ -->

  <xsl:template name="metadata-panel">
    <xsl:variable name="tei" select="." as="element(tei:TEI)"/>
    <xsl:variable name="h" select="tei:teiHeader"/>
    <xsl:variable name="ms" select="ed:ms-identifier(.)"/>
    <xsl:variable name="corresp" select="$h/tei:profileDesc/tei:correspDesc"/>
    <section class="metadata" aria-labelledby="metadata-heading">
      <h2 id="metadata-heading">About this document</h2>
      <dl>
        <xsl:call-template name="meta-row">
          <xsl:with-param name="label" select="'Document type'"/>
          <xsl:with-param name="value" select="ed:doctype-name(.)"/>
        </xsl:call-template>
        <xsl:call-template name="meta-row">
          <xsl:with-param name="label" select="'Date'"/>
          <xsl:with-param name="value">
            <xsl:call-template name="date">
              <xsl:with-param name="date" select="ed:date(.)"/>
            </xsl:call-template>
          </xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="meta-row">
          <xsl:with-param name="label" select="'From'"/>
          <xsl:with-param name="value" select="string-join($corresp/tei:correspAction[@type = 'sent']/(tei:persName, tei:orgName, tei:name, tei:roleName) ! ed:norm(.), '; ')"/>
        </xsl:call-template>
        <xsl:call-template name="meta-row">
          <xsl:with-param name="label" select="'To'"/>
          <xsl:with-param name="value" select="string-join($corresp/tei:correspAction[@type = 'received']/(tei:persName, tei:orgName, tei:name, tei:roleName) ! ed:norm(.), '; ')"/>
        </xsl:call-template>
        <xsl:call-template name="meta-row">
          <xsl:with-param name="label" select="'Place'"/>
          <xsl:with-param name="value" select="string-join($corresp/tei:correspAction[@type = 'sent']/tei:placeName ! ed:norm(.), '; ')"/>
        </xsl:call-template>
        <xsl:call-template name="meta-row">
          <xsl:with-param name="label" select="'Archive'"/>
          <xsl:with-param name="value" select="ed:repository(.)"/>
        </xsl:call-template>
        <xsl:call-template name="meta-row">
          <xsl:with-param name="label" select="'Collection'"/>
          <xsl:with-param name="value" select="string-join($ms/tei:collection ! ed:norm(.), '; ')"/>
        </xsl:call-template>
        <xsl:call-template name="meta-row">
          <xsl:with-param name="label" select="'Reference'"/>
          <xsl:with-param name="value" select="ed:archival-reference(.)"/>
        </xsl:call-template>
        <xsl:call-template name="meta-row">
          <xsl:with-param name="label" select="'Surrogate'"/>
          <xsl:with-param name="value" select="string-join($h//tei:msDesc/tei:additional/tei:surrogates/tei:bibl ! ed:norm(.), '; ')"/>
        </xsl:call-template>
        <xsl:call-template name="meta-row">
          <xsl:with-param name="label" select="'Classification'"/>
          <xsl:with-param name="value" select="string-join(ed:classification(.), '; ')"/>
        </xsl:call-template>
        <xsl:call-template name="meta-row">
          <xsl:with-param name="label" select="'Languages'"/>
          <xsl:with-param name="value" select="string-join(ed:languages(.) ! ed:language-name(., $tei), ', ')"/>
        </xsl:call-template>
        <xsl:call-template name="meta-row">
          <xsl:with-param name="label" select="'Original language'"/>
          <!-- The export's own words ("Russian"), then the other languages of the originals
               (@otherLangs: an Azerbaijani text beside a Russian letter) it does not name. -->
          <xsl:with-param name="value" select="string-join($h//tei:msContents/tei:textLang ! (
              for $said in ed:norm(.) return ($said, tokenize(@otherLangs) ! ed:language-name(., $tei)[not(contains(lower-case($said), lower-case(.)))])), ', ')"/>
        </xsl:call-template>
        <xsl:for-each-group select="$h/tei:fileDesc/tei:titleStmt/tei:respStmt" group-by="ed:norm(tei:resp)">
          <xsl:call-template name="meta-row">
            <xsl:with-param name="label" select="ed:capitalise(current-grouping-key())"/>
            <xsl:with-param name="value" select="string-join(current-group()/(tei:persName, tei:orgName, tei:name) ! ed:norm(.), ', ')"/>
          </xsl:call-template>
        </xsl:for-each-group>
        <xsl:call-template name="meta-row">
          <xsl:with-param name="label" select="'Funding'"/>
          <xsl:with-param name="value" select="string-join($h/tei:fileDesc/tei:titleStmt/tei:funder ! ed:norm(.), '; ')"/>
        </xsl:call-template>
        <xsl:call-template name="meta-row">
          <xsl:with-param name="label" select="'Source'"/>
          <xsl:with-param name="value">
            <xsl:call-template name="source-link"/>
          </xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="meta-row">
          <xsl:with-param name="label" select="'Archive citation'"/>
          <xsl:with-param name="value" select="ed:norm(($h//tei:sourceDesc/tei:bibl[@type = 'citation'])[1])"/>
        </xsl:call-template>
        <xsl:call-template name="meta-row">
          <xsl:with-param name="label" select="'Rights'"/>
          <xsl:with-param name="value" as="item()*">
            <!-- The edition's licence links to its text; the source's statement follows. Only
                 a web address is a link, as for the source's and the body's links: a file
                 edited by hand may say anything ("javascript:..."). -->
            <xsl:for-each select="$h/tei:fileDesc/tei:publicationStmt/tei:availability/(tei:licence, tei:p)">
              <xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if>
              <xsl:variable name="target" select="tokenize(normalize-space(@target))[1]"/>
              <xsl:choose>
                <xsl:when test="self::tei:licence and matches(($target, '')[1], '^https?://')">
                  <a href="{$target}" rel="license">{ed:norm(.)}</a>
                </xsl:when>
                <xsl:otherwise>{ed:norm(.)}</xsl:otherwise>
              </xsl:choose>
            </xsl:for-each>
          </xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="meta-row">
          <xsl:with-param name="label" select="'Encoding'"/>
          <xsl:with-param name="value">
            <xsl:call-template name="provenance"/>
          </xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="meta-row">
          <xsl:with-param name="label" select="'Revisions'"/>
          <xsl:with-param name="value">
            <xsl:call-template name="revisions"/>
          </xsl:with-param>
        </xsl:call-template>
      </dl>
    </section>
  </xsl:template>

  <!-- A row of the panel, left out when there is nothing to say. -->
  <xsl:template name="meta-row">
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="value" as="item()*"/>
    <xsl:if test="normalize-space(string-join($value ! string(), '')) ne ''">
      <div class="meta-row">
        <dt>{$label}</dt>
        <dd><xsl:sequence select="$value"/></dd>
      </div>
    </xsl:if>
  </xsl:template>

  <xsl:template name="source-link">
    <xsl:variable name="url" select="ed:source-url(.)"/>
    <xsl:variable name="record" select="ed:record-id(.)"/>
    <!-- Who published the source: the export's publisher (the publicationStmt's
         is this edition's), else the host of the source URL. -->
    <xsl:variable name="publisher" select="(
        ed:norm((tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl[@type = 'export']/tei:publisher)[1])[. ne ''],
        replace(($url, '')[1], '^https?://([^/:]+).*$', '$1')[matches(($url, '')[1], '^https?://')])[1]"/>
    <xsl:variable name="label" select="string-join(($publisher, $record ! ('record ' || .)), ', ')"/>
    <xsl:choose>
      <xsl:when test="exists($url) and matches($url, '^https?://')">
        <a href="{$url}">{if ($label ne '') then $label else $url}</a>
      </xsl:when>
      <!-- Without a URL or a record id, the publisher alone says nothing about the source. -->
      <xsl:when test="exists($record)">{$label}</xsl:when>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="provenance">
    <xsl:variable name="export" select="(tei:teiHeader//tei:sourceDesc/tei:bibl[@type = 'export'])[1]"/>
    <xsl:variable name="app" select="(tei:teiHeader/tei:encodingDesc/tei:appInfo/tei:application)[1]"/>
    <xsl:if test="$export">
      <xsl:text>From export </xsl:text>
      <code>{ed:norm($export/tei:idno[@type = 'filename'])}</code>
      <xsl:for-each select="$export/tei:idno[@type = 'sha256'][normalize-space()]">
        <xsl:text> (SHA-256 </xsl:text>
        <code class="hash" title="{ed:norm(.)}">{substring(ed:norm(.), 1, 12)}…</code>
        <xsl:text>)</xsl:text>
      </xsl:for-each>
      <xsl:if test="$app">, converted by {ed:norm($app/tei:label)} {string($app/@version)}</xsl:if>
      <xsl:text>.</xsl:text>
    </xsl:if>
  </xsl:template>

  <!-- The change log: what editors changed since the conversion (an edited file keeps its
       place in the edition, README "edition convert"), each with its date and who made it.
       The converter's own change, by the application appInfo names, is the Encoding row. -->
  <xsl:template name="revisions">
    <xsl:variable name="h" select="tei:teiHeader"/>
    <xsl:variable name="tools" select="$h/tei:encodingDesc/tei:appInfo/tei:application/@xml:id ! string()"/>
    <xsl:variable name="changes" select="$h/tei:revisionDesc/tei:change[normalize-space()][
        not(exists(@who) and (every $who in tokenize(@who) satisfies substring-after($who, '#') = $tools))]"/>
    <xsl:if test="exists($changes)">
      <ul class="revisions">
        <xsl:for-each select="$changes">
          <xsl:variable name="day" select="replace(string(@when), '^(\d{4}(-\d{2}(-\d{2})?)?)([T ].*)?$', '$1')[matches(., '^\d{4}(-\d{2}(-\d{2})?)?$')]"/>
          <xsl:variable name="ids" select="tokenize(@who) ! substring-after(., '#')[. ne '']"/>
          <xsl:variable name="names" select="for $id in $ids return (($h//*[@xml:id = $id])[1] ! ed:norm(.)[. ne ''], $id)[1]"/>
          <li>
            <xsl:for-each select="$day">
              <time datetime="{.}">{ed:format-iso(.)}</time>
              <xsl:text>: </xsl:text>
            </xsl:for-each>
            <xsl:text>{ed:norm(.)}</xsl:text>
            <xsl:if test="exists($names)"> ({string-join($names, ', ')})</xsl:if>
          </li>
        </xsl:for-each>
      </ul>
    </xsl:if>
  </xsl:template>

  <!-- ============================ texts ============================ -->

  <xsl:template name="texts">
    <xsl:variable name="versions" select="ed:text-versions(.)"/>
    <section class="texts" aria-labelledby="texts-heading">
      <h2 id="texts-heading">Text</h2>
      <xsl:call-template name="legend"/>
      <xsl:choose>
        <xsl:when test="empty($versions)">
          <p class="no-text">No transcription or translation of this document is available in the edition.</p>
        </xsl:when>
        <xsl:otherwise>
          <!-- Stacked on a narrow screen, the original is far below the
               translation: links to each version (hidden when side by side). -->
          <xsl:if test="count($versions) gt 1">
            <nav class="version-nav version-nav-{count($versions)}" aria-label="Text versions">
              <ul>
                <xsl:for-each select="$versions">
                  <li><a href="#version-{position()}">{ed:version-label(.)}</a></li>
                </xsl:for-each>
              </ul>
            </nav>
          </xsl:if>
          <div class="versions versions-{count($versions)}">
            <xsl:for-each select="$versions">
              <xsl:variable name="lang" select="ed:lang-of(.)"/>
              <xsl:variable name="key" select="'version-' || position()"/>
              <section class="version version-{ed:token(@type)}" aria-labelledby="{$key}">
                <h3 id="{$key}">{ed:version-label(.)}</h3>
                <div class="version-text" lang="{$lang}" dir="{ed:language-dir($lang)}">
                  <xsl:apply-templates mode="body"/>
                </div>
              </section>
            </xsl:for-each>
          </div>
        </xsl:otherwise>
      </xsl:choose>
    </section>
  </xsl:template>

  <!-- The legend lists only the marks this document uses, each drawn the way
       the text draws it. -->
  <xsl:template name="legend">
    <!-- One walk over the text for every mark the legend may list. -->
    <xsl:variable name="marks" select="tei:text//*[self::tei:supplied or self::tei:add or self::tei:note or self::tei:del
        or self::tei:gap or self::tei:sic or self::tei:unclear or self::tei:choice or self::tei:signed
        or self::tei:stamp or self::tei:fw or self::tei:pb]"/>
    <xsl:variable name="entries" as="element()*">
      <xsl:if test="$marks/self::tei:supplied">
        <entry sample="supplied">Supplied by the editor or translator</entry>
      </xsl:if>
      <xsl:if test="$marks/self::tei:add[ed:is-handwritten(.)] or $marks/self::tei:note[ed:is-document-note(.)][ed:is-handwritten(.)]">
        <entry sample="hand">Handwritten in the original</entry>
      </xsl:if>
      <xsl:if test="$marks/self::tei:note[ed:is-document-note(.)][not(ed:is-handwritten(.))]">
        <entry sample="docnote">Annotation on the document (registry mark, resolution)</entry>
      </xsl:if>
      <xsl:if test="$marks/self::tei:add[not(ed:is-handwritten(.))]">
        <entry sample="add">Added later in the original</entry>
      </xsl:if>
      <xsl:if test="$marks/self::tei:del">
        <entry sample="del">Deleted in the original</entry>
      </xsl:if>
      <xsl:if test="$marks/self::tei:gap">
        <entry sample="gap">Left out: illegible, damaged or omitted</entry>
      </xsl:if>
      <xsl:if test="$marks/self::tei:sic">
        <entry sample="sic">So in the original</entry>
      </xsl:if>
      <xsl:if test="$marks/self::tei:unclear">
        <entry sample="unclear">Uncertain reading</entry>
      </xsl:if>
      <xsl:if test="$marks/self::tei:choice[tei:abbr and tei:expan]">
        <entry sample="abbr">Abbreviation with its expansion</entry>
      </xsl:if>
      <xsl:if test="$marks/self::tei:signed">
        <entry sample="signed">Signature</entry>
      </xsl:if>
      <xsl:if test="$marks/self::tei:stamp">
        <entry sample="stamp">Stamp</entry>
      </xsl:if>
      <xsl:if test="$marks/(self::tei:fw | self::tei:pb)">
        <entry sample="fw">Page break, foliation or other archival marking</entry>
      </xsl:if>
      <xsl:if test="$marks/self::tei:note[not(ed:is-document-note(.))]">
        <entry sample="note">Note (listed under Notes)</entry>
      </xsl:if>
    </xsl:variable>
    <xsl:if test="exists($entries)">
      <aside class="legend" aria-labelledby="legend-heading">
        <h3 id="legend-heading">Editorial marks</h3>
        <dl>
          <xsl:for-each select="$entries">
            <div>
              <dt><xsl:apply-templates select="." mode="legend-sample"/></dt>
              <dd>{.}</dd>
            </div>
          </xsl:for-each>
        </dl>
      </aside>
    </xsl:if>
  </xsl:template>

  <xsl:template match="entry[@sample = 'supplied']" mode="legend-sample">
    <span class="ed-supplied"><span class="ed-bracket">[</span>text<span class="ed-bracket">]</span></span>
  </xsl:template>
  <xsl:template match="entry[@sample = 'hand']" mode="legend-sample">
    <ins class="ed-add ed-hand"><span class="ed-label">handwritten</span> text</ins>
  </xsl:template>
  <xsl:template match="entry[@sample = 'docnote']" mode="legend-sample">
    <span class="ed-docnote-sample"><span class="ed-label">note</span> text</span>
  </xsl:template>
  <xsl:template match="entry[@sample = 'add']" mode="legend-sample">
    <ins class="ed-add"><span class="ed-bracket">⸢</span>text<span class="ed-bracket">⸣</span></ins>
  </xsl:template>
  <xsl:template match="entry[@sample = 'del']" mode="legend-sample">
    <del class="ed-del">text</del>
  </xsl:template>
  <xsl:template match="entry[@sample = 'gap']" mode="legend-sample">
    <span class="ed-gap">[illegible]</span>
  </xsl:template>
  <xsl:template match="entry[@sample = 'sic']" mode="legend-sample">
    <span class="ed-sic">text</span><span class="ed-mark"> [sic]</span>
  </xsl:template>
  <xsl:template match="entry[@sample = 'unclear']" mode="legend-sample">
    <span class="ed-unclear">text</span><span class="ed-mark">[?]</span>
  </xsl:template>
  <xsl:template match="entry[@sample = 'abbr']" mode="legend-sample">
    <span class="ed-abbr">abbr.</span><span class="ed-supplied"> <span class="ed-bracket">[</span>expansion<span class="ed-bracket">]</span></span>
  </xsl:template>
  <xsl:template match="entry[@sample = 'signed']" mode="legend-sample">
    <span class="ed-signed-sample"><span class="ed-label">signed</span> Name</span>
  </xsl:template>
  <xsl:template match="entry[@sample = 'stamp']" mode="legend-sample">
    <span class="ed-stamp"><span class="ed-label">stamp</span> text</span>
  </xsl:template>
  <xsl:template match="entry[@sample = 'fw']" mode="legend-sample">
    <span class="ed-fw">[p. 2]</span>
  </xsl:template>
  <xsl:template match="entry[@sample = 'note']" mode="legend-sample">
    <span class="ed-noteref-sample">text<sup>1</sup></span>
  </xsl:template>

  <!-- ============================ notes ============================ -->

  <xsl:template name="notes">
    <xsl:variable name="notes" select="ed:footnotes(.)"/>
    <xsl:if test="exists($notes)">
      <section class="notes" aria-labelledby="notes-heading">
        <h2 id="notes-heading">Notes</h2>
        <ol>
          <xsl:for-each select="$notes">
            <xsl:variable name="n" select="position()"/>
            <xsl:variable name="lang" select="ed:lang-of(.)"/>
            <li id="note-{$n}" value="{$n}">
              <div lang="{$lang}" dir="{ed:language-dir($lang)}">
                <xsl:apply-templates mode="body">
                  <xsl:with-param name="phrasing" select="false()" tunnel="yes"/>
                </xsl:apply-templates>
              </div>
              <a class="backref" href="#noteref-{$n}" aria-label="Back to the text of note {$n}">↩</a>
            </li>
          </xsl:for-each>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- ============================ body ============================ -->

  <!-- Text is copied by the mode's built-in rule (text-only-copy): a template of ours that
       made each text node again with value-of cost 3 % of the page, for the same text. -->

  <xsl:template match="comment() | processing-instruction()" mode="body"/>

  <!-- Unknown elements keep their text; nothing the encoders add is lost. -->
  <xsl:template match="*" mode="body">
    <xsl:apply-templates mode="body"/>
  </xsl:template>

  <!-- A block: a p (or the given element) in flow content, a span in phrasing,
       holding the element's children. The children are rendered straight into
       it: built first as a parameter, each block's content would be copied once
       more for every block it is nested in. -->
  <xsl:template name="block">
    <xsl:param name="class" as="xs:string"/>
    <xsl:param name="element" as="xs:string" select="'p'"/>
    <xsl:param name="phrasing" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:element name="{if ($phrasing) then 'span' else $element}">
      <xsl:call-template name="block-attributes">
        <xsl:with-param name="class" select="$class"/>
      </xsl:call-template>
      <xsl:apply-templates mode="body">
        <xsl:with-param name="phrasing" select="$phrasing or $element = 'p'" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <!-- A block holding $content, made by the caller (a label before the children,
       or only some of them). -->
  <xsl:template name="block-of">
    <xsl:param name="class" as="xs:string"/>
    <xsl:param name="element" as="xs:string" select="'p'"/>
    <xsl:param name="phrasing" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:element name="{if ($phrasing) then 'span' else $element}">
      <xsl:call-template name="block-attributes">
        <xsl:with-param name="class" select="$class"/>
      </xsl:call-template>
      <xsl:sequence select="$content"/>
    </xsl:element>
  </xsl:template>

  <xsl:template name="block-attributes">
    <xsl:param name="class" as="xs:string"/>
    <xsl:param name="phrasing" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:attribute name="class" select="normalize-space($class || (if ($phrasing) then ' as-block' else ''))"/>
    <xsl:call-template name="lang-attributes"/>
  </xsl:template>

  <!-- An element whose own language differs from its parent's says so. -->
  <xsl:template name="lang-attributes">
    <xsl:if test="@xml:lang">
      <xsl:attribute name="lang" select="@xml:lang"/>
      <xsl:attribute name="dir" select="ed:language-dir(@xml:lang)"/>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:div" mode="body">
    <xsl:call-template name="block">
      <xsl:with-param name="class" select="normalize-space('tei-div ' || ed:token(@type))"/>
      <xsl:with-param name="element" select="if (tei:head) then 'section' else 'div'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:head" mode="body">
    <xsl:param name="phrasing" as="xs:boolean" tunnel="yes" select="false()"/>
    <!-- Below the version's h3, one level per enclosing div that has a heading,
         so the outline never skips a level. -->
    <xsl:variable name="level" select="min((6, 3 + count(ancestor::tei:div[tei:head])))"/>
    <xsl:choose>
      <xsl:when test="parent::tei:div and not($phrasing)">
        <xsl:element name="h{$level}">
          <xsl:attribute name="class" select="'tei-head'"/>
          <xsl:apply-templates mode="body">
            <xsl:with-param name="phrasing" select="true()" tunnel="yes"/>
          </xsl:apply-templates>
        </xsl:element>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="block">
          <xsl:with-param name="class" select="'tei-head'"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:p | tei:ab" mode="body">
    <xsl:call-template name="block">
      <xsl:with-param name="class" select="normalize-space('tei-p ' || ed:rend-classes(.))"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:opener | tei:closer | tei:postscript | tei:argument | tei:epigraph | tei:floatingText | tei:lg | tei:front | tei:back | tei:body | tei:group | tei:text" mode="body">
    <xsl:call-template name="block">
      <xsl:with-param name="class" select="'tei-' || local-name()"/>
      <xsl:with-param name="element" select="'div'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:dateline | tei:salute | tei:byline | tei:docAuthor | tei:trailer | tei:l" mode="body">
    <xsl:call-template name="block">
      <xsl:with-param name="class" select="'tei-' || local-name()"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:address" mode="body">
    <xsl:call-template name="block">
      <xsl:with-param name="class" select="'tei-address'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:addrLine" mode="body">
    <xsl:if test="preceding-sibling::tei:addrLine"><br/></xsl:if>
    <span class="tei-addrLine"><xsl:apply-templates mode="body"/></span>
  </xsl:template>

  <xsl:template match="tei:signed" mode="body">
    <xsl:call-template name="block-of">
      <xsl:with-param name="class" select="'ed-signed'"/>
      <xsl:with-param name="content" as="item()*">
        <span class="ed-label"><xsl:call-template name="label-lang"/>signed</span>
        <xsl:text> </xsl:text>
        <xsl:apply-templates mode="body">
          <xsl:with-param name="phrasing" select="true()" tunnel="yes"/>
        </xsl:apply-templates>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:list" mode="body">
    <xsl:param name="phrasing" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="ordered" select="tokenize(string-join((@type, @rend), ' ')) = ('ordered', 'numbered', 'decimal', 'arabic', 'roman')"/>
    <xsl:apply-templates select="tei:head" mode="body"/>
    <xsl:choose>
      <xsl:when test="$phrasing">
        <span class="tei-list as-block">
          <xsl:apply-templates select="node() except tei:head" mode="body"/>
        </span>
      </xsl:when>
      <xsl:otherwise>
        <xsl:element name="{if ($ordered) then 'ol' else 'ul'}">
          <xsl:attribute name="class" select="'tei-list' || (if (tei:label) then ' labelled' else '')"/>
          <xsl:apply-templates select="tei:item" mode="body"/>
        </xsl:element>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:item" mode="body">
    <xsl:param name="phrasing" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="label" select="preceding-sibling::*[1][self::tei:label]"/>
    <xsl:element name="{if ($phrasing) then 'span' else 'li'}">
      <xsl:attribute name="class" select="'tei-item' || (if ($phrasing) then ' as-block' else '')"/>
      <xsl:for-each select="$label">
        <span class="tei-label"><xsl:apply-templates mode="body"><xsl:with-param name="phrasing" select="true()" tunnel="yes"/></xsl:apply-templates></span>
        <xsl:text> </xsl:text>
      </xsl:for-each>
      <xsl:apply-templates mode="body"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:label" mode="body">
    <xsl:if test="not(parent::tei:list)">
      <span class="tei-label"><xsl:apply-templates mode="body"/></span>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:quote | tei:q" mode="body">
    <xsl:param name="phrasing" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:choose>
      <xsl:when test="not($phrasing) and (tei:p | tei:lg | tei:list | tei:ab)">
        <blockquote class="tei-quote"><xsl:apply-templates mode="body"/></blockquote>
      </xsl:when>
      <xsl:otherwise>
        <q class="tei-{local-name()}"><xsl:apply-templates mode="body"><xsl:with-param name="phrasing" select="true()" tunnel="yes"/></xsl:apply-templates></q>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:table" mode="body">
    <xsl:param name="phrasing" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:choose>
      <xsl:when test="$phrasing">
        <span class="tei-table as-block"><xsl:apply-templates mode="body"/></span>
      </xsl:when>
      <xsl:otherwise>
        <div class="table-wrap">
          <table class="tei-table">
            <xsl:for-each select="tei:head">
              <caption><xsl:apply-templates mode="body"><xsl:with-param name="phrasing" select="true()" tunnel="yes"/></xsl:apply-templates></caption>
            </xsl:for-each>
            <tbody>
              <xsl:apply-templates select="tei:row" mode="body"/>
            </tbody>
          </table>
        </div>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:row" mode="body">
    <xsl:param name="phrasing" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:choose>
      <xsl:when test="$phrasing"><span class="tei-row as-block"><xsl:apply-templates mode="body"/></span></xsl:when>
      <xsl:otherwise><tr><xsl:apply-templates select="tei:cell" mode="body"/></tr></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:cell" mode="body">
    <xsl:param name="phrasing" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:choose>
      <xsl:when test="$phrasing"><span class="tei-cell"><xsl:apply-templates mode="body"/> </span></xsl:when>
      <xsl:otherwise>
        <xsl:element name="{if (@role = 'label' or ../@role = 'label') then 'th' else 'td'}">
          <xsl:if test="@cols"><xsl:attribute name="colspan" select="@cols"/></xsl:if>
          <xsl:if test="@rows"><xsl:attribute name="rowspan" select="@rows"/></xsl:if>
          <xsl:apply-templates mode="body"/>
        </xsl:element>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Images live in the archive, not in this self-contained site: a figure
       shows its description. -->
  <xsl:template match="tei:figure" mode="body">
    <xsl:call-template name="block-of">
      <xsl:with-param name="class" select="'tei-figure'"/>
      <xsl:with-param name="element" select="'div'"/>
      <xsl:with-param name="content" as="item()*">
        <xsl:apply-templates select="tei:head, tei:figDesc, tei:p" mode="body"/>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:figDesc" mode="body">
    <xsl:call-template name="block">
      <xsl:with-param name="class" select="'tei-figDesc'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:lb" mode="body"><br/></xsl:template>
  <xsl:template match="tei:cb | tei:milestone | tei:anchor | tei:graphic | tei:media | tei:space" mode="body">
    <xsl:if test="self::tei:space"><xsl:text> </xsl:text></xsl:if>
  </xsl:template>

  <!-- ===== editorial phenomena ===== -->

  <xsl:template match="tei:supplied" mode="body">
    <span class="ed-supplied">
      <xsl:if test="@reason"><xsl:attribute name="data-reason" select="@reason"/></xsl:if>
      <span class="ed-bracket">[</span>
      <xsl:apply-templates mode="body"/>
      <span class="ed-bracket">]</span>
    </span>
  </xsl:template>

  <!-- Struck-out text sounds like any other to a screen reader (del is not announced),
       so words no one sees say where it starts and ends; they stay outside del, which
       holds only the deleted text. -->
  <xsl:template match="tei:del" mode="body">
    <xsl:call-template name="spoken">
      <xsl:with-param name="words" select="'deleted:'"/>
    </xsl:call-template>
    <del class="ed-del{if (ed:is-handwritten(.)) then ' ed-hand' else ''}"><xsl:apply-templates mode="body"/></del>
    <xsl:call-template name="spoken">
      <xsl:with-param name="words" select="'(end of deletion)'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:add" mode="body">
    <xsl:variable name="hand" select="ed:is-handwritten(.)"/>
    <xsl:variable name="place" select="ed:place-label(@place)"/>
    <!-- Without a label, only the half brackets mark an addition, and they are not read out. -->
    <xsl:variable name="unlabelled" select="not($hand or exists($place))"/>
    <xsl:if test="$unlabelled">
      <xsl:call-template name="spoken">
        <xsl:with-param name="words" select="'added:'"/>
      </xsl:call-template>
    </xsl:if>
    <ins class="ed-add{if ($hand) then ' ed-hand' else ''}">
      <!-- A handwritten addition always says so in words: its colour and slant are not
           read out, and ins alone is announced as an insertion, not as handwriting. -->
      <xsl:if test="$hand or exists($place)">
        <span class="ed-label"><xsl:call-template name="label-lang"/>{normalize-space((if ($hand) then ed:hand-phrase(.) else 'added') || ' ' || $place)}</span>
        <xsl:text> </xsl:text>
      </xsl:if>
      <xsl:if test="not($hand)"><span class="ed-bracket">⸢</span></xsl:if>
      <xsl:apply-templates mode="body"/>
      <xsl:if test="not($hand)"><span class="ed-bracket">⸣</span></xsl:if>
    </ins>
    <xsl:if test="$unlabelled">
      <xsl:call-template name="spoken">
        <xsl:with-param name="words" select="'(end of addition)'"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:gap" mode="body">
    <span class="ed-gap">
      <!-- A description is the source's own words, in its language; the rest is the edition's. -->
      <xsl:if test="not(tei:desc[normalize-space()])"><xsl:call-template name="label-lang"/></xsl:if>
      <xsl:text>{ed:gap-label(.)}</xsl:text>
    </span>
  </xsl:template>

  <xsl:template match="tei:sic" mode="body">
    <span class="ed-sic"><xsl:apply-templates mode="body"/></span>
    <span class="ed-mark"> [sic]</span>
  </xsl:template>

  <xsl:template match="tei:unclear" mode="body">
    <span class="ed-unclear"><xsl:apply-templates mode="body"/></span>
    <span class="ed-mark">[?]</span>
  </xsl:template>

  <xsl:template match="tei:choice" mode="body">
    <xsl:variable name="shown" select="(tei:sic, tei:orig, tei:abbr, *)[1]"/>
    <xsl:variable name="other" select="(tei:corr, tei:reg, tei:expan, * except $shown)[1]"/>
    <span class="ed-choice">
      <span class="ed-{local-name($shown)}"><xsl:apply-templates select="$shown/node()" mode="body"/></span>
      <xsl:if test="$other">
        <span class="ed-supplied ed-{local-name($other)}">
          <xsl:text> </xsl:text>
          <span class="ed-bracket">[</span>
          <xsl:if test="$shown/self::tei:sic"><span class="ed-choice-label"><xsl:call-template name="label-lang"/>sic; read </span></xsl:if>
          <xsl:apply-templates select="$other/node()" mode="body"/>
          <span class="ed-bracket">]</span>
        </span>
      </xsl:if>
    </span>
  </xsl:template>

  <!-- Labelled in words like a signature or a marking: the box drawn round it is not read out. -->
  <xsl:template match="tei:stamp" mode="body">
    <span class="ed-stamp"><span class="ed-label"><xsl:call-template name="label-lang"/>stamp</span>
      <xsl:text> </xsl:text>
      <xsl:apply-templates mode="body"/>
    </span>
  </xsl:template>

  <xsl:template match="tei:fw" mode="body">
    <xsl:call-template name="block-of">
      <xsl:with-param name="class" select="'ed-fw'"/>
      <xsl:with-param name="content" as="item()*">
        <span class="ed-fw-inner">[<span class="ed-label"><xsl:call-template name="label-lang"/>{ed:fw-label(.)}</span>
          <xsl:text> </xsl:text>
          <xsl:apply-templates mode="body"><xsl:with-param name="phrasing" select="true()" tunnel="yes"/></xsl:apply-templates>]</span>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:pb" mode="body">
    <span class="ed-fw ed-pb"><xsl:call-template name="label-lang"/>[{if (@n) then 'p. ' || @n else 'page break'}]</span>
  </xsl:template>

  <!-- Editorial notes become numbered notes; a note written on the document
       itself (by hand, in a margin) is part of the text and stays in place. -->
  <xsl:template match="tei:note" mode="body">
    <xsl:choose>
      <xsl:when test="ed:is-document-note(.)">
        <xsl:variable name="hand" select="ed:is-handwritten(.)"/>
        <xsl:call-template name="block-of">
          <xsl:with-param name="class" select="'ed-docnote' || (if ($hand) then ' ed-hand' else '')"/>
          <xsl:with-param name="element" select="if (tei:p | tei:list | tei:lg | tei:ab) then 'div' else 'p'"/>
          <xsl:with-param name="content" as="item()*">
            <span class="ed-label"><xsl:call-template name="label-lang"/>{ed:document-note-label(.)}</span>
            <xsl:text> </xsl:text>
            <xsl:apply-templates mode="body"/>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="ancestor::tei:note">
        <span class="nested-note"> (<xsl:apply-templates mode="body"/>)</span>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="n" select="ed:note-number(.)"/>
        <sup class="noteref"><a id="noteref-{$n}" href="#note-{$n}" aria-label="Note {$n}">{$n}</a></sup>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The words the edition writes beside a mark ("signed", "registry mark", "[illegible]",
       "[p. 2]") are English, the page's language. Inside a text in another language they say
       so, or a screen reader reads them with the voice of the Russian or Azerbaijani around
       them (WCAG 3.1.2); inside a right-to-left text they also run left to right. The context
       is the TEI element the label is for. -->
  <!-- Words for screen readers only (hidden by the class ed-sr), in English. -->
  <xsl:template name="spoken">
    <xsl:param name="words" as="xs:string"/>
    <span class="ed-sr"><xsl:call-template name="label-lang"/>{' ' || $words || ' '}</span>
  </xsl:template>

  <xsl:template name="label-lang">
    <xsl:variable name="lang" select="ed:lang-of(.)"/>
    <xsl:if test="not(matches($lang, '^en(-|$)', 'i'))">
      <xsl:attribute name="lang" select="'en'"/>
      <xsl:if test="ed:language-dir($lang) eq 'rtl'">
        <xsl:attribute name="dir" select="'ltr'"/>
      </xsl:if>
    </xsl:if>
  </xsl:template>

  <!-- ===== phrase-level ===== -->

  <xsl:template match="tei:hi" mode="body">
    <xsl:variable name="shift" select="ed:hi-shift(.)"/>
    <xsl:choose>
      <xsl:when test="$shift eq '^'"><sup><xsl:apply-templates mode="body"/></sup></xsl:when>
      <xsl:when test="$shift eq '_'"><sub><xsl:apply-templates mode="body"/></sub></xsl:when>
      <xsl:otherwise>
        <span class="{normalize-space('tei-hi ' || ed:rend-classes(.))}"><xsl:apply-templates mode="body"/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- @rend tokens to CSS classes: rend-italic, rend-bold, rend-underline, ... -->
  <xsl:function name="ed:rend-classes" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="rend" select="tokenize(lower-case(string-join(($e/@rend, $e/@rendition), ' ')), '[\s#]+')[. ne '']"/>
    <xsl:sequence select="string-join(distinct-values($rend ! (
        if (. = ('italic', 'italics', 'i')) then 'rend-italic'
        else if (. = ('bold', 'b')) then 'rend-bold'
        else if (. = ('underline', 'underlined', 'u')) then 'rend-underline'
        else if (. = ('strikethrough', 'struck', 'overstrike')) then 'rend-strike'
        else if (. = ('caps', 'uppercase', 'allcaps')) then 'rend-caps'
        else if (. = ('smallcaps', 'small-caps', 'sc')) then 'rend-smallcaps'
        else if (. = ('spaced', 'letterspaced', 'letter-spaced', 'sperr')) then 'rend-spaced'
        else if (. = ('center', 'centre', 'centered', 'align-center')) then 'rend-center'
        else if (. = ('right', 'align-right')) then 'rend-right'
        else if (. = ('handwritten', 'manuscript')) then 'ed-hand'
        else ())), ' ')"/>
  </xsl:function>

  <xsl:template match="tei:emph" mode="body">
    <em><xsl:apply-templates mode="body"/></em>
  </xsl:template>

  <xsl:template match="tei:foreign | tei:term | tei:mentioned | tei:soCalled | tei:gloss" mode="body">
    <span class="tei-{local-name()}">
      <xsl:call-template name="lang-attributes"/>
      <xsl:apply-templates mode="body"/>
    </span>
  </xsl:template>

  <xsl:template match="tei:title" mode="body">
    <cite class="tei-title"><xsl:apply-templates mode="body"/></cite>
  </xsl:template>

  <xsl:template match="tei:persName | tei:placeName | tei:orgName | tei:name | tei:rs | tei:geogName | tei:num | tei:measure | tei:time | tei:roleName | tei:seg | tei:damage | tei:abbr | tei:expan | tei:orig | tei:reg | tei:corr" mode="body">
    <span class="tei-{local-name()}">
      <xsl:call-template name="lang-attributes"/>
      <xsl:apply-templates mode="body"/>
    </span>
  </xsl:template>

  <xsl:template match="tei:date" mode="body">
    <xsl:variable name="datetime" select="ed:html-datetime(ed:date-iso(.))"/>
    <xsl:choose>
      <xsl:when test="exists($datetime)"><time class="tei-date" datetime="{$datetime}"><xsl:apply-templates mode="body"/></time></xsl:when>
      <xsl:otherwise><span class="tei-date"><xsl:apply-templates mode="body"/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- One more reference to a footnote: a link to the same note, with its number. The id
       noteref-N stays the first reference's, where the note's back link goes. A note inside
       another note (a footnote on a handwritten note) has no number: it is shown in its
       place, so here too, in its own language. -->
  <xsl:template match="tei:ptr[@type = 'footnote'][exists(ed:pointed-footnote(.))]" mode="body">
    <xsl:variable name="note" select="ed:pointed-footnote(.)"/>
    <xsl:variable name="n" select="ed:note-number($note)"/>
    <xsl:choose>
      <xsl:when test="$n gt 0">
        <sup class="noteref"><a href="#note-{$n}" aria-label="Note {$n}">{$n}</a></sup>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="lang" select="ed:lang-of($note)"/>
        <span class="nested-note">
          <xsl:if test="$lang ne ed:lang-of(.)">
            <xsl:attribute name="lang" select="$lang"/>
            <xsl:attribute name="dir" select="ed:language-dir($lang)"/>
          </xsl:if>
          <xsl:text> (</xsl:text>
          <xsl:apply-templates select="$note/node()" mode="body"/>
          <xsl:text>)</xsl:text>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:ref | tei:ptr" mode="body">
    <xsl:variable name="target" select="tokenize(string(@target))[1]"/>
    <xsl:choose>
      <xsl:when test="matches(($target, '')[1], '^https?://')">
        <a class="tei-ref" href="{$target}">
          <xsl:apply-templates mode="body"/>
          <xsl:if test="self::tei:ptr">{$target}</xsl:if>
        </a>
      </xsl:when>
      <xsl:otherwise><span class="tei-ref"><xsl:apply-templates mode="body"/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
