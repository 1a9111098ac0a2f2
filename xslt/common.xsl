<?xml version="1.0" encoding="UTF-8"?>
<!--
  What the edition's outputs share: reading the TEI header (title, dates, people,
  archival reference, languages, document type), labels for languages and
  editorial marks, and the site's relative paths. HTML, plain text and the index
  all use these functions, so a date or a reference reads the same everywhere.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:ed="https://edition.example/ns"
  exclude-result-prefixes="#all" expand-text="yes">

  <!-- Parameters every output takes: the edition's name, where it is published
       (empty when the site is only read from disk) and its version. -->
  <xsl:param name="site-title" as="xs:string" select="'Digital Edition'"/>
  <xsl:param name="base-url" as="xs:string" select="''"/>
  <xsl:param name="edition-version" as="xs:string" select="''"/>

  <!-- Names for the languages the archive's documents come in; a document's own
       langUsage wins, so this is only the fallback. -->
  <xsl:variable name="ed:language-names" as="map(xs:string, xs:string)" select="map {
      'en': 'English', 'ru': 'Russian', 'fa': 'Persian', 'az': 'Azerbaijani',
      'az-Cyrl': 'Azerbaijani (Cyrillic)', 'az-Latn': 'Azerbaijani (Latin)',
      'az-Arab': 'Azerbaijani (Arabic script)', 'de': 'German', 'fr': 'French',
      'zh': 'Chinese', 'ja': 'Japanese', 'ko': 'Korean', 'ar': 'Arabic',
      'hy': 'Armenian', 'ka': 'Georgian', 'tk': 'Turkmen', 'tg': 'Tajik',
      'uk': 'Ukrainian', 'pl': 'Polish', 'cs': 'Czech', 'hu': 'Hungarian',
      'ro': 'Romanian', 'bg': 'Bulgarian', 'sr': 'Serbian', 'hr': 'Croatian',
      'es': 'Spanish', 'it': 'Italian', 'pt': 'Portuguese', 'tr': 'Turkish',
      'vi': 'Vietnamese', 'mn': 'Mongolian', 'he': 'Hebrew', 'ku': 'Kurdish',
      'ur': 'Urdu', 'ps': 'Pashto' }"/>

  <!-- Scripts written right to left (by primary language subtag). -->
  <xsl:variable name="ed:rtl-languages" as="xs:string*"
    select="('ar', 'fa', 'he', 'ur', 'ps', 'yi', 'ckb', 'dv', 'sd', 'ug')"/>
  <!-- ISO 15924 scripts written right to left: Arabic, Hebrew, Syriac, Thaana, N'Ko, Adlam,
       Samaritan, Mandaic, Hanifi Rohingya. -->
  <xsl:variable name="ed:rtl-scripts" as="xs:string*"
    select="('arab', 'hebr', 'syrc', 'thaa', 'nkoo', 'adlm', 'samr', 'mand', 'rohg')"/>

  <!-- ============================ header ============================ -->

  <xsl:function name="ed:title" as="xs:string">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="titles" select="$tei/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title"/>
    <xsl:sequence select="ed:norm(($titles[@type = 'main'], $titles)[1])"/>
  </xsl:function>

  <xsl:function name="ed:id" as="xs:string">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:sequence select="string($tei/@xml:id)"/>
  </xsl:function>

  <!-- The date of the document: its origin date, else the date of sending. -->
  <xsl:function name="ed:date" as="element()?">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="h" select="$tei/tei:teiHeader"/>
    <xsl:sequence select="(
        $h/tei:fileDesc/tei:sourceDesc/tei:msDesc/tei:history/tei:origin/tei:origDate,
        $h/tei:profileDesc/tei:correspDesc/tei:correspAction[@type = 'sent']/tei:date,
        $h/tei:profileDesc/tei:creation/tei:date)[1]"/>
  </xsl:function>

  <!-- ISO form of a TEI date element: @when, else the start of its range. -->
  <xsl:function name="ed:date-iso" as="xs:string?">
    <xsl:param name="date" as="element()?"/>
    <xsl:sequence select="($date/@when, $date/@notBefore, $date/@from, $date/@notAfter, $date/@to)[1] ! string()"/>
  </xsl:function>

  <!-- How a date reads: the printed form the source gives, else a form made
       from its ISO value, else 'Undated'. -->
  <xsl:function name="ed:date-label" as="xs:string">
    <xsl:param name="date" as="element()?"/>
    <xsl:variable name="printed" select="ed:norm($date)"/>
    <xsl:sequence select="
        if ($printed ne '') then $printed
        else if (exists(ed:date-iso($date))) then ed:format-iso(ed:date-iso($date))
        else 'Undated'"/>
  </xsl:function>

  <!-- The editors are not sure of the date (@cert low or medium, as when its digits are
       supplied, or @precision low). The citations then date it circa, and the page and
       the plain text say so beside a printed form that may look certain. -->
  <xsl:function name="ed:date-uncertain" as="xs:boolean">
    <xsl:param name="date" as="element()?"/>
    <xsl:sequence select="$date/@cert = ('low', 'medium') or $date/@precision = 'low'"/>
  </xsl:function>

  <!-- A date on a page: a time element when HTML can read its value, with the
       editors' doubt in words. -->
  <xsl:template name="date">
    <xsl:param name="date" as="element()?"/>
    <xsl:variable name="datetime" select="ed:html-datetime(ed:date-iso($date))"/>
    <xsl:choose>
      <xsl:when test="exists($datetime)">
        <time class="date" datetime="{$datetime}">{ed:date-label($date)}</time>
      </xsl:when>
      <xsl:otherwise>
        <span class="date">{ed:date-label($date)}</span>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:if test="ed:date-doubt-unsaid($date)">
      <xsl:text> </xsl:text>
      <span class="date-cert">(uncertain)</span>
    </xsl:if>
  </xsl:template>

  <!-- An uncertain date whose label does not already say so ("circa 1957", "1957?"):
       the reading outputs add "(uncertain)" to it. -->
  <xsl:function name="ed:date-doubt-unsaid" as="xs:boolean">
    <xsl:param name="date" as="element()?"/>
    <xsl:sequence select="ed:date-uncertain($date) and not(matches(ed:date-label($date),
        '\?|(^|\W)(circa|ca\.|c\.|approx\.|approximately|about|около|примерно)(\W|$)', 'i'))"/>
  </xsl:function>

  <xsl:function name="ed:format-iso" as="xs:string">
    <xsl:param name="iso" as="xs:string"/>
    <xsl:sequence select="
        if (matches($iso, '^\d{4}-\d{2}-\d{2}$')) then format-date(xs:date($iso), '[MNn] [D], [Y]', 'en', (), ())
        else if (matches($iso, '^\d{4}-\d{2}$')) then format-date(xs:date($iso || '-01'), '[MNn] [Y]', 'en', (), ())
        else $iso"/>
  </xsl:function>

  <!-- The year, for grouping and filtering; '' when undated. -->
  <xsl:function name="ed:year" as="xs:string">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:sequence select="string(replace(string(ed:date-iso(ed:date($tei))), '^(\d{4}).*$', '$1')[matches(., '^\d{4}$')])"/>
  </xsl:function>

  <!-- A value HTML's time/@datetime accepts, or the empty sequence. -->
  <xsl:function name="ed:html-datetime" as="xs:string?">
    <xsl:param name="iso" as="xs:string?"/>
    <xsl:sequence select="$iso[matches(., '^\d{4}(-\d{2}(-\d{2})?)?$')]"/>
  </xsl:function>

  <xsl:function name="ed:doctype" as="xs:string?">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:sequence select="($tei/tei:teiHeader/tei:profileDesc/tei:textClass//tei:term[@type = 'doctype'])[1] ! ed:norm(.)"/>
  </xsl:function>

  <!-- What a citation calls the document: the source's name of a compound type ("Memorandum
       of Conversation", the term's n) over its class's ("Conversation"). -->
  <xsl:function name="ed:genre" as="xs:string?">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="term" select="($tei/tei:teiHeader/tei:profileDesc/tei:textClass//tei:term[@type = 'doctype'])[1]"/>
    <xsl:sequence select="($term/@n ! ed:norm(.), ed:doctype($tei) ! ed:capitalise(.))[. ne ''][1]"/>
  </xsl:function>

  <!-- The class's label: what the index groups and filters by, so that "Memorandum of
       Conversation" and "Conversation" share one facet. -->
  <xsl:function name="ed:doctype-label" as="xs:string">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:sequence select="(ed:doctype($tei)[. ne ''] ! ed:capitalise(.), 'Document')[1]"/>
  </xsl:function>

  <!-- What a reader is told the document is: the source's own name of its type, as a
       citation gives it, where the class alone would lose the "Memorandum of". -->
  <xsl:function name="ed:doctype-name" as="xs:string">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:sequence select="(ed:genre($tei), 'Document')[1]"/>
  </xsl:function>

  <xsl:function name="ed:classification" as="xs:string*">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:sequence select="$tei/tei:teiHeader/tei:profileDesc/tei:textClass//tei:term[@type = 'classification'] ! ed:norm(.)"/>
  </xsl:function>

  <xsl:function name="ed:summary" as="xs:string?">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="h" select="$tei/tei:teiHeader"/>
    <xsl:sequence select="(
        $h/tei:profileDesc/tei:abstract,
        $h/tei:fileDesc/tei:sourceDesc/tei:msDesc/tei:msContents/tei:summary)[normalize-space()][1] ! ed:norm(.)"/>
  </xsl:function>

  <!-- People in a role ('translator', 'contributor', ...), from the titleStmt. -->
  <xsl:function name="ed:people" as="xs:string*">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:param name="role" as="xs:string"/>
    <xsl:sequence select="$tei/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:respStmt/(tei:persName, tei:orgName, tei:name)[tokenize(@role) = $role] ! ed:norm(.)"/>
  </xsl:function>

  <xsl:function name="ed:ms-identifier" as="element(tei:msIdentifier)?">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:sequence select="$tei/tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:msDesc/tei:msIdentifier"/>
  </xsl:function>

  <!-- 'RGANI, f. 5, op. 28, d. 347, ll. 12-14': acronym, the fond/opis/delo parts and the
       document's leaves in the file. -->
  <xsl:function name="ed:archival-reference" as="xs:string?">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="ms" select="ed:ms-identifier($tei)"/>
    <xsl:variable name="parts" as="xs:string*">
      <xsl:for-each select="$ms/tei:idno[@type = ('fond', 'opis', 'papka', 'delo', 'tom', 'folio', 'file', 'box', 'folder')]">
        <xsl:sequence select="ed:reference-part(string((@subtype, @type)[1]), ed:norm(.))"/>
      </xsl:for-each>
      <xsl:sequence select="ed:leaves($ms/parent::tei:msDesc)"/>
    </xsl:variable>
    <xsl:variable name="generic" select="$ms/tei:idno[not(@type) or @type = ('shelfmark', 'reference')] ! ed:norm(.)"/>
    <!-- The acronym is the repository's key: it names the archive, not the document (files
         converted before 2026-12-07 have it as an idno, rule ed-acronym-idno). -->
    <xsl:variable name="all" select="(ed:archive-acronym($ms), $parts, $generic)"/>
    <xsl:sequence select="if (exists($ms)) then ed:reference-join($all)[. ne ''] else ed:unsplit-reference($tei)"/>
  </xsl:function>

  <!-- The archival reference as the citation prints it, when the header has no msIdentifier to
       split it into: one that names no repository ("f. 1, op. 89, d. 112, ll. 3-5") or one the
       edition does not know, which TEI gives no msIdentifier without. Its parts were in no
       citation and on no page: only the verbatim line held them. Without its closing full
       stop, which ends the sentence it stood in ("ll. 3-5." would be cited "ll. 3-5., "),
       unless it closes an abbreviation of several points (the Hungarian "ő.e.", the Czech "a.j."). -->
  <xsl:function name="ed:unsplit-reference" as="xs:string?">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:sequence select="($tei/tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl[@type = 'archival'])[1]
        ! ed:norm(.) ! (if (matches(., '(^|\s)(\p{L}{1,3}\.){2,}$')) then . else replace(., '\s*\.$', ''))[. ne '']"/>
  </xsl:function>

  <!-- The parts of an archival reference joined as printed: by a comma, but a note in brackets
       after a part ("d. 189 (copy)", "l. 3 (original in Russian)"), which the reader keeps as
       the shelfmark, follows it with a space, as the citation gives it. -->
  <xsl:function name="ed:reference-join" as="xs:string">
    <xsl:param name="parts" as="xs:string*"/>
    <xsl:variable name="given" select="$parts[. ne '']"/>
    <xsl:sequence select="string-join(for $i in 1 to count($given) return
        (if ($i eq 1) then '' else if (starts-with($given[$i], '(')) then ' ' else ', ') || $given[$i], '')"/>
  </xsl:function>

  <!-- The document's leaves in its file, labelled as the citation counts them ('ll. 12-14',
       'pp. 3-4', 'v. 5'): a location within the file, msItem's locus (TEI 10.3.5). Files
       converted before 2026-12-08 have them as msIdentifier's idno type="folio" (rule
       ed-folio-idno), which the callers read with the other idnos. -->
  <xsl:function name="ed:leaves" as="xs:string*">
    <xsl:param name="ms-desc" as="element(tei:msDesc)?"/>
    <xsl:sequence select="$ms-desc/tei:msContents/(tei:msItem/tei:locus | tei:locus)
        ! ed:reference-part(string((@type, 'folio')[1]), ed:norm(.))"/>
  </xsl:function>

  <!-- The archive's acronym: the repository's key, or the idno files converted before
       2026-12-07 have (ed-acronym-idno warns of it); '' without one. -->
  <xsl:function name="ed:archive-acronym" as="xs:string">
    <xsl:param name="ms" as="element()?"/>
    <xsl:variable name="ident" select="($ms/descendant-or-self::tei:msIdentifier)[1]"/>
    <xsl:sequence select="(($ident/tei:repository[1]/@key, $ident/tei:idno[@type = 'acronym'])[normalize-space()][1] ! ed:norm(.), '')[1]"/>
  </xsl:function>

  <!--
    One part of an archival reference with its label: "f. 5", "ll. 12-14", "reel 83".
    $type is the idno's @subtype where it has one: fond 89's perechen and dokument keep
    their own labels. A value that carries a label already ("f. 5") is taken as it is.
  -->
  <xsl:function name="ed:reference-part" as="xs:string">
    <xsl:param name="type" as="xs:string"/>
    <xsl:param name="value" as="xs:string"/>
    <xsl:variable name="label" as="xs:string" select="
        if ($type = 'fond') then 'f.'
        else if ($type = 'opis') then 'op.'
        else if ($type = 'perechen') then 'per.'
        else if ($type = 'papka') then 'p.'
        else if ($type = 'svazek') then 'sv.'
        else if ($type = 'siyahi') then 'siy.'
        else if ($type = 'is') then 'iş'
        else if ($type = 'vereq') then 'v.'
        else if ($type = 'delo') then 'd.'
        else if ($type = 'dokument') then 'dok.'
        else if ($type = 'jednotka') then 'a.j.'
        else if ($type = 'tom') then 't.'
        else if ($type = ('folio', 'folios', 'list'))
             then (if (matches($value, '[-–,]|\sand\s')) then 'll.' else 'l.')
        else if ($type = ('page', 'pages')) then (if (matches($value, '[-–,]|\sand\s')) then 'pp.' else 'p.')
        else if ($type = ('reel', 'box', 'folder', 'file', 'series')) then $type
        else ''"/>
    <xsl:sequence select="
        if ($value eq '') then ''
        else if ($label eq '' or matches($value, '^\p{L}+\.?\s')) then $value
        else $label || ' ' || $value"/>
  </xsl:function>

  <xsl:function name="ed:repository" as="xs:string?">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="ms" select="ed:ms-identifier($tei)"/>
    <xsl:variable name="name" select="ed:norm($ms/tei:repository[1])"/>
    <xsl:variable name="place" select="string-join(($ms/tei:settlement, $ms/tei:country) ! ed:norm(.)[. ne ''], ', ')"/>
    <xsl:sequence select="if (empty($ms)) then ed:unsplit-repository($tei)
                          else ($name || (if ($place ne '') then ' (' || $place || ')' else ''))[$name ne '']"/>
  </xsl:function>

  <!-- The archive the export's Original Archive field names ("Private collection", "Hoover
       Institution Archives"), when the header has no msIdentifier (the edition does
       not know it, or the citation gives no reference) and the reference printed does not
       name it already: it was on no page and in no citation, which named no archive. -->
  <xsl:function name="ed:unsplit-repository" as="xs:string?">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="named" select="ed:norm(($tei/tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl[@type = 'export']/tei:note[@type = 'archive'])[1])"/>
    <xsl:sequence select="$named[. ne '' and empty(ed:ms-identifier($tei))
                                 and not(contains(lower-case(string(ed:unsplit-reference($tei))), lower-case(.)))]"/>
  </xsl:function>

  <!-- An identifier of this edition's file (publicationStmt: 'edition', 'edition-url'). -->
  <xsl:function name="ed:idno" as="xs:string?">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:param name="type" as="xs:string"/>
    <xsl:sequence select="($tei/tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:idno[@type = $type])[1] ! ed:norm(.)"/>
  </xsl:function>

  <!-- The source's record at the archive: its id and its page, in the export's bibl (they
       describe the source, TEI 2.2.7), or where files converted before 2026-12-08 have them,
       publicationStmt's idnos (rule ed-record-idno warns of them). -->
  <xsl:function name="ed:record-id" as="xs:string?">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="file" select="$tei/tei:teiHeader/tei:fileDesc"/>
    <xsl:sequence select="($file/tei:sourceDesc/tei:bibl[@type = 'export']/tei:idno[@type = 'record'],
                           $file/tei:publicationStmt/tei:idno[@type = 'record'])[1] ! ed:norm(.)"/>
  </xsl:function>

  <xsl:function name="ed:source-url" as="xs:string?">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="file" select="$tei/tei:teiHeader/tei:fileDesc"/>
    <xsl:sequence select="($file/tei:sourceDesc/tei:bibl[@type = 'export']/(tei:ref | tei:ptr)/@target,
                           $file/tei:publicationStmt/tei:idno[@type = 'source-url'])[1] ! ed:norm(.)"/>
  </xsl:function>

  <!-- ============================ languages ============================ -->

  <!-- Languages of the document, in the order the header lists them. -->
  <xsl:function name="ed:languages" as="xs:string*">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="declared" select="$tei/tei:teiHeader/tei:profileDesc/tei:langUsage/tei:language/@ident ! string()"/>
    <xsl:variable name="used" select="$tei/tei:text/tei:body/tei:div/@xml:lang ! string()"/>
    <xsl:sequence select="distinct-values(($declared, $used)[. ne ''])"/>
  </xsl:function>

  <xsl:function name="ed:language-name" as="xs:string">
    <xsl:param name="code" as="xs:string"/>
    <xsl:param name="context" as="node()?"/>
    <!-- The document's own header only: in the index's corpus, root() would be
         every document, and a search of all of them per call is quadratic. -->
    <xsl:variable name="declared" select="($context/ancestor-or-self::tei:TEI[1]/tei:teiHeader/tei:profileDesc/tei:langUsage/tei:language[@ident = $code])[1] ! ed:norm(.)"/>
    <xsl:sequence select="(
        $declared[. ne ''],
        $ed:language-names($code),
        $ed:language-names(substring-before($code || '-', '-')),
        $code)[1]"/>
  </xsl:function>

  <xsl:function name="ed:language-dir" as="xs:string">
    <xsl:param name="code" as="xs:string?"/>
    <xsl:variable name="subtags" select="tokenize(($code, '')[1], '-')"/>
    <!-- A script subtag says how the text is written, whatever the language ("fa-Latn",
         "lad-Hebr"); without one, the language's usual script does. -->
    <xsl:variable name="script" select="$subtags[position() gt 1][string-length(.) eq 4][matches(., '^[A-Za-z]{4}$')][1]"/>
    <xsl:sequence select="
        if (exists($script)) then (if (lower-case($script) = $ed:rtl-scripts) then 'rtl' else 'ltr')
        else if (lower-case($subtags[1]) = $ed:rtl-languages) then 'rtl' else 'ltr'"/>
  </xsl:function>

  <!-- The language of a node: the nearest xml:lang, else the document's. -->
  <xsl:function name="ed:lang-of" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="(($node/ancestor-or-self::*/@xml:lang)[last()] ! string(), 'en')[1]"/>
  </xsl:function>

  <!-- The language of the title ed:title shows: its xml:lang, else the nearest ancestor's.
       (edition.build_documents.load_document reads the same for the neighbours' links.) -->
  <xsl:function name="ed:title-lang" as="xs:string">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="titles" select="$tei/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title"/>
    <xsl:sequence select="ed:lang-of(($titles[@type = 'main'], $titles, $tei)[1])"/>
  </xsl:function>

  <!-- Whether text in language $lang needs its own lang on a page in English. -->
  <xsl:function name="ed:foreign-lang" as="xs:boolean">
    <xsl:param name="lang" as="xs:string"/>
    <xsl:sequence select="$lang ne '' and not(matches($lang, '^en(-|$)', 'i'))"/>
  </xsl:function>

  <!-- The title's language where it is not the pages' English (a title kept in the
       original's language): the element showing it says so, for screen readers' voices
       and for hyphenation. Nothing for an English title. -->
  <xsl:template name="title-lang">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:call-template name="foreign-lang">
      <xsl:with-param name="lang" select="ed:title-lang($tei)"/>
    </xsl:call-template>
  </xsl:template>

  <!-- lang and dir for an element showing text in language $lang, unless it is English. -->
  <xsl:template name="foreign-lang">
    <xsl:param name="lang" as="xs:string"/>
    <xsl:if test="ed:foreign-lang($lang)">
      <xsl:attribute name="lang" select="$lang"/>
      <xsl:attribute name="dir" select="ed:language-dir($lang)"/>
    </xsl:if>
  </xsl:template>

  <!-- ============================ body ============================ -->

  <!-- The text versions to show, translation first: that is what most readers
       came for; the original follows (or stands beside it on wide screens).
       A body that holds more than divs (paragraphs of its own) is shown whole
       as one version, so that nothing in it is left out. -->
  <xsl:function name="ed:text-versions" as="element()*">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="body" select="$tei/tei:text/tei:body"/>
    <xsl:variable name="divs" select="$body/tei:div"/>
    <xsl:variable name="loose" select="$body/(* except (tei:div, tei:pb, tei:fw, tei:cb, tei:lb, tei:milestone, tei:anchor)), $body/text()[normalize-space()]"/>
    <xsl:sequence select="
        if (exists($loose)) then $body
        else ($divs[@type = 'translation'], $divs[@type = 'original'], $divs[@type = 'transcription'], $divs[not(@type = ('translation', 'original', 'transcription'))])"/>
  </xsl:function>

  <xsl:function name="ed:version-label" as="xs:string">
    <xsl:param name="div" as="element()"/>
    <xsl:variable name="lang" select="ed:language-name(ed:lang-of($div), $div)"/>
    <!-- 'Original (Russian)', but 'Transcription, Azerbaijani (Cyrillic)'. -->
    <xsl:variable name="qualifier" select="if (contains($lang, '(')) then ', ' || $lang else ' (' || $lang || ')'"/>
    <xsl:variable name="label" select="
        if ($div/@type = 'translation') then $lang || ' translation'
        else if ($div/@type = 'original') then 'Original' || $qualifier
        else if ($div/@type = 'transcription') then 'Transcription' || $qualifier
        else if ($div/@type) then ed:capitalise(string($div/@type)) || $qualifier
        else 'Text' || $qualifier"/>
    <!-- A subtype qualifies the version: 'uncorrected-ocr' reads 'uncorrected OCR'. -->
    <xsl:sequence select="$label || string-join(tokenize($div/@subtype) ! (', ' || replace(translate(., '-_', '  '), '(^| )ocr( |$)', '$1OCR$2')), '')"/>
  </xsl:function>

  <!-- What a gap stands for, in the words the bracket shows. -->
  <xsl:function name="ed:gap-label" as="xs:string">
    <xsl:param name="gap" as="element()"/>
    <xsl:variable name="reason" select="string($gap/@reason)"/>
    <xsl:variable name="what" select="
        if ($gap/tei:desc[normalize-space()]) then ed:norm($gap/tei:desc[1])
        else if ($reason = 'illegible') then 'illegible'
        else if ($reason = 'signature') then 'signature'
        else if ($reason = ('damage', 'damaged')) then 'damaged'
        else if ($reason = ('omitted', 'editorial', 'irrelevant')) then '…'
        else if ($reason = ('cancelled', 'deleted')) then 'deleted'
        else if ($reason ne '') then translate($reason, '-_', '  ')
        else '…'"/>
    <xsl:variable name="extent" select="
        if ($gap/@quantity) then string($gap/@quantity) || ' ' || (string($gap/@unit), 'words')[. ne ''][1]
        else if ($gap/@extent) then string($gap/@extent) else ''"/>
    <xsl:sequence select="'[' || $what || (if ($extent ne '') then ', ' || $extent else '') || ']'"/>
  </xsl:function>

  <!-- Where a handwritten or inserted addition stands, in words. -->
  <xsl:function name="ed:place-label" as="xs:string?">
    <xsl:param name="place" as="xs:string?"/>
    <xsl:variable name="p" select="(tokenize(($place, '')[1])[1], '')[1]"/>
    <xsl:sequence select="map {
        'margin': 'in the margin', 'left': 'in the left margin', 'right': 'in the right margin',
        'top': 'at the top', 'bottom': 'at the bottom', 'above': 'above the line',
        'below': 'below the line', 'overleaf': 'overleaf',
        'superlinear': 'above the line', 'sublinear': 'below the line',
        'margin-left': 'in the left margin', 'margin-right': 'in the right margin' }($p)"/>
  </xsl:function>

  <!-- Whose hand, when the header's handNote for @hand names the writer
       (@scribe, or a persName in it); nothing for an unidentified hand, whose
       handNote only describes what the hand is. -->
  <xsl:function name="ed:hand-name" as="xs:string?">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="ref" select="substring-after(string(($e/@hand, $e/ancestor::tei:add/@hand)[1]), '#')"/>
    <xsl:variable name="note" select="($e/ancestor-or-self::tei:TEI[1]/tei:teiHeader//tei:handNote[@xml:id = $ref][$ref ne ''])[1]"/>
    <xsl:sequence select="($note/@scribe ! ed:norm(.), $note/tei:persName ! ed:norm(.))[. ne ''][1]"/>
  </xsl:function>

  <!-- 'handwritten', or 'handwritten (Molotov)' when the hand is known. -->
  <xsl:function name="ed:hand-phrase" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="'handwritten' || ed:hand-name($e) ! (' (' || . || ')')"/>
  </xsl:function>

  <!-- A raised or lowered hi: '^' for a superscript, '_' for a subscript, '' for any
       other (@rend or @rendition, tokens in any case). The page sets them as sup and
       sub, the plain text as ^{...} and _{...}. -->
  <xsl:function name="ed:hi-shift" as="xs:string">
    <xsl:param name="hi" as="element(tei:hi)"/>
    <xsl:variable name="rend" select="tokenize(lower-case(string-join(($hi/@rend, $hi/@rendition), ' ')), '[\s#]+')[. ne '']"/>
    <xsl:sequence select="if ($rend = ('sup', 'superscript')) then '^' else if ($rend = ('sub', 'subscript')) then '_' else ''"/>
  </xsl:function>

  <xsl:function name="ed:is-handwritten" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="exists($e/(@hand, ancestor::tei:add/@hand)) or tokenize($e/@rend) = ('handwritten', 'manuscript')"/>
  </xsl:function>

  <!-- Notes of the editors, the translator or the source's own footnotes
       become numbered notes; every other note is something written on the
       document (a resolution, a registry mark, a handwritten annotation) and
       stays in its place in the text. A typeless note standing between blocks
       is of the document too; one inside running text is a footnote. -->
  <xsl:variable name="ed:footnote-types" as="xs:string*"
    select="('footnote', 'editorial', 'translator', 'commentary', 'gloss', 'ocr', 'language')"/>

  <xsl:function name="ed:is-document-note" as="xs:boolean">
    <xsl:param name="note" as="element()"/>
    <xsl:variable name="types" select="tokenize($note/@type)"/>
    <xsl:sequence select="
        if ($types = $ed:footnote-types or (exists($note/@resp) and empty($note/@hand))) then false()
        else exists($note/@hand) or exists($types)
          or (exists($note/@place) and not(tokenize($note/@place) = ('foot', 'end', 'bottom-of-page', 'inline')))
          or exists($note/parent::*[self::tei:div or self::tei:opener or self::tei:closer or self::tei:postscript or self::tei:body or self::tei:front or self::tei:back])"/>
  </xsl:function>

  <!-- The notes that get a number, in the order a reader meets them: version by version as
       ed:text-versions shows them (the translation first, though the original comes first in the
       file), then any elsewhere in the text. One inside another note is shown in its place. -->
  <xsl:function name="ed:footnotes" as="element(tei:note)*">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="all" select="$tei/tei:text//tei:note[not(ed:is-document-note(.))][not(ancestor::tei:note)]"/>
    <xsl:variable name="shown" select="ed:text-versions($tei) ! (.//tei:note intersect $all)"/>
    <xsl:sequence select="$shown, $all except $shown"/>
  </xsl:function>

  <!-- A footnote's number, the same on the page and in the plain text. -->
  <xsl:function name="ed:note-number" as="xs:integer">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:sequence select="(ed:note-numbers($note/ancestor::tei:TEI)(generate-id($note)), 0)[1]"/>
  </xsl:function>

  <!-- The footnote a ptr[@type = 'footnote'] points to (a note referred to again, encoded
       once at its first reference), or nothing when its target is no footnote of the file. -->
  <xsl:function name="ed:pointed-footnote" as="element(tei:note)?">
    <xsl:param name="ptr" as="element()"/>
    <xsl:variable name="id" select="substring-after(tokenize(string($ptr/@target))[1], '#')"/>
    <xsl:sequence select="(if ($id) then id($id, $ptr)[self::tei:note][not(ed:is-document-note(.))] else ())[1]"/>
  </xsl:function>

  <!-- Each footnote's number by its generate-id(), for one document. Cached (cache="yes",
       which Saxon-HE honours): built once per document, not once per note, which made a
       page's cost grow with the square of its notes (1,200 notes: 6 s, now under 1 s). -->
  <xsl:function name="ed:note-numbers" as="map(xs:string, xs:integer)" cache="yes">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="notes" select="ed:footnotes($tei)"/>
    <xsl:sequence select="map:merge(for $i in 1 to count($notes) return map { generate-id($notes[$i]): $i })"/>
  </xsl:function>

  <!-- What a note on the document is, in words: 'handwritten note in the left margin'. -->
  <xsl:function name="ed:document-note-label" as="xs:string">
    <xsl:param name="note" as="element()"/>
    <xsl:variable name="place" select="ed:place-label($note/@place)"/>
    <xsl:variable name="type" select="tokenize($note/@type)[1]"/>
    <xsl:variable name="what" select="
        if (ed:is-handwritten($note) or $type = 'handwritten') then 'handwritten note' || ed:hand-name($note) ! (' (' || . || ')')
        else if (empty($type)) then 'note'
        else (map { 'registry': 'registry mark', 'annotation': 'annotation', 'fragment': 'fragment',
                    'resolution': 'resolution', 'docket': 'docket', 'marginal': 'marginal note',
                    'marginalia': 'marginal note', 'pending-title': 'note' }($type), translate($type, '-_', '  '))[1]"/>
    <xsl:sequence select="$what || (if (exists($place)) then ' ' || $place else '')"/>
  </xsl:function>

  <xsl:function name="ed:fw-label" as="xs:string">
    <xsl:param name="fw" as="element()"/>
    <xsl:sequence select="(map {
        'pageNum': 'page', 'pagenum': 'page', 'folio': 'folio', 'foliation': 'folio',
        'header': 'running head', 'head': 'running head', 'footer': 'footer',
        'catch': 'catchword', 'sig': 'signature mark', 'archival': 'archival marking',
        'number': 'number', 'reference': 'reference number', 'registration': 'registration number' }(string($fw/@type)),
        'marking')[1]"/>
  </xsl:function>

  <!-- ============================ paths ============================ -->

  <!-- Pages link to each other relatively, so the site works from disk and
       under any base path. These are relative to a document page. -->
  <xsl:function name="ed:doc-href" as="xs:string">
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="encode-for-uri($id) || '.html'"/>
  </xsl:function>

  <xsl:function name="ed:absolute" as="xs:string?">
    <xsl:param name="path" as="xs:string"/>
    <xsl:sequence select="if ($base-url eq '') then () else if (ends-with($base-url, '/')) then $base-url || $path else $base-url || '/' || $path"/>
  </xsl:function>

  <!-- ============================ strings ============================ -->

  <xsl:function name="ed:norm" as="xs:string">
    <xsl:param name="node" as="item()?"/>
    <xsl:sequence select="normalize-space(string($node))"/>
  </xsl:function>

  <xsl:function name="ed:capitalise" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="upper-case(substring($s, 1, 1)) || substring($s, 2)"/>
  </xsl:function>

  <!-- A value usable as a token in class names and filter attributes. -->
  <xsl:function name="ed:token" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:sequence select="replace(lower-case(normalize-space(($s, '')[1])), '[^\p{L}\p{N}]+', '-')"/>
  </xsl:function>
</xsl:stylesheet>
