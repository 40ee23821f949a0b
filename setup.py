"""Maps the `streams/` and `agents/` folders to `wirewatch.streams` and `wirewatch.agents`,
compiles the tag and alert stages' modules with mypyc, and builds the hand-written C
extensions (KERNELS in agents/compiled.py).

All metadata is in pyproject.toml. mypyc turns the listed modules, as they are (plain, typed
Python), into C extensions: the tag core runs about 1.6 times and the alert core about 1.2
times as fast (docs/benchmarks.md). Set WIREWATCH_COMPILE=0 to install plain Python only; the
code is the same either way. Without a C compiler or the Python headers, or without mypy (an
install that skips the build requirements), the install says so and installs plain Python.
"""

import os
import runpy
import shutil
import sysconfig
import warnings
from pathlib import Path

from setuptools import Extension, find_packages, setup

packages = [f"wirewatch.{name}" for name in find_packages(include=["streams*", "agents*"])]

# The modules worth compiling, listed in agents/compiled.py (read as a file: the package's
# dependencies need not be installed yet): the tag stage's quotation attribution and knowledge
# base, and the alert stage's query evaluation and presearch, whose profiles are flat Python.
# Parse and dedup spend their time in lxml, trafilatura and numpy; compiling them gained nothing.
BUILD = runpy.run_path("agents/compiled.py")
COMPILED, GROUP, KERNELS = BUILD["COMPILED"], BUILD["GROUP"], BUILD["KERNELS"]
module_name = BUILD["_module_name"]  # agents/alert/pairkernel.c -> wirewatch.agents.alert.pairkernel


def cannot_compile() -> str:
    """Why this machine cannot build the compiled modules ('' when it can)."""
    compiler = (os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc").split()[0]
    if not shutil.which(compiler):
        return f"no C compiler ({compiler})"
    if not Path(sysconfig.get_paths()["include"], "Python.h").exists():
        return "no Python headers (Python.h)"
    try:
        import mypyc.build  # noqa: F401
    except ImportError:
        return "mypy is not installed"
    return ""


def remove_built_modules() -> None:
    """Delete compiled modules an earlier build left beside their sources: they would still be
    imported in place of the plain Python being installed."""
    for built in BUILD["built_files"]():
        built.unlink()


def compiled_extensions() -> list:
    if os.environ.get("WIREWATCH_COMPILE", "1") == "0":
        remove_built_modules()
        return []
    if reason := cannot_compile():
        warnings.warn(f"wirewatch: installing plain Python, not compiled: {reason}", stacklevel=1)
        remove_built_modules()
        return []
    from mypyc.build import mypycify

    # mypy names a module by its path below a package base: the folders are linked under a
    # `wirewatch` folder so that agents/tag/quotes.py is compiled as wirewatch.agents.tag.quotes
    root = Path("build", "mypyc-src")
    (root / "wirewatch").mkdir(parents=True, exist_ok=True)
    for name in ("agents", "streams"):
        link = root / "wirewatch" / name
        if not link.is_symlink():
            link.symlink_to(Path(name).resolve(), target_is_directory=True)
    os.environ["MYPYPATH"] = str(root)
    # the hand-written C: the compiled pair index's walk and the alert stage's tokenizer
    kernels = [Extension(module_name(path), [path], extra_compile_args=["-O3"]) for path in KERNELS]
    return kernels + mypycify(
        [
            "--explicit-package-bases",
            # third-party packages need not be in the build environment: their types are Any
            "--ignore-missing-imports",
            "--follow-imports=silent",
            *(str(root / "wirewatch" / path) for path in COMPILED),
        ],
        opt_level="3",
        group_name=GROUP,
    )


setup(packages=packages, ext_modules=compiled_extensions())
