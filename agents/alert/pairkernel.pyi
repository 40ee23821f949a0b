# The C extension built from agents/alert/pairkernel.c (setup.py); absent in a plain-Python
# install, where presearch walks the compiled pair index with numpy instead.
from collections.abc import Iterable
from typing import TypeVar

import numpy as np

T = TypeVar("T")

class PairKernel:
    def __init__(
        self,
        starts: np.ndarray,
        counts: np.ndarray,
        seconds: np.ndarray,
        thirds: np.ndarray,
        handles: np.ndarray,
        check_at: np.ndarray,
        program: np.ndarray,
    ) -> None: ...
    def set_tokens(self, hashes: np.ndarray, row_at: np.ndarray, numbers: np.ndarray) -> None: ...
    def begin(self, tokens: list[str]) -> list[int]: ...
    def mark(self, numbers: Iterable[int]) -> None: ...
    def holds(self, number: int) -> bool: ...
    def reach(self) -> tuple[list[int], int]: ...
    def retire(self, number: int) -> None: ...

def take(items: list[T], indexes: list[int]) -> list[T]: ...
