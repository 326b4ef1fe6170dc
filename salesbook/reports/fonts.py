"""A small CJK font, cut once from the system's Noto Sans CJK SC and cached, for fast PDF output.

Why: the Debian Noto CJK collection is ~19 MB per weight with ~65,000 glyphs. WeasyPrint subsets every
font it embeds, per document; with fontTools that takes seconds for such a font (and still tens of
milliseconds with HarfBuzz, plus a 200 KB CID table per PDF because glyph ids are retained). A batch
only ever prints the characters of its labels and its workbook's text, so we subset the big font once
to exactly those characters (a few hundred glyphs), cache the result under a key of the character set
and source font, and point the stylesheet's ``@font-face`` at it. Characters that are somehow missing
still fall back to the system font through the font-family list, so text is never lost, only slower.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

FAMILY = "SB CJK Sans"
_VERSION = "1"
_KNOWN = {
    "regular": ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"],
    "bold": ["/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
             "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc"],
}
# Always in the font: printable ASCII, Latin-1, the punctuation and symbols our formatting uses.
BASE_CHARS = "".join(chr(c) for c in range(0x20, 0x7F)) + "".join(chr(c) for c in range(0xA0, 0x100)) + \
    "–—‘’“”•…‰€₩₹¥£·、。，：；！？（）《》【】「」％－＋＝×÷→←↑↓◆■□●○▲△"


@dataclass(frozen=True)
class FontFiles:
    """The cached subset fonts of one batch: weight name -> file."""

    regular: Path
    bold: Path

    def css(self, url_for: callable) -> str:  # type: ignore[valid-type]
        return "".join(
            f'@font-face {{ font-family: "{FAMILY}"; src: url("{url_for(path)}"); font-weight: {weight}; }}\n'
            for path, weight in ((self.regular, 400), (self.bold, 700)))


def cache_dir() -> Path:
    """SALESBOOK_CACHE_DIR, else the user's cache folder (~/.cache/salesbook)."""
    root = os.environ.get("SALESBOOK_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "salesbook")
    return Path(root) / "fonts"


def find_source(weight: str) -> tuple[Path, int] | None:
    """The Simplified-Chinese face of Noto Sans CJK: via fontconfig, else the usual Debian paths."""
    pattern = f"Noto Sans CJK SC:style={'Bold' if weight == 'bold' else 'Regular'}"
    if shutil.which("fc-match"):
        try:
            out = subprocess.run(["fc-match", "-f", "%{file}\n%{index}\n%{family}", pattern], capture_output=True,
                                 text=True, timeout=20, check=False).stdout.split("\n")
            if len(out) >= 3 and "CJK" in out[2] and Path(out[0]).is_file():
                return Path(out[0]), int(out[1] or 0)
        except (OSError, ValueError, subprocess.SubprocessError):
            pass
    for candidate in _KNOWN[weight]:
        if Path(candidate).is_file():
            return Path(candidate), _sc_index(Path(candidate))
    return None


def _sc_index(path: Path) -> int:
    from fontTools.ttLib import TTCollection

    for i, font in enumerate(TTCollection(str(path), lazy=True).fonts):
        if "CJK SC" in str(font["name"].getDebugName(1)):
            return i
    return 0


def charset(texts: Iterable[str]) -> str:
    chars = set(BASE_CHARS)
    for text in texts:
        chars.update(text)
    return "".join(sorted(c for c in chars if c.isprintable() or c == " "))


def ensure_fonts(chars: str, directory: Path | None = None) -> FontFiles | None:
    """Return cached subset fonts covering ``chars``, building them the first time (a few seconds)."""
    directory = directory or cache_dir()
    sources = {w: find_source(w) for w in ("regular", "bold")}
    if sources["regular"] is None:
        return None  # no CJK font installed: the stylesheet falls back to whatever fontconfig has
    if sources["bold"] is None:
        sources["bold"] = sources["regular"]
    paths, missing = {}, []
    for weight, (src, index) in sources.items():  # type: ignore[misc]
        stat = src.stat()
        key = hashlib.sha256(f"{_VERSION}|{src}|{index}|{stat.st_size}|{stat.st_mtime_ns}|{chars}".encode()).hexdigest()[:20]
        target = directory / f"sbcjk-{weight}-{key}.otf"
        if not target.is_file():
            missing.append((src, index, chars, target))
        paths[weight] = target
    if missing:
        directory.mkdir(parents=True, exist_ok=True)
        _build(missing)
    return FontFiles(paths["regular"], paths["bold"])


def _build(work: list[tuple[Path, int, str, Path]]) -> None:
    """Cut the fonts, both weights at once on two processes where the machine has the cores (fontTools is
    pure Python: the weights take about 1.5 s each); one after the other where processes cannot be made."""
    if len(work) > 1 and (os.cpu_count() or 1) > 1:
        import concurrent.futures
        import multiprocessing as mp

        try:
            ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
            with concurrent.futures.ProcessPoolExecutor(max_workers=len(work), mp_context=ctx) as pool:
                for future in [pool.submit(_subset, *args) for args in work]:
                    future.result()
            return
        except (OSError, AssertionError, concurrent.futures.process.BrokenProcessPool):
            pass  # e.g. a daemonic process may not have children: build them here
    for args in work:
        if not args[3].is_file():
            _subset(*args)


def _subset(src: Path, index: int, chars: str, target: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = True
    font = TTFont(str(src), fontNumber=index, lazy=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    try:
        font.save(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)  # atomic: concurrent batches never see a half-written font
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
