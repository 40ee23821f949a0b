"""Tag stage: entities linked to the knowledge base, and quotations with their speakers.

Pure core (never imports faust): `tag(article)` -> TaggedArticle.
"""

from .core import Tagger, tag

__all__ = ["Tagger", "tag"]
