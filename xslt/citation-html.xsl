<?xml version="1.0" encoding="UTF-8"?>
<!-- Placeholder until the citations work lands: named templates the HTML page calls. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  exclude-result-prefixes="#all" expand-text="yes">
  <xsl:param name="chicago-note" as="xs:string" select="''"/>
  <xsl:param name="chicago-bibliography" as="xs:string" select="''"/>
  <xsl:template name="citation-meta"/>
  <xsl:template name="cite-box"/>
</xsl:stylesheet>
