"""Checks a workbook file must pass before any parser touches it.

An .xlsx is a zip of XML, so a hostile or broken file can be a zip bomb, an XML entity bomb, an
encrypted OLE container, or not a workbook at all.  Each case becomes a plain input problem.
Limits follow the spirit of Apache POI's ZipSecureFile (minimum inflate ratio, maximum entry size).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from salesbook.errors import InputError, problem

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_TOTAL_UNCOMPRESSED = 2 * 1024**3      # 2 GiB of XML is far beyond any real sales book
MAX_ENTRY_UNCOMPRESSED = 1 * 1024**3
MAX_RATIO = 200                           # POI's default minimum inflate ratio is 0.01 (=100x)
RATIO_APPLIES_ABOVE = 10 * 1024**2        # small parts compress very well legitimately
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


@dataclass(frozen=True)
class ZipSummary:
    parts: tuple[str, ...]
    uncompressed: int


def _fail(path: Path, en: str, zh: str, **params: object) -> InputError:
    return InputError(problem(en, zh, sheet=None, file=path.name, **params))


def check_workbook_file(path: str | Path) -> ZipSummary:
    """Raise InputError unless ``path`` looks like a safe, readable .xlsx/.xlsm."""
    path = Path(path)
    if not path.exists():
        raise _fail(path, "file '{file}' does not exist.", "文件“{file}”不存在。")
    if path.is_dir():
        raise _fail(path, "'{file}' is a folder, not a workbook.", "“{file}”是文件夹，不是工作簿。")
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == OLE_MAGIC:
        raise _fail(path, "'{file}' is password-protected or an old .xls file; save it as an unprotected .xlsx.",
                    "“{file}”设置了密码或是旧版 .xls 文件；请另存为无密码的 .xlsx。")
    if not zipfile.is_zipfile(path):
        raise _fail(path, "'{file}' is not an Excel .xlsx file (it may be damaged or renamed).",
                    "“{file}”不是 Excel .xlsx 文件（可能已损坏或被改了扩展名）。")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/workbook") for n in names):
                raise _fail(path, "'{file}' is a zip file but not an Excel workbook.",
                            "“{file}”是压缩包，但不是 Excel 工作簿。")
            total = 0
            for info in infos:
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > MAX_ENTRY_UNCOMPRESSED or total > MAX_TOTAL_UNCOMPRESSED or (
                        info.file_size > RATIO_APPLIES_ABOVE and ratio > MAX_RATIO):
                    raise _fail(path, "'{file}' expands to an implausible size (part {part}: {ratio:.0f}x); "
                                "refusing to open it.",
                                "“{file}”解压后体积异常（{part}：{ratio:.0f} 倍），拒绝打开。",
                                part=info.filename, ratio=ratio)
            for info in infos:
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    with zf.open(info) as fh:
                        head = fh.read(4096)
                    if _DOCTYPE.search(head):
                        raise _fail(path, "'{file}' contains an XML document type declaration in {part}; "
                                    "real workbooks never do, refusing to open it.",
                                    "“{file}”的 {part} 中含有 XML 文档类型声明（正常工作簿不会有），拒绝打开。",
                                    part=info.filename)
            bad = zf.testzip() if total < 64 * 1024**2 else None
            if bad is not None:
                raise _fail(path, "'{file}' is damaged (part {part} is corrupt).",
                            "“{file}”已损坏（{part} 部分出错）。", part=bad)
    except zipfile.BadZipFile as exc:
        raise _fail(path, "'{file}' is damaged: {err}.", "“{file}”已损坏：{err}。", err=str(exc)) from exc
    except (EOFError, OSError, zipfile.LargeZipFile) as exc:
        raise _fail(path, "'{file}' cannot be read: {err}.", "无法读取“{file}”：{err}。", err=str(exc)) from exc
    return ZipSummary(parts=tuple(sorted(names)), uncompressed=total)
