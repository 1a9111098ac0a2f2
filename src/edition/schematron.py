"""ISO Schematron with XPath 2/3, compiled to XSLT 3.0 and run under saxonche.

Why this engine: lxml's Schematron is XPath 1 only. pyschematron 1.2.5 (pure
Python, XPath via elementpath) was tried on both of our schemas and runs neither:
TEI's embedded constraints use ``current()`` and our rules use ``xsl:function``,
both part of the xslt2/xslt3 query bindings, which it does not implement.
Compiling the schema once to an XSLT 3.0 stylesheet runs the full bindings under
saxonche (already a dependency) at about 0.5 ms of CPU per document for tei_all's
83 embedded patterns on the edition's own files, and 0.2 ms for the 16 of them that
can fire on a file of the edition's vocabulary (see :func:`prune_to_vocabulary`).

What is supported: ``ns``, ``let`` (schema-level lets become stylesheet
parameters, so a caller can pass in values such as the ids of the other
documents of a collection), ``pattern`` (including abstract patterns with
``param`` and ``is-a``), ``rule`` (first matching rule per pattern, abstract
rules and ``extends``), ``assert``/``report`` with ``value-of``/``name``/
``emph``/``dir``/``span`` in messages and ``diagnostics``, ``include``, and
top-level ``xsl:function``/``xsl:key`` (query bindings xslt2/xslt3).
Phases are not used: every pattern is active.

A run yields :class:`RawFinding` objects: the failed assertion's id, role and
message and ``fn:path()`` of the context node, which the caller maps to a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from edition import lxmltypes
from edition.errors import EditionError

SCH = "http://purl.oclc.org/dsdl/schematron"
XSL = "http://www.w3.org/1999/XSL/Transform"
XS = "http://www.w3.org/2001/XMLSchema"
ED = "https://edition.example/ns"
_S = f"{{{SCH}}}"
_X = f"{{{XSL}}}"

ERROR_ROLES = {"error", "fatal", "", None}
# Everything else (warning, nonfatal, info, information) is advisory.


@dataclass(frozen=True)
class RawFinding:
    rule_id: str
    role: str  # "error" or "warning"
    message: str
    path: str  # fn:path() of the context node


def severity(role: str | None) -> str:
    return "error" if (role or "").strip().lower() in ERROR_ROLES else "warning"


def _avt_escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _resolve_includes(schema: etree._Element, base: Path | None) -> None:
    for inc in list(schema.iter(f"{_S}include")):
        href = inc.get("href")
        if base is None or not href:
            raise EditionError("sch:include needs a schema loaded from a file", base, lxmltypes.sourceline(inc))
        target = (base.parent / href).resolve()
        try:
            included = etree.parse(str(target)).getroot()
        except (OSError, etree.XMLSyntaxError) as exc:
            raise EditionError(f"cannot include {href}: {exc}", base, lxmltypes.sourceline(inc)) from exc
        _resolve_includes(included, target)
        parent = inc.getparent()
        if parent is None:
            raise EditionError("sch:include cannot be the root element of a schema", base, lxmltypes.sourceline(inc))
        parent.replace(inc, included)


def _instantiate(pattern: etree._Element, abstracts: dict[str, etree._Element]) -> etree._Element:
    """Expand ``pattern is-a="x"`` by substituting its params into the abstract pattern."""
    abstract = abstracts.get(pattern.get("is-a", ""))
    if abstract is None:
        raise EditionError(f"pattern {pattern.get('id')!r} is-a unknown abstract pattern {pattern.get('is-a')!r}")
    params: dict[str, str] = {}
    for p in pattern.iter(f"{_S}param"):
        param_name = p.get("name")
        if param_name is None:
            raise EditionError(f"param without @name in pattern {pattern.get('id')!r}", None, lxmltypes.sourceline(p))
        params[param_name] = p.get("value", "")
    # Longest names first so $ab is not replaced inside $abc.
    names = sorted(params, key=len, reverse=True)

    def subst(value: str) -> str:
        for name in names:
            # A function, not a replacement string: the value is inserted as it is, backslashes too
            # (re.sub calls it before the loop moves on, so it sees this iteration's value).
            replacement = params[name]
            value = re.sub(rf"\${re.escape(name)}(?![\w.\-])", lambda _m: replacement, value)
        return value

    copy = etree.fromstring(etree.tostring(abstract))
    copy.attrib.pop("abstract", "")
    pattern_id = pattern.get("id")
    if pattern_id:
        copy.set("id", pattern_id)
    for el in copy.iter():
        for attr in ("context", "test", "select", "path", "value"):
            value = el.get(attr)
            if value is not None:
                el.set(attr, subst(value))
    return copy


class _Compiler:
    def __init__(self, schema: etree._Element, name: str) -> None:
        self.schema = schema
        self.name = name
        self.nsmap: dict[str, str] = {"xsl": XSL, "xs": XS, "ed": ED}
        self.diagnostics = {d.get("id"): d for d in schema.iter(f"{_S}diagnostic") if d.get("id")}
        self.abstract_rules = {
            r.get("id"): r for r in schema.iter(f"{_S}rule") if r.get("abstract") == "true" and r.get("id")
        }
        self.needs_text = False

    def _collect_namespaces(self) -> None:
        for ns in self.schema.iter(f"{_S}ns"):
            prefix, uri = ns.get("prefix"), ns.get("uri")
            if prefix and uri:
                self.nsmap.setdefault(prefix, uri)
        # Prefixes declared with xmlns on the schema's own elements are in scope for their
        # XPath too (the TEI's embedded rules rely on this).
        for el in self.schema.iter():
            if not isinstance(el.tag, str):
                continue
            for prefix, uri in el.nsmap.items():
                if prefix and prefix not in self.nsmap:
                    self.nsmap[prefix] = uri

    def compile(self) -> etree._ElementTree:
        self._collect_namespaces()
        patterns = self._patterns()
        for pattern in patterns:
            for rule in pattern.iter(f"{_S}rule"):
                if "text()" in rule.get("context", "") or "node()" in rule.get("context", ""):
                    self.needs_text = True
        sheet = etree.Element(f"{_X}stylesheet", nsmap=self.nsmap)
        sheet.set("version", "3.0")
        sheet.set("exclude-result-prefixes", "#all")
        etree.SubElement(sheet, f"{_X}output", method="xml", indent="no", encoding="UTF-8")
        for child in self.schema:
            if isinstance(child.tag, str) and child.tag.startswith(_X):
                sheet.append(etree.fromstring(etree.tostring(child)))
        for let in self.schema.findall(f"{_S}let"):
            param = self._variable(sheet, let, "param")
            param.set("required", "no")
        root = etree.SubElement(sheet, f"{_X}template", match="/")
        report = etree.SubElement(root, f"{{{ED}}}report")
        select = "(/, descendant::*, descendant::*/@*)"
        if self.needs_text:
            select = "(/, descendant::node(), descendant::*/@*)"
        selects = [_candidates(pattern) for pattern in patterns]
        if any(c is None for c in selects):
            etree.SubElement(report, f"{_X}variable", name="ed-nodes", select=select)
        for index, pattern in enumerate(patterns):
            mode = f"ed-p{index}"
            # Visiting only the nodes a rule context can match is several times faster than
            # offering every node to every pattern (most patterns match a few elements).
            etree.SubElement(report, f"{_X}apply-templates", select=selects[index] or "$ed-nodes", mode=mode)
            etree.SubElement(sheet, f"{_X}mode", {"name": mode, "on-no-match": "deep-skip"})
            self._pattern(sheet, pattern, mode, index)
        return etree.ElementTree(sheet)

    def _patterns(self) -> list[etree._Element]:
        all_patterns = list(self.schema.iter(f"{_S}pattern"))
        # An abstract pattern without an id cannot be named by is-a.
        abstracts = {pid: p for p in all_patterns if p.get("abstract") == "true" and (pid := p.get("id")) is not None}
        result = []
        for pattern in all_patterns:
            if pattern.get("abstract") == "true":
                continue
            result.append(_instantiate(pattern, abstracts) if pattern.get("is-a") else pattern)
        return result

    def _variable(self, parent: etree._Element, let: etree._Element, kind: str = "variable") -> etree._Element:
        name = let.get("name")
        if name is None:
            raise EditionError("let without @name", None, lxmltypes.sourceline(let))
        var = etree.SubElement(parent, f"{_X}{kind}", name=name)
        value = let.get("value")
        if value is not None:
            var.set("select", value)
        else:
            for child in let:
                var.append(etree.fromstring(etree.tostring(child)))
        as_type = let.get("as")
        if as_type:
            var.set("as", as_type)
        return var

    def _pattern(self, sheet: etree._Element, pattern: etree._Element, mode: str, index: int) -> None:
        pattern_id = pattern.get("id") or f"{self.name}-pattern-{index + 1}"
        lets = pattern.findall(f"{_S}let")
        rules = [r for r in pattern.findall(f"{_S}rule") if r.get("abstract") != "true"]
        for position, rule in enumerate(rules):
            context = rule.get("context")
            if not context:
                raise EditionError(f"rule {position + 1} of pattern {pattern_id} has no context", None, lxmltypes.sourceline(rule))
            template = etree.SubElement(sheet, f"{_X}template", match=context, mode=mode)
            # Within a pattern the first matching rule wins (ISO Schematron 5.4.10).
            template.set("priority", str(len(rules) - position))
            for let in lets:
                self._variable(template, let)
            self._rule_body(template, rule, pattern_id)

    def _rule_body(self, template: etree._Element, rule: etree._Element, pattern_id: str) -> None:
        for child in rule:
            if not isinstance(child.tag, str):
                continue
            if child.tag == f"{_S}let":
                self._variable(template, child)
            elif child.tag == f"{_S}extends":
                base = self.abstract_rules.get(child.get("rule", ""))
                if base is None:
                    raise EditionError(f"rule extends unknown abstract rule {child.get('rule')!r}", None, lxmltypes.sourceline(child))
                self._rule_body(template, base, pattern_id)
            elif child.tag in (f"{_S}assert", f"{_S}report"):
                test = child.get("test")
                if not test:
                    raise EditionError(f"{etree.QName(child).localname} without @test in {pattern_id}", None, lxmltypes.sourceline(child))
                # A dynamic error (a cast of bad data) becomes a finding for this node instead
                # of aborting the whole document's validation.
                attempt = etree.SubElement(template, f"{_X}try")
                cond = etree.SubElement(attempt, f"{_X}if")
                cond.set("test", f"not({test})" if child.tag == f"{_S}assert" else test)
                self._finding(cond, child, rule, pattern_id)
                catch = etree.SubElement(attempt, f"{_X}catch")
                failed = etree.SubElement(catch, f"{{{ED}}}f")
                failed.set("id", _avt_escape(child.get("id") or pattern_id))
                failed.set("role", "error")
                failed.set("path", "{path()}")
                etree.SubElement(failed, f"{_X}text").text = "this rule could not be evaluated here: "
                etree.SubElement(failed, f"{_X}value-of", select="$Q{http://www.w3.org/2005/xqt-errors}description")
                etree.SubElement(failed, f"{_X}text").text = " (check the values this element carries)"

    def _finding(self, parent: etree._Element, check: etree._Element, rule: etree._Element, pattern_id: str) -> None:
        """``check``: an assert or report, a child of ``rule``."""
        rule_id = check.get("id") or pattern_id
        out = etree.SubElement(parent, f"{{{ED}}}f")
        out.set("id", _avt_escape(rule_id))
        out.set("role", _avt_escape(severity(check.get("role") or rule.get("role"))))
        out.set("path", "{path()}")
        self._message(out, check)
        for ref in (check.get("diagnostics") or "").split():
            diagnostic = self.diagnostics.get(ref)
            if diagnostic is not None:
                etree.SubElement(out, f"{_X}text").text = " "
                self._message(out, diagnostic)

    def _message(self, out: etree._Element, source: etree._Element) -> None:
        if source.text:
            etree.SubElement(out, f"{_X}text").text = source.text
        for child in source:
            if isinstance(child.tag, str):
                if child.tag == f"{_S}value-of":
                    etree.SubElement(out, f"{_X}value-of", select=child.get("select", "."), separator=" ")
                elif child.tag == f"{_S}name":
                    etree.SubElement(out, f"{_X}value-of", select=f"name({child.get('path', '.')})")
                else:  # emph, dir, span and foreign markup: keep their text
                    self._message(out, child)
            if child.tail:
                etree.SubElement(out, f"{_X}text").text = child.tail


def _top_level(expr: str) -> list[tuple[int, str]] | None:
    """The characters of an XPath expression outside string literals and brackets, with
    their positions; a bracket that opens or closes at the top level counts as one of
    them. None when a bracket or a string is left open."""
    found: list[tuple[int, str]] = []
    depth, quote = 0, ""
    for i, ch in enumerate(expr):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            if depth == 0:
                found.append((i, ch))
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                found.append((i, ch))
        elif depth == 0:
            found.append((i, ch))
    return None if depth or quote else found


def _split_union(expr: str) -> list[str] | None:
    """Split a pattern at its top-level ``|`` (not inside brackets or strings)."""
    chars = _top_level(expr)
    if chars is None:
        return None
    cuts = [i for i, ch in chars if ch == "|"]
    parts = [expr[start + 1 : end] for start, end in zip([-1, *cuts], [*cuts, len(expr)])]
    return [p.strip() for p in parts if p.strip()]


def _candidates(pattern: etree._Element) -> str | None:
    """An XPath selecting every node the pattern's rule contexts can match, or None if unsure."""
    branches: list[str] = []
    for rule in pattern.findall(f"{_S}rule"):
        if rule.get("abstract") == "true":
            continue
        context = rule.get("context") or ""
        parts = _split_union(context)
        # Variables and functions of the rule's own scope cannot be evaluated from the root.
        if parts is None or "$" in context or "current()" in context or context.strip().startswith("union"):
            return None
        for part in parts:
            if part.startswith("(") or part.lower().startswith(("union", "intersect", "except")):
                return None
            branches.append(f"({part})" if part.startswith("/") else f"//({part})")
    return " | ".join(branches) if branches else "()"


