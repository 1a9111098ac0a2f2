<?xml version="1.0" encoding="UTF-8"?>
<!--
  One TEI document to plain text, build/site/text/<id>.txt: a header (title,
  date, citation, source), then each text version (translation first, then the
  original), editorial marks in conventional brackets, lines wrapped at $width.

  Two steps: mode "blocks" turns the body into a flat list of blocks (a
  paragraph, a list item, an address), each one's text with the marks already
  in brackets (mode "inline"), which ed:format-block wraps into a string of
  lines. Blocks are strings, not elements: building an element for each cost
  a tenth of the transform. Forced line breaks (lb, address lines) travel as
  U+2028 so that the whitespace of the TEI's own indentation can be collapsed
  safely.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:ed="https://edition.example/ns"
  exclude-result-prefixes="#all" expand-text="yes">

  <xsl:include href="common.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:param name="width" as="xs:integer" select="72"/>

  <xsl:variable name="NL" select="'&#10;'"/>
  <xsl:variable name="BREAK" select="'&#x2028;'"/>

  <xsl:template match="/">
    <xsl:if test="not(tei:TEI)">
      <xsl:message terminate="yes">Expected a TEI document (tei:TEI root), found {name(*)}</xsl:message>
    </xsl:if>
    <xsl:apply-templates select="tei:TEI"/>
  </xsl:template>

  <xsl:template match="tei:TEI">
    <xsl:variable name="sections" as="xs:string*">
      <xsl:sequence select="ed:header(.)"/>
      <xsl:for-each select="ed:text-versions(.)">
        <xsl:sequence select="ed:version(.)"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:value-of select="string-join($sections, $NL || $NL) || $NL"/>
  </xsl:template>

  <!-- ============================ header ============================ -->

  <xsl:function name="ed:header" as="xs:string">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="h" select="$tei/tei:teiHeader"/>
    <xsl:variable name="title-lines" select="ed:wrap(ed:title($tei), $width)"/>
    <xsl:variable name="url" select="ed:source-url($tei)"/>
    <xsl:variable name="fields" as="xs:string*">
      <xsl:sequence select="ed:field('Date', ed:date-label(ed:date($tei)) || ' (uncertain)'[ed:date-doubt-unsaid(ed:date($tei))])"/>
      <xsl:sequence select="ed:field('Type', ed:doctype-name($tei))"/>
      <xsl:sequence select="ed:field('Classification', string-join(ed:classification($tei), '; '))"/>
      <xsl:sequence select="ed:field('Archive', string-join((ed:repository($tei), ed:archival-reference($tei)), '; '))"/>
      <xsl:sequence select="ed:field('Languages', string-join(ed:languages($tei) ! ed:language-name(., $tei), ', '))"/>
      <xsl:for-each-group select="$h/tei:fileDesc/tei:titleStmt/tei:respStmt" group-by="ed:norm(tei:resp)">
        <xsl:sequence select="ed:field(ed:capitalise(current-grouping-key()), string-join(current-group()/(tei:persName, tei:orgName, tei:name) ! ed:norm(.), ', '))"/>
      </xsl:for-each-group>
      <xsl:sequence select="ed:field('Citation', ed:norm(($h//tei:sourceDesc/tei:bibl[@type = 'citation'])[1]))"/>
      <xsl:sequence select="ed:field('Source', string($url))"/>
      <xsl:sequence select="ed:field('Edition', string-join(($site-title, $edition-version[. ne ''] ! ('version ' || .)), ', '))"/>
      <xsl:sequence select="ed:field('TEI', string(ed:absolute('tei/' || encode-for-uri(ed:id($tei)) || '.xml')))"/>
      <!-- The licence of the edition's encoding, by its URL; its words are in the TEI. -->
      <xsl:sequence select="ed:field('Licence', string-join($h/tei:fileDesc/tei:publicationStmt/tei:availability/tei:licence/@target ! tokenize(normalize-space(.)), ' '))"/>
    </xsl:variable>
    <xsl:variable name="summary" select="ed:summary($tei)"/>
    <xsl:variable name="key" select="ed:marks-key($tei)"/>
    <xsl:sequence select="string-join((
        string-join($title-lines, $NL) || $NL || ed:repeat('=', max($title-lines ! string-length(.))),
        string-join($fields, $NL),
        $summary ! ed:format-block('Summary: ' || ., '', '', $width),
        $key[. ne ''] ! ed:format-block(., 'Marks: ', '       ', $width)
      ), $NL || $NL)"/>
  </xsl:function>

  <!-- "Label:      value", the value wrapped with a hanging indent; nothing
       when the value is empty. -->
  <xsl:function name="ed:field" as="xs:string?">
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="value" as="xs:string?"/>
    <xsl:variable name="pad" select="max((string-length($label) + 2, 16))"/>
    <xsl:if test="normalize-space($value) ne ''">
      <xsl:sequence select="ed:format-block($value, ed:pad($label || ':', $pad), ed:repeat(' ', $pad), $width)"/>
    </xsl:if>
  </xsl:function>

  <!-- The key names only the marks the document uses. -->
  <xsl:function name="ed:marks-key" as="xs:string">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="t" select="$tei/tei:text"/>
    <xsl:sequence select="string-join((
        '[text] supplied by the editor or translator'[$t//tei:supplied],
        '[handwritten: text] handwritten'[$t//tei:add[ed:is-handwritten(.)]],
        '⸢text⸣ added later'[$t//tei:add[not(ed:is-handwritten(.))]],
        '⟦text⟧ deleted'[$t//tei:del],
        '[illegible] text left out'[$t//tei:gap],
        '[sic] so in the original'[$t//tei:sic],
        '[?] uncertain reading'[$t//tei:unclear],
        '^{text} superscript'[$t//tei:hi[ed:hi-shift(.) eq '^']],
        '_{text} subscript'[$t//tei:hi[ed:hi-shift(.) eq '_']],
        '[signed] signature'[$t//tei:signed],
        '[stamp: text] stamp'[$t//tei:stamp],
        '[registry mark: text] annotation on the document'[$t//tei:note[ed:is-document-note(.)][not(ed:is-handwritten(.))]],
        '[p. 2] page break or archival marking'[$t//(tei:pb, tei:fw)],
        '[1] note, listed after the text'[$t//tei:note[not(ed:is-document-note(.))]]
      ), '; ')"/>
  </xsl:function>

  <!-- ============================ versions ============================ -->

  <xsl:function name="ed:version" as="xs:string">
    <xsl:param name="div" as="element()"/>
    <xsl:variable name="label" select="upper-case(ed:version-label($div))"/>
    <xsl:variable name="blocks" as="xs:string*">
      <xsl:apply-templates select="$div/node()" mode="blocks"/>
    </xsl:variable>
    <xsl:variable name="notes" select="$div//tei:note[not(ed:is-document-note(.))][not(ancestor::tei:note)]"/>
    <xsl:variable name="note-blocks" as="xs:string*">
      <xsl:for-each select="$notes">
        <xsl:variable name="marker" select="'[' || ed:note-number(.) || '] '"/>
        <xsl:sequence select="ed:format-block(ed:inline(node()), $marker, ed:repeat(' ', string-length($marker)), $width)"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:sequence select="string-join((
        $label || $NL || ed:repeat('-', string-length($label)),
        $blocks,
        ('Notes' || $NL || '-----')[exists($note-blocks)],
        $note-blocks
      ), $NL || $NL)"/>
  </xsl:function>

  <!-- ============================ blocks ============================ -->

  <xsl:template name="emit-block">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="prefix" as="xs:string" select="''"/>
    <xsl:param name="indent" as="xs:string" tunnel="yes" select="''"/>
    <xsl:if test="normalize-space(translate($text, $BREAK, ' ')) ne ''">
      <xsl:sequence select="ed:format-block($text, $indent || $prefix, $indent || ed:repeat(' ', string-length($prefix)), $width)"/>
    </xsl:if>
  </xsl:template>

  <xsl:template match="text()" mode="blocks">
    <xsl:if test="normalize-space()">
      <xsl:call-template name="emit-block">
        <xsl:with-param name="text" select="ed:inline(.)"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template match="comment() | processing-instruction()" mode="blocks"/>

  <!-- Containers: their children are the blocks. -->
  <xsl:template match="tei:div | tei:opener | tei:closer | tei:postscript | tei:argument | tei:epigraph | tei:floatingText | tei:lg | tei:body | tei:front | tei:back | tei:group | tei:text | tei:figure | tei:table" mode="blocks">
    <xsl:apply-templates mode="blocks"/>
  </xsl:template>

  <!-- Anything else is a block of running text. -->
  <xsl:template match="*" mode="blocks">
    <xsl:call-template name="emit-block">
      <xsl:with-param name="text" select="ed:inline(.)"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:head" mode="blocks">
    <xsl:call-template name="emit-block">
      <xsl:with-param name="text" select="upper-case(ed:inline(node()))"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:p | tei:ab | tei:dateline | tei:salute | tei:byline | tei:docAuthor | tei:trailer | tei:l | tei:figDesc" mode="blocks">
    <xsl:call-template name="emit-block">
      <xsl:with-param name="text" select="ed:inline(node())"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:list" mode="blocks">
    <xsl:apply-templates select="tei:head | tei:item" mode="blocks"/>
  </xsl:template>

  <xsl:template match="tei:item" mode="blocks">
    <xsl:variable name="ordered" select="tokenize(string-join((../@type, ../@rend), ' ')) = ('ordered', 'numbered', 'decimal', 'arabic', 'roman')"/>
    <xsl:variable name="label" select="preceding-sibling::*[1][self::tei:label]"/>
    <xsl:variable name="marker" select="
        if ($label) then ed:inline($label/node()) || ' '
        else if ($ordered) then count(preceding-sibling::tei:item) + 1 || '. '
        else '- '"/>
    <xsl:call-template name="emit-block">
      <xsl:with-param name="prefix" select="$marker"/>
      <xsl:with-param name="text" select="ed:inline(node())"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:row" mode="blocks">
    <xsl:call-template name="emit-block">
      <xsl:with-param name="text" select="string-join(tei:cell ! ed:inline(node()), ' | ')"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:quote[tei:p | tei:lg | tei:list | tei:ab] | tei:q[tei:p | tei:lg | tei:list | tei:ab]" mode="blocks">
    <xsl:param name="indent" as="xs:string" tunnel="yes" select="''"/>
    <xsl:apply-templates mode="blocks">
      <xsl:with-param name="indent" select="$indent || '    '" tunnel="yes"/>
    </xsl:apply-templates>
  </xsl:template>

  <xsl:template match="tei:label[parent::tei:list] | tei:cb | tei:milestone | tei:anchor | tei:graphic | tei:media" mode="blocks"/>

  <!-- ============================ inline ============================ -->

  <!-- The running text of some nodes with marks in brackets, whitespace
       collapsed, forced line breaks kept as U+2028. -->
  <xsl:function name="ed:inline" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:variable name="parts" as="xs:string*">
      <xsl:apply-templates select="$nodes" mode="inline"/>
    </xsl:variable>
    <!-- normalize-space, not replace(): Saxon's regular expressions cost a
         third of the whole transform here, and U+2028 is not XML whitespace. -->
    <xsl:variable name="joined" select="string-join($parts)"/>
    <!-- Most blocks have no forced break, and need no tokenizing. -->
    <xsl:sequence select="if (contains($joined, $BREAK))
                          then string-join(tokenize($joined, $BREAK) ! normalize-space(.), $BREAK)
                          else normalize-space($joined)"/>
  </xsl:function>

  <!-- A text node as it is: mode "inline" is only reached through ed:inline, whose
       normalize-space folds tabs and line ends with spaces, so turning them into spaces
       here first (a translate() per text node) was 5 % of the transform for nothing. -->
  <xsl:template match="text()" mode="inline">
    <xsl:sequence select="string(.)"/>
  </xsl:template>

  <xsl:template match="comment() | processing-instruction()" mode="inline"/>

  <xsl:template match="*" mode="inline">
    <xsl:apply-templates mode="inline"/>
  </xsl:template>

  <!-- Block-like elements met inside running text: set apart by spaces. -->
  <xsl:template match="tei:list | tei:lg | tei:dateline | tei:salute | tei:head" mode="inline">
    <xsl:text> </xsl:text>
    <xsl:apply-templates mode="inline"/>
    <xsl:text> </xsl:text>
  </xsl:template>

  <!-- Paragraphs, lines and items inside a note or an addition keep their own lines. -->
  <xsl:template match="tei:p | tei:ab | tei:l | tei:item" mode="inline">
    <xsl:if test="preceding-sibling::*[self::tei:p or self::tei:ab or self::tei:l or self::tei:item]">{$BREAK}</xsl:if>
    <xsl:text> </xsl:text>
    <xsl:apply-templates mode="inline"/>
    <xsl:text> </xsl:text>
  </xsl:template>

  <xsl:template match="tei:address" mode="inline">
    <xsl:for-each select="tei:addrLine">
      <xsl:if test="position() gt 1">{$BREAK}</xsl:if>
      <xsl:apply-templates mode="inline"/>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="tei:lb" mode="inline">{$BREAK}</xsl:template>
  <xsl:template match="tei:space" mode="inline"><xsl:text> </xsl:text></xsl:template>
  <xsl:template match="tei:label[parent::tei:list] | tei:cb | tei:milestone | tei:anchor | tei:graphic | tei:media" mode="inline"/>

  <xsl:template match="tei:signed" mode="inline">
    <xsl:text>[signed] </xsl:text>
    <xsl:apply-templates mode="inline"/>
  </xsl:template>

  <xsl:template match="tei:supplied" mode="inline">
    <xsl:text>[</xsl:text>
    <xsl:apply-templates mode="inline"/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <xsl:template match="tei:del" mode="inline">
    <xsl:text>⟦</xsl:text>
    <xsl:apply-templates mode="inline"/>
    <xsl:text>⟧</xsl:text>
  </xsl:template>

  <xsl:template match="tei:add" mode="inline">
    <xsl:variable name="place" select="ed:place-label(@place)"/>
    <xsl:choose>
      <xsl:when test="ed:is-handwritten(.)">
        <xsl:text>[{ed:hand-phrase(.)}{$place ! (' ' || .)}: {ed:inline(node())}]</xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:text>⸢</xsl:text>
        <xsl:apply-templates mode="inline"/>
        <xsl:text>⸣</xsl:text>
        <xsl:if test="exists($place)"> [added {$place}]</xsl:if>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:gap" mode="inline">{ed:gap-label(.)}</xsl:template>

  <!-- Raised and lowered text, which the page sets as sup and sub: run into the line it
       would join the word before it ("Коммунист<sup>121</sup>" read "Коммунист121"), so it
       is marked as plain text marks it, braced so that its end is plain. -->
  <xsl:template match="tei:hi[ed:hi-shift(.) ne '']" mode="inline">
    <xsl:text>{ed:hi-shift(.)}{{</xsl:text>
    <xsl:apply-templates mode="inline"/>
    <xsl:text>}}</xsl:text>
  </xsl:template>


  <xsl:template match="tei:sic" mode="inline">
    <xsl:apply-templates mode="inline"/>
    <xsl:text> [sic]</xsl:text>
  </xsl:template>

  <xsl:template match="tei:unclear" mode="inline">
    <xsl:apply-templates mode="inline"/>
    <xsl:text>[?]</xsl:text>
  </xsl:template>

  <xsl:template match="tei:choice" mode="inline">
    <xsl:variable name="shown" select="(tei:sic, tei:orig, tei:abbr, *)[1]"/>
    <xsl:variable name="other" select="(tei:corr, tei:reg, tei:expan, * except $shown)[1]"/>
    <xsl:apply-templates select="$shown/node()" mode="inline"/>
    <xsl:if test="$other">
      <xsl:text> [</xsl:text>
      <xsl:if test="$shown/self::tei:sic">sic; read </xsl:if>
      <xsl:apply-templates select="$other/node()" mode="inline"/>
      <xsl:text>]</xsl:text>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:stamp" mode="inline">
    <xsl:text>[stamp: {ed:inline(node())}]</xsl:text>
  </xsl:template>

  <xsl:template match="tei:fw" mode="inline">
    <xsl:text>[{ed:fw-label(.)}: {ed:inline(node())}]</xsl:text>
  </xsl:template>

  <xsl:template match="tei:pb" mode="inline">
    <xsl:text> [{if (@n) then 'p. ' || @n else 'page break'}] </xsl:text>
  </xsl:template>

  <xsl:template match="tei:note" mode="inline">
    <xsl:choose>
      <xsl:when test="ed:is-document-note(.)">
        <!-- ed:inline trims, so the bracket closes on the last word. -->
        <xsl:text>[{ed:document-note-label(.)}: {ed:inline(node())}]</xsl:text>
      </xsl:when>
      <xsl:when test="ancestor::tei:note">
        <xsl:text> (</xsl:text>
        <xsl:apply-templates mode="inline"/>
        <xsl:text>)</xsl:text>
      </xsl:when>
      <xsl:otherwise>[{ed:note-number(.)}]</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- One more reference to a footnote: the note's number, as the page shows it; a note
       inside another note has none, and is shown in its place, so here too. -->
  <xsl:template match="tei:ptr[@type = 'footnote'][exists(ed:pointed-footnote(.))]" mode="inline">
    <xsl:variable name="note" select="ed:pointed-footnote(.)"/>
    <xsl:variable name="n" select="ed:note-number($note)"/>
    <xsl:choose>
      <xsl:when test="$n gt 0">[{$n}]</xsl:when>
      <xsl:otherwise>
        <xsl:text> (</xsl:text>
        <xsl:apply-templates select="$note/node()" mode="inline"/>
        <xsl:text>)</xsl:text>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:ref[matches(@target, '^https?://')] | tei:ptr[matches(@target, '^https?://')]" mode="inline">
    <xsl:apply-templates mode="inline"/>
    <xsl:text> &lt;{tokenize(@target)[1]}&gt;</xsl:text>
  </xsl:template>

  <xsl:template match="tei:row" mode="inline">
    <xsl:value-of select="string-join(tei:cell ! ed:inline(node()), ' | ')"/>
    <xsl:text> </xsl:text>
  </xsl:template>

  <!-- ============================ wrapping ============================ -->

  <!-- A block as wrapped lines: the first line starts with $prefix, the rest
       with $indent; forced breaks (U+2028) start a new line. -->
  <xsl:function name="ed:format-block" as="xs:string" visibility="public">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="prefix" as="xs:string"/>
    <xsl:param name="indent" as="xs:string"/>
    <xsl:param name="width" as="xs:integer"/>
    <xsl:variable name="room" select="max(($width - string-length($indent), 20))"/>
    <xsl:variable name="lines" select="(if (contains($text, $BREAK)) then tokenize($text, $BREAK) else $text[. ne '']) ! ed:wrap(., $room)"/>
    <xsl:sequence select="string-join(
        for $i in 1 to count($lines) return (if ($i = 1) then $prefix else $indent) || $lines[$i],
        $NL)"/>
  </xsl:function>

  <!-- Greedy word wrap: each line takes as many words as fit in $width
       characters; a word longer than the line stands on its own. Line by line:
       the line is what comes before the last space among the first $width + 1
       characters. An iteration over the text's offset, not a recursion over the
       rest of it: copying the rest for each line made wrapping quadratic, and an
       OCR transcription without line breaks is one paragraph of thousands of
       lines (200,000 words took 36 s to wrap, now under 1 s). -->
  <xsl:function name="ed:wrap" as="xs:string*" visibility="public">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="width" as="xs:integer"/>
    <xsl:variable name="t" select="normalize-space($text)"/>
    <xsl:variable name="length" select="string-length($t)"/>
    <!-- At most one line per character: the range only bounds the iteration. -->
    <xsl:iterate select="1 to $length + 1">
      <xsl:param name="from" as="xs:integer" select="1"/>
      <xsl:choose>
        <xsl:when test="$length - $from + 1 le $width">
          <!-- The rest fits; nothing is left after a word longer than the line that ends the text. -->
          <xsl:sequence select="substring($t, $from)[$from eq 1 or . ne '']"/>
          <xsl:break/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:variable name="head" select="substring($t, $from, $width + 1)"/>
          <!-- The last space found by code point, not by a regular expression: Saxon's
               replace() took two thirds of the time of wrapping. -->
          <xsl:variable name="last-space" select="index-of(string-to-codepoints($head), 32)[last()]"/>
          <xsl:variable name="fits" select="if (exists($last-space)) then substring($head, 1, $last-space - 1)
                                            else ed:first-word($t, $from, $width)"/>
          <xsl:sequence select="$fits"/>
          <xsl:next-iteration>
            <xsl:with-param name="from" select="$from + string-length($fits) + 1"/>
          </xsl:next-iteration>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:iterate>
  </xsl:function>

  <!-- The word at $from of $t, known to be longer than $width: looked for in
       windows of the text, so that a text of many long words (a table rule of
       dashes on every line) is not copied to its end for each. -->
  <xsl:function name="ed:first-word" as="xs:string">
    <xsl:param name="t" as="xs:string"/>
    <xsl:param name="from" as="xs:integer"/>
    <xsl:param name="width" as="xs:integer"/>
    <xsl:iterate select="1 to string-length($t)">
      <xsl:param name="size" as="xs:integer" select="max(($width, 1)) * 4"/>
      <xsl:variable name="window" select="substring($t, $from, $size)"/>
      <xsl:choose>
        <xsl:when test="contains($window, ' ')">
          <xsl:sequence select="substring-before($window, ' ')"/>
          <xsl:break/>
        </xsl:when>
        <xsl:when test="string-length($window) lt $size">
          <xsl:sequence select="$window"/>
          <xsl:break/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:next-iteration>
            <xsl:with-param name="size" select="$size * 2"/>
          </xsl:next-iteration>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:iterate>
  </xsl:function>

  <xsl:function name="ed:repeat" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:param name="n" as="xs:integer?"/>
    <xsl:sequence select="string-join((1 to ($n, 0)[1]) ! $s, '')"/>
  </xsl:function>

  <xsl:function name="ed:pad" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:param name="n" as="xs:integer"/>
    <xsl:sequence select="$s || ed:repeat(' ', $n - string-length($s))"/>
  </xsl:function>
</xsl:stylesheet>
