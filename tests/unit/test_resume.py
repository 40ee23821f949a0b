"""How the hot path takes up a partition after an assignment (streams/resume.py), from the
marker of its latest batch there."""

from __future__ import annotations

from wirewatch.streams.resume import Resume, processed_span, resume


def test_processed_span_reads_the_batch_marker_and_the_older_bare_offset() -> None:
    assert processed_span([40, 47]) == (47, 40)  # offsets below 40 were delivered
    assert processed_span(47) == (47, -1)  # an older marker: nothing counts as delivered
    assert processed_span(None) == (None, -1)
    assert processed_span(["a", 1]) == (None, -1)


def test_each_way_of_taking_up_a_partition() -> None:
    marker = [40, 47]
    assert resume(None, 0, 100) == Resume()  # a partition never processed
    assert resume(marker, 30, 100) == Resume(delivered_below=40)  # a crash's redo: 30..39 passed over
    assert resume(marker, 44, 100) == Resume(delivered_below=40)  # inside the marked batch: done again
    assert resume(marker, 48, 100) == Resume(delivered_below=40)  # where it left off
    assert resume(marker, 60, 100) == Resume(delivered_below=40, refill=(48, 60))  # 48..59 skipped
    assert resume(marker, 500, 100) == Resume(delivered_below=40, reset_from=48)  # reset forwards
    assert resume([5_000, 5_010], 0, 100) == Resume(reset_from=5_000)  # recreated topic, or reset back
    assert resume(47, 0, 100) == Resume()  # an older marker: nothing passed over
