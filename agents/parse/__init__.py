"""Parse stage: raw bytes in any supported format -> Articles.

Pure core (never imports faust). `parse_record(raw)` detects the format from the content,
decodes the text, and returns a ParseResult: the articles found, and the per-item
failures (a feed with one broken item still yields the good ones).
"""

from .core import ParseResult, parse_bytes, parse_record

__all__ = ["ParseResult", "parse_bytes", "parse_record"]
