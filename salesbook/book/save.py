"""Saving that never loses a user's data.

Every save goes to a temporary file in the destination folder and is renamed over the target only
when complete (``os.replace`` is atomic on POSIX and Windows), so a crash or ``kill -9`` leaves either
the old file or the new one, never half of one.  Outputs are grafted into a copy of the user's
workbook part by part (``graft``); the copy is still inventoried before and after, and an in-place
update that would lose anything is refused.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd

from salesbook.book.graft import graft_outputs
from salesbook.book.ooxml import changed_parts, feature_inventory, label_zh, losses
from salesbook.errors import InputError, SalesbookError, problem

try:  # POSIX advisory locks; Windows falls back to O_EXCL lock files below
    import fcntl
except ImportError:  # pragma: no cover - not on Linux
    fcntl = None  # type: ignore[assignment]


class OutputBusy(SalesbookError):
    """Another salesbook process is writing the same output file right now."""


@dataclass
class SaveReport:
    path: Path
    not_carried: list[str] = field(default_factory=list)  # features the new copy lacks (input untouched)
    notes: list[str] = field(default_factory=list)  # located adaptations, e.g. text cut to Excel's cell limit


@contextlib.contextmanager
def output_lock(dest: Path) -> Iterator[None]:
    """Serialise writers of one output path; a second writer is refused, not queued silently."""
    lock_path = dest.with_name(f".{dest.name}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise OutputBusy(f"another salesbook run is writing {dest.name}; try again when it finishes") from exc
        yield
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(lock_path)


def atomic_write(dest: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` then rename into place; the temp file is removed on any failure."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.stem}.", suffix=dest.suffix + ".tmp", dir=dest.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, _target_mode(dest))
        write(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(dest.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    return dest


def _target_mode(dest: Path) -> int:
    """Keep an existing file's permissions; new files get the usual 0666 minus the umask."""
    try:
        return dest.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def save_workbook(wb: openpyxl.Workbook, dest: str | Path) -> Path:
    return atomic_write(dest, lambda tmp: wb.save(tmp))


def _excel_has_it_open(path: Path) -> bool:
    return path.with_name("~$" + path.name).exists()


def write_outputs(source: str | Path, outputs: Mapping[str, pd.DataFrame], dest: str | Path | None = None,
                  *, lang: str = "en", in_place: bool = False) -> SaveReport:
    """Copy ``source`` with the output tables (``Out_*`` sheets) replaced, to ``dest`` or in place.

    The copy is grafted part by part (see ``graft``), so nothing of the user's is re-written; the feature
    inventory before and after is still compared, and an in-place update that would lose anything is
    refused.  In place is also refused while Excel has the file open.
    """
    source = Path(source)
    if in_place:
        dest = source
    elif dest is None:
        dest = source.with_name(f"{source.stem}_computed{source.suffix}")
    dest = Path(dest)
    if not in_place and dest.resolve() == source.resolve():
        raise InputError(problem(
            "the output file is the input file; choose another --out, or use --in-place to update it.",
            "输出文件与输入文件相同；请指定其他 --out，或使用 --in-place 原地更新。"))
    if in_place and _excel_has_it_open(source):
        raise InputError(problem(
            "'{file}' is open in Excel (lock file ~${file} exists); close it first.",
            "“{file}”正在 Excel 中打开（存在锁文件 ~${file}）；请先关闭。", file=source.name))
    if dest.suffix.lower() != source.suffix.lower():
        raise InputError(problem("the output must have the same file type as the input ({ext}).",
                                 "输出文件类型须与输入一致（{ext}）。", ext=source.suffix))
    report = SaveReport(path=dest)

    def write(tmp: Path) -> None:
        grafted = graft_outputs(source, outputs, tmp, lang=lang)
        changed = changed_parts(str(source), str(tmp))
        lost = losses(feature_inventory(str(source), only_parts=changed),
                      feature_inventory(str(tmp), only_parts=changed, stand_ins=grafted.generated))
        if lost and in_place:
            raise InputError(problem(
                "updating '{file}' in place would lose: {lost}. Nothing was changed; run without --in-place "
                "to write the results to a new workbook.",
                "原地更新“{file}”会丢失：{lost_zh}。文件未作任何修改；请去掉 --in-place，将结果写入新工作簿。",
                file=source.name, lost="; ".join(lost), lost_zh="；".join(label_zh(x) for x in lost)))
        report.not_carried = lost
        report.notes = grafted.notes

    with output_lock(dest):
        atomic_write(dest, write)
    return report
