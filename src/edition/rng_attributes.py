"""What the edition's RELAX NG lets each element carry: to say what libxml2 does not.

libxml2 reports "Element correspAction failed to validate attributes" both for an
attribute the element needs and lacks and for a value outside a closed list, naming
neither; and "Invalid attribute cert for element origDate" both for an attribute the
element does not take and for one whose value is wrong. ``schema/edition.rng``
(written by ``schema/odd2rng.xsl``) defines every element once, with its attributes
inline, so what an element may carry is read off that one definition, and an editor
can be told which attribute to add or which values to choose from.

Only read when a document fails ``edition.rng``, and once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from edition import lxmltypes

RNG = "{http://relaxng.org/ns/structure/1.0}"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_OPTIONAL = {f"{RNG}optional", f"{RNG}zeroOrMore", f"{RNG}choice"}


@dataclass(frozen=True)
class AttributeSpec:
    name: str  # as an editor writes it: "type", "xml:lang"
    required: bool
    values: tuple[str, ...] | None  # the closed list of values, or None when a datatype or free text
    # Where a value decides what the element holds (term: type="doctype" holds one of
    # edition.doctype's values): per such value, the closed list of its content, or
    # None for any text.
    content: tuple[tuple[str, tuple[str, ...] | None], ...] = ()


Specs = dict[str, dict[str, AttributeSpec]]  # element's local name -> attribute name -> spec

_CACHE: dict[tuple[str, int, int], Specs] = {}


def attribute_specs(rng: Path) -> Specs:
    """Each element's attributes in the grammar ``rng``; an element defined more than
    once (not the case in edition.rng) is left out, as its attributes depend on where it is."""
    stat = rng.stat()
    key = (str(rng.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _CACHE:
        _CACHE[key] = _read(etree.parse(str(rng)).getroot())
    return _CACHE[key]


def _read(grammar: etree._Element) -> Specs:
    specs: Specs = {}
    seen: set[str] = set()
    defines = {d.get("name"): d for d in grammar.iter(f"{RNG}define")}
    for element in grammar.iter(f"{RNG}element"):
        name = element.get("name")
        if name is None or ":" in name:
            continue
        if name in seen:
            specs.pop(name, None)
            continue
        seen.add(name)
        own: dict[str, AttributeSpec] = {}
        for attribute in element.iter(f"{RNG}attribute"):
            attribute_name = attribute.get("name")
            if attribute_name is None or _owner(attribute) is not element:
                continue
            required = not any(a.tag in _OPTIONAL for a in _between(attribute, element))
            values = tuple(v.text or "" for v in attribute.iter(f"{RNG}value"))
            closed = bool(values) and next(attribute.iter(f"{RNG}data", f"{RNG}text", f"{RNG}list"), None) is None
            content = tuple((v, _content_values(attribute, defines)) for v in values) if closed and _decides_content(attribute) else ()
            spec = AttributeSpec(attribute_name, required, values if closed else None, content)
            # An attribute defined in each branch of a choice (term's type, whose value
            # decides the content) may take the values of every branch.
            if (earlier := own.get(attribute_name)) is not None:
                both = None if earlier.values is None or spec.values is None else earlier.values + spec.values
                spec = AttributeSpec(attribute_name, earlier.required and spec.required, both, earlier.content + spec.content)
            own[attribute_name] = spec
        specs[name] = own
    return specs


def _decides_content(attribute: etree._Element) -> bool:
    """Whether the attribute sits in a group beside what the element holds (a branch
    of a choice that pairs an attribute value with a content)."""
    group = attribute.getparent()
    return (group is not None and group.tag == f"{RNG}group"
            and any(c.tag in (f"{RNG}ref", f"{RNG}text", f"{RNG}data") for c in group))


def _content_values(attribute: etree._Element, defines: dict[str | None, etree._Element]) -> tuple[str, ...] | None:
    """The closed list of values the element holds beside this attribute, or None for any text."""
    for sibling in attribute.itersiblings():
        target = defines.get(sibling.get("name")) if sibling.tag == f"{RNG}ref" else sibling
        if target is None:
            continue
        if next(target.iter(f"{RNG}data", f"{RNG}text", f"{RNG}element", f"{RNG}ref"), None) is not None:
            return None
        values = tuple(v.text or "" for v in target.iter(f"{RNG}value"))
        if values:
            return values
    return None


def _owner(node: etree._Element) -> etree._Element | None:
    return next(node.iterancestors(f"{RNG}element"), None)


def _between(node: etree._Element, top: etree._Element) -> list[etree._Element]:
    out = []
    for ancestor in node.iterancestors():
        if ancestor is top:
            break
        out.append(ancestor)
    return out


def source_name(attribute: str) -> str:
    """An attribute's name as written in a file (``{xml-ns}lang`` is ``xml:lang``)."""
    qname = etree.QName(attribute)
    return f"xml:{qname.localname}" if qname.namespace == XML_NS else qname.localname


