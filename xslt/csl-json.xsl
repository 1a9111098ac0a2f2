<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI document -> CSL-JSON (an array holding the document's one item).
  The mapping itself lives in csl.xsl; citations.py validates the result against
  the official CSL-JSON schema and writes it with a stable key order.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:ed="https://edition.example/ns"
  exclude-result-prefixes="#all" expand-text="yes">

  <!-- common.xsl: the base-url parameter and the page paths the HTML uses. An empty
       base URL (a site read from disk) makes the citation's URL the source's. -->
  <xsl:include href="common.xsl"/>
  <xsl:include href="csl.xsl"/>

  <xsl:output method="json" indent="yes" encoding="UTF-8"/>

  <xsl:template match="/">
    <xsl:if test="empty(tei:TEI)">
      <xsl:sequence select="error(xs:QName('ed:not-tei'), 'the document element is not a TEI element')"/>
    </xsl:if>
    <xsl:if test="normalize-space(tei:TEI/@xml:id) eq ''">
      <xsl:sequence select="error(xs:QName('ed:no-id'), 'the TEI element has no xml:id, so the citation has no identifier')"/>
    </xsl:if>
    <xsl:sequence select="[ed:csl-item(tei:TEI)]"/>
  </xsl:template>
</xsl:stylesheet>
