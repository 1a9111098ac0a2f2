<?xml version="1.0" encoding="UTF-8"?>
<!--
  The facet values of one index record, run by edition.site_index.facet_values
  for every document: index.xsl's named template "facet-values" (what a value
  is, its token and its label are decided there), as the whole output.

  A stylesheet applied to the record, not the named template called with the
  record as global context item: saxonche keeps every global context item it
  is given, so a build worker grew by some 7 MB per 1,000 documents.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  exclude-result-prefixes="#all" expand-text="yes">

  <xsl:import href="index.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:template match="/">
    <xsl:call-template name="facet-values"/>
  </xsl:template>
</xsl:stylesheet>
