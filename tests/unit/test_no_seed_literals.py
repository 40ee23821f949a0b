"""What the system knows about the world lives in data files, not in Python code: no name
from the seed articles (person, outlet, agency) may appear in code under agents/ or streams/."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SEED_NAMES = [
    "Peskov",
    "Dmitry",
    "Chepa",
    "Alexei",
    "Putin",
    "Biden",
    "Saleh",
    "Kazimi",
    "Metzel",
    "RussiaLink",
    "RUSSIALINK",
    "Interfax",
    "TASS",
    "Islamic World",
    "Kremlin",
]


def python_files() -> list[Path]:
    return sorted(p for folder in ("agents", "streams") for p in (REPO / folder).rglob("*.py"))


def test_there_is_code_to_check() -> None:
    assert len(python_files()) > 10


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_name_absent_from_code(name: str) -> None:
    offenders = [
        f"{path.relative_to(REPO)}:{number}"
        for path in python_files()
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if name in line
    ]
    assert not offenders, f"{name!r} appears in code (move it to a data file): {offenders}"


def test_detector_catches_a_literal(tmp_path: Path) -> None:
    """The check itself can fail: a file naming a seed person is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text('SPEAKER = "Dmitry Peskov"\n')
    assert any(name in bad.read_text() for name in SEED_NAMES)
