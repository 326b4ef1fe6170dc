"""Batches of reviews: contexts built once in the caller, rendering fanned out to worker processes or
a Dask cluster, files written by the caller, failures collected instead of stopping the batch.

Each worker sets WeasyPrint up (fonts, stylesheet) once and reuses it for every review it renders: local
worker processes get the render spec (fonts included) once, when they start, and are then sent only
reviews, a few at a time, so what a review costs does not depend on how many there are. A chunk returns
the rendered bytes (or the reason a review failed), so the same code path serves local processes and
remote Dask workers that do not share our disk.
"""

from __future__ import annotations

import math
import os
import re
import time
import traceback
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from salesbook.errors import InputError, problem
from salesbook.messages import plural, resolve
from salesbook.reports.fonts import FontFiles
from salesbook.reports.timing import Phase, describe

FORMATS = ("pdf", "html")
PERS = ("rep", "region", "company", "scenarios")


@dataclass(frozen=True)
class Failure:
    review: str      # e.g. rep R0003
    reason: str      # one line: exception type and message

    def __str__(self) -> str:
        return f"{self.review}: {self.reason}"

    def text(self, lang: str) -> str:
        return f"{resolve(self.review, lang)}: {resolve(self.reason, lang)}"


@dataclass
class BatchResult:
    """What a batch produced: the files written, the reviews that failed and why, and timings."""

    files: list[Path] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    zip_path: Path | None = None
    reviews: int = 0
    seconds: float = 0.0
    notes: list = field(default_factory=list)  # warnings about the book (e.g. inputs changed since the run)
    lang: str = "en"          # the language the reviews were written in (the book's, unless --lang)
    phases: dict[str, Phase] = field(default_factory=dict)   # where the time went (``timing``)
    memory: tuple[float, float] | None = None   # peak MB of the caller and of its largest worker, at the end

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self, lang: str | None = None) -> str:
        lang = lang or self.lang
        done = self.reviews - len(self.failures)
        if lang == "zh":
            head = f"已生成 {done}/{self.reviews} 份报告，共 {len(self.files)} 个文件，用时 {self.seconds:.1f} 秒。"
            tail = [f"失败 {len(self.failures)} 份："] + [f"  {f.text(lang)}" for f in self.failures] if self.failures else []
        else:
            head = (f"{done} of {plural(self.reviews, 'review', 'reviews')} written as "
                    f"{plural(len(self.files), 'file', 'files')} in {self.seconds:.1f} s.")
            tail = [f"{len(self.failures)} failed:"] + [f"  {f.text(lang)}" for f in self.failures] if self.failures else []
        return "\n".join([head, *tail])

    def timings(self, lang: str | None = None) -> str:
        """Where the time went, phase by phase (wall and CPU seconds, workers' included)."""
        return describe(self.phases, lang or self.lang, self.memory)


@dataclass(frozen=True)
class RenderSpec:
    """Everything a worker needs besides the contexts; small and picklable."""

    formats: tuple[str, ...]
    user_dir: str | None
    created: str
    font_blobs: tuple[tuple[str, bytes], ...] = ()   # (file name, bytes) of the subset fonts
    default_path: bool = False
    templates: tuple[tuple[str, str], ...] = ()      # (name, source) of every template file, override applied


@dataclass(frozen=True)
class Job:
    name: str                 # file stem
    label: str                # for failure messages
    context: dict[str, Any]


# -- worker side ---------------------------------------------------------------------------------
_FONTS: dict[tuple[tuple[str, bytes], ...], FontFiles | None] = {}


def _worker_fonts(spec: RenderSpec) -> FontFiles | None:
    """Materialise the shipped fonts in this worker's cache folder (once per process)."""
    if spec.font_blobs in _FONTS:
        return _FONTS[spec.font_blobs]
    from salesbook.reports.fonts import cache_dir

    paths = []
    for name, blob in spec.font_blobs:
        target = cache_dir() / name
        if not target.is_file() or target.stat().st_size != len(blob):
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(blob)
            os.replace(tmp, target)
        paths.append(target)
    fonts = FontFiles(paths[0], paths[1]) if len(paths) == 2 else None
    _FONTS[spec.font_blobs] = fonts
    return fonts


def render_chunk(jobs: Sequence[Job], spec: RenderSpec) -> list[tuple[str, dict[str, bytes] | str]]:
    """Render several reviews in this process; a failing review becomes its reason, the rest go on."""
    from salesbook.reports import pdf
    from salesbook.reports.pdf import PdfOptions, renderer
    from salesbook.reports.templates import pdf_source, render_html, use_shipped

    # Render what the caller sees, even on a worker that lacks its --templates folder or has an older copy.
    if spec.templates and use_shipped(spec.user_dir, dict(spec.templates)):
        pdf.forget_renderers()
    options = PdfOptions(fonts=_worker_fonts(spec), user_dir=spec.user_dir, default_path=spec.default_path)
    out: list[tuple[str, dict[str, bytes] | str]] = []
    for job in jobs:
        try:
            files: dict[str, bytes] = {}
            if "html" in spec.formats:
                files["html"] = render_html(job.context, user_dir=spec.user_dir, created=spec.created).encode("utf-8")
            if "pdf" in spec.formats:
                html, charts = pdf_source(job.context, user_dir=spec.user_dir, created=spec.created)
                files["pdf"] = renderer(options).render(html, charts, job.context.get("lang", "en"))
            out.append((job.name, files))
        except Exception as exc:  # one bad review must not sink the batch: report it and go on
            out.append((job.name, _reason(exc)))
    return out


