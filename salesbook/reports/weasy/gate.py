"""Which seams run in this process: each only where the versions it reaches into were verified.

A seam whose WeasyPrint, pydyf or Python is not one of ``versions.VERIFIED`` stays off and the renderer
does that part the plain WeasyPrint way (the same reviews, more slowly); the first time that happens in a
process, one line on stderr says so. ``plain()`` and the environment variable ``SALESBOOK_PLAIN_WEASYPRINT``
("1" for all, or seam names separated by commas) turn seams off on purpose, for comparisons and
measurements. Nothing here imports WeasyPrint until a seam is installed.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from salesbook.reports.weasy import versions

ENV = "SALESBOOK_PLAIN_WEASYPRINT"


@dataclass(frozen=True)
class Seam:
    name: str
    needs: tuple[str, ...]      # keys of versions.VERIFIED
    patches: bool = False       # a process-wide change with install()/uninstall(); else the renderer asks on()


SEAMS = (
    Seam("svgtext", ("weasyprint",), patches=True),
    Seam("stylelookup", ("weasyprint",), patches=True),
    Seam("pdfzip", ("pydyf",), patches=True),
    Seam("keeplayout", ("weasyprint",), patches=True),
    Seam("usedvalues", ("weasyprint",), patches=True),
    Seam("htmltree", ("weasyprint",)),
    Seam("uasheet", ("weasyprint",)),       # rides on htmltree: off with it
    Seam("pdfid", ("weasyprint", "pydyf")),
    Seam("framestack", ("python",)),
    Seam("compiled", ("weasyprint", "pydyf", "python")),   # decided at start-up: see compiled.py
)
NAMES = tuple(seam.name for seam in SEAMS)


@dataclass(frozen=True)
class State:
    on: frozenset[str]                       # the seams in use
    unverified: dict[str, str | None]        # package -> installed version not in VERIFIED
    blocked: tuple[str, ...]                 # off because of those versions
    refused: tuple[str, ...] = ()            # verified, but the installed code was not shaped as expected


_state: State | None = None
_forced: list[frozenset[str]] = []          # plain() blocks, innermost last
_noticed = False


def env_off() -> frozenset[str]:
    """Seams the environment turns off."""
    value = os.environ.get(ENV, "").strip().lower()
    if value in ("", "0", "no", "false"):
        return frozenset()
    if value in ("1", "yes", "true", "all"):
        return frozenset(NAMES)
    names = frozenset(v.strip() for v in value.split(",") if v.strip())
    unknown = sorted(names - set(NAMES))
    if unknown:
        raise ValueError(f"{ENV}={value!r}: no seam named {', '.join(unknown)} (seams: {', '.join(NAMES)})")
    return names


def wanted() -> State:
    """The seams the versions and the switches allow, before anything is installed."""
    bad = versions.unverified()
    off = env_off().union(*_forced)
    blocked = tuple(s.name for s in SEAMS if any(n in bad for n in s.needs))
    on = frozenset(s.name for s in SEAMS if s.name not in blocked and s.name not in off)
    if "htmltree" not in on:
        on -= {"uasheet"}
    return State(on=on, unverified=bad, blocked=blocked)


def apply() -> State:
    """Install the seams allowed now and take out the others (process-wide); returns what is in use."""
    global _state
    state = wanted()
    refused = []
    for seam in SEAMS:
        if not seam.patches:
            continue
        module = importlib.import_module(f"salesbook.reports.weasy.{seam.name}")
        if seam.name not in state.on:
            module.uninstall()
        elif not module.install():
            refused.append(seam.name)
    _state = State(on=state.on - set(refused), unverified=state.unverified, blocked=state.blocked,
                   refused=tuple(refused))
    return _state


def on(name: str) -> bool:
    """Whether the renderer uses this seam now."""
    return name in (_state or apply()).on


@contextmanager
def plain(*names: str) -> Iterator[None]:
    """The given seams (all when none are named) off while the block runs, then as before."""
    unknown = sorted(set(names) - set(NAMES))
    if unknown:
        raise ValueError(f"no seam named {', '.join(unknown)}")
    _forced.append(frozenset(names or NAMES))
    apply()
    try:
        yield
    finally:
        _forced.pop()
        apply()


def notice(lang: str = "en") -> None:
    """Say once per process, on one line of stderr, which seams the installed versions keep off."""
    global _noticed
    if _noticed:
        return
    state = wanted()   # the versions as they are now (a renderer set up earlier may have seen others)
    refused = _state.refused if _state is not None else ()
    if not state.blocked and not refused:
        return
    _noticed = True
    found = [f"{versions.LABELS[p]} {v or '?'}" for p, v in state.unverified.items()]
    checked = [f"{versions.LABELS[p]} {'/'.join(versions.VERIFIED[p])}" for p in state.unverified]
    off, off_zh = ", ".join((*state.blocked, *refused)), "、".join((*state.blocked, *refused))
    if not state.unverified:   # verified versions whose code still was not what a seam expects
        _say(f"salesbook: the PDF renderer's shortcuts {off} do not fit the installed WeasyPrint; it renders "
             "those parts the plain WeasyPrint way (same reviews, slower).",
             f"salesbook：PDF 渲染的加速部分 {off_zh} 与已安装的 WeasyPrint 不符，这些部分改用原版 WeasyPrint"
             "（报告内容相同，速度较慢）。", lang)
        return
    _say(f"salesbook: the PDF renderer's shortcuts were verified on {', '.join(checked)}, not on the installed "
         f"{', '.join(found)}; off: {off}; those parts render the plain WeasyPrint way (same reviews, slower).",
         f"salesbook：PDF 渲染的加速部分只在 {'、'.join(checked)} 上验证过，未在已安装的 {'、'.join(found)} 上验证，"
         f"已关闭 {off_zh}；这些部分改用原版 WeasyPrint（报告内容相同，速度较慢）。", lang)

def _say(msg_en: str, msg_zh: str, lang: str) -> None:
    print(msg_zh if lang == "zh" else msg_en, file=sys.stderr, flush=True)