def compile_schema(schema: etree._Element, name: str = "schematron", base: Path | None = None) -> etree._ElementTree:
    """Return the XSLT 3.0 stylesheet that runs ``schema`` (an ``sch:schema`` element)."""
    if schema.tag != f"{_S}schema":
        raise EditionError(f"not an ISO Schematron schema: root is {schema.tag}", base)
    binding = (schema.get("queryBinding") or "xslt").lower()
    if binding not in {"xslt2", "xslt3", "xpath2", "xpath3", "xpath31"}:
        raise EditionError(f"query binding {binding!r} is not supported (need xslt2/xslt3)", base)
    schema = etree.fromstring(etree.tostring(schema))  # includes are resolved on a copy
    _resolve_includes(schema, base)
    return _Compiler(schema, name).compile()


def extract_embedded(rng: etree._Element) -> etree._Element:
    """Collect the Schematron embedded in a RELAX NG grammar (as the TEI ODD processor writes it)."""
    schema = etree.Element(f"{_S}schema", nsmap={"sch": SCH})
    schema.set("queryBinding", "xslt2")
    for ns in rng.iter(f"{_S}ns"):
        schema.append(etree.fromstring(etree.tostring(ns)))
    for pattern in rng.iter(f"{_S}pattern"):
        schema.append(etree.fromstring(etree.tostring(pattern)))
    return schema


