"""``build_reports``: the library call behind ``salesbook report`` (the CLI is a thin shell over it)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from salesbook.errors import InputError, problem
from salesbook.messages import Words
from salesbook.reports import fonts as fontlib
from salesbook.reports import weasy
from salesbook.reports.batch import (
    FORMATS,
    PERS,
    BatchResult,
    Failure,
    Job,
    RenderSpec,
    chunked,
    created_stamp,
    run_dask,
    run_local,
    safe_stem,
    timer,
    write_zip,
)
from salesbook.reports.context import ReviewData, build_context, load_review_data, period_for, review_keys
from salesbook.reports.formatting import FORMAT_CHARS
from salesbook.reports.templates import labels, template_files
from salesbook.reports.timing import Phase, peak_memory, timed


def build_reports(book_path: str | Path, out_dir: str | Path, *, per: str = "rep",
                  formats: Sequence[str] = ("pdf", "html"), period: str | None = None, workers: int | None = None,
                  scheduler: str | None = None, zip_output: bool = False, templates_dir: str | Path | None = None,
                  lang: str | None = None, creation_date: date | datetime | str | None = None,
                  progress: bool = True) -> BatchResult:
    """Write one review per rep, region or the company from a computed workbook.

    Bad arguments or a bad workbook raise ``InputError`` before anything is written; a review that fails
    while rendering is listed in ``BatchResult.failures`` and the others are still written.
    """
    notes: list = []
    phases: dict[str, Phase] = {}
    with timed(phases, "read"):
        data = load_review_data(book_path, notes, per=per if per in PERS else None,
                                parallel=scheduler is None and (workers is None or workers > 1))
    result = render_reviews(data, out_dir, per=per, formats=formats, period=period, workers=workers,
                            scheduler=scheduler, zip_output=zip_output, templates_dir=templates_dir, lang=lang,
                            creation_date=creation_date, progress=progress)
    result.notes = notes
    result.phases = {**phases, **result.phases}
    return result


def _check(per: str, formats: Sequence[str], templates_dir: str | Path | None, lang: str | None) -> None:
    problems = []
    if per not in PERS:
        problems.append(problem("--per must be rep, region, company or scenarios (got '{v}').",
                                "--per 只能是 rep、region、company 或 scenarios（收到“{v}”）。", v=per))
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        problems.append(problem("--format must be pdf, html or both (got '{v}').",
                                "--format 只能是 pdf、html 或两者（收到“{v}”）。", v=",".join(formats)))
    if templates_dir is not None and not Path(templates_dir).is_dir():
        problems.append(problem("templates folder '{v}' does not exist.", "模板文件夹“{v}”不存在。", v=str(templates_dir)))
    if lang not in (None, "en", "zh"):
        problems.append(problem("--lang must be en or zh.", "--lang 只能是 en 或 zh。"))
    if problems:
        raise InputError(problems)


def plan(data: ReviewData, per: str, period: str | None, lang: str) -> tuple[list[Job], list[Failure]]:
    """One job per review; a review whose context cannot be built is a failure, not the end."""
    when = period_for(data, period)
    jobs, failures = [], []
    for key in review_keys(data, per):
        label = Words(f"{_PER_WORDS['en'][per]} {key}".strip(), f"{_PER_WORDS['zh'][per]} {key}".strip())
        try:
            ctx = build_context(data, per, key, when, lang)
        except Exception as exc:  # report it with the others and carry on
            failures.append(Failure(label, f"{type(exc).__name__}: {exc}"))
            continue
        one = per in ("company", "scenarios")   # one review of the whole book: no key or name in the file name
        name = ctx["subject"]["name"] if not one else ""
        stem = safe_stem(per, key if not one else "", name, when.key)
        jobs.append(Job(stem, label, ctx))
    return jobs, failures


_PER_WORDS = {"en": {"rep": "rep", "region": "region", "company": "company", "scenarios": "scenario comparison"},
              "zh": {"rep": "代表", "region": "区域", "company": "公司", "scenarios": "方案模拟"}}
_BAR_WORDS = {"en": ("{per} reviews", "review"), "zh": ("{per}报告", "份")}


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def batch_fonts(jobs: Sequence[Job], templates_dir: str | None, lang: str) -> tuple[tuple[str, bytes], ...]:
    """The subset fonts covering every character this batch can print, as (name, bytes) to ship."""
    texts: list[str] = [FORMAT_CHARS, *labels(templates_dir, lang).values()]
    texts += [text for name, text in template_files(templates_dir).items() if name.endswith(".html")]
    for job in jobs:
        texts.extend(_strings(job.context))
    files = fontlib.ensure_fonts(fontlib.charset(texts))
    if files is None:
        return ()
    return tuple((p.name, p.read_bytes()) for p in (files.regular, files.bold))


def render_reviews(data: ReviewData, out_dir: str | Path, *, per: str = "rep", formats: Sequence[str] = ("pdf", "html"),
                   period: str | None = None, workers: int | None = None, scheduler: str | None = None,
                   zip_output: bool = False, templates_dir: str | Path | None = None, lang: str | None = None,
                   creation_date: date | datetime | str | None = None, progress: bool = True,
                   default_path: bool = False) -> BatchResult:
    """``build_reports`` on already loaded data (the benchmark reuses one load for several runs)."""
    start = timer()
    if isinstance(formats, str):  # "pdf,html" straight from the command line
        formats = formats.split(",")
    formats = tuple(dict.fromkeys(f.strip().lower() for f in formats if f.strip()))
    _check(per, formats, templates_dir, lang)
    user_dir = str(Path(templates_dir).resolve()) if templates_dir else None
    lang = lang or ("zh" if str(data.settings.get("language", "")).startswith("zh") else "en")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if "pdf" in formats and not default_path:
        weasy.notice(lang)   # here, before the workers start: one line for the batch, in its language
    phases: dict[str, Phase] = {}
    with timed(phases, "contexts"):
        jobs, failures = plan(data, per, period, lang)
    with timed(phases, "fonts"):
        blobs = batch_fonts(jobs, user_dir, lang) if "pdf" in formats and not default_path else ()
    spec = RenderSpec(formats=formats, user_dir=user_dir, created=created_stamp(creation_date), font_blobs=blobs,
                      default_path=default_path, templates=tuple(sorted(template_files(user_dir).items())))
    n_workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
    chunks = chunked(jobs, 1 if scheduler else n_workers)
    runner = run_dask(chunks, spec, scheduler) if scheduler else run_local(chunks, spec, min(n_workers, len(chunks)))
    result = BatchResult(reviews=len(jobs) + len(failures), failures=failures, lang=lang, phases=phases)
    from tqdm import tqdm

    desc, unit = _BAR_WORDS["zh" if lang == "zh" else "en"]
    per_word = _PER_WORDS["zh" if lang == "zh" else "en"].get(per, per)
    with timed(phases, "render"), \
            tqdm(total=len(jobs), disable=not progress, unit=unit, desc=desc.format(per=per_word)) as bar:
        for chunk, outcome in runner:
            if isinstance(outcome, BaseException):
                reason = f"{type(outcome).__name__}: {outcome}"
                failed = Words(f"worker failed: {reason}", f"处理进程失败：{reason}")
                result.failures.extend(Failure(j.label, failed) for j in chunk)
            else:
                labels_by_name = {j.name: j.label for j in chunk}
                for name, files in outcome:
                    if isinstance(files, str):
                        result.failures.append(Failure(labels_by_name[name], files))
                        continue
                    with timed(phases, "write"):
                        for fmt in formats:
                            result.files.append(_write(out / f"{name}.{fmt}", files[fmt]))
            bar.update(len(chunk))
    _apart(phases["render"], phases.get("write"))
    result.files.sort()
    with timed(phases, "write"):
        if zip_output and result.files:
            result.zip_path = write_zip(result.files, out / safe_stem("reviews", per, period_for(data, period).key + ".zip"))
    result.seconds = timer() - start
    result.memory = peak_memory()
    return result


def _apart(render: Phase, write: Phase | None) -> None:
    """The files are written while the workers render: count that time as writing only."""
    if write is not None:
        render.wall = max(render.wall - write.wall, 0.0)
        render.cpu = max(render.cpu - write.cpu, 0.0)


def _write(target: Path, blob: bytes) -> Path:
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(blob)
    os.replace(tmp, target)
    return target
