<?xml version="1.0" encoding="UTF-8"?>
<!--
  The index pages. Input: a teiCorpus the build assembles, one TEI (the parts
  of the header the index shows) per document, already in date order. Output:
  index.html with every document and browse/<facet>-<value>.html with the
  documents of one type, language or year. Those static pages are the
  filters: they need no JavaScript at all.

  Entry points:
  - named template "all-pages" (the build's): every page in one run, as a JSON
    object {path: HTML}; the facet groups are worked out once, so the cost
    grows with the pages' size, not with pages times documents;
  - apply-templates with $facet/$facet-value: one page;
  - named template "facet-pages": the browse pages, one per line as
    facet TAB value TAB path.
  Page names are decided here only.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:ed="https://edition.example/ns"
  exclude-result-prefixes="#all" expand-text="yes">

  <xsl:include href="common.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no" include-content-type="no"/>

  <!-- One page: '' for the full index; else 'type', 'language' or 'year'. -->
  <xsl:param name="facet" as="xs:string" select="''"/>
  <!-- The value's token, as the facet-pages listing gives it. -->
  <xsl:param name="facet-value" as="xs:string" select="''"/>

  <xsl:variable name="facets" select="('type', 'language', 'year')"/>

  <!-- The same serialisation as xsl:output, for pages made by "all-pages". -->
  <xsl:variable name="ed:html-output" select="map {
      'method': 'html', 'html-version': 5.0, 'encoding': 'UTF-8', 'indent': false(),
      'include-content-type': false() }"/>

  <xsl:variable name="ed:corpus" as="element(tei:teiCorpus)?" select="/tei:teiCorpus"/>

  <xsl:key name="ed:tei-by-id" match="tei:TEI" use="string(@xml:id)"/>

  <!-- Each document's entry as the browse pages show it (one folder down),
       made once however many browse pages list the document. -->
  <xsl:variable name="ed:browse-entries" as="map(xs:string, element())">
    <xsl:map>
      <xsl:for-each select="$ed:corpus/tei:TEI">
        <xsl:map-entry key="ed:id(.)">
          <xsl:apply-templates select="." mode="entry">
            <xsl:with-param name="root-href" select="'../'" tunnel="yes"/>
          </xsl:apply-templates>
        </xsl:map-entry>
      </xsl:for-each>
    </xsl:map>
  </xsl:variable>

  <!-- Every facet value with its documents, computed once per run. -->
  <xsl:variable name="ed:groups" as="element(group)*">
    <xsl:for-each select="$facets">
      <xsl:sequence select="ed:facet-groups($ed:corpus, .)"/>
    </xsl:for-each>
  </xsl:variable>

  <!-- ============================ facet values ============================ -->

  <xsl:function name="ed:facet-values" as="xs:string*">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:param name="facet" as="xs:string"/>
    <xsl:sequence select="
        if ($facet eq 'type') then ed:doctype-label($tei)
        else if ($facet eq 'language') then ed:languages($tei)
        else if ($facet eq 'year') then ed:year($tei)[. ne '']
        else ()"/>
  </xsl:function>

  <xsl:function name="ed:facet-label" as="xs:string">
    <xsl:param name="facet" as="xs:string"/>
    <xsl:param name="value" as="xs:string"/>
    <xsl:param name="context" as="node()"/>
    <xsl:sequence select="if ($facet eq 'language') then ed:language-name($value, $context) else $value"/>
  </xsl:function>

  <xsl:function name="ed:facet-href" as="xs:string">
    <xsl:param name="facet" as="xs:string"/>
    <xsl:param name="token" as="xs:string"/>
    <xsl:sequence select="'browse/' || $facet || '-' || $token || '.html'"/>
  </xsl:function>

  <!-- One facet's values as group elements (label, count, and a member per
       document, in date order), sorted by label (years by number). -->
  <xsl:function name="ed:facet-groups" as="element(group)*">
    <xsl:param name="corpus" as="element(tei:teiCorpus)?"/>
    <xsl:param name="facet" as="xs:string"/>
    <xsl:for-each-group select="$corpus/tei:TEI" group-by="ed:facet-values(., $facet) ! ed:token(.)">
      <xsl:sort select="if ($facet eq 'year') then current-grouping-key() else lower-case(ed:facet-label($facet, (ed:facet-values(., $facet)[ed:token(.) eq current-grouping-key()])[1], .))"/>
      <xsl:variable name="value" select="(ed:facet-values(., $facet)[ed:token(.) eq current-grouping-key()])[1]"/>
      <xsl:variable name="label" select="ed:facet-label($facet, $value, .)"/>
      <group facet="{$facet}" token="{current-grouping-key()}" label="{$label}" count="{count(current-group())}">
        <xsl:for-each select="current-group()">
          <member ref="{ed:id(.)}"/>
        </xsl:for-each>
      </group>
    </xsl:for-each-group>
  </xsl:function>

  <xsl:template name="facet-pages">
    <xsl:for-each select="$ed:groups">
      <xsl:value-of select="@facet || '&#9;' || @token || '&#9;' || ed:facet-href(@facet, @token) || '&#10;'"/>
    </xsl:for-each>
  </xsl:template>

  <!-- ============================ pages ============================ -->

  <xsl:template match="/">
    <xsl:if test="not(tei:teiCorpus)">
      <xsl:message terminate="yes">Expected the build's teiCorpus of document headers, found {name(*)}</xsl:message>
    </xsl:if>
    <xsl:call-template name="page">
      <xsl:with-param name="facet" select="$facet"/>
      <xsl:with-param name="token" select="$facet-value"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="all-pages" as="xs:string">
    <xsl:if test="empty($ed:corpus)">
      <xsl:message terminate="yes">Expected the build's teiCorpus of document headers as the context item</xsl:message>
    </xsl:if>
    <xsl:variable name="pages" as="map(xs:string, xs:string)*">
      <xsl:variable name="index" as="element()">
        <xsl:call-template name="page"/>
      </xsl:variable>
      <xsl:sequence select="map { 'index.html': serialize($index, $ed:html-output) }"/>
      <xsl:for-each select="$ed:groups">
        <xsl:variable name="page" as="element()">
          <xsl:call-template name="page">
            <xsl:with-param name="facet" select="string(@facet)"/>
            <xsl:with-param name="token" select="string(@token)"/>
            <xsl:with-param name="shared-entries" select="true()"/>
          </xsl:call-template>
        </xsl:variable>
        <xsl:sequence select="map { ed:facet-href(@facet, @token): serialize($page, $ed:html-output) }"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:sequence select="serialize(map:merge($pages), map { 'method': 'json' })"/>
  </xsl:template>

  <xsl:template name="page" as="element()">
    <xsl:param name="facet" as="xs:string" select="''"/>
    <xsl:param name="token" as="xs:string" select="''"/>
    <xsl:param name="shared-entries" as="xs:boolean" select="false()"/>
    <xsl:variable name="corpus" select="$ed:corpus"/>
    <xsl:variable name="group" select="$ed:groups[@facet eq $facet][@token eq $token]"/>
    <xsl:if test="$facet ne '' and empty($group)">
      <xsl:message terminate="yes">No document has {$facet} '{$token}'</xsl:message>
    </xsl:if>
    <xsl:variable name="docs" select="if ($facet eq '') then $corpus/tei:TEI else key('ed:tei-by-id', $group/member/@ref, root($corpus))"/>
    <xsl:variable name="root-href" select="if ($facet eq '') then '' else '../'"/>
    <xsl:variable name="heading" select="if ($facet eq '') then 'All documents' else ed:facet-heading($facet, $group/@label)"/>
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>{if ($facet eq '') then $site-title else $heading || ' · ' || $site-title}</title>
        <meta name="description" content="{$site-title}: {count($corpus/tei:TEI)} archival documents with translations, in TEI P5."/>
        <meta name="generator" content="{normalize-space('edition ' || $edition-version)}"/>
        <xsl:for-each select="ed:absolute(if ($facet eq '') then 'index.html' else ed:facet-href($facet, $token))">
          <link rel="canonical" href="{.}"/>
        </xsl:for-each>
        <link rel="stylesheet" href="{$root-href}assets/edition.css"/>
        <link rel="icon" type="image/svg+xml" href="{$root-href}assets/favicon.svg"/>
      </head>
      <body class="index-page">
        <a class="skip-link" href="#main">Skip to the list of documents</a>
        <header class="site-header">
          <div class="site-header-inner">
            <a class="site-title" href="{$root-href}index.html">{$site-title}</a>
            <nav class="site-nav" aria-label="Site">
              <ul>
                <li><a href="{$root-href}index.html">
                  <xsl:if test="$facet eq ''"><xsl:attribute name="aria-current" select="'page'"/></xsl:if>All documents</a></li>
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" class="index-layout">
          <div class="index-intro">
            <h1>{$heading}</h1>
            <p class="count">{ed:count-phrase(count($docs))}<xsl:if test="$facet ne ''">
                of {count($corpus/tei:TEI)} in the edition. <a href="{$root-href}index.html">Show all documents</a></xsl:if><xsl:if test="$facet eq ''">, listed by date.</xsl:if></p>
          </div>
          <nav class="filters" aria-labelledby="filters-heading">
            <h2 id="filters-heading">Filter</h2>
            <xsl:if test="$facet eq ''">
              <xsl:call-template name="combined-filter"/>
            </xsl:if>
            <xsl:for-each select="$facets">
              <xsl:variable name="f" select="."/>
              <xsl:variable name="groups" select="$ed:groups[@facet eq $f]"/>
              <xsl:if test="exists($groups)">
                <div class="facet">
                  <h3>{map { 'type': 'Type', 'language': 'Language', 'year': 'Year' }($f)}</h3>
                  <ul>
                    <xsl:for-each select="$groups">
                      <li>
                        <a href="{$root-href}{ed:facet-href($f, @token)}">
                          <xsl:if test="$f eq $facet and @token eq $token">
                            <xsl:attribute name="aria-current" select="'page'"/>
                          </xsl:if>
                          <span class="facet-label">{@label}</span>
                          <xsl:text> </xsl:text>
                          <span class="facet-count">({@count})</span>
                        </a>
                      </li>
                    </xsl:for-each>
                  </ul>
                </div>
              </xsl:if>
            </xsl:for-each>
          </nav>
          <div class="listing">
            <xsl:for-each-group select="$docs" group-adjacent="(ed:year(.)[. ne ''], 'Undated')[1]">
              <section class="year" aria-labelledby="year-{ed:token(current-grouping-key())}">
                <h2 id="year-{ed:token(current-grouping-key())}">{current-grouping-key()}</h2>
                <ol class="entries">
                  <xsl:choose>
                    <!-- One page alone renders its own entries; in all-pages they are shared. -->
                    <xsl:when test="$facet eq '' or not($shared-entries)">
                      <xsl:apply-templates select="current-group()" mode="entry">
                        <xsl:with-param name="root-href" select="$root-href" tunnel="yes"/>
                      </xsl:apply-templates>
                    </xsl:when>
                    <xsl:otherwise>
                      <xsl:sequence select="current-group() ! $ed:browse-entries(ed:id(.))"/>
                    </xsl:otherwise>
                  </xsl:choose>
                </ol>
              </section>
            </xsl:for-each-group>
          </div>
        </main>
        <footer class="site-footer">
          <p>{$site-title}<xsl:if test="$edition-version ne ''">, version {$edition-version}</xsl:if>.
            Encoded in TEI P5; each document links to its TEI source and plain text.</p>
        </footer>
      </body>
    </html>
  </xsl:template>

  <!-- Progressive enhancement of the index: selects that combine type,
       language and year on the page itself. The form is hidden until
       assets/filter.js runs; without JavaScript the facet links do the job. -->
  <xsl:template name="combined-filter">
    <form class="combined-filter" hidden="hidden" aria-labelledby="combine-heading">
      <h3 id="combine-heading">Combine filters</h3>
      <xsl:for-each select="$facets">
        <xsl:variable name="f" select="."/>
        <div class="combine-field">
          <label for="combine-{$f}">{map { 'type': 'Type', 'language': 'Language', 'year': 'Year' }($f)}</label>
          <select id="combine-{$f}" data-filter="{$f}">
            <option value="">{map { 'type': 'Any type', 'language': 'Any language', 'year': 'Any year' }($f)}</option>
            <xsl:for-each select="$ed:groups[@facet eq $f]">
              <option value="{@token}">{@label} ({@count})</option>
            </xsl:for-each>
          </select>
        </div>
      </xsl:for-each>
      <p class="filter-status" role="status"></p>
    </form>
    <script src="assets/filter.js" defer="defer"></script>
  </xsl:template>

  <xsl:function name="ed:facet-heading" as="xs:string">
    <xsl:param name="facet" as="xs:string"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:sequence select="
        if ($facet eq 'type') then 'Documents of type: ' || $label
        else if ($facet eq 'language') then 'Documents in ' || $label
        else 'Documents from ' || $label"/>
  </xsl:function>

  <xsl:function name="ed:count-phrase" as="xs:string">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:sequence select="$n || (if ($n eq 1) then ' document' else ' documents')"/>
  </xsl:function>

  <xsl:template match="tei:TEI" mode="entry">
    <xsl:param name="root-href" as="xs:string" tunnel="yes"/>
    <xsl:variable name="id" select="ed:id(.)"/>
    <xsl:variable name="tei" select="."/>
    <li class="entry" data-type="{ed:token(ed:doctype-label(.))}" data-language="{ed:languages(.) ! ed:token(.)}" data-year="{ed:year(.)}">
      <article aria-labelledby="entry-{$id}">
        <h3 id="entry-{$id}"><a href="{$root-href}documents/{ed:doc-href($id)}">{ed:title(.)}</a></h3>
        <p class="entry-meta">
          <xsl:variable name="date" select="ed:date(.)"/>
          <xsl:variable name="datetime" select="ed:html-datetime(ed:date-iso($date))"/>
          <xsl:choose>
            <xsl:when test="exists($datetime)"><time datetime="{$datetime}">{ed:date-label($date)}</time></xsl:when>
            <xsl:otherwise><span>{ed:date-label($date)}</span></xsl:otherwise>
          </xsl:choose>
          <span class="sep" aria-hidden="true"> · </span>
          <span class="doctype">{ed:doctype-label(.)}</span>
          <span class="sep" aria-hidden="true"> · </span>
          <span class="languages">{string-join(ed:languages(.) ! ed:language-name(., $tei), ', ')}</span>
        </p>
        <xsl:for-each select="ed:summary(.)">
          <p class="entry-summary">{.}</p>
        </xsl:for-each>
      </article>
    </li>
  </xsl:template>
</xsl:stylesheet>
