"""WeasyPrint, pydyf, tinycss2 and cssselect2 as C extensions compiled by Cython from their own sources.

Why: a review's rendering is spent in these libraries' pure Python (the interpreter is about 80% of its
instructions). Compiled unchanged by Cython, the same code takes 15.9% fewer instructions per fiscal-year
zh rep review (``scripts/instructions.py --period 2026``: 1,243.8 M as installed, 1,045.7 M compiled) and
writes the same PDF bytes.

- ``build()`` (through ``main``, run by ``scripts/bootstrap.sh`` when ``fresh()`` says there is no build for
  what is installed) copies the installed packages' sources, compiles each module on its own (a module
  Cython refuses stays Python) and records, per module, the SHA-256 of the source it was compiled from.
- ``enable()`` (called when ``salesbook.reports.weasy`` is imported, before WeasyPrint is) puts a finder
  in front of Python's: a module listed in the build whose installed source still has the recorded hash
  is loaded from its compiled file; everything else is imported as usual. Off where WeasyPrint or pydyf
  is not a verified version (``versions.VERIFIED``), where nothing was built (no Cython or no C compiler:
  the same reviews, slower), and with ``SALESBOOK_PLAIN_WEASYPRINT=compiled`` (or ``1``). A module
  imported before ``enable()`` stays as it was imported, so this is decided per process at start-up;
  ``weasy.plain()`` cannot undo it inside a running process.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

PACKAGES = ("weasyprint", "pydyf", "tinycss2", "cssselect2")
MANIFEST = "manifest.json"
_SKIP = {"__main__.py"}   # the command-line entry: never on a review's path


def home() -> Path:
    """Where the compiled modules live: inside this environment, beside its packages
    (SALESBOOK_COMPILED_DIR overrides)."""
    override = os.environ.get("SALESBOOK_COMPILED_DIR")
    tag = f"{sys.implementation.cache_tag}-{sysconfig.get_platform()}"
    return Path(override) if override else Path(sys.prefix) / "share" / "salesbook" / "compiled" / tag


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _has_data(folder: Path) -> bool:
    """Whether a package folder holds files other than Python sources: its ``__init__`` stays Python, since a
    compiled one would look for them (``importlib.resources``) beside the compiled file."""
    return any(p.is_file() and p.suffix != ".py" for p in folder.iterdir())


def _versions() -> dict[str, str | None]:
    from importlib.metadata import PackageNotFoundError, version

    found: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


# ----------------------------------------------------------------------------------------------- build
def _compile_one(work: str, rel: str, out: str) -> str | None:
    """Cython then the C compiler for one module; its file name under ``out``, or None if either refused."""
    source = Path(work) / rel
    c_file = source.with_suffix(".c")
    # annotation_typing off: a type annotation stays a hint, as in Python, and never becomes a C type
    cython = subprocess.run([sys.executable, "-m", "cython", "-3", "-X", "annotation_typing=False", str(source),
                             "-o", str(c_file)], capture_output=True, text=True, cwd=work)
    _not_stopped(cython, rel)
    if cython.returncode != 0:
        return None
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    target = Path(out) / Path(rel).with_suffix("").as_posix().replace("/", os.sep)
    target = target.with_name(target.name + suffix)
    target.parent.mkdir(parents=True, exist_ok=True)
    cc = (sysconfig.get_config_var("CC") or "cc").split()
    include = sysconfig.get_paths()["include"]
    gcc = subprocess.run([*cc, "-shared", "-fPIC", "-O2", "-fwrapv", "-DNDEBUG", "-w", f"-I{include}",
                          str(c_file), "-o", str(target)], capture_output=True, text=True)
    _not_stopped(gcc, rel)
    if gcc.returncode != 0:
        return None
    return target.relative_to(out).as_posix()


def _not_stopped(done: subprocess.CompletedProcess, rel: str) -> None:
    """A compiler killed by a signal has not refused the module: the build stops without a manifest (so the next
    set-up builds again), instead of recording that module as one that stays Python."""
    if done.returncode < 0:
        raise RuntimeError(f"compiling {rel} was stopped by signal {-done.returncode}")


def build(dest: Path | None = None, jobs: int | None = None,
          log: Callable[[str], None] = print) -> dict[str, dict[str, Any]]:
    """Compile every module of ``PACKAGES`` into ``dest`` (default ``home()``); returns the manifest's modules.

    A fresh build replaces the old one only when complete, so a failed build leaves the previous one."""
    dest = dest or home()
    versions = _versions()
    modules: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="salesbook-compile-") as tmp:
        work, out = Path(tmp) / "src", Path(tmp) / "out"
        todo: list[tuple[str, str, str]] = []   # module name, path relative to work, source hash
        for name in PACKAGES:
            pkg = _package_dir(name)
            if pkg is None or versions[name] is None:
                continue
            shutil.copytree(pkg, work / name, ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.c"))
            for py in sorted((work / name).rglob("*.py")):
                if py.name in _SKIP or (py.name == "__init__.py" and _has_data(py.parent)):
                    continue
                rel = py.relative_to(work).as_posix()
                dotted = rel[:-3].replace("/", ".")
                dotted = dotted[: -len(".__init__")] if dotted.endswith(".__init__") else dotted
                todo.append((dotted, rel, _sha(pkg.parent / rel)))
        log(f"compiling {len(todo)} modules of {', '.join(PACKAGES)} with Cython ...")
        with concurrent.futures.ProcessPoolExecutor(max_workers=jobs or min(os.cpu_count() or 1, 4)) as pool:
            results = pool.map(_compile_one, [str(work)] * len(todo), [rel for _, rel, _ in todo],
                               [str(out)] * len(todo))
            for (dotted, rel, sha), so in zip(todo, results, strict=True):
                if so is not None:
                    modules[dotted] = {"file": so, "source": rel, "sha256": sha,
                                       "package": rel.endswith("__init__.py")}
        out.mkdir(parents=True, exist_ok=True)
        (out / MANIFEST).write_text(json.dumps({"versions": versions, "modules": modules}, indent=1))
        if dest.exists():
            shutil.rmtree(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(out, dest)
    log(f"compiled {len(modules)} of {len(todo)} modules into {dest}")
    return modules


# ----------------------------------------------------------------------------------------------- use
class _Finder(importlib.abc.MetaPathFinder):
    """Loads a listed module from its compiled file while its installed source is the one compiled."""

    def __init__(self, root: Path, modules: dict[str, dict[str, Any]]):
        self.root = root
        self.modules = modules
        self.loaded: list[str] = []

    def find_spec(self, fullname, path=None, target=None):
        entry = self.modules.get(fullname)
        if entry is None:
            return None
        plain = importlib.machinery.PathFinder.find_spec(fullname, path)
        if plain is None or plain.origin is None or not plain.origin.endswith(".py"):
            return None
        try:
            if _sha(Path(plain.origin)) != entry["sha256"]:
                return None   # the installed source changed since the build: import it as it is
        except OSError:
            return None
        so = str(self.root / entry["file"])
        if not os.path.isfile(so):
            return None
        loader = importlib.machinery.ExtensionFileLoader(fullname, so)
        spec = importlib.util.spec_from_file_location(
            fullname, so, loader=loader,
            submodule_search_locations=plain.submodule_search_locations if entry["package"] else None)
        if spec is not None:
            self.loaded.append(fullname)
        return spec


_finder: _Finder | None = None


def enable() -> bool:
    """Put the finder in place if a build for the installed versions exists and nothing turns it off."""
    global _finder
    if _finder is not None:
        return True
    from salesbook.reports.weasy import gate, versions

    if "compiled" in gate.env_off() or versions.unverified().keys() & {"weasyprint", "pydyf"}:
        return False
    manifest = home() / MANIFEST
    try:
        data = json.loads(manifest.read_text())
    except (OSError, ValueError):
        return False
    if data.get("versions") != _versions():
        return False
    _finder = _Finder(manifest.parent, data.get("modules", {}))
    sys.meta_path.insert(0, _finder)
    return True


def fresh() -> bool:
    """Whether a build exists for the installed versions and every compiled module's source is unchanged
    (what ``scripts/bootstrap.sh`` asks before building again)."""
    try:
        data = json.loads((home() / MANIFEST).read_text())
    except (OSError, ValueError):
        return False
    if data.get("versions") != _versions() or not data.get("modules"):
        return False
    dirs = {name: _package_dir(name) for name in PACKAGES}
    for entry in data["modules"].values():
        pkg = dirs.get(entry["source"].split("/", 1)[0])
        if pkg is None or not (home() / entry["file"]).exists():
            return False
        try:
            if _sha(pkg.parent / entry["source"]) != entry["sha256"]:
                return False
        except OSError:
            return False
    return True


def in_use() -> list[str]:
    """The modules loaded from their compiled files in this process so far."""
    return list(_finder.loaded) if _finder is not None else []


def main(argv: list[str]) -> int:
    """``scripts/bootstrap.sh``'s step: build unless ``--if-stale`` and the build is fresh."""
    if "--if-stale" in argv and fresh():
        return 0
    try:
        import Cython  # noqa: F401
    except ImportError:
        print("salesbook: Cython is not installed; reviews render with the libraries as installed", file=sys.stderr)
        return 0
    jobs = os.environ.get("SALESBOOK_COMPILE_JOBS")
    build(jobs=int(jobs) if jobs else None)
    return 0 if fresh() else 1
