"""Namespace-aware reading and byte-exact editing of the small index parts of a workbook package.

The in-place path changes a few elements of ``workbook.xml``, its relationships, ``[Content_Types].xml``
and ``styles.xml`` and must leave every other byte as the user's application wrote it: prefixes,
``mc:Ignorable`` lists, extension elements, attribute order.  Re-serialising with ElementTree would
rename prefixes and drop declarations that only ``mc:Ignorable`` refers to, so the parts are parsed
with expat (namespaces resolved, wherever and with whatever prefix they are declared) into a light
tree that records each element's byte span; edits are splices at those spans, and new elements are
written with the prefixes in scope at the place they go, declaring any namespace that is not.
"""

from __future__ import annotations

import xml.parsers.expat
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
XML_NS = "http://www.w3.org/XML/1998/namespace"


class XmlPartError(ValueError):
    """A package part that is not well-formed XML, or declares a document type."""


@dataclass(eq=False)
class Element:
    """An element: its namespace URI and local name, attributes keyed ``{uri}local`` (or ``local``),
    the prefixes in scope, and its byte span in the part (``head_end``: end of the start tag)."""

    ns: str
    name: str
    attrs: dict[str, str]
    scope: dict[str, str]  # prefix ('' for the default namespace) -> URI, as in scope inside the element
    start: int
    head_end: int = 0
    end: int = 0
    children: list[Element] = field(default_factory=list)
    text: str = ""

    @property
    def empty(self) -> bool:
        return self.head_end == self.end

    def is_(self, ns: str, name: str) -> bool:
        return self.ns == ns and self.name == name

    def find(self, ns: str, name: str) -> Element | None:
        return next((c for c in self.children if c.is_(ns, name)), None)

    def findall(self, ns: str, name: str) -> list[Element]:
        return [c for c in self.children if c.is_(ns, name)]

    def iter(self) -> Iterator[Element]:
        yield self
        for c in self.children:
            yield from c.iter()

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.attrs.get(key, default)

    def prefix_of(self, uri: str) -> str | None:
        """A prefix bound to ``uri`` inside this element ('' for the default namespace), or None."""
        if self.scope.get("") == uri:
            return ""
        return next((p for p, u in sorted(self.scope.items()) if p and u == uri), None)

    def canonical(self) -> tuple:
        """A comparable form: names resolved, attribute order and prefixes ignored."""
        return (self.ns, self.name, tuple(sorted(self.attrs.items())), self.text.strip(),
                tuple(c.canonical() for c in self.children))


def _tag_end(data: bytes, start: int) -> int:
    """The offset just after the '>' closing the tag that starts at ``start`` (quotes respected)."""
    quote = 0
    i = start
    n = len(data)
    while i < n:
        ch = data[i]
        if quote:
            if ch == quote:
                quote = 0
        elif ch in (0x22, 0x27):
            quote = ch
        elif ch == 0x3E:
            return i + 1
        i += 1
    raise XmlPartError("unterminated tag")