_SAXON_PLACE = re.compile(r"(?:Error|Static error|Syntax error)\b[^\n]*? in (?P<what>\S+) on line (?P<line>\d+) column (?P<column>\d+) of \S*:(?=\s)")
_CHECK = re.compile(r'<ed:f id="([^"]+)"')


def _compile_error(text: str, said: str) -> str:
    """Saxon's reason a compiled schema does not compile, in one line, with the check it is
    at. Saxon names a line and column of the generated stylesheet, of no use to the
    schema's author, where the test of an assert or report (xsl:if/@test), or the context
    or a let of its rule, is; the first check from there is the one it belongs to. The
    same slip in a rule's context is reported again where all contexts are selected
    (xsl:apply-templates/@select), which names no check: that report is passed over."""
    places = list(_SAXON_PLACE.finditer(said))
    if not places:
        return " ".join(said.split())
    chosen = next((k for k in range(len(places) - 1, -1, -1) if places[k]["what"] != "xsl:apply-templates/@select"), len(places) - 1)
    found = places[chosen]
    reason = " ".join(said[found.end(): places[chosen + 1].start() if chosen + 1 < len(places) else None].split())
    lines = text.split("\n")
    line = int(found["line"])
    check = None
    if line <= len(lines):
        offset = sum(len(x) + 1 for x in lines[: line - 1]) + int(found["column"]) - 1
        check = _CHECK.search(text, max(offset, 0))
    where = f"in the check {check[1]} ({found['what']})" if check else f"in {found['what']}"
    return f"{where}: {reason}"


