"""Which stage modules are compiled with mypyc (setup.py builds them), and whether a build is
out of date.

A compiled module is a C extension beside its source file, and Python imports it in place of
the source: edit agents/tag/quotes.py without building again (`make venv`, or
`pip install -e .`) and the old code still runs. `stale()` names such modules; the test suite
refuses to run with any, and the worker logs them at start.

`plain_package` imports a stage folder from its .py files alone, beside the compiled build:
the equivalence test and the benchmark run the two side by side.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

# Paths below the project's root, as setup.py hands them to mypyc.
COMPILED = [
    "agents/tag/quotes.py",
    "agents/tag/kb.py",
    "agents/tag/core.py",
    "agents/alert/query.py",
    "agents/alert/watchlists.py",
    "agents/alert/presearch.py",
    "agents/alert/engine.py",
    "agents/alert/explain.py",
    "agents/alert/registry.py",
]
GROUP = "wirewatch_stages"  # they share one library, the top-level module wirewatch_stages__mypyc
# Hand-written C extensions, built with them (and like them absent from a plain-Python install,
# where the code that imports them takes its Python path): path of the source, as above.
KERNELS = ["agents/alert/pairkernel.c", "agents/alert/wordkernel.c"]

_ROOT = Path(__file__).resolve().parent.parent


def _module_name(path: str) -> str:
    return "wirewatch." + path.removesuffix(".py").removesuffix(".c").replace("/", ".")


def _extension_of(source: Path) -> Path | None:
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        built = source.with_name(source.stem + suffix)
        if built.exists():
            return built
    return None


def built_files() -> list[Path]:
    """The compiled modules beside their sources, and their shared library."""
    found = [built for path in COMPILED + KERNELS if (built := _extension_of(_ROOT / path))]
    library = _extension_of(_ROOT / f"{GROUP}__mypyc.py")
    return found + ([library] if library else [])


def compiled(paths: list[str] | None = None) -> list[str]:
    """The modules that import as compiled extensions (none in a plain-Python install): of
    COMPILED, or of the `paths` given (KERNELS)."""
    found = []
    for path in COMPILED if paths is None else paths:
        spec = importlib.util.find_spec(_module_name(path))
        if spec is not None and isinstance(spec.loader, importlib.machinery.ExtensionFileLoader):
            found.append(_module_name(path))
    return found


def stale() -> list[str]:
    """Source files edited after their compiled module was built: the build runs old code.
    Only in a working copy (an installed wheel's files all carry the time it was installed)."""
    if not (_ROOT / "setup.py").exists():
        return []
    out_of_date = []
    for path in COMPILED + KERNELS:
        source = _ROOT / path
        built = _extension_of(source)
        if built is not None and source.stat().st_mtime > built.stat().st_mtime:
            out_of_date.append(path)
    return out_of_date


def plain_package(folder: str, name: str, directory: Path) -> ModuleType:
    """agents/<folder>, imported from its .py files only (copied into `directory`), as the
    top-level package `name`: the plain-Python source of a compiled stage. Its data folder is
    linked, and its absolute imports (records, other stages) are the installed ones."""
    source = _ROOT / "agents" / folder
    target = directory / name
    target.mkdir(parents=True)
    for path in source.glob("*.py"):
        shutil.copy(path, target / path.name)
    if (source / "data").is_dir():
        (target / "data").symlink_to(source / "data", target_is_directory=True)
    sys.path.insert(0, str(directory))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(directory))