def _choices(spec: AttributeSpec) -> str:
    return ", ".join(spec.values or ())


def why_attributes_fail(specs: Specs, element: etree._Element) -> tuple[str | None, str]:
    """For "Element X failed to validate attributes": (the attribute at fault, if it is
    one the element carries; what to do), or (None, "") when the grammar does not tell."""
    own = specs.get(etree.QName(element).localname)
    if not own:
        return None, ""
    present = {source_name(a): v for a, v in lxmltypes.attributes(element).items()}
    for name, value in present.items():
        spec = own.get(name)
        if spec is not None and spec.values is not None and value not in spec.values:
            return name, f'{name}="{value}" is not one of the values it may take: {_choices(spec)}'
    missing = [s for n, s in own.items() if s.required and n not in present]
    if missing:
        needs = "; ".join(f"{s.name} ({_choices(s)})" if s.values else s.name for s in missing)
        return None, f"{etree.QName(element).localname} needs the attribute {needs}"
    return None, ""


def why_attribute_is_invalid(specs: Specs, element: etree._Element, name: str) -> str:
    """For "Invalid attribute NAME for element X": whether X takes no such attribute, or
    takes it with other values; "" when the grammar does not tell."""
    local = etree.QName(element).localname
    own = specs.get(local)
    if own is None:
        return ""
    spec = own.get(name)
    if spec is None:
        takes = ", ".join(sorted(own)) or "none"
        return f"{local} takes no attribute {name} (it takes: {takes})"
    value = next((v for a, v in lxmltypes.attributes(element).items() if source_name(a) == name), None)
    if value is None:
        return ""
    if spec.values is not None:
        return f'{name}="{value}" is not one of the values it may take: {_choices(spec)}'
    return f'{name}="{value}" is not a value of the kind {local}/@{name} takes'


def why_content_fails(specs: Specs, element: etree._Element) -> tuple[str | None, str]:
    """For "Element X failed to validate content" where an attribute's value decides what
    X holds (term): (the attribute at fault, if the element carries it; what to do), or
    (None, "") when no such attribute explains it."""
    local = etree.QName(element).localname
    present = {source_name(a): v for a, v in lxmltypes.attributes(element).items()}
    for spec in specs.get(local, {}).values():
        if not spec.content:
            continue
        value = present.get(spec.name)
        if value is None:
            return None, f"{local} needs the attribute {spec.name} ({_choices(spec)}), which decides what it holds"
        allowed = dict(spec.content)
        if value not in allowed:
            return spec.name, f'{spec.name}="{value}" is not one of the values it may take: {_choices(spec)}'
        held = allowed[value]
        if held is None:
            continue
        children = [c for c in element if isinstance(c.tag, str)]  # comments do not count
        text = "".join(lxmltypes.strings(element.xpath("text()"))).strip()
        if children or text not in held:
            found = f"the element {etree.QName(children[0]).localname}" if children else f'"{text}"'
            return None, f'a {local} of {spec.name}="{value}" holds one of: {", ".join(held)}, not {found}'
    return None, ""
