<?xml version="1.0" encoding="UTF-8"?>
<!--
  odd2rng.xsl: derive the edition's RELAX NG from schema/edition.odd.

  Not a general ODD processor: it reads only the schemaSpec of the edition's ODD, in which every
  elementSpec states its element's complete content model and every attribute class states its
  attributes (see the ODD's first section). It understands:
    elementSpec (content, attList, classes/memberOf), classSpec type="atts" (attList, memberOf),
    macroSpec and dataSpec (content), pure-ODD content (sequence, alternate, elementRef, macroRef,
    dataRef, textNode, empty, valList) with minOccurs/maxOccurs, RELAX NG inside content (copied),
    attDef (usage, datatype/dataRef with maxOccurs, closed valList, mode="delete").
  Anything else in a schemaSpec is an error, so the ODD cannot silently say more than the schema.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:rng="http://relaxng.org/ns/structure/1.0"
    xmlns:a="http://relaxng.org/ns/compatibility/annotations/1.0"
    xmlns:ed="https://edition.example/ns"
    xmlns="http://relaxng.org/ns/structure/1.0"
    exclude-result-prefixes="#all"
    expand-text="yes">

  <xsl:output method="xml" indent="yes" encoding="UTF-8"/>
  <xsl:strip-space elements="*"/>

  <xsl:variable name="spec" select="//tei:schemaSpec[1]" as="element(tei:schemaSpec)"/>
  <xsl:key name="class" match="tei:classSpec[@type = 'atts']" use="@ident"/>
  <xsl:key name="element" match="tei:elementSpec" use="@ident"/>

  <!-- TEI datatypes, as the TEI P5 RELAX NG defines them (teidata.*), or narrower. -->
  <xsl:variable name="token" as="element()">
    <data type="token"><param name="pattern">[^\p{{C}}\p{{Z}}]+</param></data>
  </xsl:variable>
  <xsl:variable name="datatypes" as="map(xs:string, element()*)" select="map {
      'teidata.pointer': $anyURI, 'teidata.language': $language, 'teidata.temporal.w3c': $temporal,
      'teidata.enumerated': $token, 'teidata.word': $token, 'teidata.name': $Name,
      'teidata.text': $string, 'teidata.count': $count, 'teidata.versionNumber': $version,
      'teidata.certainty': $certainty }"/>
  <xsl:variable name="anyURI" as="element()"><data type="anyURI"/></xsl:variable>
  <xsl:variable name="language" as="element()"><data type="language"/></xsl:variable>
  <xsl:variable name="Name" as="element()"><data type="Name"/></xsl:variable>
  <xsl:variable name="string" as="element()"><data type="string"/></xsl:variable>
  <xsl:variable name="count" as="element()"><data type="nonNegativeInteger"/></xsl:variable>
  <xsl:variable name="version" as="element()">
    <data type="token"><param name="pattern">[\d]+[a-z]*[\d]*(\.[\d]+[a-z]*[\d]*){{0,3}}</param></data>
  </xsl:variable>
  <xsl:variable name="certainty" as="element()">
    <choice><value>high</value><value>medium</value><value>low</value><value>unknown</value></choice>
  </xsl:variable>
  <xsl:variable name="temporal" as="element()">
    <choice><data type="date"/><data type="gYear"/><data type="gYearMonth"/><data type="gMonthDay"/><data type="dateTime"/></choice>
  </xsl:variable>

  <xsl:template match="/">
    <xsl:if test="empty($spec)">
      <xsl:message terminate="yes">odd2rng: no schemaSpec in the ODD</xsl:message>
    </xsl:if>
    <xsl:for-each select="$spec/*[not(self::tei:moduleRef or self::tei:elementSpec or self::tei:classSpec[@type='atts']
                          or self::tei:macroSpec or self::tei:dataSpec)]">
      <xsl:message terminate="yes">odd2rng: {name()} {@ident} is not supported</xsl:message>
    </xsl:for-each>
    <xsl:comment> Generated from schema/edition.odd by schema/odd2rng.xsl: edit the ODD, not this file. </xsl:comment>
    <grammar ns="{($spec/@ns, 'http://www.tei-c.org/ns/1.0')[1]}"
             datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
      <start><ref name="{ed:element-define($spec/@start)}"/></start>
      <xsl:apply-templates select="$spec/(tei:macroSpec, tei:dataSpec)"/>
      <xsl:apply-templates select="$spec/tei:elementSpec">
        <xsl:sort select="@ident"/>
      </xsl:apply-templates>
    </grammar>
  </xsl:template>

  <xsl:function name="ed:element-define" as="xs:string">
    <xsl:param name="ident" as="xs:string"/>
    <xsl:sequence select="'e.' || $ident"/>
  </xsl:function>

  <xsl:template match="tei:macroSpec | tei:dataSpec">
    <define name="{@ident}">
      <xsl:apply-templates select="tei:content/*" mode="content"/>
    </define>
  </xsl:template>

  <xsl:template match="tei:elementSpec">
    <define name="{ed:element-define(@ident)}">
      <element name="{@ident}">
        <xsl:if test="tei:gloss">
          <a:documentation>{normalize-space(tei:gloss)}</a:documentation>
        </xsl:if>
        <xsl:apply-templates select="ed:attributes(.)" mode="attribute"/>
        <xsl:choose>
          <xsl:when test="tei:content/*"><xsl:apply-templates select="tei:content/*" mode="content"/></xsl:when>
          <xsl:otherwise><xsl:message terminate="yes">odd2rng: elementSpec {@ident} has no content model</xsl:message></xsl:otherwise>
        </xsl:choose>
      </element>
    </define>
  </xsl:template>

  <!-- The element's attributes: its classes' (recursively), then its own, which override. -->
  <xsl:function name="ed:attributes" as="element(tei:attDef)*">
    <xsl:param name="spec" as="element()"/>
    <xsl:variable name="inherited" as="element(tei:attDef)*"
        select="for $k in $spec/tei:classes/tei:memberOf/@key
                return (key('class', $k, root($spec)), error((), 'odd2rng: unknown attribute class ' || $k))[1] ! ed:attributes(.)"/>
    <xsl:variable name="own" select="$spec/tei:attList/tei:attDef" as="element(tei:attDef)*"/>
    <xsl:sequence select="($inherited[not(@ident = $own/@ident)], $own[not(@mode = 'delete')])"/>
  </xsl:function>

  <xsl:template match="tei:attDef" mode="attribute">
    <xsl:variable name="attribute" as="element()">
      <attribute name="{@ident}">
        <xsl:if test="tei:desc">
          <a:documentation>{normalize-space(tei:desc)}</a:documentation>
        </xsl:if>
        <xsl:choose>
          <xsl:when test="tei:valList[@type = 'closed']">
            <choice>
              <xsl:for-each select="tei:valList/tei:valItem">
                <value>{@ident}</value>
                <a:documentation>{normalize-space(tei:gloss)}</a:documentation>
              </xsl:for-each>
            </choice>
          </xsl:when>
          <xsl:when test="tei:valList">
            <xsl:message terminate="yes">odd2rng: attribute {@ident} has an open value list; close it or use a datatype</xsl:message>
          </xsl:when>
          <xsl:when test="tei:datatype[@maxOccurs = 'unbounded' or xs:integer(@maxOccurs) gt 1]">
            <list><oneOrMore><xsl:apply-templates select="tei:datatype/tei:dataRef" mode="content"/></oneOrMore></list>
          </xsl:when>
          <xsl:when test="tei:datatype">
            <xsl:apply-templates select="tei:datatype/tei:dataRef" mode="content"/>
          </xsl:when>
          <xsl:otherwise><xsl:message terminate="yes">odd2rng: attribute {@ident} has no datatype</xsl:message></xsl:otherwise>
        </xsl:choose>
      </attribute>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="@usage = 'req'"><xsl:sequence select="$attribute"/></xsl:when>
      <xsl:otherwise><optional><xsl:sequence select="$attribute"/></optional></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===== content models ===== -->

  <xsl:template match="tei:sequence" mode="content">
    <xsl:call-template name="repeat">
      <xsl:with-param name="pattern" as="element()"><group><xsl:apply-templates select="*" mode="content"/></group></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:alternate" mode="content">
    <xsl:call-template name="repeat">
      <xsl:with-param name="pattern" as="element()"><choice><xsl:apply-templates select="*" mode="content"/></choice></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:elementRef" mode="content">
    <xsl:if test="empty(key('element', @key))">
      <xsl:message terminate="yes">odd2rng: elementRef to {@key}, which has no elementSpec</xsl:message>
    </xsl:if>
    <xsl:call-template name="repeat">
      <xsl:with-param name="pattern" as="element()"><ref name="{ed:element-define(@key)}"/></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:macroRef" mode="content">
    <xsl:if test="empty($spec/tei:macroSpec[@ident = current()/@key])">
      <xsl:message terminate="yes">odd2rng: macroRef to {@key}, which has no macroSpec</xsl:message>
    </xsl:if>
    <ref name="{@key}"/>
  </xsl:template>

  <xsl:template match="tei:dataRef[@key]" mode="content">
    <xsl:choose>
      <xsl:when test="$spec/tei:dataSpec[@ident = current()/@key]"><ref name="{@key}"/></xsl:when>
      <xsl:when test="map:contains($datatypes, @key)" xmlns:map="http://www.w3.org/2005/xpath-functions/map">
        <xsl:sequence select="$datatypes(@key)"/>
      </xsl:when>
      <xsl:otherwise><xsl:message terminate="yes">odd2rng: unknown datatype {@key}</xsl:message></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:dataRef[@name]" mode="content">
    <data type="{@name}"/>
  </xsl:template>

  <xsl:template match="tei:textNode" mode="content"><text/></xsl:template>
  <xsl:template match="tei:empty" mode="content"><empty/></xsl:template>

  <xsl:template match="tei:valList[@type = 'closed']" mode="content">
    <choice>
      <xsl:for-each select="tei:valItem">
        <value>{@ident}</value>
        <a:documentation>{normalize-space(tei:gloss)}</a:documentation>
      </xsl:for-each>
    </choice>
  </xsl:template>

  <!-- RELAX NG written into the ODD: copied, with references to elements renamed like the defines. -->
  <xsl:template match="rng:*" mode="content">
    <xsl:element name="{local-name()}" namespace="http://relaxng.org/ns/structure/1.0">
      <xsl:copy-of select="@* except @name"/>
      <xsl:if test="@name">
        <xsl:attribute name="name" select="if (self::rng:ref and key('element', @name)) then ed:element-define(@name) else @name"/>
      </xsl:if>
      <xsl:apply-templates select="node()" mode="content"/>
    </xsl:element>
  </xsl:template>
  <xsl:template match="text()[normalize-space()]" mode="content"><xsl:copy/></xsl:template>
  <xsl:template match="comment() | tei:*" mode="content" priority="-1">
    <xsl:if test="self::tei:*">
      <xsl:message terminate="yes">odd2rng: {name()} in a content model is not supported</xsl:message>
    </xsl:if>
  </xsl:template>

  <!-- minOccurs/maxOccurs around a pattern -->
  <xsl:template name="repeat">
    <xsl:param name="pattern" as="element()"/>
    <xsl:variable name="min" select="xs:integer((@minOccurs, 1)[1])"/>
    <xsl:variable name="max" select="if (@maxOccurs = 'unbounded') then -1 else xs:integer((@maxOccurs, 1)[1])"/>
    <xsl:choose>
      <xsl:when test="$min = 1 and $max = 1"><xsl:sequence select="$pattern"/></xsl:when>
      <xsl:when test="$min = 0 and $max = 1"><optional><xsl:sequence select="$pattern"/></optional></xsl:when>
      <xsl:when test="$min = 0 and $max = -1"><zeroOrMore><xsl:sequence select="$pattern"/></zeroOrMore></xsl:when>
      <xsl:when test="$min = 1 and $max = -1"><oneOrMore><xsl:sequence select="$pattern"/></oneOrMore></xsl:when>
      <xsl:when test="$max = -1">
        <group>
          <xsl:for-each select="1 to $min - 1"><xsl:sequence select="$pattern"/></xsl:for-each>
          <oneOrMore><xsl:sequence select="$pattern"/></oneOrMore>
        </group>
      </xsl:when>
      <xsl:when test="$max ge $min and $max ge 1">
        <group>
          <xsl:for-each select="1 to $min"><xsl:sequence select="$pattern"/></xsl:for-each>
          <xsl:for-each select="$min + 1 to $max"><optional><xsl:sequence select="$pattern"/></optional></xsl:for-each>
        </group>
      </xsl:when>
      <xsl:otherwise><xsl:message terminate="yes">odd2rng: bad occurrence {$min}..{$max} on {name()}</xsl:message></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
