<?xml version="1.0" encoding="UTF-8"?>
<!--
  The one mapping from a TEI header to a CSL-JSON item (CSL 1.0.2 input model).

  Every citation the edition publishes starts here: csl-json.xsl serialises the
  item, citations.py derives BibLaTeX, RIS and the Chicago rendering from it, and
  citation-html.xsl derives the reference-manager meta tags from it. Change a
  field here and every format follows.

  A function library only (no templates in the default mode), so that html.xsl
  can include it through citation-html.xsl without rule conflicts. It reads the
  header through common.xsl (title, date, document type, page URL), which every
  stylesheet including this one also includes, so a citation and its page agree.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:array="http://www.w3.org/2005/xpath-functions/array"
  xmlns:ed="https://edition.example/ns"
  exclude-result-prefixes="#all" expand-text="yes">

  <!-- Document types cited as correspondence (CSL personal_communication) when an addressee is known. -->
  <xsl:variable name="ed:csl-correspondence-types" as="xs:string*"
    select="('letter', 'cable', 'telegram', 'telegramme', 'note verbale')"/>

  <!-- Name particles that stay lower-case before a family name ("de Gaulle", "van der Stoel"). -->
  <xsl:variable name="ed:csl-particles" as="xs:string*"
    select="('de', 'del', 'della', 'der', 'di', 'du', 'la', 'le', 'van', 'von', 'zu', 'da', 'dos', 'ibn', 'bin', 'al')"/>

  <!-- Words that make a name an organisation's ("Central Committee", "Soviet Embassy"): such a
       name written without orgName is still not split into given and family names. The same
       words tell the converter an organisation from a person (sources/metadata.py). -->
  <xsl:variable name="ed:csl-organisation-words" as="xs:string*"
    select="('Committee', 'Party', 'CC', 'CPSU', 'Department', 'Ministry', 'Embassy', 'Government', 'Bureau',
             'Council', 'Presidium', 'Politburo', 'Secretariat', 'Commission', 'Office', 'Section', 'Sector',
             'Union', 'Front', 'Organization', 'Organisation', 'Congress', 'Plenum', 'Command', 'Headquarters',
             'Legation', 'Consulate', 'KGB', 'NKVD', 'MGB', 'MVD', 'Comintern', 'Archive', 'Archives', 'Agency',
             'Institute', 'Academy', 'Administration', 'Directorate', 'Mission', 'Delegation', 'Republic')"/>

  <!-- Chinese family names, which a Chinese name gives first ("Mao Zedong", "Zhou Enlai",
       "Zhang Qian"): split as a Western name, it was cited "Zedong, Mao" in the bibliography,
       BibLaTeX and RIS. Such a name is kept whole, as printed (a literal name), when what
       follows the family name is made of pinyin syllables ("Zedong", "En-lai"), which a
       Western given or family name seldom is: "Kim Philby" and "Lin Carter" are split. -->
  <xsl:variable name="ed:csl-chinese-families" as="xs:string*"
    select="('Bai', 'Bo', 'Cai', 'Cao', 'Chen', 'Cheng', 'Cui', 'Dai', 'Deng', 'Ding', 'Dong', 'Du', 'Fan', 'Fang',
             'Feng', 'Fu', 'Gao', 'Geng', 'Gong', 'Gu', 'Guo', 'Han', 'He', 'Hu', 'Hua', 'Huang', 'Ji', 'Jia', 'Jiang',
             'Kang', 'Kong', 'Lei', 'Li', 'Liang', 'Liao', 'Lin', 'Liu', 'Long', 'Lu', 'Luo', 'Ma', 'Mao', 'Meng', 'Nie',
             'Pan', 'Peng', 'Qi', 'Qian', 'Qiao', 'Qin', 'Ren', 'Shen', 'Shi', 'Song', 'Su', 'Sun', 'Tan', 'Tang',
             'Tao', 'Tian', 'Wan', 'Wang', 'Wei', 'Wen', 'Wu', 'Xi', 'Xia', 'Xiao', 'Xie', 'Xiong', 'Xu', 'Xue', 'Yan',
             'Yang', 'Yao', 'Ye', 'Yu', 'Yuan', 'Zeng', 'Zhang', 'Zhao', 'Zheng', 'Zhong', 'Zhou', 'Zhu', 'Zou')"/>
  <xsl:variable name="ed:csl-pinyin" as="xs:string"
    select="'^((zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|ai|ao|an|ei|en|er|ia|ie|in|iu|ou|ua|ui|un|uo|a|e|i|o|u))+$'"/>

  <!-- The edition page's absolute URL, the same as the page's canonical link; '' without a base URL. -->
  <xsl:function name="ed:csl-page-url" as="xs:string">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:sequence select="string(ed:absolute('documents/' || ed:doc-href(ed:id($tei))))"/>
  </xsl:function>

  <!-- The CSL item for one TEI document. -->
  <xsl:function name="ed:csl-item" as="map(*)">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="page-url" select="ed:csl-page-url($tei)"/>
    <xsl:variable name="header" select="$tei/tei:teiHeader"/>
    <xsl:variable name="ms" select="$header/tei:fileDesc/tei:sourceDesc/tei:msDesc[1]"/>
    <xsl:variable name="corresp" select="$header/tei:profileDesc/tei:correspDesc[1]"/>
    <!-- roleName: an office named without a name ("the Ambassador"). -->
    <xsl:variable name="senders" select="$corresp/tei:correspAction[@type = 'sent']/(tei:persName | tei:orgName | tei:name | tei:roleName)"/>
    <xsl:variable name="addressees" select="$corresp/tei:correspAction[@type = 'received']/(tei:persName | tei:orgName | tei:name | tei:roleName)"/>
    <xsl:variable name="doctype" select="string(ed:doctype($tei))"/>
    <xsl:variable name="type" as="xs:string"
      select="if (lower-case($doctype) = $ed:csl-correspondence-types and exists($addressees))
              then 'personal_communication' else 'manuscript'"/>
    <xsl:variable name="authors" select="if (exists($senders)) then $senders
                                         else $header/tei:fileDesc/tei:titleStmt/tei:author"/>
    <xsl:variable name="translators" select="ed:csl-resp($header, 'translator', '^translat')"/>
    <xsl:variable name="source-url" select="string(ed:source-url($tei))"/>
    <xsl:sequence select="map:merge((
        map{'id': ed:id($tei), 'type': $type},
        ed:csl-entry('title', ed:title($tei)),
        ed:csl-names('author', $authors),
        if ($type = 'personal_communication') then ed:csl-names('recipient', $addressees) else (),
        ed:csl-names('translator', $translators),
        ed:csl-entry('issued', ed:csl-date(ed:date($tei))),
        ed:csl-entry('genre', ed:genre($tei)),
        ed:csl-entry('archive', if (exists($ms/tei:msIdentifier)) then ed:csl-archive($ms/tei:msIdentifier) else ed:unsplit-repository($tei)),
        ed:csl-entry('archive_collection', ed:norm($ms/tei:msIdentifier/tei:collection[1])),
        ed:csl-entry('archive_location', if (exists($ms/tei:msIdentifier)) then ed:csl-archive-location($ms) else ed:unsplit-reference($tei)),
        ed:csl-entry('archive-place', ed:norm(($ms/tei:msIdentifier/tei:settlement, $ms/tei:msIdentifier/tei:country)[1])),
        ed:csl-entry('language', ed:csl-language($tei)),
        ed:csl-entry('abstract', string(ed:summary($tei))),
        ed:csl-entry('source', ed:norm(($header/tei:fileDesc/tei:sourceDesc/tei:bibl[@type = 'export']/tei:publisher)[1])),
        ed:csl-entry('URL', if ($page-url ne '') then $page-url else $source-url),
        ed:csl-entry('note', ed:csl-note($header)),
        (: CSL has no field for these, and custom is the schema's place for them. The title's
           language differs from the item language (the original's) when the edition translates. :)
        map{'custom': map:merge((
          ed:csl-entry('title-language', ed:title-lang($tei)),
          ed:csl-entry('issued-text', ed:norm(ed:date($tei))),
          ed:csl-entry('source-url', $source-url),
          ed:csl-entry('edition-url', $page-url)))}
      ))"/>
  </xsl:function>

  <!-- A one-entry map, or nothing when the value is empty: CSL items carry no empty fields. -->
  <xsl:function name="ed:csl-entry" as="map(*)?">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="value" as="item()?"/>
    <xsl:sequence select="if (empty($value) or ($value instance of xs:string and $value eq ''))
                          then () else map{$key: $value}"/>
  </xsl:function>

  <!-- People with a role in titleStmt: @role first, else a respStmt whose resp matches. -->
  <xsl:function name="ed:csl-resp" as="element()*">
    <xsl:param name="header" as="element(tei:teiHeader)"/>
    <xsl:param name="role" as="xs:string"/>
    <xsl:param name="resp-pattern" as="xs:string"/>
    <xsl:variable name="stmts" select="$header/tei:fileDesc/tei:titleStmt/tei:respStmt"/>
    <xsl:variable name="by-role" select="$stmts/(tei:persName | tei:orgName | tei:name)[tokenize(@role) = $role]"/>
    <xsl:sequence select="if (exists($by-role)) then $by-role
                          else $stmts[matches(normalize-space(tei:resp), $resp-pattern, 'i')]/(tei:persName | tei:orgName | tei:name)"/>
  </xsl:function>

  <xsl:function name="ed:csl-names" as="map(*)?">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="names" as="element()*"/>
    <xsl:variable name="parsed" select="$names ! ed:csl-name(.)[map:size(.) gt 0]"/>
    <xsl:sequence select="if (empty($parsed)) then () else map{$key: array{$parsed}}"/>
  </xsl:function>

  <!--
    A CSL name. Structured persName (surname/forename) maps part by part; organisations
    and anything that does not look like a plain personal name ("CPSU Central Committee
    Secretary Khrushchev") stay literal, because a wrong family/given split puts the
    wrong word first in a bibliography.
  -->
  <xsl:function name="ed:csl-name" as="map(*)">
    <xsl:param name="name" as="element()"/>
    <!-- An office before the name ("CPSU Central Committee Secretary" Khrushchev) is not part of it. -->
    <xsl:variable name="text" select="normalize-space(string-join($name/(text() | (* except tei:roleName))))"/>
    <xsl:choose>
      <xsl:when test="$text eq ''">
        <xsl:sequence select="map{}"/>
      </xsl:when>
      <!-- An office ("Ambassador") is no personal name to split into family and given. -->
      <xsl:when test="$name/self::tei:orgName or $name/self::tei:roleName or $name/@type = ('org', 'organisation', 'organization')">
        <xsl:sequence select="map{'literal': $text}"/>
      </xsl:when>
      <xsl:when test="$name/tei:surname">
        <xsl:sequence select="map:merge((
            map{'family': ed:norm(string-join($name/tei:surname, ' '))},
            ed:csl-entry('given', normalize-space(string-join($name/tei:forename, ' '))),
            ed:csl-entry('non-dropping-particle', normalize-space(string-join($name/tei:nameLink, ' '))),
            ed:csl-entry('suffix', normalize-space(string-join($name/tei:genName, ' ')))))"/>
      </xsl:when>
      <xsl:when test="matches($text, '^[^,]+,\s*[^,]+$') and not(tokenize($text, '[\s,]+') = $ed:csl-organisation-words)">
        <!-- Already inverted: "Goldberg, Gary"; not "Ministry of Foreign Affairs, USSR", which
             would become a person named USSR Ministry of Foreign Affairs. -->
        <xsl:sequence select="map:merge((
            map{'family': normalize-space(substring-before($text, ','))},
            ed:csl-entry('given', normalize-space(substring-after($text, ',')))))"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="tokens" select="tokenize($text, '\s+')"/>
        <xsl:variable name="chinese" as="xs:boolean" select="
            count($tokens) = (2, 3) and $tokens[1] = $ed:csl-chinese-families
            and (every $t in tail($tokens) satisfies matches(lower-case(replace($t, '[-’'']', '')), $ed:csl-pinyin))"/>
        <xsl:variable name="personal" as="xs:boolean" select="
            not($chinese) and count($tokens) le 4
            and not($tokens = $ed:csl-organisation-words)
            and (every $t in $tokens satisfies
                   ($t = $ed:csl-particles
                    or (matches($t, '^\p{Lu}') and not(matches($t, '^\p{Lu}{2,}$')))))"/>
        <xsl:choose>
          <xsl:when test="not($personal)">
            <xsl:sequence select="map{'literal': $text}"/>
          </xsl:when>
          <xsl:otherwise>
            <xsl:variable name="family-at" select="count($tokens)"/>
            <!-- Lower-case particles directly before the family name belong to it. -->
            <xsl:variable name="first-particle" as="xs:integer" select="
                ($family-at, reverse(1 to $family-at - 1)[every $j in (. to $family-at - 1) satisfies $tokens[$j] = $ed:csl-particles])[last()]"/>
            <xsl:sequence select="map:merge((
                map{'family': $tokens[$family-at]},
                ed:csl-entry('given', string-join($tokens[position() lt $first-particle], ' ')),
                ed:csl-entry('non-dropping-particle', string-join($tokens[position() ge $first-particle and position() lt $family-at], ' '))))"/>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!--
    CSL date: date-parts from @when (partial stays partial: "1957-07" gives [[1957, 7]]),
    a two-part range from @notBefore/@notAfter or @from/@to, else the printed form as a literal.
  -->
  <xsl:function name="ed:csl-date" as="map(*)?">
    <xsl:param name="date" as="element()?"/>
    <xsl:variable name="when" select="ed:csl-date-parts($date/@when)"/>
    <xsl:variable name="lo" select="ed:csl-date-parts(($date/@notBefore, $date/@from)[1])"/>
    <xsl:variable name="hi" select="ed:csl-date-parts(($date/@notAfter, $date/@to)[1])"/>
    <xsl:variable name="circa" as="map(*)?"
      select="if (ed:date-uncertain($date)) then map{'circa': true()} else ()"/>
    <xsl:choose>
      <xsl:when test="empty($date)"/>
      <xsl:when test="exists($when)">
        <xsl:sequence select="map:merge((map{'date-parts': [$when]}, $circa))"/>
      </xsl:when>
      <xsl:when test="exists($lo) and exists($hi)">
        <xsl:sequence select="map:merge((map{'date-parts': [$lo, $hi]}, $circa))"/>
      </xsl:when>
      <xsl:when test="ed:norm($date) ne ''">
        <xsl:sequence select="map{'literal': ed:norm($date)}"/>
      </xsl:when>
    </xsl:choose>
  </xsl:function>

  <!-- "1955-12-16" -> [1955, 12, 16]; a time part is dropped; anything else gives nothing. -->
  <xsl:function name="ed:csl-date-parts" as="array(xs:integer)?">
    <xsl:param name="iso" as="xs:string?"/>
    <xsl:variable name="day" select="replace(normalize-space($iso), 'T.*$', '')"/>
    <xsl:sequence select="if (matches($day, '^\d{4}(-\d{2}(-\d{2})?)?$'))
                          then array{tokenize($day, '-') ! xs:integer(.)} else ()"/>
  </xsl:function>

  <!-- "Russian State Archive of Contemporary History (RGANI)": full name with its acronym. -->
  <xsl:function name="ed:csl-archive" as="xs:string">
    <xsl:param name="id" as="element(tei:msIdentifier)?"/>
    <xsl:variable name="name" select="ed:norm(($id/tei:repository, $id/tei:institution)[1])"/>
    <xsl:variable name="acronym" select="ed:archive-acronym($id)"/>
    <xsl:sequence select="
        if ($name ne '' and $acronym ne '' and not(contains($name, $acronym))) then $name || ' (' || $acronym || ')'
        else if ($name ne '') then $name
        else $acronym"/>
  </xsl:function>

  <!--
    The archival reference kept whole, in the order the archive cites it:
    "f. 5, op. 28, d. 347, ll. 12-14, reel 83". Parts already carrying their label
    ("f. 5") are taken as they are.
  -->
  <xsl:function name="ed:csl-archive-location" as="xs:string">
    <xsl:param name="ms" as="element(tei:msDesc)?"/>
    <xsl:variable name="ids" select="$ms/tei:msIdentifier/tei:idno[not(@type = ('acronym', 'record', 'edition', 'source-url'))]
                                     | $ms/tei:msIdentifier/tei:altIdentifier/tei:idno[@type = ('folio', 'folios', 'list', 'page', 'pages')]"/>
    <!-- A shelfmark (or an untyped idno) is the rest of the reference after the parts split
         ("d. 65, ll. 310-311, copy 1"): it follows the leaves, as in ed:archival-reference,
         where in document order (msIdentifier before msContents) it went before them. -->
    <xsl:variable name="rest" select="$ids[not(@type) or @type = ('shelfmark', 'reference')]"/>
    <xsl:variable name="reels" select="$ms/tei:additional/tei:surrogates//tei:idno[@type = 'reel']"/>
    <xsl:sequence select="ed:reference-join((
        ($ids except $rest) ! ed:reference-part(string((@subtype, @type)[1]), ed:norm(.)),
        ed:leaves($ms),
        $rest ! ed:reference-part(string((@subtype, @type)[1]), ed:norm(.)),
        $reels ! ed:reference-part('reel', ed:norm(.))))"/>
  </xsl:function>

  <!--
    The item is the archival document, so its language is the original's: the manuscript's
    main language, else the original div's. A transcription is the original's text as the
    converter decides (edition.header_languages.is_original_text): when it is not in English,
    the language the archive translates into, and no translator is named. An English one
    with no Original Language (which would be textLang) may be the archive's translation:
    the original's language is not known, and the item has none, rather than the English of
    the text or of the TEI's header (the TEI element's xml:lang).
  -->
  <xsl:function name="ed:csl-language" as="xs:string">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="translated" select="exists($tei/tei:text//tei:div[@type = 'translation'])
        or exists(ed:csl-resp($tei/tei:teiHeader, 'translator', '^translat'))"/>
    <xsl:sequence select="string((
        $tei/tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:msDesc/tei:msContents/tei:textLang/@mainLang,
        $tei/tei:text//tei:div[@type = 'original']/@xml:lang,
        if ($translated) then ()
        else $tei/tei:text//tei:div[@type = 'transcription']/@xml:lang[not(matches(., '^en(-|$)', 'i'))]
      )[normalize-space(.) ne ''][1])"/>
  </xsl:function>

  <!-- "Obtained by Roham Alvandi." in the source's own words; the default phrase when it gives none. -->
  <xsl:function name="ed:csl-note" as="xs:string">
    <xsl:param name="header" as="element(tei:teiHeader)"/>
    <xsl:variable name="contributors" select="ed:csl-resp($header, 'contributor', '^(contributed|obtained)')"/>
    <xsl:variable name="resp" select="ed:norm(($contributors/../tei:resp)[1])"/>
    <xsl:variable name="phrase" select="if ($resp ne '') then $resp else 'Contributed by'"/>
    <xsl:variable name="names" select="$contributors ! ed:norm(.)"/>
    <xsl:sequence select="if (exists($names)) then $phrase || ' ' || ed:csl-and($names) || '.' else ''"/>
  </xsl:function>

  <xsl:function name="ed:csl-and" as="xs:string">
    <xsl:param name="names" as="xs:string*"/>
    <xsl:sequence select="if (count($names) le 2) then string-join($names, ' and ')
                          else string-join($names[position() lt last()], ', ') || ', and ' || $names[last()]"/>
  </xsl:function>

  <!-- A CSL name as one display string, "Family, Given" (for citation_author and DC.creator). -->
  <xsl:function name="ed:csl-name-inverted" as="xs:string">
    <xsl:param name="name" as="map(*)"/>
    <xsl:sequence select="if (map:contains($name, 'literal')) then $name?literal
                          else string-join((string-join(($name?non-dropping-particle, $name?family), ' '), $name?given)[. ne ''], ', ')"/>
  </xsl:function>
</xsl:stylesheet>