def _reason(exc: BaseException) -> str:
    if isinstance(exc, InputError):
        return exc.render("en")
    where = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    at = f" (at {Path(where[0].filename).name}:{where[0].lineno})" if where else ""
    return f"{type(exc).__name__}: {exc}{at}"


# -- caller side ---------------------------------------------------------------------------------
def safe_stem(*parts: str) -> str:
    """File-name-safe, still readable (Chinese names kept): anything else becomes '_'."""
    text = "_".join(p for p in parts if p)
    text = re.sub(r"[^\w\-.]+", "_", text, flags=re.UNICODE).strip("._")
    return text[:80] or "review"


def chunked(jobs: Sequence[Job], workers: int, most: int = 4) -> list[list[Job]]:
    """A few reviews per chunk: the set-up is per worker, not per chunk, so chunks need only be big enough
    to make the hand-over cheap and small enough that no worker is left finishing a long chunk alone."""
    size = max(1, min(most, math.ceil(len(jobs) / max(workers * 8, 1))))
    return [list(jobs[i:i + size]) for i in range(0, len(jobs), size)]


def run_local(chunks: list[list[Job]], spec: RenderSpec, workers: int) -> Iterator[tuple[list[Job], Any]]:
    """Yield (chunk, results or exception) as chunks finish, on ``workers`` processes (1 = in process)."""
    if workers <= 1:
        for chunk in chunks:
            try:
                yield chunk, render_chunk(chunk, spec)
            except Exception as exc:
                yield chunk, exc
        return
    import gc
    import multiprocessing as mp

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    if ctx is not None and "pdf" in spec.formats and not spec.default_path:
        _preload()
    # Forked workers inherit the caller's whole heap (the workbook's tables). Freezing it first keeps the
    # workers' garbage collector from walking -- and so copying -- those pages again and again while
    # WeasyPrint churns through millions of small objects.
    gc.collect()
    gc.freeze()
    try:
        yield from _pool(chunks, spec, workers, ctx)
    finally:
        gc.unfreeze()


def _preload() -> None:
    """Import WeasyPrint here, before the workers fork, so each inherits it instead of importing it
    again (about 0.4 s of CPU per worker)."""
    from salesbook.reports import pdf  # noqa: F401 - imported for the workers


_SPEC: RenderSpec | None = None   # a local worker's spec, received once when it starts


def _worker_init(spec: RenderSpec | None = None) -> None:
    """Keep the batch's spec (fonts, templates) for every chunk this worker renders, and collect young
    objects less often, only in our own worker processes, never in a caller's. Layout itself runs with
    collection paused (``pdf.collect_once``); this threshold covers the rest of a worker's work
    (templates, charts). Before that pause existed, it took collection from about a tenth of each
    review's CPU time to 26 ms per review."""
    import gc

    global _SPEC
    _SPEC = spec
    gc.set_threshold(20_000, 20, 20)


def _render_here(jobs: Sequence[Job]) -> list[tuple[str, dict[str, bytes] | str]]:
    """``render_chunk`` with the spec this worker was started with."""
    assert _SPEC is not None
    return render_chunk(jobs, _SPEC)


def _pool(chunks: list[list[Job]], spec: RenderSpec, workers: int, ctx: Any) -> Iterator[tuple[list[Job], Any]]:
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init,
                             initargs=(spec,)) as pool:
        pending = {pool.submit(_render_here, chunk): chunk for chunk in chunks}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                chunk = pending.pop(fut)
                try:
                    yield chunk, fut.result()
                except (BrokenProcessPool, Exception) as exc:
                    yield chunk, exc


def run_dask(chunks: list[list[Job]], spec: RenderSpec, scheduler: str) -> Iterator[tuple[list[Job], Any]]:
    """The same chunks on a Dask distributed cluster; the spec (fonts included) is sent to workers once."""
    from salesbook.extras import require

    require("dask")
    from distributed import Client, as_completed
    with Client(scheduler, timeout="30s") as client:
        [spec_future] = client.scatter([spec], broadcast=True)
        futures = {client.submit(render_chunk, chunk, spec_future, pure=False): chunk for chunk in chunks}
        for fut in as_completed(list(futures)):
            chunk = futures[fut]
            try:
                yield chunk, fut.result()
            except Exception as exc:
                yield chunk, exc


def write_zip(files: Iterable[Path], target: Path) -> Path:
    """A zip with fixed timestamps and order, so the same reviews give the same archive."""
    tmp = target.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(files, key=lambda p: p.name):
            info = zipfile.ZipInfo(f.name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, f.read_bytes())
    os.replace(tmp, target)
    return target


def created_stamp(creation_date: date | datetime | str | None) -> str:
    """W3C date-time for the PDF metadata; pin it for byte-identical output."""
    if creation_date is None:
        return datetime.now(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(creation_date, str):
        text = creation_date.strip()
        try:
            creation_date = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError as exc:
            raise InputError(problem("creation date '{d}' is not a date like 2026-04-01 or 2026-04-01T09:00:00Z.",
                                     "创建日期“{d}”格式不正确，应为 2026-04-01 或 2026-04-01T09:00:00Z。", d=text)) from exc
    if isinstance(creation_date, datetime):
        dt = creation_date if creation_date.tzinfo else creation_date.replace(tzinfo=UTC)
        return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{creation_date.isoformat()}T00:00:00Z"


def timer() -> float:
    return time.perf_counter()