def parse(data: bytes) -> Element:
    """The element tree of a part, with byte spans and namespaces resolved."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.ordered_attributes = True
    stack: list[Element] = []
    root: list[Element] = []
    pending: dict[str, str] = {}

    def split(qualified: str) -> tuple[str, str]:
        ns, _, local = qualified.rpartition(" ")
        return ns, local

    def start_ns(prefix: str | None, uri: str | None) -> None:
        pending[prefix or ""] = uri or ""

    def start(name: str, attrs: list[str]) -> None:
        ns, local = split(name)
        scope = dict(stack[-1].scope) if stack else {"xml": XML_NS}
        scope.update(pending)
        pending.clear()
        resolved = {}
        for k, v in zip(attrs[::2], attrs[1::2], strict=True):
            a_ns, a_local = split(k)
            resolved[f"{{{a_ns}}}{a_local}" if a_ns else a_local] = v
        pos = parser.CurrentByteIndex
        el = Element(ns, local, resolved, scope, pos)
        el.head_end = _tag_end(data, pos)
        (stack[-1].children if stack else root).append(el)
        stack.append(el)

    def end(name: str) -> None:
        el = stack.pop()
        if data[el.head_end - 2:el.head_end] == b"/>":
            el.end = el.head_end
        else:
            el.end = _tag_end(data, parser.CurrentByteIndex)

    def chars(text: str) -> None:
        if stack:
            stack[-1].text += text

    def doctype(*_args: object) -> None:
        raise XmlPartError("document type declarations are not allowed in a workbook part")

    parser.StartNamespaceDeclHandler = start_ns
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise XmlPartError(str(exc)) from exc
    if not root:
        raise XmlPartError("no root element")
    return root[0]


class Splicer:
    """Byte edits of one part, applied together: replace a span, or insert at an offset."""

    def __init__(self, data: bytes):
        self.data = data
        self.edits: list[tuple[int, int, bytes]] = []
        self.attr_edits: dict[int, tuple[Element, dict[str, str | None]]] = {}

    def replace(self, start: int, end: int, text: str | bytes) -> None:
        self.edits.append((start, end, text.encode("utf-8") if isinstance(text, str) else text))

    def remove(self, el: Element) -> None:
        self.replace(el.start, el.end, b"")

    def insert(self, pos: int, text: str | bytes) -> None:
        self.replace(pos, pos, text)

    def append_child(self, parent: Element, text: str) -> None:
        """Add ``text`` as the last content of ``parent`` (an empty element is opened up)."""
        if parent.empty:
            head = self.data[parent.start:parent.end - 2].rstrip()
            close = f"</{qname(parent, parent.ns, parent.name, declare=False)[0]}>"
            self.replace(parent.start, parent.end, head + b">" + text.encode("utf-8") + close.encode("utf-8"))
        else:
            close = self.data.rindex(b"</", parent.start, parent.end)
            self.insert(close, text)

    def set_attr(self, el: Element, key: str, value: str | None) -> None:
        """Set (or with None remove) an attribute without a namespace on ``el``'s start tag."""
        self.attr_edits.setdefault(el.start, (el, {}))[1][key] = value

    def apply(self) -> bytes:
        edits = list(self.edits)
        for el, changes in self.attr_edits.values():
            head = self.data[el.start:el.head_end].decode("utf-8")
            new = head
            for key, value in changes.items():
                new = _set_attr_text(new, key, value)
            if new != head:
                edits.append((el.start, el.head_end, new.encode("utf-8")))
        out, pos = [], 0
        for start, end, text in sorted(edits, key=lambda e: (e[0], e[1])):
            if start < pos:
                raise XmlPartError("overlapping edits")
            out += [self.data[pos:start], text]
            pos = end
        out.append(self.data[pos:])
        return b"".join(out)


def _set_attr_text(head: str, key: str, value: str | None) -> str:
    """Edit one unprefixed attribute in the text of a start tag."""
    import re

    pattern = re.compile(rf'(\s+){re.escape(key)}\s*=\s*("[^"]*"|\'[^\']*\')')
    m = pattern.search(head)
    if value is None:
        return head if m is None else head[:m.start()] + head[m.end():]
    attr = f"{key}={quoteattr(value)}"
    if m is not None:
        return head[:m.start()] + m.group(1) + attr + head[m.end():]
    close = len(head) - (2 if head.endswith("/>") else 1)
    return head[:close].rstrip() + " " + attr + head[close:]


def qname(context: Element, uri: str, local: str, *, declare: bool = True) -> tuple[str, str]:
    """The qualified name for ``{uri}local`` inside ``context``, and the declaration needed for it
    (empty when the namespace is already in scope)."""
    prefix = context.prefix_of(uri)
    if prefix == "":
        return local, ""
    if prefix is not None:
        return f"{prefix}:{local}", ""
    if not declare:
        raise XmlPartError(f"namespace {uri} is not in scope")
    used = set(context.scope)
    base = {REL_NS: "r", MAIN_NS: "x"}.get(uri, "ns")
    prefix, k = base, 1
    while prefix in used:
        k += 1
        prefix = f"{base}{k}"
    return f"{prefix}:{local}", f" xmlns:{prefix}={quoteattr(uri)}"


def element(context: Element, uri: str, local: str, attrs: list[tuple[str | None, str, str]]) -> str:
    """An empty element ``{uri}local`` to be placed inside ``context``; attrs are (uri or None, name,
    value). Namespaces not in scope there are declared on the element itself."""
    name, decl = qname(context, uri, local)
    decls = [decl] if decl else []
    parts = []
    for a_uri, a_name, value in attrs:
        if a_uri is None:
            parts.append(f"{a_name}={quoteattr(value)}")
            continue
        prefix = context.prefix_of(a_uri)
        if not prefix:  # attributes take no default namespace
            probe = Element(uri, local, {}, {**context.scope, "": ""}, 0)
            a_qname, a_decl = qname(probe, a_uri, a_name)
            if a_decl and a_decl not in decls:
                decls.append(a_decl)
        else:
            a_qname = f"{prefix}:{a_name}"
        parts.append(f"{a_qname}={quoteattr(value)}")
    return f"<{name}{''.join(decls)} {' '.join(parts)}/>" if parts else f"<{name}{''.join(decls)}/>"


def text_escape(text: str) -> str:
    return escape(text)
