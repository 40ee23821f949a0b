"""The C kernel of the compiled pair index (agents/alert/pairkernel.c), on arrays written by
hand: what an article marks, which entries it reaches, their checks, retiring a first key,
the generation stamps wrapping, and the refusal of malformed arrays. Presearch's own tests
check it against evaluating every watchlist."""

from __future__ import annotations

import numpy as np
import pytest

from wirewatch.agents.alert import presearch

pytestmark = pytest.mark.skipif(
    presearch.PAIR_KERNEL is None, reason="plain-Python install: the C kernel is not built"
)


def int64(values: list[int]) -> np.ndarray:
    return np.array(values, dtype=np.int64)


def kernel_of(program: list[int] | None = None, check_at: list[int] | None = None) -> presearch.PairKernel:
    """Keys 1..6. First key 1 has entries 0-2 (second keys 2, 3, 4; entry 1 also needs third
    key 5; entry 2's check: key 6, or else 5 and 3 together... written as groups), first key 3
    has entry 3 (second key 1). Handles 10, 11, 12, 13."""
    kernel_class = presearch.PAIR_KERNEL
    assert kernel_class is not None
    if program is None:  # entry 2: (6) and (5 or 3)
        program, check_at = [1, 6, 2, 5, 3], [0, 0, 0, 5, 5]
    return kernel_class(
        int64([0, 0, 0, 3, 0, 0, 0]),  # starts, by key number 0..6
        int64([0, 3, 0, 1, 0, 0, 0]),  # counts
        int64([2, 3, 4, 1]),  # seconds
        int64([0, 5, 0, 0]),  # thirds
        int64([10, 11, 12, 13]),  # handles
        int64(check_at),
        int64(program),
    )


def tokens_for(kernel: presearch.PairKernel, table: dict[str, list[int]]) -> None:
    hashes = int64([hash(token) for token in table])
    row_at = int64([0, *np.cumsum([len(numbers) for numbers in table.values()]).tolist()])
    kernel.set_tokens(hashes, row_at, int64([n for numbers in table.values() for n in numbers]))


def test_an_article_reaches_the_entries_whose_keys_and_checks_it_holds() -> None:
    kernel = kernel_of()
    tokens_for(kernel, {"one": [1], "two": [2], "three": [3], "four": [4], "five": [5], "six": [6]})
    assert kernel.begin(["one", "two", "unknown"]) == [2]  # the index of the token it lacks
    assert kernel.reach() == ([10], 1)
    kernel.begin(["one", "three"])  # 1-3 (entry 1) lacks its third key; 3-1 (entry 3) holds
    assert kernel.reach() == ([13], 2)  # both are index hits: under a pair the article holds
    kernel.begin(["one", "three", "five"])
    handles, hits = kernel.reach()
    assert sorted(handles) == [11, 13] and hits == 2
    kernel.begin(["one", "four", "five"])  # entry 2 past its keys, its check lacks key 6
    assert kernel.reach() == ([], 1)
    kernel.begin(["one", "four", "six"])  # key 6, but neither 5 nor 3
    assert kernel.reach() == ([], 1)
    kernel.begin(["one", "four", "six"])
    kernel.mark([5, 0, 5])  # numbers worked out by the caller: zeros and repeats are fine
    assert kernel.reach() == ([12], 1)
    assert kernel.holds(5) and not kernel.holds(3) and not kernel.holds(0)


def test_a_new_article_forgets_the_last_one_across_wrapping_stamps() -> None:
    kernel = kernel_of()
    tokens_for(kernel, {"one": [1], "two": [2]})
    for article in range(600):  # the stamps are one byte: they wrap twice
        if article % 2:
            kernel.begin(["one", "two"])
            assert kernel.reach() == ([10], 1)
        else:
            kernel.begin(["two"])
            assert kernel.reach() == ([], 0) and not kernel.holds(1)


def test_a_token_row_marks_every_number_it_holds_and_equal_hashes_keep_the_first_row() -> None:
    kernel = kernel_of()
    tokens_for(kernel, {"both": [1, 2], "none": []})
    assert kernel.begin(["both", "none"]) == []
    assert kernel.reach() == ([10], 1)
    kernel.set_tokens(int64([7, 7]), int64([0, 1, 2]), int64([3, 4]))  # a table replaced
    assert kernel.begin(["both"]) == [0]
    assert not kernel.holds(1)


def test_a_retired_first_key_reaches_nothing() -> None:
    kernel = kernel_of()
    tokens_for(kernel, {"one": [1], "two": [2]})
    kernel.retire(1)
    kernel.begin(["one", "two"])
    assert kernel.reach() == ([], 0)
    with pytest.raises(ValueError, match="no key numbered 9"):
        kernel.retire(9)


@pytest.mark.parametrize(
    ("program", "check_at", "message"),
    [
        ([2, 6], [0, 0, 0, 2, 2], "malformed check"),  # a group longer than its check
        ([1, 9], [0, 0, 0, 2, 2], "malformed check"),  # a key past the last
        ([0], [0, 0, 0, 1, 1], "malformed check"),  # an empty group
        ([1, 6], [0, 0, 2], "differ in length"),  # an offset missing
    ],
)
def test_malformed_arrays_are_refused(program: list[int], check_at: list[int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        kernel_of(program, check_at)


def test_wrong_inputs_are_errors_not_crashes() -> None:
    kernel = kernel_of()
    with pytest.raises(TypeError, match="list of str"):
        kernel.begin(("one",))
    with pytest.raises(TypeError, match="list of str, got int at 1"):
        kernel.begin(["one", 2])
    with pytest.raises(ValueError, match="no key numbered 7"):
        kernel.mark([7])
    with pytest.raises(TypeError, match="int64"):
        kernel.set_tokens(np.zeros(2, dtype=np.int32), int64([0, 0, 0]), int64([]))
    with pytest.raises(ValueError, match="out of range"):
        kernel.set_tokens(int64([1]), int64([0, 1]), int64([7]))
    with pytest.raises(RuntimeError, match="not initialised"):
        type(kernel).__new__(type(kernel)).reach()


def test_a_long_article_after_short_ones_marks_every_known_token() -> None:
    # begin's scratch grows to the longest article; tokens past the old size still count
    kernel = kernel_of()
    tokens_for(kernel, {"one": [1], "two": [2]})
    kernel.begin(["one"])
    filler = [f"filler{i}" for i in range(1000)]
    assert kernel.begin([*filler, "one", "two"]) == list(range(1000))
    assert kernel.reach() == ([10], 1)


def test_take_gathers_items_in_the_order_asked() -> None:
    from wirewatch.agents.alert.pairkernel import take

    items = ["a", None, "c", "d"]
    assert take(items, [3, 0, 3, 1]) == ["d", "a", "d", None]
    assert take(items, []) == []
    with pytest.raises(IndexError, match="index 4 out of range at 1"):
        take(items, [0, 4])
    with pytest.raises(IndexError, match="index -1 out of range"):
        take(items, [-1])
    with pytest.raises(TypeError, match="list of int, got bool at 0"):
        take(items, [True])  # not an int exactly: its conversion could run Python code
    with pytest.raises(TypeError):
        take(tuple(items), [0])
