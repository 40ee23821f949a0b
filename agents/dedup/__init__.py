"""Dedup stage: drops duplicates and syndicated copies, groups articles into stories.

Pure core (never imports faust): `Deduper(store)(tagged)` -> DedupedArticle.
"""

from .core import Deduper, Prepared, prepare

__all__ = ["Deduper", "Prepared", "prepare"]
