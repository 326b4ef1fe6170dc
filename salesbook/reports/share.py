"""``salesbook report --protect``: each recipient's reviews as a PDF only their password opens, and a send list.

The reviews are rendered as in any batch (local processes or a Dask cluster), but the plain PDFs stay in
this process's memory: only the encrypted files are written, and passwords never travel to a worker.
HTML is not written at all: a web page cannot carry a password, and a password-protected zip is either
ZipCrypto (broken by known-plaintext attacks) or AES, which the zip tools built into Windows and macOS do
not open; the PDF holds the same review.

The send list (who, where, which files, the generated password) goes beside the reviews' folder, never
into it or its zip, so the folder can be mailed from without sending the passwords along with it.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from salesbook.book.recipients import check_recipients
from salesbook.book.sendlist import write_send_list
from salesbook.errors import InputError, Locator, Problem, problem
from salesbook.messages import Count, Words, plural
from salesbook.reports.api import batch_fonts
from salesbook.reports.batch import (
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
from salesbook.reports.context import ReviewData, build_context, load_review_data, period_for, region_context
from salesbook.reports.packs import PACK_PERS, Pack, make_packs
from salesbook.reports.passwords import PasswordMaker
from salesbook.reports.periods import Period
from salesbook.reports.protect import Part, encrypt_pdf, pack_pdf
from salesbook.reports.recipients import Recipient, resolve_recipients, text_of
from salesbook.reports.sendrows import send_rows
from salesbook.reports.templates import template_files

SEND_LIST_NAME = {"en": "send-list-KEEP-PRIVATE", "zh": "发送清单-含密码-勿外发"}


@dataclass
class ProtectedResult(BatchResult):
    send_list: tuple[Path, ...] = ()
    recipients: int = 0

    def summary(self, lang: str | None = None) -> str:
        """How many files were made (of how many planned), what failed, and where the send list is; never a
        password."""
        lang = lang or self.lang
        made, planned = len(self.files), self.reviews
        if lang == "zh":
            lines = [f"已生成 {made}/{planned} 个加密文件，收件人 {self.recipients} 人，每人一个密码，用时 {self.seconds:.1f} 秒。"]
            if self.failures:
                lines += [f"失败 {len(self.failures)} 项："] + [f"  {f.text(lang)}" for f in self.failures]
        else:
            lines = [f"{made} of {plural(planned, 'protected file', 'protected files')} written for "
                     f"{plural(self.recipients, 'recipient', 'recipients')}, one password each, in {self.seconds:.1f} s."]
            if self.failures:
                lines += [f"{len(self.failures)} failed:"] + [f"  {f.text(lang)}" for f in self.failures]
        if self.send_list:
            shown = ("、" if lang == "zh" else ", ").join(str(p) for p in self.send_list)
            lines.append(f"发送清单（含自动生成的密码，请妥善保管，切勿随报告发出）：{shown}" if lang == "zh" else
                         f"Send list (holds the generated passwords: keep it private, never send it with the reviews): "
                         f"{shown}")
        return "\n".join(lines)


# -- arguments ---------------------------------------------------------------------------------------
def send_list_paths(out: Path, send_list: str | Path | None, lang: str) -> tuple[Path, Path]:
    """(xlsx, csv) of the send list: beside the folder by default, never inside it."""
    if send_list is None:
        base = out.resolve().parent / f"{out.resolve().name}-{SEND_LIST_NAME[lang]}"
        return base.with_name(base.name + ".xlsx"), base.with_name(base.name + ".csv")
    xlsx = Path(send_list)
    if xlsx.suffix.lower() != ".xlsx":
        raise InputError(problem("--send-list must name an .xlsx file (the .csv is written beside it), not '{v}'.",
                                 "--send-list 须为 .xlsx 文件（.csv 写在其旁边），而不是“{v}”。", v=str(send_list)))
    folder = out.resolve()
    if folder == xlsx.resolve().parent or folder in xlsx.resolve().parents:
        raise InputError(problem(
            "the send list '{v}' would be inside the reviews' folder '{out}' and could be sent out with the reviews: "
            "put it elsewhere.",
            "发送清单“{v}”位于报告文件夹“{out}”之内，可能随报告一起被发出：请放到别处。", v=str(send_list), out=str(out)))
    return xlsx, xlsx.with_suffix(".csv")


def _check(per: str, formats: Sequence[str] | None, templates_dir: str | Path | None, lang: str | None) -> tuple[str, ...]:
    problems: list[Problem] = []
    if per == "company":
        problems.append(problem("--protect makes files for people: the company review has no one person to open it; "
                                "use --per rep, region or manager.",
                                "--protect 为个人生成文件：公司报告没有对应的个人，无法加密；请用 --per rep、region 或 manager。"))
    elif per not in PACK_PERS:
        problems.append(problem("--per must be rep, region or manager with --protect (got '{v}').",
                                "使用 --protect 时 --per 只能是 rep、region 或 manager（收到“{v}”）。", v=per))
    wanted = tuple(dict.fromkeys(f.strip().lower() for f in (formats or ("pdf",)) if f.strip())) or ("pdf",)
    if "html" in wanted:
        problems.append(problem(
            "--protect writes PDF only: an HTML file cannot carry a password (and a password zip is either weak or "
            "does not open with the zip tools built into Windows and macOS); use --format pdf.",
            "--protect 只生成 PDF：HTML 文件无法设置密码（加密压缩包要么强度不足，要么 Windows 和 macOS 自带的解压工具打不开）；"
            "请使用 --format pdf。"))
    elif wanted != ("pdf",):
        problems.append(problem("--format must be pdf with --protect (got '{v}').",
                                "使用 --protect 时 --format 只能是 pdf（收到“{v}”）。", v=",".join(wanted)))
    if templates_dir is not None and not Path(templates_dir).is_dir():
        problems.append(problem("templates folder '{v}' does not exist.", "模板文件夹“{v}”不存在。", v=str(templates_dir)))
    if lang not in (None, "en", "zh"):
        problems.append(problem("--lang must be en or zh.", "--lang 只能是 en 或 zh。"))
    if problems:
        raise InputError(problems)
    return ("pdf",)


def _opens_without_password(name: str, blob: bytes) -> bool:
    """A review file anyone can read: HTML, a PDF that opens with no password (unencrypted, or restricted by an
    owner password only), or a zip holding such a file (an earlier unprotected run's --zip)."""
    import pikepdf

    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in ("html", "htm"):
        return True
    if suffix == "pdf":
        try:
            with pikepdf.Pdf.open(io.BytesIO(blob)):
                return True
        except pikepdf.PasswordError:
            return False
        except pikepdf.PdfError:
            return True  # not readable as a PDF here; whatever it is, it is not protected by us
    if suffix == "zip":
        try:
            with zipfile.ZipFile(io.BytesIO(blob)) as zf:
                return any(_opens_without_password(n, zf.read(n)) for n in zf.namelist()
                           if n.lower().endswith((".html", ".htm", ".pdf")))
        except zipfile.BadZipFile:
            return True
    return False


def _unprotected(out: Path) -> list[str]:
    """Review files already in the folder that anyone could open."""
    if not out.is_dir():
        return []
    return [f.name for f in sorted(out.iterdir())
            if f.is_file() and f.suffix.lower() in (".html", ".htm", ".pdf", ".zip")
            and _opens_without_password(f.name, f.read_bytes())]


def _check_folder(out: Path) -> None:
    plain = _unprotected(out)
    if plain:
        shown = ", ".join(plain[:3]) + (" ..." if len(plain) > 3 else "")
        raise InputError(problem(
            "the folder '{out}' already holds {n:file/files} anyone can open ({shown}): a protected run writes into a "
            "folder without them, so that no unprotected review is sent by mistake. Use another --out, or remove them.",
            "文件夹“{out}”中已有 {n} 个任何人都能打开的文件（{shown}）：受保护的运行只写入没有此类文件的文件夹，"
            "以免误发未加密的报告。请换一个 --out，或删除这些文件。", out=str(out), n=Count(len(plain)), shown=shown))


# -- the run -----------------------------------------------------------------------------------------
_KIND = {"rep": ("rep", "代表"), "region": ("region", "区域"), "manager": ("manager", "经理")}


def _label(kind: str, key: str) -> Words:
    en, zh = _KIND[kind]
    return Words(f"{en} {key}", f"{zh} {key}")


def _plan(data: ReviewData, packs: Sequence[Pack], when: Period, lang: str) -> tuple[list[Job], list[Failure]]:
    """One job per review that some pack holds, each rendered once however many packs hold it. A region review
    leaves out the pack owner's superiors (each region is in one pack at most: it has one manager)."""
    wanted = {("region", g): p.hidden for p in packs for g in p.regions}
    wanted.update({("rep", r): frozenset() for p in packs for r in p.reps})
    jobs, failures = [], []
    for (per, key), hidden in wanted.items():
        label = _label(per, key)
        try:
            ctx = (region_context(data, key, when, lang, leave_out=hidden) if per == "region"
                   else build_context(data, per, key, when, lang))
        except Exception as exc:  # listed with the others; the packs needing it are not made
            failures.append(Failure(label, f"{type(exc).__name__}: {exc}"))
            continue
        jobs.append(Job(f"{per}:{key}", label, ctx))
    return jobs, failures


def _render(jobs: list[Job], spec: RenderSpec, workers: int | None, scheduler: str | None, progress: bool,
            lang: str) -> tuple[dict[str, bytes], list[Failure]]:
    """Each review's PDF bytes, kept in memory: nothing unencrypted is written."""
    n_workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
    chunks = chunked(jobs, 1 if scheduler else n_workers)
    runner = run_dask(chunks, spec, scheduler) if scheduler else run_local(chunks, spec, min(n_workers, len(chunks)))
    rendered: dict[str, bytes] = {}
    failures: list[Failure] = []
    from tqdm import tqdm

    desc, unit = ("加密报告", "份") if lang == "zh" else ("protected reviews", "review")
    with tqdm(total=len(jobs), disable=not progress, unit=unit, desc=desc) as bar:
        for chunk, outcome in runner:
            if isinstance(outcome, BaseException):
                reason = f"{type(outcome).__name__}: {outcome}"
                failures.extend(Failure(j.label, Words(f"worker failed: {reason}", f"处理进程失败：{reason}"))
                                for j in chunk)
            else:
                labels = {j.name: j.label for j in chunk}
                for name, files in outcome:
                    if isinstance(files, str):
                        failures.append(Failure(labels[name], files))
                    else:
                        rendered[name] = files["pdf"]
            bar.update(len(chunk))
    return rendered, failures


def _stem(pack: Pack, data: ReviewData, when: Period, names: dict[str, str]) -> str:
    if pack.kind == "rep":
        return safe_stem("rep", pack.key, names.get(pack.key, ""), when.key)
    if pack.kind == "region":
        return safe_stem("pack", "region", pack.key, _region_name(data, pack.key), when.key)
    return safe_stem("pack", "manager", pack.key, names.get(pack.key, ""), when.key)


def _region_name(data: ReviewData, region: str) -> str:
    regions = data.tables.get("Regions")
    if regions is None or not len(regions):
        return ""
    match = regions.loc[regions["region_id"].astype(str) == region, "name"]
    return str(match.iloc[0]) if len(match) and text_of(match.iloc[0]) else ""


def _title(pack: Pack, data: ReviewData, when: Period, names: dict[str, str], lang: str) -> str:
    label = when.label(lang)
    if pack.kind == "region":
        name = _region_name(data, pack.key) or pack.key
        return f"{name} 区域报告包 · {label}" if lang == "zh" else f"{name} region pack · {label}"
    name = names.get(pack.key, pack.key)
    return f"{name} 团队报告包 · {label}" if lang == "zh" else f"{name} team pack · {label}"


def _make_file(pack: Pack, rendered: dict[str, bytes], recipient: Recipient, title: str) -> bytes:
    parts = [Part(f"region {g}", rendered[f"region:{g}"]) for g in pack.regions]
    parts += [Part(f"rep {r}", rendered[f"rep:{r}"]) for r in pack.reps]
    if pack.kind == "rep":
        return encrypt_pdf(parts[0].pdf, recipient.password)
    return pack_pdf(parts, recipient.password, title=title)


def _write(target: Path, blob: bytes) -> Path:
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(blob)
    os.replace(tmp, target)
    return target


def _seal(packs: Sequence[Pack], rendered: dict[str, bytes], recipients: dict[str, Recipient], data: ReviewData,
          when: Period, lang: str) -> tuple[dict[Pack, tuple[str, bytes]], list[Failure]]:
    """Each pack's encrypted file (name, bytes), in memory; a pack missing a review, or failing to encrypt, is
    listed as a failure and not made."""
    names = {str(r): text_of(n) or "" for r, n in zip(data.tables["Reps"]["rep_id"], data.tables["Reps"]["name"],
                                                   strict=True)}
    sealed: dict[Pack, tuple[str, bytes]] = {}
    failures: list[Failure] = []
    for pack in packs:
        en, zh = _KIND[pack.kind]
        label = _label(pack.kind, pack.key) if pack.kind == "rep" else Words(f"{en} {pack.key} pack",
                                                                               f"{zh} {pack.key} 报告包")
        lacking = [n for n in [f"region:{g}" for g in pack.regions] + [f"rep:{r}" for r in pack.reps]
                   if n not in rendered]
        if lacking:
            if pack.kind != "rep":  # a rep's own failure is listed already
                failures.append(Failure(label, Words(
                    "not made, since {} failed".format(", ".join(_label(*n.split(":", 1)) for n in lacking)),
                    "未生成，因为 {} 失败".format("、".join(_label(*n.split(":", 1)).zh for n in lacking)))))
            continue
        try:
            blob = _make_file(pack, rendered, recipients[pack.owner], _title(pack, data, when, names, lang))
        except Exception as exc:  # listed like a failed review; the message names no password
            failures.append(Failure(label, f"{type(exc).__name__}: {exc}"))
            continue
        sealed[pack] = (f"{_stem(pack, data, when, names)}.pdf", blob)
    return sealed, failures


def protect_reviews(data: ReviewData, out_dir: str | Path, *, per: str = "rep", formats: Sequence[str] | None = None,
                    period: str | None = None, workers: int | None = None, scheduler: str | None = None,
                    zip_output: bool = False, templates_dir: str | Path | None = None, lang: str | None = None,
                    creation_date: date | datetime | str | None = None, progress: bool = True,
                    send_list: str | Path | None = None, password_seed: int | None = None) -> ProtectedResult:
    """``build_protected`` on loaded data. ``password_seed`` repeats the generated passwords (tests only)."""
    start = timer()
    formats = _check(per, formats, templates_dir, lang)
    lang = lang or ("zh" if str(data.settings.get("language", "")).startswith("zh") else "en")
    out = Path(out_dir)
    xlsx, csv_path = send_list_paths(out, send_list, lang)
    _check_folder(out)
    locator: Locator = data.extras.get("locator") or Locator()
    packs, errors, notes = make_packs(per, data.tables)
    if errors:
        raise InputError(errors).located(locator)
    when = period_for(data, period)
    recipients, missing = resolve_recipients((p.owner for p in packs), data, PasswordMaker(password_seed))
    _, typed_notes = check_recipients(data.tables, locator.sheets, locator.headers)
    notes = [locator.locate(w) for w in [*typed_notes, *notes, *missing]]
    user_dir = str(Path(templates_dir).resolve()) if templates_dir else None
    jobs, failures = _plan(data, packs, when, lang)
    spec = RenderSpec(formats=formats, user_dir=user_dir, created=created_stamp(creation_date),
                      font_blobs=batch_fonts(jobs, user_dir, lang),
                      templates=tuple(sorted(template_files(user_dir).items())))
    out.mkdir(parents=True, exist_ok=True)
    rendered, render_failures = _render(jobs, spec, workers, scheduler, progress, lang)
    failures += render_failures
    sealed, seal_failures = _seal(packs, rendered, recipients, data, when, lang)
    failures += seal_failures
    made = {pack: out / name for pack, (name, _) in sealed.items()}
    result = ProtectedResult(reviews=len(packs), failures=failures, lang=lang, notes=notes,
                             recipients=len(recipients))
    if sealed:  # the send list first: if it cannot be written, no file exists whose password was lost
        result.send_list = write_send_list(send_rows(packs, made, recipients, when, lang), xlsx, csv_path, lang)
        for name, blob in sealed.values():
            _write(out / name, blob)
    result.files = sorted(made.values())
    if zip_output and result.files:
        result.zip_path = write_zip(result.files, out / safe_stem("reviews", per, "protected", when.key + ".zip"))
    result.seconds = timer() - start
    return result


def build_protected(book_path: str | Path, out_dir: str | Path, **options: Any) -> ProtectedResult:
    """Protected reviews from a computed workbook: every bad argument or input raises ``InputError`` before anything
    is written; a review that fails is listed, and the packs that need it are not made."""
    _check(options.get("per", "rep"), options.get("formats"), options.get("templates_dir"), options.get("lang"))
    notes: list = []
    data = load_review_data(book_path, notes, recipients=True)
    result = protect_reviews(data, out_dir, **options)
    result.notes = [*notes, *result.notes]
    return result
