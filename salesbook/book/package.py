"""The package graph of a workbook: which part relates to which (OPC relationships), resolved by name."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from salesbook.book import xmlparts

REL_NS = xmlparts.REL_NS
OFFICE_DOC_REL = REL_NS + "/officeDocument"


def rels_of(part: str) -> str:
    """The relationships part of ``part`` ('' is the package itself)."""
    if not part:
        return "_rels/.rels"
    p = PurePosixPath(part)
    return str(p.parent / "_rels" / (p.name + ".rels"))


def resolve(base_part: str, target: str) -> str:
    """A relationship target as a part name, relative to the part that holds the relationship."""
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = []
    base = str(PurePosixPath(base_part).parent) if base_part else ""
    for seg in (base + "/" + target).split("/"):
        if seg == "..":
            if parts:
                parts.pop()
        elif seg and seg != ".":
            parts.append(seg)
    return "/".join(parts)


def relative(from_part: str, to_part: str) -> str:
    return posixpath.relpath(to_part, str(PurePosixPath(from_part).parent))


@dataclass
class Rel:
    id: str
    type: str
    target: str | None  # the part it points to; None for an external target
    el: xmlparts.Element


def relationships(data: bytes | None, base_part: str) -> list[Rel]:
    if not data:
        return []
    root = xmlparts.parse(data)
    out = []
    for el in root.findall(xmlparts.PKG_REL_NS, "Relationship"):
        external = (el.get("TargetMode") or "").lower() == "external"
        target = None if external else resolve(base_part, el.get("Target", ""))
        out.append(Rel(el.get("Id", ""), el.get("Type", ""), target, el))
    return out


def main_part(read: Callable[[str], bytes | None]) -> str:
    """The workbook part, as the package's relationships name it."""
    for rel in relationships(read("_rels/.rels"), ""):
        if rel.type == OFFICE_DOC_REL and rel.target:
            return rel.target
    return "xl/workbook.xml"


def reachable(read: Callable[[str], bytes | None], exists: Callable[[str], bool]) -> set[str]:
    """Every part reached from the package's relationships (with their own .rels parts)."""
    seen: set[str] = set()
    todo = [""]
    while todo:
        part = todo.pop()
        rels = rels_of(part)
        if not exists(rels):
            continue
        seen.add(rels)
        for rel in relationships(read(rels), part):
            if rel.target and rel.target not in seen and exists(rel.target):
                seen.add(rel.target)
                todo.append(rel.target)
    return seen
