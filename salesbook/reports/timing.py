"""Where a batch of reviews spent its time: wall and CPU seconds per phase (read, contexts, fonts, render,
write), so a slow batch can be explained part by part and a benchmark can compare two ways of running it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

try:  # POSIX: the CPU time of worker processes once they have exited
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]

PHASES = ("read", "contexts", "fonts", "render", "write")
_WORDS = {"en": {"read": "read", "contexts": "contexts", "fonts": "fonts", "render": "render", "write": "write"},
          "zh": {"read": "读取", "contexts": "上下文", "fonts": "字体", "render": "渲染", "write": "写文件"}}


@dataclass
class Phase:
    wall: float = 0.0       # seconds
    cpu: float = 0.0        # CPU seconds of this process
    workers: float = 0.0    # CPU seconds of worker processes that ended meanwhile


def cpu_now() -> tuple[float, float]:
    """(this process, its ended children) CPU seconds, user + system."""
    if resource is None:
        return time.process_time(), 0.0
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


@contextmanager
def timed(phases: dict[str, Phase], name: str) -> Iterator[None]:
    """Add the time the block takes to ``phases[name]`` (blocks of one phase may repeat)."""
    wall0, (cpu0, kids0) = time.perf_counter(), cpu_now()
    try:
        yield
    finally:
        cpu1, kids1 = cpu_now()
        phase = phases.setdefault(name, Phase())
        phase.wall += time.perf_counter() - wall0
        phase.cpu += cpu1 - cpu0
        phase.workers += kids1 - kids0


def peak_memory() -> tuple[float, float]:
    """(this process, its largest ended child process) peak resident memory in MB; 0 where unknown.

    On Linux this process's own high-water mark (VmHWM): ``ru_maxrss`` would also count what the process
    that started it held before the start (the mark survives exec). A forked worker's figure counts the
    pages it shares with this process."""
    own = 0.0
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            own = next((int(line.split()[1]) / 1024 for line in fh if line.startswith("VmHWM:")), 0.0)
    except OSError:
        pass
    if resource is None:
        return own, 0.0
    if not own:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def describe(phases: dict[str, Phase], lang: str, memory: tuple[float, float] | None = None) -> str:
    """One line: each phase's wall seconds, with the CPU seconds spent in it (workers' too), and the peak
    memory of this process and of its largest worker."""
    words = _WORDS["zh" if lang == "zh" else "en"]
    parts = []
    for name in [*PHASES, *(n for n in phases if n not in PHASES)]:
        p = phases.get(name)
        if p is None:
            continue
        cpu = p.cpu + p.workers
        if lang == "zh":
            workers = f"，其中子进程 {p.workers:.1f} 秒" if p.workers >= 0.05 else ""
            parts.append(f"{words.get(name, name)} {p.wall:.1f} 秒（CPU {cpu:.1f} 秒{workers}）")
        else:
            workers = f", workers {p.workers:.1f} s" if p.workers >= 0.05 else ""
            parts.append(f"{words.get(name, name)} {p.wall:.1f} s (CPU {cpu:.1f} s{workers})")
    if memory is not None and memory[0]:
        own, child = memory
        if lang == "zh":
            parts.append(f"内存峰值 {own:,.0f} MB" + (f"（最大子进程 {child:,.0f} MB）" if child else ""))
        else:
            parts.append(f"peak memory {own:,.0f} MB" + (f" (largest worker {child:,.0f} MB)" if child else ""))
    return ("用时：" + "，".join(parts)) if lang == "zh" else ("time: " + ", ".join(parts))
