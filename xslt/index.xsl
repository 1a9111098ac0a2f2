<?xml version="1.0" encoding="UTF-8"?>
<!--
  The index pages: index.html (every document by date) and
  browse/<facet>-<token>.html (the documents of one type, language or year).
  Those static pages are the filters: they need no JavaScript at all. Long
  listings are split into pages (index.html, index.2.html, ...).

  Entry points, both run by edition.site_index:
  - named template "facet-values", context item an index record (a TEI
    element with the parts of the header the index shows): the record's
    facet values as a JSON array of [facet, token, label]. What a value is,
    its token and its label are decided here; the build only groups them.
  - the root template, on an ed:index-page: one page of one listing. The
    page document carries everything the page shows and nothing more: its
    documents' index records (in date order, as a teiCorpus), every facet
    group of the edition (label, count, href) for the filter links, and the
    pages of its listing. Its size is the page's, not the edition's, so a
    build of 50,000 documents renders its index in bounded memory.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:ed="https://edition.example/ns"
  exclude-result-prefixes="#all" expand-text="yes">

  <xsl:include href="common.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no" include-content-type="no"/>

  <xsl:variable name="facets" select="('type', 'language', 'year')"/>

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

  <xsl:template name="facet-values" as="xs:string">
    <xsl:variable name="tei" select="(self::tei:TEI, tei:TEI)[1]" as="element(tei:TEI)?"/>
    <xsl:if test="empty($tei)">
      <xsl:message terminate="yes">Expected an index record (a TEI element) as the context item</xsl:message>
    </xsl:if>
    <xsl:sequence select="serialize(array {
        for $f in $facets, $v in ed:facet-values($tei, $f)
        return array { $f, ed:token($v), ed:facet-label($f, $v, $tei) }
      }, map { 'method': 'json' })"/>
  </xsl:template>

  <!-- ============================ pages ============================ -->

  <xsl:template match="/">
    <xsl:if test="not(ed:index-page)">
      <xsl:message terminate="yes">Expected the build's ed:index-page, found {name(*)}</xsl:message>
    </xsl:if>
    <xsl:apply-templates select="ed:index-page"/>
  </xsl:template>

  <xsl:template match="ed:index-page">
    <xsl:variable name="page" select="."/>
    <xsl:variable name="facet" select="string(@facet)"/>
    <xsl:variable name="token" select="string(@token)"/>
    <xsl:variable name="docs" select="tei:teiCorpus/tei:TEI"/>
    <xsl:variable name="root-href" select="if ($facet eq '') then '' else '../'"/>
    <xsl:variable name="heading" select="if ($facet eq '') then 'All documents' else ed:facet-heading($facet, @label)"/>
    <xsl:variable name="number" select="xs:integer(@number)"/>
    <xsl:variable name="links" select="ed:page-link"/>
    <!-- The index on one page is the site's home, titled by the site alone; a page of a
         longer listing names the listing first, as a facet's pages do. -->
    <xsl:variable name="title" select="string-join((
        if ($facet eq '' and count($links) le 1) then () else $heading,
        if (count($links) gt 1) then 'page ' || $number || ' of ' || count($links) else (),
        $site-title), ' · ')"/>
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>{$title}</title>
        <meta name="description" content="{$site-title}: {@documents} archival documents with translations, in TEI P5."/>
        <meta name="generator" content="{normalize-space('edition ' || $edition-version)}"/>
        <xsl:for-each select="ed:absolute(@href)">
          <link rel="canonical" href="{.}"/>
        </xsl:for-each>
        <xsl:for-each select="$links[xs:integer(@number) = ($number - 1, $number + 1)]">
          <link rel="{if (xs:integer(@number) lt $number) then 'prev' else 'next'}" href="{$root-href}{@href}"/>
        </xsl:for-each>
        <link rel="stylesheet" href="{$root-href}assets/edition.css"/>
        <link rel="icon" type="image/svg+xml" href="{$root-href}assets/favicon.svg"/>
      </head>
      <body class="index-page">
        <!-- Past the filters too: there may be dozens of their links to tab through. -->
        <a class="skip-link" href="#listing">Skip to the list of documents</a>
        <header class="site-header">
          <div class="site-header-inner">
            <a class="site-title" href="{$root-href}index.html">{$site-title}</a>
            <nav class="site-nav" aria-label="Site">
              <ul>
                <li><a href="{$root-href}index.html">
                  <xsl:if test="$facet eq '' and $number eq 1"><xsl:attribute name="aria-current" select="'page'"/></xsl:if>All documents</a></li>
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" class="index-layout">
          <div class="index-intro">
            <h1>{$heading}</h1>
            <p class="count">{ed:count-phrase(xs:integer(@listed))}<xsl:if test="$facet ne ''">
                of {@documents} in the edition. <a href="{$root-href}index.html">Show all documents</a></xsl:if><xsl:if test="$facet eq ''">, listed by date.</xsl:if></p>
          </div>
          <nav class="filters" aria-labelledby="filters-heading">
            <h2 id="filters-heading">Filter</h2>
            <!-- Combining filters on the page works only when the page lists the whole edition. -->
            <xsl:if test="$facet eq '' and count($links) le 1">
              <xsl:call-template name="combined-filter">
                <xsl:with-param name="groups" select="ed:facet-group"/>
              </xsl:call-template>
            </xsl:if>
            <xsl:for-each select="$facets">
              <xsl:variable name="f" select="."/>
              <xsl:variable name="groups" select="$page/ed:facet-group[@facet eq $f]"/>
              <xsl:if test="exists($groups)">
                <div class="facet">
                  <h3>{map { 'type': 'Type', 'language': 'Language', 'year': 'Year' }($f)}</h3>
                  <ul>
                    <xsl:for-each select="$groups">
                      <li>
                        <a href="{$root-href}{@href}">
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
          <div class="listing" id="listing">
            <xsl:call-template name="pager">
              <xsl:with-param name="links" select="$links"/>
              <xsl:with-param name="number" select="$number"/>
              <xsl:with-param name="root-href" select="$root-href"/>
              <xsl:with-param name="where" select="'top'"/>
            </xsl:call-template>
            <xsl:for-each-group select="$docs" group-adjacent="(ed:year(.)[. ne ''], 'Undated')[1]">
              <section class="year" aria-labelledby="year-{ed:token(current-grouping-key())}">
                <h2 id="year-{ed:token(current-grouping-key())}">{current-grouping-key()}</h2>
                <ol class="entries">
                  <xsl:apply-templates select="current-group()" mode="entry">
                    <xsl:with-param name="root-href" select="$root-href" tunnel="yes"/>
                    <xsl:with-param name="year" select="string(current-grouping-key()[. ne 'Undated'])"/>
                  </xsl:apply-templates>
                </ol>
              </section>
            </xsl:for-each-group>
            <xsl:call-template name="pager">
              <xsl:with-param name="links" select="$links"/>
              <xsl:with-param name="number" select="$number"/>
              <xsl:with-param name="root-href" select="$root-href"/>
              <xsl:with-param name="where" select="'bottom'"/>
            </xsl:call-template>
          </div>
        </main>
        <footer class="site-footer">
          <p>{$site-title}<xsl:if test="$edition-version ne ''">, version {$edition-version}</xsl:if>.
            Encoded in TEI P5; each document links to its TEI source and plain text.</p>
        </footer>
      </body>
    </html>
  </xsl:template>

  <!-- Links to the other pages of a listing split into pages; nothing for one page. -->
  <xsl:template name="pager">
    <xsl:param name="links" as="element(ed:page-link)*"/>
    <xsl:param name="number" as="xs:integer"/>
    <xsl:param name="root-href" as="xs:string"/>
    <xsl:param name="where" as="xs:string"/>
    <xsl:if test="count($links) gt 1">
      <nav class="pager" aria-label="Pages of this list ({$where})">
        <p class="pager-status">Page {$number} of {count($links)}</p>
        <ul>
          <xsl:for-each select="$links[xs:integer(@number) eq $number - 1]">
            <li class="pager-prev"><a href="{$root-href}{@href}" rel="prev">Previous page</a></li>
          </xsl:for-each>
          <xsl:for-each select="$links">
            <li>
              <a href="{$root-href}{@href}">
                <xsl:if test="xs:integer(@number) eq $number"><xsl:attribute name="aria-current" select="'page'"/></xsl:if>
                <xsl:text>{@number}</xsl:text>
              </a>
            </li>
          </xsl:for-each>
          <xsl:for-each select="$links[xs:integer(@number) eq $number + 1]">
            <li class="pager-next"><a href="{$root-href}{@href}" rel="next">Next page</a></li>
          </xsl:for-each>
        </ul>
      </nav>
    </xsl:if>
  </xsl:template>

  <!-- Progressive enhancement of the index: selects that combine type,
       language and year on the page itself. The form is hidden until
       assets/filter.js runs; without JavaScript the facet links do the job. -->
  <xsl:template name="combined-filter">
    <xsl:param name="groups" as="element(ed:facet-group)*"/>
    <form class="combined-filter" hidden="hidden" aria-labelledby="combine-heading">
      <h3 id="combine-heading">Combine filters</h3>
      <xsl:for-each select="$facets">
        <xsl:variable name="f" select="."/>
        <div class="combine-field">
          <label for="combine-{$f}">{map { 'type': 'Type', 'language': 'Language', 'year': 'Year' }($f)}</label>
          <select id="combine-{$f}" data-filter="{$f}">
            <option value="">{map { 'type': 'Any type', 'language': 'Any language', 'year': 'Any year' }($f)}</option>
            <xsl:for-each select="$groups[@facet eq $f]">
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
    <!-- ed:year(.), by which the entries are grouped: '' when undated. -->
    <xsl:param name="year" as="xs:string"/>
    <xsl:variable name="id" select="ed:id(.)"/>
    <xsl:variable name="tei" select="."/>
    <xsl:variable name="doctype" select="ed:doctype-label(.)"/>
    <xsl:variable name="languages" select="ed:languages(.)"/>
    <li class="entry" data-type="{ed:token($doctype)}" data-language="{$languages ! ed:token(.)}" data-year="{$year}">
      <article aria-labelledby="entry-{$id}">
        <h3 id="entry-{$id}"><a href="{$root-href}documents/{ed:doc-href($id)}">
          <xsl:call-template name="title-lang">
            <xsl:with-param name="tei" select="."/>
          </xsl:call-template>
          <xsl:text>{ed:title(.)}</xsl:text>
        </a></h3>
        <p class="entry-meta">
          <xsl:call-template name="date">
            <xsl:with-param name="date" select="ed:date(.)"/>
          </xsl:call-template>
          <span class="sep" aria-hidden="true"> · </span>
          <span class="doctype">{$doctype}</span>
          <span class="sep" aria-hidden="true"> · </span>
          <span class="languages">{string-join($languages ! ed:language-name(., $tei), ', ')}</span>
        </p>
        <xsl:for-each select="ed:summary(.)">
          <p class="entry-summary">{.}</p>
        </xsl:for-each>
      </article>
    </li>
  </xsl:template>
</xsl:stylesheet>
