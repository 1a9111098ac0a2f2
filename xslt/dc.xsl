<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI header -> oai_dc (simple Dublin Core inside the OAI-PMH oai_dc container).

  Only the fifteen DCMES 1.1 elements appear, each at most as often as the header
  gives a distinct value; nothing else (no qualified DC, no attributes but xml:lang),
  because oai_dc.xsd allows nothing else and harvesters index nothing else.

  Mapping (TEI house style, DESIGN.md):
    title        titleStmt/title (main first), in the title's language (ed:title-lang)
    creator      correspDesc sender(s); else msItem/author
    subject      textClass keywords other than document type and classification
    description  profileDesc/abstract, else msContents/summary (ed:summary)
    publisher    publicationStmt/publisher
    contributor  titleStmt/respStmt people and organisations (translator, contributor)
    date         the document's date (ed:date: origDate, else the date of sending): @when,
                 else its bounds as an ISO 8601 interval
    type         DCMI type "Text" and the document type term
    format       application/tei+xml
    identifier   the edition URL ($document-url-template, else idno[@type='edition-url'])
    source       the archive's own citation line, else the archival reference
    language     langUsage/language/@ident (BCP 47)
    relation     the source record's URL (ed:source-url: the export bibl's ref/@target)
    coverage     places of sending / origin
    rights       availability/licence (and its @target)
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:ed="https://edition.example/ns"
    exclude-result-prefixes="tei xs ed"
    expand-text="yes">

  <!-- The header readings the site uses too (document date, summary), so a record's
       Dublin Core says what its page says. -->
  <xsl:import href="common.xsl"/>

  <xsl:output method="xml" encoding="UTF-8" indent="no"/>

  <!-- URL of a document in the published edition, with {id} standing for its xml:id;
       empty: use the header's idno[@type='edition-url']. -->
  <xsl:param name="document-url-template" as="xs:string" select="''"/>

  <!-- One document gives its oai_dc record. Many documents at once (the catalog sends
       batches: one transform per document costs more in start-up than in work) come as
       a teiCorpus of TEI elements, each with at least its teiHeader, and give
       ed:records/ed:record[@id] with one oai_dc record each. -->
  <xsl:template match="/">
    <xsl:choose>
      <xsl:when test="tei:teiCorpus">
        <xsl:apply-templates select="tei:teiCorpus" mode="batch"/>
      </xsl:when>
      <xsl:when test="tei:TEI/tei:teiHeader">
        <xsl:apply-templates select="tei:TEI" mode="dc"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:message terminate="yes" error-code="ed:no-header">not a TEI document with a teiHeader</xsl:message>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The records' own namespaces are declared on each oai_dc:dc, not on the wrapper,
       so that a record cut out of a batch is the very element one document gives. -->
  <xsl:template match="tei:teiCorpus" mode="batch">
    <ed:records xsl:exclude-result-prefixes="#all">
      <xsl:for-each select="tei:TEI">
        <ed:record id="{@xml:id}" xsl:exclude-result-prefixes="#all">
          <xsl:apply-templates select="." mode="dc"/>
        </ed:record>
      </xsl:for-each>
    </ed:records>
  </xsl:template>

  <xsl:template match="tei:TEI" mode="dc">
    <oai_dc:dc xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd">
      <xsl:apply-templates select="tei:teiHeader" mode="dc">
        <xsl:with-param name="tei" select="." tunnel="yes"/>
      </xsl:apply-templates>
    </oai_dc:dc>
  </xsl:template>

  <xsl:template match="tei:teiHeader" mode="dc">
    <xsl:param name="tei" as="element(tei:TEI)" tunnel="yes"/>
    <xsl:variable name="lang" select="string($tei/@xml:lang)"/>
    <xsl:variable name="titles" select="tei:fileDesc/tei:titleStmt/tei:title"/>
    <xsl:call-template name="ed:emit">
      <xsl:with-param name="name" select="'title'"/>
      <xsl:with-param name="values" select="($titles[@type = 'main'], $titles[not(@type = 'main')])"/>
      <!-- A title kept in the original's language says so, as the page's h1 does. -->
      <xsl:with-param name="lang" select="ed:title-lang($tei)"/>
    </xsl:call-template>

    <!-- roleName: an office named without a name ("the Ambassador") sent it. -->
    <xsl:variable name="senders" select="tei:profileDesc/tei:correspDesc/tei:correspAction[@type = 'sent']/(tei:persName | tei:orgName | tei:roleName)"/>
    <xsl:call-template name="ed:emit">
      <xsl:with-param name="name" select="'creator'"/>
      <xsl:with-param name="values" select="if (exists($senders)) then $senders
          else tei:fileDesc/tei:sourceDesc/tei:msDesc/tei:msContents/tei:msItem/tei:author"/>
    </xsl:call-template>

    <xsl:call-template name="ed:emit">
      <xsl:with-param name="name" select="'subject'"/>
      <xsl:with-param name="values" select="tei:profileDesc/tei:textClass/tei:keywords/tei:term[not(@type = ('doctype', 'classification'))]"/>
    </xsl:call-template>

    <xsl:call-template name="ed:emit">
      <xsl:with-param name="name" select="'description'"/>
      <xsl:with-param name="values" select="ed:summary($tei)"/>
      <xsl:with-param name="lang" select="$lang"/>
    </xsl:call-template>

    <xsl:call-template name="ed:emit">
      <xsl:with-param name="name" select="'publisher'"/>
      <xsl:with-param name="values" select="tei:fileDesc/tei:publicationStmt/(tei:publisher | tei:distributor | tei:authority)"/>
    </xsl:call-template>

    <xsl:call-template name="ed:emit">
      <xsl:with-param name="name" select="'contributor'"/>
      <xsl:with-param name="values" select="tei:fileDesc/tei:titleStmt/tei:respStmt/(tei:persName | tei:orgName | tei:name)"/>
    </xsl:call-template>

    <xsl:call-template name="ed:emit">
      <xsl:with-param name="name" select="'date'"/>
      <xsl:with-param name="values" select="ed:date($tei) ! ed:dc-date(.)"/>
    </xsl:call-template>

    <xsl:call-template name="ed:emit">
      <xsl:with-param name="name" select="'type'"/>
      <xsl:with-param name="values" select="('Text', tei:profileDesc/tei:textClass/tei:keywords/tei:term[@type = 'doctype'])"/>
    </xsl:call-template>

    <xsl:call-template name="ed:emit">
      <xsl:with-param name="name" select="'format'"/>
      <xsl:with-param name="values" select="'application/tei+xml'"/>
    </xsl:call-template>

    <xsl:call-template name="ed:emit">
      <xsl:with-param name="name" select="'identifier'"/>
      <xsl:with-param name="values" select="if ($document-url-template)
          then replace($document-url-template, '{id}', string($tei/@xml:id), 'q')
          else tei:fileDesc/tei:publicationStmt/tei:idno[@type = 'edition-url']"/>
    </xsl:call-template>

    <xsl:variable name="citation" select="tei:fileDesc/tei:sourceDesc/tei:bibl[@type = 'citation']"/>
    <xsl:call-template name="ed:emit">
      <xsl:with-param name="name" select="'source'"/>
      <xsl:with-param name="values" select="if (exists($citation)) then $citation
          else tei:fileDesc/tei:sourceDesc/tei:bibl[@type = 'archival']"/>
    </xsl:call-template>

    <xsl:variable name="languages" select="tei:profileDesc/tei:langUsage/tei:language/@ident"/>
    <xsl:call-template name="ed:emit">
      <xsl:with-param name="name" select="'language'"/>
      <xsl:with-param name="values" select="if (exists($languages)) then $languages
          else ($tei//tei:textLang/@mainLang, $tei/tei:text//tei:div/@xml:lang)"/>
    </xsl:call-template>

    <xsl:call-template name="ed:emit">
      <xsl:with-param name="name" select="'relation'"/>
      <xsl:with-param name="values" select="ed:source-url($tei)"/>
    </xsl:call-template>

    <xsl:call-template name="ed:emit">
      <xsl:with-param name="name" select="'coverage'"/>
      <xsl:with-param name="values" select="(tei:profileDesc/tei:correspDesc/tei:correspAction[@type = 'sent']/tei:placeName
          , tei:fileDesc/tei:sourceDesc/tei:msDesc/tei:history/tei:origin/tei:origPlace)"/>
    </xsl:call-template>

    <xsl:variable name="availability" select="tei:fileDesc/tei:publicationStmt/tei:availability"/>
    <xsl:call-template name="ed:emit">
      <xsl:with-param name="name" select="'rights'"/>
      <xsl:with-param name="values" select="($availability/tei:licence, $availability/tei:licence/@target,
          $availability/tei:p)"/>
    </xsl:call-template>
  </xsl:template>

  <!-- One dc:* element per distinct, non-empty, whitespace-normalised value, in document order. -->
  <xsl:template name="ed:emit">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="values" as="item()*"/>
    <xsl:param name="lang" as="xs:string" select="''"/>
    <xsl:for-each select="distinct-values($values ! ed:norm(.))[. ne '']">
      <xsl:element name="dc:{$name}" namespace="http://purl.org/dc/elements/1.1/">
        <xsl:if test="$lang">
          <xsl:attribute name="xml:lang" select="$lang"/>
        </xsl:if>
        <xsl:value-of select="."/>
      </xsl:element>
    </xsl:for-each>
  </xsl:template>

  <!-- W3CDTF for a dated element: the exact date, else an ISO 8601 interval of its bounds,
       else the printed form so the date is not lost. -->
  <xsl:function name="ed:dc-date" as="xs:string">
    <xsl:param name="date" as="element()"/>
    <xsl:sequence select="
        if ($date/@when) then string($date/@when)
        else if ($date/@notBefore and $date/@notAfter) then $date/@notBefore || '/' || $date/@notAfter
        else if ($date/@from and $date/@to) then $date/@from || '/' || $date/@to
        else if ($date/@notBefore) then $date/@notBefore || '/..'
        else if ($date/@notAfter) then '../' || $date/@notAfter
        else normalize-space($date)"/>
  </xsl:function>

</xsl:stylesheet>