class Schematron:
    """A Schematron schema compiled once; :meth:`run` applies it to one document."""

    def __init__(self, stylesheet: etree._ElementTree, processor, name: str) -> None:
        self.name = name
        self._proc = processor
        compiler = processor.new_xslt30_processor()
        text = etree.tostring(stylesheet, encoding="unicode")
        try:
            self._exe = compiler.compile_stylesheet(stylesheet_text=text)
        except Exception as exc:  # saxonche raises PySaxonApiError with Saxon's own message
            raise EditionError(f"the Schematron does not compile: {_compile_error(text, str(exc))}") from exc
        self._builder = processor.new_document_builder()

    def parse(self, xml_text: str):
        """Build Saxon's tree once; several schemas compiled with the same processor can share it."""
        return self._builder.parse_xml(xml_text=xml_text)

    def run(self, document, base_uri: str, params: dict[str, object] | None = None) -> list[RawFinding]:
        """Apply the schema to ``document``: XML text, or a tree from :meth:`parse`."""
        doc = self.parse(document) if isinstance(document, str) else document
        self._exe.clear_parameters()
        for key, value in (params or {}).items():
            self._exe.set_parameter(key, _xdm(self._proc, value))
        self._exe.set_global_context_item(xdm_item=doc)
        self._exe.set_base_output_uri(base_uri)
        out = self._exe.apply_templates_returning_string(xdm_value=doc)
        report = etree.fromstring(out.encode("utf-8"))
        # The compiled stylesheet gives every ed:f its id, role and path (see _finding).
        return [
            RawFinding(f.get("id", ""), f.get("role", ""), " ".join(lxmltypes.text(f).split()), f.get("path", ""))
            for f in report
        ]


