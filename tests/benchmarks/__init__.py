"""The benchmark suite: floors, stage cores and the whole pipeline, measured in one run.

`python -m tests.benchmarks.run` (or `make bench`) writes the table to docs/benchmarks.md;
`--smoke` runs the same suite at a tiny size so that it cannot rot. Speed is measured here,
never asserted in tests.
"""