def _xdm(processor, value: object):
    if isinstance(value, str):
        return processor.make_string_value(value)
    if isinstance(value, bool):
        return processor.make_boolean_value(value)
    if isinstance(value, int):
        return processor.make_integer_value(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        # A sequence travels as one space-separated string (rules tokenize() it): saxonche
        # has no public constructor for a sequence of atomic values.
        items = sorted(value) if isinstance(value, (set, frozenset)) else list(value)
        if any(not str(v) or any(c.isspace() for c in str(v)) for v in items):
            raise ValueError("list parameters must be tokens without whitespace")
        return processor.make_string_value(" ".join(str(v) for v in items))
    raise TypeError(f"cannot pass {type(value).__name__} to Schematron")


# --------------------------------------------------------------------------- vocabulary pruning

_STEP = re.compile(r"^(?:(?P<prefix>[\w.-]+):)?(?P<local>[\w.-]+|\*)(?P<rest>.*)$", re.DOTALL)
_ATTRIBUTE = re.compile(r"^@(?P<name>[\w.-]+)$")
_AND = re.compile(r"\s+and\s+")


def _predicates(rest: str) -> list[str] | None:
    """The insides of the predicates ``[...]`` that open ``rest``, or None when something
    other than predicates and a further step (``/...``) follows the step's name."""
    chars = _top_level(rest)
    if chars is None:
        return None
    found: list[str] = []
    start = 0
    for i, ch in chars:
        if ch == "[":
            start = i + 1
        elif ch == "]":
            found.append(rest[start:i])
        elif ch == "/":
            return found
        elif not ch.isspace():
            return None
    return found


def _needs_absent_attribute(predicate: str, attributes: frozenset[str]) -> bool:
    """Whether ``predicate`` is a conjunction with a term ``@name`` (an attribute in no
    namespace) that is not among ``attributes``. Only a flat ``a and b`` is split."""
    if any(c in predicate for c in "()[]'\""):
        return False
    return any((m := _ATTRIBUTE.match(term.strip())) is not None and m["name"] not in attributes
               for term in _AND.split(predicate))


def _impossible(branch: str, nsmap: dict[str | None, str | None], elements: frozenset[str], attributes: frozenset[str]) -> bool:
    """Whether no node of a document made only of ``elements`` (Clark names) carrying only
    ``attributes`` (attributes in no namespace; prefixed ones are not judged) can match
    ``branch``, one branch of a rule context.

    Judged from the first step alone, and only in the forms ``p:name...``, ``p:*...``
    and ``*...``: the step cannot match when its name is not in the vocabulary, or when
    one of its predicates (each must hold) requires an attribute that is not. Whatever
    follows the first step only narrows what it matches. Anything else may match.
    """
    m = _STEP.match(branch.strip())
    if m is None or m["rest"].lstrip().startswith(("(", ":")):
        return False  # a function call or an axis, not a name test
    predicates = _predicates(m["rest"])
    if predicates is None:
        return False
    prefix, local = m["prefix"], m["local"]
    if prefix is not None and prefix not in nsmap:
        return False
    uri = nsmap[prefix] if prefix is not None else None
    if local != "*":
        if uri is None:
            return False  # an unprefixed name: its namespace depends on the query binding
        return (f"{{{uri}}}{local}" if uri else local) not in elements
    if uri is not None and not any(_in_namespace(e, uri) for e in elements):
        return True
    return any(_needs_absent_attribute(p, attributes) for p in predicates)


def _in_namespace(clark: str, uri: str) -> bool:
    return clark.startswith(f"{{{uri}}}") if uri else not clark.startswith("{")


def prune_to_vocabulary(schema: etree._Element, elements: frozenset[str],
                        attributes: frozenset[str]) -> tuple[etree._Element, list[str]]:
    """A copy of ``schema`` without the patterns none of whose rules can fire on a
    document made only of ``elements`` (Clark names) with only ``attributes`` (names of
    attributes in no namespace); and the ids (or positions) of the patterns left out.

    On a document valid against a schema whose whole vocabulary that is, the copy
    reports exactly what ``schema`` reports: a pattern whose rules match no node adds
    nothing.
    """
    copy = etree.fromstring(etree.tostring(schema))
    nsmap = {ns.get("prefix"): ns.get("uri") for ns in copy.iter(f"{_S}ns")}
    dropped: list[str] = []
    for index, pattern in enumerate(list(copy.iter(f"{_S}pattern"))):
        if pattern.get("abstract") == "true" or pattern.get("is-a"):
            continue  # an abstract pattern's contexts are only known once instantiated
        contexts = [rule.get("context") or "" for rule in pattern.findall(f"{_S}rule") if rule.get("abstract") != "true"]
        branches = [_split_union(c) for c in contexts]
        if not contexts or any(not b for b in branches) or any("$" in c for c in contexts):
            continue
        if all(_impossible(branch, nsmap, elements, attributes) for parts in branches for branch in parts or []):
            dropped.append(pattern.get("id") or f"pattern {index + 1}")
            parent = pattern.getparent()
            assert parent is not None, "a pattern of a schema, not the schema itself"
            parent.remove(pattern)
    return copy, dropped
